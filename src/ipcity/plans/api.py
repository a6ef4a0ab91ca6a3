from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema, Status
from pydantic import Field

from ipcity.core.actions import require_permission
from ipcity.core.api_schemas import AUTH_ERRORS, DETAIL_ERRORS, Text
from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.plans import actions
from ipcity.plans.dashboard import indicator_forecast
from ipcity.plans.models import Indicator, Plan, ProgressReport, Task
from ipcity.plans.queries import can_review
from ipcity.regions.models import Region

router = Router(tags=["规划与指标"])

PERIOD = r"^\d{4}(H[12]|Q[1-4]|-(0[1-9]|1[0-2]))?$"


class PlanOut(Schema):
    id: int
    title: str
    doc_number: str
    issued_on: dt.date | None
    period_start: int | None
    period_end: int | None
    owner_id: int
    region_code: str = Field(alias="region_id")
    cadence: str
    version: int
    status: str
    is_demo: bool


class TaskUnitOut(Schema):
    organisation_id: int | None
    raw_name: str
    role: str


class TaskOut(Schema):
    id: int
    plan_id: int
    code: str
    number: str
    title: str
    text: str
    due_date: dt.date | None
    status: str
    units: list[TaskUnitOut]

    @staticmethod
    def resolve_units(obj):
        return list(obj.units.all())


class ReportOut(Schema):
    id: int
    task_id: int
    unit_id: int
    period: str
    kind: str
    text: str
    figures: dict[str, float]
    status: str
    submitted_at: dt.datetime | None
    review_comment: str


# Literals, not the models' TextChoices: ninja names enum components by class name, and "Kind"/"Status" would
# overwrite other modules' enums of the same name in the OpenAPI document.
ReportKind = Literal["regular", "flash", "immediate"]
TaskStatus = Literal["not_started", "in_progress", "completed"]


class ReportIn(Schema):
    kind: ReportKind = "regular"
    period: str = Field("", pattern=r"^(\d{4}(H[12]|Q[1-4]|-(0[1-9]|1[0-2]))?)?$")
    text: Text = Field(..., min_length=1, max_length=10000)
    figures: dict[Text, float] = Field(default_factory=dict, max_length=50)


class ReviewIn(Schema):
    decision: Literal["accept", "return"]
    comment: Text = Field("", max_length=2000)


class IndicatorOut(Schema):
    id: int
    plan_id: int
    name: str
    unit: str
    baseline_year: int | None
    baseline_value: float | None
    target_year: int | None
    target_value: float | None
    target_kind: str
    nature: str
    status: str
    method: str
    progress_pct: float | None


class ValueOut(Schema):
    id: int
    region_code: str = Field(alias="region_id")
    period: str
    value: float
    source: str


class ValueIn(Schema):
    region_code: str = Field(..., pattern=r"^\d{6}$")
    period: str = Field(..., pattern=PERIOD)
    value: float = Field(..., allow_inf_nan=False)
    source: Text = Field(..., min_length=1, max_length=300)


class TaskFilter(Schema):
    status: TaskStatus | None = None


def _indicator_out(ind: Indicator) -> IndicatorOut:
    f = indicator_forecast(ind)
    return IndicatorOut(id=ind.pk, plan_id=ind.plan_id, name=ind.name, unit=ind.unit,
                        baseline_year=ind.baseline_year, baseline_value=ind.baseline_value,
                        target_year=ind.target_year, target_value=ind.target_value, target_kind=ind.target_kind,
                        nature=ind.nature, status=f.status, method=f.method, progress_pct=f.progress_pct)


@router.get("/plans", response={200: list[PlanOut], **AUTH_ERRORS}, summary="规划列表")
def list_plans(request):
    return list(visible(Plan, request.auth))


@router.get("/plans/{int:plan_id}", response={200: PlanOut, **DETAIL_ERRORS}, summary="规划详情")
def get_plan(request, plan_id: int):
    return get_visible_or_404(Plan, request.auth, pk=plan_id)


@router.get("/plans/{int:plan_id}/tasks", response={200: list[TaskOut], **DETAIL_ERRORS}, summary="规划的任务")
def list_tasks(request, plan_id: int, filters: Query[TaskFilter]):
    plan = get_visible_or_404(Plan, request.auth, pk=plan_id)
    qs = visible(Task, request.auth).filter(plan=plan).prefetch_related("units")
    if filters.status:
        qs = qs.filter(status=filters.status)
    return list(qs)


@router.get("/plans/{int:plan_id}/indicators", response={200: list[IndicatorOut], **DETAIL_ERRORS},
            summary="规划的指标与进展判断")
def list_indicators(request, plan_id: int):
    plan = get_visible_or_404(Plan, request.auth, pk=plan_id)
    return [_indicator_out(i) for i in visible(Indicator, request.auth).filter(plan=plan)]


@router.get("/tasks/{int:task_id}", response={200: TaskOut, **DETAIL_ERRORS}, summary="任务详情")
def get_task(request, task_id: int):
    return get_visible_or_404(Task.objects.prefetch_related("units"), request.auth, pk=task_id)


@router.get("/tasks/{int:task_id}/reports", response={200: list[ReportOut], **DETAIL_ERRORS}, summary="任务的进展报送")
def list_reports(request, task_id: int):
    task = get_visible_or_404(Task, request.auth, pk=task_id)
    return list(visible(ProgressReport, request.auth).filter(task=task))


@router.post("/tasks/{int:task_id}/reports", response={201: ReportOut, **DETAIL_ERRORS},
             summary="报送任务进展（仅责任单位）")
def submit_report(request, task_id: int, payload: ReportIn):
    task = get_visible_or_404(Task, request.auth, pk=task_id)
    require_permission(request.auth, "plans.add_progressreport")
    report = actions.submit_report(task, acting_user=request.auth, period=payload.period, text=payload.text,
                                   kind=payload.kind, figures=payload.figures)
    return Status(201, report)


@router.post("/reports/{int:report_id}/review", response={200: ReportOut, **DETAIL_ERRORS},
             summary="采纳或退回进展报送（市局）")
def review_report(request, report_id: int, payload: ReviewIn):
    report = get_visible_or_404(ProgressReport.objects.select_related("task__plan__region"), request.auth,
                                pk=report_id)
    if not can_review(request.auth, report.task.plan.region):
        raise PermissionDenied("只有市局业务人员可以审核进展报送")
    return actions.review_report(report, acting_user=request.auth, accept=payload.decision == "accept",
                                 comment=payload.comment)


@router.get("/indicators/{int:indicator_id}/values", response={200: list[ValueOut], **DETAIL_ERRORS},
            summary="指标台账")
def list_values(request, indicator_id: int):
    indicator = get_visible_or_404(Indicator, request.auth, pk=indicator_id)
    return list(indicator.values.all())


@router.post("/indicators/{int:indicator_id}/values", response={201: ValueOut, **DETAIL_ERRORS},
             summary="填报指标实际值")
def record_value(request, indicator_id: int, payload: ValueIn):
    indicator = get_visible_or_404(Indicator.objects.select_related("plan__region"), request.auth, pk=indicator_id)
    require_permission(request.auth, "plans.add_indicatorvalue")
    region = Region.objects.filter(code=payload.region_code).first()
    jurisdiction = request.auth.jurisdiction
    if region is None or not indicator.plan.region.contains(region) or (
            jurisdiction is not None and not jurisdiction.contains(region)):
        raise PermissionDenied("只能填报本规划适用范围内、本辖区的指标值")
    value = actions.record_indicator_value(indicator, acting_user=request.auth, region=region,
                                           period=payload.period, value=payload.value, source=payload.source)
    return Status(201, value)
