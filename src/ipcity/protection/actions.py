"""State changes of the protection module. Each is an action: keyword-only acting_user, one transaction, its audit
row inside it. Personal data never goes into an audit row."""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ipcity.core.actions import action, record
from ipcity.core.fields import get_digest_key
from ipcity.orgs.models import Organisation
from ipcity.protection.deadlines import limit_for
from ipcity.protection.models import (
    Matter,
    MatterEvent,
    Submission,
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


def start_deadline(subject, step: str, *, region_code: str, label: str, acting_user, start_at) -> Deadline:
    """A deadline on `subject` (a matter, mediation, referral, case or decision) under the limit in force for
    `region_code`, titled with the subject's number; the limit's unit and source are stored with it."""
    limit = limit_for(step, region_code)
    return create_deadline(acting_user=acting_user, title=f"{label} {limit.title}", amount=limit.amount,
                           unit=limit.unit.value, start_at=start_at, subject=subject, rule=limit.source)


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
    from ipcity.protection.models import (
        Adjudication,
        Case,
        Mediation,
        PenaltyDecision,
        Referral,
    )

    subjects = [matter, *Referral.objects.filter(matter=matter), *Mediation.objects.filter(matter=matter),
                *Adjudication.objects.filter(matter=matter)]
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
    """A history entry; a public one is what the submitter sees on the status page, and is also mailed to them."""
    item = MatterEvent.objects.create(submission_id=matter.submission_id, matter=matter, at=at or timezone.now(),
                                      actor=acting_user if getattr(acting_user, "pk", None) else None, kind=kind,
                                      note=note, public=public)
    if public:
        tell_submitter(matter, note)
    return item


def tell_submitter(matter: Matter, note: str) -> None:
    """Mail a public history entry to a submitter who left an e-mail address (投诉举报处理暂行办法: the complainant
    is told of acceptance and outcome, a real-name reporter whether a case was opened — 第三十一条). Sent after
    the transaction commits, so a rolled-back step tells nobody; the status page says the same in any case. No mail
    server configured (IPCITY_EMAIL_HOST unset, common on intranets): the status page is the notice."""
    from django.conf import settings

    if not settings.IPCITY_EMAIL_ENABLED:
        return
    address = matter.submission.submitter_email
    if not address:
        return
    subject = f"您的{matter.get_kind_display()}有新的办理进展（受理编号 {matter.submission.tracking_number}）"
    body = (f"您好：\n\n您提交的{matter.get_kind_display()}（受理编号 {matter.submission.tracking_number}）："
            f"{note}\n\n可凭受理编号和查询码在本平台公众服务“投诉举报进度查询”中查看全部办理记录。此邮件由系统自动发送，"
            "请勿回复。")

    def send():
        from django.core.mail import send_mail

        # A mail relay that is down must not fail the step that already committed; the status page still tells.
        send_mail(subject, body, None, [address], fail_silently=True)

    transaction.on_commit(send)


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
def reveal_submitter_field(submission: Submission, field: str, *, acting_user) -> str:
    """One unmasked value of the submitter's personal data; the read itself is audited (who, which field)."""
    if field not in Submission.SENSITIVE_FIELDS:
        raise ValueError(f"{field} is not a sensitive field")
    record("privacy.reveal", acting_user=acting_user, obj=submission, changes={"field": field})
    return getattr(submission, field)


@action
def close_matter(matter: Matter, *, acting_user, outcome: str) -> Matter:
    if not matter.is_open:
        raise ValidationError("该件已经办结")
    if matter.status == Matter.Status.MEDIATING:
        raise ValidationError("调解中的投诉请记录调解结果（达成协议、调解不成或撤回），由此办结")
    if matter.status == Matter.Status.FILED:
        raise ValidationError("已立案的举报随案件结案而办结")
    if not outcome.strip():
        raise ValidationError({"outcome": "请填写办理结果"})
    now = timezone.now()
    _finish_open_deadlines(matter, acting_user=acting_user, at=now)
    matter.status, matter.outcome, matter.closed_at = Matter.Status.CLOSED, outcome.strip(), now
    matter.save()
    event(matter, "closed", f"已办结：{matter.outcome}", acting_user=acting_user, public=True, at=now)
    record("protection.close", acting_user=acting_user, obj=matter, changes={"status": matter.status})
    return matter


_CITY_CACHE_SECONDS = 60
_city_cache: tuple[float, str, dict] | None = None


def city_regions() -> tuple[str, dict[str, Region]]:
    """The installation's city and its regions by code, read at most once a minute per process: intake routes
    every submission through them, and they change only when an administrator re-homes the installation."""
    global _city_cache
    from ipcity.analytics.navigation import home_city

    now = time.monotonic()
    if _city_cache is None or now - _city_cache[0] > _CITY_CACHE_SECONDS:
        city = home_city()
        regions = {r.code: r for r in Region.objects.filter(code__startswith=city[:4])}
        _city_cache = (now, city, regions)
    return _city_cache[1], _city_cache[2]


def jurisdiction_region(region_code: str, respondent_uscc: str = "") -> Region:
    """The region whose office handles a submission: the one the submitter chose (inside the installation's city),
    else the respondent's registration region when it is inside the city, else the city itself."""
    city, regions = city_regions()
    if region_code:
        region = regions.get(region_code)
        if region is None:
            raise ValidationError({"region_code": f"区划代码「{region_code}」不在本市范围内"})
        return region
    if respondent_uscc and respondent_uscc[2:8] in regions:
        return regions[respondent_uscc[2:8]]
    region = regions.get(city)
    if region is None:
        raise ValidationError("尚未加载本市的行政区划")
    return region
