"""专利导航 pages: pick an industry (a saved search or a query typed here) and see its analyses with charts."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ipcity.analytics.navigation import (analyse, competitors, enterprise_numbers, home_city, matching_numbers,
                                         region_names, rows_for)
from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.search.models import SavedSearch
from ipcity.search.query import QuerySyntaxError


def _number(text) -> int:
    """An id from the query string; anything else is a page that does not exist."""
    from django.http import Http404

    try:
        return int(text)
    except (TypeError, ValueError):
        raise Http404("参数错误") from None


@login_required
def navigation(request):
    """The industry to analyse: ?saved=<id> (the user's saved search) or ?q=<query>."""
    from django.utils import timezone

    saved = None
    query = (request.GET.get("q") or "").strip()
    if request.GET.get("saved"):
        saved = get_visible_or_404(SavedSearch, request.user, pk=_number(request.GET["saved"]))
        query = saved.query
    context = {"q": query, "saved": saved, "saved_searches": visible(SavedSearch, request.user)[:50],
               "analysis": None, "error": None}
    if query:
        try:
            numbers, total = matching_numbers(query)
        except QuerySyntaxError as exc:
            context["error"] = exc.message
            return render(request, "analytics/navigation.html", context)
        city = home_city(request.user)
        rows = list(rows_for(numbers, request.user))
        analysis = analyse(rows, city_code=city, regions=region_names(rows, city), as_of=timezone.localdate())
        context.update(analysis=analysis, total=total, truncated=total > len(numbers))
    return render(request, "analytics/navigation.html", context)


@login_required
@require_POST
def report(request):
    """Queue the navigation report (DOCX and PDF) for the query; the job page shows progress and the downloads."""
    from ipcity.jobs.actions import submit_job
    from ipcity.search.queries import check_query

    query = (request.POST.get("q") or "").strip()
    title = (request.POST.get("title") or "").strip()[:60] or "专利导航报告"
    try:
        query = check_query(query)
    except QuerySyntaxError as exc:
        messages.error(request, f"检索式有误：{exc.message}")
        return redirect("analytics:navigation")
    job = submit_job("analytics.navigation_report", acting_user=request.user, params={"query": query, "title": title},
                     title=f"专利导航报告：{title}")
    return redirect("jobs:detail", job.pk)


@login_required
def report_file(request, pk, fmt: str):
    """A finished report's file, to the job's owner only (404 to anyone else)."""
    from django.http import FileResponse, Http404

    from ipcity.core.files import file_path
    from ipcity.core.models import StoredFile
    from ipcity.jobs.models import Job

    if fmt not in ("pdf", "docx"):
        raise Http404("没有这种格式")
    # The owner's alone: administrators may see jobs, not read the reports in them.
    job = get_visible_or_404(Job.objects.filter(kind="analytics.navigation_report", status=Job.Status.SUCCEEDED,
                                                created_by=request.user), request.user, pk=pk)
    try:
        stored = StoredFile.objects.get(pk=(job.result or {}).get(f"{fmt}_file_id"))
    except (StoredFile.DoesNotExist, ValueError, TypeError):
        raise Http404("报告文件不存在") from None
    return FileResponse(file_path(stored).open("rb"), as_attachment=True, filename=stored.original_name,
                        content_type=stored.content_type or "application/octet-stream")


@login_required
def enterprise(request):
    """Enterprise micro-navigation: one enterprise's patents analysed, and its competitors in its main subclasses.
    ?org=<id> (an enterprise the user may see; an enterprise user's own by default)."""
    from django.utils import timezone

    from ipcity.orgs.models import Organisation

    org_id = request.GET.get("org") or (request.user.organisation_id if request.user.role == "enterprise_user" else "")
    context = {"org": None, "analysis": None, "enterprises": None}
    if not org_id:
        context["enterprises"] = visible(Organisation, request.user).filter(kind=Organisation.Kind.ENTERPRISE) \
            .order_by("name")[:200]
        return render(request, "analytics/enterprise.html", context)
    org = get_visible_or_404(Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE), request.user,
                             pk=_number(org_id))
    rows = list(rows_for(enterprise_numbers(org), request.user))
    city = home_city(request.user)
    analysis = analyse(rows, city_code=city, regions=region_names(rows, city), as_of=timezone.localdate())
    query, rivals = competitors(analysis, org.name, request.user) if rows else ("", [])
    mine = {"name": org.name, "total": analysis["total"],
            "invention": sum(1 for r in rows if r.patent_type == "发明"),
            "valid": sum(1 for r in rows if r.legal_status == "有效")}
    context.update(org=org, analysis=analysis, total=analysis["total"], rivals_query=query,
                   comparison=[{**mine, "self": True}] + rivals)
    return render(request, "analytics/enterprise.html", context)
