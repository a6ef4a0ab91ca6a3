"""Organisation and contact actions."""
from __future__ import annotations

from django.forms.models import model_to_dict

from ipcity.core.actions import action, model_changes, record
from ipcity.core.fields import digest_for
from ipcity.orgs.models import Contact, Organisation

ORG_FIELDS = ["name", "short_name", "kind", "uscc", "region", "parent", "in_leading_group", "address", "is_active"]
CONTACT_FIELDS = ["name", "position", "phone", "id_number", "address"]


@action
def create_organisation(*, acting_user, is_demo: bool = False, **fields) -> Organisation:
    org = Organisation(is_demo=is_demo, **fields)
    if not org.uscc:
        org.uscc = None  # blank USCCs must not collide on the unique index
    org.full_clean()
    org.save()
    record("orgs.create_organisation", acting_user=acting_user, obj=org,
           changes={k: str(v) for k, v in model_to_dict(org, fields=ORG_FIELDS).items() if v not in (None, "")})
    return org


@action
def update_organisation(org: Organisation, *, acting_user, **fields) -> Organisation:
    before = model_to_dict(org, fields=ORG_FIELDS)
    for name, value in fields.items():
        if name not in ORG_FIELDS:
            raise ValueError(f"unknown organisation field {name}")
        setattr(org, name, value)
    if not org.uscc:
        org.uscc = None
    org.full_clean()
    org.save()
    record("orgs.update_organisation", acting_user=acting_user, obj=org,
           changes=model_changes(before, model_to_dict(org, fields=ORG_FIELDS)))
    return org


def _set_digests(contact: Contact) -> None:
    contact.phone_digest = digest_for(contact.phone, "phone") if contact.phone else ""
    contact.id_number_digest = digest_for(contact.id_number, "id_number") if contact.id_number else ""


@action
def create_contact(*, acting_user, organisation: Organisation, is_demo: bool = False, **fields) -> Contact:
    contact = Contact(organisation=organisation, is_demo=is_demo, **fields)
    contact.full_clean()
    _set_digests(contact)
    contact.save()
    # Personal data never goes into the audit log: only which fields were set.
    record("orgs.create_contact", acting_user=acting_user, obj=contact,
           changes={"fields": sorted(k for k in CONTACT_FIELDS if getattr(contact, k))})
    return contact


@action
def update_contact(contact: Contact, *, acting_user, **fields) -> Contact:
    before = model_to_dict(contact, fields=CONTACT_FIELDS)
    for name, value in fields.items():
        if name not in CONTACT_FIELDS:
            raise ValueError(f"unknown contact field {name}")
        setattr(contact, name, value)
    contact.full_clean()
    _set_digests(contact)
    contact.save()
    record("orgs.update_contact", acting_user=acting_user, obj=contact,
           changes=model_changes(before, model_to_dict(contact, fields=CONTACT_FIELDS),
                                 redact=set(Contact.SENSITIVE_FIELDS) | {"name"}))
    return contact


@action
def reveal_contact_field(contact: Contact, field: str, *, acting_user, reason: str = "") -> str:
    """Return one unmasked personal-data value; the read itself is audited (who, what, why)."""
    if field not in Contact.SENSITIVE_FIELDS:
        raise ValueError(f"{field} is not a sensitive field")
    record("privacy.reveal", acting_user=acting_user, obj=contact, changes={"field": field, "reason": reason})
    return getattr(contact, field)
