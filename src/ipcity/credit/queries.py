"""Who may see what of credit supervision: one scope function per model, and read helpers.

- The offices (city office, district offices, officers, leaders) see the records, listings, approval steps and
  repair applications of their jurisdiction (region code prefix).
- An enterprise or agency user sees its own organisation's records, its listings once decided, and its own repair
  applications.
- A member department of the leading group sees the 严重违法失信名单 of its jurisdiction (the city): listed entries
  and their history, never proposals, approval steps or records.
- Everyone, the public included, sees the public facts: records marked public (organisations only, active, within
  the publication period) and current listings. The public query on the portal reads them through this scope.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from ipcity.accounts.roles import OFFICE_ROLES, Role
from ipcity.core import scoping
from ipcity.core.rules import declare
from ipcity.credit.models import CollectionRun, CreditRecord, ListingStep, RepairApplication, SeriousListing
from ipcity.orgs.queries import jurisdiction_q

SUBJECT_ROLES = frozenset({Role.ENTERPRISE_USER, Role.AGENCY_USER})

PUBLIC_YEARS = declare("credit.public_years", 3, "公开的信用记录（行政处罚等）在信用查询中公示的年限（自生效之日起）")


def public_records_q(today: dt.date | None = None) -> Q:
    """Records anyone may see: public, active, about an organisation, within the publication period — which opens
    on the record's effective date (a decision not yet effective is not shown early)."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=round(365.25 * PUBLIC_YEARS.get()))
    return Q(is_public=True, status=CreditRecord.Status.ACTIVE, subject__isnull=False, public_from__gte=since,
             public_from__lte=today)


def _public_records(qs):
    return qs.annotate(public_from=Coalesce("effective_on", "occurred_on")).filter(public_records_q())


@scoping.register(CreditRecord)
def scope_records(qs, user):
    public = Q(pk__in=_public_records(CreditRecord.objects.all()).values("pk"))
    if not user.is_authenticated:
        return qs.filter(public)
    if user.role in OFFICE_ROLES:
        return qs.filter(public | jurisdiction_q(user, "region"))
    if user.role in SUBJECT_ROLES and user.organisation_id:
        return qs.filter(public | Q(subject_id=user.organisation_id))
    return qs.filter(public)


DECIDED = (SeriousListing.Status.LISTED, SeriousListing.Status.REMOVED, SeriousListing.Status.EXPIRED)


def current_listing_q(today: dt.date | None = None, prefix: str = "") -> Q:
    today = today or timezone.localdate()
    return Q(**{f"{prefix}status": SeriousListing.Status.LISTED, f"{prefix}listed_from__lte": today,
                f"{prefix}listed_until__gt": today})


@scoping.register(SeriousListing)
def scope_listings(qs, user):
    public = current_listing_q()
    if not user.is_authenticated:
        return qs.filter(public)
    if user.role in OFFICE_ROLES:
        return qs.filter(public | jurisdiction_q(user, "region"))
    if user.role == Role.MEMBER_LIAISON:
        return qs.filter(public | (Q(status__in=DECIDED) & jurisdiction_q(user, "region")))
    if user.role in SUBJECT_ROLES and user.organisation_id:
        return qs.filter(public | Q(subject_id=user.organisation_id, status__in=DECIDED))
    return qs.filter(public)


@scoping.register(ListingStep)
def scope_steps(qs, user):
    """The approval chain is internal to the offices."""
    if not user.is_authenticated or user.role not in OFFICE_ROLES:
        return qs.none()
    return qs.filter(jurisdiction_q(user, "listing__region"))


@scoping.register(RepairApplication)
def scope_repairs(qs, user):
    if not user.is_authenticated:
        return qs.none()
    if user.role in OFFICE_ROLES:
        return qs.filter(jurisdiction_q(user, "region"))
    if user.role in SUBJECT_ROLES and user.organisation_id:
        return qs.filter(subject_id=user.organisation_id)
    return qs.none()


@scoping.register(CollectionRun)
def scope_runs(qs, user):
    """Runs cover the whole installation's decisions: the offices see them (their counts); of the decisions a run
    could not match, each office is shown only those of its jurisdiction (`unmatched_for`)."""
    if not user.is_authenticated or user.role not in OFFICE_ROLES:
        return qs.none()
    return qs


def unmatched_for(run: CollectionRun, user) -> tuple[list[dict], int]:
    """The run's unmatched decisions the user may read (the deciding office's region inside their jurisdiction),
    and how many others there were. An entry without a region (older runs) is shown to nobody."""
    mine = [u for u in run.unmatched if u.get("region") and covers(user, u["region"])]
    return mine, len(run.unmatched) - len(mine)


def is_office(user) -> bool:
    return user.is_authenticated and user.role in OFFICE_ROLES


def covers(user, region_code: str) -> bool:
    """Whether the region lies in the user's jurisdiction."""
    region = getattr(user, "jurisdiction", None) if user.is_authenticated else None
    return region is not None and region_code.startswith(region.prefix)
