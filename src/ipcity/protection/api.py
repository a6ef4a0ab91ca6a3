"""The public intake API (e-commerce platforms, trade-fair desks, integrators) and the submitter's status lookup.

`POST /public/submissions` needs no login; a platform or desk identifies itself with its intake token
(`Authorization: Bearer ipt_…`). An `Idempotency-Key` header makes retries safe: the same key with the same body
answers with the same submission and the same 201 body (header `Idempotent-Replayed: true`), with a different body
409. The request waits only for the submission to be durable (registration.receive); routing and deadlines follow
within seconds in the background worker (registration.register_pending).
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
from functools import lru_cache
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.urls import get_script_prefix, reverse
from ninja import Header, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import AfterValidator, BaseModel, Field, model_validator

from ipcity.core.api_schemas import ErrorOut, Text
from ipcity.core.validators import validate_resident_id
from ipcity.protection import actions, registration
from ipcity.protection.actions import KIND_SUFFIX
from ipcity.protection.clients import TOKEN_PREFIX, authenticate_client
from ipcity.protection.intake import (
    MAX_ATTACHMENTS,
    AttachmentInput,
    RightInput,
    SubmissionInput,
    check_attachment,
    normalise_email,
    normalise_phone,
    normalise_right,
    normalise_uscc,
)
from ipcity.protection.models import Matter, MatterEvent, Submission

router = Router(tags=["投诉举报（公开接口）"])

# Literals, not the models' TextChoices (ninja names enum components by class name).
MatterKind = Literal["complaint", "report"]
IpTypeCode = Literal["patent_infringement", "counterfeit_patent", "trademark", "geographical_indication",
                     "copyright", "trade_secret", "other"]
SubmitterTypeCode = Literal["person", "organisation", "anonymous"]
RespondentKindCode = Literal["enterprise", "online_shop", "trade_fair_booth", "person", "unknown"]
RightKindCode = Literal["patent", "trademark", "copyright", "geographical_indication", "other"]

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def _message(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _checked(func):
    """A pydantic validator from one of intake's checks (its Chinese message becomes the field's error)."""
    def run(value: str) -> str:
        try:
            return func(value)
        except ValidationError as exc:
            raise ValueError(_message(exc)) from None

    return AfterValidator(run)


def _resident_id(value: str) -> str:
    return validate_resident_id(value) if value.strip() else ""


Phone = Annotated[Text, _checked(normalise_phone)]
ResidentId = Annotated[Text, _checked(_resident_id)]
Email = Annotated[Text, _checked(normalise_email)]
Uscc = Annotated[Text, _checked(normalise_uscc)]


# The request body's models are plain pydantic models, not ninja Schemas: a Schema wraps every nested model in a
# validator that reads ORM objects, which a JSON body never is — about a tenth of an intake request's time.
class SubmitterIn(BaseModel):
    type: SubmitterTypeCode = Field(..., description="提交人类型：person 自然人；organisation 法人或其他组织；"
                                                     "anonymous 匿名（仅限举报，投诉须实名）")
    name: Text = Field("", max_length=50, description="姓名；单位提交时为经办联系人姓名")
    phone: Phone = Field("", max_length=30, description="联系电话：手机号码或带区号的固定电话")
    id_number: ResidentId = Field("", max_length=30, description="居民身份证号码（选填，自然人投诉建议填写）")
    email: Email = Field("", max_length=100, description="电子邮箱（选填）")
    address: Text = Field("", max_length=200, description="通讯地址")
    organisation_name: Text = Field("", max_length=200, description="单位名称（单位提交时必填）")
    uscc: Uscc = Field("", max_length=30, description="单位的统一社会信用代码（选填）")


class RespondentIn(BaseModel):
    kind: RespondentKindCode = Field(..., description="被投诉（举报）对象类型：enterprise 企业或其他组织；online_shop 网店；"
                                                      "trade_fair_booth 展会展位；person 个人；unknown 不详")
    name: Text = Field(..., min_length=1, max_length=200, description="名称或姓名；网店填店铺名称")
    uscc: Uscc = Field("", max_length=30, description="统一社会信用代码（已知时填写）")
    platform: Text = Field("", max_length=100, description="网店所在电子商务平台（网店必填）")
    shop_id: Text = Field("", max_length=100, description="网店在平台上的店铺编号（网店必填）")
    shop_url: Text = Field("", max_length=500, description="店铺或商品链接（选填）", pattern=r"^(https?://\S+)?$")
    fair: Text = Field("", max_length=200, description="展会名称（展会展位必填）")
    booth: Text = Field("", max_length=50, description="展位号（展会展位必填）")
    address: Text = Field("", max_length=300, description="地址（已知时填写）")


class RightIn(BaseModel):
    kind: RightKindCode = Field(..., description="权利类型：patent 专利；trademark 注册商标；copyright 著作权登记；"
                                                 "geographical_indication 地理标志；other 其他")
    number: Text = Field(..., min_length=1, max_length=60,
                         description="号码：专利填申请号或专利号（校验位须正确，如 ZL202010123456.X 或 CN202010123456.X）；"
                                     "商标填注册号")

    @model_validator(mode="after")
    def _number(self):
        try:
            self.number = normalise_right(self.kind, self.number)
        except ValidationError as exc:
            raise ValueError(_message(exc)) from None
        return self


class AttachmentIn(BaseModel):
    name: Text = Field(..., min_length=1, max_length=255, description="文件名")
    content_base64: str = Field(..., min_length=4, max_length=14_000_000,
                                description="文件内容的 Base64 编码（单个文件不超过 10 MB；类型按内容识别："
                                            "PDF、JPEG、PNG、GIF、WebP、ZIP/Office、MP4、MP3、纯文本）")


EXAMPLE = {
    "kinds": ["complaint", "report"],
    "ip_type": "patent_infringement",
    "submitter": {"type": "organisation", "name": "王五", "phone": "13800000000", "email": "ipr@example.com",
                  "address": "山东省菏泽市牡丹区示例路 1 号", "organisation_name": "菏泽示例科技有限公司",
                  "uscc": "91371702MA3C00010P", "id_number": ""},
    "respondent": {"kind": "online_shop", "name": "示例家居旗舰店", "platform": "示例电商平台", "shop_id": "10086",
                   "shop_url": "https://shop.example.com/10086", "uscc": "", "fair": "", "booth": "", "address": ""},
    "region_code": "371702",
    "rights": [{"kind": "patent", "number": "ZL201310123456.2"}, {"kind": "trademark", "number": "12345678"}],
    "facts": "被投诉店铺销售的折叠收纳架落入我公司发明专利的保护范围，已公证购买。",
    "demands": "请求责令停止销售侵权产品并依法查处。",
    "external_reference": "PLAT-2026-000123",
    "attachments": [{"name": "公证购买说明.txt",
                     "content_base64": "5YWs6K+B6LSt5Lmw6K+05piO77yaMjAyNuW5tDEx5pyIM+aXpeWcqOiiq+aKleivieW6l+"
                                       "mTuui0reS5sOaKmOWPoOaUtue6s+aetuS4gOS7tu+8jOiuouWNleWPtyAyMDI2MTEw"
                                       "MzAwMeOAgg=="}],
}


class SubmissionIn(BaseModel):
    kinds: list[MatterKind] = Field(..., min_length=1, max_length=2,
                                    description="类别：complaint 投诉（当事人之间的争议，可调解）；report 举报（违法线索）；"
                                                "两者皆选时按两件分别处理")
    ip_type: IpTypeCode = Field(..., description="知识产权类型：patent_infringement 专利侵权；counterfeit_patent 假冒专利；"
                                                 "trademark 商标侵权；geographical_indication 地理标志；copyright 著作权；"
                                                 "trade_secret 商业秘密；other 其他")
    submitter: SubmitterIn = Field(..., description="投诉人或举报人")
    respondent: RespondentIn = Field(..., description="被投诉（举报）对象")
    region_code: str = Field("", description="管辖区划代码（6 位，本市范围内；不填则按被投诉人信用代码或本市）",
                             pattern=r"^(\d{6})?$")
    rights: list[RightIn] = Field([], max_length=20, description="涉及的权利（投诉必填）")
    facts: Text = Field(..., min_length=10, max_length=5000, description="事实与理由（不少于 10 个字）")
    demands: Text = Field("", max_length=2000, description="请求事项")
    external_reference: Text = Field("", max_length=100, description="转送单位自己的投诉编号（选填）")
    attachments: list[AttachmentIn] = Field([], max_length=MAX_ATTACHMENTS, description="证据材料（最多 10 个）")

    model_config = {"json_schema_extra": {"example": EXAMPLE}}


class SubmissionCreated(Schema):
    tracking_number: str = Field(..., description="受理编号")
    code: str = Field(..., description="查询码：凭受理编号和查询码查询办理进度（请妥善保存）")
    received_at: dt.datetime = Field(..., description="收到时间（服务器时间）")
    receipt_url: str = Field(..., description="受理回执（PDF）下载地址")


class MatterStatusOut(Schema):
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    closed_at: dt.datetime | None


class HistoryOut(Schema):
    at: dt.datetime
    note: str


class SubmissionStatusOut(Schema):
    tracking_number: str
    received_at: dt.datetime
    matters: list[MatterStatusOut]
    history: list[HistoryOut]


class StatusQuery(Schema):
    code: Text = Field("", max_length=20, description="查询码")


def _client(request):
    """The intake client whose token (`Bearer ipt_…`) the request carries; None for a public request. Other
    credentials (a staff member's API token) do not change what this public endpoint does, so they are ignored."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret.startswith(TOKEN_PREFIX):
        return None
    client = authenticate_client(secret)
    if client is None:
        error = HttpError(401, "对接令牌无效或已吊销")
        error.code = "unauthenticated"
        raise error
    return client


def _input(body: SubmissionIn) -> SubmissionInput:
    s, r = body.submitter, body.respondent
    attachments = []
    errors = []
    for i, item in enumerate(body.attachments):
        try:
            content = base64.b64decode(item.content_base64, validate=True)
            attachments.append(AttachmentInput(item.name, content,
                                               check_attachment(item.name, content, ATTACHMENT_MAX_BYTES)))
        except (binascii.Error, ValueError):
            errors.append({"field": f"attachments.{i}.content_base64", "message": "不是有效的 Base64 编码"})
        except ValidationError as exc:
            errors.append({"field": f"attachments.{i}.content_base64", "message": _message(exc)})
    data = SubmissionInput(
        kinds=list(body.kinds), ip_type=body.ip_type, submitter_type=s.type, respondent_kind=r.kind,
        respondent_name=r.name.strip(), facts=body.facts.strip(), region_code=body.region_code,
        submitter_name=s.name.strip(), submitter_phone=s.phone, submitter_id_number=s.id_number,
        submitter_email=s.email, submitter_address=s.address.strip(), submitter_org_name=s.organisation_name.strip(),
        submitter_uscc=s.uscc, respondent_uscc=r.uscc, respondent_platform=r.platform.strip(),
        respondent_shop_id=r.shop_id.strip(), respondent_shop_url=r.shop_url, respondent_fair=r.fair.strip(),
        respondent_booth=r.booth.strip(), respondent_address=r.address.strip(), demands=body.demands.strip(),
        external_reference=body.external_reference.strip(),
        rights=[RightInput(x.kind, x.number, x.number) for x in body.rights], attachments=attachments)
    errors += [{"field": f, "message": m} for f, m in data.problems().items()]
    if errors:
        raise ValidationError({e["field"]: e["message"] for e in errors})
    return data


@lru_cache(maxsize=8)
def _receipt_path(script_prefix: str) -> str:
    # Reversed once per deployment prefix, not per request: URL reversal was a tenth of an intake request's own time.
    return reverse("portal:submission_receipt", args=["TRACKING"])


def receipt_url(request, submission: Submission) -> str:
    path = _receipt_path(get_script_prefix()).replace("TRACKING", submission.tracking_number)
    return request.build_absolute_uri(f"{path}?code={actions.lookup_code(submission.tracking_number)}")


@router.post("/public/submissions", auth=None, summary="提交投诉或举报（公开；电商平台、展会投诉站凭对接令牌）",
             response={201: SubmissionCreated, 401: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             description="同一 Idempotency-Key 且内容相同的重试返回同一登记（响应相同，另带 Idempotent-Replayed: true）；"
                         "同一键内容不同返回 409。")
def create_submission(request, response: HttpResponse, body: SubmissionIn,
                      idempotency_key: str = Header("", alias="Idempotency-Key", max_length=200,
                                                    description="幂等键（建议使用 UUID）；重试时原样携带")):
    client = _client(request)
    data = _input(body)
    region = actions.jurisdiction_region(data.region_code, data.respondent_uscc)
    # The session user is ignored here: this endpoint takes no CSRF token, so a logged-in visitor's identity must
    # not be borrowed by a cross-site form (the web form is the path for logged-in submitters).
    try:
        submission, created = registration.receive(
            data, client=client, idempotency_key=idempotency_key.strip(),
            digest=actions.request_digest(body.model_dump()), region=region)
    except actions.IdempotencyConflict as exc:
        error = HttpError(409, _message(exc))
        error.code = "idempotency_conflict"
        raise error from exc
    out = SubmissionCreated(tracking_number=submission.tracking_number,
                            code=actions.lookup_code(submission.tracking_number),
                            received_at=submission.received_at, receipt_url=receipt_url(request, submission))
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201, out)


def submission_for_code(tracking_number: str, code: str) -> Submission:
    """The submission behind a tracking number and its code, or 404 (the same answer for a wrong code as for an
    unknown number)."""
    submission = Submission.objects.filter(tracking_number=tracking_number.strip().upper()).first()
    if submission is None or not actions.code_matches(submission.tracking_number, code):
        raise Http404
    return submission


def public_status(submission: Submission) -> dict:
    """What the submitter may see: each matter's status and the history entries marked public. Between acceptance
    and registration (seconds, on the API path) the matters show as received, not yet routed."""
    if submission.registered_at is None:
        labels = dict(Matter.Kind.choices)
        number = submission.tracking_number
        return {"tracking_number": number, "received_at": submission.received_at,
                "matters": [{"number": f"{number}{KIND_SUFFIX[k]}", "kind": k, "kind_label": labels[k],
                             "status": "registering", "status_label": "已收到，正在登记", "closed_at": None}
                            for k in submission.received["kinds"]],
                "history": [{"at": submission.received_at, "note": "已收到，正在登记分办。"}]}
    matters = list(Matter.objects.filter(submission=submission).order_by("kind"))
    history = MatterEvent.objects.filter(submission=submission, public=True).order_by("at", "pk")
    return {
        "tracking_number": submission.tracking_number,
        "received_at": submission.received_at,
        "matters": [{"number": m.number, "kind": m.kind, "kind_label": m.get_kind_display(), "status": m.status,
                     "status_label": m.get_status_display(), "closed_at": m.closed_at} for m in matters],
        "history": [{"at": e.at, "note": e.note} for e in history],
    }


@router.get("/public/submissions/{tracking_number}", auth=None, summary="凭受理编号和查询码查询办理进度（公开）",
            response={200: SubmissionStatusOut, 404: ErrorOut, 422: ErrorOut})
def submission_status(request, tracking_number: str, query: Query[StatusQuery]):
    return public_status(submission_for_code(tracking_number, query.code))



class DecisionOut(Schema):
    id: int
    document_number: str = Field(..., description="决定书文号")
    party_kind: str = Field(..., description="当事人类型")
    party_name: str = Field(..., description="当事人名称（姓名）")
    party_uscc: str = Field(..., description="统一社会信用代码（自然人为空）")
    violation: str = Field(..., description="违法行为类型")
    penalty: str = Field(..., description="处罚内容")
    fine: str = Field(..., description="罚没款（元）")
    authority: str = Field(..., description="作出决定的机关")
    decided_at: dt.date = Field(..., description="决定日期")
    published_at: dt.datetime = Field(..., description="公示时间")
    ends_at: dt.datetime = Field(..., description="公示截止时间")
    summary: str = Field(..., description="摘要（已脱敏）")
    text: str = Field(..., description="决定书全文（已脱敏）")


class DecisionPage(Schema):
    count: int
    items: list[DecisionOut]


class DecisionQuery(Schema):
    q: Text = Field("", max_length=100, description="文号、当事人或违法行为包含")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


def decision_out(disclosure) -> dict:
    d = disclosure.decision
    natural = d.party_kind == "natural_person"
    return {"id": disclosure.pk, "document_number": d.document_number, "party_kind": d.get_party_kind_display(),
            "party_name": d.party_name, "party_uscc": "" if natural else d.party_uscc, "violation": d.violation,
            "penalty": d.penalty, "fine": f"{d.fine:.2f}", "authority": d.case.organisation.name,
            "decided_at": d.decided_at, "published_at": disclosure.published_at, "ends_at": disclosure.ends_at,
            "summary": disclosure.summary, "text": disclosure.masked_text}


def public_decisions(q: str = ""):
    from django.db.models import Q

    from ipcity.protection.cases import published_disclosures

    qs = published_disclosures().select_related("decision__case__organisation").order_by("-published_at", "-pk")
    if q.strip():
        q = q.strip()
        qs = qs.filter(Q(decision__document_number__icontains=q) | Q(decision__party_name__icontains=q)
                       | Q(decision__violation__icontains=q))
    return qs


@router.get("/public/decisions", auth=None, summary="行政处罚决定公示（公开，已脱敏）",
            response={200: DecisionPage, 422: ErrorOut})
def decisions(request, query: Query[DecisionQuery]):
    qs = public_decisions(query.q)
    return {"count": qs.count(), "items": [decision_out(x) for x in qs[query.offset:query.offset + query.limit]]}
