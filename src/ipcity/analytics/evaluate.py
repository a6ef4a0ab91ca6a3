"""High-value evaluation over the data hub: patent facts read in chunks, the registers loaded once, export files."""
from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from ipcity.analytics.high_value import CRITERIA, INVENTION, Evaluation, Evaluator, PatentFacts, Settings

CHUNK = 5000
EXPORT_COLUMNS = ["application_number", "valid", "sei_codes", *CRITERIA, "high_value", "reasons"]
EXPORT_HEADERS = {"application_number": "申请号", "valid": "截止日有效", "sei_codes": "战略性新兴产业代码",
                  "c1_sei": "①战略性新兴产业", "c2_overseas": "②海外同族授权", "c3_maintained": "③维持超过10年",
                  "c4_pledge": "④较高质押融资", "c5_award": "⑤获奖", "high_value": "高价值发明专利", "reasons": "依据"}


def patent_facts(queryset=None, chunk: int = CHUNK, inventions_only: bool = True) -> Iterator[PatentFacts]:
    """Facts of every invention patent (or every patent) in `queryset` (default: all), read `chunk` rows at a time in
    key order."""
    from ipcity.ipdata.models import Patent

    qs = queryset if queryset is not None else Patent.objects.all()
    if inventions_only:
        qs = qs.filter(patent_type=INVENTION)
    qs = qs.order_by("pk").values_list(
        "pk", "application_number", "patent_type", "legal_status", "application_date", "grant_date", "ipc", "title",
        "abstract", "claims", "extra", "family_countries", "region_id")
    last = 0
    while True:
        rows = list(qs.filter(pk__gt=last)[:chunk])
        if not rows:
            return
        for (_, number, kind, status, applied, granted, ipc, title, abstract, claims, extra, countries,
             region) in rows:
            yield PatentFacts(application_number=number, patent_type=kind, legal_status=status,
                              application_date=applied, grant_date=granted, ipc=ipc or [],
                              text=f"{title}\n{abstract}\n{claims}",
                              family_members=(extra or {}).get("family_members") or [],
                              family_countries=countries or [], region=region)
        last = rows[-1][0]


def facts_of(patent) -> PatentFacts:
    """The facts of one ipdata.Patent instance."""
    return PatentFacts(application_number=patent.application_number, patent_type=patent.patent_type,
                       legal_status=patent.legal_status, application_date=patent.application_date,
                       grant_date=patent.grant_date, ipc=patent.ipc or [],
                       text=f"{patent.title}\n{patent.abstract}\n{patent.claims}",
                       family_members=(patent.extra or {}).get("family_members") or [],
                       family_countries=patent.family_countries or [], region=patent.region_id)


def evaluate_patent(patent, as_of: dt.date | None = None) -> Evaluation:
    """One patent's evaluation (its detail page): the registers are read for this patent only."""
    from ipcity.analytics.queries import active_sei_table

    settings = Settings.current(as_of)
    number = patent.application_number
    return Evaluator(settings, active_sei_table(), pledge_sums(settings.as_of, number),
                     award_index(number)).evaluate(facts_of(patent))


def pledge_sums(as_of: dt.date, application_number: str | None = None) -> dict[str, Decimal]:
    """Application number -> pledged amount (万元) registered on or before `as_of`."""
    from django.db.models import Sum

    from ipcity.ipdata.models import PatentPledge

    qs = PatentPledge.objects.filter(registered_on__lte=as_of)
    if application_number:
        qs = qs.filter(application_number=application_number)
    return dict(qs.values("application_number").annotate(total=Sum("amount"))
                .values_list("application_number", "total"))


def award_index(application_number: str | None = None) -> dict[str, list[tuple[int, str]]]:
    from ipcity.ipdata.models import PatentAward

    labels = dict(PatentAward.Award.choices)
    out: dict[str, list[tuple[int, str]]] = {}
    qs = PatentAward.objects.all()
    if application_number:
        qs = qs.filter(application_number=application_number)
    for number, year, award in qs.order_by("year").values_list("application_number", "year", "award"):
        out.setdefault(number, []).append((year, labels.get(award, award)))
    return out


def evaluator(as_of: dt.date | None = None) -> Evaluator:
    from ipcity.analytics.queries import active_sei_table

    settings = Settings.current(as_of)
    return Evaluator(settings, active_sei_table(), pledge_sums(settings.as_of), award_index())


def write_export(evaluations: Iterable[Evaluation], path: str | Path, settings: Settings) -> int:
    """One row per patent to .csv (UTF-8 with BOM, English column names, true/false) or .xlsx (a sheet of rows with
    the same column names, and a 口径说明 sheet). Returns the number of rows."""
    path = Path(path)
    n = 0
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(EXPORT_COLUMNS)
            for e in evaluations:
                row = e.row()
                writer.writerow([str(row[c]).lower() if isinstance(row[c], bool) else row[c] for c in EXPORT_COLUMNS])
                n += 1
        return n
    if path.suffix.lower() != ".xlsx":
        raise ValueError("导出文件须为 .xlsx 或 .csv")
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from ipcity.core.xlsx import text_cell

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("高价值发明专利")
    bold = Font(bold=True)
    header = []
    for column in EXPORT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for e in evaluations:
        row = e.row()
        sheet.append([text_cell(sheet, row[c]) if isinstance(row[c], str) else row[c] for c in EXPORT_COLUMNS])
        n += 1
    notes = book.create_sheet("口径说明")
    notes.append(["列", "含义"])
    for column in EXPORT_COLUMNS:
        notes.append([column, EXPORT_HEADERS[column]])
    notes.append([])
    for key, value in settings.describe().items():
        notes.append([key, value])
    book.save(path)
    return n
