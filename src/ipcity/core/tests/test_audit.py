"""The audit log: append-only in the ORM and the database, hash-chained, and verification finds tampering."""
from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from ipcity.core.audit import (
    GENESIS_HASH,
    append_prepared,
    compute_hash,
    prepare,
    record,
    verify_chain,
)
from ipcity.core.models import AuditEntry, AuditHead

pytestmark = pytest.mark.django_db


def test_rows_chain_by_hash(world):
    first = record("test.one", acting_user=world.users["city_staff"], changes={"说明": "中文内容"})
    second = record("test.two", acting_user=world.users["city_staff"])
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.entry_hash
    assert compute_hash(AuditEntry.objects.get(pk=first.pk)) == first.entry_hash
    assert AuditHead.objects.get(id=1).last_hash == second.entry_hash
    assert first.actor_role == "city_staff" and first.actor_label == "t_city_staff"


def test_prepared_rows_join_the_chain_later_with_their_own_time_and_address(world):
    import datetime as dt

    from django.contrib.auth.models import AnonymousUser

    from ipcity.core.context import client_ip

    token = client_ip.set("203.0.113.7")
    try:
        prepared = [prepare("test.later", acting_user=AnonymousUser(), actor_label="某电商平台", changes={"n": i})
                    for i in range(3)]
    finally:
        client_ip.reset(token)
    before = record("test.before")
    assert AuditEntry.objects.filter(action="test.later").count() == 0  # nothing in the chain yet
    rows = append_prepared(prepared)
    assert [r.seq for r in rows] == [before.seq + 1, before.seq + 2, before.seq + 3]
    assert rows[0].prev_hash == before.entry_hash and rows[2].entry_hash == AuditHead.objects.get(id=1).last_hash
    stored = AuditEntry.objects.get(pk=rows[1].pk)
    assert stored.ip == "203.0.113.7" and stored.actor_label == "某电商平台" and stored.actor_role == "public"
    assert stored.at == dt.datetime.fromisoformat(prepared[1]["at"]) and stored.changes == {"n": 1}
    assert compute_hash(stored) == stored.entry_hash
    assert verify_chain().ok
    assert append_prepared([]) == []


def test_first_row_links_to_genesis():
    assert AuditEntry.objects.order_by("seq").first().prev_hash == GENESIS_HASH


def test_system_and_anonymous_actors_are_told_apart():
    from django.contrib.auth.models import AnonymousUser

    system = record("test.system", changes={"k": 1})
    assert system.actor is None and system.actor_role == "system" and system.actor_label == "系统"
    visitor = record("test.public", acting_user=AnonymousUser())
    assert visitor.actor is None and visitor.actor_role == "public" and visitor.actor_label == "匿名用户"


def test_orm_refuses_update_and_delete(world):
    entry = record("test.immutable", acting_user=world.users["city_staff"])
    entry.object_repr = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_database_refuses_update_and_delete(world):
    entry = record("test.immutable", acting_user=world.users["city_staff"])
    table = AuditEntry._meta.db_table
    for sql in (f"UPDATE {table} SET object_repr = 'x' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])


def _bypass_triggers_and_execute(sql: str, params: list) -> None:
    """What a DBA with DDL rights could do: drop the guard, then edit rows behind the application's back."""
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_delete")
        else:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute(sql.format(table=table), params)


def test_verify_passes_on_an_untouched_chain(world):
    record("test.ok", acting_user=world.users["city_staff"])
    report = verify_chain()
    assert report.ok, report.problems
    assert report.checked == AuditEntry.objects.count()


def test_verify_detects_an_edited_row(world):
    entry = record("test.target", acting_user=world.users["city_staff"], changes={"amount": 1})
    record("test.after", acting_user=world.users["city_staff"])
    _bypass_triggers_and_execute("UPDATE {table} SET changes = %s WHERE id = %s", ['{"amount": 2}', entry.pk])
    report = verify_chain()
    assert not report.ok
    assert any(f"第 {entry.seq} 条" in p and "被修改" in p for p in report.problems)


def test_verify_detects_a_deleted_row(world):
    middle = record("test.middle", acting_user=world.users["city_staff"])
    record("test.after", acting_user=world.users["city_staff"])
    _bypass_triggers_and_execute("DELETE FROM {table} WHERE id = %s", [middle.pk])
    report = verify_chain()
    assert any("缺失" in p for p in report.problems)


def test_verify_detects_a_truncated_tail(world):
    record("test.before", acting_user=world.users["city_staff"])
    last = record("test.last", acting_user=world.users["city_staff"])
    _bypass_triggers_and_execute("DELETE FROM {table} WHERE id = %s", [last.pk])
    report = verify_chain()
    assert any("末尾" in p for p in report.problems)


def test_verify_detects_a_forged_row_with_recomputed_hash(world):
    """Re-hashing an edited row does not help: the next row's prev_hash no longer matches."""
    entry = record("test.target", acting_user=world.users["city_staff"])
    record("test.after", acting_user=world.users["city_staff"])
    forged = AuditEntry.objects.get(pk=entry.pk)
    forged.object_repr = "伪造"
    new_hash = compute_hash(forged)
    _bypass_triggers_and_execute("UPDATE {table} SET object_repr = %s, entry_hash = %s WHERE id = %s",
                                 ["伪造", new_hash, entry.pk])
    report = verify_chain()
    assert any(f"第 {entry.seq + 1} 条的前序哈希" in p for p in report.problems)
