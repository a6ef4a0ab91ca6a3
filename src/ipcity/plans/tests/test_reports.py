"""Generated plan documents: the 季度通报 and 年度报告 DOCX in GB/T 9704 layout, and the 台账 XLSX.

The PDF test renders the brief with LibreOffice (skipped only when it is not installed); everything else reads the
files back with python-docx / openpyxl and compares them with the database.
"""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from openpyxl import load_workbook

from ipcity.plans.actions import record_indicator_value, review_report, set_task_status
from ipcity.plans.models import IndicatorValue, Plan, ProgressReport, Task, TaskUnit
from ipcity.plans.reports import REPORT_CONTENT_TYPES, annual_report, ledger_xlsx, quarterly_brief
from ipcity.plans.reports import gbt9704
from ipcity.regions.models import Region

TODAY = dt.date(2025, 10, 9)
TITLE = "测试市知识产权强市建设2025年第三季度推进情况通报"
TASK_TITLES = {"1.1": "完善知识产权保护工作机制", "1.2": "开展知识产权执法专项行动", "2.1": "推进专利转化运用",
               "2.2": "建设知识产权公共服务网点"}


def world_plan() -> Plan:
    return Plan.objects.get(title__startswith="测试市知识产权强市")


def docx_text(data: bytes) -> str:
    """All text of a DOCX: paragraphs, table cells, footers."""
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def east_asia_font(style) -> str | None:
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    return rfonts.get(qn("w:eastAsia")) if rfonts is not None else None


# -- (1) the layout of the quarterly brief --------------------------------------------------------------------

def test_quarterly_brief_has_the_gbt9704_layout(world):
    data = quarterly_brief(world_plan(), world.users["city_staff"], "2025Q3", TODAY)
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert (section.page_width, section.page_height) == (Twips(11906), Twips(16838))
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert section.top_margin == Twips(2098) and round(section.top_margin.mm) == 37
    assert section.left_margin == Twips(1588) and round(section.left_margin.mm) == 28
    assert section.right_margin == Twips(1474)
    assert section.bottom_margin == Twips(1984)
    type_area = (section.page_width - section.left_margin - section.right_margin,
                 section.page_height - section.top_margin - section.bottom_margin)
    assert [round(x / 36000) for x in type_area] == [156, 225]  # EMU → mm

    title = doc.paragraphs[0]
    assert title.text.replace("\n", "") == TITLE
    assert title.style.font.size == Pt(22)
    assert east_asia_font(title.style) == "方正小标宋简体"
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER

    body = next(p for p in doc.paragraphs if p.text.startswith("截至2025年10月9日"))
    assert body.style.name == "Normal"
    assert body.style.font.size == Pt(16)
    assert east_asia_font(body.style) == "仿宋_GB2312"
    assert body._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    assert body.style.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert body.style.paragraph_format.line_spacing == Pt(28)

    heading1 = next(p for p in doc.paragraphs if p.text == "一、总体情况")
    assert east_asia_font(heading1.style) == "黑体"
    heading2 = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    assert east_asia_font(heading2.style) == "楷体_GB2312"
    texts = [p.text for p in doc.paragraphs]
    assert texts.index("一、总体情况") < texts.index("二、指标进展") < texts.index("三、存在的问题") \
        < texts.index("四、下一步工作")
    assert "附件：任务推进情况表" in texts
    assert texts[texts.index("2025年10月9日") - 1] == "测试市知识产权局"  # issuer, then the date unpadded

    # Page numbers "— N —": a PAGE field, right on odd pages, left on even pages.
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer,
                                                                      WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert "<w:instrText" in xml and " PAGE " in xml and 'w:fldCharType="begin"' in xml
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph.alignment == align

    # The indicator table: one row per indicator, judged by the forecast.
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["指标", "基期", "目标", "最新值", "进度", "判断"]
    assert [row.cells[0].text for row in table.rows[1:]] == ["每万人口高价值发明专利拥有量", "知识产权质押融资金额"]
    assert table.rows[1].cells[3].text == "2024年2.6件"
    assert REPORT_CONTENT_TYPES["docx"].endswith("wordprocessingml.document")


def test_quarterly_brief_rejects_a_bad_quarter_and_a_plan_out_of_scope(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        quarterly_brief(world_plan(), world.users["city_staff"], "2025-07", TODAY)
    with pytest.raises(PermissionDenied):
        quarterly_brief(world_plan(), world.users["enterprise_user"], "2025Q3", TODAY)
    with pytest.raises(PermissionDenied):
        ledger_xlsx(world_plan(), world.users["enterprise_user"])


# -- (2) LibreOffice renders it as an A4 PDF --------------------------------------------------------------------

def test_quarterly_brief_converts_to_an_a4_pdf(world, tmp_path):
    if gbt9704.soffice() is None:
        pytest.skip("LibreOffice is not installed (Debian: apt-get install libreoffice-writer-nogui)")
    from pypdf import PdfReader

    data = quarterly_brief(world_plan(), world.users["city_staff"], "2025Q3", TODAY)
    pdf = gbt9704.convert_to_pdf(data, timeout=120, workdir=tmp_path)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    first = "".join(reader.pages[0].extract_text().split())
    assert TITLE in first
    assert "—1—" in first
    assert "—2—" in "".join(reader.pages[1].extract_text().split())


# -- (3) the ledger is the database --------------------------------------------------------------------------

def _latest_report(task: Task):
    return (ProgressReport.objects.filter(task=task, status__in=["submitted", "accepted", "returned"])
            .order_by("-submitted_at", "-pk").first())


def _names(task: Task, support: bool) -> str | None:
    units = TaskUnit.objects.filter(task=task).select_related("organisation").order_by("pk")
    units = units.filter(role=TaskUnit.Role.SUPPORT) if support else units.exclude(role=TaskUnit.Role.SUPPORT)
    return "、".join(u.organisation.name if u.organisation_id else u.raw_name for u in units) or None


def test_ledger_matches_the_database(world):
    plan = world_plan()
    staff = world.users["city_staff"]
    review_report(ProgressReport.objects.get(task__plan=plan, period="2024Q1"), acting_user=staff, accept=True)
    indicator = plan.indicators.get(order=0)
    record_indicator_value(indicator, acting_user=staff, region=Region.objects.get(code="371702"), period="2025H1",
                           value=1.25, source="区局统计")
    record_indicator_value(indicator, acting_user=staff, region=plan.region, period="2025", value=3,
                           source="市局统计年报")

    wb = load_workbook(io.BytesIO(ledger_xlsx(plan, staff)))
    assert wb.sheetnames == ["任务台账", "指标台账"]

    tasks_ws = wb["任务台账"]
    header = [c.value for c in tasks_ws[1]]
    assert header == ["编号", "序号", "任务", "牵头单位", "配合单位", "完成时限", "状态", "最近报送期", "最近报送状态"]
    assert all(c.font.b for c in tasks_ws[1]) and tasks_ws.freeze_panes == "A2"
    assert tasks_ws.column_dimensions["C"].width == 40
    expected = []
    for task in Task.objects.filter(plan=plan).order_by("source_start", "pk"):
        report = _latest_report(task)
        expected.append([task.code, task.number, task.title, _names(task, False), _names(task, True),
                         dt.datetime.combine(task.due_date, dt.time()) if task.due_date else None,
                         task.get_status_display(), report.period if report else None,
                         report.get_status_display() if report else None])
    actual = [[c.value for c in row] for row in tasks_ws.iter_rows(min_row=2)]
    assert actual == expected
    assert len(actual) == 4 and actual[0][7:] == ["2024Q1", "已采纳"]
    due = tasks_ws.cell(row=3, column=6)
    assert due.is_date and due.number_format == "yyyy-mm-dd"

    ind_ws = wb["指标台账"]
    assert [c.value for c in ind_ws[1]] == ["指标", "单位", "基期年", "基期值", "目标年", "目标值", "目标类型", "区划",
                                           "期间", "实际值", "数据来源"]
    assert all(c.font.b for c in ind_ws[1]) and ind_ws.freeze_panes == "A2"
    expected = []
    for ind in plan.indicators.order_by("order", "pk"):
        head = [ind.name, ind.unit, ind.baseline_year, ind.baseline_value, ind.target_year, ind.target_value,
                ind.get_target_kind_display()]
        values = IndicatorValue.objects.filter(indicator=ind).order_by("region__code", "period", "pk")
        expected += [head + [v.region.name, v.period, v.value, v.source] for v in values] or [head + [None] * 4]
    actual = [[c.value for c in row] for row in ind_ws.iter_rows(min_row=2)]
    assert actual == expected
    assert len(actual) == 4  # three values of the first indicator, none yet of the second
    for row in ind_ws.iter_rows(min_row=2, max_row=4):
        for cell in (row[2], row[3], row[4], row[5], row[9]):  # years and values are numbers, not text
            assert cell.data_type == "n", cell.coordinate
    assert REPORT_CONTENT_TYPES["xlsx"].endswith("spreadsheetml.sheet")


# -- (4) a liaison's documents show only its own tasks -------------------------------------------------------

def test_liaison_documents_contain_only_its_tasks(world):
    plan = world_plan()
    liaison_text = docx_text(quarterly_brief(plan, world.users["member_liaison"], "2025Q3", TODAY))
    staff_text = docx_text(quarterly_brief(plan, world.users["city_staff"], "2025Q3", TODAY))
    for code, title in TASK_TITLES.items():
        assert title in staff_text
        assert (title in liaison_text) == (code in {"1.1", "1.2"}), code
    assert "方案确定的重点任务共2项" in liaison_text and "方案确定的重点任务共4项" in staff_text

    wb = load_workbook(io.BytesIO(ledger_xlsx(plan, world.users["member_liaison"])))
    codes = [row[0].value for row in wb["任务台账"].iter_rows(min_row=2)]
    assert codes == ["1.1", "1.2"]


def test_overdue_items_are_listed_by_unit_and_scoped(world):
    """A plan published in March 2024: by 30 October 2024 the reports for Q1–Q3 are due; only the liaison
    reported (Q1, task 1.1). A liaison sees its own missing reports, never another unit's."""
    plan = world_plan()
    Plan.objects.filter(pk=plan.pk).update(published_at=timezone.make_aware(dt.datetime(2024, 3, 20, 9)))
    plan.refresh_from_db()
    today = dt.date(2024, 10, 30)
    staff_text = docx_text(quarterly_brief(plan, world.users["city_staff"], "2024Q3", today))
    problems = staff_text[staff_text.index("三、存在的问题"):staff_text.index("四、下一步工作")]
    assert "测试市公安局：（一）完善知识产权保护工作机制（2024年第二季度、2024年第三季度）" in problems
    assert "测试牡丹区市场监督管理局：" in problems
    next_steps = staff_text[staff_text.index("四、下一步工作"):]
    assert next_steps.startswith("四、下一步工作\n请测试市公安局、")
    assert "4个单位共有20项进展逾期未报送" in staff_text

    liaison_text = docx_text(quarterly_brief(plan, world.users["member_liaison"], "2024Q3", today))
    assert "1个单位共有5项进展逾期未报送：测试市公安局5项" in liaison_text
    assert "测试牡丹区市场监督管理局：" not in liaison_text


# -- (5) the annual report ------------------------------------------------------------------------------------

def test_annual_report_builds_and_covers_the_year(world):
    plan = world_plan()
    staff = world.users["city_staff"]
    text = docx_text(annual_report(plan, staff, 2024, dt.date(2025, 1, 20)))
    assert text.startswith("2024年")
    assert "知识产权保护状况" in text.splitlines()[0]
    assert "2025年1月20日" in text
    assert "测试数据" in text  # the 2024 indicator value with its source

    set_task_status(plan.tasks.get(code="2.1"), Task.Status.COMPLETED, acting_user=staff)
    review_report(ProgressReport.objects.get(task__plan=plan, period="2024Q1"), acting_user=staff, accept=True)
    this_year = timezone.localdate().year
    text = docx_text(annual_report(plan, staff, this_year, timezone.localdate()))
    done = text[text.index("二、重点任务完成情况"):text.index("三、主要指标情况")]
    assert "推进专利转化运用" in done and "完善知识产权保护工作机制" not in done
    text_2024 = docx_text(annual_report(plan, staff, 2024, dt.date(2025, 1, 20)))
    assert "2024年度共采纳各单位进展报送1份，其中：测试市公安局1份" in text_2024
    doc = Document(io.BytesIO(annual_report(plan, staff, 2024, dt.date(2025, 1, 20))))
    assert doc.sections[0].page_width == Twips(11906)


def test_long_titles_are_broken_into_balanced_lines():
    assert gbt9704.balance_title("2024年菏泽市知识产权保护状况") == ["2024年菏泽市知识产权保护状况"]
    lines = gbt9704.balance_title("关于印发《菏泽市知识产权强市建设实施方案（2024—2026年）》的通知")
    assert "".join(lines) == "关于印发《菏泽市知识产权强市建设实施方案（2024—2026年）》的通知"
    assert len(lines) == 2 and all(gbt9704._width_in_chars(line) <= 20 for line in lines)
    assert gbt9704.format_date(dt.date(2025, 1, 5)) == "2025年1月5日"
    assert [gbt9704.chinese_number(n) for n in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]
