"""Staff, member-department and enterprise pages of credit supervision. Views parse, authorise (permission + scope)
and call actions; everything they read goes through the scopes."""
from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipcity.accounts.roles import Role, role_label
from ipcity.core.actions import require_permission
from ipcity.core.masking import mask_id_number
from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.credit import actions, exporting, listing, policy, scoring
from ipcity.credit.collect import collect_from_protection
from ipcity.credit.forms import (
    CommitmentForm,
    ProposeForm,
    ReasonForm,
    RecordForm,
    RemoveForm,
    RepairDecisionForm,
    RepairForm,
    StepForm,
)
from ipcity.credit.models import CollectionRun, CreditRecord, ListingStep, RepairApplication, SeriousListing
from ipcity.credit.queries import SUBJECT_ROLES, covers, current_listing_q, is_office, unmatched_for
from ipcity.evidence import log as evidence_log
from ipcity.orgs.models import Organisation
from ipcity.orgs.queries import jurisdiction_q

PAGE_SIZE = 50


def _errors(request, exc) -> None:
    text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text)


def _form_errors(request, form) -> None:
    messages.error(request, "；".join(m for ms in form.errors.values() for m in ms))


def _policy_error(request, exc: policy.PolicyError) -> None:
    messages.error(request, "信用规则配置有误：" + "；".join(exc.messages))


def _office_object(request, model, pk: int, permission: str, field: str = "region"):
    """An object an office changes: 404 outside the user's scope, 403 without the permission or outside the
    offices, and 404 again outside their jurisdiction (a public record or listing of another district is visible,
    never changeable, and the page does not say it exists elsewhere)."""
    user = request.user
    get_visible_or_404(model, user, pk=pk)
    require_permission(user, permission)
    if not is_office(user):
        raise PermissionDenied("仅知识产权管理部门可以办理")
    return get_visible_or_404(model.objects.filter(jurisdiction_q(user, field)), user, pk=pk)


@login_required
def index(request):
    user = request.user
    if user.role == Role.MEMBER_LIAISON:
        return redirect("credit:listings")
    if user.role in SUBJECT_ROLES and user.organisation_id:
        return redirect("credit:org", user.organisation_id)
    if not is_office(user):  # e.g. an expert: what the public sees
        return redirect("credit_public:query")
    records = visible(CreditRecord, user)
    kinds = dict(records.filter(status=CreditRecord.Status.ACTIVE).values_list("kind").annotate(n=Count("pk")))
    listings = visible(SeriousListing, user)
    proposed = list(listings.filter(status=SeriousListing.Status.PROPOSED).select_related("subject", "region")
                    .prefetch_related("steps"))
    for item in proposed:
        item.next = actions.next_step(item)
        item.mine = actions.may_decide(user, item, item.next) is None
    last_run = visible(CollectionRun, user).select_related("started_by").first()
    unmatched, unmatched_elsewhere = unmatched_for(last_run, user) if last_run else ([], 0)
    context = {
        "kinds": [(label, kinds.get(value, 0), value) for value, label in CreditRecord.Kind.choices],
        "total": sum(kinds.values()),
        "listed": listings.filter(current_listing_q()).count(),
        "proposed": proposed,
        "repairs": visible(RepairApplication, user).filter(status=RepairApplication.Status.PENDING)
        .select_related("subject")[:20],
        "last_run": last_run, "unmatched": unmatched, "unmatched_elsewhere": unmatched_elsewhere,
        "candidates": [],
    }
    try:  # candidates of the user's own jurisdiction only (public records of other districts are visible too)
        met = listing.candidates(records.filter(jurisdiction_q(user, "region")))
        orgs = Organisation.objects.in_bulk(list(met))
        context["candidates"] = [(orgs[k], v) for k, v in met.items() if k in orgs]
    except policy.PolicyError as exc:
        _policy_error(request, exc)
    return render(request, "credit/index.html", context)


@login_required
@require_POST
def collect(request):
    require_permission(request.user, "credit.collect_creditrecord")
    try:
        run = collect_from_protection(acting_user=request.user, trigger=CollectionRun.Trigger.MANUAL)
    except policy.PolicyError as exc:
        _policy_error(request, exc)
    else:
        made = "、".join(f"{CreditRecord.Kind(k).label} {n} 条" for k, n in run.created.items()) or "无新增记录"
        messages.success(request, f"归集完成：{made}；撤销 {run.revoked} 条；未能对应主体的决定 {len(run.unmatched)} 件。")
    return redirect("credit:index")


def _parse_date(raw: str):
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@login_required
def record_list(request):
    user = request.user
    require_permission(user, "credit.view_creditrecord")
    qs = visible(CreditRecord, user).select_related("subject", "issuer")
    f = {k: request.GET.get(k, "").strip() for k in ("kind", "status", "q", "public", "party", "since", "until")}
    bad = []
    if f["kind"] in CreditRecord.Kind.values:
        qs = qs.filter(kind=f["kind"])
    if f["status"] in CreditRecord.Status.values:
        qs = qs.filter(status=f["status"])
    if f["q"]:
        qs = qs.filter(Q(subject__name__icontains=f["q"]) | Q(subject__uscc=f["q"].upper())
                       | Q(document_number__icontains=f["q"]))
    if f["public"] in ("1", "0"):
        qs = qs.filter(is_public=f["public"] == "1")
    if f["party"] == "org":
        qs = qs.filter(subject__isnull=False)
    elif f["party"] == "person":
        qs = qs.filter(subject__isnull=True)
    for key, lookup in (("since", "occurred_on__gte"), ("until", "occurred_on__lte")):
        if f[key]:
            day = _parse_date(f[key])
            if day is None:
                bad.append(f"日期「{f[key]}」格式错误，应为 YYYY-MM-DD")
            else:
                qs = qs.filter(**{lookup: day})
    for text in bad:
        messages.error(request, text)
    page = Paginator(qs.order_by("-occurred_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in f.items() if v})
    return render(request, "credit/records.html", {
        "page": page, "f": f, "query": query, "kinds": CreditRecord.Kind.choices,
        "statuses": CreditRecord.Status.choices})


# Where a record's source is shown, per model: (the URL name, how to get its argument from the source).
SOURCE_PAGES = {
    "protection.penaltydecision": ("protection:case", lambda s: s.case_id),
    "protection.adjudication": ("protection:detail", lambda s: s.matter_id),
    "abnormal.abnormalflag": ("abnormal:flag", lambda s: s.pk),
}


def source_link(rec: CreditRecord, user) -> tuple[str, str | None] | None:
    """(label, URL or None) of the record's source; the URL only when the user may see the source itself."""
    if rec.source_type_id is None:
        return None
    model = rec.source_type.model_class()
    if model is None:
        return None
    label = f"{model._meta.verbose_name} #{rec.source_id}"
    page = SOURCE_PAGES.get(f"{rec.source_type.app_label}.{rec.source_type.model}")
    if page is None:
        return label, None
    source = visible(model, user).filter(pk=rec.source_id).first()
    if source is None:
        return label, None
    try:
        return label, reverse(page[0], args=[page[1](source)])
    except NoReverseMatch:
        return label, None


@login_required
def record_detail(request, pk: int):
    user = request.user
    rec = get_visible_or_404(CreditRecord.objects.select_related("subject", "issuer", "related", "region",
                                                                 "source_type"), user,
                             pk=pk)
    inside = is_office(user) and covers(user, rec.region_id)
    own = rec.subject_id is not None and rec.subject_id == user.organisation_id
    if not (user.has_perm("credit.view_creditrecord") and (inside or own)):
        # A public fact seen from outside its jurisdiction (another district's office, the public): what the public
        # query shows — no internal summary, evidence or forms.
        return render(request, "credit/record_public.html", {"rec": rec})
    can_change = user.has_perm("credit.change_creditrecord") and inside
    own = own and user.role in SUBJECT_ROLES
    return render(request, "credit/record.html", {
        "rec": rec, "masked_id": mask_id_number(rec.person_id_number),
        "derived": visible(CreditRecord, user).filter(related=rec),
        "listings": visible(SeriousListing, user).filter(records=rec).select_related("subject"),
        "repairs": visible(RepairApplication, user).filter(record=rec),
        "commitment_form": CommitmentForm(initial={"on": timezone.localdate()})
        if can_change and rec.kind == CreditRecord.Kind.COMMITMENT and rec.commitment_kept is None else None,
        "revoke_form": ReasonForm() if can_change and rec.status == CreditRecord.Status.ACTIVE else None,
        "repair_problem": actions.repair_problem(rec) if own else None,
        "can_apply": own and user.has_perm("credit.add_repairapplication") and actions.repair_problem(rec) is None,
        "repair_opens": actions.repair_opens_on(rec),
        "evidence": evidence_log.entries_for(rec),  # the record was read through its scope
        "source": source_link(rec, user),
    })


@login_required
def record_new(request):
    user = request.user
    require_permission(user, "credit.add_creditrecord")
    if not is_office(user):
        raise PermissionDenied("仅管理部门可以录入信用记录")
    form = RecordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rec = actions.enter_record(
                acting_user=user, kind=d["kind"], occurred_on=d["occurred_on"], subject=d["subject"],
                person_name=d["person_name"], person_id_number=d["person_id_number"],
                effective_on=d["effective_on"], decided_on=d["decided_on"], document_number=d["document_number"],
                summary=d["summary"], public_summary=d["public_summary"], is_public=d["is_public"], issuer=d["issuer"],
                commitment_due_on=d["commitment_due_on"], rights=d["rights"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, "已录入信用记录")
            return redirect("credit:record", rec.pk)
    return render(request, "credit/record_new.html", {"form": form})


def _changeable_record(request, pk: int) -> CreditRecord:
    return _office_object(request, CreditRecord, pk, "credit.change_creditrecord")


@login_required
@require_POST
def settle_commitment(request, pk: int):
    rec = _changeable_record(request, pk)
    form = CommitmentForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            actions.settle_commitment(rec, acting_user=request.user, kept=form.cleaned_data["kept"],
                                      note=form.cleaned_data["note"], on=form.cleaned_data["on"])
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, "已记录承诺履行情况")
    return redirect("credit:record", pk)


@login_required
@require_POST
def revoke(request, pk: int):
    rec = _changeable_record(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            n = actions.revoke_record(rec, acting_user=request.user, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"已撤销 {n} 条信用记录")
    return redirect("credit:record", pk)


@login_required
def org_profile(request, pk: int):
    user = request.user
    require_permission(user, "credit.view_creditrecord")
    org = get_visible_or_404(Organisation.objects.select_related("region"), user, pk=pk)
    if not is_office(user) and org.pk != user.organisation_id:
        raise Http404("未找到该对象，或您无权查看")
    context = {"org": org, "records": visible(CreditRecord, user).filter(subject=org).select_related("issuer"),
               "listings": visible(SeriousListing, user).filter(subject=org),
               "repairs": visible(RepairApplication, user).filter(subject=org), "met": [], "score": None,
               "propose_form": None, "office": is_office(user)}
    try:
        context["score"] = scoring.score(org)
        if is_office(user):
            context["met"] = listing.criteria_met([org.pk]).get(org.pk, [])
            if (context["met"] and user.has_perm("credit.add_seriouslisting")
                    and actions.open_listing(org) is None):
                context["propose_form"] = ProposeForm()
    except policy.PolicyError as exc:
        _policy_error(request, exc)
    return render(request, "credit/org.html", context)


@login_required
@require_POST
def propose(request, pk: int):
    user = request.user
    org = _office_object(request, Organisation, pk, "credit.add_seriouslisting", field="region")
    form = ProposeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("credit:org", pk)
    try:
        item = actions.propose_listing(org, acting_user=user, proposal=form.cleaned_data["proposal"])
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
        return redirect("credit:org", pk)
    messages.success(request, "已提请列入严重违法失信名单，等待审批")
    return redirect("credit:listing", item.pk)


@login_required
def listing_list(request):
    user = request.user
    require_permission(user, "credit.view_seriouslisting")
    qs = visible(SeriousListing, user).select_related("subject", "region")
    status = request.GET.get("status", "current")
    if status == "current":
        qs = qs.filter(current_listing_q())
    elif status in SeriousListing.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-listed_from", "-proposed_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "credit/listings.html", {
        "page": page, "status": status, "statuses": SeriousListing.Status.choices, "office": is_office(user)})


@login_required
def listing_export(request):
    user = request.user
    require_permission(user, "credit.export_seriouslisting")
    qs = visible(SeriousListing, user).filter(current_listing_q()).select_related("subject", "region")
    content = exporting.export_listings(qs, acting_user=user)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"严重违法失信名单-联合惩戒-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    return quote(name)


@login_required
def listing_detail(request, pk: int):
    user = request.user
    item = get_visible_or_404(SeriousListing.objects.select_related("subject", "region", "proposed_by"), user, pk=pk)
    office = is_office(user)
    inside = office and covers(user, item.region_id)  # another district's current listing is public, not theirs
    steps = list(visible(ListingStep, user).filter(listing=item).select_related("decided_by"))
    for step in steps:
        step.role_labels = "、".join(role_label(r) for r in step.roles)
    nxt = actions.next_step(item) if inside else None
    problem = actions.may_decide(user, item, nxt) if inside else "—"
    current = SeriousListing.objects.filter(pk=item.pk).filter(current_listing_q()).exists()
    may_remove = inside and current and user.has_perm("credit.change_seriouslisting")
    return render(request, "credit/listing.html", {
        "item": item, "steps": steps, "office": office, "inside": inside, "next": nxt,
        "records": visible(CreditRecord, user).filter(listings=item).select_related("subject"),
        "step_form": StepForm() if problem is None and user.has_perm("credit.change_seriouslisting") else None,
        "why_not": problem if inside and nxt is not None else None,
        "remove_form": RemoveForm() if may_remove else None,
        "basis_revoked": may_remove and actions.basis_revoked(item),
        "early_from": actions.early_removal_from(item), "current": current,
        "can_apply": current and user.role in SUBJECT_ROLES and item.subject_id == user.organisation_id
        and user.has_perm("credit.add_repairapplication"),
        "repairs": visible(RepairApplication, user).filter(listing=item),
        "evidence": evidence_log.entries_for(item) if inside else [],
    })


@login_required
@require_POST
def listing_decide(request, pk: int):
    user = request.user
    item = _office_object(request, SeriousListing, pk, "credit.change_seriouslisting")
    form = StepForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            item = actions.decide_step(item, acting_user=user, approve=form.cleaned_data["approve"],
                                       opinion=form.cleaned_data["opinion"])
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"已办理，当前状态：{item.get_status_display()}")
    return redirect("credit:listing", pk)


@login_required
@require_POST
def listing_remove(request, pk: int):
    user = request.user
    item = _office_object(request, SeriousListing, pk, "credit.change_seriouslisting")
    form = RemoveForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            actions.remove_listing(item, acting_user=user, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, "已移出名单")
    return redirect("credit:listing", pk)


@login_required
def repair_list(request):
    user = request.user
    require_permission(user, "credit.view_repairapplication")
    qs = visible(RepairApplication, user).select_related("subject", "record", "listing")
    status = request.GET.get("status", "")
    if status in RepairApplication.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "credit/repairs.html", {"page": page, "status": status,
                                                   "statuses": RepairApplication.Status.choices})


@login_required
def repair_new(request):
    user = request.user
    require_permission(user, "credit.add_repairapplication")
    rec = item = None
    if request.GET.get("record", "").isdigit() or request.POST.get("record", "").isdigit():
        rec = get_visible_or_404(CreditRecord, user, pk=int(request.GET.get("record") or request.POST["record"]),
                                 subject_id=user.organisation_id)
    elif request.GET.get("listing", "").isdigit() or request.POST.get("listing", "").isdigit():
        item = get_visible_or_404(SeriousListing, user, pk=int(request.GET.get("listing") or request.POST["listing"]),
                                  subject_id=user.organisation_id)
    else:
        raise Http404("请选择要修复的信用记录或名单")
    form = RepairForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            app = actions.apply_repair(acting_user=user, record_=rec, listing=item, reason=form.cleaned_data["reason"],
                                       pledge=form.cleaned_data["pledge"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, "已提交信用修复申请")
            return redirect("credit:repair", app.pk)
    return render(request, "credit/repair_new.html", {
        "form": form, "rec": rec, "item": item, "rec_hidden": [("record", rec.pk)] if rec else [],
        "listing_hidden": [("listing", item.pk)] if item else []})


@login_required
def repair_detail(request, pk: int):
    user = request.user
    app = get_visible_or_404(RepairApplication.objects.select_related("subject", "record", "listing", "applicant",
                                                                      "decided_by"), user, pk=pk)
    can_decide = (is_office(user) and covers(user, app.region_id) and user.has_perm("credit.change_repairapplication")
                  and app.status == RepairApplication.Status.PENDING)
    return render(request, "credit/repair.html", {"app": app, "form": RepairDecisionForm() if can_decide else None})


@login_required
@require_POST
def repair_decide(request, pk: int):
    user = request.user
    app = _office_object(request, RepairApplication, pk, "credit.change_repairapplication")
    form = RepairDecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            actions.decide_repair(app, acting_user=user, approve=form.cleaned_data["approve"],
                                  opinion=form.cleaned_data["opinion"])
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, "已审核")
    return redirect("credit:repair", pk)
