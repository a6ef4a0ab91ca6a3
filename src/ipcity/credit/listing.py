"""Which organisations meet a listing criterion of the 严重违法失信名单 (rules `credit.listing_criteria`): counted
from their active credit records dated inside each criterion's window. Read-only; proposing is an action."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from ipcity.credit import policy
from ipcity.credit.models import CreditRecord, SeriousListing
from ipcity.credit.queries import current_listing_q


@dataclass(frozen=True)
class Met:
    criterion: policy.Criterion
    records: list[CreditRecord]


def criteria_met(organisation_ids: Iterable[int] | None, *, as_of: dt.date | None = None,
                 base=None) -> dict[int, list[Met]]:
    """organisation id → the criteria it meets (with the records that count), for the ids given (or every
    organisation of `base`, a CreditRecord queryset, when ids is None). One query."""
    as_of = as_of or timezone.localdate()
    criteria = policy.listing_criteria()
    kinds = {k for c in criteria for k in c.kinds}
    longest = max(c.window_days for c in criteria)
    qs = base if base is not None else CreditRecord.objects.all()
    qs = (qs.filter(subject__isnull=False, status=CreditRecord.Status.ACTIVE, kind__in=kinds)
          .annotate(dated=Coalesce("effective_on", "occurred_on"))
          .filter(dated__lte=as_of, dated__gt=as_of - dt.timedelta(days=longest))
          .order_by("subject_id", "dated", "pk"))
    if organisation_ids is not None:
        qs = qs.filter(subject_id__in=list(organisation_ids))
    by_org: dict[int, list[CreditRecord]] = {}
    for rec in qs:
        by_org.setdefault(rec.subject_id, []).append(rec)
    out: dict[int, list[Met]] = {}
    for org_id, records in by_org.items():
        for c in criteria:
            start = as_of - dt.timedelta(days=c.window_days)
            counted = [r for r in records if r.kind in c.kinds and r.dated > start]
            if len(counted) >= c.min_count:
                out.setdefault(org_id, []).append(Met(c, counted))
    return out


def candidates(records_qs, *, as_of: dt.date | None = None) -> dict[int, list[Met]]:
    """Among the organisations of the given (scoped) records, those meeting a criterion and not already listed or
    under approval."""
    met = criteria_met(None, as_of=as_of, base=records_qs)
    busy = set(SeriousListing.objects.filter(subject_id__in=list(met))
               .filter(current_listing_q() | Q(status=SeriousListing.Status.PROPOSED))
               .values_list("subject_id", flat=True))
    return {k: v for k, v in met.items() if k not in busy}
