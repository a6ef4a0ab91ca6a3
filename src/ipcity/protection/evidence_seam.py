"""Where protection work hands hashes to the evidence log (存证). The log itself arrives with the evidence module:
until a sink is registered, `capture` only returns the record it would log. Never pass personal data: a hash, what
it is of, who captured it, when and how (domain reference §6)."""
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


_sinks: list[Callable[[Capture], None]] = []


def register_sink(sink: Callable[[Capture], None]) -> None:
    _sinks.append(sink)


def capture(kind: str, sha256: str, *, subject: str, captured_at: dt.datetime, captured_by: str,
            method: str) -> Capture:
    item = Capture(kind, sha256, subject, captured_at, captured_by, method)
    for sink in _sinks:
        sink(item)
    return item
