"""The action layer: every state change goes through a function decorated with @action.

An action takes the acting user as the keyword-only argument `acting_user`, runs in one transaction and writes
its audit row(s) inside it (via `ipcity.core.audit.record`), so a change and its audit row commit or fail together.
Views, API handlers, the admin and commands parse input, authorise, and call an action; they never save models.
"""
from __future__ import annotations

import functools
import inspect

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ipcity.core.audit import record  # re-exported for actions

__all__ = ["action", "record", "require_permission", "model_changes"]


def action(func):
    """Mark a function as an action: keyword-only `acting_user`, one transaction around the whole call."""
    params = inspect.signature(func).parameters
    if "acting_user" not in params or params["acting_user"].kind is not inspect.Parameter.KEYWORD_ONLY:
        raise TypeError(f"action {func.__qualname__} must take acting_user as a keyword-only argument")

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if "acting_user" not in kwargs:
            raise TypeError(f"{func.__qualname__}() needs acting_user=")
        with transaction.atomic():
            return func(*args, **kwargs)

    wrapper.is_action = True
    return wrapper


def require_permission(user, perm: str) -> None:
    """Raise PermissionDenied (403) unless the user holds the Django permission `perm` (app_label.codename)."""
    if user is None or not user.is_authenticated or not user.has_perm(perm):
        raise PermissionDenied("您没有执行此操作的权限")


def model_changes(before: dict, after: dict, *, redact: set[str] = frozenset()) -> dict:
    """The fields that differ, as {field: [old, new]}; redacted fields show only that they changed."""
    changed = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            changed[key] = "（已修改，内容不记录）" if key in redact else [old, new]
    return changed
