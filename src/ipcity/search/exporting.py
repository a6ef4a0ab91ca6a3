"""A result set as an XLSX workbook: one row per patent, read from the database in chunks (constant memory).

Sheet "检索结果" holds the patents in the order of the search; sheet "检索条件" says what was searched, when, by
whom, how many matched and how many were written. Text is always written as text: a title that begins with "="
stays a title and never becomes a formula (spreadsheet injection).
"""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ipcity.core.scoping import visible
from ipcity.core.xlsx import text_cell

CHUNK = 1000
COLUMNS = [("申请号", 20), ("名称", 40), ("专利类型", 10), ("申请日", 12), ("公开（公告）号", 30), ("公开日", 12),
           ("授权日", 12), ("申请人", 36), ("专利权人", 36), ("发明人", 30), ("代理机构", 24), ("主分类号", 14),
           ("IPC", 30), ("法律状态", 10), ("归属地区", 14), ("摘要", 60)]
_HEADER_FONT = Font(name="黑体", bold=True)


_text = text_cell  # never a formula, whatever the text begins with


def _date(ws, value: dt.date | None):
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value)
    cell.number_format = "yyyy-mm-dd"
    return cell


def _rows(ws, numbers: list[str], user):
    """Worksheet rows for one chunk of application numbers, in the given order (out-of-scope ones left out)."""
    from ipcity.ipdata.models import Patent

    patents = {p.application_number: p for p in visible(Patent, user).filter(application_number__in=numbers)
               .select_related("region").prefetch_related("parties", "publications")}
    for number in numbers:
        p = patents.get(number)
        if p is None:
            continue
        by_role: dict[str, list[str]] = {}
        for party in sorted(p.parties.all(), key=lambda x: (x.role, x.order)):
            by_role.setdefault(party.role, []).append(party.name)
        publications = sorted(p.publications.all(), key=lambda x: (x.date or dt.date.min, x.number))
        yield [_text(ws, p.application_number), _text(ws, p.title), _text(ws, p.patent_type),
               _date(ws, p.application_date), _text(ws, "；".join(x.number for x in publications)),
               _date(ws, p.publication_date), _date(ws, p.grant_date),
               _text(ws, "；".join(by_role.get("applicant", []))), _text(ws, "；".join(by_role.get("patentee", []))),
               _text(ws, "；".join(by_role.get("inventor", []))), _text(ws, "；".join(by_role.get("agency", []))),
               _text(ws, p.ipc_main), _text(ws, "；".join(p.ipc or [])), _text(ws, p.legal_status),
               _text(ws, p.region.name if p.region_id else ""), _text(ws, p.abstract)]


def export_xlsx(query: str, *, user, sort: str = "relevance", max_rows: int = 100_000,
                progress: Callable | None = None) -> tuple[Path, int, int]:
    """Write the first `max_rows` hits of `query` to a temporary XLSX file -> (path, rows written, total matches).

    The caller stores the file and removes it."""
    from ipcity.ipdata import search_index
    from ipcity.search.queries import check_query

    query = check_query(query)
    index = search_index.open_index()
    if index.created:
        search_index.rebuild(index)
    result = index.search(query, limit=max_rows, sort=sort, highlight=False)
    numbers = [hit["id"] for hit in result.hits]
    if progress:
        progress(0, len(numbers), f"共命中 {result.total} 件，正在写出 {len(numbers)} 件")

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("检索结果")
    for i, (_, width) in enumerate(COLUMNS):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    ws.freeze_panes = "A2"
    header = []
    for title, _ in COLUMNS:
        cell = WriteOnlyCell(ws, title)
        cell.font = _HEADER_FONT
        header.append(cell)
    ws.append(header)
    written = 0
    for start in range(0, len(numbers), CHUNK):
        for row in _rows(ws, numbers[start:start + CHUNK], user):
            ws.append(row)
            written += 1
        if progress:
            progress(min(start + CHUNK, len(numbers)), len(numbers), f"已写出 {written} 件")

    about = wb.create_sheet("检索条件")
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 80
    for label, value in [("检索式", query), ("排序", sort), ("命中总数", result.total), ("导出件数", written),
                         ("导出上限", max_rows), ("导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")),
                         ("导出人", getattr(user, "username", "") or "")]:
        about.append([_text(about, label), _text(about, value) if isinstance(value, str) else value])
    if result.total > written:
        about.append([_text(about, "说明"), _text(about, f"命中 {result.total} 件，超过导出上限或无权查看的部分未导出；"
                                                         "请细化检索式后分批导出")])
    handle = tempfile.NamedTemporaryFile(prefix="ipcity-export-", suffix=".xlsx", delete=False)
    handle.close()
    path = Path(handle.name)
    wb.save(path)
    return path, written, result.total
