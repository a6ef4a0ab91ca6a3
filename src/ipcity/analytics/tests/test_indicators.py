"""Every indicator on a small fixture whose values were worked out by hand, the same values on DuckDB over the Parquet
export, the drill-down to the records, and the CLI."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from ipcity.analytics.actions import load_sei_table
from ipcity.analytics.compute import compute
from ipcity.analytics.engines import DatabaseEngine, DuckDBEngine
from ipcity.analytics.flags import ensure_flags
from ipcity.analytics.high_value import Settings
from ipcity.analytics.indicators import CATALOGUE, Context
from ipcity.analytics.parquet import export_parquet
from ipcity.ipdata.models import (CopyrightRegistration, GeographicalIndication, Patent, PatentAward, PatentPledge,
                                  Trademark)
from ipcity.regions.models import Population

from .fixtures import mapping_lines, rule_lines

pytestmark = pytest.mark.django_db
CITY, A, B = "371700", "371702", "371703"
AS_OF = dt.date(2025, 12, 31)


def patent(number, region, kind="发明", status="有效", applied=dt.date(2020, 3, 1), granted=dt.date(2022, 5, 1), **kw):
    return Patent.objects.create(application_number=number, patent_type=kind, legal_status=status,
                                 application_date=applied, grant_date=granted, region_id=region, title="一种测试方法",
                                 content_hash=number, **kw)


@pytest.fixture
def fixture_data(world):
    load_sei_table("\n".join(rule_lines()).encode(), "\n".join(mapping_lines()).encode(), name="测试表",
                   acting_user=None)
    # District A: five invention patents.
    patent("CNA1", A, ipc=["G06N 3/08"])                                          # valid, high value (c1)
    patent("CNA2", A, applied=dt.date(2012, 1, 5), granted=dt.date(2015, 1, 1))   # valid, high value (c3: 13 years)
    patent("CNA3", A)                                                             # valid, plain
    patent("CNA4", A, status="失效")                                               # not valid
    patent("CNA5", A, status="审中", granted=None, applied=dt.date(2025, 4, 1),     # a 2025 application with a
           extra={"family_members": ["WO2025123456A1"]})                          # PCT family member
    # District B: two invention patents, a utility model, a design.
    patent("CNB1", B, extra={"family_members": ["US11223344B2"]})                 # valid, high value (c2)
    patent("CNB2", B, applied=dt.date(2025, 2, 1), granted=dt.date(2025, 11, 1))  # valid, granted 2025, c4 + c5
    patent("CNB3", B, kind="实用新型", applied=dt.date(2025, 1, 10), granted=dt.date(2025, 6, 1))
    patent("CNB4", B, kind="外观设计", applied=dt.date(2024, 12, 30), granted=dt.date(2025, 3, 1))
    # Outside the city: never counted.
    patent("CNX1", "370102")
    PatentPledge.objects.create(registration_number="P1", application_number="CNB2", pledgor_name="乙", pledgee_name="行",
                                amount=Decimal("1200.50"), registered_on=dt.date(2025, 12, 1), region_id=B)
    PatentPledge.objects.create(registration_number="P2", application_number="CNA3", pledgor_name="甲", pledgee_name="行",
                                amount=Decimal("300"), registered_on=dt.date(2024, 6, 1), region_id=A)
    PatentPledge.objects.create(registration_number="P3", application_number="CNA3", pledgor_name="甲", pledgee_name="行",
                                amount=Decimal("99.25"), registered_on=dt.date(2025, 6, 1), region_id=A)
    PatentAward.objects.create(application_number="CNB2", award="cn_excellence", year=2025)
    PatentAward.objects.create(application_number="CNA3", award="cn_gold", year=2026)           # after the as-of year
    Trademark.objects.create(registration_number="T1", name="甲", owner_name="甲", region_id=A,
                             registration_date=dt.date(2020, 1, 1), expiry_date=dt.date(2030, 1, 1))
    Trademark.objects.create(registration_number="T2", name="乙", owner_name="乙", region_id=A,
                             registration_date=dt.date(2010, 1, 1), expiry_date=dt.date(2020, 1, 1))  # expired
    Trademark.objects.create(registration_number="T3", name="丙", owner_name="丙", region_id=B, status="applied")
    GeographicalIndication.objects.create(name="芦笋", kind="product", approval_number="G1", region_id=B,
                                          approval_date=dt.date(2015, 1, 1))
    CopyrightRegistration.objects.create(registration_number="C1", title="软件", kind="software", owner_name="甲",
                                         registration_date=dt.date(2025, 3, 3), region_id=A)
    CopyrightRegistration.objects.create(registration_number="C2", title="软件", kind="software", owner_name="甲",
                                         registration_date=dt.date(2024, 3, 3), region_id=A)
    for code, value in ((CITY, "200.00"), (A, "80.00"), (B, "120.00")):
        Population.objects.create(region_id=code, year=2025, value=Decimal(value))
        Population.objects.create(region_id=code, year=2025, kind="registered", value=Decimal(value) * 2)
    ensure_flags()


# Worked out by hand from the fixture above (as of 2025-12-31; flows from 2025-01-01).
EXPECTED = {
    "valid_inventions": {CITY: 5, A: 3, B: 2},                    # A1 A2 A3 | B1 B2
    "high_value_inventions": {CITY: 4, A: 2, B: 2},  # A1 (SEI), A2 (13 years) | B1 (US B2), B2 (pledge, award)
    "invention_per_10k": {CITY: 5 / 200, A: 3 / 80, B: 2 / 120},
    "high_value_per_10k": {CITY: 4 / 200, A: 2 / 80, B: 2 / 120},
    "invention_applications": {CITY: 2, A: 1, B: 1},              # A5, B2
    "utility_applications": {CITY: 1, A: 0, B: 1},
    "design_applications": {CITY: 0, A: 0, B: 0},                 # B4 was filed in 2024
    "invention_grants": {CITY: 1, A: 0, B: 1},                    # B2
    "utility_grants": {CITY: 1, A: 0, B: 1},
    "design_grants": {CITY: 1, A: 0, B: 1},
    "pct_applications": {CITY: 1, A: 1, B: 0},                    # A5
    "overseas_invention_grants": {CITY: 1, A: 0, B: 1},           # B1
    "valid_trademarks": {CITY: 1, A: 1, B: 0},
    "geographical_indications": {CITY: 1, A: 0, B: 1},
    "copyright_registrations": {CITY: 1, A: 1, B: 0},
    "pledge_financing": {CITY: 1299.75, A: 99.25, B: 1200.5},
    "patent_transfers": {CITY: 0, A: 0, B: 0},
    "patent_licences": {CITY: 0, A: 0, B: 0},
    "patent_intensive_products": {CITY: 0, A: 0, B: 0},
}


def values(report) -> dict:
    codes = [CITY, A, B]
    return {d.key: {c: report.value(d.key, c).value for c in codes} for d in CATALOGUE}


def context(**kw) -> Context:
    return Context(as_of=AS_OF, settings=Settings(as_of=AS_OF, **kw))


def test_every_indicator_matches_the_hand_computed_value(fixture_data):
    assert set(EXPECTED) == {d.key for d in CATALOGUE}
    report = compute(DatabaseEngine(), context(), CITY)
    got = values(report)
    for key, expected in EXPECTED.items():
        for code, value in expected.items():
            assert got[key][code] == pytest.approx(value), (key, code)
    assert report.value("invention_per_10k", A).note == "3 件 ÷ 80 万人（2025 年常住人口）"
    assert "暂无数据" in report.value("patent_licences", CITY).note


def test_the_rules_change_the_values_and_are_stated(fixture_data):
    registered = Context(as_of=AS_OF, settings=Settings(as_of=AS_OF), population_kind="registered")
    report = compute(DatabaseEngine(), registered, CITY)
    assert report.value("invention_per_10k", A).value == pytest.approx(3 / 160)
    assert report.rules["人口口径"] == "户籍人口"
    strict = compute(DatabaseEngine(), context(pledge_threshold=Decimal("5000")), CITY)
    assert strict.value("high_value_inventions", B).value == 2      # B2 still has its award
    later = compute(DatabaseEngine(), Context(as_of=dt.date(2026, 12, 31), settings=Settings(
        as_of=dt.date(2026, 12, 31))), CITY)
    assert "2026 年人口尚未登记" in later.value("invention_per_10k", CITY).note


def test_missing_population_is_said_not_invented(fixture_data):
    Population.objects.filter(region_id=B).delete()
    report = compute(DatabaseEngine(), context(), CITY)
    assert report.value("invention_per_10k", B).value is None
    assert "缺少常住人口数据" in report.value("invention_per_10k", B).note


def test_duckdb_over_the_parquet_export_gives_identical_values(fixture_data, tmp_path):
    counts = export_parquet(tmp_path)
    assert counts["ipdata_patent"] == 10 and counts["analytics_patentflag"] == 10
    on_db, on_duckdb = values(compute(DatabaseEngine(), context(), CITY)), values(
        compute(DuckDBEngine(tmp_path), context(), CITY))
    assert on_db == on_duckdb


def test_spark_gives_identical_values(fixture_data, tmp_path):
    import shutil

    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install -e \".[spark]\")")
    if shutil.which("java") is None:
        pytest.skip("Java is not installed (Spark needs Java 17: apt-get install openjdk-17-jre-headless)")
    from ipcity.analytics.engines import SparkEngine

    export_parquet(tmp_path)
    spark = SparkEngine(tmp_path, master="local[2]")
    try:
        on_spark = values(compute(spark, context(), CITY))
    finally:
        spark.stop()
    assert on_spark == values(compute(DatabaseEngine(), context(), CITY))


def test_duckdb_engine_explains_a_missing_export(tmp_path):
    with pytest.raises(FileNotFoundError, match="export-parquet"):
        DuckDBEngine(tmp_path)


def test_drill_down_lists_exactly_the_records_behind_a_value(fixture_data, client, world):
    client.force_login(world.users["city_staff"])
    page = client.get(f"/analytics/indicators/high_value_inventions/{A}/?as_of=2025-12-31").content.decode()
    assert 'data-testid="record-count">2<' in page and "CNA1" in page and "CNA2" in page and "CNA3" not in page
    city = client.get(f"/analytics/indicators/high_value_inventions/{CITY}/?as_of=2025-12-31").content.decode()
    assert 'data-testid="record-count">4<' in city and "CNX1" not in city
    pledges = client.get(f"/analytics/indicators/pledge_financing/{CITY}/?as_of=2025-12-31").content.decode()
    # as whole cells: a bare "P2" also turns up inside the page's random CSRF token now and then
    assert ">P1<" in pledges and ">P3<" in pledges and ">P2<" not in pledges
    import io

    import openpyxl

    response = client.get(f"/analytics/indicators/valid_inventions/{B}/export.xlsx?as_of=2025-12-31")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["明细"].iter_rows(values_only=True))
    assert rows[0][0] == "申请号" and sorted(r[0] for r in rows[1:]) == ["CNB1", "CNB2"]
    notes = dict(book["口径说明"].iter_rows(values_only=True))
    assert notes["指标"] == "有效发明专利量" and notes["截止日期"] == "2025-12-31"


def test_pages_follow_the_jurisdiction(fixture_data, client, world):
    client.force_login(world.users["district_staff"])  # district A
    page = client.get("/analytics/indicators/?as_of=2025-12-31").content.decode()
    assert f'data-testid="value-valid_inventions-{A}"' in page and f"value-valid_inventions-{B}" not in page
    assert client.get(f"/analytics/indicators/valid_inventions/{B}/").status_code == 404
    assert client.get(f"/analytics/indicators/valid_inventions/{CITY}/").status_code == 404
    assert client.get(f"/analytics/indicators/nothing/{A}/").status_code == 404
    client.force_login(world.users["enterprise_user"])
    assert client.get("/analytics/indicators/").status_code == 403
    client.force_login(world.users["city_leader"])
    page = client.get("/analytics/indicators/?as_of=2025-12-31").content.decode()
    assert f'data-testid="value-valid_inventions-{CITY}">5<' in page
    assert client.get("/analytics/indicators/export.xlsx?as_of=2025-12-31").content[:2] == b"PK"


def test_indicators_command(fixture_data, capsys):
    from ipcity.cli import main

    assert main(["indicators", "--as-of", "2025-12-31", "--region", A, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in payload["regions"]] == [A]
    by_key = {i["key"]: i for i in payload["indicators"]}
    assert by_key["valid_inventions"]["values"][A]["value"] == 3
    assert main(["indicators", "--engine", "duckdb", "--parquet", "/nonexistent"]) == 2
    assert main(["indicators", "--region", "999999"]) == 2


def test_plan_indicators_show_their_computed_actuals(fixture_data, client, world):
    from ipcity.analytics.binding import bound_definition, computed_actuals
    from ipcity.plans.models import Indicator

    per_10k = Indicator.objects.get(name="每万人口高价值发明专利拥有量")
    pledge = Indicator.objects.get(name="知识产权质押融资金额")
    assert bound_definition(per_10k).key == "high_value_per_10k" and bound_definition(pledge).key == "pledge_financing"
    by_year = {a.year: a for a in computed_actuals(per_10k, today=dt.date(2026, 3, 1))}
    assert by_year[2025].value == pytest.approx(4 / 200) and by_year[2025].key == "high_value_inventions"
    assert {a.year: a.value for a in computed_actuals(pledge, today=dt.date(2026, 3, 1))}[2025] == \
        pytest.approx(1299.75 / 10_000)  # the plan counts 亿元, the catalogue 万元
    client.force_login(world.users["city_staff"])
    page = client.get(f"/plans/indicators/{per_10k.pk}/").content.decode()
    assert 'data-testid="computed"' in page and "统计分析模块：每万人口高价值发明专利拥有量" in page
    assert "/analytics/indicators/high_value_inventions/371700/?as_of=" in page
