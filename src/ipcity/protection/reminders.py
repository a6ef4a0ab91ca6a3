"""Home-page reminders: an office's matters about to fall due or overdue; overdue matters of other offices escalate
to the city office (the supervising level); a member department's unanswered referrals."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from ipcity.accounts.roles import OFFICE_ROLES, Role
from ipcity.core.reminders import Reminder, reminder_source
from ipcity.core.rules import declare
from ipcity.core.scoping import visible
from ipcity.protection.actions import open_deadlines
from ipcity.protection.models import Matter, Referral

DUE_SOON_DAYS = declare("protection.remind_days_before", 2, "投诉举报期限届满前几天开始提醒承办单位")
ESCALATE_AFTER_DAYS = declare("protection.escalate_after_days", 0, "逾期几天后提交市局督办（0 表示逾期即督办）")
SUPERVISORS = (Role.CITY_LEADER, Role.CITY_STAFF)
LIMIT = 10


@reminder_source
def protection_reminders(user, today):
    if not user.is_authenticated or user.organisation_id is None:
        return []
    now = timezone.now()
    found = []
    if user.role in OFFICE_ROLES:
        soon = now + dt.timedelta(days=DUE_SOON_DAYS.get())
        mine = (visible(Matter, user).filter(assigned_org_id=user.organisation_id, status__in=Matter.OPEN_STATUSES,
                                             due_at__lte=soon).order_by("due_at")[:LIMIT])
        found += [_reminder(m, now, "") for m in mine]
    if user.role in SUPERVISORS:
        late = now - dt.timedelta(days=ESCALATE_AFTER_DAYS.get())
        escalated = (visible(Matter, user).filter(status__in=Matter.OPEN_STATUSES, due_at__lt=late)
                     .exclude(assigned_org_id=user.organisation_id).select_related("assigned_org")
                     .order_by("due_at")[:LIMIT])
        found += [_reminder(m, now, "逾期督办：") for m in escalated]
    if user.role == Role.MEMBER_LIAISON:
        referrals = (visible(Referral, user).exclude(status=Referral.Status.REPLIED).select_related("matter")
                     .order_by("sent_at")[:LIMIT])
        for referral in referrals:
            deadline = open_deadlines(referral).first()
            due = deadline.due_at if deadline else None
            found.append(Reminder(title=f"待反馈的移送线索：{referral.matter.number}", detail=referral.reason[:60],
                                  url=reverse("protection:detail", args=[referral.matter_id]), due=due,
                                  overdue=bool(due and due < now)))
    return found


def _reminder(matter: Matter, now, prefix: str) -> Reminder:
    overdue = matter.due_at < now
    return Reminder(title=f"{prefix}{matter.get_kind_display()} {matter.number}{'已逾期' if overdue else '即将到期'}",
                    detail=f"{matter.respondent_name} · {matter.get_status_display()} · "
                           f"{matter.assigned_org.name if prefix else ''}".rstrip(" ·"),
                    url=reverse("protection:detail", args=[matter.pk]), due=matter.due_at, overdue=overdue)
