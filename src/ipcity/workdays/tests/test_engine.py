"""Tests for the pure working-day / deadline engine (no Django needed).

Run: ``python -m pytest src/ipcity/workdays/tests/test_engine.py -q -p no:django``
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipcity.workdays.engine import (
    END_OF_DAY,
    CalendarNotPublished,
    DueResult,
    Pause,
    Unit,
    WorkCalendar,
    compute_due,
    count_working_days,
)

SH = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar.from_chinese_calendar()
CAL_PROV = WorkCalendar.from_chinese_calendar(unpublished_policy="provisional")
FAR = datetime(2000, 1, 1)  # as_of before everything: no open pause effects


def at(y, m, d, hh=10, mm=0, tz=SH):
    return datetime(y, m, d, hh, mm, tzinfo=tz)


def wd(start, n, cal=CAL, **kw):
    return compute_due(start, n, Unit.WORKING_DAYS, cal, **kw)


def days(start, n, cal=CAL, **kw):
    return compute_due(start, n, Unit.DAYS, cal, **kw)


# ---------------------------------------------------------------------------
# WorkCalendar
# ---------------------------------------------------------------------------


class TestCalendar:
    def test_chinese_calendar_overrides(self):
        assert CAL.is_workday(date(2025, 9, 28))  # Sunday, 调休上班
        assert CAL.is_workday(date(2025, 10, 11))  # Saturday, 调休上班
        assert not CAL.is_workday(date(2025, 10, 1))  # 国庆
        assert not CAL.is_workday(date(2025, 10, 8))  # Wednesday, 国庆/中秋
        assert CAL.is_workday(date(2025, 10, 9))
        assert not CAL.is_workday(date(2025, 10, 12))  # plain Sunday
        assert not CAL.is_workday(date(2026, 2, 16))  # 春节
        assert CAL.is_workday(date(2026, 2, 14))  # Saturday, 调休
        assert CAL.is_workday(date(2026, 2, 28))  # Saturday, 调休

    def test_published_years(self):
        assert {2024, 2025, 2026} <= CAL.published_years
        assert CAL.is_published(2025)
        assert not CAL.is_published(2099)

    def test_is_workday_policy(self):
        with pytest.raises(CalendarNotPublished):
            CAL.is_workday(date(2099, 1, 5))
        assert CAL_PROV.is_workday(date(2099, 1, 5))  # Monday
        assert not CAL_PROV.is_workday(date(2099, 1, 4))  # Sunday

    def test_not_published_message(self):
        err = CalendarNotPublished(2028)
        assert err.year == 2028
        assert str(err) == "2028年的节假日安排尚未公布，无法按工作日计算期限"

    def test_bad_policy(self):
        with pytest.raises(ValueError):
            WorkCalendar({}, {2025}, unpublished_policy="guess")

    def test_with_policy(self):
        prov = CAL.with_policy("provisional")
        assert prov.unpublished_policy == "provisional"
        assert prov.overrides == CAL.overrides

    def test_synthetic(self):
        cal = WorkCalendar({date(2030, 1, 5): True, date(2030, 1, 7): False}, {2030})
        assert cal.is_workday(date(2030, 1, 5))  # Saturday made a workday
        assert not cal.is_workday(date(2030, 1, 6))  # Sunday
        assert not cal.is_workday(date(2030, 1, 7))  # Monday made a holiday
        assert cal.is_workday(date(2030, 1, 8))

    def test_count_working_days(self):
        # National Day week 2025: 29, 30 Sep, then 9, 10, 11 (Sat, 调休) Oct.
        assert count_working_days(date(2025, 9, 28), date(2025, 10, 11), CAL) == 5
        assert count_working_days(date(2025, 10, 1), date(2025, 10, 8), CAL) == 0
        assert count_working_days(date(2025, 10, 9), date(2025, 10, 9), CAL) == 0
        assert count_working_days(date(2025, 10, 9), date(2025, 10, 1), CAL) == 0

    def test_unit_labels(self):
        assert Unit.WORKING_DAYS.label == "工作日"
        assert Unit.DAYS.label == "日"
        assert Unit.HOURS.label == "小时"
        assert Unit("working_days") is Unit.WORKING_DAYS
        assert ("days", "日") in Unit.choices()


# ---------------------------------------------------------------------------
# Concrete deadlines against the published 2025/2026 schedules
# ---------------------------------------------------------------------------


class TestConcrete:
    def test_complaint_received_on_makeup_sunday(self):
        # 2025-09-28 is a Sunday worked as 调休; the receipt day is not counted.
        # 29 Sep (1), 30 Sep (2), 1–8 Oct holiday, 9 (3), 10 (4),
        # 11 Sat 调休 (5), 12 Sun rest, 13 (6), 14 (7).
        r = wd(at(2025, 9, 28, 16, 30), 7)
        assert r.due_date == date(2025, 10, 14)
        assert r.due == datetime.combine(date(2025, 10, 14), END_OF_DAY, tzinfo=SH)
        assert r.due.tzinfo is SH
        assert not r.provisional and not r.paused
        assert r.total == 7 and r.unit is Unit.WORKING_DAYS

    def test_across_national_day_and_mid_autumn(self):
        # Received Tue 30 Sep 2025: 9 (1), 10 (2), 11 Sat 调休 (3), 13 (4), 14 (5).
        assert wd(at(2025, 9, 30), 5).due_date == date(2025, 10, 14)
        # Received during the holiday: counting starts after it.
        assert wd(at(2025, 10, 3), 1).due_date == date(2025, 10, 9)
        assert wd(at(2025, 10, 3), 3).due_date == date(2025, 10, 11)
        # 15 工作日 立案 decision from Fri 26 Sep 2025.
        # 28 (Sun 调休), 29, 30, 9, 10, 11, 13, 14, 15, 16, 17, 20, 21, 22, 23.
        assert wd(at(2025, 9, 26), 15).due_date == date(2025, 10, 23)

    def test_spring_festival_2026(self):
        # Holiday 15–23 Feb 2026, 调休 Sat 14 Feb and Sat 28 Feb.
        # From Thu 12 Feb: 13 (1), 14 Sat (2), 24 (3), 25 (4), 26 (5), 27 (6), 28 Sat (7).
        assert wd(at(2026, 2, 12), 5).due_date == date(2026, 2, 26)
        assert wd(at(2026, 2, 12), 7).due_date == date(2026, 2, 28)
        assert wd(at(2026, 2, 13), 1).due_date == date(2026, 2, 14)
        assert wd(at(2026, 2, 14), 1).due_date == date(2026, 2, 24)

    def test_new_year_2026(self):
        # 1–3 Jan 2026 holiday, Sun 4 Jan 2026 is a 调休 workday.
        assert wd(at(2025, 12, 31), 1).due_date == date(2026, 1, 4)
        assert wd(at(2025, 12, 31), 2).due_date == date(2026, 1, 5)

    def test_calendar_days_roll_forward_over_holiday(self):
        # 20 Sep + 15 日 = Sun 5 Oct 2025 (holiday) -> next working day Thu 9 Oct.
        r = days(at(2025, 9, 20), 15)
        assert r.due_date == date(2025, 10, 9)
        assert days(at(2025, 9, 20), 15, roll_forward=False).due_date == date(2025, 10, 5)

    def test_calendar_days_ending_on_makeup_saturday_do_not_roll(self):
        # 26 Sep + 15 日 = Sat 11 Oct 2025, a 调休 working day.
        assert days(at(2025, 9, 26), 15).due_date == date(2025, 10, 11)

    def test_calendar_days_plain_weekend_rolls(self):
        # Thu 6 Mar 2025 + 3 日 = Sun 9 Mar -> Mon 10 Mar.
        assert days(at(2025, 3, 6), 3).due_date == date(2025, 3, 10)
        assert days(at(2025, 3, 6), 1).due_date == date(2025, 3, 7)

    def test_calendar_days_spring_festival_2026(self):
        # 30 日 from 17 Jan 2026 = 16 Feb 2026 (春节) -> Tue 24 Feb.
        assert days(at(2026, 1, 17), 30).due_date == date(2026, 2, 24)

    def test_90_days_decision(self):
        # 90 日 (普通程序) +30 extension from 1 Aug 2025: 1 Aug + 120 = 29 Nov (Sat) -> 1 Dec.
        r = days(at(2025, 8, 1), 90, extensions=[30])
        assert r.total == 120
        assert r.due_date == date(2025, 12, 1)

    def test_amount_zero(self):
        assert wd(at(2025, 10, 4), 0).due_date == date(2025, 10, 4)
        assert days(at(2025, 10, 4), 0).due_date == date(2025, 10, 4)
        s = at(2025, 10, 4, 9, 15)
        assert compute_due(s, 0, Unit.HOURS, CAL).due == s

    def test_negative_amount(self):
        with pytest.raises(ValueError, match="不能为负数"):
            wd(at(2025, 3, 3), -1)
        with pytest.raises(ValueError, match="不能为负数"):
            wd(at(2025, 3, 3), 5, extensions=[-1])

    def test_string_unit(self):
        assert compute_due(at(2025, 9, 28), 7, "working_days", CAL).due_date == date(2025, 10, 14)

    def test_extensions(self):
        # 15 工作日 +15 with approval.
        a = wd(at(2025, 3, 3), 15, extensions=[15])
        b = wd(at(2025, 3, 3), 30)
        assert a.due == b.due and a.total == 30

    def test_hours_run_through_holidays(self):
        s = at(2025, 10, 1, 9, 0)
        r = compute_due(s, 24, Unit.HOURS, CAL)
        assert r.due == at(2025, 10, 2, 9, 0)
        assert not r.provisional
        # Hours never consult the calendar, even for unpublished years.
        s2 = at(2099, 5, 1, 9, 0)
        assert compute_due(s2, 24, Unit.HOURS, CAL).due == s2 + timedelta(hours=24)

    def test_hours_with_pause(self):
        s = at(2025, 5, 6, 9, 0)
        p = Pause(at(2025, 5, 6, 12, 0), at(2025, 5, 6, 15, 30), "鉴定")
        r = compute_due(s, 24, Unit.HOURS, CAL, pauses=[p], as_of=at(2025, 5, 6, 18, 0))
        assert r.due == at(2025, 5, 7, 12, 30)
        # 9:00–18:00 minus 3.5h paused = 5.5h used.
        assert r.counted == 5

    def test_pause_working_days(self):
        # 7 工作日 from Mon 3 Mar 2025 -> Wed 12 Mar.  A pause from Wed 5 Mar
        # 10:00 until Fri 7 Mar 09:00 excludes Thu 6 and Fri 7 -> Fri 14 Mar.
        s = at(2025, 3, 3)
        assert wd(s, 7).due_date == date(2025, 3, 12)
        p = Pause(at(2025, 3, 5, 10), at(2025, 3, 7, 9), "检测")
        assert wd(s, 7, pauses=[p]).due_date == date(2025, 3, 14)
        # Same-day pause excludes nothing.
        p0 = Pause(at(2025, 3, 5, 10), at(2025, 3, 5, 16), "听证")
        assert wd(s, 7, pauses=[p0]).due_date == date(2025, 3, 12)

    def test_pause_after_deadline_has_no_effect(self):
        s = at(2025, 3, 3)
        p = Pause(at(2025, 3, 12, 10), at(2025, 3, 20, 9))  # starts on the due day
        assert wd(s, 7, pauses=[p]).due_date == date(2025, 3, 12)

    def test_open_pause(self):
        s = at(2025, 3, 3)
        p = Pause(at(2025, 3, 5, 10), None, "中止")
        r = wd(s, 7, pauses=[p], as_of=at(2025, 3, 7, 11))
        assert r.paused
        assert r.due_date == date(2025, 3, 14)  # as if resumed on 7 Mar
        # Days counted as of 7 Mar: 4 and 5 Mar.
        assert r.counted == 2
        later = wd(s, 7, pauses=[p], as_of=at(2025, 3, 10, 11))
        assert later.due_date == date(2025, 3, 17)

    def test_open_pause_default_as_of_is_now(self):
        s = at(2025, 3, 3)
        r = wd(s, 7, cal=CAL_PROV, pauses=[Pause(at(2025, 3, 5, 10), None)])
        assert r.paused
        assert r.due_date > datetime.now(SH).date()

    def test_pause_in_calendar_days(self):
        # 10 日 from 1 Jul 2025 -> Fri 11 Jul; pause 3 Jul -> 6 Jul excludes 4, 5, 6
        # -> 14 Jul (Mon).
        s = at(2025, 7, 1)
        assert days(s, 10).due_date == date(2025, 7, 11)
        p = Pause(at(2025, 7, 3, 9), at(2025, 7, 6, 9))
        assert days(s, 10, pauses=[p]).due_date == date(2025, 7, 14)

    def test_counted(self):
        s = at(2025, 9, 28)
        assert wd(s, 7, as_of=at(2025, 10, 9, 8)).counted == 3
        assert wd(s, 7, as_of=at(2025, 12, 1)).counted == 7
        assert wd(s, 7, as_of=at(2025, 9, 1)).counted == 0
        assert days(at(2025, 9, 20), 15, as_of=at(2025, 9, 25)).counted == 5

    def test_overdue(self):
        r = wd(at(2025, 9, 28), 7)
        assert not r.is_overdue(at(2025, 10, 14, 23, 59))
        assert r.is_overdue(at(2025, 10, 15, 0, 0))
        assert r.remaining == 7 - r.counted

    def test_aware_pause_in_other_timezone(self):
        # 5 Mar 2025 23:00 UTC is 6 Mar 07:00 in Shanghai.
        utc = ZoneInfo("UTC")
        s = at(2025, 3, 3)
        p = Pause(datetime(2025, 3, 5, 23, 0, tzinfo=utc), at(2025, 3, 7, 9))
        # Stops on 6 Mar local -> excludes only Fri 7 Mar.
        assert wd(s, 7, pauses=[p]).due_date == date(2025, 3, 13)

    def test_mixing_naive_and_aware(self):
        with pytest.raises(ValueError):
            wd(at(2025, 3, 3), 7, pauses=[Pause(datetime(2025, 3, 5), datetime(2025, 3, 6))])

    def test_pause_end_before_start(self):
        with pytest.raises(ValueError):
            Pause(at(2025, 3, 6), at(2025, 3, 5))

    def test_naive_datetimes(self):
        r = wd(datetime(2025, 9, 28, 9), 7)
        assert r.due == datetime(2025, 10, 14, 23, 59, 59)
        assert r.due.tzinfo is None


# First year chinese_calendar does not know (2027 for chinese-calendar 1.11.0);
# derived so that the tests survive an upgrade of the package.
NEXT = max(CAL.published_years) + 1


class TestUnpublished:
    def test_refuse(self):
        assert not CAL.is_published(NEXT)
        with pytest.raises(CalendarNotPublished) as exc:
            wd(at(NEXT - 1, 12, 28), 5)
        assert exc.value.year == NEXT
        assert f"{NEXT}年的节假日安排尚未公布" in str(exc.value)

    def test_provisional(self):
        r = wd(at(NEXT - 1, 12, 28), 5, cal=CAL_PROV)
        assert r.due_date.year == NEXT
        assert r.provisional
        # In the unpublished year only the weekend rule applies.
        assert r.due_date.weekday() < 5
        first = date(NEXT, 1, 1)
        assert count_working_days(first - timedelta(days=1), r.due_date, CAL_PROV) == (
            5 - count_working_days(date(NEXT - 1, 12, 28), date(NEXT - 1, 12, 31), CAL)
        )

    @pytest.mark.skipif(NEXT != 2027, reason="concrete check for chinese-calendar 1.11.0 data")
    def test_provisional_2027(self):
        # 29, 30, 31 Dec 2026, Fri 1 Jan 2027 (weekend rule only), Mon 4 Jan.
        r = wd(at(2026, 12, 28), 5, cal=CAL_PROV)
        assert r.due_date == date(2027, 1, 4)
        assert r.provisional

    def test_inside_published_year_not_provisional(self):
        assert not wd(at(NEXT - 1, 12, 1), 5, cal=CAL_PROV).provisional

    def test_calendar_days_need_schedule_only_for_roll_forward(self):
        # Synthetic: only 2030 published.  1 Dec 2030 + 60 日 = Thu 30 Jan 2031;
        # checking that last day needs 2031, without roll-forward nothing is looked up.
        cal = WorkCalendar({}, {2030}, "refuse")
        s = at(2030, 12, 1)
        with pytest.raises(CalendarNotPublished):
            days(s, 60, cal=cal)
        r = days(s, 60, cal=cal, roll_forward=False)
        assert r.due_date == date(2031, 1, 30) and not r.provisional
        p = days(s, 60, cal=cal.with_policy("provisional"))
        assert p.due_date == date(2031, 1, 30) and p.provisional


# ---------------------------------------------------------------------------
# Property tests
# ---------------------------------------------------------------------------

PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SYN_YEARS = range(2030, 2033)
SYN_LO, SYN_HI = date(2030, 1, 1), date(2032, 12, 31)


@st.composite
def synthetic_calendars(draw):
    """Random override tables over 2030–2032 (all published)."""
    n = draw(st.integers(0, 120))
    offs = draw(st.lists(st.integers(0, (SYN_HI - SYN_LO).days), min_size=n, max_size=n))
    flags = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    overrides = {SYN_LO + timedelta(days=o): f for o, f in zip(offs, flags)}
    return WorkCalendar(overrides, set(SYN_YEARS), "refuse")


# Starts chosen so that even max amount + pauses stay inside published years.
synthetic_starts = st.dates(date(2030, 1, 1), date(2031, 6, 30))
real_starts = st.dates(date(2024, 1, 1), date(2025, 12, 31))


@st.composite
def cal_and_start(draw):
    if draw(st.booleans()):
        cal = CAL
        d = draw(real_starts)
    else:
        cal = draw(synthetic_calendars())
        d = draw(synthetic_starts)
    hh = draw(st.integers(0, 23))
    mm = draw(st.integers(0, 59))
    tz = draw(st.sampled_from([SH, None]))
    return cal, datetime.combine(d, time(hh, mm), tzinfo=tz)


amounts = st.integers(0, 90)


@PROPS
@given(cs=cal_and_start(), n=st.integers(1, 90))
def test_prop_working_days(cs, n):
    cal, s = cs
    r = wd(s, n, cal=cal, as_of=s)
    assert r.due_date > s.date()
    assert cal.is_workday(r.due_date)
    assert count_working_days(s.date(), r.due_date, cal) == n
    # It is the *first* day reaching n.
    assert count_working_days(s.date(), r.due_date - timedelta(days=1), cal) == n - 1
    assert r.due.time() == END_OF_DAY and r.due.tzinfo is s.tzinfo
    assert r.counted == 0 and not r.paused and not r.provisional


@PROPS
@given(cs=cal_and_start(), n=st.integers(1, 90), roll=st.booleans())
def test_prop_calendar_days(cs, n, roll):
    cal, s = cs
    r = days(s, n, cal=cal, roll_forward=roll)
    last = s.date() + timedelta(days=n)
    assert r.due_date > s.date()
    if not roll:
        assert r.due_date == last
    else:
        assert r.due_date >= last
        assert cal.is_workday(r.due_date)
        d = last
        while d < r.due_date:
            assert not cal.is_workday(d)
            d += timedelta(days=1)


@PROPS
@given(
    cs=cal_and_start(),
    a=amounts,
    b=amounts,
    unit=st.sampled_from([Unit.WORKING_DAYS, Unit.DAYS, Unit.HOURS]),
)
def test_prop_monotone(cs, a, b, unit):
    cal, s = cs
    lo, hi = sorted((a, b))
    assert compute_due(s, lo, unit, cal).due <= compute_due(s, hi, unit, cal).due


@PROPS
@given(
    cs=cal_and_start(),
    n=amounts,
    exts=st.lists(st.integers(0, 30), max_size=3),
    unit=st.sampled_from([Unit.WORKING_DAYS, Unit.DAYS, Unit.HOURS]),
)
def test_prop_extensions_add_up(cs, n, exts, unit):
    cal, s = cs
    a = compute_due(s, n, unit, cal, extensions=exts, as_of=FAR.replace(tzinfo=s.tzinfo))
    b = compute_due(s, n + sum(exts), unit, cal, as_of=FAR.replace(tzinfo=s.tzinfo))
    assert a == b


@PROPS
@given(
    cs=cal_and_start(),
    n=st.integers(1, 60),
    off=st.integers(0, 10_000),
    length=st.integers(0, 40),
    h1=st.integers(0, 23),
    h2=st.integers(0, 23),
)
def test_prop_pause_shifts_by_excluded_working_days(cs, n, off, length, h1, h2):
    cal, s = cs
    base = wd(s, n, cal=cal).due_date
    # The clock stops before the period ran out: start <= pause day < base.
    p_start_date = s.date() + timedelta(days=off % (base - s.date()).days)
    p_end_date = p_start_date + timedelta(days=length)
    if length == 0:
        h2 = max(h1, h2)
    pause = Pause(
        datetime.combine(p_start_date, time(h1), tzinfo=s.tzinfo),
        datetime.combine(p_end_date, time(h2), tzinfo=s.tzinfo),
        "鉴定",
    )
    k = count_working_days(p_start_date, p_end_date, cal)
    shifted = wd(s, n, cal=cal, pauses=[pause])
    assert shifted.due_date == wd(s, n + k, cal=cal).due_date
    assert count_working_days(base, shifted.due_date, cal) == k


@PROPS
@given(
    cs=cal_and_start(),
    n=st.integers(0, 60),
    off=st.integers(0, 60),
    length=st.integers(0, 400),  # hours
    inner=st.tuples(st.integers(0, 400), st.integers(0, 400)),
    unit=st.sampled_from([Unit.WORKING_DAYS, Unit.DAYS, Unit.HOURS]),
)
def test_prop_overlapping_pauses_not_double_counted(cs, n, off, length, inner, unit):
    cal, s = cs
    p_start = s + timedelta(hours=off)
    outer = Pause(p_start, p_start + timedelta(hours=length), "中止")
    i0, i1 = sorted(x % (length + 1) for x in inner)
    sub = Pause(p_start + timedelta(hours=i0), p_start + timedelta(hours=i1), "鉴定")
    one = compute_due(s, n, unit, cal, pauses=[outer])
    assert compute_due(s, n, unit, cal, pauses=[outer, outer]) == one
    assert compute_due(s, n, unit, cal, pauses=[sub, outer, sub]) == one


@PROPS
@given(
    cs=cal_and_start(),
    n=st.integers(1, 60),
    a=st.integers(0, 200),
    b=st.integers(1, 200),
    c=st.integers(0, 200),
    d=st.integers(1, 200),
)
def test_prop_split_pause_equals_union(cs, n, a, b, c, d):
    """Two overlapping pauses equal one pause over their union."""
    cal, s = cs
    p1 = Pause(s + timedelta(hours=a), s + timedelta(hours=a + b))
    lo2 = a + (c % (b + 1))  # starts inside p1
    p2 = Pause(s + timedelta(hours=lo2), s + timedelta(hours=lo2 + d))
    union = Pause(p1.start, max(p1.end, p2.end))
    for unit in (Unit.WORKING_DAYS, Unit.DAYS, Unit.HOURS):
        assert compute_due(s, n, unit, cal, pauses=[p1, p2]) == compute_due(
            s, n, unit, cal, pauses=[union]
        )


@PROPS
@given(
    cs=cal_and_start(),
    n=st.integers(0, 24 * 30),
    pauses=st.lists(
        st.tuples(st.integers(0, 2000), st.integers(0, 600)), max_size=4
    ),
)
def test_prop_hours_exact(cs, n, pauses):
    cal, s = cs
    assert compute_due(s, n, Unit.HOURS, cal).due == s + timedelta(hours=n)
    # Disjoint pauses (in minutes): each one that starts before the
    # (shifting) deadline adds exactly its duration.
    ps = []
    t = s
    for gap, dur in pauses:
        b = t + timedelta(minutes=gap)
        e = b + timedelta(minutes=dur)
        ps.append(Pause(b, e))
        t = e
    expected = s + timedelta(hours=n)
    for p in ps:
        if p.start < expected:
            expected += p.end - p.start
    assert compute_due(s, n, Unit.HOURS, cal, pauses=ps).due == expected


@PROPS
@given(
    d=st.dates(date(2030, 1, 1), date(2030, 12, 31)),
    n=st.integers(1, 90),
    unit=st.sampled_from([Unit.WORKING_DAYS, Unit.DAYS]),
)
def test_prop_unpublished_policy(d, n, unit):
    s = datetime.combine(d, time(9), tzinfo=SH)
    refuse = WorkCalendar({}, {2030}, "refuse")
    prov = WorkCalendar({}, {2030}, "provisional")
    r = compute_due(s, n, unit, prov)
    if r.due_date.year > 2030:
        assert r.provisional
        with pytest.raises(CalendarNotPublished) as exc:
            compute_due(s, n, unit, refuse)
        assert exc.value.year == 2031
    else:
        assert not r.provisional
        assert compute_due(s, n, unit, refuse) == r


@PROPS
@given(cs=cal_and_start(), n=st.integers(1, 60), days_after=st.integers(0, 150))
def test_prop_counted(cs, n, days_after):
    cal, s = cs
    as_of = s + timedelta(days=days_after)
    r = wd(s, n, cal=cal, as_of=as_of)
    expected = min(n, count_working_days(s.date(), min(as_of.date(), r.due_date), cal))
    assert r.counted == expected
    assert isinstance(r, DueResult)
