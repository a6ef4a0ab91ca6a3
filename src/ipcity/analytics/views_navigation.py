"""专利导航 pages: pick an industry (a saved search or a query typed here) and see its analyses with charts."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ipcity.analytics.navigation import MAX_SET, analyse, rows_for
from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.search.models import SavedSearch
from ipcity.search.query import QuerySyntaxError


def matching_numbers(query: str, limit: int = MAX_SET) -> tuple[list[str], int]:
    """(application numbers of the first `limit` matches, total matches) for a query in the search syntax."""
    from ipcity.ipdata import search_index
    from ipcity.search.queries import check_query

    query = check_query(query)
    index = search_index.open_index()
    if index.created:
        search_index.rebuild(index)
    result = index.search(query, limit=limit, sort="date_desc", highlight=False)
    return [hit["id"] for hit in result.hits], result.total


def _regions(codes) -> dict[str, str]:
    from ipcity.regions.models import Region

    return dict(Region.objects.filter(code__in=set(codes)).values_list("code", "name"))


def _home_city(user) -> str:
    from django.conf import settings

    from ipcity.orgs.models import Organisation

    region = user.jurisdiction
    if region is not None and region.level >= 2:
        return region.code if region.level == 2 else region.parent_id
    org = Organisation.objects.filter(kind=Organisation.Kind.CITY_OFFICE).exclude(region=None).order_by("pk").first()
    return org.region_id if org else settings.IPCITY_DEMO_CITY


@login_required
def navigation(request):
    """The industry to analyse: ?saved=<id> (the user's saved search) or ?q=<query>."""
    from django.utils import timezone

    saved = None
    query = (request.GET.get("q") or "").strip()
    if request.GET.get("saved"):
        saved = get_visible_or_404(SavedSearch, request.user, pk=request.GET["saved"])
        query = saved.query
    context = {"q": query, "saved": saved, "saved_searches": visible(SavedSearch, request.user)[:50],
               "analysis": None, "error": None}
    if query:
        try:
            numbers, total = matching_numbers(query)
        except QuerySyntaxError as exc:
            context["error"] = exc.message
            return render(request, "analytics/navigation.html", context)
        city = _home_city(request.user)
        rows = list(rows_for(numbers))
        codes = {r.region[:2] + "0000" for r in rows if r.region} | {r.region[:4] + "00" for r in rows if r.region} | {
            r.region for r in rows if r.region} | {city}
        analysis = analyse(rows, city_code=city, regions=_regions(codes), as_of=timezone.localdate())
        context.update(analysis=analysis, total=total, truncated=total > len(numbers))
    return render(request, "analytics/navigation.html", context)
