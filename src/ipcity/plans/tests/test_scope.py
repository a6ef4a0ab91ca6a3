"""Permission matrix for the plans module (see core/testing.py): who sees which plan rows."""
from __future__ import annotations

from django.core.files.base import ContentFile

from ipcity.accounts.roles import Role as R
from ipcity.core.files import store_file
from ipcity.core.models import StoredFile
from ipcity.core.testing import ApiDetailMatrix, DetailPageMatrix, ScopeMatrix
from ipcity.plans.models import (Indicator, IndicatorValue, Milestone, Plan, PlanDocument, PlanImport, ProgressReport,
                                 Section, Task, TaskUnit)

PLAN_READERS = {R.SYSADMIN, R.AUDITOR, R.CITY_LEADER, R.CITY_STAFF, R.DISTRICT_STAFF, R.ENFORCEMENT_OFFICER,
                R.MEMBER_LIAISON}
OFFICES = {R.SYSADMIN, R.CITY_LEADER, R.CITY_STAFF, R.DISTRICT_STAFF, R.ENFORCEMENT_OFFICER}


def plan(world):
    return Plan.objects.get(title__startswith="测试市知识产权强市")


def task(code):
    return lambda world: plan(world).tasks.get(code=code)


class TestPlanScope(DetailPageMatrix, ApiDetailMatrix):
    model = Plan
    objects = {"plan": plan}
    visible_to = {role: {"plan"} for role in PLAN_READERS}

    @staticmethod
    def detail_url(obj):
        return f"/plans/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/plans/{obj.pk}"


class TestSectionScope(ScopeMatrix):
    model = Section
    objects = {"first": lambda w: plan(w).sections.get(number="一")}
    visible_to = {role: {"first"} for role in PLAN_READERS}


ALL_TASKS = {"1.1", "1.2", "2.1", "2.2"}


class TestTaskScope(DetailPageMatrix, ApiDetailMatrix):
    model = Task
    objects = {code: task(code) for code in sorted(ALL_TASKS)}
    visible_to = {**{role: ALL_TASKS for role in PLAN_READERS}, R.MEMBER_LIAISON: {"1.1", "1.2"}}

    @staticmethod
    def detail_url(obj):
        return f"/plans/tasks/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/tasks/{obj.pk}"


class TestTaskUnitScope(ScopeMatrix):
    model = TaskUnit
    objects = {"on_1.1": lambda w: task("1.1")(w).units.first(), "on_2.2": lambda w: task("2.2")(w).units.first()}
    visible_to = {**{role: {"on_1.1", "on_2.2"} for role in PLAN_READERS}, R.MEMBER_LIAISON: {"on_1.1"}}


class TestProgressReportScope(ScopeMatrix):
    model = ProgressReport
    objects = {"report": lambda w: ProgressReport.objects.get(task=task("1.1")(w), period="2024Q1")}
    visible_to = {role: {"report"} for role in PLAN_READERS}


class TestIndicatorScope(ScopeMatrix):
    model = Indicator
    objects = {"first": lambda w: plan(w).indicators.get(order=0)}
    visible_to = {role: {"first"} for role in PLAN_READERS}


class TestIndicatorValueScope(ScopeMatrix):
    model = IndicatorValue
    objects = {"value": lambda w: IndicatorValue.objects.get(indicator__plan=plan(w), period="2024")}
    visible_to = {role: {"value"} for role in PLAN_READERS}


class TestPlanImportScope(ScopeMatrix):
    model = PlanImport
    objects = {"draft": lambda w: plan(w).source_import}
    visible_to = {role: {"draft"} for role in OFFICES}


class TestPlanDocumentScope(ScopeMatrix):
    model = PlanDocument
    objects = {"document": lambda w: plan(w).source_import.document}
    visible_to = {role: {"document"} for role in OFFICES}


class TestStoredFileScope(ScopeMatrix):
    model = StoredFile
    objects = {"staff_file": lambda w: store_file(ContentFile(b"staff upload", name="a.txt"),
                                                  acting_user=w.users["city_staff"])}
    visible_to = {R.CITY_STAFF: {"staff_file"}}


def _milestone(code):
    def make(world):
        import datetime as dt

        from ipcity.plans.actions import add_milestone

        return add_milestone(task(code)(world), acting_user=world.users["city_staff"], title="节点",
                             due_date=dt.date(2025, 6, 30))
    return make


class TestMilestoneScope(ScopeMatrix):
    model = Milestone
    objects = {"on_1.1": _milestone("1.1"), "on_2.2": _milestone("2.2")}
    visible_to = {**{role: {"on_1.1", "on_2.2"} for role in PLAN_READERS}, R.MEMBER_LIAISON: {"on_1.1"}}
