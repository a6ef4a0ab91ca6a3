from __future__ import annotations

from ninja import Path, Query, Router, Schema
from pydantic import Field

from ipcity.core.api_schemas import PUBLIC_ERRORS, ErrorOut
from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.regions.models import Region

router = Router(tags=["行政区划"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent_code: str | None = Field(None, alias="parent_id")


class RegionFilter(Schema):
    parent: str | None = Field(None, pattern=r"^\d{6}$", description="上级区划代码")
    level: int | None = Field(None, ge=1, le=3, description="1 省级，2 地级，3 县级")


@router.get("", response={200: list[RegionOut], **PUBLIC_ERRORS}, auth=None, summary="行政区划列表（公开）")
def list_regions(request, filters: Query[RegionFilter]):
    qs = visible(Region, request.user)
    if filters.parent:
        qs = qs.filter(parent_id=filters.parent)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if not filters.parent and not filters.level:
        qs = qs.filter(level=Region.Level.PROVINCE)
    return list(qs)


@router.get("/{code}", response={200: RegionOut, 404: ErrorOut, **PUBLIC_ERRORS}, auth=None, summary="行政区划详情")
def get_region(request, code: str = Path(..., pattern=r"^\d{6}$", description="区划代码")):
    return get_visible_or_404(Region, request.user, code=code)
