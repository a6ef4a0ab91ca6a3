"""Reports → administrative penalty cases (行政处罚程序): the 立案 decision with two credentialed officers and a recusal
check, the full-process record, clock stops and extensions, legal review, the decision, service, execution and
closure; then the decision's public disclosure (执法公示)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from ipcity.core.actions import action, record
from ipcity.core.fields import digest_for
from ipcity.protection.actions import (
    NOT_FILED_GROUNDS,
    event,
    finish_deadlines,
    open_deadlines,
    refresh_due,
)
from ipcity.protection.actions import start_deadline as _start
from ipcity.protection.deadlines import limit_for
from ipcity.protection.disclosure_masking import mask_decision_text, split_names
from ipcity.protection.models import (
    Adjudication,
    Case,
    CaseOfficer,
    CaseRecord,
    Disclosure,
    EnforcementCredential,
    LegalReview,
    Matter,
    PenaltyDecision,
)
from ipcity.workdays.actions import extend_deadline, pause_deadline, resume_deadline

MIN_OFFICERS = 2  # 行政处罚法 第四十二条


def _region(case: Case) -> str:
    return case.matter.submission.region_id if case.matter_id else case.organisation.region_id


def credential_for(user, day: dt.date) -> EnforcementCredential | None:
    return next((c for c in EnforcementCredential.objects.filter(user=user) if c.valid_on(day)), None)


def recusal_problems(user, matter: Matter | None) -> list[str]:
    """Why an officer must step aside (回避): they handed the report in, or they belong to the party."""
    if matter is None:
        return []
    problems = []
    s = matter.submission
    if s.submitter_user_id == user.pk:
        problems.append(f"{user} 是该举报的提交人")
    elif s.submitter_name_digest and s.submitter_name_digest == digest_for(user.display_name, "name"):
        problems.append(f"{user} 与举报人同名，须核实是否应当回避")
    if s.respondent_org_id and user.organisation_id == s.respondent_org_id:
        problems.append(f"{user} 所在单位是被举报人")
    return problems


@action
def decide_lead(matter: Matter, *, acting_user, file: bool, officers=(), cause: str = "", major: bool = False,
                ground: str = "", note: str = "") -> Case | None:
    """立案 or not on a report's lead (程序规定 第十八、二十条). Opening needs at least two officers holding valid
    enforcement credentials who declare no conflict; the 90-day limit for the decision starts."""
    if matter.kind != Matter.Kind.REPORT or matter.status not in (Matter.Status.RECEIVED, Matter.Status.CHECKING):
        raise ValidationError("只有待核查的举报可以作出立案决定")
    now = timezone.now()
    if not file:
        if ground not in NOT_FILED_GROUNDS:
            raise ValidationError({"ground": "不予立案须选择一项理由"})
        finish_deadlines(matter, acting_user=acting_user, at=now)
        matter.status, matter.decision_ground, matter.closed_at = Matter.Status.NOT_FILED, ground, now
        matter.outcome = f"不予立案：{NOT_FILED_GROUNDS[ground]}"
        matter.save()
        refresh_due(matter)
        event(matter, "not_filed", f"经核查，决定不予立案（{NOT_FILED_GROUNDS[ground]}）。{note}".strip(),
              acting_user=acting_user, public=True, at=now)
        record("protection.decide_lead", acting_user=acting_user, obj=matter, changes={"file": False, "ground": ground})
        return None
    officers = list(dict.fromkeys(officers))
    today = timezone.localdate()
    credentials = {u: credential_for(u, today) for u in officers}
    errors = [f"{u} 没有有效的行政执法证" for u, c in credentials.items() if c is None]
    if len(officers) < MIN_OFFICERS:
        errors.insert(0, f"立案须指定至少 {MIN_OFFICERS} 名执法人员")
    for user in officers:
        errors += recusal_problems(user, matter)
    if not cause.strip():
        errors.append("请填写案由")
    if errors:
        raise ValidationError(errors)
    finish_deadlines(matter, acting_user=acting_user, at=now)
    case = Case.objects.create(matter=matter, number=next_case_number(matter.assigned_org, now),
                               organisation=matter.assigned_org, party_name=matter.respondent_name,
                               cause=cause.strip(), filed_at=now, major=major, is_demo=matter.is_demo)
    for user, credential in credentials.items():
        CaseOfficer.objects.create(case=case, user=user, credential=credential, no_conflict_declared_at=now)
    names = "、".join(f"{u}（{c.number}）" for u, c in credentials.items())
    append_record(case, acting_user=acting_user, kind=CaseRecord.Kind.FILING,
                  text=f"立案。案由：{case.cause}。承办人员：{names}，均已声明无需回避。{note}".strip())
    _start(case, "case_decision", region_code=_region(case), label=case.number, acting_user=acting_user,
           start_at=now)
    matter.status = Matter.Status.FILED
    matter.save(update_fields=["status"])
    refresh_due(matter)
    # Telling a real-name reporter (第三十一条) happens here: the status page says so at once; the identity of the
    # reporter is never part of the case file the party sees.
    event(matter, "filed", "经核查，已依法立案调查。", acting_user=acting_user, public=True, at=now)
    record("protection.decide_lead", acting_user=acting_user, obj=case,
           changes={"file": True, "officers": [u.pk for u in officers], "major": major})
    return case


def next_case_number(org, now) -> str:
    """牡丹区局立〔2026〕3号: the office's short name, the year, the next number of the office's cases that year."""
    year = timezone.localtime(now).year
    count = Case.objects.filter(organisation=org, filed_at__year=year).count() + 1
    return f"{org.short_name or org.name[:8]}立〔{year}〕{count}号"


def _record_hash(case_id: int, seq: int, kind: str, at, by_id: int, text: str, file_sha: str, prev: str) -> str:
    payload = json.dumps({"case": case_id, "seq": seq, "kind": kind, "at": at.isoformat(), "by": by_id,
                          "text": text, "file": file_sha, "prev": prev}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def append_record(case: Case, *, acting_user, kind: str, text: str, file=None, at=None) -> CaseRecord:
    """Append one step to the case's full-process record; each row's hash covers the one before it."""
    last = CaseRecord.objects.filter(case=case).order_by("-seq").first()
    seq, prev = (last.seq + 1, last.content_hash) if last else (1, "")
    at = at or timezone.now()
    digest = _record_hash(case.pk, seq, kind, at, acting_user.pk, text, file.sha256 if file else "", prev)
    return CaseRecord.objects.create(case=case, seq=seq, kind=kind, at=at, by=acting_user, text=text, file=file,
                                     prev_hash=prev, content_hash=digest)


def verify_records(case: Case) -> list[int]:
    """The sequence numbers whose stored hash does not match their content (empty: the record is intact)."""
    bad, prev = [], ""
    for row in CaseRecord.objects.filter(case=case).select_related("file").order_by("seq"):
        expected = _record_hash(case.pk, row.seq, row.kind, row.at, row.by_id, row.text,
                                row.file.sha256 if row.file_id else "", prev)
        if row.prev_hash != prev or row.content_hash != expected:
            bad.append(row.seq)
        prev = row.content_hash
    return bad


def _require_open(case: Case) -> None:
    if case.status == Case.Status.CLOSED:
        raise ValidationError("案件已经结案")


@action
def add_record(case: Case, *, acting_user, kind: str, text: str, file=None) -> CaseRecord:
    _require_open(case)
    allowed = {CaseRecord.Kind.INVESTIGATION, CaseRecord.Kind.INQUIRY, CaseRecord.Kind.INSPECTION,
               CaseRecord.Kind.TECHNICAL, CaseRecord.Kind.NOTICE}
    if kind not in allowed:
        raise ValidationError({"kind": "该环节由相应的办理操作自动记录"})
    if not text.strip():
        raise ValidationError({"text": "请填写记录内容"})
    row = append_record(case, acting_user=acting_user, kind=kind, text=text.strip(), file=file)
    record("protection.case_record", acting_user=acting_user, obj=case, changes={"seq": row.seq, "kind": kind})
    return row


@action
def stop_clock(subject, *, acting_user, reason: str) -> None:
    """中止计时 for 检测、检验、检疫、鉴定、权利人辨认 (lead check) or 中止、听证、公告、鉴定 (case decision)."""
    deadline = open_deadlines(subject).first()
    if deadline is None:
        raise ValidationError("没有正在计时的期限")
    pause_deadline(deadline, acting_user=acting_user, reason=reason)
    _after_clock_change(subject, acting_user, f"中止计时：{reason}", CaseRecord.Kind.CLOCK_STOP)


@action
def restart_clock(subject, *, acting_user) -> None:
    deadline = open_deadlines(subject).first()
    if deadline is None:
        raise ValidationError("没有中止计时的期限")
    resume_deadline(deadline, acting_user=acting_user)
    _after_clock_change(subject, acting_user, "恢复计时", CaseRecord.Kind.CLOCK_STOP)


@action
def extend(subject, days: int, *, acting_user, reason: str, approved_by: str, collective_decision: str = "") -> None:
    """An approved extension, within the rule's limit (+15 working days for the lead check, +30 days for the case
    decision). Beyond it only with a recorded collective decision of the leadership (集体讨论决定)."""
    deadline = open_deadlines(subject).first()
    if deadline is None:
        raise ValidationError("没有正在计时的期限")
    if isinstance(subject, Case):
        step, region = "case_decision", _region(subject)
    elif isinstance(subject, Adjudication):
        step, region = "dispute_decision", subject.matter.submission.region_id
    else:
        step, region = "lead_check", subject.submission.region_id
    allowed = limit_for(step, region).extension
    used = deadline.extensions.aggregate(total=Sum("amount"))["total"] or 0
    if used + days > allowed and not collective_decision.strip():
        raise ValidationError(f"可延长 {allowed}{deadline.unit_label}，已延长 {used}；再延长须经集体讨论决定并记录")
    why = f"{reason}（集体讨论决定：{collective_decision.strip()}）" if used + days > allowed else reason
    extend_deadline(deadline, days, acting_user=acting_user, reason=why, approved_by=approved_by)
    _after_clock_change(subject, acting_user, f"经{approved_by}批准延长 {days}{deadline.unit_label}：{why}",
                        CaseRecord.Kind.EXTENSION)


def _after_clock_change(subject, acting_user, text: str, kind: str) -> None:
    if isinstance(subject, Case):
        append_record(subject, acting_user=acting_user, kind=kind, text=text)
        if subject.matter_id:
            refresh_due(subject.matter)
    else:
        matter = subject.matter if isinstance(subject, Adjudication) else subject
        refresh_due(matter)
        event(matter, "clock", text, acting_user=acting_user, public=False)
    record("protection.clock", acting_user=acting_user, obj=subject, changes={"what": text[:200]})


@action
def request_legal_review(case: Case, *, acting_user) -> LegalReview:
    _require_open(case)
    if case.status != Case.Status.INVESTIGATING:
        raise ValidationError("只有调查终结的案件可以提交法制审核")
    review = LegalReview.objects.create(case=case, requested_at=timezone.now(), requested_by=acting_user)
    case.status = Case.Status.LEGAL_REVIEW
    case.save(update_fields=["status"])
    append_record(case, acting_user=acting_user, kind=CaseRecord.Kind.LEGAL_REVIEW, text="提交法制审核。")
    record("protection.request_legal_review", acting_user=acting_user, obj=review)
    return review


@action
def complete_legal_review(review: LegalReview, *, acting_user, passed: bool, opinion: str) -> LegalReview:
    """法制审核 by someone who is not on the case."""
    if review.reviewed_at is not None:
        raise ValidationError("已经审核")
    if CaseOfficer.objects.filter(case=review.case, user=acting_user).exists():
        raise ValidationError("承办人员不能审核本案")
    if not opinion.strip():
        raise ValidationError({"opinion": "请填写审核意见"})
    review.reviewer, review.reviewed_at, review.passed, review.opinion = (acting_user, timezone.now(), passed,
                                                                          opinion.strip())
    review.save()
    case = review.case
    case.status = Case.Status.LEGAL_REVIEW if passed else Case.Status.INVESTIGATING
    case.save(update_fields=["status"])
    append_record(case, acting_user=acting_user, kind=CaseRecord.Kind.LEGAL_REVIEW,
                  text=f"法制审核{'通过' if passed else '未通过，退回补充调查'}：{review.opinion}")
    record("protection.complete_legal_review", acting_user=acting_user, obj=review, changes={"passed": passed})
    return review


@action
def decide_case(case: Case, *, acting_user, document_number: str, party_kind: str, party_name: str,
                violation: str, basis: str, penalty: str, fine: Decimal, text: str, party_uscc: str = "",
                party_id_number: str = "", warning_only: bool = False) -> PenaltyDecision:
    """The penalty decision. A major decision needs a passed legal review first (行政处罚法 第五十八条). Unless it
    is a warning only, its publication deadline starts (总局令第45号: 20 working days, or the locality's limit)."""
    _require_open(case)
    if CaseOfficer.objects.filter(case=case).count() < MIN_OFFICERS:
        raise ValidationError("案件承办人员不足两名")
    if case.major and not case.legal_reviews.filter(passed=True).exists():
        raise ValidationError("重大执法决定须先经法制审核通过")
    if case.status not in (Case.Status.INVESTIGATING, Case.Status.LEGAL_REVIEW):
        raise ValidationError("案件当前状态不能作出决定")
    if fine < 0:
        raise ValidationError({"fine": "罚没款不能为负数"})
    for field, value in (("document_number", document_number), ("party_name", party_name),
                         ("violation", violation), ("penalty", penalty), ("text", text)):
        if not value.strip():
            raise ValidationError({field: "此项必填"})
    now = timezone.now()
    decision = PenaltyDecision.objects.create(
        case=case, document_number=document_number.strip(), party_kind=party_kind, party_name=party_name.strip(),
        party_uscc=party_uscc, party_id_number=party_id_number, violation=violation.strip(), basis=basis.strip(),
        penalty=penalty.strip(), fine=fine, warning_only=warning_only, decided_at=timezone.localdate(),
        text=text.strip())
    finish_deadlines(case, acting_user=acting_user, at=now)
    case.status = Case.Status.DECIDED
    case.save(update_fields=["status"])
    append_record(case, acting_user=acting_user, kind=CaseRecord.Kind.DECISION,
                  text=f"作出行政处罚决定 {decision.document_number}：{decision.penalty}")
    if not warning_only:
        _start(decision, "disclosure_publish", region_code=_region(case), label=decision.document_number,
               acting_user=acting_user, start_at=now)
    if case.matter_id:
        refresh_due(case.matter)
    record("protection.decide_case", acting_user=acting_user, obj=decision,
           changes={"case": case.pk, "fine": str(fine), "warning_only": warning_only})
    return decision


@action
def record_service(decision: PenaltyDecision, *, acting_user, on: dt.date, how: str) -> PenaltyDecision:
    decision.served_at = on
    decision.save(update_fields=["served_at"])
    append_record(decision.case, acting_user=acting_user, kind=CaseRecord.Kind.SERVICE,
                  text=f"{on:%Y-%m-%d} 以{how}方式送达决定书。")
    record("protection.service", acting_user=acting_user, obj=decision, changes={"on": on.isoformat()})
    return decision


@action
def record_execution(decision: PenaltyDecision, *, acting_user, on: dt.date, how: str) -> PenaltyDecision:
    if decision.served_at is None:
        raise ValidationError("决定书送达后才能登记执行")
    decision.executed_at = on
    decision.save(update_fields=["executed_at"])
    append_record(decision.case, acting_user=acting_user, kind=CaseRecord.Kind.EXECUTION, text=f"{on:%Y-%m-%d} {how}")
    record("protection.execution", acting_user=acting_user, obj=decision, changes={"on": on.isoformat()})
    return decision


@action
def close_case(case: Case, *, acting_user) -> Case:
    decision = getattr(case, "decision", None)
    if decision is None or decision.executed_at is None:
        raise ValidationError("处理决定执行完毕后才能结案")
    now = timezone.now()
    case.status, case.closed_at = Case.Status.CLOSED, now
    case.save(update_fields=["status", "closed_at"])
    append_record(case, acting_user=acting_user, kind=CaseRecord.Kind.CLOSURE, text="结案。")
    if case.matter_id:
        matter = case.matter
        finish_deadlines(matter, acting_user=acting_user, at=now)
        matter.status, matter.closed_at = Matter.Status.CLOSED, now
        matter.outcome = f"立案查处，作出行政处罚决定（{decision.document_number}）"
        matter.save(update_fields=["status", "closed_at", "outcome"])
        refresh_due(matter)
        event(matter, "closed", "案件已办结，依法作出行政处罚决定。", acting_user=acting_user, public=True, at=now)
    record("protection.close_case", acting_user=acting_user, obj=case)
    return case


# --- public disclosure (执法公示) -----------------------------------------------------------------------------------

PERIODS = {Disclosure.Period.SHORT: dt.timedelta(days=91), Disclosure.Period.LONG: dt.timedelta(days=3 * 365)}


def masked_summary(decision: PenaltyDecision) -> str:
    return (f"{decision.document_number}：{decision.party_name}{decision.violation}，"
            f"依据{decision.basis}，{decision.penalty}。")


@action
def enter_disclosure(decision: PenaltyDecision, *, acting_user, extra_names: str = "",
                     period: str = Disclosure.Period.LONG) -> Disclosure:
    """The case officer enters the publication: the decision text masked (personal data of natural persons, names
    of natural persons other than the party), ready for a reviewer's sign-off."""
    if decision.warning_only:
        raise ValidationError("仅警告的处罚决定不予公示")
    if hasattr(decision, "disclosure"):
        raise ValidationError("该决定已录入公示")
    natural = decision.party_kind == PenaltyDecision.PartyKind.NATURAL_PERSON
    others = split_names(extra_names)
    disclosure = Disclosure.objects.create(
        decision=decision, extra_names=extra_names[:300], period=period,
        masked_text=mask_decision_text(decision.text, party_is_natural_person=natural, other_names=others),
        summary=mask_decision_text(masked_summary(decision), party_is_natural_person=natural, other_names=others),
        entered_by=acting_user, entered_at=timezone.now())
    record("protection.enter_disclosure", acting_user=acting_user, obj=disclosure, changes={"period": period})
    return disclosure


@action
def sign_off_disclosure(disclosure: Disclosure, *, acting_user) -> Disclosure:
    if disclosure.status != Disclosure.Status.DRAFT:
        raise ValidationError("该公示不在待审核状态")
    if disclosure.entered_by_id == acting_user.pk:
        raise ValidationError("录入人不能审核自己录入的公示")
    now = timezone.now()
    disclosure.status, disclosure.signed_off_by, disclosure.published_at = Disclosure.Status.PUBLISHED, acting_user, now
    disclosure.ends_at = now + PERIODS[disclosure.period]
    disclosure.save()
    finish_deadlines(disclosure.decision, acting_user=acting_user, at=now)
    case = disclosure.decision.case
    if case.matter_id:
        refresh_due(case.matter)
    record("protection.publish_disclosure", acting_user=acting_user, obj=disclosure,
           changes={"ends_at": disclosure.ends_at.isoformat()})
    return disclosure


@action
def mark_overturned(decision: PenaltyDecision, *, acting_user, on: dt.date) -> PenaltyDecision:
    """The decision was changed, revoked or declared void: a published disclosure must be withdrawn within the
    limit (行政处罚法 第四十八条: 3 working days)."""
    decision.overturned_at = on
    decision.save(update_fields=["overturned_at"])
    disclosure = getattr(decision, "disclosure", None)
    if disclosure is not None and disclosure.status == Disclosure.Status.PUBLISHED:
        _start(decision, "disclosure_withdraw", region_code=_region(decision.case), label=decision.document_number,
               acting_user=acting_user, start_at=timezone.now())
    record("protection.overturned", acting_user=acting_user, obj=decision, changes={"on": on.isoformat()})
    return decision


@action
def withdraw_disclosure(disclosure: Disclosure, *, acting_user, reason: str) -> Disclosure:
    if disclosure.status != Disclosure.Status.PUBLISHED:
        raise ValidationError("该公示未在公示中")
    if not reason.strip():
        raise ValidationError({"reason": "请填写撤下原因"})
    now = timezone.now()
    disclosure.status, disclosure.withdrawn_at, disclosure.withdraw_reason = (Disclosure.Status.WITHDRAWN, now,
                                                                              reason.strip())
    disclosure.save()
    finish_deadlines(disclosure.decision, acting_user=acting_user, at=now)
    record("protection.withdraw_disclosure", acting_user=acting_user, obj=disclosure, changes={"reason": reason})
    return disclosure


def published_disclosures(now=None):
    """What the public portal shows: signed off, not withdrawn, not past the end of its period."""
    now = now or timezone.now()
    return Disclosure.objects.filter(status=Disclosure.Status.PUBLISHED, published_at__lte=now, ends_at__gt=now)
