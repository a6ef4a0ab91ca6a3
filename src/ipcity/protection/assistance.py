"""维权援助 actions: an enterprise asks, the enterprise's officer (or one staff assign) takes it, notes progress and
closes it with an outcome, within the configured limit (`assistance`, 20 working days by default)."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from ipcity.core.actions import action, record
from ipcity.orgs.models import Organisation
from ipcity.protection.actions import _random, finish_deadlines, start_deadline
from ipcity.protection.models import AssistanceAssignment, AssistanceRequest


def officer_for(enterprise: Organisation, on: dt.date | None = None):
    """The officer assigned to the enterprise on that day (the latest assignment), or None."""
    on = on or timezone.localdate()
    assignment = (AssistanceAssignment.objects.filter(enterprise=enterprise, since__lte=on)
                  .filter(Q(until__isnull=True) | Q(until__gte=on)).order_by("-since", "-pk").first())
    return assignment.officer if assignment else None


@action
def assign_officer(enterprise: Organisation, officer, *, acting_user, since: dt.date | None = None):
    """Make `officer` the enterprise's 维权援助专员 from `since`; the previous assignment ends the day before."""
    if enterprise.kind != Organisation.Kind.ENTERPRISE:
        raise ValidationError({"enterprise": "只能为企业指定维权援助专员"})
    since = since or timezone.localdate()
    AssistanceAssignment.objects.filter(enterprise=enterprise, until__isnull=True, since__lt=since).update(
        until=since - dt.timedelta(days=1))
    assignment = AssistanceAssignment.objects.create(officer=officer, enterprise=enterprise, since=since)
    record("protection.assign_assistance_officer", acting_user=acting_user, obj=assignment,
           changes={"enterprise": enterprise.pk, "officer": officer.pk, "since": since.isoformat()})
    return assignment


@action
def request_assistance(*, acting_user, kind: str, description: str, country: str = "",
                       rights: str = "", is_demo: bool = False) -> AssistanceRequest:
    """An enterprise user asks for help; the enterprise's officer, if it has one, takes the request at once."""
    enterprise = acting_user.organisation
    if enterprise is None or enterprise.kind != Organisation.Kind.ENTERPRISE:
        raise ValidationError("只有企业用户可以申请维权援助")
    if kind not in AssistanceRequest.Kind.values:
        raise ValidationError({"kind": "请选择援助类型"})
    if kind == AssistanceRequest.Kind.OVERSEAS and not country.strip():
        raise ValidationError({"country": "海外纠纷请填写涉及的国家或地区"})
    if len(description.strip()) < 10:
        raise ValidationError({"description": "请说明纠纷情况（不少于 10 个字）"})
    now = timezone.now()
    officer = officer_for(enterprise)
    item = AssistanceRequest.objects.create(
        number=f"YZ{timezone.localtime(now):%Y%m%d}{_random(5)}", enterprise=enterprise, requested_by=acting_user,
        kind=kind, country=country.strip(), rights=rights.strip(), description=description.strip(), officer=officer,
        status=AssistanceRequest.Status.IN_PROGRESS if officer else AssistanceRequest.Status.SUBMITTED,
        created_at=now, is_demo=is_demo)
    start_deadline(item, "assistance", region_code=enterprise.region_id, label=item.number, acting_user=acting_user,
                   start_at=now)
    record("protection.request_assistance", acting_user=acting_user, obj=item,
           changes={"kind": kind, "officer": officer.pk if officer else None})
    return item


@action
def take_assistance(item: AssistanceRequest, officer, *, acting_user) -> AssistanceRequest:
    if item.status == AssistanceRequest.Status.CLOSED:
        raise ValidationError("该申请已经办结")
    item.officer, item.status = officer, AssistanceRequest.Status.IN_PROGRESS
    item.save(update_fields=["officer", "status"])
    record("protection.take_assistance", acting_user=acting_user, obj=item, changes={"officer": officer.pk})
    return item


@action
def note_assistance(item: AssistanceRequest, *, acting_user, text: str) -> AssistanceRequest:
    if item.status == AssistanceRequest.Status.CLOSED:
        raise ValidationError("该申请已经办结")
    if not text.strip():
        raise ValidationError({"text": "请填写援助记录"})
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    item.progress = f"{item.progress}\n{stamp} {acting_user}：{text.strip()}".strip()
    item.save(update_fields=["progress"])
    record("protection.note_assistance", acting_user=acting_user, obj=item)
    return item


@action
def close_assistance(item: AssistanceRequest, *, acting_user, outcome: str) -> AssistanceRequest:
    if item.status == AssistanceRequest.Status.CLOSED:
        raise ValidationError("该申请已经办结")
    if item.officer_id is None:
        raise ValidationError("请先指定维权援助专员")
    if not outcome.strip():
        raise ValidationError({"outcome": "请填写援助结果"})
    now = timezone.now()
    item.status, item.outcome, item.closed_at = AssistanceRequest.Status.CLOSED, outcome.strip(), now
    item.save(update_fields=["status", "outcome", "closed_at"])
    finish_deadlines(item, acting_user=acting_user, at=now)
    record("protection.close_assistance", acting_user=acting_user, obj=item)
    return item
