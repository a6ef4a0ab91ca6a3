"""Building one PatentRecord from parsed values while collecting every reason to reject the row.

Each format reader reads its columns into a RecordBuilder; `finish()` runs the cross-field checks and returns the
PatentRecord, or a RowError listing every reason (the row is never half-fixed).
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from .normalise import ValueProblem, normalise_legal_status, parse_date, parse_int
from .numbers import parse_application_number, parse_classifications, parse_publication
from .record import PatentRecord, RowError

__all__ = ["CN_PATENT_LAW_START", "RecordBuilder"]

CN_PATENT_LAW_START = dt.date(1985, 4, 1)  # 《专利法》施行日: no CN application is older

DATE_LABELS = {
    "application_date": "申请日",
    "publication_date": "公开（公告）日",
    "grant_date": "授权公告日",
    "priority_date": "优先权日",
}


class RecordBuilder:
    def __init__(self, source_format: str, row_number: int, raw: dict):
        self.reasons: list[str] = []
        self.warnings: list[str] = []
        self.values: dict = {"source_format": source_format, "row_number": row_number, "raw": raw, "extra": {}}
        self.application_ok = False

    # -- identifiers ---------------------------------------------------------------------------------------------

    def application(self, raw_number, office_hint: str | None = None) -> None:
        raw_text = "" if raw_number is None else str(raw_number).strip()
        self.values["application_number_raw"] = raw_text
        try:
            number, office, patent_type = parse_application_number(raw_text, office_hint)
        except ValidationError as exc:
            self.reasons.extend(exc.messages)
            self.values["office"] = office_hint or "CN"
            return
        self.values.update(application_number=number, office=office, patent_type=patent_type)
        self.application_ok = True

    @property
    def office(self) -> str:
        return self.values.get("office") or "CN"

    def publication(self, raw_number, date: str | None = None, *, label: str = "公开（公告）号") -> dict | None:
        entry, problems = parse_publication(raw_number, date, self.office)
        if problems:
            self.reasons.extend(problems)
        if entry is not None:
            pubs = self.values.setdefault("publications", [])
            if all(p["number"] != entry["number"] for p in pubs):
                pubs.append(entry)
        return entry

    # -- values --------------------------------------------------------------------------------------------------

    def date(self, field: str, value, label: str | None = None) -> str | None:
        """Parse a date into `field` (publication/application/grant/priority date); impossible dates are reasons."""
        try:
            iso = parse_date(value)
        except ValueProblem as exc:
            self.reasons.append(f"{label or DATE_LABELS.get(field, field)}{exc}")
            return None
        if iso is not None:
            self.values[field] = iso
        return iso

    def count(self, field: str, value, label: str) -> None:
        try:
            number = parse_int(value)
        except ValueProblem as exc:
            self.warnings.append(f"{label}{exc}，已忽略")
            return
        if number is not None and number < 0:
            self.warnings.append(f"{label}「{value}」为负数，已忽略")
            return
        if number is not None:
            self.values[field] = number

    def classifications(self, field: str, raw, label: str) -> list[str]:
        symbols, warnings = parse_classifications(raw, label)
        self.warnings.extend(warnings)
        if symbols:
            self.values[field] = list(dict.fromkeys(self.values.get(field, []) + symbols))
        return symbols

    def legal_status(self, raw) -> None:
        text = "" if raw is None else str(raw).strip()
        if not text:
            return
        status, known = normalise_legal_status(text)
        self.values["legal_status"] = status
        self.values["legal_status_raw"] = text
        if not known:
            self.warnings.append(f"无法识别的法律状态「{text}」，已记为“未确认”")

    def set(self, field: str, value) -> None:
        if value not in (None, "", [], {}):
            self.values[field] = value

    def extra(self, key: str, value) -> None:
        if value not in (None, "", [], {}):
            self.values["extra"][key] = value

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def reject(self, message: str) -> None:
        self.reasons.append(message)

    # -- result --------------------------------------------------------------------------------------------------

    def _cross_checks(self) -> None:
        v = self.values
        app = v.get("application_date")
        if app is None:
            return
        for field in ("publication_date", "grant_date"):
            other = v.get(field)
            if other is not None and other < app:
                self.reasons.append(f"{DATE_LABELS[field]}（{other}）早于申请日（{app}）")
        prio = v.get("priority_date")
        if prio is not None and prio > app:
            self.reasons.append(f"优先权日（{prio}）晚于申请日（{app}）")
        if self.office == "CN" and app < CN_PATENT_LAW_START.isoformat():
            self.reasons.append(f"申请日（{app}）早于《专利法》施行日（{CN_PATENT_LAW_START.isoformat()}），不可能是中国专利申请")

    def finish(self) -> PatentRecord | RowError:
        self._cross_checks()
        if not self.application_ok and not self.reasons:
            self.reasons.append("申请号为空")
        if self.reasons:
            return RowError(row_number=self.values["row_number"], reasons=list(dict.fromkeys(self.reasons)),
                            raw=self.values["raw"])
        pubs = self.values.get("publications")
        if pubs:
            pubs.sort(key=lambda p: (p.get("date") or "9999", p["number"]))
        return PatentRecord(warnings=self.warnings, **self.values)
