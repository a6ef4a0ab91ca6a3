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
    assert run.unmatched[0]["region"] == d.case.organisation.region_id  # the deciding office's: who may read it


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


def _judgment(world, *, occurred_ago, effective_on, org_key="enterprise_a", right=R1):
    from ipcity.credit.actions import enter_record

    return enter_record(acting_user=world.users["district_staff"], kind="judgment", subject=world.orgs[org_key],
                        occurred_on=days_ago(occurred_ago), effective_on=effective_on, summary="法院判决侵权",
                        rights=[f"patent:{right}"])


def test_repeat_counts_effective_findings_only_as_of_the_run(world):
    _judgment(world, occurred_ago=400, effective_on=days_ago(200))
    later = _judgment(world, occurred_ago=100, effective_on=days_ago(-10))  # final in ten days
    assert collect_from_protection(acting_user=None).created == {}
    CreditRecord.objects.filter(pk=later.pk).update(effective_on=days_ago(50))
    assert collect_from_protection(acting_user=None, as_of=days_ago(60)).created == {}  # not yet effective then
    assert collect_from_protection(acting_user=None).created == {K.REPEAT_INFRINGEMENT: 1}


def test_revoking_a_judgment_revokes_the_repeat_resting_on_it(world):
    from ipcity.credit.actions import revoke_record

    _judgment(world, occurred_ago=400, effective_on=days_ago(200))
    later = _judgment(world, occurred_ago=100, effective_on=days_ago(50))
    collect_from_protection(acting_user=None)
    repeat = CreditRecord.objects.get(kind=K.REPEAT_INFRINGEMENT)
    assert repeat.source == later
    assert revoke_record(later, acting_user=world.users["district_staff"], reason="判决被再审撤销") == 2
    repeat.refresh_from_db()
    assert repeat.status == "revoked"


def test_a_repaired_prior_decision_still_counts_a_revoked_one_does_not(world):
    repaired = _judgment(world, occurred_ago=400, effective_on=days_ago(200))
    revoked = _judgment(world, occurred_ago=400, effective_on=days_ago(150), right="CN201310123457.7")
    CreditRecord.objects.filter(pk=repaired.pk).update(status="repaired")  # repair ends publication, not the fact
    CreditRecord.objects.filter(pk=revoked.pk).update(status="revoked")
    _judgment(world, occurred_ago=100, effective_on=days_ago(50))
    _judgment(world, occurred_ago=100, effective_on=days_ago(50), right="CN201310123457.7")
    assert collect_from_protection(acting_user=None).created == {K.REPEAT_INFRINGEMENT: 1}
    assert CreditRecord.objects.get(kind=K.REPEAT_INFRINGEMENT).related == repaired


def test_wilful_words_in_negated_sentences_do_not_count(world):
    from ipcity.credit.collect import wilful_word
    from ipcity.credit.policy import WILFUL_NEGATIONS, WILFUL_WORDS

    words, negations = WILFUL_WORDS.get(), WILFUL_NEGATIONS.get()
    for text in ("现有证据不能认定为故意侵权。", "当事人称不明知该产品侵权。", "当事人并非故意侵犯他人专利权。",
                 "其行为不构成恶意侵权。"):
        assert wilful_word(text, words, negations, 8) is None, text
    assert wilful_word("当事人称不明知，但收到警告函后继续销售，属故意侵权。", words, negations, 8) == "故意侵权"
    assert wilful_word("不能认定其明知。经查其收到警告函后仍继续销售，属故意侵犯。", words, negations, 8) == "故意侵犯"
    decided_case(world, right=R1, received_ago=60, served_ago=20, text="当事人称不明知，现有证据不能认定为故意侵权。")
    collect_from_protection(acting_user=None)
    assert _kinds(world.orgs["enterprise_a"]) == [K.PENALTY]


def test_a_persons_adjudication_belongs_to_the_deciding_office(world):
    from django.utils import timezone

    from ipcity.protection import adjudication
    from ipcity.protection.models import Adjudication, Matter, Submission
    from ipcity.protection.tests.helpers import make_submission

    submission = make_submission(region_code="371703")
    Submission.objects.filter(pk=submission.pk).update(respondent_kind="person", respondent_name="王某某")
    matter = submission.matters.get()
    staff = world.users["city_staff"]
    adj = adjudication.accept_as_dispute(matter, acting_user=staff)
    adjudication.serve_copy(adj, acting_user=staff)
    adjudication.decide_dispute(adj, acting_user=staff, outcome="infringement", reasons="落入保护范围。",
                                document_number="测专裁〔2026〕2号")
    Adjudication.objects.filter(pk=adj.pk).update(decided_at=timezone.now() - dt.timedelta(days=16))
    Matter.objects.filter(pk=matter.pk).update(assigned_org=world.orgs["district_a"])
    assert collect_from_protection(acting_user=None).created == {K.ADJUDICATION: 1}
    rec = CreditRecord.objects.get(kind=K.ADJUDICATION)
    assert rec.is_person and rec.region_id == "371702"  # district A decided; the submission came from district B
