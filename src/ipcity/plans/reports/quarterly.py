"""季度通报: the quarterly progress brief of a plan, as an official-layout DOCX.

Everything is read through the scope functions of the user the brief is generated for, so a member department's
liaison gets a brief on its own tasks and its own reports, never rows it could not open on screen. The helpers
here (task rows, reports of a period, overdue lists) are shared with the annual report and the ledger.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ipcity.accounts.roles import Role
from ipcity.core.scoping import visible
from ipcity.plans import periods
from ipcity.plans.dashboard import indicator_forecast, report_due
from ipcity.plans.models import Indicator, Plan, ProgressReport, Task, TaskUnit
from ipcity.plans.progress import is_overdue
from ipcity.plans.reports.gbt9704 import OfficialDocument, format_date
from ipcity.workdays.calendar import current_calendar

RECEIVED = (ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED, ProgressReport.Status.RETURNED)
REPORTED = (ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED)
_QUARTER = re.compile(r"^\d{4}Q[1-4]$")
_KIND_ORDER = {"已达标": 0, "预计达标": 1, "滞后": 2, "数据不足": 3}


# -- shared reading helpers (scoped) -----------------------------------------------------------------------------

def require_visible(plan: Plan, user) -> None:
    """A report on a plan the user may not see is refused (views answer 404 before getting here)."""
    if not visible(Plan, user).filter(pk=plan.pk).exists():
        raise PermissionDenied("无权查看该规划")


def short_title(plan: Plan) -> str:
    """The plan's title without its period in brackets and without a trailing 实施方案/工作方案/方案:
    测试市知识产权强市建设实施方案（2024—2026年） → 测试市知识产权强市建设."""
    title = re.sub(r"\s*[（(][^（）()]*[）)]\s*$", "", plan.title).strip()
    for suffix in ("实施方案", "工作方案", "行动方案", "方案"):
        if title.endswith(suffix) and len(title) > len(suffix):
            return title[: -len(suffix)]
    return title


def unit_name(unit: TaskUnit) -> str:
    return unit.organisation.name if unit.organisation_id else unit.raw_name


@dataclass
class TaskRow:
    task: Task
    lead: list[TaskUnit] = field(default_factory=list)
    support: list[TaskUnit] = field(default_factory=list)

    @property
    def lead_names(self) -> str:
        return "、".join(unit_name(u) for u in self.lead)

    @property
    def support_names(self) -> str:
        return "、".join(unit_name(u) for u in self.support)


def task_rows(plan: Plan, user) -> tuple[list[TaskRow], list[TaskUnit]]:
    """The plan's tasks the user may see, in plan order, with lead (or responsible) and supporting units."""
    tasks = list(visible(Task, user).filter(plan=plan).order_by("source_start", "pk"))
    units = list(visible(TaskUnit, user).filter(task__in=[t.pk for t in tasks]).select_related("organisation")
                 .order_by("task_id", "pk"))
    rows = {t.pk: TaskRow(t) for t in tasks}
    for unit in units:
        row = rows[unit.task_id]
        (row.support if unit.role == TaskUnit.Role.SUPPORT else row.lead).append(unit)
    return list(rows.values()), units


def received_reports(plan: Plan, user, start: dt.date, end: dt.date):
    """Reports received for [start, end]: regular reports whose period ends in it, and 速报/即报 submitted in it.
    Only submitted, accepted and returned reports count as received."""
    qs = (visible(ProgressReport, user).filter(task__plan=plan, status__in=RECEIVED)
          .select_related("task", "unit").order_by("task__source_start", "task_id", "unit_id", "period", "pk"))
    result = []
    for report in qs:
        if report.kind == ProgressReport.Kind.REGULAR and report.period:
            try:
                inside = start <= periods.bounds(report.period)[1] <= end
            except ValidationError:
                inside = False
        else:
            when = timezone.localtime(report.submitted_at).date() if report.submitted_at else None
            inside = when is not None and start <= when <= end
        if inside:
            result.append(report)
    return result


def _report_units(user) -> int | None:
    """Whose reports the user sees (mirrors queries.scope_reports): a liaison only its own organisation's, so
    missing reports of other units cannot be judged (nor shown) from its view; None means every unit."""
    if user.is_authenticated and user.role == Role.MEMBER_LIAISON:
        return user.organisation_id or -1
    return None


def overdue_reports(plan: Plan, user, rows: list[TaskRow], units: list[TaskUnit], today: dt.date,
                    until: dt.date | None = None) -> list[dict]:
    """Task × responsible unit × period, for periods ending by `until` (default: today), whose report deadline
    (working days after the period, per the plan) passed before `today` with nothing submitted or accepted.
    Completed tasks owe no further reports; a year whose working-day calendar is not published is skipped."""
    start = timezone.localtime(plan.published_at).date()
    due_periods = periods.periods_for(plan.cadence, start, min(today, until or today))
    if not due_periods:
        return []
    calendar = current_calendar()
    deadlines = {}
    for period in due_periods:
        due = report_due(plan, period, calendar)
        if due is not None and timezone.localtime(due).date() < today:
            deadlines[period] = due
    if not deadlines:
        return []
    reported = set(visible(ProgressReport, user).filter(task__plan=plan, status__in=REPORTED)
                   .values_list("task_id", "unit_id", "period"))
    only_unit = _report_units(user)
    tasks = {r.task.pk: r.task for r in rows if r.task.status != Task.Status.COMPLETED}
    result = []
    seen = set()
    for unit in units:
        if unit.organisation_id is None or unit.task_id not in tasks:
            continue
        if only_unit is not None and unit.organisation_id != only_unit:
            continue
        for period, due in deadlines.items():
            key = (unit.task_id, unit.organisation_id, period)
            if key in reported or key in seen:
                continue
            seen.add(key)
            result.append({"task": tasks[unit.task_id], "unit": unit.organisation, "period": period,
                           "period_label": periods.label(period), "due": due})
    return result


def overdue_tasks(rows: list[TaskRow], today: dt.date) -> list[TaskRow]:
    return [r for r in rows if is_overdue(r.task.due_date, r.task.status == Task.Status.COMPLETED, today)]


def indicator_rows(plan: Plan, user) -> list[tuple[Indicator, object]]:
    return [(ind, indicator_forecast(ind))
            for ind in visible(Indicator, user).filter(plan=plan).select_related("plan__region")
            .order_by("order", "pk")]


def number(value: float | None) -> str:
    if value is None:
        return "—"
    if value == int(value):
        return str(int(value))
    return f"{value:.4f}".rstrip("0").rstrip(".")


def describe_target(ind: Indicator) -> str:
    unit = ind.unit or ""
    year = f"{ind.target_year}年" if ind.target_year else ""
    if ind.target_kind == Indicator.TargetKind.QUALITATIVE:
        return "定性目标"
    if ind.target_kind == Indicator.TargetKind.BREAKTHROUGH:
        return f"{year}实现突破"
    if ind.target_value is None:
        return "—"
    if ind.target_kind == Indicator.TargetKind.ANNUAL_GROWTH_PCT:
        return f"年均增长{number(ind.target_value)}%"
    if ind.target_kind == Indicator.TargetKind.INCREASE:
        return f"年均新增{number(ind.target_value)}{unit}"
    if ind.target_kind == Indicator.TargetKind.CUMULATIVE:
        return f"{year}累计{number(ind.target_value)}{unit}"
    return f"{year}{number(ind.target_value)}{unit}"


def describe_baseline(ind: Indicator) -> str:
    if ind.baseline_value is None:
        return "—"
    return f"{ind.baseline_year}年{number(ind.baseline_value)}{ind.unit}" if ind.baseline_year else \
        f"{number(ind.baseline_value)}{ind.unit}"


def indicator_table_rows(rows) -> list[list[str]]:
    result = []
    for ind, fc in rows:
        latest = "—" if fc.latest_value is None else f"{fc.latest_year}年{number(fc.latest_value)}{ind.unit}"
        progress = "—" if fc.progress_pct is None else f"{fc.progress_pct:.1f}%"
        result.append([ind.name, describe_baseline(ind), describe_target(ind), latest, progress, fc.status])
    return result


INDICATOR_HEADERS = ["指标", "基期", "目标", "最新值", "进度", "判断"]
INDICATOR_WIDTHS = [40, 25, 26, 25, 18, 22]


def count_sentence(counts: dict[str, int], measure: str) -> str:
    """{"测试市公安局": 2, …} → "测试市公安局2项、……" (largest first, then by name)."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return "、".join(f"{name}{n}{measure}" for name, n in items)


def join_names(names) -> str:
    return "、".join(names)


# -- the brief ---------------------------------------------------------------------------------------------------

def _next_quarter(quarter: str) -> str:
    year, q = int(quarter[:4]), int(quarter[5])
    return f"{year + 1}Q1" if q == 4 else f"{year}Q{q + 1}"


def quarterly_brief(plan: Plan, user, quarter: str, today: dt.date) -> bytes:
    """季度通报 of `plan` for `quarter` ("2025Q3") as of `today`, generated for `user` (DOCX bytes)."""
    if not _QUARTER.match(quarter or ""):
        raise ValidationError({"quarter": f"季度格式错误：{quarter!r}（应为 2025Q3）"})
    require_visible(plan, user)
    q_start, q_end = periods.bounds(quarter)
    q_label = periods.label(quarter)
    rows, units = task_rows(plan, user)
    reports = received_reports(plan, user, q_start, q_end)
    late_reports = overdue_reports(plan, user, rows, units, today, until=q_end)
    late_tasks = overdue_tasks(rows, today)
    indicators = indicator_rows(plan, user)

    title = f"{short_title(plan)}{q_label}推进情况通报"
    doc = OfficialDocument(title=title, author=plan.owner.name, subject=plan.title)
    doc.title(title)
    doc.addressee("各责任单位")
    total = len(rows)
    completed = sum(r.task.status == Task.Status.COMPLETED for r in rows)
    in_progress = sum(r.task.status == Task.Status.IN_PROGRESS for r in rows)
    not_started = total - completed - in_progress
    doc.paragraph(f"现将《{plan.title}》{q_label}推进情况通报如下。")

    doc.heading1("总体情况")
    doc.paragraph(f"截至{format_date(today)}，方案确定的重点任务共{total}项，其中已完成{completed}项，"
                  f"推进中{in_progress}项，尚未启动{not_started}项。")
    accepted = sum(r.status == ProgressReport.Status.ACCEPTED for r in reports)
    returned = sum(r.status == ProgressReport.Status.RETURNED for r in reports)
    pending = sum(r.status == ProgressReport.Status.SUBMITTED for r in reports)
    doc.paragraph(f"{q_label}共收到各单位进展报送{len(reports)}份，其中已采纳{accepted}份，已退回{returned}份，"
                  f"待审核{pending}份。")
    late_by_unit: dict[str, int] = defaultdict(int)
    for item in late_reports:
        late_by_unit[item["unit"].name] += 1
    if late_by_unit:
        doc.paragraph(f"截至通报日，{len(late_by_unit)}个单位共有{len(late_reports)}项进展逾期未报送："
                      f"{count_sentence(late_by_unit, '项')}。")
    else:
        doc.paragraph("截至通报日，各单位无逾期未报送的进展。")

    doc.heading1("指标进展")
    status_counts: dict[str, int] = defaultdict(int)
    for _ind, fc in indicators:
        status_counts[fc.status] += 1
    if indicators:
        parts = "，".join(f"{status}{status_counts[status]}项"
                         for status in sorted(status_counts, key=lambda s: _KIND_ORDER.get(s, 9)))
        doc.paragraph(f"方案确定的主要指标共{len(indicators)}项，按最新数据判断：{parts}。具体情况如下表。")
        doc.table(INDICATOR_HEADERS, indicator_table_rows(indicators), widths_mm=INDICATOR_WIDTHS,
                  align=["left", "center", "center", "center", "center", "center"])
        doc.paragraph("注：进度为最新值自基期值向目标值推进的比例；判断按线性外推和复合增长中较保守者预测。")
    else:
        doc.paragraph("方案未设定量化指标。")

    doc.heading1("存在的问题")
    late_units = set()
    if not late_tasks and not late_reports:
        doc.paragraph("截至通报日，未发现逾期未完成的任务和逾期未报送的进展。")
    if late_tasks:
        doc.heading2("部分任务逾期未完成")
        by_unit: dict[str, list[TaskRow]] = defaultdict(list)
        for row in late_tasks:
            for unit in row.lead or [None]:
                by_unit[unit_name(unit) if unit else "未明确牵头单位"].append(row)
        for name in sorted(by_unit):
            late_units.add(name)
            items = "；".join(f"{r.task.number}{r.task.title}（完成时限{format_date(r.task.due_date)}）"
                             for r in by_unit[name])
            doc.paragraph(f"{name}：{items}。")
    if late_reports:
        doc.heading2("部分进展逾期未报送")
        by_unit_reports: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
        titles = {}
        for item in late_reports:
            by_unit_reports[item["unit"].name][item["task"].pk].append(item["period_label"])
            titles[item["task"].pk] = f"{item['task'].number}{item['task'].title}"
        for name in sorted(by_unit_reports):
            late_units.add(name)
            items = "；".join(f"{titles[pk]}（{'、'.join(labels)}）" for pk, labels in by_unit_reports[name].items())
            doc.paragraph(f"{name}：{items}。")

    doc.heading1("下一步工作")
    next_label = periods.label(_next_quarter(quarter))
    if late_units:
        doc.paragraph(f"请{join_names(sorted(late_units))}对照上述逾期事项，逐项分析原因，明确整改措施和完成时限，"
                      f"抓紧推进并补报进展情况。")
    doc.paragraph(f"各责任单位要对照《{plan.title}》确定的目标任务和时间节点，加强统筹调度，"
                  f"按时报送{next_label}推进情况，确保各项任务按期完成。")

    doc.attachment_note(["任务推进情况表"])
    doc.signature(plan.owner.name, today)

    doc.attachment("任务推进情况表")
    reports_by_task: dict[int, list[ProgressReport]] = defaultdict(list)
    for report in reports:
        reports_by_task[report.task_id].append(report)
    table = []
    for row in rows:
        got = reports_by_task.get(row.task.pk, [])
        statuses = defaultdict(int)
        for report in got:
            statuses[report.get_status_display()] += 1
        reported = "、".join(f"{s}{n}份" for s, n in statuses.items()) or "未报送"
        due = format_date(row.task.due_date) if row.task.due_date else "—"
        table.append([row.task.code, row.task.title, row.lead_names or "—", due, row.task.get_status_display(),
                      reported])
    doc.table(["编号", "任务", "牵头单位", "完成时限", "状态", "本季度报送"], table,
              widths_mm=[13, 39, 33, 30, 17, 24], align=["center", "left", "left", "center", "center", "center"])
    return doc.to_bytes()
