"""Patent export readers: Patentics (CSV, full-text XLSX), incoPat (XLSX/CSV/XLS), CNIPA bulk XML, and any
table through a column mapping.

    for item in read_records(path):            # format detected from headers / XML root
        if isinstance(item, RowError): ...     # item.row_number, item.reasons (Chinese), item.raw
        else: ...                              # a PatentRecord

Pure Python (no Django ORM or settings; only django.core.exceptions through the project's validators), streaming:
one row or XML document at a time, memory flat whatever the file size.

Rejected rows (RowError, every reason listed): a missing or invalid application number (a CN number with a wrong
check digit says so: "申请号校验位错误：应为 7，实际为 5"), an invalid CN publication number, an impossible date
(2022-13-45, later than today, before 1790), a publication or grant date before the application date, a priority
date after it, a CN application dated before 1985-04-01, an invalid USCC in a mapped column.
Non-fatal findings (an IPC symbol given only to the 小类, an unknown legal status, a bad count) are listed in
PatentRecord.warnings; the raw row is always kept in .raw.

Duplicates: every reader yields what the file lists. Patentics CSV lists each application once; the Patentics
full-text export lists the A publication (and names the B among 同族, added to publications); incoPat lists one row
per publication document, so an application may come twice (A and B); CNIPA XML has one file per document. Merging
by application number is the pipeline's job.

legal_status vocabulary (normalise.LEGAL_STATUSES): 有效 (in force), 审中 (published / under examination / PCT
period open), 失效 (rejected, withdrawn, abandoned, lapsed, expired, invalidated, PCT period ended), 未确认 (a
status the reader does not know; with a warning). legal_status_raw keeps the source's text.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .cnipa_xml import read_cnipa_xml
from .detect import detect_format
from .generic import GENERIC_FIELDS, read_generic
from .incopat import read_incopat
from .normalise import LEGAL_STATUSES
from .patentics import read_patentics
from .record import Party, PatentRecord, ReaderError, RowError

__all__ = [
    "FORMATS",
    "GENERIC_FIELDS",
    "LEGAL_STATUSES",
    "Party",
    "PatentRecord",
    "ReaderError",
    "RowError",
    "detect_format",
    "read_records",
]

FORMATS = ("patentics", "incopat", "cnipa-xml", "generic")
_READERS = {"patentics": read_patentics, "incopat": read_incopat, "cnipa-xml": read_cnipa_xml}


def read_records(path, format: str = "auto", mapping: dict | None = None) -> Iterator[PatentRecord | RowError]:
    """Stream the records of one export file (or CNIPA XML directory/archive).

    format "auto" detects the format — or, when a mapping is given, reads the file as "generic" with it. A mapping
    with any other format is refused (it would be ignored). File-level problems raise ReaderError: at once for a bad
    format or mapping, while iterating for an unreadable file, a missing header or a file without data rows.
    """
    path = Path(path)
    if format == "auto":
        format = "generic" if mapping else detect_format(path)
    if format not in FORMATS:
        raise ReaderError(path, f"未知的格式「{format}」，可选：{'、'.join(FORMATS)}")
    if format == "generic":
        from .generic import validate_mapping

        validate_mapping(path, mapping)
        items = read_generic(path, mapping)
    else:
        if mapping:
            raise ReaderError(path, f"列映射只用于通用表格（generic），不能用于 {format} 格式")
        items = _READERS[format](path)
    return _not_empty(path, items)


def _not_empty(path: Path, items: Iterator) -> Iterator:
    count = 0
    for item in items:
        count += 1
        yield item
    if count == 0:
        raise ReaderError(path, "没有数据行")
