"""Build the engine's WorkCalendar from the admin-maintained tables (cached per change)."""
from __future__ import annotations

from ipcity.core.rules import declare
from ipcity.workdays.engine import WorkCalendar

UNPUBLISHED_YEAR_POLICY = declare(
    "workdays.unpublished_year_policy", "provisional",
    "期限跨越放假安排尚未公布的年份时：provisional 按双休日暂算并标注“暂定”；refuse 拒绝计算",
    choices=("provisional", "refuse"),
)


def current_calendar() -> WorkCalendar:
    from ipcity.workdays.models import CalendarDay, CalendarYear

    overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
    published = set(CalendarYear.objects.filter(published=True).values_list("year", flat=True))
    return WorkCalendar(overrides=overrides, published_years=published,
                        unpublished_policy=UNPUBLISHED_YEAR_POLICY.get())


def chinese_calendar_names() -> dict:
    """date → Chinese name of the holiday (or of the holiday a make-up workday belongs to, with 调休)."""
    from chinese_calendar import constants

    zh = {h.value: h.chinese for h in constants.Holiday}
    names = {d: zh.get(n, str(n)) for d, n in constants.holidays.items()}
    names.update({d: zh.get(n, str(n)) + "调休" for d, n in constants.workdays.items()})
    return names
