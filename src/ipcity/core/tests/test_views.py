"""Pages of the shell: home for every role, plainly-unbuilt sections, the public portal, the audit page."""
from __future__ import annotations

import json
import re

import pytest

from ipcity.accounts.roles import Role
from ipcity.core.models import AuditEntry
from ipcity.core.navigation import SECTIONS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_home_renders_for_every_role(client, world, role):
    client.force_login(world.users[role])
    html = client.get("/").content.decode()
    assert "工作台" in html and Role(role).label in html
    for section in SECTIONS:
        assert section.title in html


def test_home_redirects_anonymous_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_home_chart_shows_only_what_the_user_may_see(client, world):
    client.force_login(world.users["district_staff"])
    html = client.get("/").content.decode()
    data = json.loads(re.search(r'<script id="orgs-by-region-data" type="application/json">(.*?)</script>', html,
                                re.S).group(1))
    assert data == [{"region": "牡丹区", "count": 1}]
    assert "vendor/echarts/echarts.min.js" in html


@pytest.mark.parametrize("section", [s.slug for s in SECTIONS if not s.built])
def test_unbuilt_sections_say_so_plainly(client, world, section):
    client.force_login(world.users["city_staff"])
    html = client.get(f"/section/{section}/").content.decode()
    assert "尚在建设中" in html


@pytest.mark.parametrize("section", [s for s in SECTIONS if s.built], ids=lambda s: s.slug)
def test_built_sections_lead_to_their_module(client, world, section):
    client.force_login(world.users["city_staff"])
    response = client.get(f"/section/{section.slug}/")
    assert response.status_code == 302 and response["Location"] == section.href
    assert client.get(section.href).status_code == 200


def test_unknown_section_is_404(client, world):
    client.force_login(world.users["city_staff"])
    assert client.get("/section/nothing/").status_code == 404


def test_public_portal_needs_no_login(client):
    response = client.get("/portal/")
    assert response.status_code == 200 and "公众服务" in response.content.decode()


def test_no_cdn_in_pages(client, world):
    client.force_login(world.users["city_staff"])
    for url in ["/", "/portal/", "/orgs/", "/workdays/"]:
        html = client.get(url).content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', html), url


@pytest.mark.parametrize("role, status", [("auditor", 200), ("sysadmin", 404), ("city_leader", 404)])
def test_audit_page_is_for_the_audit_administrator(client, world, role, status):
    client.force_login(world.users[role])
    assert client.get("/audit/").status_code == status


def test_audit_page_verifies_the_chain_and_records_it(client, world):
    client.force_login(world.users["auditor"])
    html = client.post("/audit/").content.decode()
    assert "审计链完整" in html
    assert AuditEntry.objects.filter(action="audit.verify").latest("seq").outcome == "success"


def test_error_pages_are_chinese(client, world):
    client.force_login(world.users["city_staff"])
    assert "未找到" in client.get("/orgs/999999/").content.decode()
