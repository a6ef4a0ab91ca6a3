"""结案率, handling time and overdue counts per organisation, over the matters the user may see."""
from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from ipcity.core.rules import declare
from ipcity.core.scoping import visible
from ipcity.protection.models import Matter

CLOSURE_RATE_TARGET = declare("protection.closure_rate_target", 90,
                              "投诉举报结案率目标（%），仪表板据此标示未达标的单位")

FINISHED = (Matter.Status.CLOSED, Matter.Status.NOT_ACCEPTED, Matter.Status.NOT_FILED)


def period_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    return start, timezone.make_aware(dt.datetime(year + 1, 1, 1))


def organisation_stats(user, year: int, now=None) -> dict:
    """One row per handling organisation: matters received in the year, finished, 结案率, average days from receipt
    to finish, open now and overdue now; and the totals. One grouped query."""
    now = now or timezone.now()
    start, end = period_bounds(year)
    handling = ExpressionWrapper(F("closed_at") - F("received_at"), output_field=DurationField())
    rows = (visible(Matter, user).filter(received_at__gte=start, received_at__lt=end)
            .values("assigned_org_id", "assigned_org__name")
            .annotate(received=Count("id"),
                      finished=Count("id", filter=Q(status__in=FINISHED)),
                      open=Count("id", filter=~Q(status__in=FINISHED)),
                      overdue=Count("id", filter=~Q(status__in=FINISHED) & Q(due_at__lt=now)),
                      avg_handling=Avg(handling, filter=Q(status__in=FINISHED, closed_at__isnull=False)))
            .order_by("assigned_org__name"))
    target = CLOSURE_RATE_TARGET.get()
    out = []
    for row in rows:
        rate = 100 * row["finished"] / row["received"] if row["received"] else None
        out.append({"org_id": row["assigned_org_id"], "org": row["assigned_org__name"], "received": row["received"],
                    "finished": row["finished"], "open": row["open"], "overdue": row["overdue"],
                    "rate": rate, "below_target": rate is not None and rate < target,
                    "avg_days": _days(row["avg_handling"])})
    totals = {key: sum(r[key] for r in out) for key in ("received", "finished", "open", "overdue")}
    totals["rate"] = 100 * totals["finished"] / totals["received"] if totals["received"] else None
    return {"rows": out, "totals": totals, "target": target, "year": year}


def _days(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return round(value.total_seconds() / 86400, 1)
    return round(float(value) / 86_400_000_000, 1)  # SQLite hands back microseconds
