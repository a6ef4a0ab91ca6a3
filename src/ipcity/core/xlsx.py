"""Safe cells for the XLSX files the platform writes (openpyxl write-only mode)."""
from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE


def text_cell(ws, value: str | None) -> WriteOnlyCell:
    """A text cell that stays text: "=SUM(…)" from a patent title never becomes a formula (spreadsheet injection);
    characters XLSX cannot hold are dropped and the length capped at Excel's 32,767."""
    cell = WriteOnlyCell(ws, ILLEGAL_CHARACTERS_RE.sub("", value or "")[:32767])
    cell.data_type = "s"
    return cell
