"""Indicator pages: the catalogue for the user's jurisdiction at an as-of date, drill-down to the records behind any
value, and XLSX exports of both. Computed on the platform database (engines.DatabaseEngine)."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from ipcity.analytics import drilldown
from ipcity.analytics.compute import compute
from ipcity.analytics.engines import DatabaseEngine
from ipcity.analytics.flags import refresh_for_view
from ipcity.analytics.indicators import BY_KEY, CATALOGUE, Context, default_as_of
from ipcity.core.actions import require_permission

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERMISSION = "analytics.view_indicators"


@login_required
def index(request):
    return render(request, "analytics/index.html", {
        "can_view_indicators": request.user.has_perm(PERMISSION)})


def jurisdiction(user) -> tuple[str, str | None]:
    """(city code, one district or None) the user's indicators cover; Http404 when they cover none."""
    from ipcity.regions.models import Region

    region = user.jurisdiction
    if region is None or region.level == Region.Level.PROVINCE:
        raise Http404("没有可统计的区划")
    if region.level == Region.Level.CITY:
        return region.code, None
    return region.parent_id, region.code


def _as_of(request) -> dt.date:
    text = request.GET.get("as_of", "").strip()
    if text:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            messages.error(request, f"截止日期格式错误：{text}（应为 2025-12-31），已改用上一年末")
    return default_as_of()


def _allowed_region(code: str, city: str, only: str | None) -> bool:
    return code == only if only else (code == city or (code.startswith(city[:4]) and len(code) == 6))


def _display(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"


@login_required
def indicators(request):
    require_permission(request.user, PERMISSION)
    city, only = jurisdiction(request.user)
    as_of = _as_of(request)
    notice = refresh_for_view(request.user)
    ctx = Context.current(as_of)
    report = compute(DatabaseEngine(), ctx, city, only)
    rows = []
    for d in CATALOGUE:
        cells = []
        for code, name in report.regions:
            v = report.value(d.key, code)
            drill = d.per_capita_of or (d.key if d.countable else None)
            cells.append({"code": code, "text": _display(v.value), "note": v.note, "drill": drill})
        rows.append({"definition": d, "cells": cells})
    chart_key = "high_value_per_10k"
    shown = report.regions if only else report.regions[1:]  # a city's chart compares its districts
    chart = {"title": BY_KEY[chart_key].name, "regions": [name for _, name in shown],
             "values": [report.value(chart_key, code).value for code, _ in shown]}
    return render(request, "analytics/indicators.html", {
        "report": report, "rows": rows, "as_of": as_of, "notice": notice, "chart": chart,
        "rules": report.rules})


@login_required
def indicators_export(request):
    require_permission(request.user, PERMISSION)
    city, only = jurisdiction(request.user)
    ctx = Context.current(_as_of(request))
    refresh_for_view(request.user)
    report = compute(DatabaseEngine(), ctx, city, only)
    response = HttpResponse(drilldown.report_xlsx(report), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"知识产权指标-{ctx.as_of:%Y%m%d}.xlsx")
    return response


def _drill(request, key: str, code: str):
    require_permission(request.user, PERMISSION)
    city, only = jurisdiction(request.user)
    definition = BY_KEY.get(key)
    if definition is None or not definition.countable or not _allowed_region(code, city, only):
        raise Http404("没有这个指标或区划")
    from ipcity.regions.models import Region

    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404("没有这个区划")
    ctx = Context.current(_as_of(request))
    return definition, ctx, region, drilldown.records(definition, ctx, code, request.user)


@login_required
def records(request, key: str, code: str):
    definition, ctx, region, qs = _drill(request, key, code)
    refresh_for_view(request.user)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    columns = drilldown.COLUMNS[definition.record_model]
    return render(request, "analytics/records.html", {
        "definition": definition, "region": region, "as_of": ctx.as_of, "page": page,
        "headers": [h for h, _ in columns], "rows": [(obj, drilldown.row(obj, columns)) for obj in page],
        "is_patent": definition.record_model == "ipdata.Patent", "rules": ctx.describe()})


@login_required
def records_export(request, key: str, code: str):
    definition, ctx, region, qs = _drill(request, key, code)
    refresh_for_view(request.user)
    data = drilldown.export_xlsx(definition, ctx, (region.code, region.name), qs)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{definition.name}-{region.name}-{ctx.as_of:%Y%m%d}.xlsx")
    return response
