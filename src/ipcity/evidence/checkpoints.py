"""Signed checkpoints of the evidence log: at an interval (rule `evidence.checkpoint_interval_minutes`, by the
background worker), on demand (staff), and when a package is exported for an entry no checkpoint covers yet.

A checkpoint is the C2SP checkpoint text (origin, size, base64 root) in a signed note, Ed25519 with the
installation's evidence key. When a timestamp authority is configured (IPCITY_TSA_URL), each new checkpoint's note
is then timestamped per RFC 3161 (`timestamp.py`; the nonce is sent and required back) and the token kept beside it
(`CheckpointTimestamp`).
"""
from __future__ import annotations

import base64
import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ipcity.core import rules
from ipcity.core.audit import record
from ipcity.evidence import log as evidence_log
from ipcity.evidence.checkpoint import Checkpoint as CheckpointText
from ipcity.evidence.checkpoint import format_checkpoint, sign_note
from ipcity.evidence.models import Checkpoint, CheckpointTimestamp, EvidenceEntry

logger = logging.getLogger(__name__)

INTERVAL = rules.declare("evidence.checkpoint_interval_minutes", 10,
                         "存证日志定时签发检查点的间隔（分钟）；有新记录时才签发")


def latest() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size", "-pk").first()


def covering(entry: EvidenceEntry) -> Checkpoint | None:
    """The smallest checkpoint whose tree holds the entry."""
    return Checkpoint.objects.filter(size__gt=entry.index).order_by("size", "pk").first()


def make_checkpoint(*, acting_user=None, reason: str = Checkpoint.Reason.MANUAL) -> Checkpoint | None:
    """Sign the log's current size and root; the latest checkpoint when nothing was added since (None: empty log)."""
    with transaction.atomic():
        log = evidence_log.head(lock=True)
        current = latest()
        if log.size == 0:
            return None
        if current is not None and current.size == log.size:
            return current
        with evidence_log.locked_tree() as tree:
            root = tree.root(log.size)
        note = sign_note(format_checkpoint(CheckpointText(log.origin, log.size, root)), [evidence_log.signer()])
        checkpoint = Checkpoint.objects.create(size=log.size, root_hash=root.hex(), note=note,
                                               created_at=timezone.now(), reason=reason,
                                               actor=acting_user if getattr(acting_user, "is_authenticated", False)
                                               else None)
        # A checkpoint the worker signs on its interval is not audited: its audit row would be anchored as a new
        # entry, which would call for another checkpoint, for ever. The table itself is append-only and signed.
        if acting_user is not None:
            record("evidence.checkpoint", acting_user=acting_user, obj=checkpoint,
                   changes={"size": checkpoint.size, "root": checkpoint.root_hash, "reason": reason})
        if settings.IPCITY_TSA_URL:
            transaction.on_commit(lambda: timestamp_checkpoint(checkpoint))
    return checkpoint


def due(now: dt.datetime | None = None) -> bool:
    current = latest()
    log = evidence_log.head()
    if log.size == 0 or (current is not None and current.size == log.size):
        return False
    now = now or timezone.now()
    return current is None or now - current.created_at >= dt.timedelta(minutes=INTERVAL.get())


def timestamp_checkpoint(checkpoint: Checkpoint) -> CheckpointTimestamp | None:
    """Ask the configured TSA for a token over the checkpoint's signed note (after the commit, outside any lock),
    checked against the TSA's certificate (IPCITY_TSA_CERT, and IPCITY_TSA_CA when the certificate is not pinned
    alone). A failure is logged and the next checkpoint tries again: the signature stands on its own."""
    from ipcity.evidence import timestamp

    try:
        certificate = Path(settings.IPCITY_TSA_CERT).read_bytes() if settings.IPCITY_TSA_CERT else None
        ca = Path(settings.IPCITY_TSA_CA).read_bytes() if settings.IPCITY_TSA_CA else None
        algo = "sm3" if evidence_log.head().algorithm == "sm3" else "sha256"
        token = timestamp.request_token(settings.IPCITY_TSA_URL, checkpoint.note.encode("utf-8"), hash_algo=algo,
                                        tsa_certificate_pem=certificate, ca_pem=ca)
    except (OSError, timestamp.TimestampError):
        logger.exception("RFC 3161 timestamp for checkpoint %s failed", checkpoint.pk)
        return None
    return CheckpointTimestamp.objects.create(checkpoint=checkpoint, token=token.der, gen_time=token.info.gen_time,
                                              authority=settings.IPCITY_TSA_URL[:300],
                                              serial=str(token.info.serial)[:80])


def root_b64(checkpoint: Checkpoint) -> str:
    return base64.b64encode(bytes.fromhex(checkpoint.root_hash)).decode()
