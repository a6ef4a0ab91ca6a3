"""The evidence log's sink for the protection module's captures (registered in apps.ready): every acceptance
receipt and every evidence file becomes an entry whose leaf names the file(s) by SHA-256, with who captured it,
when and how — the shape an evidence package checks (`package.leaf_data`)."""
from __future__ import annotations

import datetime as dt

from ipcity.evidence import log as evidence_log
from ipcity.protection.evidence_seam import Capture


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def content_of(capture: Capture) -> dict:
    return {"subject": capture.subject, "captured_at": _utc(capture.captured_at), "captured_by": capture.captured_by,
            "method": capture.method,
            "files": [{"name": capture.file_name or f"{capture.kind}-{capture.sha256[:16]}", "sha256": capture.sha256}]}


def protection_sink(captures: list[Capture]) -> None:
    evidence_log.append_many([evidence_log.Item(f"protection.{c.kind}", content_of(c), c.obj) for c in captures])
