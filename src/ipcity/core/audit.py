"""The hash-chained audit log: append (inside the caller's transaction) and verify."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.utils import timezone

from ipcity.core.context import client_ip
from ipcity.core.models import AuditEntry, AuditHead
from ipcity.core.rawsql import insert_row

GENESIS_HASH = "0" * 64


def _canonical(entry: AuditEntry) -> bytes:
    """The bytes a row's hash covers. Changing this format invalidates every existing chain: don't."""
    content = {
        "seq": entry.seq,
        "at": entry.at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "actor_role": entry.actor_role,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "changes": entry.changes,
        "outcome": entry.outcome,
        "ip": entry.ip,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _qn(connection, model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _lock_head(connection) -> tuple[int, str]:
    """Lock the chain's head row (SELECT … FOR UPDATE; SQLite serialises writers anyway) and read it."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = f"SELECT last_seq, last_hash FROM {_qn(connection, AuditHead)} WHERE id = 1{lock}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
        if row is None:
            AuditHead.objects.get_or_create(id=1)
            cursor.execute(sql)
            row = cursor.fetchone()
    return row[0], row[1]


def _json_safe(value):
    """Round-trip through JSON so that what we hash is exactly what the database gives back."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def record(
    action: str,
    *,
    acting_user=None,
    obj=None,
    changes: dict | None = None,
    outcome: str = "success",
    actor_label: str | None = None,
    actor_role: str | None = None,
) -> AuditEntry:
    """Append one audit row. Call it inside the action's transaction so the row commits with the change.

    acting_user None means the platform itself (CLI, seeding, a job nobody submitted): role "system".
    An AnonymousUser (a web visitor) is role "public". actor_label/actor_role override, e.g. for failed logins.
    """
    # Plain SQL for the three statements: every state change of the platform appends here, and the ORM's overhead
    # on them was most of an audited action's cost. savepoint=False: inside an action's transaction a savepoint
    # would only add two round trips per row.
    with transaction.atomic(savepoint=False):
        connection = connections[AuditEntry.objects.db]
        seq, prev_hash = _lock_head(connection)
        if acting_user is not None and getattr(acting_user, "is_authenticated", False):
            actor, label = acting_user, actor_label or acting_user.get_username()
            role = actor_role or getattr(acting_user, "role", "") or ""
        elif acting_user is None:
            actor, label, role = None, actor_label or "系统", actor_role or "system"
        else:
            actor, label, role = None, actor_label or "匿名用户", actor_role or "public"
        entry = AuditEntry(
            seq=seq + 1,
            # Microsecond precision survives every backend we support, so the hash re-computes identically.
            at=timezone.now(),
            actor=actor,
            actor_label=label[:150],
            actor_role=role,
            action=action,
            object_type=obj._meta.label if obj is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=str(obj)[:200] if obj is not None else "",
            changes=_json_safe(changes or {}),
            outcome=outcome,
            ip=client_ip.get(),
            prev_hash=prev_hash,
        )
        entry.entry_hash = compute_hash(entry)
        insert_row(entry, using=connection.alias)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {_qn(connection, AuditHead)} SET last_seq = %s, last_hash = %s WHERE id = 1",
                           [entry.seq, entry.entry_hash])
    return entry


@dataclass
class ChainReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Recompute every row's hash and link; report edited, deleted, inserted or truncated rows (in Chinese)."""
    report = ChainReport()
    expected_prev, expected_seq = GENESIS_HASH, 1
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        report.checked += 1
        if entry.seq != expected_seq:
            report.problems.append(f"第 {expected_seq}–{entry.seq - 1} 条审计记录缺失（可能被删除）")
        if entry.prev_hash != expected_prev:
            report.problems.append(f"第 {entry.seq} 条的前序哈希与上一条不符（链条断裂）")
        if compute_hash(entry) != entry.entry_hash:
            report.problems.append(f"第 {entry.seq} 条审计记录的内容与哈希不符（记录被修改）")
        expected_prev, expected_seq = entry.entry_hash, entry.seq + 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != expected_prev):
        report.problems.append(
            f"审计链头记录到第 {head.last_seq} 条，但表中最后一条是第 {expected_seq - 1} 条（末尾记录被删除或链头被改）"
        )
    return report
