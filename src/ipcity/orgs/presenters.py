"""What of a contact leaves the server: masked values, and whether this user may reveal them."""
from __future__ import annotations

from ipcity.core.masking import mask_value
from ipcity.orgs.models import Contact


def can_reveal(user) -> bool:
    return user.is_authenticated and user.has_perm("orgs.reveal_contact")


def masked_contact(contact: Contact) -> dict:
    return {
        "id": contact.pk,
        "organisation_id": contact.organisation_id,
        "name": contact.name,
        "position": contact.position,
        **{field: mask_value(kind, getattr(contact, field)) for field, kind in Contact.SENSITIVE_FIELDS.items()},
        "is_demo": contact.is_demo,
    }
