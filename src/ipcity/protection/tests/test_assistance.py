"""维权援助: an enterprise asks, its assigned officer takes it at once, notes progress and closes it within the limit;
who sees which requests."""
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ipcity.accounts.roles import Role as R
from ipcity.core.testing import DetailPageMatrix, ScopeMatrix
from ipcity.protection import assistance
from ipcity.protection.actions import open_deadlines
from ipcity.protection.models import AssistanceAssignment, AssistanceRequest


@pytest.mark.django_db
def test_an_enterprise_asks_and_its_officer_takes_it_to_an_outcome(world, client):
    enterprise_user, officer = world.user(R.ENTERPRISE_USER), world.user(R.ENFORCEMENT_OFFICER)
    assistance.assign_officer(world.orgs["enterprise_a"], officer, acting_user=world.user(R.DISTRICT_STAFF))
    with pytest.raises(ValidationError, match="国家或地区"):
        assistance.request_assistance(acting_user=enterprise_user, kind="overseas", description="美国 337 调查应诉准备。")
    item = assistance.request_assistance(acting_user=enterprise_user, kind="overseas", country="美国",
                                         description="收到美国 337 调查通知，需要应诉指导和律师推荐。")
    assert item.officer == officer and item.status == "in_progress"
    assert [d.amount for d in open_deadlines(item)] == [20]
    client.force_login(officer)
    client.post(f"/protection/assistance/{item.pk}/step/", {"action": "note", "text": "已联系海外维权专家。"})
    client.post(f"/protection/assistance/{item.pk}/step/", {"action": "close", "text": "企业已委托律师应诉。"})
    item.refresh_from_db()
    assert item.status == "closed" and "海外维权专家" in item.progress and not open_deadlines(item).exists()
    client.force_login(enterprise_user)
    page = client.get(f"/protection/assistance/{item.pk}/").content.decode()
    assert "企业已委托律师应诉" in page


@pytest.mark.django_db
def test_a_request_without_an_officer_waits_to_be_taken(world, client):
    item = assistance.request_assistance(acting_user=world.user(R.ENTERPRISE_USER), kind="domestic",
                                         description="竞争对手仿冒我公司外观设计专利产品。")
    assert item.officer is None and item.status == "submitted"
    with pytest.raises(ValidationError, match="专员"):
        assistance.close_assistance(item, acting_user=world.user(R.DISTRICT_STAFF), outcome="x")
    client.force_login(world.user(R.DISTRICT_STAFF))
    client.post(f"/protection/assistance/{item.pk}/step/", {"action": "take", "text": ""})
    item.refresh_from_db()
    assert item.officer == world.user(R.DISTRICT_STAFF) and item.status == "in_progress"


@pytest.mark.django_db
def test_only_enterprises_ask_and_a_new_assignment_ends_the_old_one(world):
    with pytest.raises(ValidationError):
        assistance.request_assistance(acting_user=world.user(R.AGENCY_USER), kind="domestic", description="x" * 20)
    import datetime as dt

    staff = world.user(R.DISTRICT_STAFF)
    first = assistance.assign_officer(world.orgs["enterprise_a"], world.user(R.ENFORCEMENT_OFFICER),
                                      acting_user=staff, since=dt.date(2026, 1, 1))
    assistance.assign_officer(world.orgs["enterprise_a"], staff, acting_user=staff, since=dt.date(2026, 6, 1))
    first.refresh_from_db()
    assert first.until == dt.date(2026, 5, 31)
    assert assistance.officer_for(world.orgs["enterprise_a"], dt.date(2026, 3, 1)) == world.user(R.ENFORCEMENT_OFFICER)
    assert assistance.officer_for(world.orgs["enterprise_a"], dt.date(2026, 7, 1)) == staff


def _request(w, enterprise_key, number=None):
    from django.utils import timezone

    return AssistanceRequest.objects.create(number=number or f"YZ{enterprise_key}", enterprise=w.orgs[enterprise_key],
                                            requested_by=w.user(R.ENTERPRISE_USER), kind="domestic",
                                            description="纠纷", created_at=timezone.now())


class TestAssistanceRequestScope(DetailPageMatrix):
    """The enterprise's own; the offices of its jurisdiction; the assigned officer (an agency's expert here)."""

    model = AssistanceRequest
    objects = {"a": lambda w: _request(w, "enterprise_a"), "b": lambda w: _request(w, "enterprise_b"),
               "b_by_agency": lambda w: _assigned_to_agency(w)}
    visible_to = {R.CITY_LEADER: {"a", "b", "b_by_agency"}, R.CITY_STAFF: {"a", "b", "b_by_agency"},
                  R.DISTRICT_STAFF: {"a"}, R.ENFORCEMENT_OFFICER: {"a"}, R.ENTERPRISE_USER: {"a"},
                  R.AGENCY_USER: {"b_by_agency"}}

    @staticmethod
    def detail_url(obj):
        return f"/protection/assistance/{obj.pk}/"


def _assigned_to_agency(w):
    item = _request(w, "enterprise_b", number="YZagency")
    item.officer = w.user(R.AGENCY_USER)
    item.save()
    return item


class TestAssistanceAssignmentScope(ScopeMatrix):
    model = AssistanceAssignment
    objects = {"a": lambda w: AssistanceAssignment.objects.create(officer=w.user(R.ENFORCEMENT_OFFICER),
                                                                  enterprise=w.orgs["enterprise_a"],
                                                                  since="2026-01-01"),
               "b": lambda w: AssistanceAssignment.objects.create(officer=w.user(R.AGENCY_USER),
                                                                  enterprise=w.orgs["enterprise_b"],
                                                                  since="2026-01-01")}
    visible_to = {R.CITY_LEADER: {"a", "b"}, R.CITY_STAFF: {"a", "b"}, R.DISTRICT_STAFF: {"a"},
                  R.ENFORCEMENT_OFFICER: {"a"}, R.ENTERPRISE_USER: {"a"}, R.AGENCY_USER: {"b"}}


@pytest.mark.django_db
def test_an_office_names_officers_from_its_own_staff(world, client):
    staff = world.user(R.DISTRICT_STAFF)
    client.force_login(staff)
    client.post("/protection/assistance/officers/", {"enterprise": world.orgs["enterprise_a"].pk,
                                                     "officer": world.user(R.CITY_STAFF).pk})
    assert not AssistanceAssignment.objects.exists()
    client.post("/protection/assistance/officers/", {"enterprise": world.orgs["enterprise_a"].pk,
                                                     "officer": world.user(R.ENFORCEMENT_OFFICER).pk})
    assert assistance.officer_for(world.orgs["enterprise_a"]) == world.user(R.ENFORCEMENT_OFFICER)
    client.force_login(world.user(R.ENTERPRISE_USER))
    assert client.post("/protection/assistance/officers/", {}).status_code == 403
