from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.views.decorators.http import require_POST

from ipcity.core.actions import require_permission
from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.orgs import actions
from ipcity.orgs.forms import ContactForm, OrganisationForm
from ipcity.orgs.models import Contact, Organisation
from ipcity.orgs.presenters import can_reveal, masked_contact
from ipcity.orgs.queries import can_change_organisation


@login_required
def organisation_list(request):
    qs = visible(Organisation, request.user).select_related("region", "region__parent")
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(name__icontains=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "orgs/list.html", {
        "page": page, "kinds": Organisation.Kind.choices, "kind": kind, "q": q,
        "can_add": request.user.has_perm("orgs.add_organisation"),
    })


@login_required
def organisation_detail(request, pk: int):
    org = get_visible_or_404(Organisation.objects.select_related("region", "parent"), request.user, pk=pk)
    contacts = [masked_contact(c) for c in visible(Contact, request.user).filter(organisation=org)]
    return render(request, "orgs/detail.html", {
        "org": org, "contacts": contacts, "can_reveal": can_reveal(request.user),
        "can_edit": request.user.has_perm("orgs.change_organisation") and can_change_organisation(request.user, org),
        "can_add_contact": request.user.has_perm("orgs.add_contact") and can_change_organisation(request.user, org),
    })


@login_required
def organisation_edit(request, pk: int | None = None):
    org = get_visible_or_404(Organisation, request.user, pk=pk) if pk else None
    require_permission(request.user, "orgs.change_organisation" if org else "orgs.add_organisation")
    if org is not None and not can_change_organisation(request.user, org):
        raise PermissionDenied("只能编辑本辖区内的组织机构")
    form = OrganisationForm(request.POST or None, instance=org, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if org is None:
                org = actions.create_organisation(acting_user=request.user, **fields)
            else:
                org = actions.update_organisation(org, acting_user=request.user, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存：{org.name}")
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/edit.html", {"form": form, "org": org})


@login_required
def contact_add(request, pk: int):
    org = get_visible_or_404(Organisation, request.user, pk=pk)
    require_permission(request.user, "orgs.add_contact")
    if not can_change_organisation(request.user, org):
        raise PermissionDenied("只能为本辖区内的组织机构添加联系人")
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.create_contact(acting_user=request.user, organisation=org, **form.cleaned_data)
        messages.success(request, "联系人已添加")
        return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/contact_form.html", {"form": form, "org": org})


@login_required
@require_POST
def contact_reveal(request, pk: int, field: str):
    """HTMX: swap a masked value for the full one. Audited; only for roles allowed to reveal."""
    contact = get_visible_or_404(Contact, request.user, pk=pk)
    if field not in Contact.SENSITIVE_FIELDS:
        return HttpResponse("未知字段", status=400)
    if not can_reveal(request.user):
        raise PermissionDenied("您无权查看未脱敏的个人信息")
    value = actions.reveal_contact_field(contact, field, acting_user=request.user,
                                         reason=request.POST.get("reason", "")[:200])
    return HttpResponse(f'<span class="revealed" title="已记录本次查看">{escape(value)}</span>')


