"""Checking the whole evidence log against itself, its signed checkpoints and the audit chain it anchors.

1. Entries: indexes dense from 0, each leaf hash = H(0x00 ‖ stored leaf data), the head's size = the count.
2. Checkpoints: each note's signature verifies with the log's key, and its root equals the root recomputed from the
   entries' leaf hashes at its size (a running compact range: the perfect subtrees of the prefix, folded from the
   right, is RFC 9162's MTH), so no entry below a signed size changed or vanished.
3. The derived tree files agree with the entries (brought in line first, then the root compared).
4. Audit anchors: the anchored audit rows, in seq order, have exactly the `entry_hash` their leaves state.
Problems are reported in Chinese, one per line; nothing is changed but the derived tree files.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from ipcity.core.models import AuditEntry
from ipcity.evidence import log as evidence_log
from ipcity.evidence import merkle
from ipcity.evidence.checkpoint import CheckpointError, open_note, parse_checkpoint
from ipcity.evidence.models import Checkpoint, EvidenceEntry

CHUNK = 5000
MAX_PROBLEMS = 50


@dataclass
class LogReport:
    entries: int = 0
    checkpoints: int = 0
    anchored: int = 0
    unanchored: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, text: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)
        elif len(self.problems) == MAX_PROBLEMS:
            self.problems.append("……问题过多，其余从略")


class _CompactRange:
    """The perfect subtrees covering leaves [0, n), largest first; root() folds them from the right."""

    def __init__(self, algo: str):
        self.h = merkle.hasher(algo)
        self.nodes: list[tuple[int, bytes]] = []  # (height, hash)
        self.size = 0

    def push(self, leaf: bytes) -> None:
        height, node = 0, leaf
        while self.nodes and self.nodes[-1][0] == height:
            _, left = self.nodes.pop()
            node = self.h(b"\x01" + left + node)
            height += 1
        self.nodes.append((height, node))
        self.size += 1

    def root(self) -> bytes:
        if not self.nodes:
            return self.h(b"")
        node = self.nodes[-1][1]
        for _, left in reversed(self.nodes[:-1]):
            node = self.h(b"\x01" + left + node)
        return node


def _check_entries_and_checkpoints(report: LogReport) -> None:
    head = evidence_log.head()
    verifier = evidence_log.signer().verifier()
    checkpoints: dict[int, list[Checkpoint]] = {}
    for checkpoint in Checkpoint.objects.order_by("size", "pk"):
        report.checkpoints += 1
        try:
            text, _ = open_note(checkpoint.note, [verifier])
            parsed = parse_checkpoint(text)
        except CheckpointError as exc:
            report.problem(f"检查点 {checkpoint.pk}（{checkpoint.size} 条）签名无效：{exc}")
            continue
        if parsed.origin != head.origin or parsed.size != checkpoint.size or parsed.root.hex() != checkpoint.root_hash:
            report.problem(f"检查点 {checkpoint.pk} 的签名内容与记录的规模或根哈希不符")
            continue
        checkpoints.setdefault(checkpoint.size, []).append(checkpoint)
    compact = _CompactRange(head.algorithm)
    last = -1
    while True:
        rows = list(EvidenceEntry.objects.filter(index__gt=last).order_by("index")
                    .values_list("index", "leaf_data", "leaf_hash")[:CHUNK])
        if not rows:
            break
        for index, data, stored in rows:
            if index != last + 1:
                report.problem(f"存证记录第 {last + 2}–{index} 条缺失（可能被删除）")
            leaf = merkle.leaf_hash(data.encode("utf-8"), head.algorithm)
            if leaf.hex() != stored:
                report.problem(f"存证记录第 {index + 1} 条的内容与其叶子哈希不符（记录被修改）")
            # The stored hash is what the tree and any proof given out used; a changed content shows above, a
            # changed hash shows against the checkpoints below.
            compact.push(bytes.fromhex(stored))
            for checkpoint in checkpoints.get(compact.size, []):
                if compact.root().hex() != checkpoint.root_hash:
                    report.problem(f"按存证记录重新计算的前 {checkpoint.size} 条根哈希与已签名检查点 {checkpoint.pk} "
                                   "不符（检查点签发后有记录被改动、插入或删除）")
            last = index
            report.entries += 1
    if head.size != report.entries:
        report.problem(f"存证日志头记录为 {head.size} 条，表中实有 {report.entries} 条")
    beyond = [size for size in checkpoints if size > report.entries]
    if beyond:
        report.problem(f"已签名检查点覆盖 {max(beyond)} 条，但表中只有 {report.entries} 条（末尾记录被删除）")
    if report.ok and report.entries:
        with evidence_log.locked_tree() as tree:
            if tree.root(report.entries) != compact.root():
                report.problem("存证树文件与存证记录不一致")


def _check_anchors(report: LogReport) -> None:
    head = evidence_log.head()
    last_index, expected_seq = -1, 1
    while True:
        rows = list(EvidenceEntry.objects.filter(kind="audit", index__gt=last_index).order_by("index")
                    .values_list("index", "leaf_data")[:CHUNK])
        if not rows:
            break
        anchored = [json.loads(data) for _, data in rows]
        seqs = [item["seq"] for item in anchored]
        actual = dict(AuditEntry.objects.filter(seq__gte=min(seqs), seq__lte=max(seqs))
                      .values_list("seq", "entry_hash"))
        for item in anchored:
            seq = item["seq"]
            if seq != expected_seq:
                report.problem(f"审计记录第 {expected_seq} 条起未按顺序锚定（锚定记录缺失）")
            if actual.get(seq) is None:
                report.problem(f"第 {seq} 条审计记录已锚定在存证日志中，但审计表中已不存在（记录被删除）")
            elif actual[seq] != item["entry_hash"]:
                report.problem(f"第 {seq} 条审计记录的哈希与存证日志中锚定的不符（审计链被改写）")
            expected_seq = seq + 1
            report.anchored += 1
        last_index = rows[-1][0]
    if report.anchored and head.audit_anchored_seq != expected_seq - 1:
        report.problem(f"存证日志头记录锚定到第 {head.audit_anchored_seq} 条审计记录，实际锚定到第 {expected_seq - 1} 条")
    report.unanchored = AuditEntry.objects.filter(seq__gt=head.audit_anchored_seq).count()


def verify_log() -> LogReport:
    report = LogReport()
    _check_entries_and_checkpoints(report)
    _check_anchors(report)
    return report
