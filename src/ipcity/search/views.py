"""Patent search pages: the staff search (facets, sorting, paging, saved searches, export) and the public search
(bibliographic data only, no login)."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ipcity.core.files import file_path
from ipcity.core.models import StoredFile
from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.jobs.models import Job
from ipcity.search import actions
from ipcity.search.models import SavedSearch
from ipcity.search.queries import MAX_OFFSET, PAGE_SIZE, can_export, run_search
from ipcity.search.query import FIELDS, QuerySyntaxError

SYNTAX_EXAMPLES = [
    ("锂电池 管理", "名称、摘要、权利要求、申请人、发明人中同时出现（隐含 AND）"),
    ('TI="图像 识别" AND PA=华为', "名称含短语“图像识别”且申请人含“华为”"),
    ("IC=G06F* AND AD=[20200101 TO 20231231]", "IPC 以 G06F 开头、申请日在 2020—2023 年"),
    ("(AB=牡丹 OR AB=芍药) NOT LS=失效", "摘要含牡丹或芍药，且法律状态不是失效"),
    ("RG=371700 AND PT=发明", "申请人地址在菏泽市（含所辖县区）的发明专利"),
]


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page") or 1))
    except ValueError:
        return 1


def _search_context(request, *, public: bool) -> dict:
    """Run the request's query (if any): the page, or the syntax error with its position."""
    query = (request.GET.get("q") or "").strip()
    sort = request.GET.get("sort") or "relevance"
    if sort not in SavedSearch.Sort.values:
        sort = "relevance"
    context = {"q": query, "sort": sort, "sorts": SavedSearch.Sort.choices, "fields": FIELDS,
               "examples": SYNTAX_EXAMPLES, "result": None, "error": None}
    if not query:
        return context
    number = _page_number(request)
    max_offset = MAX_OFFSET["public" if public else "staff"]
    offset = min((number - 1) * PAGE_SIZE, max_offset)
    try:
        result = run_search(query, user=request.user, offset=offset, sort=sort, facets=True, public=public)
    except QuerySyntaxError as exc:
        position = min(max(exc.position, 0), len(query))
        context["error"] = {"message": exc.message, "position": position + 1, "before": query[:position],
                            "at": query[position:position + 1] or " ", "after": query[position + 1:]}
        return context
    base = {"q": query, "sort": sort}
    last = min(result.last_page, max_offset // PAGE_SIZE + 1)
    context.update(result=result, page_number=number, last_page=last,
                   prev_url=f"?{urlencode({**base, 'page': number - 1})}" if number > 1 else None,
                   next_url=f"?{urlencode({**base, 'page': number + 1})}" if number < last else None,
                   capped=result.last_page > last,
                   facet_urls={name: [(v, "?" + urlencode({"q": v.query, "sort": sort})) for v in values]
                               for name, values in result.facets.items()})
    return context


@login_required
def search(request):
    context = _search_context(request, public=False)
    context.update(saved=visible(SavedSearch, request.user)[:20], can_export=can_export(request.user))
    return render(request, "search/search.html", context)


@login_required
@require_POST
def save(request):
    try:
        total = int(request.POST.get("total") or 0) or None
    except ValueError:
        total = None
    try:
        saved = actions.save_search(acting_user=request.user, name=request.POST.get("name", ""),
                                    query=request.POST.get("q", ""), sort=request.POST.get("sort") or "relevance",
                                    last_total=total)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(reverse("search:search") + "?" + urlencode({"q": request.POST.get("q", "")}))
    messages.success(request, f"已保存检索式「{saved.name}」")
    return redirect(reverse("search:search") + "?" + urlencode({"q": saved.query, "sort": saved.sort}))


@login_required
def saved_list(request):
    return render(request, "search/saved.html", {"saved": visible(SavedSearch, request.user)})


@login_required
@require_POST
def delete_saved(request, pk: int):
    saved = get_visible_or_404(SavedSearch, request.user, pk=pk)
    actions.delete_search(saved, acting_user=request.user)
    messages.success(request, f"已删除检索式「{saved.name}」")
    return redirect("search:saved")


@login_required
@require_POST
def export(request):
    if not can_export(request.user):
        raise PermissionDenied("您没有导出检索结果的权限")
    try:
        job = actions.start_export(acting_user=request.user, query=request.POST.get("q", ""),
                                   sort=request.POST.get("sort") or "relevance")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(reverse("search:search") + "?" + urlencode({"q": request.POST.get("q", "")}))
    return redirect("jobs:detail", pk=job.pk)


@login_required
def download(request, pk):
    job = get_visible_or_404(Job.objects.filter(kind="search.export", status=Job.Status.SUCCEEDED), request.user,
                             pk=pk)
    try:
        stored = StoredFile.objects.get(pk=(job.result or {}).get("file_id"))
    except (StoredFile.DoesNotExist, ValueError, TypeError):
        raise Http404("导出文件不存在") from None
    return FileResponse(file_path(stored).open("rb"), as_attachment=True, filename=stored.original_name,
                        content_type=stored.content_type or "application/octet-stream")


def public_search(request):
    """The public search (公众检索): bibliographic data only; no login."""
    return render(request, "search/public_search.html", _search_context(request, public=True))


def public_patent(request, number: str):
    from ipcity.ipdata.models import Patent

    patent = get_visible_or_404(Patent.objects.select_related("region"), request.user, application_number=number)
    applicants = [p.name for p in patent.parties.filter(role="applicant").order_by("order")]
    patentees = [p.name for p in patent.parties.filter(role="patentee").order_by("order")]
    return render(request, "search/public_patent.html", {
        "patent": patent, "applicants": applicants, "patentees": patentees,
        "publications": patent.publications.order_by("date", "number")})
