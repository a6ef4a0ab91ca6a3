"""Anchoring the foundation's audit chain in the evidence log: every audit row's `entry_hash` becomes a leaf
(kind "audit", with its seq), in seq order, by the background worker shortly after the row commits.

The audit chain alone detects an edited row only as long as nobody recomputed the hashes after it; once its rows
are leaves under signed checkpoints, rewriting the chain also contradicts the log (`verify.verify_log`, run by
`ipcity check --audit`). Audit rows commit in seq order (their appends are serialised on the chain's head), so
anchoring "every row after the last anchored seq" never skips one that commits later.
"""
from __future__ import annotations

from django.db import transaction

from ipcity.core.models import AuditEntry
from ipcity.evidence import log as evidence_log
from ipcity.evidence.models import LogHead

BATCH = 5000


def anchor_audit(limit: int = BATCH) -> int:
    """Anchor up to `limit` audit rows not yet in the log; -> how many."""
    with transaction.atomic():
        head = evidence_log.head(lock=True)
        rows = list(AuditEntry.objects.filter(seq__gt=head.audit_anchored_seq).order_by("seq")
                    .values_list("seq", "entry_hash")[:limit])
        if not rows:
            return 0
        evidence_log.append_many([evidence_log.Item("audit", {"seq": seq, "entry_hash": entry_hash})
                                  for seq, entry_hash in rows])
        LogHead.objects.filter(pk=1).update(audit_anchored_seq=rows[-1][0])
    return len(rows)


def unanchored_count() -> int:
    return AuditEntry.objects.filter(seq__gt=evidence_log.head().audit_anchored_seq).count()


def has_unanchored() -> bool:
    return AuditEntry.objects.filter(seq__gt=evidence_log.head().audit_anchored_seq).exists()
