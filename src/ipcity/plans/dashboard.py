"""The leader's one-page view of a plan: completion by chapter and unit, indicator progress, overdue lists.

Every number links to the rows behind it (tasks filtered by chapter/unit/status, the indicator ledger).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from ipcity.core.scoping import visible
from ipcity.plans import periods
from ipcity.plans.models import Indicator, Plan, ProgressReport, Task, TaskUnit
from ipcity.plans.progress import forecast, is_overdue
from ipcity.workdays.calendar import current_calendar
from ipcity.workdays.engine import CalendarNotPublished, Unit, compute_due

REPORTED = (ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED)


def indicator_forecast(indicator: Indicator, computed: list | None = None):
    """Forecast from the plan-region values (the whole city for a city plan), yearly values preferred; `computed`
    (analytics.binding.computed_actuals) fills the years nobody entered a value for."""
    actuals: dict[int, float] = {}
    for period, value in indicator.values.filter(region=indicator.plan.region).values_list("period", "value"):
        year = int(period[:4])
        if period == str(year) or year not in actuals:
            actuals[year] = value
    for actual in computed or []:
        if actual.value is not None and actual.year not in actuals:
            actuals[actual.year] = actual.value
    return forecast(indicator.baseline_year, indicator.baseline_value, indicator.target_year,
                    indicator.target_value, actuals, indicator.target_kind)


def report_due(plan: Plan, period: str, calendar) -> dt.datetime | None:
    end = periods.bounds(period)[1]
    start = timezone.make_aware(dt.datetime.combine(end, dt.time(0, 0)))
    try:
        return compute_due(timezone.localtime(start), plan.report_due_working_days, Unit.WORKING_DAYS, calendar).due
    except CalendarNotPublished:
        return None


def overdue_reports(plan: Plan, tasks: list[Task], units: list[TaskUnit], today: dt.date) -> list[dict]:
    """Task × responsible unit × period whose report deadline has passed with nothing submitted."""
    start = timezone.localtime(plan.published_at).date()
    due_periods = periods.periods_for(plan.cadence, start, today)
    if not due_periods:
        return []
    calendar = current_calendar()
    now = timezone.now()
    deadlines = {p: report_due(plan, p, calendar) for p in due_periods}
    reported = set(ProgressReport.objects.filter(task__plan=plan, status__in=REPORTED)
                   .values_list("task_id", "unit_id", "period"))
    done_tasks = {t.pk for t in tasks if t.status == Task.Status.COMPLETED}
    visible_tasks = {t.pk: t for t in tasks}
    result = []
    for unit in units:
        if unit.organisation_id is None or unit.task_id in done_tasks or unit.task_id not in visible_tasks:
            continue
        for period in due_periods:
            due = deadlines[period]
            if due is not None and due < now and (unit.task_id, unit.organisation_id, period) not in reported:
                result.append({"task": visible_tasks[unit.task_id], "unit": unit.organisation, "period": period,
                               "period_label": periods.label(period), "due": due})
    return result


def filter_tasks(tasks: list[Task], units: list[TaskUnit], params, today: dt.date) -> tuple[list[Task], list[str]]:
    """The rows behind a dashboard number: tasks by chapter, unit, status or overdue; with Chinese labels of the
    filters applied."""
    labels = []
    chapter = params.get("chapter")
    if chapter:
        tasks = [t for t in tasks if _chapter(t) is not None and str(_chapter(t).pk) == chapter]
        labels.append("章节：" + (str(_chapter(tasks[0])) if tasks else chapter))
    unit = params.get("unit")
    if unit:
        ids = {u.task_id for u in units if str(u.organisation_id) == unit}
        tasks = [t for t in tasks if t.pk in ids]
        names = {str(u.organisation) for u in units if str(u.organisation_id) == unit}
        labels.append("责任单位：" + (names.pop() if names else unit))
    status = params.get("status")
    if status in Task.Status.values:
        tasks = [t for t in tasks if t.status == status]
        labels.append("状态：" + Task.Status(status).label)
    if params.get("overdue"):
        tasks = [t for t in tasks if is_overdue(t.due_date, t.status == Task.Status.COMPLETED, today)]
        labels.append("逾期")
    return tasks, labels


def _chapter(task: Task):
    top = task.section
    while top is not None and top.parent_id is not None:
        top = top.parent
    return top


def build(plan: Plan, user, today: dt.date, params=None) -> dict:
    tasks = list(visible(Task, user).filter(plan=plan).select_related("section"))
    units = list(TaskUnit.objects.filter(task__in=[t.pk for t in tasks]).select_related("organisation"))
    by_chapter: dict[str, dict] = defaultdict(lambda: {"total": 0, "completed": 0, "in_progress": 0, "id": None})
    for task in tasks:
        top = _chapter(task)
        key = str(top) if top else "未归入章节"
        row = by_chapter[key]
        row["id"] = top.pk if top else None
        row["total"] += 1
        row["completed"] += task.status == Task.Status.COMPLETED
        row["in_progress"] += task.status == Task.Status.IN_PROGRESS
    by_unit: dict[str, dict] = defaultdict(lambda: {"total": 0, "completed": 0, "id": None})
    status_of = {t.pk: t.status for t in tasks}
    for unit in units:
        name = str(unit.organisation or unit.raw_name)
        row = by_unit[name]
        row["id"] = unit.organisation_id
        row["total"] += 1
        row["completed"] += status_of.get(unit.task_id) == Task.Status.COMPLETED
    indicators = [{"indicator": ind, "forecast": indicator_forecast(ind)}
                  for ind in visible(Indicator, user).filter(plan=plan).prefetch_related("values")]
    overdue_tasks = [t for t in tasks if is_overdue(t.due_date, t.status == Task.Status.COMPLETED, today)]
    pending = visible(ProgressReport, user).filter(task__plan=plan, status=ProgressReport.Status.SUBMITTED)
    shown, filters = filter_tasks(tasks, units, params or {}, today)
    return {
        "plan": plan, "tasks": shown, "task_filters": filters,
        "task_total": len(tasks), "task_completed": sum(t.status == Task.Status.COMPLETED for t in tasks),
        "by_chapter": dict(by_chapter), "by_unit": dict(sorted(by_unit.items(), key=lambda kv: -kv[1]["total"])),
        "indicators": indicators, "overdue_tasks": overdue_tasks,
        "overdue_reports": overdue_reports(plan, tasks, units, today),
        "pending_reports": pending.select_related("task", "unit")[:50],
        "chart": {
            "chapters": [{"name": k, "total": v["total"], "completed": v["completed"]} for k, v in by_chapter.items()],
            "indicators": [{"name": row["indicator"].name, "progress": row["forecast"].progress_pct,
                            "status": row["forecast"].status} for row in indicators],
        },
        "current_period": periods.current(plan.cadence, today),
        "current_quarter": periods.current("quarterly", today),
    }
