"""Computing the indicator catalogue for a city and its districts at an as-of date, on one engine."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import ibis

from ipcity.analytics.indicators import (BY_KEY, CATALOGUE, Context, Definition, aggregate_patents,
                                         aggregate_register, as_number, population)


@dataclass
class Value:
    value: float | int | None
    note: str = ""


@dataclass
class Report:
    as_of: dt.date
    engine: str
    regions: list[tuple[str, str]]                  # (code, name): the city first, then its districts
    values: dict[tuple[str, str], Value] = field(default_factory=dict)   # (indicator key, region code)
    rules: dict = field(default_factory=dict)

    def value(self, key: str, code: str) -> Value:
        return self.values[(key, code)]

    def as_json(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "engine": self.engine, "rules": self.rules,
                "regions": [{"code": c, "name": n} for c, n in self.regions],
                "indicators": [{"key": d.key, "name": d.name, "unit": d.unit, "formula": d.formula, "source": d.source,
                                "timing": d.timing_label,
                                "values": {code: {"value": self.values[(d.key, code)].value,
                                                  "note": self.values[(d.key, code)].note}
                                           for code, _ in self.regions}} for d in CATALOGUE]}


def report_regions(city_code: str, only: str | None = None) -> list[tuple[str, str]]:
    """The city and its county-level regions (or just `only`, a district of it)."""
    from ipcity.regions.models import Region

    city = Region.objects.get(code=city_code)
    regions = [(city.code, city.name)] + [(r.code, r.name) for r in Region.objects.filter(parent=city).order_by("code")]
    if only and only != city_code:
        regions = [r for r in regions if r[0] == only]
    return regions


def _raw_values(definitions: list[Definition], engine, ctx: Context, city_code: str) -> dict[str, dict[str, float]]:
    """{indicator key: {region code: value}}: every code under the city as the engine returns it, and the city's own
    code as the sum of them (each record carries one region)."""
    raw: dict[str, dict[str, float]] = {d.key: {} for d in definitions if d.countable}
    patent_defs = [d for d in definitions if d.condition is not None]
    if patent_defs:
        expr = aggregate_patents(patent_defs, ctx, city_code)
        for row in engine.rows(expr):
            values = dict(zip(expr.columns, row))
            for d in patent_defs:
                raw[d.key][values["code"]] = as_number(values[d.key]) or 0
    register_defs = [d for d in definitions if d.records is not None]
    if register_defs:
        parts = [aggregate_register(d, ctx, city_code).select(key=ibis.literal(d.key), code="code", value="value")
                 for d in register_defs]
        for key, code, value in engine.rows(ibis.union(*parts) if len(parts) > 1 else parts[0]):
            raw[key][code] = as_number(value) or 0
    for by_code in raw.values():
        by_code[city_code] = sum(by_code.values())  # includes records attributed to the city itself
    return raw


def _populations(engine, ctx: Context, codes: list[str]) -> dict[str, tuple[int, float]]:
    latest: dict[str, tuple[int, float]] = {}
    for code, year, value in engine.rows(population(ctx, codes)):
        if code not in latest or year > latest[code][0]:
            latest[code] = (int(year), float(value))
    return latest


def compute(engine, ctx: Context, city_code: str, only: str | None = None,
            keys: list[str] | None = None) -> Report:
    regions = report_regions(city_code, only)
    codes = [c for c, _ in regions]
    wanted = [BY_KEY[k] for k in keys] if keys else CATALOGUE
    needed = {d.key for d in wanted} | {d.per_capita_of for d in wanted if d.per_capita_of}
    report = Report(as_of=ctx.as_of, engine=engine.name, regions=regions, rules=ctx.describe())
    raw = _raw_values([d for d in CATALOGUE if d.key in needed], engine, ctx, city_code)
    people = _populations(engine, ctx, codes) if any(d.per_capita_of for d in wanted) else {}
    kind = "常住人口" if ctx.population_kind == "resident" else "户籍人口"
    for definition in wanted:
        for code in codes:
            report.values[(definition.key, code)] = _value(definition, code, raw, people, ctx, kind)
    return report


def _value(d: Definition, code: str, raw: dict, people: dict, ctx: Context, kind: str) -> Value:
    if d.no_data:
        return Value(0, d.no_data)
    if d.per_capita_of:
        count = raw[d.per_capita_of].get(code, 0) or 0
        found = people.get(code)
        if found is None or not found[1]:
            return Value(None, f"缺少{kind}数据（请导入人口登记），无法计算")
        year, value = found
        note = f"{count} 件 ÷ {value:g} 万人（{year} 年{kind}）"
        if year < ctx.as_of.year:
            note += f"；{ctx.as_of.year} 年人口尚未登记，取最近年份"
        return Value(count / value, note)
    value = raw[d.key].get(code) or 0
    return Value(round(value, 2) if d.measure == "sum" else int(value))
