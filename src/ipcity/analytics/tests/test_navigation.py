"""Patent navigation: the analyses on hand-made rows, and the page over the search index."""
from __future__ import annotations

import datetime as dt

import pytest

from ipcity.analytics.navigation import Row, analyse

CITY = "371700"
REGIONS = {"370000": "山东省", "371700": "菏泽市", "371702": "牡丹区", "110000": "北京市", "110100": "北京市辖区",
           "110101": "东城区"}


def row(pk, *, kind="发明", year=2021, granted=None, ipc=("H01M 4/525",), region="371702", applicants=("甲科技有限公司",),
        inventors=("张三",), cited=0, family=(), status="有效", flags=(False, False)):
    return Row(pk, f"CN{pk:012d}.X", f"专利{pk}", kind, status, dt.date(year, 3, 1), granted, list(ipc), region, cited,
               len(family), list(family), list(applicants), list(inventors), flags)


def test_analyses_count_what_the_rows_hold():
    rows = [
        row(1, applicants=("甲科技有限公司", "乙大学"), inventors=("张三", "李四"), cited=9, family=("CN", "US")),
        row(2, applicants=("甲科技有限责任公司",), inventors=("张三", "李四"), granted=dt.date(2023, 5, 1)),
        row(3, kind="实用新型", year=2022, ipc=("H01M 10/052",), applicants=("乙大学",), region="110101"),
        row(4, year=2022, ipc=("G06N 3/08", "H01M 4/525"), applicants=("丙公司",), region="110101", cited=9,
            family=("CN", "WO", "EP"), status="失效", flags=(True, False)),
    ]
    a = analyse(rows, city_code=CITY, regions=REGIONS, as_of=dt.date(2025, 12, 31))
    assert a["total"] == 4 and a["years"] == [2021, 2022, 2023]
    assert a["trend"]["filings"]["发明"] == [2, 1, 0] and a["trend"]["filings"]["实用新型"] == [0, 1, 0]
    assert a["trend"]["grants"] == [0, 0, 1]
    assert a["technology"]["subclasses"][0] == ("H01M", 4) and ("G06N", 1) in a["technology"]["subclasses"]
    assert ("G", "物理", 1) in a["technology"]["sections"]
    # Spelling variants of one company are one applicant, named by the most frequent spelling (a tie: the first seen).
    by_name = {x["name"]: x for x in a["applicants"]}
    assert set(by_name) == {"甲科技有限公司", "乙大学", "丙公司"}
    assert by_name["甲科技有限公司"] == {"name": "甲科技有限公司", "total": 2, "invention": 2, "valid": 2}
    assert [x["name"] for x in a["applicants"]][2] == "丙公司"  # ranked by count (ties by name)
    assert a["regions"]["provinces"] == [("山东省", 2), ("北京市", 2)]
    assert a["regions"]["districts"] == [("牡丹区", 2)]
    assert dict(a["legal"]) == {"有效": 3, "失效": 1} and dict(a["types"]) == {"发明": 3, "实用新型": 1}
    assert a["family"]["with_overseas"] == 2 and dict(a["family"]["countries"]) == {"US": 1, "EP": 1}
    assert [p["number"] for p in a["key_patents"][:2]] == ["CN000000000004.X", "CN000000000001.X"]  # cited 9, family 3
    assert a["key_patents"][0]["sei"] is True
    assert {"source": "乙大学", "target": "甲科技有限公司", "value": 1} in a["network"]["links"]
    assert a["inventors"]["top"][0] == ("张三", 4) and a["inventors"]["teams"] == [("张三", "李四", 2)]
    assert a["lifecycle"] == [{"year": 2021, "applicants": 2, "filings": 2},
                              {"year": 2022, "applicants": 2, "filings": 2}, {"year": 2023, "applicants": 0,
                                                                              "filings": 0}]
    share = {r["year"]: r["share"] for r in a["position"]["share_by_year"]}
    assert share == {2021: 1.0, 2022: 0.0, 2023: 0} and a["position"]["city_total"] == 2


def test_city_strengths_need_five_city_patents():
    rows = [row(i, ipc=("H01M 4/525",)) for i in range(1, 7)] + [
        row(i, ipc=("H01M 4/525",), region="110101") for i in range(7, 9)] + [
        row(i, ipc=("G06N 3/08",), region="110101") for i in range(9, 13)]
    a = analyse(rows, city_code=CITY, regions=REGIONS, as_of=dt.date(2025, 12, 31))
    [strength] = a["position"]["strengths"]
    assert strength["subclass"] == "H01M" and strength["city"] == 6 and strength["all"] == 8
    assert strength["index"] == round((6 / 8) / (6 / 12), 2)


@pytest.mark.django_db
def test_navigation_page_analyses_a_query_and_a_saved_search(client, world):
    from ipcity.ipdata import search_index
    from ipcity.ipdata.models import Patent, PatentParty
    from ipcity.search.models import SavedSearch

    for i, (title, region) in enumerate([("一种锂电池正极材料", "371702"), ("一种锂电池隔膜", "371703"),
                                         ("一种齿轮箱", "371702")]):
        p = Patent.objects.create(application_number=f"CN20211000000{i}.X", title=title, patent_type="发明",
                                  legal_status="有效", application_date=dt.date(2021, 1, 1 + i), region_id=region,
                                  ipc=["H01M 4/525"], content_hash=str(i))
        PatentParty.objects.create(patent=p, role="applicant", order=0, name="测试甲科技有限公司")
    search_index.rebuild()
    client.force_login(world.users["city_staff"])
    page = client.get("/analytics/navigation/?q=锂电池").content.decode()
    assert 'data-testid="nav-total">命中 <strong>2</strong>' in page
    assert "测试甲科技有限公司" in page and 'id="chart-network"' in page
    assert 'role="alert"' in client.get("/analytics/navigation/?q=TI=(").content.decode()
    mine = SavedSearch.objects.create(owner=world.users["city_staff"], name="锂电池产业", query="锂电池")
    assert "锂电池产业" in client.get(f"/analytics/navigation/?saved={mine.pk}").content.decode()
    client.force_login(world.users["district_staff"])
    assert client.get(f"/analytics/navigation/?saved={mine.pk}").status_code == 404  # someone else's saved search
