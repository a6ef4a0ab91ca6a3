"""The joint-punishment export (联合惩戒): the 严重违法失信名单 in force, as XLSX for the member departments. Every
cell is text (no formulas from names), and the export itself is audited (who took which list, how many rows)."""
from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook

from ipcity.core.actions import action, record
from ipcity.core.xlsx import text_cell

HEADERS = ["序号", "主体名称", "统一社会信用代码", "所在区划", "列入事由", "依据文书编号", "列入日期", "列入期满日期",
           "列入机关辖区"]


def _rows(listings):
    for n, item in enumerate(listings, 1):
        reasons = "；".join(r.get("label", "") for r in item.reasons)
        documents = "、".join(sorted({r.document_number for r in item.records.all() if r.document_number}))
        yield [str(n), item.subject.name, item.subject.uscc or "", item.subject.region.name, reasons, documents,
               f"{item.listed_from:%Y-%m-%d}", f"{item.listed_until:%Y-%m-%d}", item.region.name]


@action
def export_listings(listings, *, acting_user) -> bytes:
    """`listings`: a queryset already read through the user's scope (the current entries)."""
    listings = list(listings.select_related("subject__region", "region").prefetch_related("records")
                    .order_by("listed_from", "pk"))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("严重违法失信名单")
    sheet.append([text_cell(sheet, h) for h in HEADERS])
    for row in _rows(listings):
        sheet.append([text_cell(sheet, v) for v in row])
    notes = book.create_sheet("说明")
    for line in (f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}",
                 "内容：导出时仍在列入期内的严重违法失信名单主体，供领导小组成员单位依法实施联合惩戒。",
                 "列入标准、审批链、列入期限均按平台业务规则（credit.*）办理；主体提前移出或期满移出后不再列入。"):
        notes.append([text_cell(notes, line)])
    out = io.BytesIO()
    book.save(out)
    record("credit.export_listings", acting_user=acting_user, changes={"rows": len(listings)})
    return out.getvalue()
