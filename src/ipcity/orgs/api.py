from __future__ import annotations

from typing import Literal, get_args

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema, Status
from pydantic import Field

from ipcity.core.actions import require_permission
from ipcity.core.api_schemas import AUTH_ERRORS, DETAIL_ERRORS, Text
from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.orgs import actions
from ipcity.orgs.models import Contact, Organisation
from ipcity.orgs.presenters import can_reveal, masked_contact
from ipcity.regions.models import Region

router = Router(tags=["组织机构"])


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    uscc: str | None
    region_code: str
    region_name: str
    parent_id: int | None
    in_leading_group: bool
    is_demo: bool

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_region_code(obj):
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj):
        return obj.region.name


class OrganisationPage(Schema):
    count: int
    items: list[OrganisationOut]


class OrganisationFilter(Schema):
    kind: Organisation.Kind | None = None
    q: Text | None = Field(None, max_length=100, description="名称包含")
    region: str | None = Field(None, pattern=r"^\d{6}$", description="区划代码（含下级）")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000_000)  # unbounded, it overflowed the SQL OFFSET (500)


class OrganisationIn(Schema):
    name: Text = Field(..., min_length=1, max_length=200)
    short_name: Text = Field("", max_length=50)
    kind: Organisation.Kind
    uscc: Text | None = Field(None, max_length=18)
    region_code: str = Field(..., pattern=r"^\d{6}$")
    # strict, as the schema promises: no "1" for the integer, no 1 or "yes" for the boolean (422, not a silent cast)
    parent_id: int | None = Field(None, strict=True)
    in_leading_group: bool = Field(False, strict=True)
    address: Text = Field("", max_length=300)


class ContactOut(Schema):
    id: int
    organisation_id: int
    name: str
    position: str
    phone: str
    id_number: str
    address: str
    is_demo: bool


# The path parameter of the reveal endpoint: exactly Contact.SENSITIVE_FIELDS, declared so the schema lists them.
SensitiveField = Literal["phone", "id_number", "address"]
assert set(get_args(SensitiveField)) == set(Contact.SENSITIVE_FIELDS)


class RevealOut(Schema):
    field: str
    value: str


@router.get("", response={200: OrganisationPage, **AUTH_ERRORS}, summary="组织机构列表")
def list_organisations(request, filters: Query[OrganisationFilter]):
    qs = visible(Organisation, request.auth).select_related("region")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    if filters.region:
        qs = qs.filter(region__code__startswith=filters.region.rstrip("0")[:6] or filters.region)
    return {"count": qs.count(), "items": list(qs[filters.offset: filters.offset + filters.limit])}


@router.get("/{int:org_id}", response={200: OrganisationOut, **DETAIL_ERRORS}, summary="组织机构详情")
def get_organisation(request, org_id: int):
    return get_visible_or_404(Organisation.objects.select_related("region"), request.auth, pk=org_id)


@router.post("", response={201: OrganisationOut, **DETAIL_ERRORS}, summary="新增组织机构")
def create_organisation(request, payload: OrganisationIn):
    require_permission(request.auth, "orgs.add_organisation")
    region = visible(Region, request.auth).filter(code=payload.region_code).first()
    jurisdiction = request.auth.jurisdiction
    if region is None or (jurisdiction is not None and not jurisdiction.contains(region)):
        raise PermissionDenied("只能在本辖区内新增组织机构")
    parent = get_visible_or_404(Organisation, request.auth, pk=payload.parent_id) if payload.parent_id else None
    data = payload.dict(exclude={"region_code", "parent_id"})
    org = actions.create_organisation(acting_user=request.auth, region=region, parent=parent, **data)
    return Status(201, org)


@router.get("/{int:org_id}/contacts", response={200: list[ContactOut], **DETAIL_ERRORS},
            summary="联系人（个人信息已脱敏）")
def list_contacts(request, org_id: int):
    org = get_visible_or_404(Organisation, request.auth, pk=org_id)
    return [masked_contact(c) for c in visible(Contact, request.auth).filter(organisation=org)]


@router.post("/contacts/{int:contact_id}/reveal/{field}", response={200: RevealOut, **DETAIL_ERRORS},
             summary="查看未脱敏的个人信息（记入审计日志）")
def reveal_contact(request, contact_id: int, field: SensitiveField, reason: Text = ""):
    contact = get_visible_or_404(Contact, request.auth, pk=contact_id)
    if not can_reveal(request.auth):
        raise PermissionDenied("您无权查看未脱敏的个人信息")
    value = actions.reveal_contact_field(contact, field, acting_user=request.auth, reason=reason[:200])
    return {"field": field, "value": value}
