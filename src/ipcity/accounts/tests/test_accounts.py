"""Accounts: login, lockout after repeated failures (audited), role groups, password policy, admin access."""
from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from ipcity.accounts.actions import create_user, set_role
from ipcity.accounts.roles import ROLE_PERMISSIONS, Role
from ipcity.core.models import AuditEntry, Rule
from ipcity.core.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_lands_on_home_and_is_audited(client, world):
    before = AuditEntry.objects.filter(action="accounts.login").count()
    response = login(client, "t_city_staff", TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert AuditEntry.objects.filter(action="accounts.login").count() == before + 1
    home = client.get("/")
    assert "工作台" in home.content.decode()


def test_wrong_password_shows_chinese_error_and_is_audited(client, world):
    response = login(client, "t_city_staff", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    failed = AuditEntry.objects.filter(action="accounts.login_failed").latest("seq")
    assert failed.outcome == "failure" and failed.changes["username"] == "t_city_staff"


def test_repeated_failures_lock_the_account(client, world):
    Rule.objects.create(key="accounts.login_failure_limit", value=3)
    for _ in range(3):
        login(client, "t_expert", "wrong-password")
    locked = login(client, "t_expert", TEST_PASSWORD)  # even the right password is refused while locked
    assert locked.status_code == 429
    assert "锁定" in locked.content.decode()
    assert AuditEntry.objects.filter(action="accounts.locked_out").exists()
    assert AccessAttempt.objects.filter(username="t_expert").exists()
    # Other accounts are unaffected (lockout is per account, not per IP).
    assert login(client, "t_agency_user", TEST_PASSWORD).status_code == 302


def test_every_role_has_a_group_with_exactly_its_permissions(world):
    for role in Role:
        group = Group.objects.get(name=role.label)
        perms = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert perms == set(ROLE_PERMISSIONS[role]), role


def test_audit_administrator_is_separate_from_system_administrator(world):
    sysadmin, auditor = world.users["sysadmin"], world.users["auditor"]
    assert not sysadmin.has_perm("core.view_auditentry")
    assert auditor.has_perm("core.view_auditentry")
    assert not auditor.has_perm("accounts.change_user")


def test_set_role_moves_the_user_between_groups(world):
    user = create_user(acting_user=world.users["sysadmin"], username="temp_user", role=Role.EXPERT,
                       password=TEST_PASSWORD)
    set_role(user, Role.CITY_STAFF, acting_user=world.users["sysadmin"])
    assert list(user.groups.values_list("name", flat=True)) == [Role.CITY_STAFF.label]
    user.refresh_from_db()
    assert user.has_perm("orgs.add_organisation")
    assert AuditEntry.objects.filter(action="accounts.set_role", object_id=str(user.pk)).exists()


def test_weak_passwords_are_refused_in_chinese(world):
    with pytest.raises(ValidationError) as err:
        create_user(acting_user=None, username="weak_user", role=Role.EXPERT, password="abcdefghijk")
    assert any("三类" in m for m in err.value.messages)


def test_short_passwords_are_refused_in_chinese(world):
    with pytest.raises(ValidationError) as err:
        create_user(acting_user=None, username="short_pw", role=Role.EXPERT, password="Ab1!xyzq")
    assert err.value.messages == ["密码太短，至少需要 10 个字符"]


def test_duplicate_username_is_a_field_error(world):
    with pytest.raises(ValidationError) as err:
        create_user(acting_user=None, username="t_city_staff", role=Role.EXPERT, password=TEST_PASSWORD)
    assert "已存在" in str(err.value)


@pytest.mark.parametrize("role, admin_status", [("sysadmin", 200), ("auditor", 200), ("city_staff", 302),
                                                ("enterprise_user", 302)])
def test_only_administrators_enter_the_admin_site(client, world, role, admin_status):
    client.force_login(world.users[role])
    assert client.get("/admin/").status_code == admin_status


def test_auditor_reads_audit_log_in_admin_but_cannot_change_it(client, world):
    client.force_login(world.users["auditor"])
    assert client.get("/admin/core/auditentry/").status_code == 200
    entry = AuditEntry.objects.latest("seq")
    assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_user_admin_changes_are_audited(client, world):
    client.force_login(world.users["sysadmin"])
    target = world.users["expert"]
    response = client.post(f"/admin/accounts/user/{target.pk}/change/", {
        "username": target.username, "display_name": "改名的专家", "role": Role.EXPERT,
        "organisation": target.organisation_id, "is_active": "on",
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditEntry.objects.filter(action="accounts.change_user", object_id=str(target.pk)).exists()


def test_session_expires_after_inactivity(settings):
    assert settings.SESSION_COOKIE_AGE <= 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
