"""Business rules with defaults in code and overrides in the Rule table (editable by the administrator).

Declare a rule next to the code that uses it: `LOGIN_FAILURE_LIMIT = declare("accounts.login_failure_limit",
5, "连续登录失败多少次后锁定账户")`, then read it with `LOGIN_FAILURE_LIMIT.get()`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError

_declared: dict[str, "RuleSpec"] = {}


@dataclass(frozen=True)
class RuleSpec:
    key: str
    default: Any
    description: str
    choices: tuple | None = None

    def get(self) -> Any:
        from ipcity.core.models import Rule

        try:
            row = Rule.objects.filter(key=self.key).values_list("value", flat=True).first()
        except DatabaseError:  # before migrations (e.g. `ipcity check` on an empty home)
            return self.default
        return self.default if row is None else row

    def validate(self, value: Any) -> None:
        from django.core.exceptions import ValidationError

        if self.choices is not None and value not in self.choices:
            raise ValidationError(f"规则「{self.description}」的取值必须是 {', '.join(map(str, self.choices))} 之一")
        wrong_type = self.default is not None and not isinstance(value, type(self.default))
        # bool is an int subclass: keep them apart so "true" is never accepted for a number of days.
        if wrong_type or (isinstance(value, bool) and not isinstance(self.default, bool)):
            raise ValidationError(f"规则「{self.description}」的取值类型应与默认值 {self.default!r} 相同")


def declare(key: str, default: Any, description: str, choices: tuple | None = None) -> RuleSpec:
    spec = RuleSpec(key, default, description, choices)
    existing = _declared.get(key)
    if existing is not None and existing != spec:
        raise RuntimeError(f"rule {key} declared twice with different definitions")
    _declared[key] = spec
    return spec


def declared_rules() -> dict[str, RuleSpec]:
    return dict(_declared)
