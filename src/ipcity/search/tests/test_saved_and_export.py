"""Saved searches (pages and API) and the XLSX export job."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from ipcity.core.models import AuditEntry
from ipcity.ipdata import search_index
from ipcity.jobs.models import Job
from ipcity.jobs.runner import run_pending
from ipcity.search.models import SavedSearch
from ipcity.search.tests.conftest import LITHIUM, number

pytestmark = pytest.mark.django_db


def test_save_replace_list_and_delete_a_search(client, world):
    staff = world.users["city_staff"]
    client.force_login(staff)
    response = client.post("/search/save/", {"name": "锂电池", "q": "TI=锂电池", "sort": "date_desc", "total": "26"})
    assert response.status_code == 302
    saved = SavedSearch.objects.get(owner=staff, name="锂电池")
    assert (saved.query, saved.sort, saved.last_total) == ("TI=锂电池", "date_desc", 26)
    client.post("/search/save/", {"name": "锂电池", "q": "TI=锂电池 AND PT=发明", "sort": "relevance"})
    assert SavedSearch.objects.filter(owner=staff).count() == 1
    assert SavedSearch.objects.get(owner=staff).query == "TI=锂电池 AND PT=发明"
    html = client.get("/search/saved/").content.decode()
    assert "TI=锂电池 AND PT=发明" in html
    assert list(AuditEntry.objects.filter(action__startswith="search.").values_list("action", flat=True)
                .order_by("pk")) == ["search.save", "search.replace"]
    client.post(f"/search/saved/{saved.pk}/delete/")
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()
    assert AuditEntry.objects.filter(action="search.delete").count() == 1


def test_a_bad_query_or_name_is_refused_with_a_message(client, world):
    client.force_login(world.users["city_staff"])
    response = client.post("/search/save/", {"name": "坏", "q": "TI=(锂电池"}, follow=True)
    assert "个字符处" in response.content.decode()
    response = client.post("/search/save/", {"name": " ", "q": "锂电池"}, follow=True)
    assert "请填写名称" in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_someone_elses_saved_search_answers_404(client, world):
    saved = SavedSearch.objects.create(owner=world.users["city_staff"], name="甲", query="锂电池")
    client.force_login(world.users["district_staff"])
    assert client.post(f"/search/saved/{saved.pk}/delete/").status_code == 404
    assert "锂电池" not in client.get("/search/saved/").content.decode()
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


def test_export_job_writes_the_result_set_in_search_order(client, world, search_patents):
    client.force_login(world.users["enterprise_user"])
    response = client.post("/search/export/", {"q": "锂电池", "sort": "date_desc"})
    job = Job.objects.get(kind="search.export")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["rows"] == job.result["total"] == LITHIUM + 1 and not job.result["truncated"]
    assert "下载结果" in client.get(f"/jobs/{job.pk}/").content.decode()
    download = client.get(f"/search/exports/{job.pk}/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = list(wb["检索结果"].iter_rows(values_only=True))
    assert rows[0][:4] == ("申请号", "名称", "专利类型", "申请日")
    expected = [hit["id"] for hit in search_index.search("锂电池", limit=100, sort="date_desc").hits]
    assert [r[0] for r in rows[1:]] == expected and expected[0] == number(200)
    first = rows[1]
    assert first[1] == "=SUM(1,2) 一种锂电池外壳" and first[7] == "测试甲科技有限公司" and first[9] == "张三；李四"
    cell = next(c for c in wb["检索结果"]["B"] if c.value == "=SUM(1,2) 一种锂电池外壳")
    assert cell.data_type == "s"  # text, never a formula
    about = dict(wb["检索条件"].iter_rows(values_only=True))
    assert about["检索式"] == "锂电池" and about["导出件数"] == LITHIUM + 1


def test_an_export_is_its_owners_alone(client, world, search_patents):
    client.force_login(world.users["city_staff"])
    client.post("/search/export/", {"q": "牡丹"})
    run_pending()
    job = Job.objects.get(kind="search.export")
    client.force_login(world.users["district_staff"])
    assert client.get(f"/search/exports/{job.pk}/").status_code == 404


def test_export_is_capped_and_says_so(world, search_patents):
    from ipcity.search.exporting import export_xlsx

    path, rows, total = export_xlsx("锂电池", user=world.users["city_staff"], max_rows=10)
    try:
        assert (rows, total) == (10, LITHIUM + 1)
        about = dict(load_workbook(path)["检索条件"].iter_rows(values_only=True))
        assert "超过导出上限" in about["说明"]
    finally:
        path.unlink()


@pytest.mark.parametrize("role", ["sysadmin", "auditor"])
def test_administrators_do_not_export(client, world, role):
    client.force_login(world.users[role])
    assert client.post("/search/export/", {"q": "锂电池"}).status_code == 403
    assert not Job.objects.filter(kind="search.export").exists()


def test_export_refuses_a_bad_query(client, world):
    client.force_login(world.users["city_staff"])
    response = client.post("/search/export/", {"q": "AD=[2020 TO"}, follow=True)
    assert "检索式" in response.content.decode() and not Job.objects.filter(kind="search.export").exists()


def test_search_api(client, world, search_patents):
    client.force_login(world.users["city_staff"])
    body = client.get("/api/v1/patents/search", {"q": "锂电池", "limit": 5, "facets": "true"}).json()
    assert body["total"] == LITHIUM + 1 and len(body["hits"]) == 5
    assert {"application_number", "title", "applicants", "highlights", "score"} <= set(body["hits"][0])
    assert body["facets"]["patent_type"][0]["query"]
    bad = client.get("/api/v1/patents/search", {"q": "TI=(锂电池"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "q"
    assert "个字符处" in bad.json()["message"]
    client.logout()
    assert client.get("/api/v1/patents/search", {"q": "锂电池"}).status_code == 401


def test_saved_search_api(client, world):
    client.force_login(world.users["city_staff"])
    client.get("/search/")  # session writes to the API carry the CSRF token
    token = client.cookies["csrftoken"].value
    created = client.post("/api/v1/saved-searches", {"name": "甲", "query": "IC=H01M"}, content_type="application/json",
                          HTTP_X_CSRFTOKEN=token)
    assert created.status_code == 201, created.content
    saved_id = created.json()["id"]
    assert [s["name"] for s in client.get("/api/v1/saved-searches").json()] == ["甲"]
    bad = client.post("/api/v1/saved-searches", {"name": "乙", "query": "IC=("}, content_type="application/json",
                      HTTP_X_CSRFTOKEN=token)
    assert bad.status_code == 422
    client.force_login(world.users["district_staff"])
    client.get("/search/")
    other = client.cookies["csrftoken"].value
    assert client.delete(f"/api/v1/saved-searches/{saved_id}", HTTP_X_CSRFTOKEN=other).status_code == 404
