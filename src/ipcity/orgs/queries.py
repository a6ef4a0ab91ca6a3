"""Who may see which organisations and contacts."""
from __future__ import annotations

from django.db.models import Q

from ipcity.accounts.roles import OFFICE_ROLES, Role
from ipcity.core import scoping
from ipcity.orgs.models import Contact, Organisation

# Roles that see every organisation in the installation.
ALL_ORGANISATIONS = {Role.SYSADMIN, Role.AUDITOR}
# Roles that may see natural persons' contact records in their jurisdiction.
CONTACT_ROLES = OFFICE_ROLES


def jurisdiction_q(user, field: str = "region") -> Q:
    """Rows inside the user's jurisdiction (their organisation's region and everything below it)."""
    region = user.jurisdiction
    if region is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__code__startswith": region.prefix})


@scoping.register(Organisation)
def scope_organisations(qs, user):
    if not user.is_authenticated:
        return qs.none()
    if user.role in ALL_ORGANISATIONS:
        return qs
    own = Q(pk=user.organisation_id) if user.organisation_id else Q(pk__in=[])
    government = Q(kind__in=Organisation.GOVERNMENT_KINDS)
    if user.role in OFFICE_ROLES:
        return qs.filter(own | government | jurisdiction_q(user))
    if user.role == Role.MEMBER_LIAISON:
        return qs.filter(own | government)
    return qs.filter(own)


@scoping.register(Contact)
def scope_contacts(qs, user):
    if not user.is_authenticated:
        return qs.none()
    if user.role in CONTACT_ROLES:
        return qs.filter(jurisdiction_q(user, "organisation__region"))
    if user.role in {Role.ENTERPRISE_USER, Role.AGENCY_USER} and user.organisation_id:
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


def changeable_organisations(qs, user):
    """Of the organisations a user may see, those they may edit or add contacts to: their jurisdiction only
    (a district office sees the other districts' offices but does not edit them)."""
    qs = scope_organisations(qs, user)
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.SYSADMIN or user.is_superuser:
        return qs
    if user.role in OFFICE_ROLES:
        return qs.filter(jurisdiction_q(user))
    return qs.none()


def can_change_organisation(user, org: Organisation) -> bool:
    return changeable_organisations(Organisation.objects.filter(pk=org.pk), user).exists()
