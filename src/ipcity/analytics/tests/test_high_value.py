"""The five high-value criteria, validity and counting, on hand-made facts (no database)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ipcity.analytics.high_value import Evaluator, PatentFacts, Settings, in_force, summarise

from .fixtures import table

AS_OF = dt.date(2025, 12, 31)


def facts(**kw) -> PatentFacts:
    base = dict(application_number="CN201510000001.1", patent_type="发明", legal_status="有效",
                application_date=dt.date(2019, 5, 6), grant_date=dt.date(2021, 3, 2))
    return PatentFacts(**{**base, **kw})


def evaluate(one: PatentFacts, settings: Settings | None = None, **context):
    return Evaluator(settings or Settings(as_of=AS_OF), table(), **context).evaluate(one)


@pytest.mark.parametrize("changes,valid,why", [
    ({}, True, ""),
    ({"patent_type": "实用新型"}, False, "非发明专利"),
    ({"legal_status": "失效"}, False, "法律状态为失效"),
    ({"legal_status": "审中", "grant_date": None}, False, "法律状态为审中"),
    ({"grant_date": dt.date(2026, 1, 5)}, False, "截止日后授权"),
    ({"application_date": dt.date(2005, 12, 31)}, False, "保护期已满"),       # 20 years end on 2025-12-31
    ({"application_date": dt.date(2006, 1, 1)}, True, ""),
    ({"grant_date": None}, True, ""),                                          # 有效 without a grant date
])
def test_validity_on_the_as_of_date(changes, valid, why):
    is_valid, reason = in_force(facts(**changes), AS_OF)
    assert is_valid == valid and reason.startswith(why) and bool(reason) != valid


def test_c1_strategic_emerging_industry_with_reason():
    e = evaluate(facts(ipc=["G06N 3/08"]))
    assert e.flags["c1_sei"] and e.sei_codes == ["1.5"] and e.high_value
    assert "G06N3/08 → 1.5 人工智能，规则 1" in e.reasons
    assert not evaluate(facts(ipc=["A01B 1/00"])).flags["c1_sei"]


def test_c1_keyword_rules_follow_the_mode():
    one = facts(ipc=["H04L 45/02"], text="一种报文转发方法")
    assert not evaluate(one).flags["c1_sei"]
    assert evaluate(one, Settings(as_of=AS_OF, sei_mode="ipc")).flags["c1_sei"]


def test_c1_is_computed_for_applications_too_but_they_are_not_high_value():
    e = evaluate(facts(ipc=["G06N 3/08"], legal_status="审中", grant_date=None))
    assert e.flags["c1_sei"] and not e.valid and not e.high_value
    assert any(r.startswith("不计入：") for r in e.reasons)


@pytest.mark.parametrize("members,granted", [
    (["US10234567B2"], True), (["EP3456789B1"], True), (["JP6543210B2"], True), (["RU2712345C1"], True),
    (["WO2020206659A1", "US20220101503A1"], False), (["CN113347225B"], False), ([], False),
])
def test_c2_overseas_family_member_granted(members, granted):
    e = evaluate(facts(family_members=members))
    assert e.flags["c2_overseas"] is granted
    assert any(r.startswith("海外同族授权") for r in e.reasons) is granted


def test_c2_countries_without_numbers_are_reported_not_counted():
    e = evaluate(facts(family_countries=["CN", "US", "WO"]))
    assert not e.flags["c2_overseas"]
    assert any("同族国家含 US" in r and "未计入" in r for r in e.reasons)


@pytest.mark.parametrize("applied,maintained", [
    (dt.date(2015, 12, 31), False),   # exactly ten years on the as-of date: not yet "more than"
    (dt.date(2015, 12, 30), True),
    (dt.date(2016, 6, 1), False),
])
def test_c3_maintained_more_than_ten_years_from_filing(applied, maintained):
    e = evaluate(facts(application_date=applied, grant_date=dt.date(2018, 1, 1)))
    assert e.flags["c3_maintained"] is maintained


def test_c3_can_count_from_grant_and_needs_validity():
    one = facts(application_date=dt.date(2010, 1, 1), grant_date=dt.date(2016, 1, 1))
    assert evaluate(one).flags["c3_maintained"]
    assert not evaluate(one, Settings(as_of=AS_OF, maintained_from="grant")).flags["c3_maintained"]
    assert not evaluate(facts(application_date=dt.date(2010, 1, 1), legal_status="失效")).flags["c3_maintained"]


def test_c4_pledge_amount_reaches_the_threshold():
    number = "CN201510000001.1"
    assert evaluate(facts(), pledges={number: Decimal("1000")}).flags["c4_pledge"]
    assert not evaluate(facts(), pledges={number: Decimal("999.99")}).flags["c4_pledge"]
    low = Settings(as_of=AS_OF, pledge_threshold=Decimal("500"))
    e = evaluate(facts(), low, pledges={number: Decimal("600")})
    assert e.flags["c4_pledge"] and "质押登记金额累计 600 万元（门槛 500 万元）" in e.reasons


def test_c5_award_of_the_as_of_year_or_before():
    number = "CN201510000001.1"
    assert evaluate(facts(), awards={number: [(2025, "中国专利优秀奖")]}).flags["c5_award"]
    assert not evaluate(facts(), awards={number: [(2026, "中国专利金奖")]}).flags["c5_award"]


def test_a_patent_in_several_categories_counts_once():
    number = "CN201510000001.1"
    ev = Evaluator(Settings(as_of=AS_OF), table(), pledges={number: Decimal("5000")},
                   awards={number: [(2020, "中国专利金奖")]})
    results = list(ev.evaluate_all([
        facts(ipc=["G06N 3/08"], application_date=dt.date(2012, 1, 1)),          # c1, c3, c4, c5
        facts(application_number="CN201510000002.X", ipc=["A01B 1/00"]),           # none
        facts(application_number="CN201510000003.8", ipc=["G06N 3/08"], legal_status="审中", grant_date=None),
    ]))
    counts = summarise(results)
    assert counts == {"invention_patents": 3, "valid": 2, "c1_sei": 1, "c2_overseas": 0, "c3_maintained": 1,
                      "c4_pledge": 1, "c5_award": 1, "high_value": 1, "sei_all": 2}
    row = results[0].row()
    assert row["high_value"] is True and row["sei_codes"] == "1.5" and "规则 1" in row["reasons"]
