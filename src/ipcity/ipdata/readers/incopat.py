"""incoPat exports (XLSX, also CSV/XLS with the same headers).

Quirks handled (seen in the real samples):
- the sheet declares a wrong dimension ("A1"): read after reset_dimensions() (see tabular);
- cells contain \\r\\n (摘要 (英文), 链接到incoPat); lists are separated by ; or ；;
- many offices in one file: only CN application numbers are check-digit validated; others keep their office
  ("US17715764" → office "US") and are only normalised;
- one row per publication document: an application may appear twice (its A and its B publication, e.g. US/JP in
  the chatbot sample) — both records are yielded, merging is the pipeline's job;
- IPC is a full list ("IPC") or only the main symbol ("IPC主分类"); a symbol given only to the 小类 ("H04M") is a
  warning, not a rejection;
- 新兴产业分类 "1.1 (下一代信息网络产业),8.4 (数字创意与融合服务)" → sei_tags ["1.1 (下一代信息网络产业)", "8.4 (…)"];
- 标准化申请人 "[中国移动-C; 中国移动-C]" → extra["standardized_applicants"].

Title and abstract are the Chinese ones, falling back to English (kept in extra["title_en"]/["abstract_en"]).
For non-CN records patent_type comes from 专利类型 (发明申请/发明授权 → 发明). A publication whose 公开类型 is 发明授权,
实用新型 or 外观设计 is a grant: its date is also the grant date.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from .builder import RecordBuilder
from .common import iter_table_records, parse_agency_cell
from .normalise import clean_text, parties_from_names, split_list, split_postcode
from .numbers import OFFICE_NAMES, squeeze
from .tabular import Columns, Row, has_any_header, has_headers, open_table

__all__ = ["FORMAT", "is_incopat_header", "read_incopat"]

FORMAT = "incopat"

ALIASES: dict[str, tuple[str, ...]] = {
    "serial": ("序号",),
    "title": ("标题 (中文)", "标题(中文)", "标题"),
    "title_en": ("标题 (英文)", "标题(英文)"),
    "abstract": ("摘要 (中文)", "摘要(中文)", "摘要"),
    "abstract_en": ("摘要 (英文)", "摘要(英文)"),
    "claims": ("权利要求", "首项权利要求", "独立权利要求"),
    "applicants": ("申请人",),
    "standardized_applicants": ("标准化申请人",),
    "patentees": ("当前权利人", "专利权人"),
    "inventors": ("发明人",),
    "agency": ("代理机构",),
    "agents": ("代理人",),
    "applicant_address": ("申请人地址",),
    "applicant_country": ("申请人国别代码", "申请人国别"),
    "publication_number": ("公开（公告）号", "公开号"),
    "publication_date": ("公开（公告）日", "公开日"),
    "application_number": ("申请号",),
    "application_date": ("申请日",),
    "grant_date": ("授权日", "授权公告日"),
    "priority_date": ("最早优先权日", "优先权日"),
    "publication_type": ("公开类型",),
    "patent_type": ("专利类型",),
    "office_name": ("公开国别", "受理局"),
    "link": ("链接到incoPat",),
    "ipc": ("IPC", "IPC分类号"),
    "ipc_main": ("IPC主分类", "IPC主分类号"),
    "cpc": ("CPC", "CPC分类号"),
    "sei": ("新兴产业分类",),
    "legal_status": ("当前法律状态", "法律状态", "专利有效性"),
    "family_id": ("简单同族ID", "DOCDB同族ID", "同族ID"),
    "family_members": ("简单同族", "简单同族成员", "同族"),
    "family_size": ("简单同族个数", "同族数"),
    "family_countries": ("简单同族国家/地区", "同族国家/地区", "同族国家"),
    "citations": ("引证专利", "引证文献"),
    "citing_count": ("引证次数", "引证专利数"),
    "cited_count": ("被引证次数", "被引用次数"),
}
_MARKERS = ("链接到incoPat", "标题 (中文)", "公开国别", "专利有效性", "当前法律状态", "标准化申请人", "新兴产业分类")
_TYPES = {"发明申请": "发明", "发明授权": "发明", "发明": "发明", "实用新型": "实用新型", "外观设计": "外观设计"}
_GRANT_TYPES = {"发明授权", "实用新型", "外观设计"}
_LIST = re.compile(r"[;；\n]")
_SEI_SPLIT = re.compile(r"\s*[,，]\s*(?=\d+(?:\.\d+)*\s*[(（])")


def is_incopat_header(cells: list[str]) -> bool:
    return (has_headers(cells, "申请号") and has_any_header(cells, "公开（公告）号", "公开号")
            and has_any_header(cells, *_MARKERS))


def read_incopat(path) -> Iterator:
    with open_table(path, is_incopat_header) as table:
        columns = Columns(table.headers, ALIASES)
        yield from iter_table_records(table, lambda row: _map_row(row, columns))


def _map_row(row: Row, c: Columns):
    b = RecordBuilder(FORMAT, row.number, row.raw())
    office_name = c.text(row, "office_name")
    office_hint = OFFICE_NAMES.get(office_name)
    b.application(c.get(row, "application_number"), office_hint)
    if office_name and office_hint is None:
        b.extra("office_name", office_name)

    b.date("application_date", c.get(row, "application_date"))
    pub_date = b.date("publication_date", c.get(row, "publication_date"))
    b.date("priority_date", c.get(row, "priority_date"))
    grant_date = b.date("grant_date", c.get(row, "grant_date"))
    publication_type = c.text(row, "publication_type")
    b.publication(c.get(row, "publication_number"), pub_date)
    if grant_date is None and publication_type in _GRANT_TYPES:
        b.set("grant_date", pub_date)
    b.extra("publication_type", publication_type)

    source_type = c.text(row, "patent_type")
    if b.values.get("patent_type") is None:
        b.set("patent_type", _TYPES.get(source_type) or (source_type or None))
    elif source_type and _TYPES.get(source_type, source_type) not in b.values["patent_type"]:
        b.warn(f"专利类型「{source_type}」与申请号所示类型「{b.values['patent_type']}」不一致")

    title = clean_text(c.get(row, "title"))
    title_en = clean_text(c.get(row, "title_en"))
    b.set("title", title or title_en)
    b.extra("title_en", title_en)
    abstract = clean_text(c.get(row, "abstract"))
    abstract_en = clean_text(c.get(row, "abstract_en"))
    b.set("abstract", abstract or abstract_en)
    b.extra("abstract_en", abstract_en)
    b.set("claims", clean_text(c.get(row, "claims")))

    ipc_text = c.text(row, "ipc") or c.text(row, "ipc_main")
    b.set("ipc_raw", ipc_text or None)
    ipcs = b.classifications("ipc", ipc_text, "IPC")
    main = c.text(row, "ipc_main")
    if main and "ipc" in c:
        main_symbols = b.classifications("ipc", main, "IPC 主分类")
        b.set("ipc_main", main_symbols[0] if main_symbols else None)
    elif ipcs:
        b.set("ipc_main", ipcs[0])
    b.classifications("cpc", c.text(row, "cpc"), "CPC")
    sei = c.text(row, "sei")
    b.set("sei_tags", [t.strip() for t in _SEI_SPLIT.split(sei) if t.strip()] if sei else [])

    applicants = parties_from_names(split_list(c.text(row, "applicants"), _LIST))
    if applicants:
        address = c.text(row, "applicant_address")
        if address:
            applicants[0].postcode, applicants[0].address = split_postcode(address)
        country = squeeze(c.text(row, "applicant_country"))
        if country:
            applicants[0].country = country
    b.set("applicants", applicants)
    standard = c.text(row, "standardized_applicants").strip("[]【】")
    b.extra("standardized_applicants", split_list(standard, _LIST))
    b.set("patentees", parties_from_names(split_list(c.text(row, "patentees"), _LIST)))
    b.set("inventors", parties_from_names(split_list(c.text(row, "inventors"), _LIST)))
    agencies, agents, codes = parse_agency_cell(c.text(row, "agency"))
    b.set("agencies", agencies)
    b.set("agents", agents + [a for a in split_list(c.text(row, "agents"), _LIST) if a not in agents])
    b.extra("agency_codes", codes)

    b.legal_status(c.text(row, "legal_status"))
    b.set("family_id", c.text(row, "family_id") or None)
    b.count("family_size", c.get(row, "family_size"), "同族数")
    members = split_list(c.text(row, "family_members"), _LIST)
    b.extra("family_members", members)
    countries = split_list(c.text(row, "family_countries"), _LIST) or sorted({squeeze(m)[:2] for m in members})
    b.set("family_countries", countries)
    b.set("citations", split_list(c.text(row, "citations"), _LIST))
    b.count("citing_count", c.get(row, "citing_count"), "引证次数")
    b.count("cited_count", c.get(row, "cited_count"), "被引证次数")

    for header in c.unused:
        b.extra(header, clean_text(row.get(header)))
    return b.finish()
