"""Pages: the screening's index (runs, flag counts, start a run), the flag list with filters, a flag with its
evidence and the review form. Views parse, authorise (permission + scope) and call actions."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ipcity.abnormal import actions, presenters
from ipcity.abnormal.forms import ReviewForm
from ipcity.abnormal.models import AbnormalFlag, ScreeningRun
from ipcity.core.actions import require_permission
from ipcity.core.scoping import get_visible_or_404, visible

PAGE_SIZE = 50
VIEW_PERMISSION = "abnormal.view_abnormalflag"


def _counts(flags) -> dict:
    """{kind: {state: n}} and totals, in one grouped query."""
    table = {k: {s: 0 for s in AbnormalFlag.State.values} for k in AbnormalFlag.Kind.values}
    for kind, state, n in flags.order_by().values_list("kind", "state").annotate(n=Count("pk")):
        table[kind][state] = n
    return table


@login_required
def index(request):
    require_permission(request.user, VIEW_PERMISSION)
    flags = visible(AbnormalFlag, request.user)
    table = _counts(flags)
    rows = [{"kind": k, "label": label, **{s: table[k][s] for s in AbnormalFlag.State.values}}
            for k, label in AbnormalFlag.Kind.choices]
    totals = {s: sum(r[s] for r in rows) for s in AbnormalFlag.State.values}
    runs = visible(ScreeningRun, request.user).select_related("region", "started_by", "job")[:10]
    return render(request, "abnormal/index.html", {
        "rows": rows, "totals": totals, "runs": runs, "nav_active": "supervision",
        "can_run": request.user.has_perm(actions.RUN_PERMISSION),
    })


@login_required
@require_POST
def start(request):
    require_permission(request.user, actions.RUN_PERMISSION)
    try:
        run = actions.start_screening(acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("abnormal:index")
    messages.success(request, f"已提交筛查（{run.region.name}），在后台运行，可在任务页查看进度")
    return redirect("jobs:detail", pk=run.job_id)


@login_required
def run_detail(request, pk: int):
    # Scope first: outside it (anyone but the offices) the answer is 404, as for every object page.
    run = get_visible_or_404(ScreeningRun.objects.select_related("region", "started_by", "job"), request.user, pk=pk)
    require_permission(request.user, "abnormal.view_screeningrun")
    flags = visible(AbnormalFlag, request.user).filter(first_run=run)
    table = _counts(flags)
    rows = [{"label": label, "kind": k, **table[k]} for k, label in AbnormalFlag.Kind.choices]
    return render(request, "abnormal/run.html", {"run": run, "rows": rows, "nav_active": "supervision"})


@login_required
def flag_list(request):
    require_permission(request.user, VIEW_PERMISSION)
    qs = visible(AbnormalFlag, request.user).select_related("region", "organisation")
    kind, state, q, run = (request.GET.get(k, "").strip() for k in ("kind", "state", "q", "run"))
    if kind in AbnormalFlag.Kind.values:
        qs = qs.filter(kind=kind)
    if state in AbnormalFlag.State.values:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(subject_name__contains=q)
    if run.isdigit():
        qs = qs.filter(first_run_id=int(run))
    page = Paginator(qs.order_by("-score", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    for flag in page:
        flag.summary = presenters.summary(flag)
    return render(request, "abnormal/flags.html", {
        "page": page, "kind": kind, "state": state, "q": q, "run": run, "nav_active": "supervision",
        "kinds": AbnormalFlag.Kind.choices, "states": AbnormalFlag.State.choices,
    })


@login_required
def flag_detail(request, pk: int):
    from ipcity.ipdata.models import Patent

    flag = get_visible_or_404(AbnormalFlag.objects.select_related(
        "region", "organisation", "reviewer", "first_run__started_by", "last_run", "follows__reviewer"),
        request.user, pk=pk)
    require_permission(request.user, VIEW_PERMISSION)
    patents = {p.application_number: p for p in visible(Patent, request.user).filter(abnormal_flags=flag)
               .order_by("application_date", "application_number")}
    follow_ups = list(visible(AbnormalFlag, request.user).filter(follows=flag).order_by("pk"))
    context = {"flag": flag, "patents": list(patents.values()), "summary": presenters.summary(flag),
               "nav_active": "supervision", "review_problem": actions.review_problem(flag, request.user),
               "follows": flag.follows if flag.follows_id and visible(AbnormalFlag, request.user).filter(
                   pk=flag.follows_id).exists() else None, "follow_ups": follow_ups}
    if flag.kind == AbnormalFlag.Kind.DUPLICATE:
        # The pairs reach into the cluster's other applicants' filings (the evidence), not only the flag's own.
        cluster = [n for n in (flag.evidence or {}).get("cluster", []) if n not in patents]
        others = {p.application_number: p for p in visible(Patent, request.user).filter(
            application_number__in=cluster)} if cluster else {}
        context["pairs"] = presenters.duplicate_pairs(flag, {**patents, **others})
    elif flag.kind == AbnormalFlag.Kind.BURST:
        context["bars"] = presenters.burst_rows(flag)
    else:
        context["hits"] = presenters.off_business_rows(flag)
    if context["review_problem"] is None:
        context["form"] = ReviewForm()
    return render(request, "abnormal/flag.html", context)


@login_required
@require_POST
def review(request, pk: int):
    flag = get_visible_or_404(AbnormalFlag.objects.all(), request.user, pk=pk)
    require_permission(request.user, actions.REVIEW_PERMISSION)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(m for ms in form.errors.values() for m in ms))
        return redirect("abnormal:flag", pk=pk)
    confirm = form.cleaned_data["decision"] == "confirm"
    try:
        flag = actions.review_flag(flag, acting_user=request.user, confirm=confirm, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if confirm and flag.organisation_id:
            messages.success(request, f"已确认，已记入{flag.organisation.name}的信用记录（非正常专利申请）")
        elif confirm:
            messages.success(request, "已确认；该主体未关联平台内的组织机构，未生成信用记录")
        else:
            messages.success(request, "已排除")
    return redirect("abnormal:flag", pk=pk)
