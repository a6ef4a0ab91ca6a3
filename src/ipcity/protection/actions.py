"""State changes of the protection module. Each is an action: keyword-only acting_user, one transaction, its audit
row inside it. Personal data never goes into an audit row."""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from ipcity.core.actions import action, record
from ipcity.core.fields import digest_for, get_digest_key
from ipcity.core.files import store_file
from ipcity.orgs.models import Organisation
from ipcity.protection import evidence_seam
from ipcity.protection.deadlines import limit_for
from ipcity.protection.intake import SubmissionInput, respondent_key
from ipcity.protection.models import (
    IntakeClient,
    Matter,
    MatterEvent,
    Submission,
    SubmissionAttachment,
    SubmissionRight,
)
from ipcity.regions.models import Region
from ipcity.workdays.actions import create_deadline, finish_deadline
from ipcity.workdays.models import Deadline

# Tracking numbers and lookup codes avoid look-alike characters (0/O, 1/I/L) so they survive being read out by phone.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
KIND_SUFFIX = {Matter.Kind.COMPLAINT: "T", Matter.Kind.REPORT: "J"}
FIRST_STEP = {Matter.Kind.COMPLAINT: "complaint_acceptance", Matter.Kind.REPORT: "lead_check"}


class IdempotencyConflict(ValidationError):
    """The idempotency key was already used for a different request body."""


def _random(n: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(n))


def lookup_code(tracking_number: str) -> str:
    """The submitter's lookup code: derived from the tracking number with the installation's secret key, so nothing
    guessable is stored and an idempotent replay can answer with the same code."""
    mac = hmac.new(get_digest_key(), b"protection.lookup:" + tracking_number.encode(), hashlib.sha256).digest()
    return "".join(_ALPHABET[b % len(_ALPHABET)] for b in mac[:8])


def code_matches(tracking_number: str, code: str) -> bool:
    # Bytes: compare_digest refuses str with non-ASCII characters, which anyone may type.
    return hmac.compare_digest(lookup_code(tracking_number).encode(), (code or "").strip().upper().encode())


def request_digest(payload: dict) -> str:
    """What identifies a request for idempotency: its body in canonical JSON."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def responsible_office(region: Region) -> Organisation:
    """The office that handles a matter in `region`: the district office of that county if there is one, else the
    city office (which refers on what belongs elsewhere)."""
    office = (Organisation.objects.filter(kind=Organisation.Kind.DISTRICT_OFFICE, region=region, is_active=True)
              .order_by("pk").first())
    if office is None:
        city = region.code[:4] + "00"
        office = (Organisation.objects.filter(kind=Organisation.Kind.CITY_OFFICE, region_id=city, is_active=True)
                  .order_by("pk").first()
                  or Organisation.objects.filter(kind=Organisation.Kind.CITY_OFFICE, is_active=True)
                  .order_by("pk").first())
    if office is None:
        raise ValidationError("尚未设置受理投诉举报的市知识产权局（请系统管理员先建立组织机构）")
    return office


def receipt_fields(submission: Submission, matters: list[Matter], rights: list[SubmissionRight],
                   attachments: list[SubmissionAttachment]) -> dict:
    """What the acceptance receipt certifies (and what its digest covers): no personal data beyond the submitter's
    organisation name, which the receipt shows anyway."""
    return {
        "tracking_number": submission.tracking_number,
        "received_at": submission.received_at.isoformat(),
        "channel": submission.channel,
        "matters": [{"number": m.number, "kind": m.kind} for m in matters],
        "ip_type": submission.ip_type,
        "respondent": submission.respondent_name,
        "rights": [{"kind": r.kind, "number": r.number} for r in rights],
        "attachments": [{"name": a.name, "sha256": a.sha256} for a in attachments],
        "region": submission.region_id,
    }


def _receipt_digest(fields: dict) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@action
def submit(data: SubmissionInput, *, acting_user, channel: str, client: IntakeClient | None = None,
           idempotency_key: str = "", digest: str = "", region: Region, is_demo: bool = False,
           received_at=None) -> tuple[Submission, bool]:
    """Register a submission: (submission, created). With an idempotency key already used for the same request the
    earlier submission is returned (created False); for a different request, IdempotencyConflict."""
    scope = _idempotency_scope(acting_user, client)
    if idempotency_key:
        existing = _replay(scope, idempotency_key, digest)
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            return _register(data, acting_user=acting_user, channel=channel, client=client, scope=scope,
                             idempotency_key=idempotency_key, digest=digest, region=region, is_demo=is_demo,
                             received_at=received_at), True
    except IntegrityError:
        # A concurrent request with the same key committed first: answer with its submission.
        existing = _replay(scope, idempotency_key, digest) if idempotency_key else None
        if existing is None:
            raise
        return existing, False


def _idempotency_scope(acting_user, client) -> str:
    if client is not None:
        return f"client:{client.pk}"
    if getattr(acting_user, "is_authenticated", False):
        return f"user:{acting_user.pk}"
    return "public"


def _replay(scope: str, key: str, digest: str) -> Submission | None:
    existing = Submission.objects.filter(idempotency_scope=scope, idempotency_key=key).first()
    if existing is not None and existing.request_digest != digest:
        raise IdempotencyConflict("该 Idempotency-Key 已用于内容不同的另一次提交；重试时请原样重发，新的提交请使用新的键",
                                  code="idempotency_conflict")
    return existing


def _register(data: SubmissionInput, *, acting_user, channel, client, scope, idempotency_key, digest, region,
              is_demo, received_at) -> Submission:
    now = received_at or timezone.now()
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    respondent_org = (Organisation.objects.filter(uscc=data.respondent_uscc).first()
                      if data.respondent_uscc else None)
    submission = Submission(
        tracking_number=f"TS{timezone.localtime(now):%Y%m%d}{_random(6)}",
        channel=channel, client=client, external_reference=data.external_reference,
        idempotency_scope=scope if idempotency_key else "", idempotency_key=idempotency_key,
        request_digest=digest,
        submitter_type=data.submitter_type, submitter_user=user,
        submitter_org_name=data.submitter_org_name, submitter_uscc=data.submitter_uscc,
        submitter_name=data.submitter_name, submitter_name_digest=digest_for(data.submitter_name, "name"),
        submitter_phone=data.submitter_phone, submitter_phone_digest=digest_for(data.submitter_phone, "phone"),
        submitter_id_number=data.submitter_id_number,
        submitter_id_number_digest=digest_for(data.submitter_id_number, "id_number"),
        submitter_email=data.submitter_email, submitter_address=data.submitter_address,
        ip_type=data.ip_type, respondent_kind=data.respondent_kind, respondent_name=data.respondent_name,
        respondent_uscc=data.respondent_uscc, respondent_platform=data.respondent_platform,
        respondent_shop_id=data.respondent_shop_id, respondent_shop_url=data.respondent_shop_url,
        respondent_fair=data.respondent_fair, respondent_booth=data.respondent_booth,
        respondent_address=data.respondent_address, respondent_org=respondent_org,
        respondent_key=respondent_key(data.respondent_name, data.respondent_uscc, data.respondent_platform,
                                      data.respondent_shop_id),
        region=region, facts=data.facts, demands=data.demands, received_at=now, is_demo=is_demo,
    )
    submission.save(force_insert=True)
    rights = SubmissionRight.objects.bulk_create(
        [SubmissionRight(submission=submission, kind=r.kind, number=r.number, raw=r.raw[:100]) for r in data.rights])
    attachments = [_attach(submission, a, acting_user=acting_user, at=now, method=_capture_method(channel))
                   for a in data.attachments]
    office = responsible_office(region)
    matters = []
    for kind in sorted(set(data.kinds)):
        matter = Matter(submission=submission, kind=kind, number=f"{submission.tracking_number}{KIND_SUFFIX[kind]}",
                        assigned_org=office, received_at=now, ip_type=data.ip_type,
                        respondent_name=data.respondent_name, is_demo=is_demo)
        matter.save(force_insert=True)
        # A new matter has nothing else under it: its first deadline is its current one.
        first = start_deadline(matter, FIRST_STEP[kind], region_code=region.code, label=matter.number,
                               acting_user=acting_user, start_at=now)
        Matter.objects.filter(pk=matter.pk).update(due_at=first.due_at)
        matter.due_at = first.due_at
        matters.append(matter)
    fields = receipt_fields(submission, matters, rights, attachments)
    submission.receipt_digest = _receipt_digest(fields)
    submission.save(update_fields=["receipt_digest"])
    kinds = "、".join(m.get_kind_display() for m in matters)
    MatterEvent.objects.create(submission=submission, at=now, actor=user, kind="received", public=True,
                               note=f"已收到您的{kinds}（{submission.get_channel_display()}），受理编号 "
                                    f"{submission.tracking_number}，转{office.name}办理。")
    evidence_seam.capture("receipt", submission.receipt_digest, subject=submission.tracking_number,
                          captured_at=now, captured_by=_actor_label(acting_user, client),
                          method=submission.get_channel_display())
    record("protection.submit", acting_user=acting_user, obj=submission,
           changes={"channel": channel, "matters": [m.number for m in matters], "office": office.pk,
                    "client": client.pk if client else None, "attachments": len(attachments)})
    return submission


def _capture_method(channel: str) -> str:
    return {"web": "网上提交上传", "api": "接口提交", "platform": "电商平台转送", "trade_fair": "展会投诉站转送"}.get(
        channel, "工作人员录入")


def _actor_label(acting_user, client) -> str:
    if client is not None:
        return client.name
    if getattr(acting_user, "is_authenticated", False):
        return acting_user.get_username()
    return "公众"


def _attach(submission: Submission, item, *, acting_user, at, method: str) -> SubmissionAttachment:
    stored = store_file(ContentFile(item.content, name=item.name), acting_user=acting_user, name=item.name)
    attachment = SubmissionAttachment.objects.create(
        submission=submission, file=stored, name=item.name[:255], detected_type=item.detected_type,
        sha256=stored.sha256, captured_at=at, capture_method=method)
    evidence_seam.capture("attachment", stored.sha256, subject=submission.tracking_number, captured_at=at,
                          captured_by=_actor_label(acting_user, None), method=method)
    return attachment


def start_deadline(subject, step: str, *, region_code: str, label: str, acting_user, start_at) -> Deadline:
    """A deadline on `subject` (a matter, mediation, referral, case or decision) under the limit in force for
    `region_code`, titled with the subject's number; the limit's unit and source are stored with it."""
    limit = limit_for(step, region_code)
    return create_deadline(acting_user=acting_user, title=f"{label} {limit.title}", amount=limit.amount,
                           unit=limit.unit.value, start_at=start_at, subject=subject, rule=limit.source)


def _start_deadline(matter: Matter, step: str, *, acting_user, start_at) -> Deadline:
    deadline = start_deadline(matter, step, region_code=matter.submission.region_id, label=matter.number,
                              acting_user=acting_user, start_at=start_at)
    refresh_due(matter)
    return deadline


def deadlines_of(*subjects):
    """The deadlines on these objects (of any models), oldest first."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    q = Q(pk__in=[])
    for subject in subjects:
        if subject is not None and subject.pk is not None:
            q |= Q(subject_type=ContentType.objects.get_for_model(type(subject)), subject_id=str(subject.pk))
    return Deadline.objects.filter(q).order_by("start_at", "pk")


def open_deadlines(*subjects):
    return deadlines_of(*subjects).filter(status__in=Deadline.OPEN_STATUSES)


def related_subjects(matter: Matter) -> list:
    """The matter and everything handled under it that carries deadlines."""
    from ipcity.protection.models import Case, Mediation, PenaltyDecision, Referral

    subjects = [matter, *Referral.objects.filter(matter=matter), *Mediation.objects.filter(matter=matter)]
    case = Case.objects.filter(matter=matter).first()
    if case is not None:
        subjects += [case, *PenaltyDecision.objects.filter(case=case)]
    return subjects


def refresh_due(matter: Matter) -> None:
    """Matter.due_at: the nearest open deadline of the matter or of anything handled under it (lists sort on it)."""
    nearest = open_deadlines(*related_subjects(matter)).order_by("due_at").values_list("due_at", flat=True).first()
    if nearest != matter.due_at:
        matter.due_at = nearest
        Matter.objects.filter(pk=matter.pk).update(due_at=nearest)


def finish_deadlines(*subjects, acting_user, at=None) -> None:
    """Finish the open deadlines on these subjects (met or late is judged at `at`)."""
    for deadline in open_deadlines(*subjects):
        finish_deadline(deadline, acting_user=acting_user, at=at or timezone.now())


def _finish_open_deadlines(matter: Matter, *, acting_user, at) -> None:
    finish_deadlines(matter, acting_user=acting_user, at=at)
    refresh_due(matter)


def event(matter: Matter, kind: str, note: str, *, acting_user, public: bool, at=None) -> MatterEvent:
    return MatterEvent.objects.create(submission_id=matter.submission_id, matter=matter, at=at or timezone.now(),
                                      actor=acting_user if getattr(acting_user, "pk", None) else None, kind=kind,
                                      note=note, public=public)


# --- handling ------------------------------------------------------------------------------------------------------

# 《市场监督管理投诉举报处理暂行办法》第十五条: grounds for not accepting a complaint.
NOT_ACCEPTED_GROUNDS = {
    "not_competent": "投诉事项不属于市场监督管理（知识产权）部门职责，或者本行政机关不具有处理权限",
    "already_handled": "法院、仲裁机构、其他行政机关或者调解组织已经受理或者处理过同一争议",
    "no_dispute": "不能证明与被投诉人之间存在争议",
    "time_barred": "投诉人知道或者应当知道自己的权益受到侵害之日起超过三年",
    "missing_materials": "未提供规定的投诉材料（第九条第一款和第十条）",
    "other_legal": "法律、法规、规章规定不予受理的其他情形",
}
# 《市场监督管理行政处罚程序规定》第二十条: grounds for not opening a case.
NOT_FILED_GROUNDS = {
    "no_violation": "违法事实不能成立",
    "minor_first": "违法行为轻微并及时改正，没有造成危害后果",
    "time_barred": "超过行政处罚追诉时效",
    "not_competent": "不属于本部门管辖（另行移送）",
    "other_legal": "依法可以不予立案的其他情形",
}


def _require(matter: Matter, kind: str, *statuses: str) -> None:
    if matter.kind != kind:
        raise ValidationError(f"该操作只适用于{Matter.Kind(kind).label}件")
    if matter.status not in statuses:
        raise ValidationError(f"当前状态为“{matter.get_status_display()}”，不能进行此操作")


@action
def decide_complaint(matter: Matter, *, acting_user, accept: bool, ground: str = "", note: str = "",
                     track: str = "") -> Matter:
    """Accept a complaint (and choose the simple or ordinary track) or refuse it on one statutory ground."""
    _require(matter, Matter.Kind.COMPLAINT, Matter.Status.RECEIVED)
    now = timezone.now()
    _finish_open_deadlines(matter, acting_user=acting_user, at=now)
    if accept:
        matter.status = Matter.Status.ACCEPTED
        matter.accepted_at = now
        matter.track = track or Matter.Track.SIMPLE
        event(matter, "accepted", f"投诉已受理（{matter.get_track_display()}程序）。{note}".strip(),
               acting_user=acting_user, public=True, at=now)
    else:
        if ground not in NOT_ACCEPTED_GROUNDS:
            raise ValidationError({"ground": "不予受理须选择一项法定理由"})
        matter.status = Matter.Status.NOT_ACCEPTED
        matter.decision_ground = ground
        matter.closed_at = now
        event(matter, "not_accepted", f"不予受理：{NOT_ACCEPTED_GROUNDS[ground]}。{note}".strip(),
               acting_user=acting_user, public=True, at=now)
    matter.save()
    record("protection.decide_complaint", acting_user=acting_user, obj=matter,
           changes={"accept": accept, "ground": ground, "track": matter.track})
    return matter


@action
def assign_matter(matter: Matter, *, acting_user, organisation: Organisation, assignee=None) -> Matter:
    if not matter.is_open:
        raise ValidationError("已办结的件不能再分派")
    if assignee is not None and assignee.organisation_id != organisation.pk:
        raise ValidationError({"assignee": "承办人须是承办单位的工作人员"})
    before = (matter.assigned_org_id, matter.assignee_id)
    matter.assigned_org, matter.assignee = organisation, assignee
    matter.save(update_fields=["assigned_org", "assignee"])
    event(matter, "assigned", f"分派至{organisation.name}" + (f"（承办人 {assignee}）" if assignee else ""),
           acting_user=acting_user, public=False)
    record("protection.assign", acting_user=acting_user, obj=matter,
           changes={"organisation": [before[0], organisation.pk],
                    "assignee": [before[1], assignee.pk if assignee else None]})
    return matter


@action
def close_matter(matter: Matter, *, acting_user, outcome: str) -> Matter:
    if not matter.is_open:
        raise ValidationError("该件已经办结")
    if not outcome.strip():
        raise ValidationError({"outcome": "请填写办理结果"})
    now = timezone.now()
    _finish_open_deadlines(matter, acting_user=acting_user, at=now)
    matter.status, matter.outcome, matter.closed_at = Matter.Status.CLOSED, outcome.strip(), now
    matter.save()
    event(matter, "closed", f"已办结：{matter.outcome}", acting_user=acting_user, public=True, at=now)
    record("protection.close", acting_user=acting_user, obj=matter, changes={"status": matter.status})
    return matter


def jurisdiction_region(region_code: str, respondent_uscc: str = "") -> Region:
    """The region whose office handles a submission: the one the submitter chose (inside the installation's city),
    else the respondent's registration region when it is inside the city, else the city itself."""
    from ipcity.analytics.navigation import home_city

    city = home_city()
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None or not region_code.startswith(city[:4]):
            raise ValidationError({"region_code": f"区划代码「{region_code}」不在本市范围内"})
        return region
    if respondent_uscc:
        code = respondent_uscc[2:8]
        if code.startswith(city[:4]):
            region = Region.objects.filter(code=code).first()
            if region is not None:
                return region
    region = Region.objects.filter(code=city).first()
    if region is None:
        raise ValidationError("尚未加载本市的行政区划")
    return region
