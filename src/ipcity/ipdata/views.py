from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from ipcity.core.actions import require_permission
from ipcity.core.files import store_file
from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.ipdata.forms import ImportForm
from ipcity.ipdata.models import (ColumnMapping, CopyrightRegistration, EnterpriseFlag, GeographicalIndication,
                                  ImportBatch, LayoutDesign, Patent, PlantVariety, Trademark)
from ipcity.ipdata.registers import SPECS, error_report_xlsx, template_xlsx
from ipcity.jobs.actions import submit_job

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REGISTERS = [("trademarks", Trademark), ("gis", GeographicalIndication), ("copyrights", CopyrightRegistration),
             ("plant_varieties", PlantVariety), ("layout_designs", LayoutDesign), ("enterprise_flags", EnterpriseFlag)]


@login_required
def index(request):
    user = request.user
    patents = visible(Patent, user)
    return render(request, "ipdata/index.html", {
        "patent_total": patents.count(),
        "by_type": patents.values("patent_type").annotate(n=Count("pk")).order_by("-n"),
        "by_region": patents.exclude(region=None).values("region__name").annotate(n=Count("pk")).order_by("-n")[:12],
        "registers": [(name, SPECS[name].label, visible(model, user).count()) for name, model in REGISTERS],
        "batches": visible(ImportBatch, user).select_related("file")[:10],
        "form": ImportForm(mappings=visible(ColumnMapping, user)),
        "can_import": user.has_perm("ipdata.add_importbatch"),
    })


@login_required
@require_POST
def start_import(request):
    require_permission(request.user, "ipdata.add_importbatch")
    form = ImportForm(request.POST, request.FILES, mappings=visible(ColumnMapping, request.user))
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("ipdata:index")
    try:
        stored = store_file(form.cleaned_data["file"], acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("ipdata:index")
    mapping = form.cleaned_data.get("mapping")
    job = submit_job("ipdata.import", acting_user=request.user, title=f"导入 {stored.original_name}", params={
        "file_id": stored.pk, "kind": form.cleaned_data["kind"],
        "source_format": form.cleaned_data.get("source_format") or "auto",
        "mapping": mapping.mapping if mapping else None})
    return redirect("jobs:detail", pk=job.pk)


@login_required
def batch_detail(request, pk: int):
    batch = get_visible_or_404(ImportBatch.objects.select_related("file", "created_by"), request.user, pk=pk)
    rejected = Paginator(batch.rejected_rows.all(), 50).get_page(request.GET.get("page"))
    return render(request, "ipdata/batch.html", {"batch": batch, "rejected": rejected})


@login_required
def batch_errors(request, pk: int):
    batch = get_visible_or_404(ImportBatch, request.user, pk=pk)
    response = HttpResponse(error_report_xlsx(batch), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"拒收记录-{batch.pk}.xlsx")
    return response


@login_required
def template(request, kind: str):
    if kind not in SPECS:
        return HttpResponse("没有这个模板", status=404)
    response = HttpResponse(template_xlsx(kind), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{SPECS[kind].label}导入模板.xlsx")
    return response


@login_required
def patent_list(request):
    qs = visible(Patent, request.user).select_related("region")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(first_applicant__icontains=q) |
                       Q(application_number__icontains=q.upper()))
    page = Paginator(qs.order_by("-application_date", "application_number"), 50).get_page(request.GET.get("page"))
    return render(request, "ipdata/patents.html", {"page": page, "q": q})


@login_required
def patent_detail(request, number: str):
    patent = get_visible_or_404(Patent.objects.select_related("region"), request.user, application_number=number)
    return render(request, "ipdata/patent.html", {
        "patent": patent, "publications": patent.publications.all(),
        "parties": patent.parties.select_related("organisation").order_by("role", "order"),
        "revisions": visible(patent.revisions.all(), request.user).select_related("batch__file"),
    })


@login_required
def register_list(request, kind: str):
    model = dict(REGISTERS).get(kind)
    if model is None:
        return HttpResponse("没有这个登记簿", status=404)
    page = Paginator(visible(model, request.user), 50).get_page(request.GET.get("page"))
    fields = [c for c in SPECS[kind].columns][:6]
    rows = [[_display(obj, c.field) for c in fields] for obj in page]
    return render(request, "ipdata/register.html", {"kind": kind, "label": SPECS[kind].label, "page": page,
                                                    "headers": [c.header for c in fields], "rows": rows})


def _display(obj, field: str):
    value = getattr(obj, field, "")
    getter = getattr(obj, f"get_{field}_display", None)
    if getter:
        return getter()
    if isinstance(value, list):
        return "、".join(map(str, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else value
