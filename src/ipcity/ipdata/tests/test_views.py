"""Data hub pages: overview, import through a background job, batch result and error report, registers."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipcity.accounts.roles import Role
from ipcity.ipdata.models import ImportBatch, Patent, Trademark
from ipcity.jobs.models import Job
from ipcity.jobs.runner import run_pending

pytestmark = pytest.mark.django_db

CSV = ("注册号,商标名称,尼斯分类,注册人,注册日\n"
       "20000001,菏泽牡丹,31,测试甲科技有限公司,2022-01-05\n"
       "20000002,坏数据,99,某人,2022-13-01\n").encode("utf-8-sig")


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_overview_renders_for_every_role(client, world, role):
    client.force_login(world.users[role])
    assert client.get("/data/").status_code == 200


def test_web_import_runs_as_a_job_and_reports_rejected_rows(client, world):
    client.force_login(world.users["city_staff"])
    response = client.post("/data/import/", {"kind": "trademarks", "source_format": "auto",
                                             "file": SimpleUploadedFile("商标.csv", CSV)})
    job = Job.objects.latest("created_at")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result["created"] == 1 and job.result["rejected"] == 1
    batch = ImportBatch.objects.get(pk=job.result["batch"])
    html = client.get(f"/data/batches/{batch.pk}/").content.decode()
    assert "尼斯分类应为 1–45 的整数：99" in html and "日期不存在" in html
    report = client.get(f"/data/batches/{batch.pk}/errors.xlsx")
    assert report.status_code == 200 and report.content[:2] == b"PK"
    assert "菏泽牡丹" in client.get("/data/registers/trademarks/").content.decode()
    assert Trademark.objects.get(registration_number="20000001").owner == world.orgs["enterprise_a"]


def test_roles_without_import_permission_cannot_import(client, world):
    client.force_login(world.users["enterprise_user"])
    response = client.post("/data/import/", {"kind": "trademarks", "file": SimpleUploadedFile("a.csv", CSV)})
    assert response.status_code == 403
    client.force_login(world.users["city_staff"])
    client.post("/data/import/", {"kind": "trademarks", "file": SimpleUploadedFile("a.csv", CSV)})
    run_pending()
    client.force_login(world.users["enterprise_user"])  # office working data: answers 404 to an enterprise
    assert client.get(f"/data/batches/{ImportBatch.objects.latest('started_at').pk}/").status_code == 404


def test_templates_download(client, world):
    client.force_login(world.users["city_staff"])
    assert client.get("/data/templates/gis.xlsx").content[:2] == b"PK"
    assert client.get("/data/templates/nothing.xlsx").status_code == 404


def test_patent_pages(client, world):
    Patent.objects.create(application_number="CN202210836006.7", title="一种虚拟现实显示装置", content_hash="x",
                          application_date=dt.date(2022, 7, 1), first_applicant="测试甲科技有限公司")
    client.force_login(world.users["expert"])
    assert "一种虚拟现实显示装置" in client.get("/data/patents/?q=虚拟现实").content.decode()
    assert client.get("/data/patents/CN202210836006.7/").status_code == 200
    assert client.get("/data/patents/CN000000000000.0/").status_code == 404


def test_demo_fills_the_registers_and_reruns_change_nothing(world):
    from ipcity.demo import generator

    generator.run(city_code="371700", enterprises_per_district=1)
    marks = Trademark.objects.filter(is_demo=True).count()
    assert marks == 9 and Trademark.objects.filter(is_demo=False).count() == 0
    from ipcity.ipdata.models import EnterpriseFlag, GeographicalIndication

    assert GeographicalIndication.objects.filter(is_demo=True).count() == 8
    assert EnterpriseFlag.objects.filter(is_demo=True).count() == 3
    generator.run(city_code="371700", enterprises_per_district=1)
    assert Trademark.objects.count() == marks


def test_demo_patents_are_attributed_to_districts_and_enterprises(world):
    from ipcity.demo import generator
    from ipcity.ipdata.models import PatentParty

    generator.run(city_code="371700", enterprises_per_district=1)
    demo = Patent.objects.filter(is_demo=True)
    assert demo.count() >= 9 * 3 and not demo.filter(region=None).exists()
    assert set(demo.values_list("region__parent_id", flat=True)) == {"371700"}
    applicants = PatentParty.objects.filter(patent__in=demo, role="applicant")
    assert not applicants.filter(organisation=None).exists()
