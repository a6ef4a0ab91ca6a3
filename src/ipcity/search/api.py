"""Patent search and saved searches over the API."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema, Status
from pydantic import Field

from ipcity.core.api_schemas import AUTH_ERRORS, DETAIL_ERRORS, Text
from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.search import actions
from ipcity.search.models import SavedSearch
from ipcity.search.queries import MAX_OFFSET, run_search
from ipcity.search.query import QuerySyntaxError

router = Router(tags=["专利检索"])
SortName = Literal["relevance", "date_desc", "date_asc"]


class SearchParams(Schema):
    q: Text = Field(..., min_length=1, max_length=2000, description="检索式，如 TI=锂电池 AND AD=[20200101 TO 20231231]")
    limit: int = Field(20, ge=1, le=100, description="每页件数")
    offset: int = Field(0, ge=0, le=MAX_OFFSET["staff"], description="从第几件开始（0 起）")
    sort: SortName = Field("relevance", description="relevance 相关度；date_desc / date_asc 按申请日")
    facets: bool = Field(False, description="是否返回分面统计")


class HitOut(Schema):
    application_number: str
    application_date: dt.date | None
    publication_date: dt.date | None
    title: str
    applicants: list[str]
    patent_type: str
    legal_status: str
    ipc_main: str
    score: float | None
    highlights: dict[str, str] = Field(description="名称、摘要等字段的高亮片段（HTML，命中词在 <em> 中）")


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    query: str = Field(description="在当前检索式上限定到该值的检索式")


class SearchOut(Schema):
    total: int
    offset: int
    limit: int
    hits: list[HitOut]
    facets: dict[str, list[FacetValueOut]] | None = None


class SavedSearchIn(Schema):
    name: Text = Field(..., min_length=1, max_length=100)
    query: Text = Field(..., min_length=1, max_length=2000)
    sort: SortName = "relevance"


class SavedSearchOut(Schema):
    id: int
    name: str
    query: str
    sort: str
    last_total: int | None
    updated_at: dt.datetime


@router.get("/patents/search", response={200: SearchOut, **AUTH_ERRORS}, summary="专利检索")
def search_patents(request, params: Query[SearchParams]):
    try:
        page = run_search(params.q, user=request.auth, offset=params.offset, limit=params.limit, sort=params.sort,
                          facets=params.facets)
    except QuerySyntaxError as exc:
        raise ValidationError({"q": [str(exc)]}) from exc
    return {"total": page.total, "offset": page.offset, "limit": page.limit,
            "hits": [hit.__dict__ for hit in page.hits],
            "facets": {name: [v.__dict__ for v in values] for name, values in page.facets.items()}
            if params.facets else None}


@router.get("/saved-searches", response={200: list[SavedSearchOut], **AUTH_ERRORS}, summary="我保存的检索式")
def list_saved(request):
    return list(visible(SavedSearch, request.auth))


@router.post("/saved-searches", response={201: SavedSearchOut, **AUTH_ERRORS}, summary="保存检索式（同名则替换）")
def create_saved(request, payload: SavedSearchIn):
    saved = actions.save_search(acting_user=request.auth, name=payload.name, query=payload.query, sort=payload.sort)
    return Status(201, saved)


@router.delete("/saved-searches/{int:saved_id}", response={204: None, **DETAIL_ERRORS}, summary="删除检索式")
def delete_saved(request, saved_id: int):
    saved = get_visible_or_404(SavedSearch, request.auth, pk=saved_id)
    actions.delete_search(saved, acting_user=request.auth)
    return Status(204, None)
