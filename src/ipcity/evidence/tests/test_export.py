"""Protection's captures land in the log; an entry's package verifies with its own verifier in a clean Python."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from io import BytesIO

import pytest

from ipcity.evidence import exporting
from ipcity.evidence import log as evidence_log
from ipcity.evidence.models import EvidenceEntry
from ipcity.protection.tests.helpers import make_submission

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _verify(directory) -> subprocess.CompletedProcess:
    # -I -S: no site-packages, no user site, no environment — the standard library alone, as a court's machine.
    return subprocess.run([sys.executable, "-I", "-S", "verify.py", "."], cwd=directory, capture_output=True,
                          text=True, timeout=60)


def test_a_submission_logs_its_receipt_and_each_attachment(world):
    submission = make_submission(attachments=[("现场照片.png", PNG)])
    entries = list(evidence_log.entries_for(submission))
    assert [e.kind for e in entries] == ["protection.receipt", "protection.attachment"]
    receipt, attachment = (e.content() for e in entries)
    assert receipt["files"] == [{"name": f"receipt-{submission.tracking_number}.json",
                                 "sha256": submission.receipt_digest}]
    assert attachment["files"][0]["name"].endswith(".png") and "现场" not in attachment["files"][0]["name"]
    # no personal data in a leaf: the submitter's name and phone are nowhere in it
    for entry in entries:
        assert "赵六" not in entry.leaf_data and "13912345678" not in entry.leaf_data


def test_an_exported_package_verifies_and_a_tampered_one_does_not(world, tmp_path):
    submission = make_submission(attachments=[("合同.pdf", b"%PDF-1.4\n" + b"x" * 100)])
    receipt, attachment = evidence_log.entries_for(submission)
    for entry in (receipt, attachment):
        directory = exporting.export_package(entry, tmp_path / f"p{entry.index}", acting_user=world.user("city_staff"))
        result = _verify(directory)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "结论：证据包验证通过" in result.stdout
    directory = tmp_path / f"p{attachment.index}"
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    assert (directory / "checkpoint.txt").read_text(encoding="utf-8") == \
        exporting.checkpoints.covering(attachment).note
    (name,) = [f["name"] for f in attachment.content()["files"]]
    (directory / "files" / name).write_bytes(b"%PDF-1.4\n" + b"y" * 100)
    result = _verify(directory)
    assert result.returncode == 1 and "与存证记录" in result.stdout
    assert manifest["entry"]["index"] == attachment.index


def test_export_is_audited_and_zipped(world):
    from ipcity.core.models import AuditEntry

    submission = make_submission()
    (receipt,) = evidence_log.entries_for(submission)
    data = exporting.package_zip(receipt, acting_user=world.user("city_staff"))
    names = zipfile.ZipFile(BytesIO(data)).namelist()
    assert f"evidence-{receipt.number}/verify.py" in names
    assert f"evidence-{receipt.number}/files/receipt-{submission.tracking_number}.json" in names
    assert AuditEntry.objects.filter(action="evidence.export", object_id=str(receipt.pk)).exists()


def test_an_entry_without_files_exports_its_leaf_and_proof(world, tmp_path):
    entry = evidence_log.append("audit", {"seq": 1, "entry_hash": "0" * 64})
    directory = exporting.export_package(entry, tmp_path / "p", acting_user=world.user("auditor"))
    assert _verify(directory).returncode == 0
    assert not list((directory / "files").iterdir())


def test_export_refuses_a_directory_in_use(world, tmp_path):
    entry = EvidenceEntry.objects.first() or evidence_log.append("audit", {"seq": 1, "entry_hash": "0" * 64})
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "other").write_text("x")
    with pytest.raises(exporting.ExportError):
        exporting.export_package(entry, tmp_path / "p", acting_user=world.user("auditor"))
