"""Streaming rows out of CSV, XLSX and XLS files, with the header row found by the caller's predicate.

- CSV: the csv module, one row at a time; encoding UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030;
  delimiter comma, tab or semicolon, from the header line. A trailing delimiter on every row (Patentics) gives an
  empty extra cell that is dropped; non-empty cells beyond the header are kept as "列N".
- XLSX: openpyxl read_only + data_only (cached formula values, e.g. a HYPERLINK's text). Exports that declare a wrong
  sheet dimension (incoPat writes "A1") are read after reset_dimensions(). Memory stays flat except for the shared
  strings table, which openpyxl loads whole (it is small for these exports: incoPat writes inline strings).
- XLS (legacy): python-calamine, which loads the sheet whole — bounded by the format's 65,536 rows.

Rows are numbered from 1 at the first row after the header; completely empty rows are skipped (their numbers are
not reused). Duplicate headers get a suffix: "申请日", "申请日_2", "申请日_3".
"""
from __future__ import annotations

import codecs
import csv
import sys
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .normalise import cell_text
from .record import ReaderError

__all__ = ["HEADER_SCAN_ROWS", "Row", "Table", "open_table", "table_kind"]

HEADER_SCAN_ROWS = 20  # a header may follow a few lines of export metadata
CSV_FIELD_LIMIT = 64 * 1024 * 1024  # full-text cells (说明书) exceed the csv module's default 128 KiB
_SAMPLE_BYTES = 256 * 1024


@dataclass
class Row:
    number: int
    values: list
    index: dict  # header key → position
    error: str | None = None  # the row could not be parsed at all (a broken CSV line)
    all_text: bool = False  # every value is already a str (CSV)

    def get(self, key: str):
        pos = self.index.get(key)
        if pos is None or pos >= len(self.values):
            return None
        value = self.values[pos]
        return None if value == "" else value

    def text(self, key: str) -> str:
        return cell_text(self.get(key)).strip()

    def raw(self) -> dict:
        values = self.values
        if self.all_text and len(values) == len(self.index):
            return dict(zip(self.index, values))  # CSV rows: already text, in header order
        return {key: cell_text(values[pos]) if pos < len(values) else "" for key, pos in self.index.items()}


@dataclass
class Table:
    path: Path
    headers: list[str]  # unique keys, in column order
    rows: Iterator[Row]
    sheet: str | None = None


def table_kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".xls":
        return "xls"
    return None


def unique_headers(cells: list) -> list[str]:
    seen: dict[str, int] = {}
    headers = []
    for pos, cell in enumerate(cells, start=1):
        name = cell_text(cell).replace("\ufeff", "").strip() or f"列{pos}"
        count = seen.get(name, 0) + 1
        seen[name] = count
        headers.append(name if count == 1 else f"{name}_{count}")
    return headers


def _rows_after_header(path: Path, rows: Iterator[list], is_header: Callable[[list[str]], bool],
                       sheet: str | None = None, all_text: bool = False) -> Table | None:
    """Find the header among the first HEADER_SCAN_ROWS rows; None when there is none."""
    for _ in range(HEADER_SCAN_ROWS):
        try:
            cells = next(rows)
        except StopIteration:
            return None
        if isinstance(cells, _BadRow):
            continue
        texts = [cell_text(c).replace("\ufeff", "").strip() for c in cells]
        while texts and not texts[-1]:
            texts.pop()
        if texts and is_header(texts):
            headers = unique_headers(texts)
            return Table(path=path, headers=headers, rows=_data_rows(rows, headers, all_text), sheet=sheet)
    return None


def _blank(cells: list, all_text: bool) -> bool:
    if all_text:
        return not "".join(cells).strip()
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _data_rows(rows: Iterator[list], headers: list[str], all_text: bool = False) -> Iterator[Row]:
    width = len(headers)
    index = {h: i for i, h in enumerate(headers)}
    wide_index: dict[int, dict] = {}
    number = 0
    for cells in rows:
        number += 1
        if isinstance(cells, _BadRow):
            yield Row(number=number, values=[], index={}, error=str(cells))
            continue
        cells = list(cells)
        while len(cells) > width and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        if _blank(cells, all_text):
            continue
        if len(cells) > width:
            row_index = wide_index.get(len(cells))
            if row_index is None:
                row_index = dict(index)
                row_index.update({f"列{i + 1}": i for i in range(width, len(cells))})
                wide_index[len(cells)] = row_index
            yield Row(number=number, values=cells, index=row_index, all_text=all_text)
        else:
            yield Row(number=number, values=cells, index=index, all_text=all_text)


class _BadRow(str):
    """A CSV line the csv module could not parse; its text is the error message."""


# --- CSV -------------------------------------------------------------------------------------------------------------


def _sniff_encoding(path: Path) -> str:
    with path.open("rb") as f:
        sample = f.read(_SAMPLE_BYTES)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < _SAMPLE_BYTES)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"


def _csv_rows(path: Path, handle, reader) -> Iterator[list]:
    line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield _BadRow(f"CSV 格式错误（第 {reader.line_num} 行附近）：{exc}")
            continue
        except UnicodeDecodeError:
            raise ReaderError(path, f"第 {line + 1} 行附近的文字编码无法识别（文件开头按 {handle.encoding} 读取），"
                                    "请另存为 UTF-8 编码的 CSV") from None
        line = reader.line_num
        yield row


@contextmanager
def _open_csv(path: Path, is_header):
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(min(CSV_FIELD_LIMIT, sys.maxsize))
    encoding = _sniff_encoding(path)
    with path.open("r", encoding=encoding, newline="") as handle:
        first = handle.readline()
        delimiter = max((",", "\t", ";"), key=first.count) if first else ","
        handle.seek(0)
        reader = csv.reader(handle, delimiter=delimiter)
        table = _rows_after_header(path, _csv_rows(path, handle, reader), is_header, all_text=True)
        if table is None:
            raise ReaderError(path, "找不到表头行（前 20 行中没有可识别的列名），或文件为空")
        yield table


# --- XLSX ------------------------------------------------------------------------------------------------------------


@contextmanager
def _open_xlsx(path: Path, is_header):
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Workbook contains no default style"
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ReaderError(path, f"不是有效的 XLSX 文件（{exc.__class__.__name__}）") from None
    try:
        table = None
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible" and len(workbook.worksheets) > 1:
                continue
            sheet.reset_dimensions()
            table = _rows_after_header(path, sheet.iter_rows(values_only=True), is_header, sheet=sheet.title)
            if table is not None:
                break
        if table is None:
            raise ReaderError(path, "找不到表头行（各工作表前 20 行中没有可识别的列名），或文件为空")
        yield table
    finally:
        workbook.close()


# --- XLS -------------------------------------------------------------------------------------------------------------


@contextmanager
def _open_xls(path: Path, is_header):
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - python-calamine is installed with the project
        raise ReaderError(path, "不支持旧版 .xls 文件，请另存为 .xlsx 或 .csv") from None
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise ReaderError(path, f"不是有效的 XLS 文件（{exc}）") from None
    table = None
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        table = _rows_after_header(path, iter(sheet.to_python(skip_empty_area=False)), is_header, sheet=name)
        if table is not None:
            break
    if table is None:
        raise ReaderError(path, "找不到表头行（各工作表前 20 行中没有可识别的列名），或文件为空")
    yield table


def open_table(path, is_header: Callable[[list[str]], bool] | None = None):
    """Context manager yielding a Table; `is_header(cells)` picks the header row (default: the first non-empty row)."""
    path = Path(path)
    predicate = is_header or (lambda cells: any(cells))
    kind = table_kind(path)
    if not path.exists():
        raise ReaderError(path, "文件不存在")
    if not path.is_file():
        raise ReaderError(path, "不是文件")
    if kind == "csv":
        return _open_csv(path, predicate)
    if kind == "xlsx":
        return _open_xlsx(path, predicate)
    if kind == "xls":
        return _open_xls(path, predicate)
    raise ReaderError(path, f"不支持的文件类型「{path.suffix or '无扩展名'}」，请使用 CSV、XLSX 或 XLS")


def header_cells(path, is_header: Callable[[list[str]], bool] | None = None) -> list[str]:
    """The header row of a table (for format detection)."""
    with open_table(path, is_header) as table:
        return table.headers


def read_sample(path: Path, size: int = 4096) -> bytes:
    with path.open("rb") as f:
        return f.read(size)


# --- column resolution -------------------------------------------------------------------------------------------

def canon(header: str) -> str:
    """Header key for matching: NFKC (（）→ ()), no whitespace, lower case ("标题 (中文)" == "标题(中文)")."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", header).split()).lower()


class Columns:
    """Which header of this file holds each field, given alternative names per field (first match wins)."""

    def __init__(self, headers: list[str], aliases: dict[str, tuple[str, ...]]):
        by_canon: dict[str, str] = {}
        for header in headers:
            by_canon.setdefault(canon(header), header)
        self.headers = headers
        self.key: dict[str, str | None] = {}
        used: set[str] = set()
        for field, names in aliases.items():
            found = next((by_canon[canon(n)] for n in names if canon(n) in by_canon), None)
            self.key[field] = found
            if found:
                used.add(found)
                used.update(h for h in headers if h.startswith(f"{found}_") and h[len(found) + 1:].isdigit())
        self.used = used
        self.unused = [h for h in headers if h not in used]
        self._index: dict | None = None  # positions cached for the index dict rows share
        self._pos: dict[str, int | None] = {}

    def __contains__(self, field: str) -> bool:
        return self.key.get(field) is not None

    def get(self, row: Row, field: str):
        index = row.index
        if index is not self._index:
            self._index = index
            self._pos = {f: (index.get(k) if k else None) for f, k in self.key.items()}
        pos = self._pos.get(field)
        if pos is None or pos >= len(row.values):
            return None
        value = row.values[pos]
        return None if value == "" else value

    def text(self, row: Row, field: str) -> str:
        value = self.get(row, field)
        if value is None:
            return ""
        return (value if type(value) is str else cell_text(value)).strip()


def has_headers(headers, *names: str) -> bool:
    present = {canon(h) for h in headers}
    return all(canon(n) in present for n in names)


def has_any_header(headers, *names: str) -> bool:
    present = {canon(h) for h in headers}
    return any(canon(n) in present for n in names)
