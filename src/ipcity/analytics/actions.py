"""Analytics actions: loading and activating a version of the SEI ↔ IPC concordance."""
from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError

from ipcity.analytics.models import SeiTable
from ipcity.analytics.sei import SeiTable as Classifier
from ipcity.analytics.sei import TableError
from ipcity.core.actions import action, record


def _text(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{label} 不是 UTF-8 编码的文本文件", code="encoding") from exc


@action
def load_sei_table(rules_data: bytes, mapping_data: bytes, *, name: str, activate: bool = True,
                   acting_user) -> SeiTable:
    """Load a concordance version from the two JSON-lines files (sei.jsonl, ipc-sei.jsonl). Every line is checked;
    a bad line refuses the whole file with its line number (nothing is loaded). Loading the same files again makes
    no new version: the existing one is returned (and activated when asked)."""
    rules_sha, mapping_sha = hashlib.sha256(rules_data).hexdigest(), hashlib.sha256(mapping_data).hexdigest()
    same = SeiTable.objects.filter(rules_sha256=rules_sha, mapping_sha256=mapping_sha).first()
    if same is not None:
        if activate and not same.is_active:
            activate_sei_table(same, acting_user=acting_user)
        return same
    try:
        classifier = Classifier.from_lines(_text(rules_data, "规则文件").splitlines(),
                                           _text(mapping_data, "对应关系文件").splitlines())
    except TableError as exc:
        raise ValidationError(str(exc), code="invalid_table") from exc
    rules, mapping = classifier.stored()
    table = SeiTable.objects.create(
        name=name.strip()[:200] or "战略性新兴产业分类与国际专利分类参照关系表", rules=rules, mapping=mapping,
        rules_sha256=rules_sha, mapping_sha256=mapping_sha, rule_count=len(rules), code_count=len(mapping),
        loaded_by=acting_user if getattr(acting_user, "pk", None) else None)
    record("analytics.sei_table_load", acting_user=acting_user, obj=table,
           changes={"name": table.name, "rules": table.rule_count, "codes": table.code_count,
                    "rules_sha256": rules_sha, "mapping_sha256": mapping_sha})
    if activate:
        activate_sei_table(table, acting_user=acting_user)
    return table


@action
def activate_sei_table(table: SeiTable, *, acting_user) -> SeiTable:
    """Make `table` the version that classifies patents (the previous active one is kept, inactive)."""
    previous = SeiTable.objects.filter(is_active=True).exclude(pk=table.pk).first()
    if previous is not None:
        previous.is_active = False
        previous.save(update_fields=["is_active"])
    table.is_active = True
    table.save(update_fields=["is_active"])
    record("analytics.sei_table_activate", acting_user=acting_user, obj=table,
           changes={"previous": previous.pk if previous else None})
    return table
