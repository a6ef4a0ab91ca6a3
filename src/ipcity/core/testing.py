"""Test support shared by every module (the pattern of NetBox's utilities/testing).

`build_world()` creates one small city with an organisation and a user for every role. A module's scope test
subclasses `ScopeMatrix`, declares its objects and which roles see which of them, and inherits the
permission-matrix, IDOR (404) and API tests. tests/test_permission_matrix.py fails for any model that has no
ScopeMatrix subclass, so a new model cannot ship without one.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser

from ipcity.accounts.roles import PUBLIC, Role

ALL_ROLES = [r.value for r in Role] + [PUBLIC]
CITY, DISTRICT_A, DISTRICT_B = "371700", "371702", "371703"
TEST_PASSWORD = "Test-Passw0rd!"

# organisation key → (name, kind, region code, parent key)
WORLD_ORGS = {
    "city_office": ("测试市知识产权局", "city_office", CITY, None),
    "section": ("测试市知识产权局保护科", "city_section", CITY, "city_office"),
    "member": ("测试市公安局", "member_department", CITY, None),
    "district_a": ("测试牡丹区市场监督管理局", "district_office", DISTRICT_A, "city_office"),
    "district_b": ("测试定陶区市场监督管理局", "district_office", DISTRICT_B, "city_office"),
    "enterprise_a": ("测试甲科技有限公司", "enterprise", DISTRICT_A, None),
    "enterprise_b": ("测试乙材料有限公司", "enterprise", DISTRICT_B, None),
    "agency_a": ("测试专利代理事务所", "service_agency", DISTRICT_A, None),
    "university": ("测试学院", "research_institute", DISTRICT_A, None),
}
# role → organisation key of that role's test user (username "t_" + role value; world.users is keyed by role)
WORLD_USERS = {
    Role.SYSADMIN: "city_office", Role.AUDITOR: "city_office", Role.CITY_LEADER: "city_office",
    Role.CITY_STAFF: "section", Role.MEMBER_LIAISON: "member", Role.DISTRICT_STAFF: "district_a",
    Role.ENFORCEMENT_OFFICER: "district_a", Role.ENTERPRISE_USER: "enterprise_a", Role.AGENCY_USER: "agency_a",
    Role.EXPERT: "university",
}
WORLD_USCC = {"enterprise_a": "91371702MA3C00001", "enterprise_b": "91371703MA3C00002"}


def _with_check(partial: str) -> str:
    from stdnum.cn import uscc

    return partial + uscc.calc_check_digit(partial)


def build_world() -> None:
    """Create the shared test world through the real actions (so it is audited like production data)."""
    from ipcity.accounts.actions import create_user
    from ipcity.orgs.actions import create_contact, create_organisation
    from ipcity.orgs.models import Organisation
    from ipcity.regions.loader import load_regions
    from ipcity.regions.models import Region
    from ipcity.workdays.actions import seed_from_chinese_calendar

    load_regions(("37",))
    seed_from_chinese_calendar(acting_user=None)
    orgs: dict[str, Organisation] = {}
    for key, (name, kind, region, parent) in WORLD_ORGS.items():
        uscc = _with_check(WORLD_USCC[key][:17]) if key in WORLD_USCC else None
        orgs[key] = create_organisation(acting_user=None, name=name, kind=kind, region=Region.objects.get(code=region),
                                        parent=orgs.get(parent), uscc=uscc)
    for role, org_key in WORLD_USERS.items():
        create_user(acting_user=None, username=f"t_{role.value}", role=role, organisation=orgs[org_key],
                    password=TEST_PASSWORD, display_name=f"测试{role.label}")
    create_contact(acting_user=None, organisation=orgs["enterprise_a"], name="张三", position="法务",
                   phone="13812345678", id_number=_resident_id("371702199001011234"), address="山东省菏泽市牡丹区人民路1号")
    _build_plan(orgs)
    create_contact(acting_user=None, organisation=orgs["enterprise_b"], name="李四", position="总经理",
                   phone="13987654321", id_number=_resident_id("371703198502022345"), address="山东省菏泽市定陶区和平路2号")


WORLD_PLAN_FILE = b"world plan document"


def _build_plan(orgs) -> None:
    """A published city plan whose tasks name the section (city_staff), the member department (liaison) and
    district A's office; values and reports in a known state."""
    from django.core.files.base import ContentFile

    from ipcity.core.files import store_file
    from ipcity.plans.actions import (
        open_draft,
        publish_import,
        record_indicator_value,
        submit_report,
    )
    from ipcity.plans.sample import sample_plan_data

    units = {"office": orgs["city_office"].name, "section": orgs["section"].name, "member": orgs["member"].name,
             "district": orgs["district_a"].name}
    text, data = sample_plan_data("测试市", units)
    stored = store_file(ContentFile(WORLD_PLAN_FILE, name="测试方案.txt"), acting_user=None)
    draft = open_draft(stored, text, data, acting_user=None, owner=orgs["city_office"])
    plan = publish_import(draft, acting_user=None)
    from ipcity.accounts.models import User

    liaison = User.objects.get(username="t_member_liaison")
    task = plan.tasks.get(code="1.1")
    submit_report(task, acting_user=liaison, period="2024Q1", text="已起草工作机制文件")
    indicator = plan.indicators.get(order=0)
    record_indicator_value(indicator, acting_user=None, region=plan.region, period="2024", value=2.6,
                           source="测试数据")


def _resident_id(seventeen_plus: str) -> str:
    from stdnum.cn import ric

    partial = seventeen_plus[:17]
    return partial + ric.calc_check_digit(partial + "0")  # stdnum expects a placeholder check digit


@dataclass
class World:
    orgs: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    contacts: dict = field(default_factory=dict)

    def user(self, role: str):
        return AnonymousUser() if role == PUBLIC else self.users[role]


def load_world() -> World:
    from ipcity.accounts.models import User
    from ipcity.orgs.models import Contact, Organisation

    world = World()
    names = {name: key for key, (name, *_rest) in WORLD_ORGS.items()}
    for org in Organisation.objects.filter(name__in=names):
        world.orgs[names[org.name]] = org
    for user in User.objects.filter(username__in=[f"t_{r.value}" for r in WORLD_USERS]).select_related("organisation"):
        world.users[user.role] = user
    for contact in Contact.objects.filter(name__in=["张三", "李四"]):
        world.contacts["contact_a" if contact.name == "张三" else "contact_b"] = contact
    return world


class ScopeMatrix:
    """Declare, per model: `objects` (label → factory(world) returning an instance) and `visible_to`
    (role → labels that role sees; roles left out see none). Optionally `detail_url(obj)` and
    `api_detail_url(obj)` for the IDOR tests. Every role in ALL_ROLES is tested, anonymous (公众) included."""

    model = None
    objects: dict[str, Callable] = {}
    visible_to: dict[str, set[str]] = {}

    def _build(self, world) -> dict:
        return {label: factory(world) for label, factory in self.objects.items()}

    def _expected(self, role: str) -> set[str]:
        return set(self.visible_to.get(role, set()))

    @pytest.mark.parametrize("role", ALL_ROLES)
    def test_scope(self, world, role):
        from ipcity.core.scoping import visible

        objs = self._build(world)
        pks = {obj.pk: label for label, obj in objs.items()}
        seen = {pks[pk] for pk in visible(self.model, world.user(role)).filter(pk__in=list(pks)).values_list("pk", flat=True)}
        assert seen == self._expected(role), f"{self.model._meta.label} as {role}"



class DetailPageMatrix(ScopeMatrix):
    """Adds: the model's detail page answers 200 inside scope and 404 outside (302 to login for 公众)."""

    @staticmethod
    def detail_url(obj) -> str:
        raise TypeError("a subclass must declare this URL")

    @pytest.mark.parametrize("role", ALL_ROLES)
    def test_detail_page_answers_404_outside_scope(self, world, role, client):
        objs = self._build(world)
        user = world.user(role)
        if role != PUBLIC:
            client.force_login(user)
        for label, obj in objs.items():
            response = client.get(type(self).detail_url(obj))
            if role == PUBLIC:
                assert response.status_code in (302, 404), label
            elif label in self._expected(role):
                assert response.status_code == 200, f"{label} as {role}"
            else:
                assert response.status_code == 404, f"{label} as {role}: {response.status_code}"



class ApiDetailMatrix(ScopeMatrix):
    """Adds: the model's API detail endpoint answers 200 inside scope, 404 outside, 401 for 公众."""

    @staticmethod
    def api_detail_url(obj) -> str:
        raise TypeError("a subclass must declare this URL")

    @pytest.mark.parametrize("role", ALL_ROLES)
    def test_api_detail_answers_404_outside_scope(self, world, role, client):
        objs = self._build(world)
        if role != PUBLIC:
            client.force_login(world.user(role))
        for label, obj in objs.items():
            response = client.get(type(self).api_detail_url(obj))
            if role == PUBLIC:
                assert response.status_code == 401, label
            elif label in self._expected(role):
                assert response.status_code == 200, f"{label} as {role}"
            else:
                assert response.status_code == 404, f"{label} as {role}: {response.status_code}"
                assert response.json()["code"] == "not_found"
