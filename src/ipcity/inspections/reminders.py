"""Home-page reminders: an inspector's assignments whose result is still to be entered (overdue first); the
owning office's staff, entered results waiting for publication."""
from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from ipcity.core.reminders import Reminder, reminder_source
from ipcity.inspections.models import Assignment, Draw
from ipcity.inspections.queries import MANAGER_ROLES

LIMIT = 10


@reminder_source
def inspection_reminders(user, today):
    if not user.is_authenticated:
        return []
    now = timezone.now()
    mine = (Assignment.objects.filter(inspectors=user, result__isnull=True, draw__superseded_by__isnull=True)
            .select_related("draw", "object").order_by("due_at")[:LIMIT])
    found = []
    for a in mine:
        overdue = bool(a.due_at and a.due_at < now)
        found.append(Reminder(title=f"抽查任务 {a.draw.number} #{a.position} {'已逾期' if overdue else '待录入结果'}",
                              detail=str(a.object), url=reverse("inspections:result", args=[a.pk]), due=a.due_at,
                              overdue=overdue))
    if user.role in MANAGER_ROLES and user.organisation_id:
        pending = Q(assignments__result__isnull=False, assignments__result__published_at__isnull=True)
        waiting = (Draw.objects.filter(batch__plan__owner__region_id=user.organisation.region_id)
                   .annotate(pending=Count("assignments", filter=pending)).filter(pending__gt=0)
                   .select_related("batch").order_by("drawn_at")[:LIMIT])
        found += [Reminder(title=f"抽取 {d.number} 有 {d.pending} 个检查结果待公示", detail=d.batch.name,
                           url=reverse("inspections:draw", args=[d.pk]), due=None, overdue=False) for d in waiting]
    return found
