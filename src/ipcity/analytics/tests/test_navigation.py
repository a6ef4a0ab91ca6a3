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
    assert client.get("/analytics/navigation/?saved=abc").status_code == 404
    client.force_login(world.users["district_staff"])
    assert client.get(f"/analytics/navigation/?saved={mine.pk}").status_code == 404  # someone else's saved search


def _navigation_data():
    from ipcity.ipdata import search_index
    from ipcity.ipdata.models import Patent, PatentParty

    for i in range(12):
        p = Patent.objects.create(application_number=f"CN2021100000{i:02d}.X", title=f"一种锂电池正极材料{i}",
                                  patent_type=["发明", "实用新型"][i % 2], legal_status=["有效", "审中", "失效"][i % 3],
                                  application_date=dt.date(2016 + i % 8, 1, 1 + i), region_id=["371702", "371703",
                                                                                                "370102"][i % 3],
                                  ipc=["H01M 4/525", "H01M 10/052"][: 1 + i % 2],
                                  family_countries=["CN", "US"][: 1 + i % 2],
                                  cited_count=i, content_hash=str(i))
        PatentParty.objects.create(patent=p, role="applicant", order=0, name=["测试甲科技有限公司", "乙大学"][i % 2])
        PatentParty.objects.create(patent=p, role="inventor", order=0, name="张三")
    search_index.rebuild()


@pytest.mark.django_db
def test_navigation_report_renders_to_pdf_pages_with_charts(world, tmp_path):
    """The report as PDF → PNG pages (pdftoppm): more than five pages, and the charts drawn on them."""
    import shutil
    import subprocess

    from django.utils import timezone
    from PIL import Image

    from ipcity.analytics import charts, navigation_report
    from ipcity.analytics.navigation import analyse, rows_for
    from ipcity.analytics.navigation import matching_numbers, region_names

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (Debian: apt-get install poppler-utils)")
    try:
        charts.font(12)
    except charts.ChartFontMissing as exc:
        pytest.skip(str(exc))
    _navigation_data()
    numbers, total = matching_numbers("锂电池")
    rows = list(rows_for(numbers, world.users["city_staff"]))
    analysis = analyse(rows, city_code=CITY, regions=region_names(rows, CITY), as_of=timezone.localdate())
    meta = {"query": "锂电池", "total": total, "analysed": analysis["total"], "as_of": analysis["as_of"],
            "issuer": "测试市知识产权局"}
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(navigation_report.to_pdf("锂电池产业专利导航报告", meta, analysis))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) > 5, len(pages)
    # The charts' bars are drawn in the report's red (#b71c1c): count the pages that show a good patch of it.
    def red_pixels(path) -> int:
        data = Image.open(path).convert("RGB").tobytes()
        return sum(1 for i in range(0, len(data), 3) if data[i] > 150 and data[i + 1] < 80 and data[i + 2] < 80)
    with_charts = [p.name for p in pages if red_pixels(p) > 200]
    assert len(with_charts) >= 5, with_charts
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "申请人排名" in text and "测试甲科技有限公司" in text and "技术生命周期" in text

    import io

    from docx import Document

    docx = navigation_report.to_docx("锂电池产业专利导航报告", meta, analysis)
    document = Document(io.BytesIO(docx))
    assert len(document.inline_shapes) >= 9  # the charts are pictures in the Word file too
    assert any("申请人排名" in p.text for p in document.paragraphs)


@pytest.mark.django_db
def test_report_job_stores_word_and_pdf_for_its_owner_only(world, client):
    from ipcity.jobs.models import Job
    from ipcity.jobs.runner import run_pending

    try:
        from ipcity.analytics import charts

        charts.font(12)
    except charts.ChartFontMissing as exc:
        pytest.skip(str(exc))
    _navigation_data()
    client.force_login(world.users["city_staff"])
    response = client.post("/analytics/navigation/report/", {"q": "锂电池", "title": "锂电池产业专利导航报告"})
    job = Job.objects.get(kind="analytics.navigation_report")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    pdf = client.get(f"/analytics/navigation/reports/{job.pk}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:4] == b"%PDF"
    docx = client.get(f"/analytics/navigation/reports/{job.pk}/docx/")
    assert b"".join(docx.streaming_content)[:2] == b"PK"
    assert "下载 Word" in client.get(f"/jobs/{job.pk}/").content.decode()
    for other in ("district_staff", "sysadmin"):
        client.force_login(world.users[other])
        assert client.get(f"/analytics/navigation/reports/{job.pk}/pdf/").status_code == 404
    client.force_login(world.users["city_staff"])
    assert client.post("/analytics/navigation/report/", {"q": "TI=("}).status_code == 302  # refused, with a message
    assert Job.objects.filter(kind="analytics.navigation_report").count() == 1


@pytest.mark.django_db
def test_enterprise_micro_navigation_compares_with_competitors(client, world):
    from ipcity.ipdata.models import PatentParty

    _navigation_data()
    ours = world.orgs["enterprise_a"]
    PatentParty.objects.filter(name="测试甲科技有限公司").update(organisation=ours)
    client.force_login(world.users["enterprise_user"])  # enterprise A's user: their own enterprise by default
    page = client.get("/analytics/navigation/enterprise/").content.decode()
    assert 'data-testid="enterprise-total">本企业（作为申请人或专利权人）共 <strong>6</strong>' in page
    assert "乙大学" in page.split('data-testid="comparison"')[1]  # the competitor in the same subclasses
    other = world.orgs["enterprise_b"]
    assert client.get(f"/analytics/navigation/enterprise/?org={other.pk}").status_code == 404  # not theirs to see
    assert client.get("/analytics/navigation/enterprise/?org=x").status_code == 404
    client.force_login(world.users["city_staff"])
    assert "测试乙材料有限公司" in client.get("/analytics/navigation/enterprise/").content.decode()  # the picker
    assert client.get(f"/analytics/navigation/enterprise/?org={other.pk}").status_code == 200
