"""Records, listing criteria and the approval chain from rules, waiting periods for removal and repair, classes
from the score's thresholds."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ipcity.accounts.roles import Role as R
from ipcity.core.models import AuditEntry, Rule
from ipcity.credit import actions
from ipcity.credit.listing import criteria_met
from ipcity.credit.models import CreditRecord, SeriousListing
from ipcity.credit.policy import PolicyError
from ipcity.credit.scoring import credit_classes, score
from ipcity.credit.tests.helpers import days_ago, fact, listing, today


def test_record_fact_is_idempotent_per_kind_and_source(world):
    org, source = world.orgs["enterprise_a"], world.orgs["university"]
    first = fact(org, "inspection_pass", source=source)
    again = fact(org, "inspection_pass", source=source)
    other_kind = fact(org, "inspection_problem", source=source)
    assert first.pk == again.pk != other_kind.pk
    assert AuditEntry.objects.filter(action="credit.record_fact", object_id=str(first.pk)).count() == 1
    with pytest.raises(ValidationError):
        fact(org, "no_such_kind")
    with pytest.raises(ValidationError):  # a future date is reported, not accepted
        actions.record_fact(acting_user=None, subject=org, kind="penalty", occurred_on=today() + dt.timedelta(days=1))


def test_hand_entry_scope_and_commitment(world):
    a, b = world.orgs["enterprise_a"], world.orgs["enterprise_b"]
    district = world.users[R.DISTRICT_STAFF]
    with pytest.raises(PermissionDenied):  # district A's staff enter nothing about district B
        actions.enter_record(acting_user=district, kind="judgment", subject=b, occurred_on=days_ago(5), summary="x")
    with pytest.raises(ValidationError):  # modules' kinds are not typed in
        actions.enter_record(acting_user=district, kind="inspection_pass", subject=a, occurred_on=days_ago(5),
                             summary="x")
    c = actions.enter_record(acting_user=district, kind="commitment", subject=a, occurred_on=days_ago(50),
                             commitment_due_on=days_ago(5), summary="承诺整改")
    assert score(a).items[0].points == 0  # pending: no points yet
    actions.settle_commitment(c, acting_user=district, kept=False, note="未整改", on=days_ago(1))
    broken = CreditRecord.objects.get(kind="commitment_broken", related=c)
    assert broken.subject == a and c.commitment_kept is False
    with pytest.raises(ValidationError):
        actions.settle_commitment(c, acting_user=district, kept=True, note="again")
    person = actions.enter_record(acting_user=district, kind="judgment", person_name="王某某",
                                  person_id_number="11010519491231002X", occurred_on=days_ago(5), summary="判决")
    assert person.subject is None and person.region == world.orgs["district_a"].region and not person.is_public


def test_listing_criteria_come_from_rules(world):
    a = world.orgs["enterprise_a"]
    fact(a, "penalty", ago=100)
    assert criteria_met([a.pk]) == {}  # the defaults do not list on penalties
    Rule.objects.create(key="credit.listing_criteria", value=[
        {"label": "一年内两次行政处罚", "kinds": ["penalty"], "min_count": 2, "window_days": 365}])
    assert criteria_met([a.pk]) == {}
    fact(a, "penalty", ago=400)  # outside the window
    assert criteria_met([a.pk]) == {}
    fact(a, "penalty", ago=200)
    (met,) = criteria_met([a.pk])[a.pk]
    assert met.criterion.label == "一年内两次行政处罚" and len(met.records) == 2
    Rule.objects.filter(key="credit.listing_criteria").update(value=[{"label": "x", "kinds": ["nope"],
                                                                      "min_count": 1, "window_days": 1}])
    with pytest.raises(PolicyError):
        criteria_met([a.pk])


def _propose(world):
    a = world.orgs["enterprise_a"]
    fact(a, "wilful_infringement", ago=30)
    return actions.propose_listing(a, acting_user=world.users[R.DISTRICT_STAFF], proposal="故意侵权，提请列入")


def test_approval_chain_order_and_who_may_act(world):
    b = world.orgs["enterprise_b"]
    with pytest.raises(ValidationError):  # no criterion met
        actions.propose_listing(b, acting_user=world.users[R.CITY_STAFF], proposal="x")
    with pytest.raises(PermissionDenied):  # the first step is the 承办人's
        actions.propose_listing(world.orgs["enterprise_a"], acting_user=world.users[R.CITY_LEADER], proposal="x")
    item = _propose(world)
    assert [s.label for s in item.steps.order_by("order")] == ["承办人提出", "科室负责人审核", "局领导批准"]
    with pytest.raises(ValidationError):
        _propose(world)  # already under approval
    leader, staff = world.users[R.CITY_LEADER], world.users[R.CITY_STAFF]
    for user in (leader, world.users[R.DISTRICT_STAFF], world.users[R.ENTERPRISE_USER]):
        with pytest.raises(PermissionDenied):  # wrong role for the review, or the proposer again
            actions.decide_step(item, acting_user=user, approve=True, opinion="同意")
    actions.decide_step(item, acting_user=staff, approve=True, opinion="同意")
    with pytest.raises(PermissionDenied):
        actions.decide_step(item, acting_user=staff, approve=True, opinion="同意")
    item = actions.decide_step(item, acting_user=leader, approve=True, opinion="同意列入")
    assert item.status == SeriousListing.Status.LISTED
    assert item.listed_from == today() and item.listed_until == today().replace(year=today().year + 3)
    assert credit_classes([item.subject_id])[item.subject_id] == "D"
    from ipcity.evidence.log import entries_for

    (entry,) = entries_for(item)
    assert entry.kind == "credit.listing" and "测试甲" not in entry.leaf_data  # ids and dates, no names


def test_chain_is_data_and_a_rejection_ends_it(world):
    Rule.objects.create(key="credit.listing_approval_chain", value=[
        {"label": "提出", "roles": ["district_staff"]}, {"label": "批准", "roles": ["city_staff"]}])
    Rule.objects.create(key="credit.listing_period_years", value=1)
    item = _propose(world)
    with pytest.raises(ValidationError):
        actions.decide_step(item, acting_user=world.users[R.CITY_STAFF], approve=False, opinion=" ")
    item = actions.decide_step(item, acting_user=world.users[R.CITY_STAFF], approve=False, opinion="证据不足")
    assert item.status == SeriousListing.Status.REJECTED
    item = _propose(world)  # a new proposal may follow
    item = actions.decide_step(item, acting_user=world.users[R.CITY_STAFF], approve=True, opinion="同意")
    assert item.status == "listed" and item.listed_until == today().replace(year=today().year + 1)


def test_early_removal_and_listing_repair_wait(world):
    item = listing(world, "enterprise_a", "listed", listed_ago=100)
    staff, ent = world.users[R.CITY_STAFF], world.users[R.ENTERPRISE_USER]
    with pytest.raises(ValidationError):
        actions.remove_listing(item, acting_user=staff, reason="已整改")
    with pytest.raises(ValidationError):
        actions.apply_repair(acting_user=ent, listing=item, reason="已整改", pledge="守信")
    actions.revoke_record(item.records.get(), acting_user=staff, reason="判决被撤销")
    actions.remove_listing(item, acting_user=staff, reason="判决被撤销")  # its basis gone: no wait then
    item = listing(world, "enterprise_a", "listed", listed_ago=366)
    app = actions.apply_repair(acting_user=ent, listing=item, reason="已整改", pledge="守信")
    with pytest.raises(PermissionDenied):  # the enterprise does not decide its own application
        actions.decide_repair(app, acting_user=ent, approve=True, opinion="x")
    actions.decide_repair(app, acting_user=world.users[R.DISTRICT_STAFF], approve=True, opinion="准予")
    item.refresh_from_db()
    assert item.status == "removed" and item.ended_on == today()
    expired = listing(world, "enterprise_b", "listed", listed_ago=3 * 365 + 1)
    assert actions.expire_listings(acting_user=None) == 1
    expired.refresh_from_db()
    assert expired.status == "expired"


def test_record_repair_after_waiting_period(world):
    a, ent = world.orgs["enterprise_a"], world.users[R.ENTERPRISE_USER]
    young = fact(a, "penalty", ago=100, public=True)
    with pytest.raises(ValidationError, match="个月后方可申请"):
        actions.apply_repair(acting_user=ent, record_=young, reason="已履行", pledge="守信")
    Rule.objects.create(key="credit.repair_waiting_months", value=3)
    app = actions.apply_repair(acting_user=ent, record_=young, reason="已履行", pledge="守信")
    with pytest.raises(ValidationError):  # one pending application at a time
        actions.apply_repair(acting_user=ent, record_=young, reason="已履行", pledge="守信")
    with pytest.raises(PermissionDenied):  # not one's own organisation's record
        actions.apply_repair(acting_user=ent, record_=fact(world.orgs["enterprise_b"], ago=300), reason="x",
                             pledge="y")
    before = score(a).total
    actions.decide_repair(app, acting_user=world.users[R.CITY_STAFF], approve=True, opinion="准予修复")
    young.refresh_from_db()
    assert young.status == "repaired" and score(a).total > before


def test_classes_from_thresholds_and_decay(world):
    a, b, uni = world.orgs["enterprise_a"], world.orgs["enterprise_b"], world.orgs["university"]
    assert credit_classes([uni.pk, 999_999]) == {uni.pk: "B", 999_999: "B"}  # a clean record: base 90 → B
    fact(a, "penalty", ago=0)                 # 90 − 15 = 75 → C
    fact(b, "penalty", ago=365)               # 90 − 7.5 (one half-life) = 82.5 → B
    s = score(b)
    assert s.total == 82.5 and s.items[0].factor == 0.5 and s.items[0].points == -7.5
    assert credit_classes([a.pk, b.pk]) == {a.pk: "C", b.pk: "B"}
    fact(a, "wilful_infringement", ago=0)     # 75 − 30 = 45 → D
    assert credit_classes([a.pk])[a.pk] == "D"
    Rule.objects.create(key="credit.class_thresholds", value={"A": 90, "B": 80, "C": 40})
    assert credit_classes([a.pk, uni.pk]) == {a.pk: "C", uni.pk: "A"}
    assert credit_classes([a.pk], as_of=days_ago(1)) == {a.pk: "A"}  # the records did not exist yet
    Rule.objects.filter(key="credit.class_thresholds").update(value={"A": 50, "B": 80, "C": 40})
    with pytest.raises(PolicyError):
        credit_classes([a.pk])


def test_approval_refused_once_the_basis_is_gone(world):
    item = _propose(world)
    staff, leader = world.users[R.CITY_STAFF], world.users[R.CITY_LEADER]
    actions.decide_step(item, acting_user=staff, approve=True, opinion="同意")
    actions.revoke_record(item.records.get(), acting_user=staff, reason="判决被撤销")
    with pytest.raises(ValidationError, match="列入依据已被撤销或修复，不能继续审批"):
        actions.decide_step(item, acting_user=leader, approve=True, opinion="同意列入")
    item.refresh_from_db()
    assert item.status == SeriousListing.Status.PROPOSED
    item = actions.decide_step(item, acting_user=leader, approve=False, opinion="依据已撤销")
    assert item.status == SeriousListing.Status.REJECTED


def test_evidence_leaf_holds_keyed_digests_only(world):
    import hashlib

    from ipcity.core.crypto import keyed_digest
    from ipcity.core.fields import get_digest_key
    from ipcity.evidence.log import entries_for

    rec = fact(world.orgs["enterprise_a"], "penalty", document_number="测市监处罚〔2026〕7号", summary="假冒专利")
    (entry,) = entries_for(rec)
    content = entry.content()
    assert content["document_hmac"] == keyed_digest("测市监处罚〔2026〕7号", get_digest_key())
    assert content["summary_hmac"] == keyed_digest("假冒专利", get_digest_key())
    for text in ("测市监处罚〔2026〕7号", "假冒专利"):  # neither the text nor its plain hash, which anyone could guess
        assert text not in entry.leaf_data and hashlib.sha256(text.encode()).hexdigest() not in entry.leaf_data


def test_a_second_decision_on_a_stale_application_is_refused(world):
    rec = fact(world.orgs["enterprise_a"], "penalty", ago=400)
    app = actions.apply_repair(acting_user=world.users[R.ENTERPRISE_USER], record_=rec, reason="已履行", pledge="守信")
    stale = type(app).objects.get(pk=app.pk)  # what a second decider's page loaded
    actions.decide_repair(app, acting_user=world.users[R.CITY_STAFF], approve=True, opinion="准予")
    with pytest.raises(ValidationError, match="已经审核"):
        actions.decide_repair(stale, acting_user=world.users[R.DISTRICT_STAFF], approve=False, opinion="不予")
    app.refresh_from_db()
    assert app.status == "approved" and app.decided_by == world.users[R.CITY_STAFF]


def test_proposal_and_application_lock_their_rows(world, monkeypatch):
    """The check-then-create of a proposal (no open listing) and of an application (none pending) runs under a row
    lock, so two at once cannot both pass (on SQLite the lock is a no-op: it is spied on here)."""
    from django.db.models import QuerySet

    from ipcity.orgs.models import Organisation

    locked = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    _propose(world)
    assert Organisation in locked
    locked.clear()
    rec = fact(world.orgs["enterprise_a"], "penalty", ago=400)
    actions.apply_repair(acting_user=world.users[R.ENTERPRISE_USER], record_=rec, reason="已履行", pledge="守信")
    assert CreditRecord in locked
