from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ipcity.core.actions import require_permission
from ipcity.core.files import store_file
from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.ipdata import actions
from ipcity.ipdata.enterprises import backfill_merges
from ipcity.ipdata.forms import ColumnMappingForm, ImportForm, LinkNameForm, SampleFileForm, suggest_columns
from ipcity.ipdata.models import (ColumnMapping, CopyrightRegistration, EnterpriseFlag, EnterpriseMerge,
                                  GeographicalIndication, ImportBatch, LayoutDesign, Patent, PatentAward, PatentPledge,
                                  PlantVariety, Trademark)
from ipcity.ipdata.queries import can_review_merges, merge_patent_counts, unmatched_applicants
from ipcity.ipdata.registers import SPECS, error_report_xlsx, template_xlsx
from ipcity.jobs.actions import submit_job
from ipcity.regions.models import Population

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REGISTERS = [("trademarks", Trademark), ("gis", GeographicalIndication), ("copyrights", CopyrightRegistration),
             ("plant_varieties", PlantVariety), ("layout_designs", LayoutDesign), ("enterprise_flags", EnterpriseFlag),
             ("pledges", PatentPledge), ("awards", PatentAward), ("population", Population)]


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
        "can_review_merges": can_review_merges(user),
        "can_view_mappings": user.has_perm("ipdata.view_columnmapping"),
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
    warned = Paginator(batch.source_rows.exclude(warnings=[]).select_related("patent").order_by("row_number"),
                       50).get_page(request.GET.get("wpage"))
    return render(request, "ipdata/batch.html", {"batch": batch, "rejected": rejected, "warned": warned})


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
    from ipcity.analytics.evaluate import evaluate_patent
    from ipcity.analytics.high_value import CRITERION_LABELS

    patent = get_visible_or_404(Patent.objects.select_related("region"), request.user, application_number=number)
    evaluation = evaluate_patent(patent) if patent.patent_type == "发明" else None
    return render(request, "ipdata/patent.html", {
        "patent": patent, "publications": patent.publications.all(), "evaluation": evaluation,
        "criteria": [(label, evaluation.flags[key]) for key, label in CRITERION_LABELS.items()] if evaluation else [],
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


# --- applicant → enterprise merge list ---------------------------------------------------------------------------

MERGE_VERBS = {"confirm": (actions.confirm_merge, "已确认合并"), "reject": (actions.reject_merge, "已拒绝合并，相关专利已解除关联"),
               "restore": (actions.restore_merge, "已恢复合并")}


def _require_merge_reviewer(user) -> None:
    if not can_review_merges(user):
        raise PermissionDenied("您没有审核申请人合并的权限")


def _back(request, default: str = "ipdata:merges"):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


@login_required
def merge_list(request):
    user = request.user
    _require_merge_reviewer(user)
    backfill_merges()  # names linked before the list existed, or by an import that did not record them
    from ipcity.orgs.models import Organisation

    status = request.GET.get("status", EnterpriseMerge.Status.AUTOMATIC)
    method = request.GET.get("method", "")
    q = request.GET.get("q", "").strip()
    scoped = visible(EnterpriseMerge, user)
    qs = scoped.select_related("organisation", "reviewed_by")
    if status in EnterpriseMerge.Status.values:
        qs = qs.filter(status=status)
    if method in EnterpriseMerge.Method.values:
        qs = qs.filter(method=method)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(organisation__name__icontains=q))
    page = Paginator(qs.order_by("organisation__name", "organisation_id", "name"), 50).get_page(request.GET.get("page"))
    status_counts = dict(scoped.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    counts = merge_patent_counts(m.name for m in page)
    for merge in page:
        merge.patent_count = counts.get(merge.name, 0)
    return render(request, "ipdata/merges.html", {
        "page": page, "status": status, "method": method, "q": q,
        "statuses": [(value, label, status_counts.get(value, 0)) for value, label in EnterpriseMerge.Status.choices],
        "methods": EnterpriseMerge.Method.choices,
        "unmatched": unmatched_applicants(q),
        "enterprises": visible(Organisation, user).filter(kind=Organisation.Kind.ENTERPRISE)
                       .values_list("name", "uscc", "region__name").order_by("name")[:3000],
    })


@login_required
@require_POST
def merge_review(request, pk: int, verb: str):
    _require_merge_reviewer(request.user)
    if verb not in MERGE_VERBS:
        raise Http404("没有这个操作")
    merge = get_visible_or_404(EnterpriseMerge, request.user, pk=pk)
    func, done = MERGE_VERBS[verb]
    try:
        func(merge, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{done}：{merge.name}")
    return _back(request)


@login_required
@require_POST
def merge_link(request):
    user = request.user
    _require_merge_reviewer(user)
    from ipcity.orgs.models import Organisation

    form = LinkNameForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return _back(request)
    name, text = form.cleaned_data["name"].strip(), form.cleaned_data["organisation"].strip()
    existing = EnterpriseMerge.objects.filter(name=name).first()
    if existing is not None and not visible(EnterpriseMerge, user).filter(pk=existing.pk).exists():
        raise Http404("未找到该对象，或您无权查看")  # merged into an enterprise outside the user's jurisdiction
    candidates = list(visible(Organisation, user).filter(kind=Organisation.Kind.ENTERPRISE)
                      .filter(Q(name=text) | Q(uscc=text.upper()))[:2])
    if not candidates:
        messages.error(request, f"找不到企业「{text}」：请填写您辖区内已登记企业的全称或统一社会信用代码")
    elif len(candidates) > 1:
        messages.error(request, f"有多个名为「{text}」的企业，请改填统一社会信用代码")
    else:
        try:
            actions.link_name(name, candidates[0], acting_user=user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已将「{name}」关联到 {candidates[0].name}")
    return _back(request)


# --- column mappings for generic tables --------------------------------------------------------------------------

SAMPLE_SUFFIXES = {".csv", ".xlsx", ".xls"}
SAMPLE_MAX_BYTES = 20 * 1024 * 1024


@login_required
def mapping_list(request):
    require_permission(request.user, "ipdata.view_columnmapping")
    from ipcity.ipdata.readers.generic import GENERIC_FIELDS

    mappings = list(visible(ColumnMapping, request.user))
    for m in mappings:
        m.columns = [(GENERIC_FIELDS.get(k, k), v) for k, v in (m.mapping or {}).items()]
    return render(request, "ipdata/mappings.html", {
        "mappings": mappings, "can_add": request.user.has_perm("ipdata.add_columnmapping"),
        "can_change": request.user.has_perm("ipdata.change_columnmapping"),
        "can_delete": request.user.has_perm("ipdata.delete_columnmapping")})


def _sample_headers(upload) -> list[str]:
    """The header row of an uploaded sample table (read from a temporary copy, never stored)."""
    import tempfile
    from pathlib import Path

    from ipcity.ipdata.readers.record import ReaderError
    from ipcity.ipdata.readers.tabular import open_table

    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in SAMPLE_SUFFIXES:
        raise ValidationError("样例文件须为 CSV、XLSX 或 XLS 表格")
    if upload.size > SAMPLE_MAX_BYTES:
        raise ValidationError("样例文件过大（不超过 20 MB）；只需包含表头和几行数据")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"sample{suffix}"
        with path.open("wb") as f:
            for chunk in upload.chunks():
                f.write(chunk)
        try:
            with open_table(path) as table:
                return [h for h in table.headers if h]
        except ReaderError as exc:
            raise ValidationError(f"无法读取样例文件的表头：{exc.detail}") from None


@login_required
def mapping_edit(request, pk: int | None = None):
    user = request.user
    obj = get_visible_or_404(ColumnMapping, user, pk=pk) if pk else None
    require_permission(user, "ipdata.change_columnmapping" if obj else "ipdata.add_columnmapping")
    headers: list[str] = []
    if request.method == "POST" and "read_sample" in request.POST:
        # Read the sample's headers and show the form again with them offered (and blank fields suggested).
        values = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        sample = SampleFileForm(request.POST, request.FILES)
        if sample.is_valid():
            try:
                headers = _sample_headers(sample.cleaned_data["sample"])
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
        else:
            messages.error(request, "；".join(e for errs in sample.errors.values() for e in errs))
        current = {k[len("col_"):]: v for k, v in values.items() if k.startswith("col_")}
        suggested = suggest_columns(headers, current)
        values.update({f"col_{k}": v for k, v in suggested.items()})
        form = ColumnMappingForm(initial=values, instance=obj)
        if headers:
            messages.info(request, f"已读取样例文件的 {len(headers)} 个列名" +
                          (f"，并按列名为 {len(suggested)} 个字段填入了建议（请核对）" if suggested else ""))
    elif request.method == "POST":
        form = ColumnMappingForm(request.POST, instance=obj)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if obj is None:
                    obj = actions.create_column_mapping(acting_user=user, name=data["name"], mapping=data["mapping"],
                                                        note=data["note"])
                else:
                    obj = actions.update_column_mapping(obj, acting_user=user, name=data["name"],
                                                        mapping=data["mapping"], note=data["note"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已保存字段对应方案：{obj.name}")
                return redirect("ipdata:mappings")
    else:
        form = ColumnMappingForm(initial=ColumnMappingForm.initial_for(obj), instance=obj)
    return render(request, "ipdata/mapping_form.html", {"form": form, "obj": obj, "headers": headers,
                                                        "sample_form": SampleFileForm()})


@login_required
@require_POST
def mapping_delete(request, pk: int):
    obj = get_visible_or_404(ColumnMapping, request.user, pk=pk)
    require_permission(request.user, "ipdata.delete_columnmapping")
    name = obj.name
    actions.delete_column_mapping(obj, acting_user=request.user)
    messages.success(request, f"已删除字段对应方案：{name}（以往用它导入的批次保留各自的字段对应）")
    return redirect("ipdata:mappings")
