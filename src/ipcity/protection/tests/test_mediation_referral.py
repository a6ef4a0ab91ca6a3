"""Mediation with its 45-working-day limit and the 30-day window for 司法确认; referrals acknowledged and answered by
the receiving department, which sees nothing else."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ipcity.accounts.roles import Role as R
from ipcity.core.scoping import visible
from ipcity.protection import actions, handling
from ipcity.protection.actions import open_deadlines
from ipcity.protection.api import public_status
from ipcity.protection.models import Matter, Mediation
from ipcity.protection.tests.helpers import make_submission


def accepted(world, **kw):
    matter = make_submission(**kw).matters.get()
    actions.decide_complaint(matter, acting_user=world.user(R.DISTRICT_STAFF), accept=True)
    matter.refresh_from_db()
    return matter


@pytest.mark.django_db
def test_mediation_counts_45_working_days_from_acceptance_and_an_agreement_opens_the_confirmation_window(world):
    staff = world.user(R.DISTRICT_STAFF)
    matter = accepted(world)
    with pytest.raises(ValidationError):
        handling.start_mediation(make_submission(kinds=("report",)).matters.get(), acting_user=staff, mediator="x")
    mediation = handling.start_mediation(matter, acting_user=staff, mediator="牡丹区知识产权纠纷人民调解委员会")
    deadline = open_deadlines(mediation).get()
    assert (deadline.amount, deadline.unit) == (45, "working_days") and deadline.start_at == matter.accepted_at
    handling.end_mediation(mediation, acting_user=staff, result="agreed",
                           agreement="被投诉人停止销售并赔偿 2 万元。")
    matter.refresh_from_db()
    assert matter.status == Matter.Status.CLOSED and "赔偿 2 万元" in matter.outcome
    window = open_deadlines(mediation).get()
    assert (window.amount, window.unit) == (30, "days")
    today = timezone.localdate()
    with pytest.raises(ValidationError):  # accepted before applied
        handling.record_confirmation(mediation, acting_user=staff, stage="accepted", on=today)
    handling.record_confirmation(mediation, acting_user=staff, stage="applied", on=today, court="菏泽市牡丹区人民法院")
    assert not open_deadlines(mediation).exists()
    handling.record_confirmation(mediation, acting_user=staff, stage="accepted", on=today)
    with pytest.raises(ValidationError, match="案号"):
        handling.record_confirmation(mediation, acting_user=staff, stage="confirmed", on=today, number="12号")
    handling.record_confirmation(mediation, acting_user=staff, stage="confirmed", on=today,
                                 number="（2026）鲁1702民特12号")
    mediation.refresh_from_db()
    assert mediation.confirmation == Mediation.Confirmation.CONFIRMED
    notes = " ".join(e["note"] for e in public_status(matter.submission)["history"])
    assert "达成调解协议" in notes and "（2026）鲁1702民特12号" in notes


@pytest.mark.django_db
def test_a_failed_mediation_closes_the_complaint(world):
    staff = world.user(R.DISTRICT_STAFF)
    matter = accepted(world)
    mediation = handling.start_mediation(matter, acting_user=staff, mediator="调解员甲")
    handling.end_mediation(mediation, acting_user=staff, result="failed")
    matter.refresh_from_db()
    assert matter.status == "closed" and "调解不成" in matter.outcome and matter.due_at is None
    assert not open_deadlines(mediation).exists()


@pytest.mark.django_db
def test_a_referral_is_seen_acknowledged_and_answered_by_the_receiving_department_only(world):
    staff, liaison = world.user(R.DISTRICT_STAFF), world.user(R.MEMBER_LIAISON)
    matter = accepted(world)
    other = make_submission(region_code="371702", respondent="无关公司").matters.get()
    assert not visible(Matter, liaison).exists()
    with pytest.raises(ValidationError):
        handling.refer_matter(matter, acting_user=staff, to_org=world.orgs["enterprise_a"], reason="x")
    referral = handling.refer_matter(matter, acting_user=staff, to_org=world.orgs["member"],
                                     reason="涉嫌销售假冒注册商标的商品，数额较大，涉嫌犯罪")
    assert [d.amount for d in open_deadlines(referral)] == [15]
    assert set(visible(Matter, liaison)) == {matter} and other not in visible(Matter, liaison)
    with pytest.raises(ValidationError, match="接收单位"):
        handling.acknowledge_referral(referral, acting_user=staff)
    handling.acknowledge_referral(referral, acting_user=liaison)
    handling.reply_referral(referral, acting_user=liaison, reply="已立案侦查。")
    referral.refresh_from_db()
    assert referral.status == "replied" and not open_deadlines(referral).exists()
    matter.refresh_from_db()
    assert matter.status == "accepted"  # not a transfer: the complaint goes on (e.g. to mediation)


@pytest.mark.django_db
def test_a_transfer_closes_the_matter_when_the_department_replies(world):
    staff, liaison = world.user(R.DISTRICT_STAFF), world.user(R.MEMBER_LIAISON)
    matter = make_submission(kinds=("report",)).matters.get()
    referral = handling.refer_matter(matter, acting_user=staff, to_org=world.orgs["member"], reason="属公安管辖",
                                     transfer=True)
    matter.refresh_from_db()
    assert matter.status == Matter.Status.REFERRED
    handling.reply_referral(referral, acting_user=liaison, reply="已受理。")
    matter.refresh_from_db()
    assert matter.status == "closed" and "已受理" in matter.outcome


@pytest.mark.django_db
def test_the_liaison_page_shows_the_referral_and_takes_the_reply(world, client):
    staff, liaison = world.user(R.DISTRICT_STAFF), world.user(R.MEMBER_LIAISON)
    matter = accepted(world)
    referral = handling.refer_matter(matter, acting_user=staff, to_org=world.orgs["member"], reason="涉嫌犯罪")
    client.force_login(liaison)
    page = client.get(f"/protection/matters/{matter.pk}/").content.decode()
    assert "涉嫌犯罪" in page and "反馈办理情况" in page and "开始调解" not in page
    assert "13912345678" not in page  # the submitter stays masked
    client.post(f"/protection/referrals/{referral.pk}/reply/", {"reply": "已接收并立案"})
    referral.refresh_from_db()
    assert referral.status == "replied"


@pytest.mark.django_db
def test_the_mediation_pages_walk_from_acceptance_to_agreement(world, client):
    staff = world.user(R.DISTRICT_STAFF)
    matter = accepted(world)
    client.force_login(staff)
    assert "开始调解" in client.get(f"/protection/matters/{matter.pk}/").content.decode()
    client.post(f"/protection/matters/{matter.pk}/mediation/start/", {"mediator": "调解员乙"})
    client.post(f"/protection/matters/{matter.pk}/mediation/end/", {"result": "agreed", "agreement": "停止侵权"})
    client.post(f"/protection/matters/{matter.pk}/mediation/confirmation/",
                {"stage": "applied", "on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
                 "court": "牡丹区人民法院", "number": ""})
    mediation = Mediation.objects.get(matter=matter)
    assert (mediation.result, mediation.confirmation) == ("agreed", "applied")


@pytest.mark.django_db
def test_a_matter_in_mediation_or_under_a_case_is_not_closed_by_hand(world):
    staff = world.user(R.DISTRICT_STAFF)
    matter = accepted(world)
    handling.start_mediation(matter, acting_user=staff, mediator="调解员丙")
    matter.refresh_from_db()
    with pytest.raises(ValidationError, match="调解结果"):
        actions.close_matter(matter, acting_user=staff, outcome="直接办结")


@pytest.mark.django_db
def test_a_member_department_sees_the_referred_matter_but_not_its_sibling(world, client):
    staff, liaison = world.user(R.DISTRICT_STAFF), world.user(R.MEMBER_LIAISON)
    submission = make_submission(kinds=("complaint", "report"))
    complaint, report = submission.matters.get(kind="complaint"), submission.matters.get(kind="report")
    actions.close_matter(report, acting_user=staff, outcome="内部记录：另案处理，不应让公安看到的说明")
    handling.refer_matter(complaint, acting_user=staff, to_org=world.orgs["member"], reason="涉嫌犯罪")
    client.force_login(liaison)
    page = client.get(f"/protection/matters/{complaint.pk}/").content.decode()
    assert "涉嫌犯罪" in page and report.number not in page and "不应让公安看到" not in page
    assert client.get(f"/protection/matters/{report.pk}/").status_code == 404
