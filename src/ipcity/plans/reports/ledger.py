"""台账: a plan's task ledger and indicator ledger as one XLSX workbook (openpyxl).

Sheets "任务台账" (one row per task the user may see) and "指标台账" (one row per indicator value the user may
see; an indicator without any value gets one row with the value columns empty). Header row bold and frozen,
column widths set; years and values are numbers, deadlines are dates, codes such as "1.1" stay text.
"""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ipcity.core.scoping import visible
from ipcity.plans.models import Indicator, IndicatorValue, Plan, ProgressReport
from ipcity.plans.reports.quarterly import RECEIVED, require_visible, task_rows

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TASK_COLUMNS = [("编号", 8), ("序号", 8), ("任务", 40), ("牵头单位", 30), ("配合单位", 30), ("完成时限", 12),
                ("状态", 10), ("最近报送期", 14), ("最近报送状态", 14)]
INDICATOR_COLUMNS = [("指标", 36), ("单位", 8), ("基期年", 8), ("基期值", 10), ("目标年", 8), ("目标值", 10),
                     ("目标类型", 12), ("区划", 14), ("期间", 10), ("实际值", 12), ("数据来源", 30)]
_HEADER_FONT = Font(name="黑体", bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_BODY_FONT = Font(name="宋体")


def latest_reports(plan: Plan, user) -> dict[int, ProgressReport]:
    """task id → the most recently submitted report the user may see (submitted, accepted or returned)."""
    latest: dict[int, ProgressReport] = {}
    qs = (visible(ProgressReport, user).filter(task__plan=plan, status__in=RECEIVED)
          .order_by("task_id", "-submitted_at", "-pk"))
    for report in qs:
        latest.setdefault(report.task_id, report)
    return latest


def report_period_label(report: ProgressReport) -> str:
    return report.period or report.get_kind_display()


def _sheet(wb: Workbook, title: str, columns, rows, *, first: bool = False) -> None:
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append([name for name, _ in columns])
    for cell in ws[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for values in rows:
        ws.append(values)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.font = _BODY_FONT
            if hasattr(cell.value, "year"):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str) and len(cell.value) > 20:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, (_name, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def ledger_xlsx(plan: Plan, user) -> bytes:
    """The ledger workbook of `plan` as `user` may see it (XLSX bytes)."""
    require_visible(plan, user)
    rows, _units = task_rows(plan, user)
    latest = latest_reports(plan, user)
    task_values = []
    for row in rows:
        task, report = row.task, latest.get(row.task.pk)
        task_values.append([task.code, task.number, task.title, row.lead_names, row.support_names,
                            task.due_date, task.get_status_display(),
                            report_period_label(report) if report else None,
                            report.get_status_display() if report else None])

    indicators = list(visible(Indicator, user).filter(plan=plan).order_by("order", "pk"))
    values = (visible(IndicatorValue, user).filter(indicator__in=indicators).select_related("region")
              .order_by("indicator_id", "region__code", "period", "pk"))
    by_indicator: dict[int, list[IndicatorValue]] = {}
    for value in values:
        by_indicator.setdefault(value.indicator_id, []).append(value)
    indicator_values = []
    for ind in indicators:
        head = [ind.name, ind.unit or None, ind.baseline_year, ind.baseline_value, ind.target_year, ind.target_value,
                ind.get_target_kind_display()]
        for value in by_indicator.get(ind.pk) or [None]:
            if value is None:
                indicator_values.append(head + [None, None, None, None])
            else:
                indicator_values.append(head + [value.region.name, value.period, value.value, value.source])

    wb = Workbook()
    _sheet(wb, "任务台账", TASK_COLUMNS, task_values, first=True)
    _sheet(wb, "指标台账", INDICATOR_COLUMNS, indicator_values)
    wb.properties.title = f"{plan.title}台账"
    wb.properties.creator = plan.owner.name
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
