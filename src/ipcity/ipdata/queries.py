"""Patents are public bibliographic data: every signed-in user sees them, and the public search shows their
bibliographic fields. Import batches, rejected rows and raw source rows are the offices' working data."""
from __future__ import annotations

from ipcity.accounts.roles import OFFICE_ROLES, Role
from ipcity.core import scoping
from ipcity.ipdata.models import (ColumnMapping, CopyrightRegistration, EnterpriseFlag, GeographicalIndication, ImportBatch,
                                  LayoutDesign, Patent, PatentParty, PatentRevision, PlantVariety, Publication,
                                  RejectedRow, SourceRow, Trademark)


@scoping.register(Patent)
def scope_patents(qs, user):
    return qs


@scoping.register(Publication)
def scope_publications(qs, user):
    return qs


@scoping.register(PatentParty)
def scope_parties(qs, user):
    return qs


def _office(user) -> bool:
    return user.is_authenticated and (user.role in OFFICE_ROLES or user.role in {Role.SYSADMIN, Role.AUDITOR}
                                      or user.is_superuser)


@scoping.register(ImportBatch)
def scope_batches(qs, user):
    return qs if _office(user) else qs.none()


@scoping.register(RejectedRow)
def scope_rejected(qs, user):
    return qs if _office(user) else qs.none()


@scoping.register(SourceRow)
def scope_source_rows(qs, user):
    return qs if _office(user) else qs.none()


@scoping.register(PatentRevision)
def scope_revisions(qs, user):
    return qs if _office(user) else qs.none()


# Registers are public registrations (trademarks, GIs, copyright, plant varieties, layout designs): readable by
# everyone signed in and by the public portal, like patents.
for _model in (Trademark, GeographicalIndication, CopyrightRegistration, PlantVariety, LayoutDesign):
    scoping.register(_model)(lambda qs, user: qs)


@scoping.register(EnterpriseFlag)
def scope_flags(qs, user):
    """Recognitions follow the enterprise: whoever may see the organisation sees its flags."""
    from ipcity.orgs.models import Organisation

    return qs.filter(organisation__in=scoping.visible(Organisation, user))


@scoping.register(ColumnMapping)
def scope_mappings(qs, user):
    return qs if _office(user) else qs.none()
