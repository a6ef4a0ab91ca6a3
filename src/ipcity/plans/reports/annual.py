"""年度知识产权保护状况: the yearly report on a plan's implementation, as an official-layout DOCX.

Same builder and the same scoped reading as the quarterly brief: tasks completed in the year, the indicator values
recorded for the year, and the progress reports accepted for the year.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone

from ipcity.core.scoping import visible
from ipcity.plans.models import IndicatorValue, Plan, ProgressReport, Task
from ipcity.plans.reports.gbt9704 import OfficialDocument, format_date
from ipcity.plans.reports.quarterly import (INDICATOR_HEADERS, INDICATOR_WIDTHS, count_sentence, indicator_rows,
                                            indicator_table_rows, number, overdue_tasks, received_reports,
                                            require_visible, task_rows)


def annual_report(plan: Plan, user, year: int, today: dt.date) -> bytes:
    """年度知识产权保护状况 of `year` for `plan` as of `today`, generated for `user` (DOCX bytes)."""
    if not isinstance(year, int) or not 1900 < year < 2200:
        raise ValidationError({"year": f"年度错误：{year!r}"})
    require_visible(plan, user)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    as_of = min(today, end)
    rows, _units = task_rows(plan, user)
    done_in_year = [r for r in rows if r.task.status == Task.Status.COMPLETED and r.task.completed_at
                    and timezone.localtime(r.task.completed_at).year == year]
    values = list(visible(IndicatorValue, user).filter(indicator__plan=plan, period__startswith=str(year))
                  .select_related("indicator", "region").order_by("indicator__order", "indicator_id", "region_id",
                                                                   "period"))
    accepted = [r for r in received_reports(plan, user, start, end) if r.status == ProgressReport.Status.ACCEPTED]

    region = plan.region.name
    title = f"{year}年{region}知识产权保护状况"
    doc = OfficialDocument(title=title, author=plan.owner.name, subject=plan.title)
    doc.title(title)
    total = len(rows)
    completed = sum(r.task.status == Task.Status.COMPLETED for r in rows)
    in_progress = sum(r.task.status == Task.Status.IN_PROGRESS for r in rows)
    doc.paragraph(f"{year}年，{plan.owner.name}会同各责任单位推进《{plan.title}》实施，现将{year}年度"
                  f"知识产权保护工作情况报告如下。")

    doc.heading1("总体情况")
    doc.paragraph(f"方案确定的重点任务共{total}项。{year}年内完成{len(done_in_year)}项；截至{format_date(as_of)}，"
                  f"累计完成{completed}项，推进中{in_progress}项，尚未启动{total - completed - in_progress}项。")
    late = overdue_tasks(rows, as_of)
    if late:
        doc.paragraph(f"逾期未完成的任务{len(late)}项：" + "；".join(r.task.title for r in late) + "。")

    doc.heading1("重点任务完成情况")
    if done_in_year:
        for i, row in enumerate(done_in_year, start=1):
            when = format_date(timezone.localtime(row.task.completed_at).date())
            lead = f"，牵头单位：{row.lead_names}" if row.lead_names else ""
            doc.paragraph(f"{i}. {row.task.title}（{when}完成{lead}）。")
    else:
        doc.paragraph(f"{year}年内无已完成的重点任务。")

    doc.heading1("主要指标情况")
    if values:
        doc.paragraph(f"{year}年共填报指标数据{len(values)}条，具体如下表。")
        doc.table(["指标", "区划", "期间", "数值", "数据来源"],
                  [[v.indicator.name, v.region.name, v.period, f"{number(v.value)}{v.indicator.unit}", v.source]
                   for v in values],
                  widths_mm=[48, 24, 18, 26, 40], align=["left", "center", "center", "center", "left"])
    else:
        doc.paragraph(f"{year}年暂无填报的指标数据。")
    indicators = indicator_rows(plan, user)
    if indicators:
        doc.paragraph("各项指标按最新数据的进展判断如下表。")
        doc.table(INDICATOR_HEADERS, indicator_table_rows(indicators), widths_mm=INDICATOR_WIDTHS,
                  align=["left", "center", "center", "center", "center", "center"])

    doc.heading1("进展报送情况")
    if accepted:
        by_unit: dict[str, int] = defaultdict(int)
        for report in accepted:
            by_unit[report.unit.name] += 1
        doc.paragraph(f"{year}年度共采纳各单位进展报送{len(accepted)}份，其中：{count_sentence(by_unit, '份')}。")
    else:
        doc.paragraph(f"{year}年度暂无已采纳的进展报送。")

    doc.heading1("下一步工作")
    doc.paragraph(f"{year + 1}年，{plan.owner.name}将会同各责任单位对照方案确定的目标任务，加强统筹调度和跟踪问效，"
                  f"推动各项任务按期完成。")
    doc.signature(plan.owner.name, today)
    return doc.to_bytes()
