"""Every model's scope, for every role (the permission matrix), plus IDOR checks on detail pages and the API.

A new model must add a ScopeMatrix subclass here (or in its app's tests); test_every_model_is_covered fails
otherwise.
"""
from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.utils import timezone

from ipcity.accounts.actions import create_api_token
from ipcity.accounts.models import APIToken, User
from ipcity.accounts.roles import PUBLIC, Role
from ipcity.core import scoping
from ipcity.core.audit import record
from ipcity.core.models import AuditEntry, AuditHead, Rule
from ipcity.core.testing import ALL_ROLES, ApiDetailMatrix, DetailPageMatrix, ScopeMatrix
from ipcity.jobs.actions import submit_job
from ipcity.jobs.models import Job
from ipcity.orgs.models import Contact, Organisation
from ipcity.regions.models import Population, Region
from ipcity.workdays import actions as workday_actions
from ipcity.workdays.models import CalendarDay, CalendarYear, Deadline, DeadlineExtension, DeadlinePause

R = Role
OFFICE_ALL = {R.SYSADMIN, R.AUDITOR, R.CITY_LEADER, R.CITY_STAFF}
EVERYONE = set(ALL_ROLES)
GOVERNMENT = {"city_office", "section", "member", "district_a", "district_b"}


def org(key):
    return lambda world: world.orgs[key]


ALL_ORGS = GOVERNMENT | {"enterprise_a", "enterprise_b", "agency_a", "university"}
IN_DISTRICT_A = GOVERNMENT | {"enterprise_a", "agency_a", "university"}


class TestOrganisationScope(DetailPageMatrix, ApiDetailMatrix):
    model = Organisation
    objects = {key: org(key) for key in sorted(ALL_ORGS)}
    visible_to = {
        **{role: ALL_ORGS for role in OFFICE_ALL},
        R.DISTRICT_STAFF: IN_DISTRICT_A, R.ENFORCEMENT_OFFICER: IN_DISTRICT_A,
        R.MEMBER_LIAISON: GOVERNMENT,
        R.ENTERPRISE_USER: {"enterprise_a"}, R.AGENCY_USER: {"agency_a"}, R.EXPERT: {"university"},
    }

    @staticmethod
    def detail_url(obj):
        return f"/orgs/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/orgs/{obj.pk}"


class TestContactScope(ScopeMatrix):
    model = Contact
    objects = {"contact_a": lambda w: w.contacts["contact_a"], "contact_b": lambda w: w.contacts["contact_b"]}
    visible_to = {
        R.CITY_LEADER: {"contact_a", "contact_b"}, R.CITY_STAFF: {"contact_a", "contact_b"},
        R.DISTRICT_STAFF: {"contact_a"}, R.ENFORCEMENT_OFFICER: {"contact_a"}, R.ENTERPRISE_USER: {"contact_a"},
    }


class TestUserScope(ScopeMatrix):
    model = User
    objects = {role.value: (lambda r: lambda w: w.users[r])(role.value) for role in Role}
    visible_to = {
        R.SYSADMIN: {r.value for r in Role}, R.AUDITOR: {r.value for r in Role},
        R.CITY_LEADER: {"sysadmin", "auditor", "city_leader"}, R.CITY_STAFF: {"city_staff"},
        R.MEMBER_LIAISON: {"member_liaison"},
        R.DISTRICT_STAFF: {"district_staff", "enforcement_officer"},
        R.ENFORCEMENT_OFFICER: {"district_staff", "enforcement_officer"},
        R.ENTERPRISE_USER: {"enterprise_user"}, R.AGENCY_USER: {"agency_user"}, R.EXPERT: {"expert"},
    }


def _token(role):
    def make(world):
        return create_api_token(world.users[role], f"{role} 的令牌", acting_user=world.users[role])[0]
    return make


class TestAPITokenScope(ScopeMatrix):
    model = APIToken
    objects = {"staff_token": _token("city_staff"), "enterprise_token": _token("enterprise_user")}
    visible_to = {R.SYSADMIN: {"staff_token", "enterprise_token"}, R.CITY_STAFF: {"staff_token"},
                  R.ENTERPRISE_USER: {"enterprise_token"}}


class TestAuditEntryScope(ScopeMatrix):
    model = AuditEntry
    objects = {"entry": lambda w: record("test.event", acting_user=w.users["city_staff"])}
    visible_to = {R.AUDITOR: {"entry"}}


class TestAuditHeadScope(ScopeMatrix):
    model = AuditHead
    objects = {"head": lambda w: AuditHead.objects.get(id=1)}
    visible_to = {}


class TestRuleScope(ScopeMatrix):
    model = Rule
    objects = {"rule": lambda w: Rule.objects.get_or_create(key="test.rule", defaults={"value": 1})[0]}
    visible_to = {R.SYSADMIN: {"rule"}}


class TestRegionScope(ScopeMatrix):
    model = Region
    objects = {"city": lambda w: Region.objects.get(code="371700"), "county": lambda w: Region.objects.get(code="371702")}
    visible_to = {role: {"city", "county"} for role in EVERYONE}


class TestPopulationScope(ScopeMatrix):
    """Published statistics: everyone, like the regions."""

    model = Population
    objects = {"p": lambda w: Population.objects.create(region=Region.objects.get(code="371702"), year=2024,
                                                        value="96.52")}
    visible_to = {role: {"p"} for role in EVERYONE}


class TestCalendarDayScope(ScopeMatrix):
    model = CalendarDay
    objects = {"national_day": lambda w: CalendarDay.objects.get(date=dt.date(2025, 10, 1))}
    visible_to = {role: {"national_day"} for role in EVERYONE}


class TestCalendarYearScope(ScopeMatrix):
    model = CalendarYear
    objects = {"y2025": lambda w: CalendarYear.objects.get(year=2025)}
    visible_to = {role: {"y2025"} for role in EVERYONE}


START = dt.datetime(2025, 9, 1, 9, 0, tzinfo=dt.timezone.utc)


def _deadline(subject_key):
    def make(world):
        staff = world.users["city_staff"]
        subject = world.orgs[subject_key] if subject_key else None
        return workday_actions.create_deadline(acting_user=staff, title=f"测试期限 {subject_key}", amount=7,
                                               unit="working_days", start_at=START, subject=subject)
    return make


DEADLINE_VISIBILITY = {
    R.SYSADMIN: {"on_a", "on_b", "no_subject"}, R.AUDITOR: {"on_a", "on_b"},
    R.CITY_LEADER: {"on_a", "on_b"}, R.CITY_STAFF: {"on_a", "on_b", "no_subject"},
    R.DISTRICT_STAFF: {"on_a"}, R.ENFORCEMENT_OFFICER: {"on_a"}, R.ENTERPRISE_USER: {"on_a"},
}


class TestDeadlineScope(ScopeMatrix):
    model = Deadline
    objects = {"on_a": _deadline("enterprise_a"), "on_b": _deadline("enterprise_b"), "no_subject": _deadline(None)}
    visible_to = DEADLINE_VISIBILITY


def _paused(subject_key):
    def make(world):
        deadline = _deadline(subject_key)(world)
        workday_actions.pause_deadline(deadline, acting_user=world.users["city_staff"], reason="鉴定",
                                       at=START + dt.timedelta(days=1))
        return deadline.pauses.get()
    return make


class TestDeadlinePauseScope(ScopeMatrix):
    model = DeadlinePause
    objects = {"on_a": _paused("enterprise_a"), "on_b": _paused("enterprise_b"), "no_subject": _paused(None)}
    visible_to = DEADLINE_VISIBILITY


def _extended(subject_key):
    def make(world):
        deadline = _deadline(subject_key)(world)
        workday_actions.extend_deadline(deadline, 15, acting_user=world.users["city_staff"], reason="案情复杂",
                                        approved_by="局长")
        return deadline.extensions.get()
    return make


class TestDeadlineExtensionScope(ScopeMatrix):
    model = DeadlineExtension
    objects = {"on_a": _extended("enterprise_a"), "on_b": _extended("enterprise_b"), "no_subject": _extended(None)}
    visible_to = DEADLINE_VISIBILITY


def _job(role):
    return lambda world: submit_job("workdays.recompute", acting_user=world.users[role])


class TestJobScope(DetailPageMatrix, ApiDetailMatrix):
    model = Job
    objects = {"staff_job": _job("city_staff"), "enterprise_job": _job("enterprise_user")}
    visible_to = {R.SYSADMIN: {"staff_job", "enterprise_job"}, R.AUDITOR: {"staff_job", "enterprise_job"},
                  R.CITY_STAFF: {"staff_job"}, R.ENTERPRISE_USER: {"enterprise_job"}}

    @staticmethod
    def detail_url(obj):
        return f"/jobs/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/jobs/{obj.pk}"


def _matrix_classes():
    found, stack = [], list(ScopeMatrix.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.model is not None:
            found.append(cls)
    return found


def test_every_model_is_covered():
    """Every model of every ipcity app has a scope function and a permission-matrix test (here, or in one of the
    app's tests/test_*.py modules, all imported below so this test holds however the suite is selected)."""
    import importlib
    import pkgutil

    for app in apps.get_app_configs():
        if app.name.startswith("ipcity."):
            try:
                package = importlib.import_module(f"{app.name}.tests")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app.name}.tests":
                    raise
                continue
            for module in pkgutil.iter_modules(package.__path__):
                if module.name.startswith("test_"):
                    importlib.import_module(f"{app.name}.tests.{module.name}")
    ours = {m for m in apps.get_models() if m.__module__.startswith("ipcity.")}
    assert ours - scoping.registered_models() == set(), "models without a scope function"
    covered = {cls.model for cls in _matrix_classes()}
    assert {m._meta.label for m in ours - covered} == set(), "models without a ScopeMatrix test"


def test_roles_cover_public():
    assert PUBLIC in ALL_ROLES and len(ALL_ROLES) == len(Role) + 1


def test_timezone_is_beijing():
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"
