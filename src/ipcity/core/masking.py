"""Server-side masking of personal data for display (GB/T 35273 §7.2; pure, no Django).

ipcity's patterns (domain reference §7):

* ID number — keep the first 3 and the last 2 characters, length preserved;
* phone — keep the first 3 and the last 4 characters, length preserved;
* name — keep the surname (one character, or two for a compound surname such as
  欧阳 when the name has at least three characters), one ``*`` per other character;
* address — keep the text up to the district / county level, then ``****``.

Short values never reveal more than the rule intends: when a value is too short to
keep both ends *and* still hide at least :data:`MIN_HIDDEN` characters, everything but
the first character is masked, and a one-character value is masked completely.
``None`` and ``""`` are returned unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final, TypeVar

__all__ = [
    "COMPOUND_SURNAMES",
    "MASK_CHAR",
    "MASK_KINDS",
    "MIN_HIDDEN",
    "mask_address",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "mask_value",
]

MASK_CHAR: Final = "*"
ADDRESS_TAIL: Final = "****"
ADDRESS_FALLBACK_KEEP: Final = 6
# Keeping both ends only makes sense when enough stays hidden in the middle: an
# 8-digit landline shown as "123*5678" is as good as unmasked. 11-digit mobiles
# (138****5678) hide exactly 4, so 4 is the floor for id numbers and phones.
MIN_HIDDEN: Final = 4

COMPOUND_SURNAMES: Final = frozenset(
    {
        # the common ones
        "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容",
        "长孙", "宇文", "司徒", "令狐", "夏侯", "端木",
        # rarer, but unambiguous (the first character is not itself a common surname)
        "司空", "西门", "南宫", "独孤", "轩辕", "呼延", "万俟", "申屠", "澹台",
        "公冶", "太叔", "濮阳", "赫连", "拓跋", "闻人", "百里", "东郭", "第五",
    }
)

S = TypeVar("S", str, None)


def _mask_all_but_first(v: str) -> str:
    if len(v) <= 1:
        return MASK_CHAR * len(v)
    return v[0] + MASK_CHAR * (len(v) - 1)


def _keep_ends(v: str, first: int, last: int) -> str:
    n = len(v)
    if n < first + last + MIN_HIDDEN:
        return _mask_all_but_first(v)
    return v[:first] + MASK_CHAR * (n - first - last) + v[n - last :]


def mask_id_number(v: S) -> S:
    """``"11010519491231002X"`` → ``"110*************2X"`` (length preserved)."""
    if not v:
        return v
    return _keep_ends(str(v), 3, 2)


def mask_phone(v: S) -> S:
    """``"13812345678"`` → ``"138****5678"`` (length preserved)."""
    if not v:
        return v
    return _keep_ends(str(v), 3, 4)


def mask_name(v: S) -> S:
    """``"张三丰"`` → ``"张**"``, ``"欧阳修"`` → ``"欧阳*"``, ``"张"`` → ``"*"`` (length preserved).

    A two-character name starting with a compound surname (``"欧阳"``) is read as
    surname + given name, so only the first character is kept.
    """
    if not v:
        return v
    v = str(v)
    n = len(v)
    if n == 1:
        return MASK_CHAR
    keep = 2 if n >= 3 and v[:2] in COMPOUND_SURNAMES else 1
    return v[:keep] + MASK_CHAR * (n - keep)


# -- addresses ------------------------------------------------------------------
#
# Administrative levels: province (省 / 自治区 / 特别行政区 / the four municipalities),
# prefecture (市 / 自治州 / 地区 / 盟), county (区 / 县 / 市 / 旗, incl. 自治县 / 自治旗).
# Each level is optional and must follow the previous one directly, so a 区 or 市 deep
# in the street part ("…幸福小区", "…路市场") is never taken for a district. Name
# characters exclude the level suffixes, digits, whitespace and, after the first
# character, markers of lower levels (镇 街 村 路 号 …); names that need them in
# first position (镇江市, 道县, 路南区) still match. 小区 / 社区 / 校区 / 景区 / 厂区 are
# never districts.

_FIRST = r"[^\s\d省市区县,，。;；:：()（）]"
_REST = r"[^\s\d省市区县镇街村路道巷弄号楼栋室,，。;；:：()（）]"

_ADDRESS_RE = re.compile(
    rf"""
    \s*
    (?P<province>
        (?:北京|天津|上海|重庆)市?
      | {_FIRST}{_REST}{{1,2}}省
      | {_FIRST}{_REST}{{1,4}}?自治区
      | {_FIRST}{_REST}{{1,3}}?特别行政区
    )?
    \s*
    (?P<prefecture>
        {_FIRST}{_REST}{{0,3}}?(?:市|地区|盟)
      | {_FIRST}{_REST}{{1,9}}?自治州
    )?
    \s*
    (?P<county>
        {_FIRST}{_REST}{{0,5}}?(?:(?<![小社校景厂])区|县|市|旗)
      | {_FIRST}{_REST}{{1,15}}?自治[县旗]
    )?
    """,
    re.VERBOSE,
)


def _address_prefix(v: str) -> str | None:
    m = _ADDRESS_RE.match(v)
    if m is None or not any(m.group(g) for g in ("province", "prefecture", "county")):
        return None
    return v[: m.end()].rstrip()


def mask_address(v: S) -> S:
    """``"北京市海淀区中关村大街27号"`` → ``"北京市海淀区****"``.

    Keeps the province / prefecture / county part that the address starts with. If
    none is recognised, keeps the first 6 characters — but never more than half of a
    short address.
    """
    if not v:
        return v
    v = str(v)
    prefix = _address_prefix(v)
    if prefix is None:
        keep = min(ADDRESS_FALLBACK_KEEP, len(v) // 2)
        prefix = v[:keep]
    return prefix + ADDRESS_TAIL


def _mask_other(v: str) -> str:
    return _mask_all_but_first(v)


MASK_KINDS: Final[dict[str, Callable[[str], str]]] = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "name": mask_name,
    "address": mask_address,
}


def mask_value(kind: str, v: S) -> S:
    """Mask ``v`` by ``kind`` (see :data:`MASK_KINDS`); unknown kinds keep only the first character."""
    if v is None or v == "":
        return v
    func = MASK_KINDS.get(kind, _mask_other)
    return func(str(v))
