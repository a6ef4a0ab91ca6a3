"""Matching responsible-unit names as written in a plan ("市公安局", "各县区政府", "市市场监管局") to organisations."""
from __future__ import annotations

import re
import unicodedata

from ipcity.orgs.models import Organisation

_SPACES = re.compile(r"\s+")
# Common abbreviations in plan documents → the words in formal names.
_ALIASES = {"市场监管局": "市场监督管理局", "发改委": "发展和改革委员会", "工信局": "工业和信息化局",
            "人社局": "人力资源和社会保障局", "文旅局": "文化和旅游局", "中院": "中级人民法院", "检察院": "人民检察院"}


def normalise_unit_name(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw or "")
    text = _SPACES.sub("", text).strip("，,、。；;：:（）()")
    for short, full in _ALIASES.items():
        if text.endswith(short) and not text.endswith(full):
            text = text[: -len(short)] + full
    return text


def match_units(names: list[str], candidates: list[Organisation], city_name: str = "") -> dict[str, int | None]:
    """raw name → organisation id (None when no single organisation fits). Matching, in order: exact name or
    short name; the city's own prefix added ("市公安局" → "菏泽市公安局"); a unique organisation whose name ends
    with the normalised name."""
    by_name: dict[str, int] = {}
    for org in candidates:
        for key in {normalise_unit_name(org.name), normalise_unit_name(org.short_name)} - {""}:
            by_name.setdefault(key, org.pk)
    result: dict[str, int | None] = {}
    for raw in names:
        name = normalise_unit_name(raw)
        found = by_name.get(name)
        if found is None and city_name and name.startswith("市"):
            found = by_name.get(city_name + name[1:])
        if found is None and len(name) >= 3:
            tails = {pk for key, pk in by_name.items() if key.endswith(name)}
            found = tails.pop() if len(tails) == 1 else None
        result[raw] = found
    return result
