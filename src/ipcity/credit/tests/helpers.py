"""Test data for credit: records through the real actions; listings in a given state."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ipcity.credit.actions import record_fact, record_person_fact
from ipcity.credit.models import ListingStep, SeriousListing


def today() -> dt.date:
    return timezone.localdate()


def days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


def fact(org, kind="penalty", *, ago=30, public=False, source=None, **fields):
    return record_fact(acting_user=None, subject=org, kind=kind, occurred_on=days_ago(ago), source=source,
                       summary=fields.pop("summary", f"测试{kind}"),
                       effective_on=fields.pop("effective_on", days_ago(ago)),
                       is_public=public, public_summary=fields.pop("public_summary", "测试公开摘要" if public else ""),
                       **fields)


def person_fact(world, kind="penalty", *, ago=30, name="王某某", id_number="11010519491231002X", **fields):
    return record_person_fact(acting_user=None, person_name=name, person_id_number=id_number,
                              region=world.orgs["district_a"].region, kind=kind, occurred_on=days_ago(ago),
                              summary="测试自然人记录", **fields)


def listing(world, org_key: str, status: str, *, listed_ago: int = 10, proposer=None):
    """A listing in a state, made directly (the chain itself is tested through the actions), resting on one active
    record (`item.records.get()`)."""
    org = world.orgs[org_key]
    basis = fact(org, "wilful_infringement", ago=listed_ago + 30, summary="测试列入依据")
    item = SeriousListing.objects.create(
        subject=org, region=org.region, status=status, proposed_by=proposer or world.users["city_staff"],
        proposed_at=timezone.now(), proposal="测试", reasons=[{"label": "测试事由", "records": [basis.pk]}])
    item.records.set([basis])
    if status in (SeriousListing.Status.LISTED, SeriousListing.Status.EXPIRED, SeriousListing.Status.REMOVED):
        item.listed_from = days_ago(listed_ago)
        item.listed_until = item.listed_from + dt.timedelta(days=3 * 365)
        if status != SeriousListing.Status.LISTED:
            item.ended_on = today()
        item.save()
    ListingStep.objects.create(listing=item, order=0, label="承办人提出", roles=["city_staff"],
                               decided_by=item.proposed_by, decided_at=timezone.now(), approved=True, opinion="测试")
    return item


_numbers = iter(range(1, 10_000))


def _credentials(world):
    from ipcity.accounts.roles import Role
    from ipcity.protection.models import EnforcementCredential
    from ipcity.protection.tests.helpers import credential

    officers = [world.user(Role.ENFORCEMENT_OFFICER), world.user(Role.DISTRICT_STAFF)]
    for user in officers:
        if not EnforcementCredential.objects.filter(user=user).exists():
            credential(user)
    return officers


def decided_case(world, *, org_key="enterprise_a", right="CN201310123456.2", received_ago=300, served_ago=None,
                 person=False, text="经查，当事人销售的产品标注已终止的专利号。"):
    """A report against an organisation of the world (or a natural person) opened, decided and — when served_ago
    is given — served that many days ago (the effective date), through protection's actions."""
    from decimal import Decimal

    from django.contrib.auth.models import AnonymousUser

    from ipcity.protection import cases, registration
    from ipcity.protection.intake import RightInput, SubmissionInput
    from ipcity.protection.models import PenaltyDecision
    from ipcity.regions.models import Region

    org = world.orgs[org_key]
    officer, staff = _credentials(world)
    data = SubmissionInput(kinds=["report"], ip_type="counterfeit_patent", submitter_type="person",
                           respondent_kind="person" if person else "enterprise",
                           respondent_name="王某某" if person else org.name,
                           respondent_uscc="" if person else (org.uscc or ""), facts="销售标注他人专利号的产品。",
                           submitter_name="赵六", submitter_phone="13912345678", rights=[RightInput("patent", right)])
    received = timezone.now() - dt.timedelta(days=received_ago)
    submission, _ = registration.submit(data, acting_user=AnonymousUser(), channel="web",
                                        region=Region.objects.get(code="371702"), received_at=received)
    case = cases.decide_lead(submission.matters.get(), acting_user=officer, file=True, officers=[officer, staff],
                             cause="涉嫌假冒专利")
    n = next(_numbers)
    decision = cases.decide_case(
        case, acting_user=officer, document_number=f"测信用处罚〔2026〕{case.pk}-{n}号",
        party_kind="natural_person" if person else "legal_person", party_name="王某某" if person else org.name,
        party_uscc="" if person else (org.uscc or ""), party_id_number="11010519491231002X" if person else "",
        violation="假冒专利", basis="《专利法》第六十八条", penalty="罚款 5000 元", fine=Decimal("5000"), text=text)
    decided = min(days_ago(max((served_ago or 0) + 5, 1)), today())
    PenaltyDecision.objects.filter(pk=decision.pk).update(decided_at=decided)
    if served_ago is not None:
        serve(decision, served_ago)
    decision.refresh_from_db()
    return decision


def serve(decision, ago: int):
    from ipcity.protection.models import PenaltyDecision

    PenaltyDecision.objects.filter(pk=decision.pk).update(served_at=days_ago(ago))
