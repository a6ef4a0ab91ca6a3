"""Public pages (no login): the complaint/report form, its confirmation, status lookup and the receipt PDF."""
from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ipcity.accounts.roles import Role
from ipcity.protection import actions, registration
from ipcity.protection.api import public_status, submission_for_code
from ipcity.protection.forms import LookupForm, SubmissionForm
from ipcity.protection.queries import SUBMITTER_ROLES
from ipcity.protection.receipts import receipt_pdf


def city_districts():
    """The city's districts and counties, for the form's region choice (the intake's per-process copy)."""
    city, regions = actions.city_regions()
    return sorted((r for r in regions.values() if r.parent_id == city), key=lambda r: r.code)


@require_http_methods(["GET", "POST"])
def submit(request):
    """The one-stop form. A logged-in enterprise or agency user's submission is linked to their account (they see
    its history under 我的投诉举报); staff record phone, walk-in and letter submissions on the staff page."""
    user = request.user
    form = SubmissionForm(request.POST or None, request.FILES or None, regions=city_districts())
    if request.method == "POST":
        data = form.to_input()
        if data is not None:
            try:
                region = actions.jurisdiction_region(data.region_code, data.respondent_uscc)
                acting = user if user.is_authenticated and user.role in SUBMITTER_ROLES else AnonymousUser()
                submission, _ = registration.submit(data, acting_user=acting, channel="web", region=region)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                code = actions.lookup_code(submission.tracking_number)
                request.session["protection_last"] = [submission.tracking_number, code]
                return redirect("portal:submission_done")
    mine = user.is_authenticated and user.role in (Role.ENTERPRISE_USER, Role.AGENCY_USER)
    return render(request, "protection/public_submit.html", {"form": form, "mine": mine})


def submitted(request):
    last = request.session.get("protection_last")
    if not last:
        return redirect("portal:submit")
    number, code = last
    submission = submission_for_code(number, code)
    return render(request, "protection/public_done.html", {
        "number": number, "code": code, "status": public_status(submission),
        "receipt": f"{reverse('portal:submission_receipt', args=[number])}?code={code}"})


def lookup(request):
    form = LookupForm(request.GET or None)
    status = None
    not_found = False
    if form.is_valid():
        try:
            status = public_status(submission_for_code(form.cleaned_data["tracking_number"],
                                                       form.cleaned_data["code"]))
        except Http404:
            not_found = True
    return render(request, "protection/public_lookup.html", {"form": form, "status": status,
                                                             "not_found": not_found})


def receipt(request, tracking_number: str):
    submission = submission_for_code(tracking_number, request.GET.get("code", ""))
    response = HttpResponse(receipt_pdf(submission), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{submission.tracking_number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def decision_list(request):
    from django.core.paginator import Paginator

    from ipcity.protection.api import public_decisions

    q = request.GET.get("q", "")[:100]
    page = Paginator(public_decisions(q), 20).get_page(request.GET.get("page"))
    return render(request, "protection/public_decisions.html", {"page": page, "q": q})


def decision_detail(request, pk: int):
    from ipcity.protection.api import decision_out, public_decisions

    disclosure = public_decisions().filter(pk=pk).first()
    if disclosure is None:
        raise Http404
    return render(request, "protection/public_decision.html", {"d": decision_out(disclosure)})
