from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipcity.core.actions import require_permission
from ipcity.core.files import file_path, store_file
from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.orgs.models import Organisation
from ipcity.plans import actions, dashboard
from ipcity.plans.forms import (IndicatorValueForm, MilestoneForm, PlanHeaderForm, PublishForm, ReportForm,
                                ReviewForm, TaskEditForm, UploadForm)
from ipcity.plans.models import Indicator, Milestone, Plan, PlanImport, ProgressReport, Task
from ipcity.plans.queries import can_review, units_of
from ipcity.regions.models import Region

_SPLIT_UNITS = re.compile(r"[、，,；;\s]+")


@login_required
def plan_list(request):
    user = request.user
    plans = visible(Plan, user).select_related("owner").annotate(
        task_count=Count("tasks", distinct=True),
        done_count=Count("tasks", filter=Q(tasks__status=Task.Status.COMPLETED), distinct=True))
    drafts = visible(PlanImport, user).filter(status=PlanImport.Status.DRAFT).select_related("document__file")
    return render(request, "plans/list.html", {
        "plans": plans, "drafts": drafts, "form": UploadForm(),
        "can_import": user.has_perm("plans.add_planimport"),
    })


@login_required
@require_POST
def upload(request):
    require_permission(request.user, "plans.add_planimport")
    form = UploadForm(request.POST, request.FILES)
    owner = request.user.organisation
    if owner is None:
        raise PermissionDenied("您的账户未关联单位，不能导入规划")
    if owner.kind == Organisation.Kind.CITY_SECTION and owner.parent_id:
        owner = owner.parent  # a section imports on behalf of its office
    if form.is_valid():
        try:
            draft = actions.import_document(form.cleaned_data["file"], acting_user=request.user, owner=owner)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            for warning in draft.data.get("warnings") or []:
                messages.warning(request, warning)
            if draft.replaces_id:
                messages.info(request, f"该文件与已发布的《{draft.replaces}》相同，发布后将作为新版本替代原版本。")
            return redirect("plans:review", pk=draft.pk)
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("plans:list")


def _draft_for_review(request, pk, *, editing: bool = False) -> PlanImport:
    draft = get_visible_or_404(PlanImport.objects.select_related("document__file", "owner__region"), request.user,
                               pk=pk)
    if not can_review(request.user, draft.owner.region):
        raise PermissionDenied("只有本辖区知识产权管理部门的业务人员可以审核导入的规划")
    if editing and draft.status != PlanImport.Status.DRAFT:
        raise PermissionDenied(f"该导入{draft.get_status_display()}，不能再修改")
    return draft


def _units_text(names) -> str:
    return "、".join(names or [])


def _units_list(text: str) -> list[str]:
    return [n for n in _SPLIT_UNITS.split(text or "") if n]


@login_required
def review(request, pk: int):
    draft = _draft_for_review(request, pk)
    data = draft.data
    header = PlanHeaderForm(initial={
        "title": data.get("title"), "doc_number": data.get("doc_number"), "date": data.get("date"),
        "period_start": (data.get("period") or {}).get("start"), "period_end": (data.get("period") or {}).get("end")})
    candidates = Organisation.objects.filter(region__code__startswith=draft.owner.region.code[:4],
                                             kind__in=Organisation.GOVERNMENT_KINDS + (Organisation.Kind.COURT,))
    tasks = []
    text = draft.document.text
    for index, item in enumerate(data.get("tasks") or []):
        span = item.get("source_span") or [None, None]
        tasks.append({"index": index, "item": item, "units": _units_text(item.get("lead") or item.get("responsible")),
                      "support": _units_text(item.get("support")),
                      "excerpt": text[span[0]:span[1]][:400] if span[0] is not None else ""})
    return render(request, "plans/review.html", {
        "draft": draft, "header": header, "tasks": tasks, "source": text,
        "indicators": [{**i, "kind_label": Indicator.TargetKind(i["target_kind"]).label
                        if i.get("target_kind") in Indicator.TargetKind.values else i.get("target_kind")}
                       for i in data.get("indicators") or []],
        "sections": data.get("sections") or [],
        "groups": data.get("groups") or [], "warnings": data.get("warnings") or [],
        "mapping": sorted(draft.unit_mapping.items()), "candidates": candidates.order_by("kind", "name"),
        "publish_form": PublishForm(), "editable": draft.status == PlanImport.Status.DRAFT,
    })


@login_required
@require_POST
def review_header(request, pk: int):
    draft = _draft_for_review(request, pk, editing=True)
    form = PlanHeaderForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("plans:review", pk=pk)
    data = dict(draft.data)
    cleaned = form.cleaned_data
    data.update(title=cleaned["title"], doc_number=cleaned["doc_number"] or None,
                date=cleaned["date"].isoformat() if cleaned["date"] else None,
                period={"start": cleaned["period_start"], "end": cleaned["period_end"]}
                if cleaned["period_start"] and cleaned["period_end"] else None)
    actions.update_import(draft, acting_user=request.user, data=data)
    messages.success(request, "已保存")
    return redirect("plans:review", pk=pk)


@login_required
def review_task(request, pk: int, index: int):
    """Edit, delete, merge with the next task, or split a task at a character offset of its text."""
    draft = _draft_for_review(request, pk, editing=True)
    data = dict(draft.data)
    tasks = list(data.get("tasks") or [])
    if not 0 <= index < len(tasks):
        raise Http404("没有这个任务")
    item = dict(tasks[index])
    if request.method == "POST":
        op = request.POST.get("op", "save")
        if op == "delete":
            tasks.pop(index)
        elif op == "merge" and index + 1 < len(tasks):
            nxt = tasks.pop(index + 1)
            item["text"] = (item.get("text") or "") + "\n" + (nxt.get("text") or "")
            for key in ("lead", "support", "responsible"):
                item[key] = list(dict.fromkeys((item.get(key) or []) + (nxt.get(key) or [])))
            span, nxt_span = item.get("source_span") or [None, None], nxt.get("source_span") or [None, None]
            if span[0] is not None and nxt_span[1] is not None:
                item["source_span"] = [span[0], nxt_span[1]]
            tasks[index] = item
        elif op == "split":
            try:
                at = int(request.POST.get("at", ""))
            except ValueError:
                at = -1
            body = item.get("text") or ""
            if not 0 < at < len(body):
                messages.error(request, f"拆分位置应在 1 到 {len(body) - 1} 之间")
                return redirect("plans:review", pk=pk)
            second = {**item, "id": f"{item.get('id')}-b", "number": "", "title": body[at:at + 40].strip(),
                      "text": body[at:].strip()}
            item["text"] = body[:at].strip()
            tasks[index:index + 1] = [item, second]
        else:
            form = TaskEditForm(request.POST)
            if not form.is_valid():
                return render(request, "plans/task_edit.html", {"draft": draft, "form": form, "index": index})
            c = form.cleaned_data
            item.update(number=c["number"], title=c["title"], text=c["text"], lead=_units_list(c["lead"]),
                        support=_units_list(c["support"]), responsible=_units_list(c["responsible"]),
                        deadline=c["deadline"].isoformat() if c["deadline"] else None)
            tasks[index] = item
        data["tasks"] = tasks
        mapping = dict(draft.unit_mapping)
        for task in tasks:
            for key in ("lead", "support", "responsible"):
                for name in task.get(key) or []:
                    mapping.setdefault(name, None)
        actions.update_import(draft, acting_user=request.user, data=data, unit_mapping=mapping)
        return redirect(f"{reverse('plans:review', args=[pk])}#task-{min(index, max(len(tasks) - 1, 0))}")
    form = TaskEditForm(initial={**item, "lead": _units_text(item.get("lead")),
                                 "support": _units_text(item.get("support")),
                                 "responsible": _units_text(item.get("responsible"))})
    return render(request, "plans/task_edit.html", {"draft": draft, "form": form, "index": index})


@login_required
@require_POST
def review_units(request, pk: int):
    draft = _draft_for_review(request, pk, editing=True)
    mapping = {}
    for raw in draft.unit_mapping:
        value = request.POST.get(f"unit::{raw}", "")
        mapping[raw] = int(value) if value.isdigit() else None
    try:
        actions.update_import(draft, acting_user=request.user, unit_mapping=mapping)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "责任单位对应关系已保存")
    return redirect("plans:review", pk=pk)


@login_required
@require_POST
def publish(request, pk: int):
    draft = _draft_for_review(request, pk, editing=True)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("plans:review", pk=pk)
    try:
        plan = actions.publish_import(draft, acting_user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("plans:review", pk=pk)
    messages.success(request, f"已发布：{plan.title}")
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def discard(request, pk: int):
    draft = _draft_for_review(request, pk, editing=True)
    actions.discard_import(draft, acting_user=request.user)
    messages.success(request, "已放弃该导入")
    return redirect("plans:list")


@login_required
def plan_detail(request, pk: int):
    plan = get_visible_or_404(Plan.objects.select_related("owner", "region"), request.user, pk=pk)
    return render(request, "plans/dashboard.html",
                  dashboard.build(plan, request.user, timezone.localdate(), params=request.GET))


@login_required
def task_detail(request, pk: int):
    task = get_visible_or_404(Task.objects.select_related("plan__region", "section"), request.user, pk=pk)
    reports = visible(ProgressReport, request.user).filter(task=task).select_related("unit", "submitted_by")
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            attachments = []
            try:
                if form.cleaned_data.get("attachment"):
                    attachments.append(store_file(form.cleaned_data["attachment"], acting_user=request.user))
                actions.submit_report(task, acting_user=request.user, period=form.cleaned_data["period"],
                                      text=form.cleaned_data["text"], kind=form.cleaned_data["kind"],
                                      figures=form.cleaned_data["figures"], attachments=attachments)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "进展已报送，等待市局审核")
                return redirect("plans:task", pk=task.pk)
    return render(request, "plans/task.html", {
        "task": task, "reports": reports, "form": form, "can_report": units_of(request.user, task),
        "can_review": can_review(request.user, task.plan.region), "units": task.units.select_related("organisation"),
        "review_form": ReviewForm(), "milestones": visible(Milestone, request.user).filter(task=task),
        "milestone_form": MilestoneForm(), "today": timezone.localdate(),
    })


@login_required
@require_POST
def milestone_add(request, pk: int):
    task = get_visible_or_404(Task.objects.select_related("plan__region"), request.user, pk=pk)
    if not can_review(request.user, task.plan.region):
        raise PermissionDenied("只有市局业务人员可以设置任务节点")
    form = MilestoneForm(request.POST)
    if form.is_valid():
        actions.add_milestone(task, acting_user=request.user, **form.cleaned_data)
        messages.success(request, "已添加节点")
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("plans:task", pk=task.pk)


@login_required
@require_POST
def milestone_done(request, pk: int):
    milestone = get_visible_or_404(Milestone.objects.select_related("task__plan__region"), request.user, pk=pk)
    if not (can_review(request.user, milestone.task.plan.region) or units_of(request.user, milestone.task)):
        raise PermissionDenied("只有市局或责任单位可以确认节点完成")
    try:
        actions.complete_milestone(milestone, acting_user=request.user, done_on=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("plans:task", pk=milestone.task_id)


@login_required
@require_POST
def review_report(request, pk: int):
    report = get_visible_or_404(ProgressReport.objects.select_related("task__plan__region"), request.user, pk=pk)
    if not can_review(request.user, report.task.plan.region):
        raise PermissionDenied("只有市局业务人员可以审核进展报送")
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.review_report(report, acting_user=request.user, accept=form.cleaned_data["decision"] == "accept",
                                  comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已审核")
    return redirect("plans:task", pk=report.task_id)


@login_required
def report_attachment(request, pk: int, file_id: int):
    """Attachments are served only through the report they belong to, after its scope check."""
    report = get_visible_or_404(ProgressReport, request.user, pk=pk)
    stored = report.attachments.filter(pk=file_id).first()
    if stored is None:
        raise Http404("未找到该附件")
    return FileResponse(file_path(stored).open("rb"), as_attachment=True, filename=stored.original_name)


@login_required
def indicator_detail(request, pk: int):
    indicator = get_visible_or_404(Indicator.objects.select_related("plan", "plan__region"), request.user, pk=pk)
    plan_region = indicator.plan.region
    regions = [plan_region, *Region.objects.filter(parent=plan_region).order_by("code")]
    jurisdiction = request.user.jurisdiction
    if jurisdiction is not None and jurisdiction.level > plan_region.level:
        regions = [r for r in regions if jurisdiction.contains(r)]
    form = IndicatorValueForm(request.POST or None, request.FILES or None, regions=regions)
    if request.method == "POST":
        require_permission(request.user, "plans.add_indicatorvalue")
        if form.is_valid():
            c = form.cleaned_data
            try:
                attachment = store_file(c["attachment"], acting_user=request.user) if c.get("attachment") else None
                actions.record_indicator_value(indicator, acting_user=request.user,
                                               region=Region.objects.get(code=c["region"]), period=c["period"],
                                               value=c["value"], source=c["source"], attachment=attachment)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已记录")
                return redirect("plans:indicator", pk=indicator.pk)
    values = indicator.values.select_related("region", "entered_by").order_by("region_id", "period")
    from ipcity.analytics.binding import bound_definition, computed_actuals

    computed = computed_actuals(indicator)
    return render(request, "plans/indicator.html", {
        "indicator": indicator, "values": values, "form": form,
        "can_enter": request.user.has_perm("plans.add_indicatorvalue"),
        "progress": dashboard.indicator_forecast(indicator, computed),
        "computed": computed, "bound": bound_definition(indicator),
        "can_drill": request.user.has_perm("analytics.view_indicators"),
    })


@login_required
def plan_report(request, pk: int):
    """Download the 季度通报 / 年度报告 (DOCX, GB/T 9704 layout) or the 台账 (XLSX), as the requesting user sees it."""
    from django.http import HttpResponse

    from ipcity.plans import periods
    from ipcity.plans.reports import REPORT_CONTENT_TYPES, annual_report, ledger_xlsx, quarterly_brief

    plan = get_visible_or_404(Plan.objects.select_related("owner"), request.user, pk=pk)
    kind = request.GET.get("kind", "ledger")
    today = timezone.localdate()
    try:
        if kind == "quarterly":
            quarter = request.GET.get("quarter") or periods.current("quarterly", today)
            if not re.fullmatch(r"\d{4}Q[1-4]", quarter):
                raise ValidationError(f"季度格式错误：{quarter}（应为 2025Q3）")
            data, name, ext = quarterly_brief(plan, request.user, quarter, today), f"{quarter}季度通报", "docx"
        elif kind == "annual":
            year = int(request.GET.get("year") or today.year)
            data, name, ext = annual_report(plan, request.user, year, today), f"{year}年度报告", "docx"
        elif kind == "ledger":
            data, name, ext = ledger_xlsx(plan, request.user), "台账", "xlsx"
        else:
            raise Http404("没有这种报告")
    except (ValidationError, ValueError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect("plans:detail", pk=plan.pk)
    response = HttpResponse(data, content_type=REPORT_CONTENT_TYPES[ext])
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, f"{plan.title}-{name}.{ext}")
    return response
