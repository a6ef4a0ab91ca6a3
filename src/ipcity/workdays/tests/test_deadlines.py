"""Deadlines through the Django layer: the actions, their audit rows, and recomputation when the calendar changes.

The test database holds the holiday table seeded from chinese-calendar (published up to 2026); 2027 is unpublished.
Dates used below: 2025-09-28 (Sunday) and 2025-10-11 (Saturday) are 调休 working days, 2025-10-01…08 are the
National Day holiday; November 2025 has no holidays.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ipcity.core.models import AuditEntry, Rule
from ipcity.workdays import actions
from ipcity.workdays.calendar import current_calendar
from ipcity.workdays.engine import count_working_days
from ipcity.workdays.models import CalendarDay, CalendarYear, Deadline

SH = ZoneInfo("Asia/Shanghai")
POLICY = "workdays.unpublished_year_policy"


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def local_due(deadline: Deadline) -> dt.datetime:
    return deadline.due_at.astimezone(SH)


@pytest.fixture
def staff(world):
    return world.users["city_staff"]


def make(staff, start, amount=7, unit="working_days", title="投诉受理") -> Deadline:
    return actions.create_deadline(acting_user=staff, title=title, amount=amount, unit=unit, start_at=start,
                                   rule="《市场监督管理投诉举报处理暂行办法》第十四条")


def last_audit(action_name: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action_name).latest("seq")


# -- create -----------------------------------------------------------------------------------------------------


def test_complaint_received_before_national_day_is_due_on_14_october(staff):
    deadline = make(staff, at(2025, 9, 28, 9, 0))
    deadline.refresh_from_db()
    assert local_due(deadline) == at(2025, 10, 14, 23, 59, 59)
    assert deadline.status == Deadline.Status.OPEN and not deadline.provisional
    assert deadline.created_by == staff
    entry = last_audit("workdays.create_deadline")
    assert entry.object_id == str(deadline.pk) and entry.actor_id == staff.pk
    assert entry.changes["unit"] == "working_days" and entry.changes["amount"] == 7


def test_create_deadline_and_its_audit_row_commit_together(staff):
    """A failure after the action returns, inside the same outer transaction, takes both away."""
    from django.db import transaction

    before = AuditEntry.objects.filter(action="workdays.create_deadline").count()
    with pytest.raises(RuntimeError), transaction.atomic():
        make(staff, at(2025, 9, 28, 9, 0), title="回滚测试")
        raise RuntimeError("abort")
    assert not Deadline.objects.filter(title="回滚测试").exists()
    assert AuditEntry.objects.filter(action="workdays.create_deadline").count() == before


def test_negative_amount_is_refused_in_chinese(staff):
    with pytest.raises(ValidationError) as exc:
        make(staff, at(2025, 9, 28, 9, 0), amount=-1)
    assert "负数" in str(exc.value)


def test_calendar_days_are_counted_with_roll_forward(staff):
    # 15 日 from 2025-09-20 ends on 2025-10-05, inside the holiday: rolls forward to 2025-10-09.
    deadline = make(staff, at(2025, 9, 20, 10, 0), amount=15, unit="days")
    assert local_due(deadline) == at(2025, 10, 9, 23, 59, 59)


def test_hours_are_exact_and_run_through_holidays(staff):
    start = at(2025, 10, 1, 9, 30, 15)
    deadline = make(staff, start, amount=24, unit="hours")
    deadline.refresh_from_db()
    assert deadline.due_at == start + dt.timedelta(hours=24)
    assert local_due(deadline) == at(2025, 10, 2, 9, 30, 15)


# -- pause / resume / extend / finish -------------------------------------------------------------------------


def test_pause_then_resume_shifts_due_by_the_excluded_working_days(staff):
    deadline = make(staff, at(2025, 11, 3, 9, 0))  # Mon → 7 working days → Wed 12 Nov
    original = local_due(deadline)
    assert original == at(2025, 11, 12, 23, 59, 59)

    actions.pause_deadline(deadline, acting_user=staff, reason="委托鉴定", at=at(2025, 11, 5, 10, 0))
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.PAUSED
    actions.resume_deadline(deadline, acting_user=staff, at=at(2025, 11, 7, 15, 0))
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.OPEN

    # The pause day (5th) still counts; 6th and 7th are excluded; the resume day is a new start day.
    excluded = count_working_days(dt.date(2025, 11, 5), dt.date(2025, 11, 7), current_calendar())
    assert excluded == 2
    assert local_due(deadline) == at(2025, 11, 14, 23, 59, 59)
    assert count_working_days(original.date(), local_due(deadline).date(), current_calendar()) == excluded
    assert last_audit("workdays.pause_deadline").changes["reason"] == "委托鉴定"
    assert last_audit("workdays.resume_deadline").object_id == str(deadline.pk)


def test_second_pause_while_paused_is_refused(staff):
    deadline = make(staff, at(2025, 11, 3, 9, 0))
    actions.pause_deadline(deadline, acting_user=staff, reason="检测", at=at(2025, 11, 4, 9, 0))
    with pytest.raises(ValidationError) as exc:
        actions.pause_deadline(deadline, acting_user=staff, reason="再次中止", at=at(2025, 11, 5, 9, 0))
    assert "已处于中止计时状态" in " ".join(exc.value.messages)
    assert deadline.pauses.count() == 1


def test_pause_needs_a_reason_and_cannot_predate_the_start(staff):
    deadline = make(staff, at(2025, 11, 3, 9, 0))
    with pytest.raises(ValidationError) as exc:
        actions.pause_deadline(deadline, acting_user=staff, reason="  ", at=at(2025, 11, 4, 9, 0))
    assert "原因" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        actions.pause_deadline(deadline, acting_user=staff, reason="检测", at=at(2025, 11, 2, 9, 0))
    assert "不能早于起算时间" in " ".join(exc.value.messages)


def test_resume_without_pause_is_refused(staff):
    deadline = make(staff, at(2025, 11, 3, 9, 0))
    with pytest.raises(ValidationError) as exc:
        actions.resume_deadline(deadline, acting_user=staff, at=at(2025, 11, 4, 9, 0))
    assert "未处于中止计时状态" in " ".join(exc.value.messages)


def test_resume_before_the_pause_is_refused(staff):
    deadline = make(staff, at(2025, 11, 3, 9, 0))
    actions.pause_deadline(deadline, acting_user=staff, reason="检测", at=at(2025, 11, 5, 9, 0))
    with pytest.raises(ValidationError) as exc:
        actions.resume_deadline(deadline, acting_user=staff, at=at(2025, 11, 4, 9, 0))
    assert "恢复时间不能早于中止时间" in " ".join(exc.value.messages)


def test_extension_adds_its_amount(staff):
    deadline = make(staff, at(2025, 11, 3, 9, 0), amount=15)  # lead → decide 立案: 15 工作日 (+15)
    assert local_due(deadline) == at(2025, 11, 24, 23, 59, 59)
    actions.extend_deadline(deadline, 15, acting_user=staff, reason="案情复杂", approved_by="王局长")
    deadline.refresh_from_db()
    assert local_due(deadline) == at(2025, 12, 15, 23, 59, 59)
    assert count_working_days(dt.date(2025, 11, 24), dt.date(2025, 12, 15), current_calendar()) == 15
    assert deadline.extensions.get().approved_by == "王局长"
    entry = last_audit("workdays.extend_deadline")
    assert entry.changes["amount"] == 15 and entry.changes["approved_by"] == "王局长"


@pytest.mark.parametrize("reason, approver", [("", "王局长"), ("案情复杂", ""), ("  ", "  ")])
def test_extension_needs_reason_and_approver(staff, reason, approver):
    deadline = make(staff, at(2025, 11, 3, 9, 0), amount=15)
    with pytest.raises(ValidationError) as exc:
        actions.extend_deadline(deadline, 15, acting_user=staff, reason=reason, approved_by=approver)
    assert "理由和批准人" in " ".join(exc.value.messages)
    assert not deadline.extensions.exists()


def test_extension_must_be_positive(staff):
    deadline = make(staff, at(2025, 11, 3, 9, 0))
    with pytest.raises(ValidationError):
        actions.extend_deadline(deadline, 0, acting_user=staff, reason="案情复杂", approved_by="王局长")


@pytest.mark.parametrize("finished, status", [
    (at(2025, 11, 12, 23, 59, 59), Deadline.Status.MET),  # the whole due day is available
    (at(2025, 11, 10, 9, 0), Deadline.Status.MET),
    (at(2025, 11, 13, 0, 0, 0), Deadline.Status.LATE),
])
def test_finish_marks_met_or_late(staff, finished, status):
    deadline = make(staff, at(2025, 11, 3, 9, 0))
    actions.finish_deadline(deadline, acting_user=staff, at=finished)
    deadline.refresh_from_db()
    assert deadline.status == status and deadline.finished_at == finished
    assert last_audit("workdays.finish_deadline").changes["status"] == status


def test_finish_while_paused_counts_the_pause(staff):
    """Finishing during a clock stop closes the pause at the finishing time before judging met/late."""
    deadline = make(staff, at(2025, 11, 3, 9, 0))  # due 12 Nov
    actions.pause_deadline(deadline, acting_user=staff, reason="委托鉴定", at=at(2025, 11, 5, 10, 0))
    actions.finish_deadline(deadline, acting_user=staff, at=at(2025, 11, 20, 10, 0))
    deadline.refresh_from_db()
    # 4 and 5 Nov counted, 6–20 Nov were paused, the remaining 5 working days run 21–27 Nov.
    assert deadline.status == Deadline.Status.MET
    assert local_due(deadline) == at(2025, 11, 27, 23, 59, 59)
    assert not deadline.pauses.filter(end_at__isnull=True).exists()


def test_finish_long_after_a_pause_began_is_not_late(staff):
    """Real clock: the stored due time of a paused deadline only counts the pause up to its last recomputation.
    Finishing two days into a pause of a 24-hour limit must count those two days, not report the limit as missed."""
    now = timezone.now()
    deadline = make(staff, now - dt.timedelta(hours=1), amount=24, unit="hours")
    actions.pause_deadline(deadline, acting_user=staff, reason="听证", at=now - dt.timedelta(minutes=30))
    deadline.refresh_from_db()
    assert deadline.due_at < now + dt.timedelta(hours=24)
    finished = now + dt.timedelta(hours=48)
    actions.finish_deadline(deadline, acting_user=staff, at=finished)
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.MET
    assert deadline.due_at == now - dt.timedelta(hours=1) + dt.timedelta(hours=24) + dt.timedelta(hours=48, minutes=30)
    assert deadline.pauses.get().end_at == finished


def test_cancel(staff):
    deadline = make(staff, at(2025, 11, 3, 9, 0))
    actions.finish_deadline(deadline, acting_user=staff, at=at(2025, 11, 4, 9, 0), cancelled=True)
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.CANCELLED


def test_finished_deadlines_refuse_changes(staff):
    deadline = make(staff, at(2025, 11, 3, 9, 0))
    actions.finish_deadline(deadline, acting_user=staff, at=at(2025, 11, 10, 9, 0))
    for change in (
        lambda: actions.pause_deadline(deadline, acting_user=staff, reason="检测", at=at(2025, 11, 11, 9, 0)),
        lambda: actions.extend_deadline(deadline, 5, acting_user=staff, reason="复杂", approved_by="王局长"),
        lambda: actions.finish_deadline(deadline, acting_user=staff, at=at(2025, 11, 11, 9, 0)),
        lambda: actions.resume_deadline(deadline, acting_user=staff, at=at(2025, 11, 11, 9, 0)),
    ):
        with pytest.raises(ValidationError) as exc:
            change()
        assert "已结束" in " ".join(exc.value.messages)
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.MET


# -- calendar changes recompute open deadlines ----------------------------------------------------------------


@pytest.fixture
def three_deadlines(staff):
    """An open deadline whose period contains 6 Nov 2025, an open one after it, and a finished one over it."""
    affected = make(staff, at(2025, 11, 3, 9, 0), title="受影响")  # due 12 Nov
    later = make(staff, at(2025, 12, 1, 9, 0), title="不受影响")  # due 10 Dec
    finished = make(staff, at(2025, 11, 3, 9, 0), title="已办结")
    actions.finish_deadline(finished, acting_user=staff, at=at(2025, 11, 10, 9, 0))
    return affected, later, finished


def _assert_recomputed(affected, later, finished):
    for d in (affected, later, finished):
        d.refresh_from_db()
    assert local_due(affected) == at(2025, 11, 13, 23, 59, 59)  # one working day later
    assert local_due(later) == at(2025, 12, 10, 23, 59, 59)
    assert local_due(finished) == at(2025, 11, 12, 23, 59, 59)  # finished deadlines are never touched
    assert finished.status == Deadline.Status.MET


def test_new_holiday_moves_open_deadlines_by_one_working_day(world, three_deadlines):
    affected, later, finished = three_deadlines
    changed = actions.set_calendar_day(dt.date(2025, 11, 6), False, acting_user=world.users["sysadmin"],
                                       name="临时放假")
    assert changed == [affected.pk]
    _assert_recomputed(affected, later, finished)
    entry = last_audit("workdays.set_calendar_day")
    # The audit row counts the open deadlines whose due time the change moved.
    assert entry.changes["deadlines_recomputed"] == 1
    assert entry.changes["date"] == "2025-11-06" and entry.changes["before"] is None
    assert entry.changes["after"] is False

    # Back to the weekend rule: the deadline moves back.
    actions.set_calendar_day(dt.date(2025, 11, 6), None, acting_user=world.users["sysadmin"])
    affected.refresh_from_db()
    assert local_due(affected) == at(2025, 11, 12, 23, 59, 59)
    assert not CalendarDay.objects.filter(date=dt.date(2025, 11, 6)).exists()
    assert last_audit("workdays.set_calendar_day").changes["before"] is False


def test_calendar_admin_add_recomputes_open_deadlines(client, world, three_deadlines):
    affected, later, finished = three_deadlines
    client.force_login(world.users["sysadmin"])
    response = client.post("/admin/workdays/calendarday/add/",
                           {"date": "2025-11-06", "name": "临时放假", "source": ""})  # is_workday unchecked
    assert response.status_code == 302, response.content.decode()[:3000]
    day = CalendarDay.objects.get(date=dt.date(2025, 11, 6))
    assert day.is_workday is False and day.source == "管理员维护"
    _assert_recomputed(affected, later, finished)
    entry = last_audit("workdays.set_calendar_day")
    assert entry.actor_id == world.users["sysadmin"].pk and entry.changes["deadlines_recomputed"] == 1


def test_calendar_admin_change_of_date_moves_the_override(client, world, three_deadlines):
    """Editing a day's date in the admin must not leave the old date behind as a second override."""
    affected, later, finished = three_deadlines
    sysadmin = world.users["sysadmin"]
    actions.set_calendar_day(dt.date(2025, 11, 20), False, acting_user=sysadmin, name="临时放假")
    day = CalendarDay.objects.get(date=dt.date(2025, 11, 20))
    client.force_login(sysadmin)
    response = client.post(f"/admin/workdays/calendarday/{day.pk}/change/",
                           {"date": "2025-11-06", "name": "临时放假", "source": "管理员维护"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(CalendarDay.objects.filter(name="临时放假").values_list("date", flat=True)) == [dt.date(2025, 11, 6)]
    _assert_recomputed(affected, later, finished)


def test_calendar_admin_delete_recomputes(client, world, three_deadlines):
    affected, _, _ = three_deadlines
    sysadmin = world.users["sysadmin"]
    actions.set_calendar_day(dt.date(2025, 11, 6), False, acting_user=sysadmin, name="临时放假")
    day = CalendarDay.objects.get(date=dt.date(2025, 11, 6))
    client.force_login(sysadmin)
    response = client.post(f"/admin/workdays/calendarday/{day.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    affected.refresh_from_db()
    assert local_due(affected) == at(2025, 11, 12, 23, 59, 59)


def test_recompute_job_kind_is_registered_and_runs(world, three_deadlines):
    from ipcity.jobs.actions import submit_job
    from ipcity.jobs.runner import claim, run_job

    affected, _, _ = three_deadlines
    CalendarDay.objects.create(date=dt.date(2025, 11, 6), is_workday=False, name="直接写入")  # bypasses the action
    job = submit_job("workdays.recompute", acting_user=world.users["sysadmin"])
    job = run_job(claim(job.pk))
    assert job.status == job.Status.SUCCEEDED, job.error
    assert job.result == {"changed": 1}
    affected.refresh_from_db()
    assert local_due(affected) == at(2025, 11, 13, 23, 59, 59)


# -- unpublished years ----------------------------------------------------------------------------------------


def test_2027_is_unpublished_in_the_test_database(db):
    assert not CalendarYear.objects.filter(year=2027, published=True).exists()
    assert CalendarYear.objects.filter(year=2026, published=True).exists()


def test_deadline_crossing_into_an_unpublished_year_is_provisional(staff):
    deadline = make(staff, at(2026, 12, 28, 9, 0))
    assert deadline.provisional is True
    assert last_audit("workdays.create_deadline").changes["provisional"] is True


def test_deadline_inside_published_years_is_not_provisional(staff):
    assert make(staff, at(2026, 12, 1, 9, 0)).provisional is False


def test_refuse_policy_names_the_year(staff):
    Rule.objects.create(key=POLICY, value="refuse")
    with pytest.raises(ValidationError) as exc:
        make(staff, at(2026, 12, 28, 9, 0))
    assert "2027年" in " ".join(exc.value.messages)
    assert exc.value.code == "calendar_not_published"
    assert not Deadline.objects.filter(start_at=at(2026, 12, 28, 9, 0)).exists()


def test_publishing_the_year_clears_provisional(world, staff):
    deadline = make(staff, at(2026, 12, 28, 9, 0))
    assert deadline.provisional
    changed = actions.set_year_published(2027, True, acting_user=world.users["sysadmin"], source="国办发明电")
    deadline.refresh_from_db()
    assert deadline.provisional is False and deadline.pk in changed
    assert last_audit("workdays.set_year_published").changes["deadlines_recomputed"] == len(changed)


def test_refuse_policy_keeps_open_deadlines_visible_as_provisional(world, staff):
    """Switching to "refuse" and then changing the table must not drop a deadline that now crosses 2027."""
    deadline = make(staff, at(2026, 12, 28, 9, 0))
    Rule.objects.create(key=POLICY, value="refuse")
    due = deadline.due_at
    actions.set_calendar_day(dt.date(2026, 12, 29), False, acting_user=world.users["sysadmin"])
    deadline.refresh_from_db()
    assert deadline.provisional is True and deadline.due_at == due
