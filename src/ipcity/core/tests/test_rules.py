from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ipcity.core.models import Rule
from ipcity.core.rules import declare, declared_rules

LIMIT = declare("tests.limit", 5, "测试上限")
MODE = declare("tests.mode", "a", "测试模式", choices=("a", "b"))


@pytest.mark.django_db
def test_default_until_overridden():
    assert LIMIT.get() == 5
    Rule.objects.create(key="tests.limit", value=9)
    assert LIMIT.get() == 9


def test_validation_of_type_and_choices():
    LIMIT.validate(7)
    with pytest.raises(ValidationError):
        LIMIT.validate("7")
    with pytest.raises(ValidationError):
        LIMIT.validate(True)  # a bool is not a count
    with pytest.raises(ValidationError, match="之一"):
        MODE.validate("c")


def test_redeclaring_differently_is_refused():
    with pytest.raises(RuntimeError):
        declare("tests.limit", 6, "测试上限")


def test_business_rules_are_declared():
    keys = set(declared_rules())
    assert {"accounts.login_failure_limit", "accounts.lockout_minutes", "workdays.unpublished_year_policy",
            "jobs.stale_minutes"} <= keys


@pytest.mark.django_db
def test_admin_rejects_a_wrong_rule_value_with_a_form_error(client, world):
    client.force_login(world.users["sysadmin"])
    response = client.post("/admin/core/rule/add/", {"key": "accounts.login_failure_limit", "value": '"五"',
                                                      "note": ""})
    assert response.status_code == 200 and "类型" in response.content.decode()
    response = client.post("/admin/core/rule/add/", {"key": "no.such.rule", "value": "1", "note": ""})
    assert response.status_code == 200 and "未知的规则" in response.content.decode()
    response = client.post("/admin/core/rule/add/", {"key": "accounts.login_failure_limit", "value": "8", "note": ""})
    assert response.status_code == 302
    assert Rule.objects.get(key="accounts.login_failure_limit").value == 8


def test_every_app_rule_is_declared_at_start_up():
    """In a fresh interpreter (no test has imported the demo generator or any other module that declares a rule),
    django.setup() alone declares them all, so the rule admin never calls a real rule unknown."""
    import subprocess
    import sys

    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'ipcity.settings_test'; django.setup(); "
            "from ipcity.core.rules import declared_rules; print(sorted(declared_rules()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    import re
    from pathlib import Path

    import ipcity

    source = Path(ipcity.__file__).parent
    keys = {m.group(1) for path in source.rglob("*.py") if "tests" not in path.parts
            for m in re.finditer(r'declare\(\s*"([a-z_.]+)"', path.read_text(encoding="utf-8"))}
    assert "demo.password" in keys and "ipdata.attribution_rule" in keys
    for key in sorted(keys):
        assert f"'{key}'" in out, f"{key} is declared only when its module happens to be imported"
