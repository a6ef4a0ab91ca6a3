"""Register imports from the platform's templates: validation with reasons, idempotency, error report."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from ipcity.ipdata.models import EnterpriseFlag, ImportBatch, Trademark
from ipcity.ipdata.registers import SPECS, error_report_xlsx, import_register, template_xlsx

pytestmark = pytest.mark.django_db


def write_csv(path, spec_name, rows):
    headers = [c.header for c in SPECS[spec_name].columns]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=headers)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)


def test_template_has_every_column_and_an_explanation():
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx("trademarks")))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [c.header for c in SPECS["trademarks"].columns]
    assert book.sheetnames == ["商标", "填写说明"]


def test_trademarks_import_validates_rows_and_is_idempotent(world, tmp_path):
    good = {"注册号": "10000001", "商标名称": "牡丹花开", "尼斯分类": "29；30", "注册人": "测试甲科技有限公司",
            "状态": "已注册", "驰名商标": "是", "注册日": "2021-03-14", "所在区划代码": "371702"}
    bad = {"注册号": "10000002", "商标名称": "", "尼斯分类": "46", "注册人": "某人", "注册日": "2021-02-30",
           "驰名商标": "可能", "所在区划代码": "999999"}
    path = tmp_path / "商标.csv"
    write_csv(path, "trademarks", [good, bad])
    batch = import_register("trademarks", path, acting_user=world.users["city_staff"])
    assert batch.summary() == {"read": 2, "created": 1, "updated": 0, "unchanged": 0, "rejected": 1, "batch": batch.pk}
    mark = Trademark.objects.get(registration_number="10000001")
    assert mark.nice_classes == [29, 30] and mark.well_known and mark.owner == world.orgs["enterprise_a"]
    reasons = batch.rejected_rows.get().reasons
    assert "「商标名称」不能为空" in reasons and any("1–45" in r for r in reasons)
    assert any("日期不存在" in r for r in reasons) and any("是”或“否" in r for r in reasons)
    assert any("999999" in r for r in reasons)
    report = openpyxl.load_workbook(io.BytesIO(error_report_xlsx(batch))).active
    assert report.cell(2, 1).value == 2 and "不能为空" in report.cell(2, 2).value
    again = import_register("trademarks", path, acting_user=world.users["city_staff"])
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 1, 1)
    good["状态"] = "已失效"
    write_csv(path, "trademarks", [good])
    third = import_register("trademarks", path, acting_user=world.users["city_staff"])
    assert third.updated == 1 and Trademark.objects.get(registration_number="10000001").status == "expired"


def test_missing_required_columns_fail_the_batch_with_a_clear_message(world, tmp_path):
    path = tmp_path / "错误.csv"
    path.write_text("名称,其他\n甲,乙\n", encoding="utf-8")
    with pytest.raises(Exception, match="缺少必填列"):
        import_register("trademarks", path, acting_user=world.users["city_staff"])
    assert ImportBatch.objects.filter(kind="trademarks").latest("started_at").status == ImportBatch.Status.FAILED


def test_enterprise_flags_by_uscc(world, tmp_path):
    path = tmp_path / "认定.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx("enterprise_flags")))
    sheet = book.worksheets[0]
    sheet.delete_rows(2)
    sheet.append([world.orgs["enterprise_b"].uscc, "高新技术企业", "2023-12-01", "2026-11-30", "GR2023"])
    book.save(path)
    batch = import_register("enterprise_flags", path, acting_user=world.users["city_staff"])
    assert batch.created == 1 and batch.rejected == 0
    assert EnterpriseFlag.objects.get(organisation=world.orgs["enterprise_b"]).flag == "high_tech"
