"""Mediation (with 司法确认) and referrals (线索移送): actions on an accepted complaint or any open matter."""
from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone

from ipcity.core.actions import action, record
from ipcity.orgs.models import Organisation
from ipcity.protection.actions import (
    event,
    finish_deadlines,
    refresh_due,
    start_deadline,
)
from ipcity.protection.models import Matter, Mediation, Referral

# A court's case number for 司法确认: （2026）鲁1702民特12号, or the older 调确字 numbering.
COURT_NUMBER_RE = re.compile(r"[（(]\d{4}[)）].+民特.*\d+号|.*调确字.*\d+号")


@action
def start_mediation(matter: Matter, *, acting_user, mediator: str) -> Mediation:
    """Mediate an accepted complaint; the 45-working-day limit runs from its acceptance (第二十一条)."""
    if matter.kind != Matter.Kind.COMPLAINT or matter.status != Matter.Status.ACCEPTED:
        raise ValidationError("只有已受理的投诉可以调解")
    if not mediator.strip():
        raise ValidationError({"mediator": "请填写调解人员或调解组织"})
    now = timezone.now()
    mediation = Mediation.objects.create(matter=matter, mediator=mediator.strip(), started_at=now)
    start_deadline(mediation, "mediation", region_code=matter.submission.region_id, label=matter.number,
                   acting_user=acting_user, start_at=matter.accepted_at or now)
    matter.status = Matter.Status.MEDIATING
    matter.save(update_fields=["status"])
    refresh_due(matter)
    event(matter, "mediation_started", f"组织调解（{mediation.mediator}）。", acting_user=acting_user, public=True, at=now)
    record("protection.start_mediation", acting_user=acting_user, obj=mediation, changes={"matter": matter.pk})
    return mediation


@action
def end_mediation(mediation: Mediation, *, acting_user, result: str, agreement: str = "") -> Mediation:
    """Record the result. An agreement opens the 30-day window to apply for 司法确认 (人民调解法 第三十三条); the
    matter is then closed with the agreement (or the failure) as its outcome."""
    if mediation.result != Mediation.Result.ONGOING:
        raise ValidationError("调解已经结束")
    if result not in (Mediation.Result.AGREED, Mediation.Result.FAILED, Mediation.Result.WITHDRAWN):
        raise ValidationError({"result": "请选择调解结果"})
    if result == Mediation.Result.AGREED and not agreement.strip():
        raise ValidationError({"agreement": "达成协议的，请填写协议主要内容"})
    now = timezone.now()
    matter = mediation.matter
    finish_deadlines(mediation, acting_user=acting_user, at=now)
    mediation.result, mediation.ended_at, mediation.agreement = result, now, agreement.strip()
    mediation.save()
    if result == Mediation.Result.AGREED:
        start_deadline(mediation, "judicial_confirmation", region_code=matter.submission.region_id,
                       label=matter.number, acting_user=acting_user, start_at=now)
    outcome = {Mediation.Result.AGREED: f"经调解达成协议：{mediation.agreement}",
               Mediation.Result.FAILED: "调解不成，终止调解（当事人可依法申请行政裁决或向人民法院起诉）",
               Mediation.Result.WITHDRAWN: "投诉人撤回投诉，终止调解"}[result]
    finish_deadlines(matter, acting_user=acting_user, at=now)
    matter.status, matter.outcome, matter.closed_at = Matter.Status.CLOSED, outcome, now
    matter.save(update_fields=["status", "outcome", "closed_at"])
    refresh_due(matter)
    event(matter, "mediation_ended", f"{mediation.get_result_display()}。已办结：{outcome}", acting_user=acting_user,
          public=True, at=now)
    record("protection.end_mediation", acting_user=acting_user, obj=mediation, changes={"result": result})
    return mediation


@action
def record_confirmation(mediation: Mediation, *, acting_user, stage: str, on: dt.date, court: str = "",
                        number: str = "") -> Mediation:
    """司法确认 of an agreement: applied (within 30 days) → accepted by the court → confirmed or rejected."""
    if mediation.result != Mediation.Result.AGREED:
        raise ValidationError("只有达成的调解协议可以申请司法确认")
    if stage not in ("applied", "accepted", "confirmed", "rejected"):
        raise ValidationError({"stage": "请选择司法确认进展"})
    current = mediation.confirmation or ""
    expected_before = {"applied": "", "accepted": "applied", "confirmed": "accepted", "rejected": "accepted"}[stage]
    if current != expected_before:
        raise ValidationError(f"司法确认当前为“{mediation.get_confirmation_display() or '未申请'}”，不能登记此进展")
    if on > timezone.localdate():
        raise ValidationError({"on": "日期不能晚于今天"})
    if stage == "applied":
        if not court.strip():
            raise ValidationError({"court": "请填写受理法院"})
        mediation.court, mediation.applied_at = court.strip(), on
        finish_deadlines(mediation, acting_user=acting_user,
                         at=timezone.make_aware(dt.datetime.combine(on, dt.time(12))))
    elif stage == "accepted":
        mediation.court_accepted_at = on
    else:
        if not COURT_NUMBER_RE.fullmatch(number.strip()):
            raise ValidationError({"number": "案号格式应如（2026）鲁1702民特12号"})
        mediation.court_decided_at, mediation.court_number = on, number.strip()
    mediation.confirmation = stage
    mediation.save()
    event(mediation.matter, "judicial_confirmation", f"司法确认：{mediation.get_confirmation_display()}"
          + (f"（{mediation.court_number}）" if mediation.court_number else ""), acting_user=acting_user, public=True)
    record("protection.judicial_confirmation", acting_user=acting_user, obj=mediation,
           changes={"stage": stage, "on": on.isoformat()})
    return mediation


REFERRAL_TARGETS = (Organisation.Kind.MEMBER_DEPARTMENT, Organisation.Kind.DISTRICT_OFFICE,
                    Organisation.Kind.CITY_OFFICE, Organisation.Kind.CITY_SECTION, Organisation.Kind.COURT,
                    Organisation.Kind.MEDIATION_BODY)


@action
def refer_matter(matter: Matter, *, acting_user, to_org: Organisation, reason: str, transfer: bool = False) -> Referral:
    """Send the matter's lead to another department (公安, 文广旅, 农业农村, 海关…), which acknowledges it and reports
    back within the configured limit. `transfer` hands the whole matter over: it is closed on the reply."""
    if not matter.is_open:
        raise ValidationError("已办结的件不能移送")
    if to_org.kind not in REFERRAL_TARGETS or to_org.pk == matter.assigned_org_id:
        raise ValidationError({"to_org": "请选择其他有关部门"})
    if not reason.strip():
        raise ValidationError({"reason": "请填写移送理由"})
    now = timezone.now()
    referral = Referral.objects.create(matter=matter, to_org=to_org, reason=reason.strip(), sent_at=now,
                                       sent_by=acting_user)
    start_deadline(referral, "referral_reply", region_code=matter.submission.region_id, label=matter.number,
                   acting_user=acting_user, start_at=now)
    if transfer:
        matter.status = Matter.Status.REFERRED
        matter.save(update_fields=["status"])
    refresh_due(matter)
    event(matter, "referred", f"线索已移送{to_org.name}依法处理。", acting_user=acting_user, public=True, at=now)
    record("protection.refer", acting_user=acting_user, obj=referral,
           changes={"matter": matter.pk, "to_org": to_org.pk, "transfer": transfer})
    return referral


def _require_receiver(referral: Referral, user) -> None:
    if user.organisation_id != referral.to_org_id:
        raise ValidationError("只有接收单位可以办理该移送")


@action
def acknowledge_referral(referral: Referral, *, acting_user) -> Referral:
    _require_receiver(referral, acting_user)
    if referral.status != Referral.Status.SENT:
        raise ValidationError("该移送已经接收")
    referral.status, referral.acknowledged_at, referral.acknowledged_by = (Referral.Status.ACKNOWLEDGED,
                                                                           timezone.now(), acting_user)
    referral.save()
    event(referral.matter, "referral_acknowledged", f"{referral.to_org.name}已接收移送。", acting_user=acting_user,
          public=False)
    record("protection.acknowledge_referral", acting_user=acting_user, obj=referral)
    return referral


@action
def reply_referral(referral: Referral, *, acting_user, reply: str) -> Referral:
    _require_receiver(referral, acting_user)
    if referral.status == Referral.Status.REPLIED:
        raise ValidationError("已经反馈")
    if not reply.strip():
        raise ValidationError({"reply": "请填写办理情况"})
    now = timezone.now()
    if referral.status == Referral.Status.SENT:  # a reply acknowledges too
        referral.acknowledged_at, referral.acknowledged_by = now, acting_user
    referral.status, referral.replied_at, referral.reply = Referral.Status.REPLIED, now, reply.strip()
    referral.save()
    finish_deadlines(referral, acting_user=acting_user, at=now)
    matter = referral.matter
    if matter.status == Matter.Status.REFERRED:
        finish_deadlines(matter, acting_user=acting_user, at=now)
        matter.status, matter.outcome, matter.closed_at = (Matter.Status.CLOSED,
                                                           f"移送{referral.to_org.name}办理：{referral.reply}", now)
        matter.save(update_fields=["status", "outcome", "closed_at"])
    refresh_due(matter)
    event(matter, "referral_replied", f"{referral.to_org.name}反馈办理情况：{referral.reply}", acting_user=acting_user,
          public=False, at=now)
    record("protection.reply_referral", acting_user=acting_user, obj=referral)
    return referral
