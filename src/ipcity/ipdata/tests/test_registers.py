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


def test_pledges_link_patent_and_enterprise_and_refuse_bad_numbers(world, tmp_path):
    import datetime as dt
    from decimal import Decimal

    from ipcity.ipdata.models import Patent, PatentPledge

    patent = Patent.objects.create(application_number="CN202210836006.7", title="一种测试装置", content_hash="x")
    good = {"登记号": "Y2024370000123", "申请号": "202210836006.7", "出质人": "测试甲科技有限公司", "质权人": "某银行",
            "质押金额（万元）": "1500.5", "登记日": "2024-03-18", "所在区划代码": "371702"}
    bad = {"登记号": "Y2024370000124", "申请号": "CN202210836006.8", "出质人": "乙", "质权人": "某银行",
           "质押金额（万元）": "1,500", "登记日": "2024-03-18"}
    negative = {**bad, "登记号": "Y2024370000125", "申请号": "CN202210836006.7", "质押金额（万元）": "-3"}
    path = tmp_path / "质押.csv"
    write_csv(path, "pledges", [good, bad, negative])
    batch = import_register("pledges", path, acting_user=world.users["city_staff"])
    assert (batch.created, batch.rejected) == (1, 2)
    pledge = PatentPledge.objects.get()
    assert pledge.application_number == "CN202210836006.7" and pledge.patent == patent
    assert pledge.amount == Decimal("1500.5") and pledge.registered_on == dt.date(2024, 3, 18)
    assert pledge.pledgor == world.orgs["enterprise_a"] and pledge.region_id == "371702"
    reasons = [r for row in batch.rejected_rows.order_by("row_number") for r in row.reasons]
    assert any("校验位错误" in r for r in reasons)
    assert sum("不带单位和千分位的数字" in r for r in reasons) == 2  # "1,500" and "-3" reported, never guessed
    assert import_register("pledges", path, acting_user=world.users["city_staff"]).unchanged == 1


def test_awards_and_population_registers(world, tmp_path):
    from decimal import Decimal

    from ipcity.ipdata.models import PatentAward
    from ipcity.regions.models import Population

    awards = tmp_path / "获奖.csv"
    write_csv(awards, "awards", [
        {"申请号": "CN202210836006.7", "奖项": "中国专利金奖", "年份": "2023", "项目名称": "一种测试装置"},
        {"申请号": "CN202210836006.7", "奖项": "世界金奖", "年份": "23"}])
    batch = import_register("awards", awards, acting_user=world.users["city_staff"])
    assert (batch.created, batch.rejected) == (1, 1)
    assert PatentAward.objects.get().award == PatentAward.Award.CN_GOLD
    assert any("四位年份" in r for r in batch.rejected_rows.get().reasons)
    people = tmp_path / "人口.csv"
    write_csv(people, "population", [
        {"区划代码": "371702", "年份": "2024", "口径": "常住人口", "人口（万人）": "96.52", "来源": "统计公报"},
        {"区划代码": "371702", "年份": "2024", "口径": "户籍人口", "人口（万人）": "101"},
        {"区划代码": "371702", "年份": "2024", "口径": "常住", "人口（万人）": "96万"}])
    batch = import_register("population", people, acting_user=world.users["city_staff"])
    assert (batch.created, batch.rejected) == (2, 1)
    assert Population.objects.get(kind="resident").value == Decimal("96.52")
    reasons = batch.rejected_rows.get().reasons
    assert any("常住人口/户籍人口" in r for r in reasons) and any("96万" in r for r in reasons)
