"""Staff pages: the matters of the user's organisation or jurisdiction, one matter with its submission, history
and deadlines, and the handling steps (each a POST to an action)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipcity.core.actions import require_permission
from ipcity.core.files import file_path
from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.protection import actions
from ipcity.protection.actions import deadlines_of, related_subjects
from ipcity.protection.api import public_status
from ipcity.protection.assignment import assign_matter
from ipcity.protection.dashboard import FINISHED, organisation_stats, period_bounds
from ipcity.protection.forms import AssignForm, CloseForm, ComplaintDecisionForm
from ipcity.protection.models import Matter, MatterEvent, SubmissionAttachment
from ipcity.protection.presenters import masked_submitter, submitter_fields
from ipcity.protection.views_handling import handling_context

PAGE_SIZE = 50


@login_required
def matter_list(request):
    # No permission gate: the scope decides (an office its jurisdiction, an enterprise what it handed in).
    qs = visible(Matter, request.user).select_related("assigned_org", "assignee")
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    org, year = request.GET.get("org", ""), request.GET.get("year", "")
    mine = request.GET.get("mine") == "1"
    if mine:
        qs = qs.filter(assignee=request.user)
    if kind in Matter.Kind.values:
        qs = qs.filter(kind=kind)
    if org.isdigit():
        qs = qs.filter(assigned_org_id=int(org))
    if year.isdigit() and 2000 <= int(year) <= 2100:
        start, end = period_bounds(int(year))
        qs = qs.filter(received_at__gte=start, received_at__lt=end)
    if status == "open":
        qs = qs.filter(status__in=Matter.OPEN_STATUSES)
    elif status == "overdue":
        qs = qs.filter(status__in=Matter.OPEN_STATUSES, due_at__lt=timezone.now())
    elif status == "finished":
        qs = qs.filter(status__in=FINISHED)
    elif status in Matter.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-received_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "protection/list.html", {
        "page": page, "kind": kind, "status": status, "org": org, "year": year, "mine": mine,
        "kinds": Matter.Kind.choices,
        "statuses": Matter.Status.choices, "now": timezone.now(),
    })


def _deadlines(matter: Matter):
    # Visible with the matter (workdays.queries.scope_deadlines): the matter was just read through its scope.
    return deadlines_of(*related_subjects(matter))


@login_required
def matter_detail(request, pk: int):
    matter = get_visible_or_404(Matter.objects.select_related("submission", "assigned_org", "assignee",
                                                              "submission__region"), request.user, pk=pk)
    submission = matter.submission
    if not request.user.has_perm("protection.view_matter"):
        # The submitter's side (an enterprise that handed it in): its status and public history only.
        return render(request, "protection/mine_detail.html", {"matter": matter, "status": public_status(submission)})
    can_change = request.user.has_perm("protection.change_matter")
    return render(request, "protection/detail.html", {
        "matter": matter, "s": submission, "submitter": masked_submitter(submission),
        "submitter_fields": submitter_fields(submission),
        "rights": submission.rights.all(), "attachments": submission.attachments.all(),
        "evidence_entries": _evidence_entries(request.user, submission),
        # Through the scopes: a member department sees the referred matter's history, not its sibling's.
        "siblings": visible(Matter, request.user).filter(submission=submission).exclude(pk=matter.pk),
        "events": visible(MatterEvent, request.user).filter(submission=submission).select_related("actor", "matter"),
        "deadlines": _deadlines(matter), "now": timezone.now(), "can_change": can_change and matter.is_open,
        "decision_form": ComplaintDecisionForm() if matter.kind == "complaint" and matter.status == "received"
        else None,
        "close_form": CloseForm(),
        "assign_form": AssignForm(user=request.user, matter=matter) if can_change and matter.is_open else None,
        **handling_context(request, matter),
    })


def _evidence_entries(user, submission):
    """The receipt's and evidence files' entries in the evidence log, as far as the user may see them."""
    from ipcity.evidence.log import entries_for
    from ipcity.evidence.models import EvidenceEntry

    return visible(EvidenceEntry, user).filter(pk__in=entries_for(submission).values("pk")).order_by("index")


def _changeable(request, pk: int) -> Matter:
    matter = get_visible_or_404(Matter.objects.select_related("submission"), request.user, pk=pk)
    require_permission(request.user, "protection.change_matter")
    return matter


@login_required
@require_POST
def decide_complaint(request, pk: int):
    matter = _changeable(request, pk)
    form = ComplaintDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(m for ms in form.errors.values() for m in ms))
        return redirect("protection:detail", pk=pk)
    d = form.cleaned_data
    try:
        actions.decide_complaint(matter, acting_user=request.user, accept=d["decision"] == "accept",
                                 ground=d["ground"], note=d["note"], track=d["track"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已记录：{matter.get_status_display()}")
    return redirect("protection:detail", pk=pk)


@login_required
@require_POST
def assign(request, pk: int):
    matter = _changeable(request, pk)
    form = AssignForm(request.POST, user=request.user, matter=matter)
    try:
        if not form.is_valid():
            raise ValidationError([m for ms in form.errors.values() for m in ms])
        d = form.cleaned_data
        assign_matter(matter, acting_user=request.user, office=d["office"], assignee=d["assignee"], note=d["note"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已交办")
    return redirect("protection:detail", pk=pk)


@login_required
@require_POST
def close(request, pk: int):
    matter = _changeable(request, pk)
    form = CloseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写办理结果")
        actions.close_matter(matter, acting_user=request.user, outcome=form.cleaned_data["outcome"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已办结")
    return redirect("protection:detail", pk=pk)


@login_required
def attachment(request, pk: int):
    """Evidence files only through this view: the attachment must belong to a submission the user may see."""
    item = get_visible_or_404(SubmissionAttachment.objects.select_related("file"), request.user, pk=pk)
    response = FileResponse(file_path(item.file).open("rb"), as_attachment=True, filename=item.name,
                            content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def dashboard(request):
    require_permission(request.user, "protection.view_matter")
    this_year = timezone.localdate().year
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= this_year + 1 else this_year
    stats = organisation_stats(request.user, year)
    return render(request, "protection/dashboard.html", {"stats": stats, "years": range(this_year, this_year - 6, -1)})


@login_required
def staff_entry(request):
    """Staff record a complaint or report received by phone, in person or by letter; it is registered at once."""
    require_permission(request.user, "protection.add_submission")
    from ipcity.protection.forms import StaffEntryForm
    from ipcity.protection.registration import submit
    from ipcity.protection.views_public import city_districts

    form = StaffEntryForm(request.POST or None, request.FILES or None, regions=city_districts())
    if request.method == "POST":
        data = form.to_input()
        if data is not None:
            try:
                region = actions.jurisdiction_region(data.region_code, data.respondent_uscc)
                submission, _ = submit(data, acting_user=request.user, channel=form.cleaned_data["channel"],
                                       region=region, on_behalf=True,
                                       received_at=form.cleaned_data.get("received_on"))
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, f"已登记，受理编号 {submission.tracking_number}，查询码 "
                                          f"{actions.lookup_code(submission.tracking_number)}（请告知提交人）")
                return redirect("protection:detail", submission.matters.order_by("kind").first().pk)
    return render(request, "protection/staff_entry.html", {"form": form})


@login_required
def bulk_import(request):
    """Upload a filled-in template; the rows are checked and registered by a background job (progress page), the
    rejected ones listed with their reasons. The same file again creates nothing."""
    require_permission(request.user, "protection.add_submission")
    from ipcity.core.files import store_file
    from ipcity.jobs.actions import submit_job
    from ipcity.protection.forms import ImportUploadForm

    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            stored = store_file(form.cleaned_data["file"], acting_user=request.user)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            job = submit_job("protection.import", acting_user=request.user, params={"file_id": stored.pk},
                             title=f"导入投诉举报 {stored.original_name}")
            return redirect("jobs:detail", pk=job.pk)
    return render(request, "protection/import.html", {"form": form})


@login_required
def import_template(request):
    require_permission(request.user, "protection.add_submission")
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    from ipcity.protection.importing import template_csv

    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "投诉举报导入模板.csv")
    return response


@login_required
@require_POST
def reveal_submitter(request, pk: int, field: str):
    """HTMX: swap a masked value of the submitter for the full one. Audited; only for roles allowed to reveal, and
    never for the submitter's side or a member department (they lack the permission)."""
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse
    from django.utils.html import escape

    from ipcity.protection.models import Submission

    submission = get_visible_or_404(Submission, request.user, pk=pk)
    if field not in Submission.SENSITIVE_FIELDS:
        return HttpResponse("未知字段", status=400)
    if not request.user.has_perm("protection.reveal_submitter"):
        raise PermissionDenied("您无权查看未脱敏的个人信息")
    value = actions.reveal_submitter_field(submission, field, acting_user=request.user)
    return HttpResponse(f'<span class="revealed" title="已记录本次查看">{escape(value)}</span>')
