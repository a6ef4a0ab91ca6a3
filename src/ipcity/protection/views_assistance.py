"""维权援助 pages: an enterprise's requests and the form to ask; the offices' list, officer assignment and each
request's handling."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ipcity.accounts.models import User
from ipcity.accounts.roles import OFFICE_ROLES
from ipcity.core.actions import require_permission
from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.orgs.models import Organisation
from ipcity.protection import assistance
from ipcity.protection.actions import deadlines_of
from ipcity.protection.forms import (
    AssignOfficerForm,
    AssistanceRequestForm,
    AssistanceStepForm,
)
from ipcity.protection.models import AssistanceAssignment, AssistanceRequest


def _assign_form(user, data=None):
    if not user.has_perm("protection.add_assistanceassignment"):
        return None
    enterprises = visible(Organisation, user).filter(kind=Organisation.Kind.ENTERPRISE).order_by("name")
    # The office names officers from its own staff (the users it may see).
    officers = visible(User, user).filter(is_active=True, role__in=OFFICE_ROLES).order_by("username")
    return AssignOfficerForm(data, enterprises=enterprises, officers=officers)


@login_required
def assistance_list(request):
    require_permission(request.user, "protection.view_assistancerequest")
    qs = visible(AssistanceRequest, request.user).select_related("enterprise", "officer")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    assignments = (visible(AssistanceAssignment, request.user).filter(until__isnull=True)
                   .select_related("enterprise", "officer")[:200])
    can_ask = request.user.has_perm("protection.add_assistancerequest")
    return render(request, "protection/assistance_list.html", {
        "page": page, "assignments": assignments, "assign_form": _assign_form(request.user),
        "request_form": AssistanceRequestForm() if can_ask else None})


@login_required
@require_POST
def assistance_new(request):
    require_permission(request.user, "protection.add_assistancerequest")
    form = AssistanceRequestForm(request.POST)
    if form.is_valid():
        try:
            item = assistance.request_assistance(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已提交维权援助申请 {item.number}")
            return redirect("protection:assistance", item.pk)
    else:
        messages.error(request, "；".join(m for ms in form.errors.values() for m in ms))
    return redirect("protection:assistance_list")


@login_required
@require_POST
def assistance_assign(request):
    form = _assign_form(request.user, request.POST)
    if form is None:
        require_permission(request.user, "protection.add_assistanceassignment")
    if form.is_valid():
        assistance.assign_officer(form.cleaned_data["enterprise"], form.cleaned_data["officer"],
                                  acting_user=request.user)
        messages.success(request, "已指定维权援助专员")
    else:
        messages.error(request, "；".join(m for ms in form.errors.values() for m in ms))
    return redirect("protection:assistance_list")


@login_required
def assistance_detail(request, pk: int):
    item = get_visible_or_404(AssistanceRequest.objects.select_related("enterprise", "officer"), request.user, pk=pk)
    require_permission(request.user, "protection.view_assistancerequest")
    can_change = request.user.has_perm("protection.change_assistancerequest") and item.status != "closed"
    return render(request, "protection/assistance.html", {
        "item": item, "deadlines": deadlines_of(item), "step_form": AssistanceStepForm() if can_change else None})


@login_required
@require_POST
def assistance_step(request, pk: int):
    item = get_visible_or_404(AssistanceRequest, request.user, pk=pk)
    require_permission(request.user, "protection.change_assistancerequest")
    form = AssistanceStepForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请选择操作")
        step, text = form.cleaned_data["action"], form.cleaned_data["text"]
        if step == "take":
            assistance.take_assistance(item, request.user, acting_user=request.user)
        elif step == "note":
            assistance.note_assistance(item, acting_user=request.user, text=text)
        else:
            assistance.close_assistance(item, acting_user=request.user, outcome=text)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已记录")
    return redirect("protection:assistance", pk)
