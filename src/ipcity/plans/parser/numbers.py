"""Chinese and Arabic numerals, dates, year ranges and five-year-plan periods."""

from __future__ import annotations

import datetime as _dt
import re

import cn2an

_DIGIT = {"〇": 0, "○": 0, "零": 0, "O": 0, "o": 0, "Ｏ": 0, "0": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
          "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DIGIT.update({str(i): i for i in range(10)})
CN_DIGITS = "〇○零OoＯ一二三四五六七八九"
CN_NUMERAL = "〇○零一二两三四五六七八九十百千"


def cn_int(text: str) -> int | None:
    """``"二十三"`` → 23, ``"一百零五"`` → 105, ``"17"`` → 17, ``"二〇二二"`` → 2022; None when not a numeral."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit() and text.isascii():
        return int(text)
    if all(ch in _DIGIT for ch in text) and len(text) > 1:  # digit by digit: 二〇二二
        return int("".join(str(_DIGIT[ch]) for ch in text))
    total, section, current = 0, 0, None
    for ch in text:
        if ch in _DIGIT:
            current = _DIGIT[ch]
        elif ch in "十百千":
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            section += (1 if current is None else current) * unit
            current = None
        elif ch == "万":
            total += (section + (current or 0)) * 10000
            section, current = 0, None
        else:
            return None
    return total + section + (current or 0)


def to_number(text: str) -> float | None:
    """An Arabic or Chinese quantity (``"3.9"``, ``"1,200"``, ``"两"``, ``"三十"``) as a float."""
    text = text.replace(",", "").replace("，", "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        pass
    value = cn_int(text)
    if value is not None:
        return float(value)
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError, IndexError):
        return None


# --------------------------------------------------------------------------- dates

_SP = r"[ \t]*"
DATE_AR = re.compile(rf"(?<!\d)((?:19|20)\d\d){_SP}年{_SP}(\d{{1,2}}){_SP}月{_SP}(\d{{1,2}}){_SP}日")
DATE_ISO = re.compile(r"(?<![\d.\-/])((?:19|20)\d\d)([-/.])(\d{1,2})\2(\d{1,2})(?![\d.\-/])")
DATE_CN = re.compile(rf"([{CN_DIGITS}]{{4}}){_SP}年{_SP}([一二三四五六七八九十]{{1,3}}){_SP}月{_SP}([一二三四五六七八九十]{{1,3}}){_SP}日")


def _iso(year, month, day) -> str | None:
    try:
        return _dt.date(int(year), int(month), int(day)).isoformat()
    except (TypeError, ValueError):
        return None


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Every valid date in ``text`` as (start, end, "YYYY-MM-DD"), in order."""
    found = []
    for m in DATE_AR.finditer(text):
        found.append((m.start(), m.end(), _iso(m[1], m[2], m[3])))
    for m in DATE_ISO.finditer(text):
        found.append((m.start(), m.end(), _iso(m[1], m[3], m[4])))
    for m in DATE_CN.finditer(text):
        found.append((m.start(), m.end(), _iso(cn_int(m[1]), cn_int(m[2]), cn_int(m[3]))))
    return sorted((s, e, iso) for s, e, iso in found if iso)


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as "YYYY-MM-DD" (Arabic, ISO or Chinese numerals with 〇/O)."""
    dates = find_dates(text)
    return dates[0][2] if dates else None


def is_date_line(text: str) -> str | None:
    """The date when the whole line is one date (a signature or 成文日期 line)."""
    text = text.strip()
    dates = find_dates(text)
    if len(dates) == 1 and dates[0][0] == 0 and dates[0][1] == len(text):
        return dates[0][2]
    return None


_DEADLINE = re.compile(
    r"((?:19|20)\d\d)\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?)?\s*(底|末|年底|年末|上半年|前)?"
)


def period_end(year: int, month: int | None = None, day: int | None = None, qualifier: str = "") -> str | None:
    """Last day of a year / month, or the given day: 2024年底 → 2024-12-31, 2025年6月底 → 2025-06-30."""
    if qualifier == "上半年":
        return f"{year:04d}-06-30"
    if month is None:
        return _iso(year, 12, 31)
    if day is None:
        nxt = _dt.date(year + (month == 12), month % 12 + 1, 1) if 1 <= month <= 12 else None
        return (nxt - _dt.timedelta(days=1)).isoformat() if nxt else None
    return _iso(year, month, day)


# --------------------------------------------------------------------------- years and ranges

YEAR = r"(?:19|20)\d\d"
_DASH = r"(?:[—–\-－~～〜―‒⁓]+|至|到)"
RANGE = re.compile(rf"(?<!\d)({YEAR})\s*年?\s*{_DASH}\s*({YEAR})\s*年(?!\d)|(?<!\d)({YEAR})\s*年?\s*{_DASH}\s*({YEAR})(?!\d)")
LOST_DASH = re.compile(rf"(?<!\d)({YEAR})({YEAR})\s*年")
CN_RANGE = re.compile(rf"([{CN_DIGITS}]{{4}})\s*年?\s*{_DASH}\s*([{CN_DIGITS}]{{4}})\s*年")
FIVE_YEAR = re.compile(r"(?<![〇○零一二两三四五六七八九十百千])十([一二三四五六七八九])五(?![〇○零一二三四五六七八九十])")


def _plausible(start: int, end: int) -> bool:
    return 1949 <= start < end <= 2100 and end - start <= 30


def find_year_ranges(text: str) -> list[tuple[int, int, int, int]]:
    """Every year range as (pos, endpos, start, end): 2022—2025年, 2022-2025, 2022至2025年, 20222025年, 二〇二二—二〇二五年."""
    out = []
    for m in RANGE.finditer(text):
        a, b = (int(m[1]), int(m[2])) if m[1] else (int(m[3]), int(m[4]))
        if _plausible(a, b):
            out.append((m.start(), m.end(), a, b))
    for m in LOST_DASH.finditer(text):
        a, b = int(m[1]), int(m[2])
        if _plausible(a, b):
            out.append((m.start(), m.end(), a, b))
    for m in CN_RANGE.finditer(text):
        a, b = cn_int(m[1]), cn_int(m[2])
        if a and b and _plausible(a, b):
            out.append((m.start(), m.end(), a, b))
    return sorted(out)


def parse_year_range(text: str) -> tuple[int, int] | None:
    ranges = find_year_ranges(text)
    return (ranges[0][2], ranges[0][3]) if ranges else None


def five_year_plan(text: str) -> tuple[int, int] | None:
    """“十四五” → (2021, 2025): the n-th plan (n ≥ 3) starts in 1966 + 5·(n − 3)."""
    m = FIVE_YEAR.search(text)
    if not m:
        return None
    n = 10 + cn_int(m[1])
    start = 1966 + 5 * (n - 3)
    return start, start + 4
