"""Demo: the evidence log fills itself from the other steps (receipts and evidence files of the protection demo,
the draws' commitments); this last step anchors the audit chain so far and signs a checkpoint, so that a new user
finds entries with proofs, a signed checkpoint on the public page and packages to download."""
from __future__ import annotations

from ipcity.demo.generator import DemoContext, demo_step
from ipcity.evidence import anchoring, checkpoints


@demo_step(1000, "存证：锚定审计日志并签发检查点")
def evidence(ctx: DemoContext) -> None:
    if not ctx.created:
        return  # a rerun that generated nothing changes nothing (the background worker anchors what others did)
    anchored = 0
    while done := anchoring.anchor_audit():
        anchored += done
    if anchored:
        ctx.count("evidence_anchored_audit_rows", anchored)
    before = checkpoints.latest()
    made = checkpoints.make_checkpoint(acting_user=ctx.acting_user, reason=checkpoints.Checkpoint.Reason.MANUAL)
    if made is not None and made != before:
        ctx.count("evidence_checkpoints")
