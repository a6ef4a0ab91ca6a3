"""专利侵权纠纷行政裁决: a patent holder's complaint taken as a dispute request. Its own limits (rules
`dispute_acceptance`, `dispute_copy`, `dispute_answer`, `dispute_decision`; local regulations differ), a clock stop
while an invalidation request is pending (专利法实施细则 第九十七条 中止), technical investigators, the decision."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from ipcity.core.actions import action, record
from ipcity.protection.actions import (
    event,
    finish_deadlines,
    open_deadlines,
    refresh_due,
    start_deadline,
)
from ipcity.protection.models import Adjudication, IpType, Matter
from ipcity.workdays.actions import finish_deadline


def _region(adj: Adjudication) -> str:
    return adj.matter.submission.region_id


@action
def accept_as_dispute(matter: Matter, *, acting_user) -> Adjudication:
    """Accept a patent-infringement complaint as a request for 行政裁决 (instead of mediation)."""
    if matter.kind != Matter.Kind.COMPLAINT or matter.status != Matter.Status.RECEIVED:
        raise ValidationError("只有待处理的投诉可以按行政裁决受理")
    if matter.ip_type != IpType.PATENT_INFRINGEMENT or not matter.submission.rights.filter(kind="patent").exists():
        raise ValidationError("行政裁决只适用于写明专利号的专利侵权纠纷")
    now = timezone.now()
    finish_deadlines(matter, acting_user=acting_user, at=now)
    adj = Adjudication.objects.create(matter=matter, accepted_at=now)
    for step in ("dispute_copy", "dispute_decision"):
        start_deadline(adj, step, region_code=_region(adj), label=matter.number, acting_user=acting_user,
                       start_at=now)
    matter.status, matter.accepted_at, matter.track = Matter.Status.ACCEPTED, now, Matter.Track.COMPLEX
    matter.save(update_fields=["status", "accepted_at", "track"])
    refresh_due(matter)
    event(matter, "dispute_accepted", "已作为专利侵权纠纷行政裁决请求受理。", acting_user=acting_user, public=True, at=now)
    record("protection.accept_dispute", acting_user=acting_user, obj=adj, changes={"matter": matter.pk})
    return adj


def _finish_step(adj: Adjudication, title_part: str, *, acting_user, at) -> None:
    """End the dispute's open deadline whose title names this step (副本, 答辩), if it is still running."""
    step = next((d for d in open_deadlines(adj) if title_part in d.title), None)
    if step is not None:
        finish_deadline(step, acting_user=acting_user, at=at)


@action
def serve_copy(adj: Adjudication, *, acting_user) -> Adjudication:
    """The request's copy served on the respondent: the copy deadline ends, the respondent's answer period starts."""
    _require_open(adj)
    if adj.copy_served_at is not None:
        raise ValidationError("副本已经送达")
    now = timezone.now()
    _finish_step(adj, "副本", acting_user=acting_user, at=now)
    adj.copy_served_at = now
    adj.save(update_fields=["copy_served_at"])
    start_deadline(adj, "dispute_answer", region_code=_region(adj), label=adj.matter.number, acting_user=acting_user,
                   start_at=now)
    refresh_due(adj.matter)
    event(adj.matter, "dispute_copy", "已向被请求人送达请求书副本。", acting_user=acting_user, public=True, at=now)
    record("protection.dispute_copy", acting_user=acting_user, obj=adj)
    return adj


@action
def record_answer(adj: Adjudication, *, acting_user, summary: str) -> Adjudication:
    _require_open(adj)
    if adj.copy_served_at is None:
        raise ValidationError("请先送达请求书副本")
    now = timezone.now()
    _finish_step(adj, "答辩", acting_user=acting_user, at=now)
    adj.answer_received_at = now
    adj.save(update_fields=["answer_received_at"])
    refresh_due(adj.matter)
    event(adj.matter, "dispute_answer", f"收到被请求人答辩：{summary.strip() or '（见答辩书）'}", acting_user=acting_user,
          public=False, at=now)
    record("protection.dispute_answer", acting_user=acting_user, obj=adj)
    return adj


@action
def assign_technical_investigator(adj: Adjudication, *, acting_user, name: str, question: str) -> Adjudication:
    """技术调查官 (004 item 10): who, and the technical question put to them."""
    _require_open(adj)
    if not name.strip() or not question.strip():
        raise ValidationError("请填写技术调查官和需要查明的技术问题")
    adj.technical_investigator = name.strip()
    adj.save(update_fields=["technical_investigator"])
    event(adj.matter, "technical_investigator", f"指派技术调查官 {adj.technical_investigator}：{question.strip()}",
          acting_user=acting_user, public=False)
    record("protection.technical_investigator", acting_user=acting_user, obj=adj)
    return adj


@action
def decide_dispute(adj: Adjudication, *, acting_user, outcome: str, reasons: str,
                   document_number: str = "") -> Adjudication:
    _require_open(adj)
    if outcome not in Adjudication.Outcome.values:
        raise ValidationError({"outcome": "请选择裁决结果"})
    if outcome in (Adjudication.Outcome.INFRINGEMENT, Adjudication.Outcome.NO_INFRINGEMENT):
        if not document_number.strip():
            raise ValidationError({"document_number": "请填写裁决书文号"})
        if adj.copy_served_at is None:
            raise ValidationError("未向被请求人送达请求书副本，不能作出裁决")
    if not reasons.strip():
        raise ValidationError({"reasons": "请填写理由"})
    now = timezone.now()
    adj.outcome, adj.reasons, adj.document_number, adj.decided_at = (outcome, reasons.strip(),
                                                                     document_number.strip(), now)
    adj.save()
    finish_deadlines(adj, acting_user=acting_user, at=now)
    matter = adj.matter
    label = Adjudication.Outcome(outcome).label
    matter.status, matter.closed_at = Matter.Status.CLOSED, now
    matter.outcome = f"行政裁决：{label}" + (f"（{adj.document_number}）" if adj.document_number else "")
    matter.save(update_fields=["status", "closed_at", "outcome"])
    refresh_due(matter)
    event(matter, "dispute_decided", f"{matter.outcome}。当事人不服的，可以自收到裁决书之日起十五日内依法向人民法院起诉。",
          acting_user=acting_user, public=True, at=now)
    record("protection.decide_dispute", acting_user=acting_user, obj=adj, changes={"outcome": outcome})
    return adj


def _require_open(adj: Adjudication) -> None:
    if adj.decided_at is not None:
        raise ValidationError("该行政裁决已经结案")
