"""The records behind an indicator value: the same definition's record ids, run as a subquery of the model's scoped
queryset (so a user only ever sees rows their scope allows), listed on a page and exported to XLSX."""
from __future__ import annotations

import io

import ibis
from django.apps import apps
from django.db import connection
from django.db.models.expressions import RawSQL

from ipcity.analytics.indicators import Context, Definition, record_ids
from ipcity.core.scoping import visible

# model label -> [(header, attribute or callable)]
COLUMNS = {
    "ipdata.Patent": [("申请号", "application_number"), ("名称", "title"), ("类型", "patent_type"),
                      ("申请日", "application_date"), ("授权日", "grant_date"), ("法律状态", "legal_status"),
                      ("第一申请人", "first_applicant"), ("归属区划", lambda o: o.region.name if o.region_id else "")],
    "ipdata.Trademark": [("注册号", "registration_number"), ("商标名称", "name"), ("注册人", "owner_name"),
                         ("状态", lambda o: o.get_status_display()), ("注册日", "registration_date"),
                         ("专用权期限至", "expiry_date"), ("所在区划", lambda o: o.region.name if o.region_id else "")],
    "ipdata.GeographicalIndication": [("产品名称", "name"), ("类型", lambda o: o.get_kind_display()),
                                      ("批准文号/注册号", "approval_number"), ("批准日期", "approval_date"),
                                      ("保护区域", lambda o: o.region.name)],
    "ipdata.CopyrightRegistration": [("登记号", "registration_number"), ("作品/软件名称", "title"),
                                     ("登记类型", lambda o: o.get_kind_display()), ("著作权人", "owner_name"),
                                     ("登记日期", "registration_date"),
                                     ("所在区划", lambda o: o.region.name if o.region_id else "")],
    "ipdata.PatentPledge": [("登记号", "registration_number"), ("申请号", "application_number"),
                            ("出质人", "pledgor_name"), ("质权人", "pledgee_name"), ("质押金额（万元）", "amount"),
                            ("登记日", "registered_on"), ("所在区划", lambda o: o.region.name if o.region_id else "")],
}


def records(definition: Definition, ctx: Context, region_code: str, user):
    """The scoped queryset of the records behind (indicator, region) at ctx's date; None for a per-capita or
    no-data indicator (those drill down through their count)."""
    if not definition.countable or not definition.record_model:
        return None
    model = apps.get_model(definition.record_model)
    sql = ibis.to_sql(record_ids(definition, ctx, region_code),
                      dialect="sqlite" if connection.vendor == "sqlite" else "postgres")
    # Embedded in a parameterised ORM query: a literal % must be doubled (both drivers read %s placeholders).
    ids = RawSQL(f"SELECT record_id FROM ({sql.replace('%', '%%')}) AS drill", ())
    qs = visible(model, user).filter(pk__in=ids).select_related("region")
    return qs.order_by("pk")


def row(obj, columns) -> list:
    return [(getter(obj) if callable(getter) else getattr(obj, getter)) for _, getter in columns]


def export_xlsx(definition: Definition, ctx: Context, region: tuple[str, str], qs) -> bytes:
    """The records as a workbook: one sheet of rows, one 口径说明 sheet (what was counted, for which date and region)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from ipcity.core.xlsx import text_cell

    columns = COLUMNS[definition.record_model]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("明细")
    bold = Font(bold=True)
    header = []
    for title, _ in columns:
        cell = WriteOnlyCell(sheet, title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for obj in qs.iterator(chunk_size=2000):
        out = []
        for value in row(obj, columns):
            if isinstance(value, str):
                out.append(text_cell(sheet, value))
            elif value is not None and hasattr(value, "year"):
                cell = WriteOnlyCell(sheet, value)
                cell.number_format = "yyyy-mm-dd"
                out.append(cell)
            else:
                out.append(value)
        sheet.append(out)
    notes = book.create_sheet("口径说明")
    for key, value in [("指标", definition.name), ("单位", definition.unit), ("区划", f"{region[1]}（{region[0]}）"),
                       ("口径", definition.formula), ("数据来源", definition.source), ("时点", definition.timing_label),
                       *ctx.describe().items()]:
        notes.append([key, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_xlsx(report) -> bytes:
    """The indicator table as a workbook: values per region, then a 口径说明 sheet with the rules and every note."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ipcity.analytics.indicators import BY_KEY, CATALOGUE

    book = Workbook()
    sheet = book.active
    sheet.title = "指标"
    sheet.append(["指标", "单位", *[name for _, name in report.regions], "口径", "数据来源", "时点"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for d in CATALOGUE:
        values = [report.value(d.key, code).value for code, _ in report.regions]
        sheet.append([d.name, d.unit, *[round(v, 4) if isinstance(v, float) else v for v in values], d.formula,
                      d.source, d.timing_label])
    notes = book.create_sheet("口径说明")
    for key, value in report.rules.items():
        notes.append([key, value])
    notes.append([])
    notes.append(["指标", "区划", "说明"])
    names = dict(report.regions)
    for (key, code), v in report.values.items():
        if v.note:
            notes.append([BY_KEY[key].name, names[code], v.note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
