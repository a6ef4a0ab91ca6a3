"""The records the readers yield: PatentRecord (one source row / XML document), RowError (a rejected row), Party.

All three are plain dataclasses (no Django). Dates are ISO strings "YYYY-MM-DD"; numbers are canonical strings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Party", "PatentRecord", "ReaderError", "RowError"]


@dataclass
class Party:
    """An applicant, patentee, inventor or agency.

    `name` is the display form (see normalise.normalise_name); `raw` is the text as the source wrote it.
    The address fields are filled only when the source has them (split or as one text).
    """

    name: str
    raw: str
    address: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    postcode: str | None = None
    country: str | None = None
    uscc: str | None = None


@dataclass(kw_only=True)
class PatentRecord:
    """One patent document as a source row describes it (not merged: the same application may come twice)."""

    application_number: str  # canonical: "CN202210836006.7" for CN (check digit verified); "US17715764" otherwise
    application_number_raw: str
    patent_type: str | None = None  # 发明 / 实用新型 / 外观设计 / PCT发明 / PCT实用新型
    office: str = "CN"  # the office that received the application: "CN", "US", "WO", "EP", …
    publications: list[dict] = field(default_factory=list)  # {"number", "kind", "date", "raw"}
    title: str | None = None
    abstract: str | None = None
    claims: str | None = None
    description: str | None = None
    application_date: str | None = None
    publication_date: str | None = None
    grant_date: str | None = None
    priority_date: str | None = None
    ipc_main: str | None = None
    ipc: list[str] = field(default_factory=list)
    cpc: list[str] = field(default_factory=list)
    ipc_raw: str | None = None
    applicants: list[Party] = field(default_factory=list)
    patentees: list[Party] = field(default_factory=list)
    inventors: list[Party] = field(default_factory=list)
    agencies: list[Party] = field(default_factory=list)
    agents: list[str] = field(default_factory=list)
    legal_status: str | None = None  # one of normalise.LEGAL_STATUSES
    legal_status_raw: str | None = None
    legal_events: list[dict] = field(default_factory=list)  # {"date", "code", "description", ...}
    family_id: str | None = None
    family_size: int | None = None
    family_countries: list[str] = field(default_factory=list)
    cited_count: int | None = None  # how often this patent is cited by later documents (forward citations)
    citing_count: int | None = None  # how many documents this patent cites (backward citations)
    citations: list[str] = field(default_factory=list)  # the documents this patent cites
    sei_tags: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # non-fatal findings (Chinese), e.g. an IPC given only to 小类
    source_format: str
    row_number: int
    raw: dict


@dataclass
class RowError:
    """A row that cannot be imported; `reasons` lists every problem found (Chinese), `raw` is the row as read."""

    row_number: int
    reasons: list[str]
    raw: dict


class ReaderError(Exception):
    """A file-level problem (unreadable, unknown format, empty, bad mapping); the message is Chinese and names the file."""

    def __init__(self, path, message: str):
        self.path = Path(path) if path is not None else None
        self.detail = message
        name = self.path.name if self.path is not None else "（未知文件）"
        super().__init__(f"文件「{name}」：{message}")
