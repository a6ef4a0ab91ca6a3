"""Who sees which protection records: the permission matrix (every role, the public included), and 404 outside
scope on every page that takes an id."""
from __future__ import annotations

from ipcity.accounts.roles import Role as R
from ipcity.core.testing import DetailPageMatrix, ScopeMatrix
from ipcity.protection.models import (
    DeadlineRule,
    IntakeClient,
    Matter,
    MatterEvent,
    Submission,
    SubmissionAttachment,
    SubmissionRight,
)
from ipcity.protection.tests.helpers import make_submission
from ipcity.regions.models import Region

EVIDENCE = [("购买记录.txt", "订单号 123".encode())]


def _in_a(w):
    return make_submission(region_code="371702", respondent="甲区被投诉公司", attachments=EVIDENCE)


def _in_b(w):
    return make_submission(region_code="371703", respondent="乙区被投诉公司", attachments=EVIDENCE)


def _mine(w):
    # Submitted by enterprise A's user, against a company in district B.
    return make_submission(region_code="371703", respondent="乙区另一公司", user=w.user(R.ENTERPRISE_USER),
                           attachments=EVIDENCE, submitter_type="organisation", submitter_org_name="测试甲科技有限公司")


# City office: the whole city; district A's staff and officers: district A; enterprise A: what it submitted.
SUBMISSION_VISIBILITY = {
    R.CITY_LEADER: {"a", "b", "mine"}, R.CITY_STAFF: {"a", "b", "mine"},
    R.DISTRICT_STAFF: {"a"}, R.ENFORCEMENT_OFFICER: {"a"}, R.ENTERPRISE_USER: {"mine"},
}


class TestSubmissionScope(ScopeMatrix):
    model = Submission
    objects = {"a": _in_a, "b": _in_b, "mine": _mine}
    visible_to = SUBMISSION_VISIBILITY


class TestMatterScope(DetailPageMatrix):
    model = Matter
    objects = {"a": lambda w: _in_a(w).matters.get(), "b": lambda w: _in_b(w).matters.get(),
               "mine": lambda w: _mine(w).matters.get()}
    visible_to = SUBMISSION_VISIBILITY

    @staticmethod
    def detail_url(obj):
        return f"/protection/matters/{obj.pk}/"


class TestSubmissionRightScope(ScopeMatrix):
    model = SubmissionRight
    objects = {"a": lambda w: _in_a(w).rights.get(), "b": lambda w: _in_b(w).rights.get(),
               "mine": lambda w: _mine(w).rights.get()}
    visible_to = SUBMISSION_VISIBILITY


class TestAttachmentScope(DetailPageMatrix):
    """Evidence files are served only through the authorising view: 404 to anyone outside the submission's scope."""

    model = SubmissionAttachment
    objects = {"a": lambda w: _in_a(w).attachments.get(), "b": lambda w: _in_b(w).attachments.get(),
               "mine": lambda w: _mine(w).attachments.get()}
    visible_to = SUBMISSION_VISIBILITY

    @staticmethod
    def detail_url(obj):
        return f"/protection/attachments/{obj.pk}/"


def _internal_event(submission):
    matter = submission.matters.get()
    return MatterEvent.objects.create(submission=submission, matter=matter, at=submission.received_at,
                                      kind="note", note="内部记录", public=False)


class TestMatterEventScope(ScopeMatrix):
    """The submitter's side sees only the steps marked public (not internal notes)."""

    model = MatterEvent
    objects = {"a": lambda w: _in_a(w).events.get(), "mine_public": lambda w: _mine(w).events.get(),
               "mine_internal": lambda w: _internal_event(_mine(w))}
    visible_to = {R.CITY_LEADER: {"a", "mine_public", "mine_internal"},
                  R.CITY_STAFF: {"a", "mine_public", "mine_internal"},
                  R.DISTRICT_STAFF: {"a"}, R.ENFORCEMENT_OFFICER: {"a"}, R.ENTERPRISE_USER: {"mine_public"}}


class TestDeadlineRuleScope(ScopeMatrix):
    model = DeadlineRule
    objects = {"r": lambda w: DeadlineRule.objects.create(step="complaint_acceptance",
                                                          region=Region.objects.get(code="371702"), amount=5,
                                                          unit="working_days", source="测试地方规定")}
    visible_to = {role: {"r"} for role in (R.SYSADMIN, R.CITY_LEADER, R.CITY_STAFF, R.MEMBER_LIAISON,
                                           R.DISTRICT_STAFF, R.ENFORCEMENT_OFFICER)}


class TestIntakeClientScope(ScopeMatrix):
    model = IntakeClient
    objects = {"c": lambda w: IntakeClient.objects.create(organisation=w.orgs["enterprise_b"], kind="platform",
                                                          name="测试平台", prefix="ipt_x", digest="d" * 64)}
    visible_to = {R.SYSADMIN: {"c"}, R.CITY_LEADER: {"c"}, R.CITY_STAFF: {"c"}}


# --- handling records -----------------------------------------------------------------------------------------------

import datetime as dt  # noqa: E402

from django.utils import timezone  # noqa: E402

from ipcity.protection.models import (  # noqa: E402
    Case,
    CaseOfficer,
    CaseRecord,
    Disclosure,
    EnforcementCredential,
    LegalReview,
    Mediation,
    PenaltyDecision,
    Referral,
)

OFFICES_A = {R.CITY_LEADER, R.CITY_STAFF, R.DISTRICT_STAFF, R.ENFORCEMENT_OFFICER}
CITY_OFFICE = {R.CITY_LEADER, R.CITY_STAFF}


def _case(w, district: str) -> Case:
    org = w.orgs["district_a" if district == "a" else "district_b"]
    return Case.objects.create(number=f"测试立〔2026〕{district}", organisation=org, party_name="某公司", cause="假冒专利",
                               filed_at=timezone.now())


def _credential(user, number):
    today = timezone.localdate()
    return EnforcementCredential.objects.create(user=user, number=number, issuer="测试", valid_from=today,
                                                valid_until=today + dt.timedelta(days=30))


def _record(case, user):
    return CaseRecord.objects.create(case=case, seq=1, kind="filing", at=timezone.now(), by=user, text="立案",
                                     prev_hash="", content_hash="x")


def _decision(case, n):
    return PenaltyDecision.objects.create(case=case, document_number=f"文号{n}", party_kind="legal_person",
                                          party_name="某公司", violation="假冒专利", basis="专利法", penalty="罚款",
                                          decided_at=timezone.localdate(), text="决定书")


def _disclosure(w, district, published):
    case = _case(w, district)
    now = timezone.now()
    return Disclosure.objects.create(
        decision=_decision(case, district), summary="摘要", masked_text="全文", entered_by=w.user(R.CITY_STAFF),
        entered_at=now, status="published" if published else "draft", published_at=now if published else None,
        ends_at=now + dt.timedelta(days=90) if published else None)


class TestMediationScope(ScopeMatrix):
    model = Mediation
    objects = {"a": lambda w: Mediation.objects.create(matter=_in_a(w).matters.get(), mediator="甲",
                                                       started_at=timezone.now()),
               "b": lambda w: Mediation.objects.create(matter=_in_b(w).matters.get(), mediator="乙",
                                                       started_at=timezone.now())}
    visible_to = {R.CITY_LEADER: {"a", "b"}, R.CITY_STAFF: {"a", "b"}, R.DISTRICT_STAFF: {"a"},
                  R.ENFORCEMENT_OFFICER: {"a"}}


def _referral(w, to_key):
    return Referral.objects.create(matter=_in_b(w).matters.get(), to_org=w.orgs[to_key], reason="移送",
                                   sent_at=timezone.now(), sent_by=w.user(R.CITY_STAFF))


class TestReferralScope(ScopeMatrix):
    """The receiving member department sees its referrals, and nothing of what went elsewhere."""

    model = Referral
    objects = {"to_member": lambda w: _referral(w, "member"), "to_district_b": lambda w: _referral(w, "district_b")}
    visible_to = {R.CITY_LEADER: {"to_member", "to_district_b"}, R.CITY_STAFF: {"to_member", "to_district_b"},
                  R.MEMBER_LIAISON: {"to_member"}}


class TestCaseScope(DetailPageMatrix):
    model = Case
    objects = {"a": lambda w: _case(w, "a"), "b": lambda w: _case(w, "b")}
    visible_to = {R.CITY_LEADER: {"a", "b"}, R.CITY_STAFF: {"a", "b"}, R.DISTRICT_STAFF: {"a"},
                  R.ENFORCEMENT_OFFICER: {"a"}}

    @staticmethod
    def detail_url(obj):
        return f"/protection/cases/{obj.pk}/"


CASE_CHILD_VISIBILITY = {R.CITY_LEADER: {"a", "b"}, R.CITY_STAFF: {"a", "b"}, R.DISTRICT_STAFF: {"a"},
                         R.ENFORCEMENT_OFFICER: {"a"}}


class TestCaseOfficerScope(ScopeMatrix):
    model = CaseOfficer
    objects = {d: (lambda w, d=d: CaseOfficer.objects.create(
        case=_case(w, d), user=w.user(R.ENFORCEMENT_OFFICER),
        credential=_credential(w.user(R.ENFORCEMENT_OFFICER), f"证{d}"), no_conflict_declared_at=timezone.now()))
        for d in ("a", "b")}
    visible_to = CASE_CHILD_VISIBILITY


class TestCaseRecordScope(ScopeMatrix):
    model = CaseRecord
    objects = {d: (lambda w, d=d: _record(_case(w, d), w.user(R.ENFORCEMENT_OFFICER))) for d in ("a", "b")}
    visible_to = CASE_CHILD_VISIBILITY


class TestLegalReviewScope(ScopeMatrix):
    model = LegalReview
    objects = {d: (lambda w, d=d: LegalReview.objects.create(case=_case(w, d), requested_at=timezone.now(),
                                                             requested_by=w.user(R.ENFORCEMENT_OFFICER)))
               for d in ("a", "b")}
    visible_to = CASE_CHILD_VISIBILITY


class TestPenaltyDecisionScope(ScopeMatrix):
    """A decision itself (with the party's unmasked data) stays with the office; the public sees its disclosure."""

    model = PenaltyDecision
    objects = {d: (lambda w, d=d: _decision(_case(w, d), d)) for d in ("a", "b")}
    visible_to = CASE_CHILD_VISIBILITY


class TestDisclosureScope(ScopeMatrix):
    """Published disclosures are public; a draft only to the office handling the case."""

    model = Disclosure
    objects = {"draft_a": lambda w: _disclosure(w, "a", False), "published_b": lambda w: _disclosure(w, "b", True)}
    visible_to = {role: ({"draft_a", "published_b"} if role in CITY_OFFICE else
                         {"draft_a", "published_b"} if role in OFFICES_A else {"published_b"})
                  for role in [*R, "public"]}


class TestEnforcementCredentialScope(ScopeMatrix):
    model = EnforcementCredential
    objects = {"officer": lambda w: _credential(w.user(R.ENFORCEMENT_OFFICER), "证1"),
               "city": lambda w: _credential(w.user(R.CITY_STAFF), "证2")}
    visible_to = {R.SYSADMIN: {"officer", "city"}, R.CITY_LEADER: {"officer", "city"},
                  R.CITY_STAFF: {"officer", "city"}, R.DISTRICT_STAFF: {"officer"}, R.ENFORCEMENT_OFFICER: {"officer"}}
