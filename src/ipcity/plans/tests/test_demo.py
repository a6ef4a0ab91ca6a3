"""The demo generator fills the plans module so a new user sees it working."""
from __future__ import annotations

import datetime as dt

import pytest

from ipcity.accounts.models import User
from ipcity.demo import generator
from ipcity.plans.dashboard import build
from ipcity.plans.models import IndicatorValue, Plan, ProgressReport

pytestmark = pytest.mark.django_db


def test_demo_plan_with_reports_in_every_state_and_overdue_items(world):
    generator.run(city_code="371700", enterprises_per_district=1)
    plan = Plan.objects.get(is_demo=True)
    assert plan.tasks.count() == 4 and plan.indicators.count() == 2
    statuses = set(ProgressReport.objects.filter(task__plan=plan).values_list("status", flat=True))
    assert statuses == set(ProgressReport.Status.values)
    assert IndicatorValue.objects.filter(indicator__plan=plan).count() == 4
    staff = User.objects.get(username="staff")
    context = build(plan, staff, dt.date(2026, 11, 21))
    assert context["overdue_reports"] and context["task_completed"] == 1
    again = generator.run(city_code="371700", enterprises_per_district=1)
    assert "plans" not in again["created"] and Plan.objects.filter(is_demo=True).count() == 1
