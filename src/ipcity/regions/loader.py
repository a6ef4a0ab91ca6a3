"""Load GB/T 2260 region codes from the data the cpca package ships (resources/adcodes.csv).

We read the CSV without importing cpca itself (which loads pandas and an automaton at import time).
"""
from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

from ipcity.regions.models import Region


class RegionDataMissing(RuntimeError):
    pass


def adcodes_path() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise RegionDataMissing("未安装 cpca 包，无法加载行政区划代码")
    path = Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"
    if not path.exists():
        raise RegionDataMissing(f"cpca 包中缺少行政区划数据文件：{path}")
    return path


def read_adcodes() -> dict[str, str]:
    """code (6 digits) → name, skipping the placeholder 市辖区/县 rows that are not real regions."""
    rows: dict[str, str] = {}
    with adcodes_path().open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["adcode"][:6]
            name = row["name"].strip()
            if name in {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}:
                continue
            rows[code] = name
    return rows


def _level(code: str) -> int:
    if code.endswith("0000"):
        return Region.Level.PROVINCE
    if code.endswith("00"):
        return Region.Level.CITY
    return Region.Level.COUNTY


def _parent_code(code: str, known: dict[str, str]) -> str | None:
    level = _level(code)
    if level == Region.Level.PROVINCE:
        return None
    if level == Region.Level.COUNTY and code[:4] + "00" in known:
        return code[:4] + "00"
    # Counties directly under a province (e.g. 省直辖县级) and cities hang from the province.
    return code[:2] + "0000" if code[:2] + "0000" in known else None


def load_regions(province_prefixes: tuple[str, ...] | None = None) -> int:
    """Create or update regions (all of China, or the given provinces). Idempotent; returns rows touched."""
    known = read_adcodes()
    codes = sorted(c for c in known if province_prefixes is None or c[:2] in province_prefixes)
    existing = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    touched = 0
    for code in codes:  # sorted: parents (xx0000, xxxx00) come before their children
        parent = _parent_code(code, known)
        if code in existing:
            touched += Region.objects.filter(code=code).exclude(name=known[code]).update(name=known[code])
            continue
        Region.objects.create(code=code, name=known[code], level=_level(code), parent_id=parent)
        touched += 1
    return touched
