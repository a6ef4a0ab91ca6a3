"""The calendar page, the HTMX calculator (staff and public portal) and the public workdays API."""
from __future__ import annotations

import pytest

from ipcity.core.models import Rule

POLICY = "workdays.unpublished_year_policy"


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.users["city_staff"])
    return client


def test_calendar_page_renders_for_a_logged_in_user(staff_client):
    response = staff_client.get("/workdays/?year=2025")
    assert response.status_code == 200
    html = response.content.decode()
    assert "2025年节假日与调休" in html and "国庆节" in html and "已公布" in html
    assert 'hx-get="/workdays/calculate/"' in html


def test_calendar_page_of_an_unpublished_year(staff_client):
    html = staff_client.get("/workdays/?year=2027").content.decode()
    assert "未公布" in html and "本年度没有录入节假日" in html


@pytest.mark.parametrize("year", ["abc", "0", "99999", "-5"])
def test_calendar_page_ignores_a_bad_year(staff_client, year):
    assert staff_client.get("/workdays/", {"year": year}).status_code == 200


def test_calendar_page_needs_login(client, db):
    response = client.get("/workdays/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_calculator_fragment(staff_client):
    response = staff_client.get("/workdays/calculate/?start=2025-09-28T09:00&amount=7&unit=working_days",
                                headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2025年10月14日" in html and "23:59" in html
    assert "<html" not in html  # a fragment, not a page
    assert "暂定" not in html


def test_calculator_rejects_a_negative_amount_in_chinese(staff_client):
    html = staff_client.get("/workdays/calculate/?start=2025-09-28T09:00&amount=-1&unit=working_days").content.decode()
    assert "期限不能为负数" in html and "notice error" in html


def test_calculator_rejects_a_bad_start_and_unit(staff_client):
    html = staff_client.get("/workdays/calculate/?start=2025-13-45&amount=7&unit=weeks").content.decode()
    assert "起算时间" in html and "单位" in html and "notice error" in html


def test_staff_calculator_needs_login(client, db):
    assert client.get("/workdays/calculate/?start=2025-09-28T09:00&amount=7&unit=working_days").status_code == 302


def test_calculator_marks_2027_provisional(staff_client):
    html = staff_client.get("/workdays/calculate/?start=2027-03-01T09:00&amount=7&unit=working_days").content.decode()
    assert "暂定" in html and "2027年3月10日" in html


def test_calculator_refuses_2027_under_refuse_policy(staff_client):
    Rule.objects.create(key=POLICY, value="refuse")
    html = staff_client.get("/workdays/calculate/?start=2027-03-01T09:00&amount=7&unit=working_days").content.decode()
    assert "2027年的节假日安排尚未公布" in html and "notice error" in html


def test_public_portal_calculator_works_without_login(client, db):
    response = client.get("/portal/deadline/?start=2025-09-20&amount=15&unit=days")
    assert response.status_code == 200
    assert "2025年10月9日" in response.content.decode()  # 5 Oct is a holiday: rolled forward


def test_public_portal_page_links_the_calculator(client, db):
    html = client.get("/portal/").content.decode()
    assert 'hx-get="/portal/deadline/"' in html


# -- API ------------------------------------------------------------------------------------------------------


def test_api_due_is_public(client, db):
    response = client.get("/api/v1/workdays/due?start=2025-09-28&amount=7&unit=working_days")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["due_date"] == "2025-10-14"
    assert body["due"].startswith("2025-10-14T23:59:59") and body["due"].endswith("+08:00")
    assert body["provisional"] is False and body["unit"] == "working_days"


def test_api_due_hours(client, db):
    body = client.get("/api/v1/workdays/due?start=2025-10-01T09:30:00%2B08:00&amount=24&unit=hours").json()
    assert body["due"].startswith("2025-10-02T09:30:00")


def test_api_due_of_a_2027_start_is_provisional(client, db):
    body = client.get("/api/v1/workdays/due?start=2027-03-01&amount=7&unit=working_days").json()
    assert body["provisional"] is True and body["due_date"] == "2027-03-10"


def test_api_due_refused_under_refuse_policy(client, db):
    Rule.objects.create(key=POLICY, value="refuse")
    response = client.get("/api/v1/workdays/due?start=2027-03-01&amount=7&unit=working_days")
    assert response.status_code == 422
    assert "2027年" in response.json()["message"]


def test_api_due_rejects_a_negative_amount(client, db):
    response = client.get("/api/v1/workdays/due?start=2025-09-28&amount=-1&unit=working_days")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_api_days_lists_national_day(client, db):
    response = client.get("/api/v1/workdays/days?year=2025")
    assert response.status_code == 200
    days = {d["date"]: d for d in response.json()}
    assert days["2025-10-01"]["is_workday"] is False and "国庆" in days["2025-10-01"]["name"]
    assert days["2025-10-11"]["is_workday"] is True  # 调休 Saturday
    assert all(d.startswith("2025-") for d in days)


def test_api_days_of_an_unpublished_year_is_empty(client, db):
    assert client.get("/api/v1/workdays/days?year=2027").json() == []
