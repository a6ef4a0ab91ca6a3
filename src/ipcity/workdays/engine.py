"""Working-day calendar and legal deadline engine (pure Python, no Django).

Chinese administrative deadlines are written either in 工作日 (working days),
in 日 (calendar days) or in 小时 (hours); the unit is stored with every rule
(domain reference §4).  Working days depend on the State Council's yearly
holiday schedule (放假安排) including make-up workdays (调休), which is only
known for years that have been published.  :class:`WorkCalendar` carries that
schedule as a table of overrides on top of the weekend rule, and
:func:`compute_due` applies the counting rules described in its docstring.

Everything here is deterministic and side-effect free; the Django layer builds
a :class:`WorkCalendar` from its admin-maintained table and calls
:func:`compute_due` / :func:`count_working_days`.

Dates of ``datetime`` arguments are taken in the tzinfo of ``start`` (aware
datetimes of pauses / ``as_of`` are converted to it), so callers should pass
``start`` in local time (Asia/Shanghai), e.g. ``timezone.localtime(received)``.
Naive and aware datetimes must not be mixed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import Enum
from types import MappingProxyType

__all__ = [
    "CalendarNotPublished",
    "DueResult",
    "Pause",
    "Unit",
    "WorkCalendar",
    "compute_due",
    "count_working_days",
    "END_OF_DAY",
    "POLICY_REFUSE",
    "POLICY_PROVISIONAL",
]

POLICY_REFUSE = "refuse"
POLICY_PROVISIONAL = "provisional"
_POLICIES = (POLICY_REFUSE, POLICY_PROVISIONAL)

#: Wall-clock time of a day-unit deadline: the whole due day is available.
END_OF_DAY = time(23, 59, 59)

_ONE_DAY = timedelta(days=1)


class CalendarNotPublished(Exception):
    """A working-day computation needs a year whose holiday schedule is unknown."""

    def __init__(self, year: int):
        super().__init__(year)
        self.year = year

    def __str__(self) -> str:
        return f"{self.year}年的节假日安排尚未公布，无法按工作日计算期限"


class Unit(str, Enum):
    """Unit of a legal time limit."""

    WORKING_DAYS = "working_days"
    DAYS = "days"
    HOURS = "hours"

    @property
    def label(self) -> str:
        return _UNIT_LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """``[(value, 中文标签), ...]`` — usable as Django field choices."""
        return [(u.value, u.label) for u in cls]

    def __str__(self) -> str:  # pragma: no cover - cosmetic
        return self.value


_UNIT_LABELS = {Unit.WORKING_DAYS: "工作日", Unit.DAYS: "日", Unit.HOURS: "小时"}


class _Marks:
    """Collects side information (provisional) while a computation runs."""

    __slots__ = ("provisional",)

    def __init__(self) -> None:
        self.provisional = False


class WorkCalendar:
    """Weekend rule plus an override table, with a policy for unknown years.

    ``overrides[d] is True``  -> ``d`` is a working day even on a weekend (调休上班);
    ``overrides[d] is False`` -> ``d`` is a rest day even on a weekday (法定节假日).

    ``published_years`` are the years whose official schedule is known.  When
    a computation needs to know whether a day of any other year is a working
    day, ``unpublished_policy`` decides:

    * ``"refuse"`` — raise :class:`CalendarNotPublished` (the deadline cannot
      be stated yet);
    * ``"provisional"`` — use the weekend rule (plus any overrides already
      entered for that year) and mark the result provisional (暂定).

    Instances are immutable after construction; lookups are O(1).
    """

    __slots__ = ("_overrides", "_published", "_policy")

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        published_years: Iterable[int] = (),
        unpublished_policy: str = POLICY_REFUSE,
    ):
        if unpublished_policy not in _POLICIES:
            raise ValueError(
                f"未知的未公布年度处理方式：{unpublished_policy!r}（应为 refuse 或 provisional）"
            )
        table: dict[date, bool] = {}
        for d, working in (overrides or {}).items():
            if isinstance(d, datetime) or not isinstance(d, date):
                raise TypeError(f"调休/节假日表的键必须是 date：{d!r}")
            table[d] = bool(working)
        self._overrides = MappingProxyType(table)
        self._published = frozenset(int(y) for y in published_years)
        self._policy = unpublished_policy

    # -- construction -------------------------------------------------------

    @classmethod
    def from_chinese_calendar(cls, unpublished_policy: str = POLICY_REFUSE) -> WorkCalendar:
        """Calendar from the ``chinese_calendar`` package's published schedules.

        Holidays become ``False`` overrides, make-up workdays ``True``;
        published years are the years that occur in either table.
        """
        overrides, years = _chinese_calendar_table()
        return cls(overrides, years, unpublished_policy)

    def with_policy(self, unpublished_policy: str) -> WorkCalendar:
        """The same table with another policy for unpublished years."""
        return WorkCalendar(self._overrides, self._published, unpublished_policy)

    # -- queries ------------------------------------------------------------

    @property
    def overrides(self) -> Mapping[date, bool]:
        return self._overrides

    @property
    def published_years(self) -> frozenset[int]:
        return self._published

    @property
    def unpublished_policy(self) -> str:
        return self._policy

    def is_published(self, year: int) -> bool:
        return year in self._published

    def is_workday(self, d: date) -> bool:
        """Whether ``d`` is a working day.

        Applies the unpublished-year policy: raises :class:`CalendarNotPublished`
        under ``"refuse"``; under ``"provisional"`` answers by the weekend rule
        (check :meth:`is_published` to know whether the answer is provisional).
        """
        return self._workday(_as_date(d), _Marks())

    def _workday(self, d: date, marks: _Marks) -> bool:
        if d.year not in self._published:
            if self._policy == POLICY_REFUSE:
                raise CalendarNotPublished(d.year)
            marks.provisional = True
        override = self._overrides.get(d)
        if override is None:
            return d.weekday() < 5
        return override

    def __repr__(self) -> str:
        years = sorted(self._published)
        span = f"{years[0]}–{years[-1]}" if years else "none"
        return (
            f"<WorkCalendar overrides={len(self._overrides)} published={span} "
            f"policy={self._policy}>"
        )


@functools.cache
def _chinese_calendar_table() -> tuple[dict[date, bool], frozenset[int]]:
    from chinese_calendar import constants  # imported lazily: optional at import time

    overrides: dict[date, bool] = {d: False for d in constants.holidays}
    overrides.update({d: True for d in constants.workdays})
    years = frozenset(d.year for d in overrides)
    return overrides, years


@dataclass(frozen=True)
class Pause:
    """A period in which the clock stops (中止、鉴定、检测、听证、公告 …).

    ``end is None`` means the pause is still open.
    """

    start: datetime
    end: datetime | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if self.end is not None and _cmp_key(self.end) < _cmp_key(self.start):
            raise ValueError("中止/暂停的结束时间不能早于开始时间")


@dataclass(frozen=True)
class DueResult:
    """Outcome of :func:`compute_due`.

    ``due``         — the deadline instant.  Day units: 23:59:59 of the due
                      date in ``start``'s timezone; hours: the exact instant.
    ``provisional`` — some day of an unpublished year was judged by the weekend
                      rule (policy ``"provisional"``): show as 暂定.
    ``paused``      — an open pause exists; ``due`` was computed as if it ended
                      at ``as_of``, so it moves later while the pause lasts.
    ``counted``     — units already used up as of ``as_of`` (0 … ``total``).
    ``total``       — amount plus all extensions.
    ``unit``        — the unit of ``total`` / ``counted``.
    """

    due: datetime
    provisional: bool
    paused: bool
    counted: int
    total: int
    unit: Unit

    @property
    def due_date(self) -> date:
        return self.due.date()

    @property
    def remaining(self) -> int:
        """Units not yet used up as of ``as_of``."""
        return self.total - self.counted

    def is_overdue(self, at: datetime) -> bool:
        return _cmp_key(at) > _cmp_key(self.due)


# -- public functions ----------------------------------------------------------


def count_working_days(after: date, through: date, calendar: WorkCalendar) -> int:
    """Working days ``d`` with ``after < d <= through`` (0 if ``through <= after``).

    Applies the calendar's unpublished-year policy (raises under ``"refuse"``).
    """
    after, through = _as_date(after), _as_date(through)
    marks = _Marks()
    n = 0
    d = after + _ONE_DAY
    while d <= through:
        if calendar._workday(d, marks):
            n += 1
        d += _ONE_DAY
    return n


def compute_due(
    start: datetime,
    amount: int,
    unit: Unit | str,
    calendar: WorkCalendar,
    pauses: Sequence[Pause] = (),
    extensions: Sequence[int] = (),
    roll_forward: bool = True,
    as_of: datetime | None = None,
) -> DueResult:
    """Deadline of a time limit of ``amount`` ``unit`` starting at ``start``.

    Rules (and why):

    * **The start day is not counted** (期间开始的时和日不计算在期间内 —
      民事诉讼法/行政处罚法 conventions; the receipt day is only partly
      available).  Counting begins on the next day.
    * **工作日**: the due date is the N-th working day after the start date
      (N = amount + extensions); weekends, holidays and make-up workdays come
      from ``calendar``.  The due date is therefore always a working day.
    * **日**: the due date is start date + N days.  If ``roll_forward`` and
      that day is a rest day (weekend or holiday per the calendar; a 调休
      Saturday is a working day), the period ends on the next working day
      (期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期).
      Only the last day (and the roll-forward days) consult the calendar, so
      without ``roll_forward`` no schedule is needed.
    * **Day units end at 23:59:59** of the due date (the whole day is
      available), in the timezone of ``start``.
    * **小时**: exact — ``start + N hours`` plus the paused time after
      ``start``; no roll-forward, no calendar (24-hour limits run through
      holidays).
    * **Amount 0** (after extensions): due at the end of the start day for
      day units (no roll-forward — nothing is counted), ``start`` itself for
      hours.
    * **Negative** amounts or extensions raise :class:`ValueError`.
    * **Extensions** (批准延长): each adds its amount, in the same unit, to
      the total; approval of e.g. ``15 工作日 +15`` is ``amount=15,
      extensions=[15]``.
    * **Pauses** (中止、鉴定、检测、听证、公告 — time excluded by law):
      for day units a day ``d`` is not counted when
      ``pause.start.date() < d <= resume.date()``: the day the clock stops
      was partly worked and counts; the day it restarts is treated like a
      new start day and does not count.  Days excluded by a pause are also
      skipped when rolling forward.  For hours the paused duration is added.
      Pause intervals are merged first, so overlapping or duplicated pauses
      are never counted twice; a pause that begins after the deadline has no
      effect.
    * **Open pauses** (``end is None``) are treated as ending at ``as_of``
      (default: now in ``start``'s timezone); the result has ``paused=True``
      and its ``due`` is the earliest possible deadline, which moves later
      for as long as the pause stays open.
    * **Unpublished years**: any day whose working-day status is needed and
      whose year is not published raises :class:`CalendarNotPublished`
      (policy ``"refuse"``) or marks the result ``provisional``.

    ``counted`` in the result is the number of units used up between
    ``start`` and ``as_of`` (capped at the total; whole hours for HOURS).
    """
    unit = Unit(unit)
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("期限数量必须是整数")
    if amount < 0:
        raise ValueError(f"期限数量不能为负数：{amount}")
    for ext in extensions:
        if isinstance(ext, bool) or not isinstance(ext, int):
            raise TypeError("延长期限必须是整数")
        if ext < 0:
            raise ValueError(f"延长期限不能为负数：{ext}")
    total = amount + sum(extensions)

    tz = start.tzinfo
    if as_of is None:
        as_of = datetime.now(tz) if tz is not None else datetime.now()
    as_of = _align(as_of, start)
    paused = any(p.end is None for p in pauses)
    # (begin, resume) instants of every pause, open ones ending at as_of.
    spans = []
    for p in pauses:
        p_start = _align(p.start, start)
        p_end = _align(p.end, start) if p.end is not None else max(as_of, p_start)
        spans.append((p_start, p_end))

    if unit is Unit.HOURS:
        return _hours_due(start, total, spans, as_of, paused)

    excluded = _merge_day_spans((b.date(), e.date()) for b, e in spans)
    marks = _Marks()
    start_date = start.date()
    as_of_date = as_of.date()
    skip = _Excluder(excluded)
    d = start_date
    n = 0
    counted = 0
    while n < total:
        d += _ONE_DAY
        if skip(d):
            continue
        if unit is Unit.WORKING_DAYS and not calendar._workday(d, marks):
            continue
        n += 1
        if d <= as_of_date:
            counted = n
    if unit is Unit.DAYS and roll_forward and total > 0:
        while skip(d) or not calendar._workday(d, marks):
            d += _ONE_DAY
    due = datetime.combine(d, END_OF_DAY, tzinfo=tz)
    return DueResult(
        due=due,
        provisional=marks.provisional,
        paused=paused,
        counted=counted,
        total=total,
        unit=unit,
    )


# -- internals -----------------------------------------------------------------


def _as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


def _cmp_key(dt: datetime) -> datetime:
    return dt.astimezone(timezone.utc) if dt.tzinfo is not None else dt


def _align(dt: datetime, ref: datetime) -> datetime:
    """``dt`` expressed in ``ref``'s timezone (naive/aware must match)."""
    if (dt.tzinfo is None) != (ref.tzinfo is None):
        raise ValueError("时间不能混用带时区与不带时区的 datetime")
    if dt.tzinfo is not None and dt.tzinfo is not ref.tzinfo:
        return dt.astimezone(ref.tzinfo)
    return dt


def _merge_day_spans(spans: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Union of half-open day ranges ``(lo, hi]``, sorted, non-overlapping."""
    merged: list[tuple[date, date]] = []
    for lo, hi in sorted(s for s in spans if s[1] > s[0]):
        if merged and lo <= merged[-1][1]:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


class _Excluder:
    """Membership in merged ``(lo, hi]`` ranges for non-decreasing queries."""

    __slots__ = ("_spans", "_i")

    def __init__(self, spans: list[tuple[date, date]]):
        self._spans = spans
        self._i = 0

    def __call__(self, d: date) -> bool:
        spans = self._spans
        while self._i < len(spans) and spans[self._i][1] < d:
            self._i += 1
        return self._i < len(spans) and spans[self._i][0] < d


def _hours_due(
    start: datetime,
    total: int,
    spans: list[tuple[datetime, datetime]],
    as_of: datetime,
    paused: bool,
) -> DueResult:
    # Work in UTC so that arithmetic is exact across any DST change.
    t0 = _cmp_key(start)
    now = _cmp_key(as_of)
    intervals: list[list[datetime]] = []
    for b, e in sorted((max(_cmp_key(b), t0), _cmp_key(e)) for b, e in spans):
        if e <= b:
            continue
        if intervals and b <= intervals[-1][1]:
            intervals[-1][1] = max(intervals[-1][1], e)
        else:
            intervals.append([b, e])

    remaining = timedelta(hours=total)
    t = t0
    for b, e in intervals:
        if b - t >= remaining:
            break
        remaining -= b - t
        t = e
    due_utc = t + remaining

    # Running (non-paused) time between start and min(as_of, due).
    limit = min(now, due_utc)
    running = max(limit - t0, timedelta(0))
    for b, e in intervals:
        lo, hi = max(b, t0), min(e, limit)
        if hi > lo:
            running -= hi - lo
    counted = min(total, max(0, int(running // timedelta(hours=1))))

    due = due_utc.astimezone(start.tzinfo) if start.tzinfo is not None else due_utc
    return DueResult(
        due=due,
        provisional=False,
        paused=paused,
        counted=counted,
        total=total,
        unit=Unit.HOURS,
    )
