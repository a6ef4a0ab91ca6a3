"""Exporting one entry as an evidence package (`package.write_package`): its files, its leaf, its inclusion proof
under the smallest signed checkpoint that holds it (one is signed now when none does yet), the checkpoint, and the
standalone verifier. A module whose entries name files registers where their bytes come from (`provides`).
"""
from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from ipcity.core.actions import action, record
from ipcity.evidence import checkpoints
from ipcity.evidence import log as evidence_log
from ipcity.evidence.models import Checkpoint, EvidenceEntry
from ipcity.evidence.package import write_package

_providers: dict[str, Callable[[EvidenceEntry], dict[str, bytes]]] = {}


class ExportError(ValueError):
    """An entry whose package cannot be written (message in Chinese)."""


def provides(kind: str):
    """Register `func(entry) -> {file name: bytes}` for the files the entries of `kind` name."""
    def decorator(func):
        _providers[kind] = func
        return func

    return decorator


def files_for(entry: EvidenceEntry) -> dict[str, bytes]:
    named = [item["name"] for item in entry.content().get("files", [])]
    if not named:
        return {}
    provider = _providers.get(entry.kind)
    if provider is None:
        raise ExportError(f"无法导出“{entry.kind_label}”类存证记录的文件")
    files = provider(entry)
    missing = [name for name in named if name not in files]
    if missing:
        raise ExportError(f"证据文件缺失：{'、'.join(missing)}")
    return {name: files[name] for name in named}


@provides("protection.receipt")
def _receipt(entry: EvidenceEntry) -> dict[str, bytes]:
    from ipcity.protection.models import Submission
    from ipcity.protection.registration import receipt_fields

    submission = Submission.objects.get(pk=entry.subject_id)
    # The bytes the receipt's digest covers (registration._digest): the receipt's content as sorted JSON.
    data = json.dumps(receipt_fields(submission), sort_keys=True, ensure_ascii=False).encode()
    return {entry.content()["files"][0]["name"]: data}


@provides("protection.attachment")
def _attachment(entry: EvidenceEntry) -> dict[str, bytes]:
    from ipcity.core.files import read_bytes
    from ipcity.core.models import StoredFile

    item = entry.content()["files"][0]
    stored = StoredFile.objects.filter(sha256=item["sha256"]).first()
    return {item["name"]: read_bytes(stored)} if stored is not None else {}


@action
def export_package(entry: EvidenceEntry, directory: Path, *, acting_user) -> Path:
    """Write the entry's evidence package into `directory` (created; must be empty or absent)."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise ExportError(f"目录 {directory} 不是空目录")
    files = files_for(entry)
    checkpoint = checkpoints.covering(entry) or checkpoints.make_checkpoint(acting_user=acting_user,
                                                                            reason=Checkpoint.Reason.EXPORT)
    log = evidence_log.head()
    proof = evidence_log.inclusion_proof(entry, checkpoint.size)
    if proof.root.hex() != checkpoint.root_hash:
        raise ExportError("存证树与已签名检查点不一致，请先运行 ipcity check --audit")
    stamp = checkpoint.timestamps.order_by("pk").first()
    write_package(directory, origin=log.origin, algo=log.algorithm, index=entry.index,
                  leaf=entry.leaf_data.encode("utf-8"), proof=proof.path, tree_size=checkpoint.size,
                  root=proof.root, files=files, signer=evidence_log.signer(log),
                  timestamp=bytes(stamp.token) if stamp else None, timestamp_authority=stamp.authority if stamp else "")
    record("evidence.export", acting_user=acting_user, obj=entry,
           changes={"index": entry.index, "checkpoint_size": checkpoint.size, "files": sorted(files)})
    return directory


def package_zip(entry: EvidenceEntry, *, acting_user) -> bytes:
    """The package as a ZIP (for download), written through `export_package` so the export is audited."""
    with tempfile.TemporaryDirectory(prefix="ipcity-evidence-") as tmp:
        root = Path(tmp) / f"evidence-{entry.number}"
        export_package(entry, root, acting_user=acting_user)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.write(path, f"{root.name}/{path.relative_to(root).as_posix()}")
        return buffer.getvalue()
