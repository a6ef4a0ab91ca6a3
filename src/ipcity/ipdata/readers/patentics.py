"""Patentics exports: the CSV list export and the full-text XLSX export.

Quirks handled (both seen in the real samples):
- CSV: UTF-8 with BOM, a trailing comma on every row, dates as 20220107, lists separated by " | ";
  国际主分类 holds only the 小类 ("G09B"): ipc_main is the first 国际分类 symbol of that 小类.
  美国分类 holds CPC-style symbols but is labelled US classification: kept as extra["us_classification"].
- XLSX: 公开号 is a =HYPERLINK(…) formula (its cached text is read; the formula's label is the fallback);
  申请日, 公开/公告日 and 授权日 appear three times each (identical); lists are separated by " |\\n";
  dates are "2022/07/15"; 律师、代理 may end in export debris ("]]&gt; &lt;/AAOFItem&gt;");
  地市 repeats 通信地址 (the whole "710000 陕西省西安市…" address), so the city and county are read from the address.
- One row per publication document as the export lists it. The CSV lists each application once (its latest
  publication number, with 授权公告日 when granted); the full-text export lists the A publication and names the B
  publication among 同族 — when 同族 holds the same serial with kind B/C it is added to `publications`.

Field choices: claims = 主权项 (the first independent claim only — the export has no full claims); description =
用途/背景技术/发明效果/实施例 joined with 【】 headings; citations = 引用 (documents this patent cites), citing_count =
引用数/本文引用专利数, cited_count = 被引用数/引用本文专利数, extra["cited_by"] = 被引用; patentees are left empty
(标准专利权人 is Patentics' group-level standardisation, kept as extra["standardized_patentees"]).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from .builder import RecordBuilder
from .common import iter_table_records, parse_agency_cell
from .normalise import (
    ValueProblem,
    clean_text,
    parse_date,
    parties_from_names,
    split_list,
    split_postcode,
    split_region,
)
from .numbers import parse_classifications, squeeze
from .record import Party
from .tabular import Columns, Row, has_any_header, has_headers, open_table

__all__ = ["FORMAT", "is_patentics_header", "read_patentics"]

FORMAT = "patentics"

ALIASES: dict[str, tuple[str, ...]] = {
    "publication_number": ("公开号", "公开(公告)号", "公告号"),
    "application_number": ("申请号",),
    "office": ("专利局",),
    "title": ("标题",),
    "abstract": ("摘要",),
    "claims": ("主权项", "权利要求"),
    "applicants": ("申请人",),
    "standardized_applicants": ("标准化申请人", "标准申请人"),
    "standardized_patentees": ("标准专利权人",),
    "inventors": ("发明人",),
    "first_inventor": ("第一发明人",),
    "priority_date": ("优先权日",),
    "priorities": ("优先权",),
    "application_date": ("申请日",),
    "publication_date": ("公开日", "公开/公告日", "公开(公告)日"),
    "application_publication_date": ("申请公开日",),
    "grant_date": ("授权公告日", "授权日"),
    "ipc": ("国际分类", "IPC"),
    "ipc_main": ("国际主分类", "IPC主分类"),
    "cpc": ("CPC分类", "CPC"),
    "cpc_subclass": ("CPC小类",),
    "us_classification": ("美国分类",),
    "field": ("用途",),
    "background": ("背景技术",),
    "effect": ("发明效果",),
    "embodiments": ("实施例",),
    "citations": ("引用",),
    "citing_count": ("引用数", "本文引用专利数"),
    "cited_by": ("被引用",),
    "cited_count": ("被引用数", "引用本文专利数"),
    "legal_status": ("法律状态",),
    "legal_description": ("法律描述",),
    "family": ("同族",),
    "family_size": ("同族数", "同族专利数"),
    "agency": ("律师、代理", "代理机构"),
    "province": ("省市",),
    "city": ("地市",),
    "address": ("通信地址",),
}
_DESCRIPTION_PARTS = (("field", "技术领域"), ("background", "背景技术"), ("effect", "发明效果"),
                      ("embodiments", "具体实施方式"))
_MARKERS = ("国际主分类", "标准化申请人", "标准申请人", "第一发明人", "技术特征", "价值1", "专利度", "本文引用专利数")
_HYPERLINK = re.compile(r'=\s*HYPERLINK\(\s*"[^"]*"\s*[,;]\s*"([^"]*)"\s*\)', re.I)
_LIST = re.compile(r"[|;；\n]")
_SUBCLASS = re.compile(r"[A-HY]\d{2}[A-Z]")


def is_patentics_header(cells: list[str]) -> bool:
    return has_headers(cells, "公开号", "申请号", "标题") and has_any_header(cells, *_MARKERS)


def read_patentics(path) -> Iterator:
    with open_table(path, is_patentics_header) as table:
        columns = Columns(table.headers, ALIASES)
        yield from iter_table_records(table, lambda row: _map_row(row, columns))


def _publication_text(value) -> str:
    text = "" if value is None else str(value).strip()
    match = _HYPERLINK.match(text)
    return match.group(1) if match else text


def _map_row(row: Row, c: Columns):
    b = RecordBuilder(FORMAT, row.number, row.raw())
    office = squeeze(c.text(row, "office")) or None
    b.application(c.get(row, "application_number"), office)

    b.date("application_date", c.get(row, "application_date"))
    pub_date = b.date("publication_date", c.get(row, "publication_date"))
    grant_date = b.date("grant_date", c.get(row, "grant_date"))
    b.date("priority_date", c.get(row, "priority_date"))
    pub = b.publication(_publication_text(c.get(row, "publication_number")), pub_date)
    if pub and grant_date is None and pub["kind"] in ("B", "C", "U", "Y", "S", "D"):
        b.set("grant_date", pub_date)

    b.set("title", clean_text(c.get(row, "title")))
    b.set("abstract", clean_text(c.get(row, "abstract")))
    b.set("claims", clean_text(c.get(row, "claims")))
    sections = [(heading, clean_text(c.get(row, field))) for field, heading in _DESCRIPTION_PARTS]
    b.set("description", "\n\n".join(f"【{h}】\n{t}" for h, t in sections if t) or None)

    ipc_raw = c.text(row, "ipc")
    b.set("ipc_raw", ipc_raw or None)
    ipcs = b.classifications("ipc", ipc_raw, "IPC")
    _ipc_main(b, c.text(row, "ipc_main"), ipcs)
    b.classifications("cpc", c.text(row, "cpc"), "CPC")
    b.extra("us_classification", split_list(c.text(row, "us_classification"), _LIST))

    applicants = parties_from_names(split_list(c.text(row, "applicants"), _LIST))
    if applicants and ("address" in c or "province" in c or "city" in c):
        _address(b, applicants[0], c.text(row, "province"), c.text(row, "city"), c.text(row, "address"))
    b.set("applicants", applicants)
    b.extra("standardized_applicants", split_list(c.text(row, "standardized_applicants"), _LIST))
    b.extra("standardized_patentees", split_list(c.text(row, "standardized_patentees"), _LIST))
    inventors = split_list(c.text(row, "inventors"), _LIST)
    if inventors == ["不公告发明人"]:
        b.extra("inventors_note", "不公告发明人")
        inventors = []
    b.set("inventors", parties_from_names(inventors))
    agencies, agents, codes = parse_agency_cell(c.text(row, "agency"))
    b.set("agencies", agencies)
    b.set("agents", agents)
    b.extra("agency_codes", codes)

    b.legal_status(c.text(row, "legal_status"))
    events = _legal_events(c.text(row, "legal_description"), b)
    b.set("legal_events", events)

    family = [m for m in split_list(c.text(row, "family"), _LIST) if m != "0"]
    b.extra("family_members", family)
    if family:
        b.set("family_countries", sorted({b.office, *(squeeze(m)[:2] for m in family)}))
        if pub:
            for member in family:
                number = squeeze(member)
                if number[:-1] == pub["number"][:-1] and number[-1] in ("B", "C") and number != pub["number"]:
                    b.publication(number, b.values.get("grant_date"))
    b.count("family_size", c.get(row, "family_size"), "同族数")
    citations = [m for m in split_list(c.text(row, "citations"), _LIST) if m != "0"]
    b.set("citations", citations)
    b.extra("cited_by", [m for m in split_list(c.text(row, "cited_by"), _LIST) if m != "0"])
    b.count("citing_count", c.get(row, "citing_count"), "引用数")
    b.count("cited_count", c.get(row, "cited_count"), "被引用数")
    b.extra("priorities", split_list(c.text(row, "priorities"), _LIST))

    for header in c.unused:
        b.extra(header, row.text(header))
    return b.finish()


def _ipc_main(b: RecordBuilder, main: str, ipcs: list[str]) -> None:
    """国际主分类 is a full symbol (full-text export) or only the 小类 (CSV): take the first symbol of that 小类."""
    if not main:
        return
    subclass = squeeze(main)
    if not _SUBCLASS.fullmatch(subclass):
        symbols, _ = parse_classifications(main, "IPC 主分类")
        if symbols:
            b.set("ipc_main", symbols[0])
            return
    match = next((s for s in ipcs if s.startswith(subclass)), None)
    if match:
        b.set("ipc_main", match)
    else:
        b.warn(f"IPC 主分类「{main}」不完整，且国际分类中没有该小类的分类号")


def _address(b: RecordBuilder, party: Party, province: str, city: str, address: str) -> None:
    """省市 / 地市 / 通信地址 onto the first applicant; 地市 holding the whole address (as Patentics writes it) is not a
    city name, so city and county are then read from the address — only when it lies in the 省市 province."""
    if not address and re.search(r"\d", city):
        address = city
    if city and (re.search(r"\d", city) or city == address or len(city) > 10):
        city = ""
    postcode, text = split_postcode(address)
    party.postcode = postcode
    party.address = text
    p_province, p_city, p_county = split_region(text)
    party.province = province or p_province
    if party.province and p_province == party.province:
        party.city = city or p_city
        party.county = p_county if (not city or city == p_city) else None
    else:
        party.city = city or None


_EVENT = re.compile(r"(?:(\d{1,3})\s+)?(?:(\d{7,9})\s+)?(\d{4}[./-]\d{2}[./-]\d{2})\s+(\S+)\s*(.*)")


def _legal_events(text: str, b: RecordBuilder) -> list[dict]:
    """法律描述: "2  2021.09.03 公开 公开\\n\\n2021.09.21 实质审查的生效 实质审查的生效\\nIPC(主分类):…" → events.

    An event line is [count] [publication serial] date code description; the lines after it are its details.
    """
    events: list[dict] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        match = _EVENT.fullmatch(line)
        if match:
            try:
                date = parse_date(match.group(3))
            except ValueProblem as exc:
                b.warn(f"法律事件日期{exc}，该事件已忽略")
                continue
            event = {"date": date, "code": match.group(4), "description": match.group(5).strip() or match.group(4)}
            if match.group(2):
                event["publication_serial"] = match.group(2)
            events.append(event)
        elif events:
            detail = events[-1].get("detail")
            events[-1]["detail"] = f"{detail}\n{line}" if detail else line
    return events
