"""`ipcity evidence …`: status, checkpoint, export and verify (cli.py parses the arguments and calls these)."""
from __future__ import annotations

import sys
from pathlib import Path


def status(console) -> int:
    from ipcity.evidence import anchoring, checkpoints
    from ipcity.evidence import log as evidence_log

    head = evidence_log.head()
    latest = checkpoints.latest()
    console.print(f"存证日志：{head.origin}（{head.algorithm}），共 {head.size} 条记录", soft_wrap=True)
    console.print(f"日志公钥：{evidence_log.signer().verifier().vkey}", soft_wrap=True, markup=False)
    if latest is None:
        console.print("尚未签发检查点")
    else:
        console.print(f"最新检查点：{latest.size} 条，根哈希 {latest.root_hash}，{latest.created_at:%Y-%m-%d %H:%M:%S}",
                      soft_wrap=True)
    console.print(f"审计日志已锚定到第 {head.audit_anchored_seq} 条，待锚定 {anchoring.unanchored_count()} 条")
    return 0


def checkpoint(console) -> int:
    from ipcity.evidence import anchoring, checkpoints

    anchored = anchoring.anchor_audit(limit=10**9)
    made = checkpoints.make_checkpoint(acting_user=None, reason=checkpoints.Checkpoint.Reason.MANUAL)
    if made is None:
        console.print("存证日志为空，未签发检查点")
        return 0
    console.print(f"已锚定审计记录 {anchored} 条；检查点：{made.size} 条，根哈希 {made.root_hash}", soft_wrap=True)
    console.print(made.note, markup=False, highlight=False)
    return 0


def export(number: int, directory: str, console) -> int:
    from ipcity.evidence.exporting import ExportError, export_package
    from ipcity.evidence.models import EvidenceEntry

    entry = EvidenceEntry.objects.filter(index=number - 1).first()
    if entry is None:
        print(f"没有编号为 {number} 的存证记录", file=sys.stderr)
        return 1
    try:
        path = export_package(entry, Path(directory), acting_user=None)
    except ExportError as exc:
        print(f"导出失败：{exc}", file=sys.stderr)
        return 1
    console.print(f"已导出存证记录 #{number}（{entry.kind_label}）的证据包：{path}", soft_wrap=True)
    console.print(f"验证：cd {path} && python verify.py .", soft_wrap=True, markup=False)
    return 0


def verify(directory: str) -> int:
    """Check a package with the same code its verify.py runs (no database needed)."""
    from ipcity.evidence.standalone import verify_package

    results = verify_package(directory)
    for passed, message in results:
        print(("✓ " if passed else "✗ ") + message)
    ok = bool(results) and all(passed for passed, _ in results)
    print("结论：证据包验证通过" if ok else "结论：证据包验证未通过")
    return 0 if ok else 1


def check_log(console) -> bool:
    """`ipcity check --audit`'s second half: the evidence log, its checkpoints and the audit anchors."""
    from ipcity.evidence.verify import verify_log

    report = verify_log()
    if not report.ok:
        console.print(f"[red]存证日志校验失败（已检查 {report.entries} 条记录、{report.checkpoints} 个检查点）：[/red]",
                      soft_wrap=True)
        for problem in report.problems:
            console.print(f"  - {problem}", soft_wrap=True, markup=False, highlight=False)
        return False
    console.print(f"[green]存证日志完整：{report.entries} 条记录、{report.checkpoints} 个签名检查点均已校验；"
                  f"{report.anchored} 条审计记录与锚定值一致[/green]"
                  + (f"，另有 {report.unanchored} 条新审计记录待后台锚定" if report.unanchored else ""), soft_wrap=True)
    return True
