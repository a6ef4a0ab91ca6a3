"""Staff pages of 双随机、一公开 (/inspections/): parse, authorise (permission + scope + owning office), call actions."""
from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipcity.accounts.models import User
from ipcity.core.actions import require_permission
from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.inspections import actions, policy
from ipcity.inspections.forms import (
    AnnounceForm,
    BatchForm,
    ConflictForm,
    FileForm,
    FreezeForm,
    ItemForm,
    ObjectForm,
    PlanForm,
    RedrawForm,
    ResultForm,
)
from ipcity.inspections.models import (
    AnnualPlan,
    Assignment,
    Batch,
    ConflictDeclaration,
    Draw,
    InspectionItem,
    InspectionObject,
    InspectionResult,
    ObjectKind,
)
from ipcity.inspections.queries import effective_draw, inspector_pool, manages, office_of
from ipcity.regions.models import Region


def invalid(form) -> ValidationError:
    """A bound form's errors as one ValidationError, each message prefixed with its field's label ("年度：这个字段是
    必填项。"); errors of the whole form stay as they are."""
    out = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else ""
        out += [f"{label}：{e}" if label else e for e in errors]
    return ValidationError(out)


def _errors(request, exc) -> None:
    if isinstance(exc, ValidationError):
        messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "；".join(m for ms in exc.errors.values() for m in ms))


def _manager_office(user):
    office = office_of(user)
    if office is None or not manages(user, office):
        raise PermissionDenied("只有本单位的业务人员可以执行此操作")
    return office


def _require_manages(user, owner) -> None:
    if not manages(user, owner):
        raise PermissionDenied("只有制定计划的单位的业务人员可以执行此操作")


@login_required
def index(request):
    require_permission(request.user, "inspections.view_annualplan")
    user = request.user
    plans = (visible(AnnualPlan, user).select_related("owner").annotate(batch_count=Count("batches"))
             .order_by("-year", "owner__name"))
    # the draws of the plans the user sees, and those the user was drawn in (an officer of another office)
    draws = (visible(Draw, user).select_related("batch__item", "batch__plan__owner")
             .filter(Q(batch__plan__in=plans.values("pk")) | Q(assignments__inspectors=user)).distinct()
             .order_by("-committed_at")[:20])
    mine = (Assignment.objects.filter(inspectors=user, draw__superseded_by__isnull=True, result__isnull=True)
            .select_related("draw", "object").order_by("due_at")[:50])
    office = office_of(user)
    can_manage = office is not None and manages(user, office) and user.has_perm("inspections.add_annualplan")
    return render(request, "inspections/index.html", {
        "plans": plans, "draws": draws, "mine": mine, "now": timezone.now(),
        "plan_form": PlanForm(initial={"year": timezone.localdate().year}) if can_manage else None})


@login_required
@require_POST
def plan_add(request):
    require_permission(request.user, "inspections.add_annualplan")
    office = _manager_office(request.user)
    form = PlanForm(request.POST)
    try:
        if not form.is_valid():
            raise invalid(form)
        plan = actions.create_plan(acting_user=request.user, owner=office, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("inspections:index")
    messages.success(request, f"已创建 {plan.title}")
    return redirect("inspections:plan", plan.pk)


@login_required
def items(request):
    require_permission(request.user, "inspections.view_inspectionitem")
    qs = visible(InspectionItem, request.user).select_related("owner")
    office = office_of(request.user)
    can_add = (office is not None and manages(request.user, office)
               and request.user.has_perm("inspections.add_inspectionitem"))
    return render(request, "inspections/items.html", {
        "items": qs, "office": office if can_add else None,
        "form": ItemForm(initial={"department": office.name}) if can_add else None})


@login_required
@require_POST
def item_add(request):
    require_permission(request.user, "inspections.add_inspectionitem")
    office = _manager_office(request.user)
    form = ItemForm(request.POST)
    try:
        if not form.is_valid():
            raise invalid(form)
        item = actions.create_item(acting_user=request.user, owner=office, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"已加入抽查事项清单：{item}")
    return redirect("inspections:items")


@login_required
@require_POST
def item_active(request, pk: int):
    item = get_visible_or_404(InspectionItem.objects.select_related("owner"), request.user, pk=pk)
    require_permission(request.user, "inspections.change_inspectionitem")
    _require_manages(request.user, item.owner)
    actions.set_item_active(item, request.POST.get("active") == "1", acting_user=request.user)
    return redirect("inspections:items")


def _regions_of(office):
    return Region.objects.filter(code__startswith=office.region.prefix).order_by("code")


def _object_form(office, data=None):
    from ipcity.orgs.models import Organisation

    operators = Organisation.objects.filter(kind__in=actions.ORG_KINDS.values(), is_active=True,
                                            region__code__startswith=office.region.prefix).order_by("name")
    return ObjectForm(data, regions=_regions_of(office), organisations=operators)


@login_required
def pools(request):
    require_permission(request.user, "inspections.view_inspectionobject")
    user = request.user
    objects = visible(InspectionObject, user).select_related("owner", "region")
    kind = request.GET.get("kind", "")
    if kind:
        objects = objects.filter(kind=kind)
    page = Paginator(objects, 100).get_page(request.GET.get("page"))
    office = office_of(user)
    can_manage = office is not None and manages(user, office) and user.has_perm("inspections.add_inspectionobject")
    today = timezone.localdate()
    inspectors = list(inspector_pool(office, today)) if office is not None else []
    conflicts = (visible(ConflictDeclaration, user).filter(withdrawn_at__isnull=True)
                 .select_related("inspector", "object", "declared_by")[:200])
    conflict_form = None
    if office is not None and user.has_perm("inspections.add_conflictdeclaration"):
        own = InspectionObject.objects.filter(owner=office, is_active=True).order_by("name")
        who = User.objects.filter(pk__in=[u.pk for u in inspectors] if can_manage else [user.pk])
        conflict_form = ConflictForm(inspectors=who, objects=own)
    return render(request, "inspections/pools.html", {
        "page": page, "kind": kind, "kinds": ObjectKind.choices, "inspectors": inspectors, "office": office,
        "conflicts": conflicts,
        "object_form": _object_form(office) if can_manage else None,
        "can_manage": can_manage, "conflict_form": conflict_form, "today": today})


@login_required
@require_POST
def pool_sync(request):
    require_permission(request.user, "inspections.add_inspectionobject")
    office = _manager_office(request.user)
    result = actions.sync_object_pool(office, acting_user=request.user)
    messages.success(request, f"已同步：新增 {result['added']} 个，标记不在营 {result['deactivated']} 个")
    return redirect("inspections:pools")


@login_required
@require_POST
def object_add(request):
    require_permission(request.user, "inspections.add_inspectionobject")
    office = _manager_office(request.user)
    form = _object_form(office, request.POST)
    try:
        if not form.is_valid():
            raise invalid(form)
        obj = actions.add_object(acting_user=request.user, owner=office, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"已加入检查对象名录库：{obj}")
    return redirect("inspections:pools")


@login_required
@require_POST
def object_active(request, pk: int):
    obj = get_visible_or_404(InspectionObject, request.user, pk=pk)
    require_permission(request.user, "inspections.change_inspectionobject")
    _require_manages(request.user, obj.owner)
    actions.set_object_active(obj, request.POST.get("active") == "1", acting_user=request.user)
    return redirect("inspections:pools")


@login_required
@require_POST
def conflict_add(request):
    require_permission(request.user, "inspections.add_conflictdeclaration")
    user = request.user
    office = office_of(user)
    if office is None:
        raise PermissionDenied("您不属于知识产权管理部门")
    can_manage = manages(user, office)
    inspectors = (User.objects.filter(pk__in=[u.pk for u in inspector_pool(office, timezone.localdate())])
                  if can_manage else User.objects.filter(pk=user.pk))
    form = ConflictForm(request.POST, inspectors=inspectors,
                        objects=InspectionObject.objects.filter(owner=office, is_active=True))
    try:
        if not form.is_valid():
            raise invalid(form)
        actions.declare_conflict(acting_user=user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "已登记回避声明，今后的抽取将回避该检查对象")
    return redirect("inspections:pools")


@login_required
@require_POST
def conflict_withdraw(request, pk: int):
    conflict = get_visible_or_404(ConflictDeclaration.objects.select_related("object__owner"), request.user, pk=pk)
    require_permission(request.user, "inspections.change_conflictdeclaration")
    _require_manages(request.user, conflict.object.owner)
    try:
        actions.withdraw_conflict(conflict, acting_user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("inspections:pools")


@login_required
def plan_detail(request, pk: int):
    plan = get_visible_or_404(AnnualPlan.objects.select_related("owner", "owner__region"), request.user, pk=pk)
    require_permission(request.user, "inspections.view_annualplan")
    user = request.user
    can_manage = manages(user, plan.owner) and user.has_perm("inspections.change_annualplan")
    batches = []
    exclude_inspected, rounding = policy.EXCLUDE_INSPECTED.get(), policy.RATIO_ROUNDING.get()
    try:
        rule_ratios = policy.class_ratios()
    except ValidationError:
        rule_ratios = None  # each ratio batch then reports the rule's problem itself
    sizes = {}  # one pool computation per (object kinds, item) — not one per batch
    for batch in plan.batches.select_related("item").prefetch_related(
            Prefetch("draws", queryset=Draw.objects.select_related("superseded_by").order_by("committed_at"))):
        draws = list(batch.draws.all())
        current = effective_draw(batch, draws)
        try:
            if current is None:
                key = actions.pool_key(batch, exclude_inspected)
                if key not in sizes:
                    sizes[key] = actions.pool_sizes(batch)
                table = actions.ratio_table(batch, None, sizes=sizes[key], ratios=rule_ratios, rounding=rounding)
            else:
                table = actions.ratio_table(batch, current, ratios=rule_ratios)
            problem = ""
        except ValidationError as exc:
            table, problem = [], "；".join(exc.messages)
        batches.append({"batch": batch, "draws": draws, "current": current, "ratios": table,
                        "ratio_problem": problem})
    items = InspectionItem.objects.filter(owner=plan.owner, is_active=True)
    return render(request, "inspections/plan.html", {
        "plan": plan, "batches": batches, "can_manage": can_manage,
        "can_draw": manages(user, plan.owner) and user.has_perm("inspections.add_draw"),
        "file_form": FileForm(initial={"filed_on": timezone.localdate()}) if can_manage else None,
        "batch_form": BatchForm(items=items) if can_manage and plan.state == AnnualPlan.State.DRAFT else None,
        "freeze_form": FreezeForm()})


@login_required
@require_POST
def plan_file(request, pk: int):
    plan = get_visible_or_404(AnnualPlan.objects.select_related("owner"), request.user, pk=pk)
    require_permission(request.user, "inspections.change_annualplan")
    _require_manages(request.user, plan.owner)
    form = FileForm(request.POST)
    try:
        if not form.is_valid():
            raise invalid(form)
        actions.file_plan(plan, acting_user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "已记录报上级部门备案")
    return redirect("inspections:plan", pk)


@login_required
@require_POST
def batch_add(request, pk: int):
    plan = get_visible_or_404(AnnualPlan.objects.select_related("owner"), request.user, pk=pk)
    require_permission(request.user, "inspections.add_batch")
    _require_manages(request.user, plan.owner)
    form = BatchForm(request.POST, items=InspectionItem.objects.filter(owner=plan.owner, is_active=True))
    try:
        if not form.is_valid():
            raise invalid(form)
        try:
            ratios = form.ratios()
        except Exception as exc:  # forms.ValidationError carries the Chinese message
            raise ValidationError(getattr(exc, "messages", [str(exc)])) from exc
        data = form.cleaned_data
        actions.add_batch(plan, acting_user=request.user, item=data["item"], name=data["name"],
                          object_kinds=data["object_kinds"], mode=data["mode"], count=data["count"],
                          ratios=ratios, planned_month=data["planned_month"])
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "已增加抽查批次")
    return redirect("inspections:plan", pk)


@login_required
@require_POST
def batch_freeze(request, pk: int):
    batch = get_visible_or_404(Batch.objects.select_related("plan__owner__region", "item"), request.user, pk=pk)
    require_permission(request.user, "inspections.add_draw")
    _require_manages(request.user, batch.plan.owner)
    form = FreezeForm(request.POST)
    try:
        if not form.is_valid():
            raise invalid(form)
        draw = actions.freeze_draw(batch, acting_user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("inspections:plan", batch.plan_id)
    messages.success(request, f"名录已冻结，摘要 {draw.commitment[:16]}… 已公布并存证；请在开奖后录入开奖结果")
    return redirect("inspections:draw", draw.pk)


def entries_for(obj) -> list[dict]:
    """The evidence entries about a draw: index, kind (its Chinese name) and leaf hash."""
    from ipcity.evidence import log as evidence_log
    from ipcity.evidence.kinds import label

    return [{"index": e.index, "kind": label(e.kind), "code": e.kind, "leaf_hash": e.leaf_hash}
            for e in evidence_log.entries_for(obj)]


@login_required
def draw_detail(request, pk: int):
    user = request.user
    draw = get_visible_or_404(Draw.objects.select_related(
        "batch__plan__owner", "batch__item", "supersedes", "committed_by", "drawn_by"), user, pk=pk)
    require_permission(user, "inspections.view_draw")
    plan = draw.batch.plan
    is_manager = manages(user, plan.owner)
    pool = json.loads(draw.pool_json)
    names = {f"I{u.pk}": u for u in User.objects.filter(
        pk__in=[int(i["id"][1:]) for i in pool["inspectors"]]).select_related("organisation")}
    assignments = list(draw.assignments.select_related("object", "result").prefetch_related("inspectors"))
    now = timezone.now()
    for a in assignments:
        a.result_or_none = getattr(a, "result", None)  # the reverse one-to-one raises an AttributeError subclass
        a.overdue = a.result_or_none is None and a.due_at is not None and a.due_at < now and not draw.is_superseded
        a.may_enter = (a.result_or_none is None and not draw.is_superseded
                       and user.has_perm("inspections.add_inspectionresult")
                       and (is_manager or any(p.pk == user.pk for p in a.inspectors.all())))
    visible_results = set(visible(InspectionResult, user).filter(assignment__draw=draw).values_list("pk", flat=True))
    successor = Draw.objects.filter(supersedes=draw).first()
    can_run = is_manager and user.has_perm("inspections.change_draw")
    return render(request, "inspections/draw.html", {
        "draw": draw, "plan": plan, "pool": pool, "names": names, "assignments": assignments,
        "visible_results": visible_results, "successor": successor, "entries": entries_for(draw),
        "ratios": actions.ratio_table(draw.batch, draw), "beacon": pool.get("beacon"),
        "left_out": pool.get("meta", {}).get("left_out", []),
        "announce_form": (AnnounceForm(initial=_beacon_initial(pool.get("beacon")))
                          if can_run and draw.state == Draw.State.COMMITTED and not successor else None),
        "redraw_form": RedrawForm() if can_run and not successor else None,
        "can_publish": can_run and any(a.result_or_none and not a.result_or_none.published_at for a in assignments)})


def _beacon_initial(beacon) -> dict:
    return {"source": beacon["source"], "period": beacon["period"]} if beacon else {}


@login_required
@require_POST
def draw_announce(request, pk: int):
    draw = get_visible_or_404(Draw.objects.select_related("batch__plan__owner"), request.user, pk=pk)
    require_permission(request.user, "inspections.change_draw")
    _require_manages(request.user, draw.batch.plan.owner)
    form = AnnounceForm(request.POST)
    try:
        if not form.is_valid():
            raise invalid(form)
        actions.perform_draw(draw, acting_user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "已抽取并公布抽查记录")
    return redirect("inspections:draw", pk)


@login_required
@require_POST
def draw_redraw(request, pk: int):
    draw = get_visible_or_404(Draw.objects.select_related("batch__plan__owner"), request.user, pk=pk)
    require_permission(request.user, "inspections.add_draw")
    _require_manages(request.user, draw.batch.plan.owner)
    form = RedrawForm(request.POST)
    try:
        if not form.is_valid():
            raise invalid(form)
        new = actions.redraw(draw, acting_user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("inspections:draw", pk)
    messages.success(request, f"已重新冻结名录（抽取 {new.number}），原抽取 {draw.number} 保留并标注为已替代")
    return redirect("inspections:draw", new.pk)


@login_required
@require_POST
def draw_publish(request, pk: int):
    draw = get_visible_or_404(Draw.objects.select_related("batch__plan__owner", "batch__item"), request.user, pk=pk)
    require_permission(request.user, "inspections.change_inspectionresult")
    _require_manages(request.user, draw.batch.plan.owner)
    try:
        published = actions.publish_results(draw, acting_user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"已公示 {len(published)} 个检查结果，并推送信用记录")
    return redirect("inspections:draw", pk)


@login_required
def result_entry(request, pk: int):
    user = request.user
    assignment = get_visible_or_404(Assignment.objects.select_related(
        "draw__batch__plan__owner", "draw__batch__item", "object"), user, pk=pk)
    require_permission(user, "inspections.add_inspectionresult")
    if not (manages(user, assignment.draw.batch.plan.owner) or assignment.inspectors.filter(pk=user.pk).exists()):
        raise PermissionDenied("只有被抽中的执法检查人员或本单位业务人员可以录入结果")
    form = ResultForm(request.POST or None, initial={"inspected_on": timezone.localdate()})
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise invalid(form)
            result = actions.enter_result(assignment, acting_user=user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "已录入检查结果" + ("（逾期录入）" if result.late else ""))
            return redirect("inspections:draw", assignment.draw_id)
    deadline = actions.deadline_of(assignment)
    return render(request, "inspections/result.html", {
        "assignment": assignment, "form": form, "deadline": deadline,
        "overdue": assignment.due_at is not None and assignment.due_at < timezone.now()})
