"""Reminders for a unit's liaison and staff: progress reports due or overdue, returned reports to redo."""
from __future__ import annotations

from django.urls import reverse

from ipcity.core.reminders import Reminder, reminder_source
from ipcity.core.scoping import visible
from ipcity.plans.dashboard import overdue_reports
from ipcity.plans.models import Plan, ProgressReport, Task, TaskUnit


@reminder_source
def plan_reminders(user, today):
    if not user.is_authenticated or user.organisation_id is None:
        return []
    reminders = []
    plans = visible(Plan, user).filter(status=Plan.Status.PUBLISHED,
                                       tasks__units__organisation_id=user.organisation_id).distinct()
    for plan in plans:
        tasks = list(visible(Task, user).filter(plan=plan, units__organisation_id=user.organisation_id).distinct())
        units = list(TaskUnit.objects.filter(task__in=tasks, organisation_id=user.organisation_id)
                     .select_related("organisation"))
        for row in overdue_reports(plan, tasks, units, today):
            reminders.append(Reminder(title=f"逾期未报送：{row['task']}", detail=f"{plan.title} · {row['period_label']}",
                                      url=reverse("plans:task", args=[row["task"].pk]), due=row["due"], overdue=True))
    returned = visible(ProgressReport, user).filter(unit_id=user.organisation_id,
                                                    status=ProgressReport.Status.RETURNED).select_related("task")
    for report in returned:
        reminders.append(Reminder(title=f"报送被退回：{report.task}", detail=report.review_comment,
                                  url=reverse("plans:task", args=[report.task_id]), due=report.reviewed_at,
                                  overdue=False))
    return reminders
