"""Reporting periods: "2025" (year), "2025H1", "2025Q3", "2025-07"; their ends, and the periods of a cadence."""
from __future__ import annotations

import calendar
import datetime as dt
import re

from django.core.exceptions import ValidationError

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:(?P<half>H[12])|(?P<quarter>Q[1-4])|-(?P<month>0[1-9]|1[0-2]))?$")


def validate(period: str) -> str:
    if not _PATTERN.match(period or ""):
        raise ValidationError({"period": f"报送期格式错误：{period!r}（应为 2025、2025H1、2025Q3 或 2025-07）"})
    return period


def bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period."""
    m = _PATTERN.match(validate(period))
    year = int(m["year"])
    if m["half"]:
        first_month = 1 if m["half"] == "H1" else 7
        months = 6
    elif m["quarter"]:
        first_month = 3 * (int(m["quarter"][1]) - 1) + 1
        months = 3
    elif m["month"]:
        first_month, months = int(m["month"]), 1
    else:
        first_month, months = 1, 12
    last_month = first_month + months - 1
    return dt.date(year, first_month, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1])


def label(period: str) -> str:
    m = _PATTERN.match(validate(period))
    year = m["year"]
    if m["half"]:
        return f"{year}年{'上' if m['half'] == 'H1' else '下'}半年"
    if m["quarter"]:
        return f"{year}年第{'一二三四'[int(m['quarter'][1]) - 1]}季度"
    if m["month"]:
        return f"{year}年{int(m['month'])}月"
    return f"{year}年"


def periods_for(cadence: str, start: dt.date, end: dt.date) -> list[str]:
    """The periods of a cadence that end within [start, end] (the ones a unit must have reported on)."""
    result = []
    for year in range(start.year, end.year + 1):
        if cadence == "monthly":
            candidates = [f"{year}-{m:02d}" for m in range(1, 13)]
        elif cadence == "quarterly":
            candidates = [f"{year}Q{q}" for q in range(1, 5)]
        elif cadence == "half_yearly":
            candidates = [f"{year}H1", f"{year}H2"]
        else:
            candidates = [str(year)]
        result += [p for p in candidates if start <= bounds(p)[1] <= end]
    return result


def current(cadence: str, today: dt.date) -> str:
    if cadence == "monthly":
        return f"{today.year}-{today.month:02d}"
    if cadence == "quarterly":
        return f"{today.year}Q{(today.month - 1) // 3 + 1}"
    if cadence == "half_yearly":
        return f"{today.year}H{1 if today.month <= 6 else 2}"
    return str(today.year)
