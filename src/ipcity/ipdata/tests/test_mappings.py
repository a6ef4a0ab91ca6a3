"""Column-mapping pages for generic CSV/XLSX imports: list, create, edit (with headers read from a sample file),
delete; validation messages; permissions; audit."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipcity.core.models import AuditEntry
from ipcity.core.validators import compute_application_check_digit
from ipcity.ipdata.models import ColumnMapping

pytestmark = pytest.mark.django_db

SAMPLE = "申请号,发明名称,申请日,申请(专利权)人,备注\n".encode("utf-8-sig")


def form(name="某数据库导出", note="", **columns) -> dict:
    return {"name": name, "note": note, **{f"col_{k}": v for k, v in columns.items()}}


def test_create_list_and_edit(client, world):
    staff = world.users["city_staff"]
    client.force_login(staff)
    assert client.get("/data/mappings/new/").status_code == 200
    response = client.post("/data/mappings/new/", form(application_number=" 申请号 ", title="发明名称",
                                                       applicants="申请(专利权)人", note="某库的 CSV 导出"))
    assert response.status_code == 302 and response["Location"] == "/data/mappings/"
    mapping = ColumnMapping.objects.get(name="某数据库导出")
    assert mapping.mapping == {"application_number": "申请号", "title": "发明名称", "applicants": "申请(专利权)人"}
    entry = AuditEntry.objects.get(action="ipdata.create_column_mapping")
    assert entry.actor == staff and entry.object_id == str(mapping.pk) and entry.changes["mapping"] == mapping.mapping

    html = client.get("/data/mappings/").content.decode()
    assert "某数据库导出" in html and "名称 ← “发明名称”" in html
    page = client.get(f"/data/mappings/{mapping.pk}/").content.decode()
    assert 'value="发明名称"' in page

    response = client.post(f"/data/mappings/{mapping.pk}/", form(application_number="申请号", title="标题"))
    assert response.status_code == 302
    mapping.refresh_from_db()
    assert mapping.mapping == {"application_number": "申请号", "title": "标题"} and mapping.note == ""
    changes = AuditEntry.objects.get(action="ipdata.update_column_mapping").changes
    assert changes["mapping"][1] == mapping.mapping and changes["note"] == ["某库的 CSV 导出", ""]


def test_validation_messages(client, world):
    client.force_login(world.users["city_staff"])
    ColumnMapping.objects.create(name="已有方案", mapping={"application_number": "申请号"})
    html = client.post("/data/mappings/new/", form(title="发明名称")).content.decode()
    assert "「申请号」必须指定文件中的列名" in html
    html = client.post("/data/mappings/new/", form(name="已有方案", application_number="申请号")).content.decode()
    assert "已有名为「已有方案」的字段对应方案" in html
    html = client.post("/data/mappings/new/", form(name="", application_number="申请号")).content.decode()
    assert "请填写方案名称" in html
    html = client.post("/data/mappings/new/", form(application_number="申" * 201)).content.decode()
    assert "列名不能超过 200 个字" in html
    assert ColumnMapping.objects.count() == 1
    assert not AuditEntry.objects.filter(action__contains="column_mapping").exists()


def test_sample_file_offers_headers_and_suggests_columns(client, world):
    client.force_login(world.users["city_staff"])
    response = client.post("/data/mappings/new/", {**form(title="备注"), "read_sample": "1",
                                                   "sample": SimpleUploadedFile("样例.csv", SAMPLE)})
    html = response.content.decode()
    assert response.status_code == 200 and not ColumnMapping.objects.exists()
    assert "样例文件的列：申请号、发明名称、申请日、申请(专利权)人、备注" in html
    assert '<option value="申请(专利权)人">' in html
    form_ = response.context["form"]
    assert form_["col_application_number"].value() == "申请号"
    assert form_["col_applicants"].value() == "申请(专利权)人"
    assert form_["col_application_date"].value() == "申请日"
    assert form_["col_title"].value() == "备注"  # what the user typed is kept
    assert form_["name"].value() == "某数据库导出"
    bad = client.post("/data/mappings/new/", {**form(), "read_sample": "1",
                                              "sample": SimpleUploadedFile("样例.pdf", b"%PDF")}, follow=True)
    assert "样例文件须为 CSV、XLSX 或 XLS 表格" in bad.content.decode()


def test_a_saved_mapping_imports_a_generic_table(client, world, tmp_path):
    from ipcity.ipdata.importing import import_patents

    client.force_login(world.users["city_staff"])
    client.post("/data/mappings/new/", form(application_number="申请号", title="发明名称", applicants="申请(专利权)人"))
    mapping = ColumnMapping.objects.get()
    body = "202310100001"
    path = tmp_path / "generic.csv"
    path.write_bytes(SAMPLE + f"CN{body}.{compute_application_check_digit(body)},一种装置,,测试甲科技有限公司,x\n"
                     .encode())
    batch = import_patents(path, acting_user=None, mapping=mapping.mapping)
    assert batch.created == 1 and batch.rejected == 0
    assert 'href="/data/mappings/"' in client.get("/data/").content.decode()  # linked from the import form


def test_delete_needs_the_delete_permission(client, world):
    mapping = ColumnMapping.objects.create(name="旧方案", mapping={"application_number": "申请号"})
    client.force_login(world.users["district_staff"])  # imports, but does not manage the city's mappings
    assert client.post(f"/data/mappings/{mapping.pk}/delete/").status_code == 403
    client.force_login(world.users["city_staff"])
    assert "删除" in client.get("/data/mappings/").content.decode()
    response = client.post(f"/data/mappings/{mapping.pk}/delete/")
    assert response.status_code == 302 and not ColumnMapping.objects.exists()
    entry = AuditEntry.objects.get(action="ipdata.delete_column_mapping")
    assert entry.changes["name"] == "旧方案" and entry.changes["object_id"] == str(mapping.pk)


@pytest.mark.parametrize("role", ["district_staff", "city_leader", "enterprise_user", "expert", "sysadmin"])
def test_roles_without_mapping_permissions(client, world, role):
    mapping = ColumnMapping.objects.create(name="某方案", mapping={"application_number": "申请号"})
    client.force_login(world.users[role])
    office = role in ("district_staff", "city_leader", "sysadmin")  # office working data: others get 404
    assert client.get("/data/mappings/").status_code == 403
    assert client.get("/data/mappings/new/").status_code == 403
    assert client.post("/data/mappings/new/", form(application_number="申请号")).status_code == 403
    assert client.get(f"/data/mappings/{mapping.pk}/").status_code == (403 if office else 404)
    assert client.post(f"/data/mappings/{mapping.pk}/delete/").status_code == (403 if office else 404)
    assert ColumnMapping.objects.get().name == "某方案"


def test_anonymous_is_sent_to_login(client):
    assert client.get("/data/mappings/").status_code == 302
