"""The indicator catalogue: each indicator defined once — formula, unit, source, attribution, as-of semantics, and the
Ibis expression of the records it counts — and run on any engine (analytics.engines).

Every definition yields the *records* behind its value (a table with ``record_id`` and ``region_code``, plus
``amount`` for sums), so a value always drills down to the rows it was computed from. Values are computed per region
code under a city in one statement per table; a city's value is the sum of its codes (every record carries exactly
one region), a district's is its own code's.

Time: stock indicators (拥有量, 有效量) count what holds on the as-of date; flow indicators (申请量, 授权量, 登记量,
金额) count what happened from 1 January of the as-of year up to the as-of date (年初至截止日).
Attribution: a patent counts for the region it is attributed to in the data hub (ipdata.attribution: the first
applicant with a recognised address, rule ipdata.attribution_rule); registers for the region they carry.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import ibis

from ipcity.analytics.high_value import INVENTION, VALID, Settings
from ipcity.analytics.schema import table
from ipcity.core.rules import declare

POPULATION_KIND = declare("analytics.population_kind", "resident",
                          "每万人口指标的人口口径：resident＝常住人口，registered＝户籍人口", choices=("resident", "registered"))

UTILITY, DESIGN = "实用新型", "外观设计"
ATTRIBUTION = "专利按数据中心归属区划（第一申请人地址所在区划）统计"


@dataclass(frozen=True)
class Context:
    as_of: dt.date
    settings: Settings
    population_kind: str = "resident"

    @property
    def period_start(self) -> dt.date:
        return self.as_of.replace(month=1, day=1)

    @classmethod
    def current(cls, as_of: dt.date | None = None) -> "Context":
        settings = Settings.current(as_of)
        return cls(as_of=settings.as_of, settings=settings, population_kind=POPULATION_KIND.get())

    def describe(self) -> dict:
        return {"截止日期": self.as_of.isoformat(),
                "统计期间": f"{self.period_start:%Y-%m-%d} 至 {self.as_of:%Y-%m-%d}（流量指标）",
                "人口口径": "常住人口" if self.population_kind == "resident" else "户籍人口",
                "归属": ATTRIBUTION,
                **{f"高价值·{k}": v for k, v in self.settings.describe().items() if k != "截止日期"}}


def default_as_of(today: dt.date | None = None) -> dt.date:
    """The end of the last complete year: the date year-end indicators (拥有量 per 10,000 people) are reported for."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return dt.date(today.year - 1, 12, 31)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- records ----------------------------------------------------------------------------------------------------
#
# Patent indicators are conditions on one table — the patents with their flags, whether their pledges reach the
# threshold and whether they won an award by the as-of date — so that the whole patent part of the catalogue is one
# scan (`aggregate_patents`); register indicators are filters on their own tables.

def patents(ctx: Context) -> ibis.Table:
    s = ctx.settings
    p = table("ipdata_patent")
    flags = table("analytics_patentflag")
    pledges = table("ipdata_patentpledge")
    pledged = pledges.filter(pledges.registered_on <= ctx.as_of).group_by("application_number").aggregate(
        pledged=pledges.amount.sum())
    pledged = pledged.filter(pledged.pledged >= s.pledge_threshold).select(pledge_number=pledged.application_number)
    awards = table("ipdata_patentaward")
    awarded = awards.filter(awards.year <= ctx.as_of.year).select(award_number=awards.application_number).distinct()
    joined = (p.left_join(flags, p.id == flags.patent_id)
              .left_join(pledged, p.application_number == pledged.pledge_number)
              .left_join(awarded, p.application_number == awarded.award_number))
    return joined.select(
        record_id=joined.id, region_code=joined.region_id, application_number=joined.application_number,
        patent_type=joined.patent_type, legal_status=joined.legal_status, application_date=joined.application_date,
        grant_date=joined.grant_date, c1_sei=joined.c1_sei.fill_null(False),
        c2_overseas=joined.c2_overseas.fill_null(False), pct=joined.pct.fill_null(False),
        pledge_hit=joined.pledge_number.notnull(), award_hit=joined.award_number.notnull())


def _in_period(column, ctx: Context):
    return column.notnull() & (column >= ctx.period_start) & (column <= ctx.as_of)


def valid_inventions(ctx: Context, t: ibis.Table):
    """Invention patents in force on the as-of date (high_value.in_force, in SQL)."""
    term_cutoff = _years_before(ctx.as_of, 20)  # in force while filing date + 20 years > as-of
    return ((t.patent_type == INVENTION) & (t.legal_status == VALID)
            & (t.grant_date.isnull() | (t.grant_date <= ctx.as_of))
            & (t.application_date.isnull() | (t.application_date > term_cutoff)))


def high_value_inventions(ctx: Context, t: ibis.Table):
    """Valid invention patents meeting at least one of the five criteria (high_value.Evaluator, in SQL)."""
    s = ctx.settings
    start = t.application_date if s.maintained_from == "application" else t.grant_date
    maintained = start.notnull() & (start < _years_before(ctx.as_of, s.maintained_years))
    return valid_inventions(ctx, t) & (t.c1_sei | t.c2_overseas | maintained | t.pledge_hit | t.award_hit)


def applications(patent_type: str):
    def condition(ctx: Context, t: ibis.Table):
        return (t.patent_type == patent_type) & _in_period(t.application_date, ctx)
    return condition


def grants(patent_type: str):
    def condition(ctx: Context, t: ibis.Table):
        return (t.patent_type == patent_type) & _in_period(t.grant_date, ctx)
    return condition


def pct_applications(ctx: Context, t: ibis.Table):
    return t.pct & _in_period(t.application_date, ctx)


def overseas_granted(ctx: Context, t: ibis.Table):
    return ((t.patent_type == INVENTION) & t.c2_overseas
            & (t.application_date.isnull() | (t.application_date <= ctx.as_of)))


def valid_trademarks(ctx: Context) -> ibis.Table:
    t = table("ipdata_trademark")
    t = t.mutate(record_id=t.id, region_code=t.region_id)
    return t.filter((t.status == "registered") & (t.registration_date.isnull() | (t.registration_date <= ctx.as_of))
                    & (t.expiry_date.isnull() | (t.expiry_date >= ctx.as_of)))


def geographical_indications(ctx: Context) -> ibis.Table:
    g = table("ipdata_geographicalindication")
    g = g.mutate(record_id=g.id, region_code=g.region_id)
    return g.filter(g.approval_date.isnull() | (g.approval_date <= ctx.as_of))


def copyright_registrations(ctx: Context) -> ibis.Table:
    c = table("ipdata_copyrightregistration")
    c = c.mutate(record_id=c.id, region_code=c.region_id)
    return c.filter(_in_period(c.registration_date, ctx))


def pledge_financing(ctx: Context) -> ibis.Table:
    p = table("ipdata_patentpledge")
    p = p.mutate(record_id=p.id, region_code=p.region_id)
    return p.filter(_in_period(p.registered_on, ctx))


# --- the catalogue ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Definition:
    key: str
    name: str
    unit: str
    formula: str
    source: str
    timing: str                      # "stock" (on the as-of date) or "flow" (year to the as-of date)
    records: Callable[[Context], ibis.Table] | None = None    # a register's records (region_code, record_id)
    condition: Callable[[Context, ibis.Table], object] | None = None  # a patent indicator: which patents count
    measure: str = "count"           # "count" | "sum" (of `amount`)
    per_capita_of: str | None = None  # the count this indicator divides by population (万人)
    record_model: str = ""           # app_label.Model behind record_id (drill-down)
    no_data: str = ""                # why there is no data yet (the value is 0 and says so)

    @property
    def countable(self) -> bool:
        """Has records of its own (per-capita indicators drill down through their count; no-data ones have none)."""
        return self.records is not None or self.condition is not None

    def record_table(self, ctx: Context) -> ibis.Table:
        if self.condition is not None:
            t = patents(ctx)
            return t.filter(self.condition(ctx, t))
        return self.records(ctx)

    @property
    def timing_label(self) -> str:
        return "截止日存量" if self.timing == "stock" else "年初至截止日"


CATALOGUE: list[Definition] = [
    Definition("invention_per_10k", "每万人口发明专利拥有量", "件/万人",
               "有效发明专利量 ÷ 年末人口（万人）", "专利数据；人口登记", "stock", per_capita_of="valid_inventions"),
    Definition("high_value_per_10k", "每万人口高价值发明专利拥有量", "件/万人",
               "高价值发明专利量 ÷ 年末人口（万人）", "专利数据、对照表、质押与获奖登记；人口登记", "stock",
               per_capita_of="high_value_inventions"),
    Definition("valid_inventions", "有效发明专利量", "件", "截止日有效的发明专利件数", "专利数据", "stock",
               condition=valid_inventions, record_model="ipdata.Patent"),
    Definition("high_value_inventions", "高价值发明专利量", "件",
               "截止日有效且符合五类标准之一的发明专利件数（一件只计一次）", "专利数据、对照表、质押与获奖登记", "stock",
               condition=high_value_inventions, record_model="ipdata.Patent"),
    Definition("invention_applications", "发明专利申请量", "件", "申请日在统计期间的发明专利申请件数", "专利数据",
               "flow", condition=applications(INVENTION), record_model="ipdata.Patent"),
    Definition("utility_applications", "实用新型专利申请量", "件", "申请日在统计期间的实用新型申请件数", "专利数据",
               "flow", condition=applications(UTILITY), record_model="ipdata.Patent"),
    Definition("design_applications", "外观设计专利申请量", "件", "申请日在统计期间的外观设计申请件数", "专利数据",
               "flow", condition=applications(DESIGN), record_model="ipdata.Patent"),
    Definition("invention_grants", "发明专利授权量", "件", "授权公告日在统计期间的发明专利件数", "专利数据", "flow",
               condition=grants(INVENTION), record_model="ipdata.Patent"),
    Definition("utility_grants", "实用新型专利授权量", "件", "授权公告日在统计期间的实用新型件数", "专利数据", "flow",
               condition=grants(UTILITY), record_model="ipdata.Patent"),
    Definition("design_grants", "外观设计专利授权量", "件", "授权公告日在统计期间的外观设计件数", "专利数据", "flow",
               condition=grants(DESIGN), record_model="ipdata.Patent"),
    Definition("pct_applications", "PCT 国际专利申请量", "件",
               "申请日在统计期间、同族中有 PCT 国际申请（WO 公开）的专利件数", "专利数据（同族）", "flow",
               condition=pct_applications, record_model="ipdata.Patent"),
    Definition("overseas_invention_grants", "海外发明专利授权量", "件",
               "截止日前同族中有境外专利局授权文献的发明专利件数（存量；同族文献无授权日期）", "专利数据（同族）", "stock",
               condition=overseas_granted, record_model="ipdata.Patent"),
    Definition("valid_trademarks", "有效注册商标量", "件", "截止日已注册且在专用权期限内的商标件数", "商标登记", "stock",
               valid_trademarks, record_model="ipdata.Trademark"),
    Definition("geographical_indications", "地理标志数", "件", "截止日前批准的地理标志（产品、商标）件数",
               "地理标志登记", "stock", geographical_indications, record_model="ipdata.GeographicalIndication"),
    Definition("copyright_registrations", "著作权登记量", "件", "登记日期在统计期间的作品与软件著作权登记件数",
               "著作权登记", "flow", copyright_registrations, record_model="ipdata.CopyrightRegistration"),
    Definition("pledge_financing", "知识产权质押融资金额", "万元", "登记日在统计期间的专利权质押登记金额合计",
               "专利权质押登记", "flow", pledge_financing, measure="sum", record_model="ipdata.PatentPledge"),
    Definition("patent_transfers", "专利转让次数", "次", "登记日在统计期间的专利权转让登记次数", "转让登记", "flow",
               no_data="暂无数据：专利转让登记尚未接入（由“运用”模块提供），按 0 计"),
    Definition("patent_licences", "专利许可次数", "次", "备案日在统计期间的专利实施许可合同备案次数", "许可备案", "flow",
               no_data="暂无数据：专利许可备案尚未接入（由“运用”模块提供），按 0 计"),
    Definition("patent_intensive_products", "专利密集型产品备案数", "件", "截止日已备案的专利密集型产品件数",
               "产品备案", "stock", no_data="暂无数据：专利密集型产品备案尚未接入（由“运用”模块提供），按 0 计"),
]
BY_KEY = {d.key: d for d in CATALOGUE}


def aggregate_patents(definitions: list[Definition], ctx: Context, city_code: str) -> ibis.Table:
    """One row per region code under the city: the count of every patent indicator in `definitions` (one scan)."""
    t = patents(ctx)
    t = t.filter(t.region_code.startswith(city_code[:4]))
    return t.group_by(code=t.region_code).aggregate(
        **{d.key: t.count(where=d.condition(ctx, t)) for d in definitions})


def aggregate_register(definition: Definition, ctx: Context, city_code: str) -> ibis.Table:
    """(code, value) per region code under the city for a register indicator (a count or a sum of `amount`)."""
    records = definition.records(ctx)
    scoped = records.filter(records.region_code.startswith(city_code[:4]))
    value = scoped.amount.sum() if definition.measure == "sum" else scoped.count()
    return scoped.group_by(code=scoped.region_code).aggregate(value=value.cast("float64"))


def record_ids(definition: Definition, ctx: Context, region_code: str) -> ibis.Table:
    """The ids of the records behind one region's value (a city's code covers its districts)."""
    records = definition.record_table(ctx)
    prefix = region_code[:4] if region_code.endswith("00") else region_code
    return records.filter(records.region_code.startswith(prefix)).select("record_id").distinct()


def population(ctx: Context, codes: list[str]) -> ibis.Table:
    """(region_id, year, value) of the population kind in use, for the as-of year and earlier."""
    p = table("regions_population")
    return p.filter((p.kind == ctx.population_kind) & (p.year <= ctx.as_of.year) & p.region_id.isin(codes)).select(
        "region_id", "year", "value")


def as_number(value) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value
