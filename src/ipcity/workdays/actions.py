"""Calendar and deadline actions. Every change to the calendar recomputes the open deadlines in the same
transaction, so no deadline is ever shown against a schedule that has since changed."""
from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from ipcity.core.actions import action, record
from ipcity.workdays.calendar import chinese_calendar_names, current_calendar
from ipcity.workdays.engine import CalendarNotPublished, Pause, Unit, WorkCalendar, compute_due
from ipcity.workdays.models import CalendarDay, CalendarYear, Deadline, DeadlineExtension, DeadlinePause


def _due(deadline: Deadline, calendar: WorkCalendar):
    # The engine counts days in the start's own timezone: give it local (Asia/Shanghai) times.
    local = timezone.localtime
    saved = deadline.pk is not None
    pauses = [Pause(start=local(p.start_at), end=local(p.end_at) if p.end_at else None, reason=p.reason)
              for p in (deadline.pauses.all() if saved else [])]
    extensions = [e.amount for e in (deadline.extensions.all() if saved else [])]
    try:
        return compute_due(local(deadline.start_at), deadline.amount, Unit(deadline.unit), calendar,
                           pauses=pauses, extensions=extensions)
    except CalendarNotPublished as exc:
        raise ValidationError(str(exc), code="calendar_not_published") from exc


def recompute(deadline: Deadline, calendar: WorkCalendar | None = None) -> bool:
    """Refresh the stored due time; returns True if it changed. Call inside an action."""
    result = _due(deadline, calendar or current_calendar())
    changed = (deadline.due_at, deadline.provisional) != (result.due, result.provisional)
    if changed:
        deadline.due_at, deadline.provisional = result.due, result.provisional
        deadline.save(update_fields=["due_at", "provisional"])
    return changed


def _recompute_open(calendar: WorkCalendar) -> list[int]:
    changed = []
    for deadline in Deadline.objects.filter(status__in=Deadline.OPEN_STATUSES).prefetch_related("pauses",
                                                                                                  "extensions"):
        try:
            if recompute(deadline, calendar):
                changed.append(deadline.pk)
        except ValidationError:
            # The "refuse" policy and a deadline now crossing an unpublished year: keep the old due time,
            # it stays visible as 暂定 until the schedule is published.
            if not deadline.provisional:
                deadline.provisional = True
                deadline.save(update_fields=["provisional"])
                changed.append(deadline.pk)
    return changed


@action
def recompute_open_deadlines(*, acting_user) -> list[int]:
    changed = _recompute_open(current_calendar())
    record("workdays.recompute", acting_user=acting_user, changes={"changed": len(changed)})
    return changed


@action
def set_calendar_day(day: dt.date, is_workday: bool | None, *, acting_user, name: str = "",
                     source: str = "管理员维护") -> list[int]:
    """Mark a day as holiday (False), make-up workday (True), or back to the weekend rule (None)."""
    before = CalendarDay.objects.filter(date=day).first()
    if is_workday is None:
        if before is not None:
            CalendarDay.objects.filter(pk=before.pk).delete()
    else:
        CalendarDay.objects.update_or_create(date=day, defaults={"is_workday": is_workday, "name": name,
                                                                 "source": source})
    changed = _recompute_open(current_calendar())
    record("workdays.set_calendar_day", acting_user=acting_user,
           changes={"date": day.isoformat(), "before": None if before is None else before.is_workday,
                    "after": is_workday, "name": name, "deadlines_recomputed": len(changed)})
    return changed


@action
def set_year_published(year: int, published: bool, *, acting_user, source: str = "") -> list[int]:
    CalendarYear.objects.update_or_create(year=year, defaults={"published": published, "source": source})
    changed = _recompute_open(current_calendar())
    record("workdays.set_year_published", acting_user=acting_user,
           changes={"year": year, "published": published, "deadlines_recomputed": len(changed)})
    return changed


@action
def seed_from_chinese_calendar(*, acting_user) -> dict:
    """Load every year the chinese-calendar package knows; days an administrator edited are kept."""
    reference = WorkCalendar.from_chinese_calendar()
    names = chinese_calendar_names()
    edited = set(CalendarDay.objects.exclude(source="chinese-calendar").values_list("date", flat=True))
    existing = dict(CalendarDay.objects.filter(source="chinese-calendar").values_list("date", "is_workday"))
    created = updated = 0
    for day, is_workday in sorted(reference.overrides.items()):
        if day in edited or existing.get(day) == is_workday:
            continue
        name = names.get(day, "")
        CalendarDay.objects.update_or_create(date=day, defaults={"is_workday": is_workday, "name": name,
                                                                 "source": "chinese-calendar"})
        if day in existing:
            updated += 1
        else:
            created += 1
    for year in sorted(reference.published_years):
        CalendarYear.objects.update_or_create(
            year=year, defaults={"published": True, "source": "国务院办公厅放假安排（chinese-calendar 数据）"})
    changed = _recompute_open(current_calendar())
    summary = {"created": created, "updated": updated, "years": [min(reference.published_years),
                                                                 max(reference.published_years)],
               "deadlines_recomputed": len(changed)}
    record("workdays.seed_calendar", acting_user=acting_user, changes=summary)
    return summary


def build_deadline(*, title: str, amount: int, unit: str, start_at: dt.datetime, subject=None, rule: str = "",
                   created_by=None, calendar: WorkCalendar | None = None) -> Deadline:
    """An unsaved Deadline with its due time computed (on `calendar`, default the current one). For callers that
    create many at once and audit them in their own row (a batch registration); others use create_deadline."""
    if amount < 0:
        raise ValidationError({"amount": "期限不能为负数"})
    deadline = Deadline(title=title, rule=rule, unit=Unit(unit).value, amount=amount, start_at=start_at,
                        due_at=start_at, created_by=created_by if getattr(created_by, "pk", None) else None)
    if subject is not None:
        deadline.subject_type = ContentType.objects.get_for_model(subject)
        deadline.subject_id = str(subject.pk)
    result = _due(deadline, calendar or current_calendar())
    deadline.due_at, deadline.provisional = result.due, result.provisional
    return deadline


@action
def create_deadline(*, acting_user, title: str, amount: int, unit: str, start_at: dt.datetime,
                    subject=None, rule: str = "") -> Deadline:
    deadline = build_deadline(title=title, amount=amount, unit=unit, start_at=start_at, subject=subject, rule=rule,
                              created_by=acting_user)
    deadline.save()
    record("workdays.create_deadline", acting_user=acting_user, obj=deadline,
           changes={"amount": amount, "unit": deadline.unit, "start_at": start_at.isoformat(),
                    "due_at": deadline.due_at.isoformat(), "provisional": deadline.provisional})
    return deadline


def _require_open(deadline: Deadline) -> None:
    if deadline.status not in Deadline.OPEN_STATUSES:
        raise ValidationError("该期限已结束，不能再调整")


@action
def pause_deadline(deadline: Deadline, *, acting_user, reason: str, at: dt.datetime | None = None) -> Deadline:
    _require_open(deadline)
    if deadline.pauses.filter(end_at__isnull=True).exists():
        raise ValidationError("该期限已处于中止计时状态")
    if not reason.strip():
        raise ValidationError({"reason": "请填写中止计时的原因"})
    at = at or timezone.now()
    if at < deadline.start_at:
        raise ValidationError("中止时间不能早于起算时间")
    DeadlinePause.objects.create(deadline=deadline, start_at=at, reason=reason)
    deadline.status = Deadline.Status.PAUSED
    deadline.save(update_fields=["status"])
    recompute(deadline)
    record("workdays.pause_deadline", acting_user=acting_user, obj=deadline,
           changes={"at": at.isoformat(), "reason": reason})
    return deadline


@action
def resume_deadline(deadline: Deadline, *, acting_user, at: dt.datetime | None = None) -> Deadline:
    _require_open(deadline)
    pause = deadline.pauses.filter(end_at__isnull=True).first()
    if pause is None:
        raise ValidationError("该期限未处于中止计时状态")
    at = at or timezone.now()
    if at < pause.start_at:
        raise ValidationError("恢复时间不能早于中止时间")
    pause.end_at = at
    pause.save(update_fields=["end_at"])
    deadline.status = Deadline.Status.OPEN
    deadline.save(update_fields=["status"])
    recompute(deadline)
    record("workdays.resume_deadline", acting_user=acting_user, obj=deadline,
           changes={"at": at.isoformat(), "due_at": deadline.due_at.isoformat()})
    return deadline


@action
def extend_deadline(deadline: Deadline, amount: int, *, acting_user, reason: str, approved_by: str) -> Deadline:
    _require_open(deadline)
    if amount <= 0:
        raise ValidationError({"amount": "延长期限必须为正数"})
    if not reason.strip() or not approved_by.strip():
        raise ValidationError("延长期限须写明理由和批准人")
    DeadlineExtension.objects.create(deadline=deadline, amount=amount, reason=reason, approved_by=approved_by,
                                     approved_at=timezone.now())
    old_due = deadline.due_at
    recompute(deadline)
    record("workdays.extend_deadline", acting_user=acting_user, obj=deadline,
           changes={"amount": amount, "reason": reason, "approved_by": approved_by,
                    "due_at": [old_due.isoformat(), deadline.due_at.isoformat()]})
    return deadline


@action
def finish_deadline(deadline: Deadline, *, acting_user, at: dt.datetime | None = None,
                    cancelled: bool = False) -> Deadline:
    _require_open(deadline)
    at = at or timezone.now()
    pause = deadline.pauses.filter(end_at__isnull=True).first()
    if pause is not None:
        # Finishing ends the clock stop: while it was open the stored due time only counted the pause up to
        # the last recomputation, so close it now and recompute before judging met / late.
        pause.end_at = max(at, pause.start_at)
        pause.save(update_fields=["end_at"])
        recompute(deadline)
    if cancelled:
        deadline.status = Deadline.Status.CANCELLED
    else:
        deadline.status = Deadline.Status.MET if at <= deadline.due_at else Deadline.Status.LATE
    deadline.finished_at = at
    deadline.save(update_fields=["status", "finished_at"])
    record("workdays.finish_deadline", acting_user=acting_user, obj=deadline,
           changes={"status": deadline.status, "at": at.isoformat()})
    return deadline
