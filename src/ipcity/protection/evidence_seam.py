"""Where protection work hands hashes to the evidence log (存证). The evidence app registers the sink that appends
them (`ipcity.evidence.sinks`); without one, `capture` only returns the records it would log. Never pass personal
data: a hash, what it is of, who captured it, when and how (domain reference §6). Call inside the transaction that
stores what is captured, so the entries commit with it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Capture:
    kind: str  # "receipt", "attachment", …
    sha256: str
    subject: str  # e.g. the tracking number
    captured_at: dt.datetime
    captured_by: str
    method: str
    obj: object = None  # the record the hash belongs to (e.g. the Submission), linked to the entry
    file_name: str = ""  # the evidence file's name inside an exported package (no personal data)


_sinks: list[Callable[[list[Capture]], None]] = []


def register_sink(sink: Callable[[list[Capture]], None]) -> None:
    if sink not in _sinks:
        _sinks.append(sink)


def capture_many(items: list[Capture]) -> list[Capture]:
    if items:
        for sink in _sinks:
            sink(items)
    return items


def capture(kind: str, sha256: str, *, subject: str, captured_at: dt.datetime, captured_by: str,
            method: str, obj=None, file_name: str = "") -> Capture:
    item = Capture(kind, sha256, subject, captured_at, captured_by, method, obj, file_name)
    capture_many([item])
    return item
