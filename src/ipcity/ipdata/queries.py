"""Patents are public bibliographic data: every signed-in user sees them, and the public search shows their
bibliographic fields. Import batches, rejected rows and raw source rows are the offices' working data."""
from __future__ import annotations

from ipcity.accounts.roles import OFFICE_ROLES, Role
from ipcity.core import scoping
from ipcity.ipdata.models import ImportBatch, Patent, PatentParty, PatentRevision, Publication, RejectedRow, SourceRow


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
