"""What the table-based readers share: running a row mapper over a table, and agency cells."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .normalise import normalise_name, unescape_markup
from .record import Party, PatentRecord, RowError
from .tabular import Row, Table

__all__ = ["iter_table_records", "parse_agency_cell"]


def iter_table_records(table: Table, map_row: Callable[[Row], PatentRecord | RowError]) -> Iterator:
    """Map every data row; a broken row (or a bug in a mapper) becomes a RowError, never an exception."""
    for row in table.rows:
        if row.error is not None:
            yield RowError(row_number=row.number, reasons=[row.error], raw={})
            continue
        try:
            yield map_row(row)
        except Exception as exc:  # noqa: BLE001 - one bad row must not stop an import of 100,000
            yield RowError(row_number=row.number, reasons=[f"本行无法读取（{exc.__class__.__name__}：{exc}）"],
                           raw=row.raw())


_ORG_WORDS = ("公司", "事务所", "代理", "律师", "中心", "集团", "研究院", "合伙", "有限", "Co", "LLP", "Firm", "Office")
_AGENCY_CODE = re.compile(r"(.*?\D)\s*(\d{5})\s*$")


def parse_agency_cell(text: str) -> tuple[list[Party], list[str], list[str]]:
    """"北京集佳知识产权代理有限公司11227; 王宝筠;罗满" → (agencies, agents, agency codes).

    Items are separated by ; or ；; organisations are recognised by words such as 公司/事务所/代理, the rest are
    agents (persons). A 5-digit agency code glued to the name is split off. Export debris ("]]&gt; &lt;/AAOFItem&gt;")
    is cut.
    """
    agencies: list[Party] = []
    agents: list[str] = []
    codes: list[str] = []
    for item in re.split(r"[;；]", unescape_markup(text or "")):
        item = item.strip()
        if not item:
            continue
        if any(word in item for word in _ORG_WORDS):
            name, code = item, None
            match = _AGENCY_CODE.fullmatch(item)
            if match:
                name, code = match.group(1).strip(), match.group(2)
            display = normalise_name(name)
            if all(p.name != display for p in agencies):
                agencies.append(Party(name=display, raw=item))
            if code and code not in codes:
                codes.append(code)
        else:
            for person in re.split(r"[，、]", item):
                person = normalise_name(person)
                if person and person not in agents:
                    agents.append(person)
    return agencies, agents, codes
