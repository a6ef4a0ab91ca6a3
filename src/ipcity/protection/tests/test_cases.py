"""Reports to cases: 立案 with two credentialed officers and a recusal check, the append-only full-process record,
clock stops and extensions, legal review before a major decision, the decision, and its masked publication."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ipcity.accounts.roles import Role as R
from ipcity.protection import cases
from ipcity.protection.actions import open_deadlines
from ipcity.protection.api import public_status
from ipcity.protection.models import CaseRecord, Disclosure, Matter
from ipcity.protection.tests.helpers import (
    DECISION_TEXT,
    credential,
    decide,
    filed_case,
    make_submission,
)


@pytest.mark.django_db
def test_opening_a_case_needs_two_credentialed_officers_without_conflict(world):
    officer, staff = world.user(R.ENFORCEMENT_OFFICER), world.user(R.DISTRICT_STAFF)
    matter = make_submission(kinds=("report",)).matters.get()
    with pytest.raises(ValidationError) as e:
        cases.decide_lead(matter, acting_user=officer, file=True, officers=[officer], cause="假冒专利")
    assert any("至少 2 名" in m for m in e.value.messages) and any("执法证" in m for m in e.value.messages)
    credential(officer)
    expired = credential(staff, days=-1)  # lapsed yesterday
    with pytest.raises(ValidationError, match="有效的行政执法证"):
        cases.decide_lead(matter, acting_user=officer, file=True, officers=[officer, staff], cause="假冒专利")
    expired.valid_until = timezone.localdate() + dt.timedelta(days=10)
    expired.save()
    # The reporter cannot investigate their own report.
    own = make_submission(kinds=("report",), user=world.user(R.ENTERPRISE_USER)).matters.get()
    own_submitter = world.user(R.ENTERPRISE_USER)
    credential(own_submitter)
    with pytest.raises(ValidationError, match="提交人"):
        cases.decide_lead(own, acting_user=officer, file=True, officers=[officer, own_submitter], cause="x")
    case = cases.decide_lead(matter, acting_user=officer, file=True, officers=[officer, staff], cause="假冒专利")
    matter.refresh_from_db()
    assert matter.status == Matter.Status.FILED and case.officers.count() == 2
    assert [d.amount for d in open_deadlines(case)] == [90]
    assert "已依法立案" in public_status(matter.submission)["history"][-1]["note"]


@pytest.mark.django_db
def test_the_full_process_record_is_append_only_and_chained(world):
    case = filed_case(world)
    officer = world.user(R.ENFORCEMENT_OFFICER)
    cases.add_record(case, acting_user=officer, kind="inspection", text="现场检查，扣押样品 3 件。")
    cases.add_record(case, acting_user=officer, kind="inquiry", text="询问当事人。")
    rows = list(CaseRecord.objects.filter(case=case))
    assert [r.seq for r in rows] == [1, 2, 3] and rows[1].prev_hash == rows[0].content_hash
    assert cases.verify_records(case) == []
    with pytest.raises(PermissionError):
        rows[1].save()
    with pytest.raises(PermissionError):
        CaseRecord.objects.filter(case=case).update(text="改")
    with pytest.raises(PermissionError):
        rows[2].delete()
    # A change made behind the application's back (raw SQL) is detected.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {CaseRecord._meta.db_table} SET text = %s WHERE id = %s", ["改过的记录", rows[1].pk])
    assert cases.verify_records(case) == [2]


@pytest.mark.django_db
def test_lead_check_extension_is_limited_to_fifteen_working_days_unless_decided_collectively(world):
    staff = world.user(R.DISTRICT_STAFF)
    received = timezone.make_aware(dt.datetime(2025, 3, 3, 9))
    matter = make_submission(kinds=("report",), received_at=received).matters.get()
    first = open_deadlines(matter).get()
    assert timezone.localtime(first.due_at).date() == dt.date(2025, 3, 24)  # 15 working days
    cases.extend(matter, 15, acting_user=staff, reason="案情复杂", approved_by="局长")
    first.refresh_from_db()
    assert timezone.localtime(first.due_at).date() == dt.date(2025, 4, 15)  # +15, over 清明 (4 Apr)
    with pytest.raises(ValidationError, match="集体讨论"):
        cases.extend(matter, 5, acting_user=staff, reason="再延", approved_by="局长")


@pytest.mark.django_db
def test_a_clock_stop_for_appraisal_moves_the_case_deadline(world):
    case = filed_case(world)
    officer = world.user(R.ENFORCEMENT_OFFICER)
    due_before = open_deadlines(case).get().due_at
    cases.stop_clock(case, acting_user=officer, reason="委托鉴定")
    assert open_deadlines(case).get().status == "paused"
    cases.restart_clock(case, acting_user=officer)
    assert open_deadlines(case).get().due_at >= due_before
    kinds = list(case.records.values_list("kind", flat=True))
    assert kinds.count("clock_stop") == 2


@pytest.mark.django_db
def test_a_major_decision_needs_a_passed_legal_review_by_someone_not_on_the_case(world):
    case = filed_case(world, major=True)
    officer, staff, city = (world.user(R.ENFORCEMENT_OFFICER), world.user(R.DISTRICT_STAFF),
                            world.user(R.CITY_STAFF))
    with pytest.raises(ValidationError, match="法制审核"):
        decide(case, officer)
    review = cases.request_legal_review(case, acting_user=officer)
    with pytest.raises(ValidationError, match="承办人员不能审核"):
        cases.complete_legal_review(review, acting_user=staff, passed=True, opinion="同意")
    cases.complete_legal_review(review, acting_user=city, passed=True, opinion="事实清楚，证据确凿，适用法律正确。")
    decision = decide(case, officer)
    assert [d.amount for d in open_deadlines(decision)] == [20]  # publication within 20 working days
    assert not open_deadlines(case).exists()


@pytest.mark.django_db
def test_publication_is_masked_signed_off_by_another_person_and_withdrawn_when_overturned(world, client):
    case = filed_case(world)
    officer, staff = world.user(R.ENFORCEMENT_OFFICER), world.user(R.DISTRICT_STAFF)
    decision = decide(case, officer)
    disclosure = cases.enter_disclosure(decision, acting_user=officer, extra_names="李四")
    for secret in ("11010519491231002X", "13812345678", "人民路1号", "李四", "6222021234567890123"):
        assert secret not in disclosure.masked_text, secret
    assert "王某某" in disclosure.masked_text  # the party itself is named
    assert client.get("/api/v1/public/decisions").json()["count"] == 0  # not before sign-off
    with pytest.raises(ValidationError, match="录入人不能审核"):
        cases.sign_off_disclosure(disclosure, acting_user=officer)
    cases.sign_off_disclosure(disclosure, acting_user=staff)
    body = client.get("/api/v1/public/decisions").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["document_number"] == decision.document_number and "110*************2X" in item["text"]
    assert "11010519491231002X" not in str(body) and "13812345678" not in str(body)
    page = client.get(f"/portal/decisions/{disclosure.pk}/").content.decode()
    assert "110*************2X" in page and DECISION_TEXT not in page
    cases.mark_overturned(decision, acting_user=officer, on=timezone.localdate())
    assert [d.amount for d in open_deadlines(decision)] == [3]
    cases.withdraw_disclosure(disclosure, acting_user=staff, reason="复议决定撤销原处罚决定")
    assert client.get("/api/v1/public/decisions").json()["count"] == 0
    assert client.get(f"/portal/decisions/{disclosure.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_published_decision_is_taken_down_at_the_end_of_its_period(world, client):
    case = filed_case(world)
    decision = decide(case, world.user(R.ENFORCEMENT_OFFICER))
    disclosure = cases.enter_disclosure(decision, acting_user=world.user(R.ENFORCEMENT_OFFICER), period="3m")
    cases.sign_off_disclosure(disclosure, acting_user=world.user(R.DISTRICT_STAFF))
    disclosure.refresh_from_db()
    assert 90 <= (disclosure.ends_at - disclosure.published_at).days <= 92
    assert cases.published_disclosures().filter(pk=disclosure.pk).exists()
    assert not cases.published_disclosures(now=disclosure.ends_at + dt.timedelta(seconds=1)).exists()
    Disclosure.objects.filter(pk=disclosure.pk).update(ends_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/public/decisions").json()["count"] == 0


@pytest.mark.django_db
def test_service_execution_and_closure_close_the_report(world):
    case = filed_case(world)
    officer = world.user(R.ENFORCEMENT_OFFICER)
    decision = decide(case, officer)
    with pytest.raises(ValidationError):
        cases.close_case(case, acting_user=officer)
    with pytest.raises(ValidationError, match="送达后"):
        cases.record_execution(decision, acting_user=officer, on=timezone.localdate(), how="缴纳罚款")
    cases.record_service(decision, acting_user=officer, on=timezone.localdate(), how="直接送达")
    cases.record_execution(decision, acting_user=officer, on=timezone.localdate(), how="当事人已缴纳罚没款")
    cases.close_case(case, acting_user=officer)
    case.matter.refresh_from_db()
    assert case.matter.status == "closed"
    # Closed, but the decision is still to be published: that is the deadline the matter's list shows.
    assert case.matter.due_at == open_deadlines(decision).get().due_at
    assert list(case.records.values_list("kind", flat=True)) == ["filing", "decision", "service", "execution",
                                                                 "closure"]
    assert cases.verify_records(case) == []
