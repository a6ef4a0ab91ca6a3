"""结案率 per organisation with drill-down, escalation of overdue matters, and query budgets on the lists."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ipcity.accounts.roles import Role as R
from ipcity.core.reminders import reminders_for
from ipcity.protection import actions
from ipcity.protection.dashboard import organisation_stats
from ipcity.protection.tests.helpers import make_submission

LAST_YEAR = timezone.localdate().year - 1  # so the open matter is overdue whatever today's date


def _three_in_a_one_in_b(world):
    staff = world.user(R.DISTRICT_STAFF)
    year_start = timezone.make_aware(dt.datetime(LAST_YEAR, 1, 2, 9))
    matters = [make_submission(region_code="371702", received_at=year_start + dt.timedelta(days=i)).matters.get()
               for i in range(3)]
    actions.decide_complaint(matters[0], acting_user=staff, accept=False, ground="time_barred")
    actions.decide_complaint(matters[1], acting_user=staff, accept=True)
    matters[1].refresh_from_db()
    actions.close_matter(matters[1], acting_user=staff, outcome="和解")
    make_submission(region_code="371703", received_at=year_start)
    return matters


@pytest.mark.django_db
def test_closure_rate_and_overdue_per_organisation_within_the_users_scope(world):
    _three_in_a_one_in_b(world)
    year = LAST_YEAR
    city = organisation_stats(world.user(R.CITY_LEADER), year)
    by_org = {r["org"]: r for r in city["rows"]}
    a = by_org["测试牡丹区市场监督管理局"]
    assert (a["received"], a["finished"], a["open"]) == (3, 2, 1)
    assert round(a["rate"], 1) == 66.7 and a["below_target"]
    assert a["overdue"] == 1
    assert a["avg_days"] is not None and a["avg_days"] > 0
    assert city["totals"]["received"] == 4
    district = organisation_stats(world.user(R.DISTRICT_STAFF), year)
    assert [r["org"] for r in district["rows"]] == ["测试牡丹区市场监督管理局"]


@pytest.mark.django_db
def test_the_dashboard_drills_down_to_the_list(world, client):
    _three_in_a_one_in_b(world)
    client.force_login(world.user(R.CITY_STAFF))
    page = client.get(f"/protection/dashboard/?year={LAST_YEAR}").content.decode()
    assert "66.7%" in page
    org = world.orgs["district_a"].pk
    year = LAST_YEAR
    listing = client.get(f"/protection/?org={org}&year={year}&status=finished").content.decode()
    assert listing.count("/protection/matters/") == 2
    client.force_login(world.user(R.ENTERPRISE_USER))
    assert client.get("/protection/dashboard/").status_code == 403


@pytest.mark.django_db
def test_overdue_matters_remind_the_office_and_escalate_to_the_city(world):
    matters = _three_in_a_one_in_b(world)
    today = timezone.localdate()
    district = [r.title for r in reminders_for(world.user(R.DISTRICT_STAFF), today)]
    assert any(matters[2].number in t and "已逾期" in t for t in district)
    city = [r.title for r in reminders_for(world.user(R.CITY_STAFF), today)]
    assert any(t.startswith("逾期督办") and matters[2].number in t for t in city)
    assert not any(matters[0].number in t for t in district + city)  # finished


@pytest.mark.django_db
def test_list_and_dashboard_query_counts_do_not_grow_with_the_rows(world, client, django_assert_max_num_queries):
    client.force_login(world.user(R.CITY_STAFF))
    for i in range(3):
        make_submission(respondent=f"公司{i}")
    client.get("/protection/")  # warm caches (content types, rules, sessions)
    client.get("/protection/dashboard/")
    with django_assert_max_num_queries(12) as first:
        client.get("/protection/")
    for i in range(20):
        make_submission(respondent=f"更多公司{i}", region_code="371703")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/protection/")
    with django_assert_max_num_queries(12):  # one grouped query for the statistics; the rest is session and auth
        client.get("/protection/dashboard/")
