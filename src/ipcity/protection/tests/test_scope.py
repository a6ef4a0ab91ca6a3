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
