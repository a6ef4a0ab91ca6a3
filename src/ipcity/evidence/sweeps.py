"""The evidence log's background work, on every turn of the job worker: anchor new audit rows, write new leaves to
the tree files, then sign a checkpoint when the interval has passed and something was added. Plain reads decide first, so an idle worker never
opens a write transaction (SQLite takes its write lock on BEGIN)."""
from __future__ import annotations

from ipcity.evidence import anchoring, checkpoints
from ipcity.evidence import log as evidence_log
from ipcity.jobs.runner import background_sweep


@background_sweep
def anchor_and_checkpoint() -> int:
    done = anchoring.anchor_audit() if anchoring.has_unanchored() else 0
    evidence_log.sync_tree()  # not counted as work: a turn that only wrote the files need not come round at once
    if checkpoints.due():
        checkpoints.make_checkpoint(reason=checkpoints.Checkpoint.Reason.INTERVAL)
        done += 1
    return done
