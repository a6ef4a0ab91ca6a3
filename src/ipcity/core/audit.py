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


def _actor(acting_user, actor_label: str | None, actor_role: str | None) -> tuple[object, str, str]:
    if acting_user is not None and getattr(acting_user, "is_authenticated", False):
        role = actor_role or getattr(acting_user, "role", "") or ""
        return acting_user, actor_label or acting_user.get_username(), role
    if acting_user is None:
        return None, actor_label or "系统", actor_role or "system"
    return None, actor_label or "匿名用户", actor_role or "public"


def prepare(action: str, *, acting_user=None, obj=None, changes: dict | None = None, outcome: str = "success",
            actor_label: str | None = None, actor_role: str | None = None, at: dt.datetime | None = None) -> dict:
    """An audit row's content, not yet in the chain: everything `record` would write but its place (seq, hashes).
    For a change that must not wait for the chain's lock (the public intake): it keeps this with the changed row,
    and a later transaction appends it with `append_prepared`. JSON-safe, so it can be stored as it is."""
    actor, label, role = _actor(acting_user, actor_label, actor_role)
    return {
        "at": (at or timezone.now()).isoformat(),
        "actor_id": actor.pk if actor is not None else None,
        "actor_label": label[:150],
        "actor_role": role,
        "action": action,
        "object_type": obj._meta.label if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None and obj.pk is not None else "",
        "object_repr": str(obj)[:200] if obj is not None else "",
        "changes": _json_safe(changes or {}),
        "outcome": outcome,
        "ip": client_ip.get(),
    }


def _entries(connection, prepared: list[dict]) -> list[AuditEntry]:
    """Chain prepared rows after the current head (locked until the caller's transaction ends) and move the head."""
    seq, prev_hash = _lock_head(connection)
    entries = []
    for item in prepared:
        seq += 1
        at = item["at"]
        # A prepared row keeps the time it was prepared at; `record`'s row is timed under the lock, in seq order.
        # Microsecond precision survives every backend we support, so the hash re-computes identically.
        at = timezone.now() if at is None else dt.datetime.fromisoformat(at) if isinstance(at, str) else at
        entry = AuditEntry(seq=seq, prev_hash=prev_hash, **{**item, "at": at})
        entry.entry_hash = prev_hash = compute_hash(entry)
        entries.append(entry)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_qn(connection, AuditHead)} SET last_seq = %s, last_hash = %s WHERE id = 1",
                       [seq, prev_hash])
    return entries


def append_prepared(prepared: list[dict]) -> list[AuditEntry]:
    """Append rows made by `prepare`, in order, in one statement (call inside the transaction that makes them
    true). Each keeps the time it was prepared at; its place in the chain is the time it was appended."""
    if not prepared:
        return []
    with transaction.atomic(savepoint=False):
        connection = connections[AuditEntry.objects.db]
        entries = _entries(connection, prepared)
        AuditEntry.objects.using(connection.alias).bulk_create(entries)
    return entries


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
    item = prepare(action, acting_user=acting_user, obj=obj, changes=changes, outcome=outcome,
                   actor_label=actor_label, actor_role=actor_role)
    item["at"] = None
    with transaction.atomic(savepoint=False):
        connection = connections[AuditEntry.objects.db]
        (entry,) = _entries(connection, [item])
        insert_row(entry, using=connection.alias)
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
