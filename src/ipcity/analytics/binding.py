"""Plan indicators bound to the catalogue: a plan's 每万人口高价值发明专利拥有量 shows the computed actual for its region
at each year end, next to the values units entered by hand.

An indicator is bound by its `computed_key` (set in the admin), or else by its name when the name is a catalogue name
or a known alias; the plan's unit may be a multiple of the catalogue's (亿元 for 万元, 万件 for 件)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ipcity.analytics.indicators import BY_KEY, CATALOGUE, Definition

ALIASES = {
    "每万人口高价值发明专利拥有量": "high_value_per_10k", "每万人口高价值发明专利数": "high_value_per_10k",
    "每万人口发明专利拥有量": "invention_per_10k", "有效发明专利拥有量": "valid_inventions",
    "高价值发明专利拥有量": "high_value_inventions", "PCT国际专利申请量": "pct_applications",
    "PCT专利申请量": "pct_applications", "海外发明专利授权量": "overseas_invention_grants",
    "有效注册商标量": "valid_trademarks", "有效注册商标数": "valid_trademarks", "地理标志数量": "geographical_indications",
    "著作权作品登记数量": "copyright_registrations", "著作权登记数量": "copyright_registrations",
    "知识产权质押融资金额": "pledge_financing", "知识产权质押融资登记金额": "pledge_financing",
    "专利质押融资金额": "pledge_financing", "发明专利授权量": "invention_grants", "发明专利申请量": "invention_applications",
}
# plan unit -> (catalogue unit, divide the computed value by)
UNIT_FACTORS = {("亿元", "万元"): 10_000, ("万件", "件"): 10_000, ("万次", "次"): 10_000}


def _normal(name: str) -> str:
    return re.sub(r"[\s（(].*$", "", re.sub(r"\s+", "", name or ""))


def bound_definition(indicator) -> Definition | None:
    if indicator.computed_key:
        return BY_KEY.get(indicator.computed_key)
    name = _normal(indicator.name)
    for d in CATALOGUE:
        if _normal(d.name) == name:
            return d
    key = ALIASES.get(name)
    return BY_KEY.get(key) if key else None


def unit_factor(indicator, definition: Definition) -> float | None:
    """What to divide the computed value by for the plan's unit; None when the units cannot be reconciled."""
    unit = (indicator.unit or "").strip()
    if not unit or unit == definition.unit or (definition.unit == "件/万人" and unit == "件"):
        return 1
    return UNIT_FACTORS.get((unit, definition.unit))


@dataclass
class ComputedActual:
    year: int
    as_of: dt.date
    value: float | int | None
    note: str
    key: str          # the catalogue key whose records the value drills down to
    region: str


def computed_actuals(indicator, today: dt.date | None = None, max_years: int = 6) -> list[ComputedActual]:
    """Year-end values for the plan's region, from the baseline year (or the plan's first year) to the last complete
    year; [] when the indicator is not bound or its units do not match."""
    from django.utils import timezone

    from ipcity.analytics.compute import compute
    from ipcity.analytics.engines import DatabaseEngine
    from ipcity.analytics.indicators import Context

    definition = bound_definition(indicator)
    if definition is None:
        return []
    factor = unit_factor(indicator, definition)
    if factor is None:
        return []
    region = indicator.plan.region
    if region.level == 2:
        city, only = region.code, None
    elif region.level == 3 and region.parent_id:
        city, only = region.parent_id, region.code
    else:
        return []
    last = (today or timezone.localdate()).year - 1
    first = max(indicator.baseline_year or indicator.plan.period_start or last, last - max_years + 1)
    out = []
    engine = DatabaseEngine()
    for year in range(first, last + 1):
        ctx = Context.current(dt.date(year, 12, 31))
        value = compute(engine, ctx, city, only, keys=[definition.key]).value(definition.key, region.code)
        number = value.value / factor if value.value is not None else None
        out.append(ComputedActual(year=year, as_of=ctx.as_of, value=number, note=value.note,
                                  key=definition.per_capita_of or definition.key, region=region.code))
    return out
