"""The action layer: acting_user is required, and a failing action leaves neither data nor audit row."""
from __future__ import annotations

import pytest

from ipcity.core.actions import action, model_changes, record
from ipcity.core.models import AuditEntry, Rule


def test_action_needs_keyword_only_acting_user():
    with pytest.raises(TypeError):
        @action
        def bad(x, acting_user):  # positional acting_user is refused at import time
            return x


def test_calling_without_acting_user_is_an_error():
    @action
    def good(*, acting_user):
        return acting_user

    with pytest.raises(TypeError):
        good()


@pytest.mark.django_db
def test_failure_rolls_back_change_and_audit_row(world):
    @action
    def create_then_fail(*, acting_user):
        Rule.objects.create(key="test.rollback", value=1)
        record("test.rollback", acting_user=acting_user)
        raise ValueError("boom")

    before = AuditEntry.objects.count()
    with pytest.raises(ValueError):
        create_then_fail(acting_user=world.users["sysadmin"])
    assert not Rule.objects.filter(key="test.rollback").exists()
    assert AuditEntry.objects.count() == before


def test_model_changes_lists_only_differences_and_redacts():
    changes = model_changes({"a": 1, "b": "x", "secret": "old"}, {"a": 1, "b": "y", "secret": "new"},
                            redact={"secret"})
    assert changes == {"b": ["x", "y"], "secret": "（已修改，内容不记录）"}
