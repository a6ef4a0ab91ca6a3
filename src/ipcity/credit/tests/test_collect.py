"""Collection from the protection module: effective decisions only, idempotent, repeat infringement from effective
dates on the same right, wilful infringement from the decision's words, revocation when overturned, persons."""
from __future__ import annotations

import datetime as dt

import pytest

from ipcity.core.models import AuditEntry, Rule
from ipcity.credit.collect import collect_from_protection, collect_sweep
from ipcity.credit.models import CreditRecord
from ipcity.credit.tests.helpers import days_ago, decided_case, serve

K = CreditRecord.Kind
R1 = "CN201310123456.2"


def _kinds(org=None, **filters):
    qs = CreditRecord.objects.filter(**filters)
    if org is not None:
        qs = qs.filter(subject=org)
    return sorted(qs.values_list("kind", flat=True))


@pytest.fixture
def r2():
    from ipcity.core.validators import compute_application_check_digit

    return f"CN201410234567.{compute_application_check_digit('201410234567')}"


def test_repeat_infringement_from_effective_dates(world, r2):
    a, b = world.orgs["enterprise_a"], world.orgs["enterprise_b"]
    first = decided_case(world, right=R1, received_ago=300, served_ago=200)       # effective 200 days ago
    repeat = decided_case(world, right=R1, received_ago=100, served_ago=50)       # act after that: repeat
    before = decided_case(world, right=R1, received_ago=250, served_ago=40)       # act before it took effect
    unserved = decided_case(world, right=R1, received_ago=30)                      # not effective: nothing
    other_party = decided_case(world, org_key="enterprise_b", right=R1, received_ago=90, served_ago=30)
    # On another right: the only earlier decision is not yet effective, so the later one is no repeat.
    pending_prior = decided_case(world, right=r2, received_ago=300)
    later = decided_case(world, right=r2, received_ago=100, served_ago=60)

    run = collect_from_protection(acting_user=world.users["city_staff"])
    assert run.created == {K.PENALTY: 5, K.REPEAT_INFRINGEMENT: 1}
    rec = CreditRecord.objects.get(kind=K.REPEAT_INFRINGEMENT)
    assert rec.subject == a and rec.source == repeat and rec.related.source == first
    assert rec.effective_on == days_ago(50) and rec.rights == [R1]
    assert not CreditRecord.objects.filter(source_id__in=[unserved.pk, pending_prior.pk], kind=K.PENALTY).exists()
    assert _kinds(b) == [K.PENALTY]
    assert not CreditRecord.objects.filter(kind=K.REPEAT_INFRINGEMENT, source_id__in=[before.pk, later.pk,
                                                                                     other_party.pk]).exists()
    # Idempotent: a rerun makes nothing; the earlier decision served now (effective today) is collected, and the
    # later one, whose act preceded it, is still no repeat.
    assert collect_from_protection(acting_user=None).created == {}
    serve(pending_prior, 0)
    assert collect_from_protection(acting_user=None).created == {K.PENALTY: 1}
    assert CreditRecord.objects.filter(kind=K.REPEAT_INFRINGEMENT).count() == 1
    assert AuditEntry.objects.filter(action="credit.collect").count() == 3


def test_executed_basis_rule_and_overturned_revokes(world):
    from ipcity.protection.models import PenaltyDecision

    d1 = decided_case(world, right=R1, received_ago=300, served_ago=200)
    d2 = decided_case(world, right=R1, received_ago=100, served_ago=50)
    Rule.objects.create(key="credit.penalty_effective_basis", value="executed")
    assert collect_from_protection(acting_user=None).created == {}  # nothing executed yet
    PenaltyDecision.objects.filter(pk__in=[d1.pk, d2.pk]).update(executed_at=days_ago(10))
    PenaltyDecision.objects.filter(pk=d1.pk).update(executed_at=days_ago(150))
    assert collect_from_protection(acting_user=None).created == {K.PENALTY: 2, K.REPEAT_INFRINGEMENT: 1}
    PenaltyDecision.objects.filter(pk=d2.pk).update(overturned_at=days_ago(1))
    run = collect_from_protection(acting_user=None)
    assert run.revoked == 2  # the penalty and the repeat derived from it
    assert set(CreditRecord.objects.filter(status="revoked").values_list("kind", flat=True)) == {
        K.PENALTY, K.REPEAT_INFRINGEMENT}


def test_wilful_and_natural_person(world):
    decided_case(world, right=R1, received_ago=60, served_ago=20,
                 text="经查，当事人在收到权利人警告函后仍继续销售，属故意侵权。")
    person = decided_case(world, right=R1, received_ago=60, served_ago=20, person=True)
    collect_from_protection(acting_user=None)
    assert _kinds(world.orgs["enterprise_a"]) == [K.PENALTY, K.WILFUL_INFRINGEMENT]
    rec = CreditRecord.objects.get(source_id=person.pk, kind=K.PENALTY, subject__isnull=True)
    assert rec.person_name == "王某某" and not rec.is_public and rec.person_key
    assert "王某某" not in rec.summary and "王某某" not in rec.subject_label()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT person_name, person_id_number FROM credit_creditrecord WHERE id = %s", [rec.pk])
        raw = cursor.fetchone()
    assert all(value.startswith("v1$") and "王" not in value for value in raw)  # encrypted at rest


def test_unmatched_party_is_reported(world):
    from ipcity.protection.models import PenaltyDecision, Submission

    d = decided_case(world, right=R1, received_ago=60, served_ago=20)
    PenaltyDecision.objects.filter(pk=d.pk).update(party_uscc="")
    Submission.objects.filter(matters__case__decision=d).update(respondent_uscc="", respondent_org=None)
    run = collect_from_protection(acting_user=None)
    assert run.created == {} and run.unmatched[0]["document"] == d.document_number


def test_adjudication_final_after_time_to_sue(world):
    from django.utils import timezone

    from ipcity.protection import adjudication
    from ipcity.protection.models import Adjudication
    from ipcity.protection.tests.helpers import make_submission

    matter = make_submission(respondent=world.orgs["enterprise_b"].name,
                             respondent_uscc=world.orgs["enterprise_b"].uscc, region_code="371703").matters.get()
    staff = world.users["city_staff"]
    adj = adjudication.accept_as_dispute(matter, acting_user=staff)
    adjudication.serve_copy(adj, acting_user=staff)
    adjudication.decide_dispute(adj, acting_user=staff, outcome="infringement", reasons="落入保护范围。",
                                document_number="测专裁〔2026〕1号")
    Adjudication.objects.filter(pk=adj.pk).update(decided_at=timezone.now() - dt.timedelta(days=10))
    assert collect_from_protection(acting_user=None).created == {}  # within the 15 days to sue
    Adjudication.objects.filter(pk=adj.pk).update(decided_at=timezone.now() - dt.timedelta(days=16))
    assert collect_from_protection(acting_user=None).created == {K.ADJUDICATION: 1}
    rec = CreditRecord.objects.get(kind=K.ADJUDICATION)
    assert rec.subject == world.orgs["enterprise_b"] and rec.is_public


def test_sweep_runs_once_per_interval(world, monkeypatch):
    from ipcity.credit import collect

    decided_case(world, right=R1, received_ago=60, served_ago=20)
    monkeypatch.setitem(collect._last_sweep, "at", None)
    assert collect_sweep() == 1
    assert collect_sweep() == 0  # inside the interval


def test_repeat_after_a_hand_entered_judgment(world):
    from ipcity.credit.actions import enter_record

    judgment = enter_record(acting_user=world.users["district_staff"], kind="judgment",
                            subject=world.orgs["enterprise_a"], occurred_on=days_ago(400),
                            effective_on=days_ago(200), summary="法院判决侵权", rights=[f"patent:{R1}"])
    later = decided_case(world, right=R1, received_ago=100, served_ago=50)
    collect_from_protection(acting_user=None)
    rec = CreditRecord.objects.get(kind=K.REPEAT_INFRINGEMENT)
    assert rec.related == judgment and rec.source == later


def test_record_page_links_its_source(client, world):
    decision = decided_case(world, right=R1, received_ago=60, served_ago=20)
    collect_from_protection(acting_user=None)
    rec = CreditRecord.objects.get(kind=K.PENALTY)
    client.force_login(world.users["district_staff"])
    assert f"/protection/cases/{decision.case_id}/" in client.get(f"/credit/records/{rec.pk}/").content.decode()
