"""Who sees the screening: the IP offices, each for the applicants in its jurisdiction (a flag belongs to the region
its subject's patents are attributed to); the city office sees the whole city. Nobody else — not the applicants, not
the agencies, not the system or audit administrators (a flag is an unreviewed suspicion)."""
from __future__ import annotations

from django.db.models import Q

from ipcity.abnormal.models import AbnormalFlag, ScreeningRun
from ipcity.accounts.roles import OFFICE_ROLES
from ipcity.core import scoping
from ipcity.orgs.queries import jurisdiction_q


def _office(user) -> bool:
    return user.is_authenticated and user.role in OFFICE_ROLES and user.jurisdiction is not None


@scoping.register(AbnormalFlag)
def scope_flags(qs, user):
    if not _office(user):
        return qs.none()
    return qs.filter(jurisdiction_q(user, "region"))


@scoping.register(ScreeningRun)
def scope_runs(qs, user):
    """Runs over the user's jurisdiction or a part of it, and the runs over a region containing it (a district sees
    the city's run, whose flags about it it sees)."""
    if not _office(user):
        return qs.none()
    ancestors, node = [], user.jurisdiction
    while node is not None:
        ancestors.append(node.code)
        node = node.parent
    return qs.filter(jurisdiction_q(user, "region") | Q(region_id__in=ancestors))
