"""The evidence log in the database: appends, the tree files kept in line, checkpoints, anchoring, verification."""
from __future__ import annotations

import datetime as dt

import pytest

from ipcity.core.audit import record
from ipcity.core.models import AuditEntry
from ipcity.evidence import anchoring, checkpoints, merkle, verify
from ipcity.evidence import log as evidence_log
from ipcity.evidence.checkpoint import open_note, parse_checkpoint
from ipcity.evidence.models import Checkpoint, EvidenceEntry

pytestmark = pytest.mark.django_db


def _append(n, kind="test.item"):
    return evidence_log.append_many([evidence_log.Item(kind, {"n": i, "sha256": f"{i:064x}"}) for i in range(n)])


def test_entries_are_dense_and_hash_their_stored_bytes():
    first = _append(3)
    second = evidence_log.append("test.item", {"n": 9})
    assert [e.index for e in first] + [second.index] == [0, 1, 2, 3]
    for entry in EvidenceEntry.objects.all():
        assert merkle.leaf_hash(entry.leaf_data.encode()) == bytes.fromhex(entry.leaf_hash)
        content = entry.content()
        assert content["kind"] == "test.item" and content["recorded_by"] == "system"
    assert evidence_log.head().size == 4


def test_content_may_not_forge_the_reserved_fields():
    with pytest.raises(ValueError):
        evidence_log.append("x", {"recorded_by": "someone else"})


def test_tree_root_and_proofs_match_the_reference():
    entries = _append(37)
    hashes = [bytes.fromhex(e.leaf_hash) for e in entries]
    proof = evidence_log.inclusion_proof(entries[20], 37)
    assert proof.root == merkle.root_from_hashes(hashes)
    merkle.verify_inclusion(hashes[20], 20, 37, proof.path, proof.root)
    old_root = merkle.root_from_hashes(hashes[:11])
    merkle.verify_consistency(11, 37, evidence_log.consistency_proof(11, 37), old_root, proof.root)


def test_tree_files_are_cut_back_where_they_ran_ahead_of_the_entries(settings, tmp_path):
    """Leaves written for a transaction that rolled back (or a restored database) are replaced by the entries'."""
    from ipcity.evidence.tree import TreeStore

    settings.IPCITY_EVIDENCE_DIR = str(tmp_path)
    stale = TreeStore(tmp_path / "tree")
    stale.append([bytes([7]) * 32] * 10)
    stale.close()
    entries = _append(5)
    with evidence_log.locked_tree() as tree:
        assert tree.size == 5
        assert tree.root() == merkle.root_from_hashes([bytes.fromhex(e.leaf_hash) for e in entries])


def test_checkpoint_signs_size_and_root_and_is_not_repeated():
    entries = _append(5)
    checkpoint = checkpoints.make_checkpoint(reason=Checkpoint.Reason.MANUAL)
    text, signers = open_note(checkpoint.note, [evidence_log.signer().verifier()])
    parsed = parse_checkpoint(text)
    assert (parsed.origin, parsed.size) == (evidence_log.head().origin, 5)
    assert parsed.root == merkle.root_from_hashes([bytes.fromhex(e.leaf_hash) for e in entries])
    assert checkpoints.make_checkpoint() == checkpoint  # nothing new: the same checkpoint
    assert checkpoints.covering(entries[4]) == checkpoint
    evidence_log.append("test.item", {"n": 99})
    assert checkpoints.covering(EvidenceEntry.objects.get(index=5)) is None
    now = checkpoint.created_at
    assert not checkpoints.due(now + dt.timedelta(minutes=9))  # the rule's interval, 10 minutes, not yet passed
    assert checkpoints.due(now + dt.timedelta(minutes=10))


def test_entries_and_checkpoints_are_append_only():
    entry = evidence_log.append("test.item", {"n": 1})
    checkpoint = checkpoints.make_checkpoint()
    for obj in (entry, checkpoint):
        with pytest.raises(PermissionError):
            obj.save()
        with pytest.raises(PermissionError):
            obj.delete()
    with pytest.raises(PermissionError):
        EvidenceEntry.objects.all().update(kind="x")


def test_append_only_in_the_database_too():
    from django.db import DatabaseError, connection, transaction

    evidence_log.append("test.item", {"n": 1})
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE evidence_evidenceentry SET kind = 'forged'")


def test_the_audit_chain_is_anchored_and_verified_against_the_log():
    record("test.anchor", changes={"n": 1})
    record("test.anchor", changes={"n": 2})
    total = AuditEntry.objects.count()
    assert anchoring.anchor_audit() == total
    assert anchoring.anchor_audit() == 0
    checkpoints.make_checkpoint()
    report = verify.verify_log()
    assert report.ok, report.problems
    assert (report.anchored, report.unanchored, report.checkpoints) == (total, 0, 1)
    record("test.anchor", changes={"n": 3})
    assert verify.verify_log().unanchored == 1


def _raw(sql, params):
    """Change rows behind the ORM's back, as someone with database access would (triggers dropped first)."""
    from django.db import connection

    table = sql.split()[2] if sql.startswith("DELETE") else sql.split()[1]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            triggers = [r[0] for r in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])]
            ddl = [r[0] for r in cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])]
            for name in triggers:
                cursor.execute(f"DROP TRIGGER {name}")
            cursor.execute(sql, params)
            for statement in ddl:
                cursor.execute(statement)


def test_a_rewritten_audit_chain_contradicts_the_log():
    """Someone edits an audit row and recomputes every hash after it: the chain verifies, the log does not."""
    from ipcity.core.audit import compute_hash, verify_chain

    record("test.anchor", changes={"amount": 100})
    anchoring.anchor_audit()
    checkpoints.make_checkpoint()
    last = AuditEntry.objects.order_by("-seq").first()
    last.changes = {"amount": 1}
    forged = compute_hash(last)
    _raw("UPDATE core_auditentry SET changes = %s, entry_hash = %s WHERE seq = %s",
         ['{"amount": 1}', forged, last.seq])
    _raw("UPDATE core_audithead SET last_hash = %s WHERE id = 1", [forged])
    assert verify_chain().ok
    problems = verify.verify_log().problems
    assert any(f"第 {last.seq} 条审计记录的哈希与存证日志中锚定的不符" in p for p in problems), problems


def test_an_edited_or_deleted_entry_is_detected():
    entries = _append(6)
    checkpoints.make_checkpoint()
    _raw("UPDATE evidence_evidenceentry SET leaf_data = %s WHERE id = %s", ['{"n":0}', entries[2].pk])
    assert any("第 3 条的内容与其叶子哈希不符" in p for p in verify.verify_log().problems)
    forged = merkle.leaf_hash(b'{"n":0}').hex()
    _raw("UPDATE evidence_evidenceentry SET leaf_hash = %s WHERE id = %s", [forged, entries[2].pk])
    assert any("与已签名检查点" in p for p in verify.verify_log().problems)
    _raw("DELETE FROM evidence_evidenceentry WHERE id = %s", [entries[5].pk])
    assert any("末尾记录被删除" in p or "缺失" in p for p in verify.verify_log().problems)


def test_a_forged_checkpoint_signature_is_detected():
    _append(3)
    checkpoint = checkpoints.make_checkpoint()
    forged = checkpoint.note.replace("\n3\n", "\n2\n", 1)
    _raw("UPDATE evidence_checkpoint SET note = %s WHERE id = %s", [forged, checkpoint.pk])
    assert any("签名无效" in p for p in verify.verify_log().problems)


def test_the_worker_writes_new_leaves_to_the_tree_files(settings):
    """Appends leave the files to the background worker's turn (no fsync in a request); reads never wait for it."""
    from pathlib import Path

    from ipcity.evidence import sweeps
    from ipcity.evidence.tree import TreeStore

    _append(4)
    files = Path(settings.IPCITY_EVIDENCE_DIR) / "tree" / "level-00"
    assert not files.exists() or files.stat().st_size == 0  # nothing written by the append itself
    sweeps.anchor_and_checkpoint()
    assert files.stat().st_size == evidence_log.head().size * 32
    assert evidence_log.sync_tree() == 0  # nothing new: one query, no lock
    _append(2)
    assert evidence_log.sync_tree() == 2
    on_disk = TreeStore(files.parent)
    assert on_disk.root() == merkle.root_from_hashes(
        [bytes.fromhex(h) for h in EvidenceEntry.objects.order_by("index").values_list("leaf_hash", flat=True)])
    on_disk.close()
