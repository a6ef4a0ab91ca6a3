"""Public pages of 双随机、一公开 (/portal/inspections/, no login): every draw with its commitment, evidence index and
published record, and the published results. Inspectors appear by code and office only; no personal data."""
from __future__ import annotations

import json

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.inspections import actions
from ipcity.inspections.models import Draw, InspectionItem, InspectionResult

PUBLIC = AnonymousUser()


def _draws():
    return visible(Draw, PUBLIC).select_related("batch__item", "batch__plan__owner", "superseded_by", "supersedes")


def draw_list(request):
    page = Paginator(_draws().order_by("-committed_at", "-pk"), 30).get_page(request.GET.get("page"))
    items = visible(InspectionItem, PUBLIC).filter(is_active=True).select_related("owner")
    return render(request, "inspections/public_list.html", {"page": page, "items": items})


def draw_detail(request, pk: int):
    from ipcity.inspections.views import entries_for

    draw = get_visible_or_404(_draws(), PUBLIC, pk=pk)
    pool = json.loads(draw.pool_json)
    names = {o["id"]: o for o in pool["objects"]}
    results = {r.assignment_id: r for r in visible(InspectionResult, PUBLIC).filter(assignment__draw=draw)}
    selection = _selection(draw)
    offices = {i["id"]: i.get("office", "") for i in pool["inspectors"]}
    rows = [{"assignment": a, "object": names.get(f"O{a.object_id}", {}), "result": results.get(a.pk),
             "finding": _masked(results.get(a.pk), "finding"), "handling": _masked(results.get(a.pk), "handling"),
             "inspectors": [{"id": i, "office": offices.get(i, "")} for i in selection.get(f"O{a.object_id}", [])]}
            for a in draw.assignments.all().order_by("position")]
    meta = json.loads(draw.record_json).get("meta", {}) if draw.record_json else {}
    return render(request, "inspections/public_draw.html", {
        "draw": draw, "pool": pool, "rows": rows, "entries": entries_for(draw),
        "checkpoint": meta.get("checkpoint"), "checkpoint_entry": meta.get("commitment_entry"),
        "ratios": actions.ratio_table(draw.batch, draw)})


def _masked(result, field: str) -> str:
    """Published findings keep no personal data: the public text, masked when entered and again at publication
    (ID numbers, phones, bank accounts, addresses, the names of the inspectors and of the organisation's contacts),
    is what the portal shows — never the text as entered."""
    if result is None:
        return ""
    return getattr(result, f"public_{field}")


def _selection(draw: Draw) -> dict:
    if not draw.record_json:
        return {}
    return {s["object"]: s["inspectors"] for s in json.loads(draw.record_json)["selection"]}


def _json(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def draw_pool(request, pk: int):
    """The frozen pools exactly as published when the commitment was made (the bytes the evidence log hashed)."""
    draw = get_visible_or_404(Draw, PUBLIC, pk=pk)
    return _json(draw.pool_json, f"inspections-{draw.number}-pool.json")


def draw_record(request, pk: int):
    """The complete record: `ipcity inspections replay FILE` recomputes the commitment and the selection."""
    draw = get_visible_or_404(Draw, PUBLIC, pk=pk)
    if not draw.record_json:
        raise Http404("该抽取尚未开奖，抽查记录尚未生成")
    return _json(draw.record_json, f"inspections-{draw.number}-record.json")
