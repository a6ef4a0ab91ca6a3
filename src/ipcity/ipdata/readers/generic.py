"""Any CSV/XLSX/XLS table, read through a column mapping {target field: source column header}.

Targets (GENERIC_FIELDS): the PatentRecord fields that come from one column, plus applicant_* fields that go onto
the first applicant. application_number is required. Header matching ignores spaces, case and full-/half-width
brackets. List cells (applicants, inventors, ipc, …) are split on ; ； | and line breaks — not on commas, which
occur in company names ("Co., Ltd."). Unmapped columns are kept in `extra` under their own header.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from django.core.exceptions import ValidationError

from ipcity.core.validators import validate_uscc

from .builder import RecordBuilder
from .common import iter_table_records
from .normalise import clean_text, normalise_name, parties_from_names, split_list, split_postcode
from .numbers import office_code, squeeze
from .record import Party, ReaderError
from .tabular import Columns, Row, canon, open_table

__all__ = ["FORMAT", "GENERIC_FIELDS", "read_generic", "validate_mapping"]

FORMAT = "generic"
GENERIC_FIELDS: dict[str, str] = {
    "application_number": "申请号",
    "office": "受理局/国别代码",
    "patent_type": "专利类型（非中国申请号时使用）",
    "publication_number": "公开（公告）号",
    "publication_date": "公开（公告）日",
    "application_date": "申请日",
    "grant_date": "授权公告日",
    "priority_date": "优先权日",
    "title": "名称",
    "abstract": "摘要",
    "claims": "权利要求",
    "description": "说明书",
    "ipc": "IPC 分类号",
    "ipc_main": "IPC 主分类号",
    "cpc": "CPC 分类号",
    "applicants": "申请人",
    "patentees": "专利权人",
    "inventors": "发明人",
    "agencies": "代理机构",
    "agents": "代理人",
    "applicant_address": "第一申请人地址",
    "applicant_postcode": "第一申请人邮编",
    "applicant_province": "第一申请人省份",
    "applicant_city": "第一申请人城市",
    "applicant_county": "第一申请人区县",
    "applicant_country": "第一申请人国别",
    "applicant_uscc": "第一申请人统一社会信用代码",
    "legal_status": "法律状态",
    "family_id": "同族 ID",
    "family_size": "同族数",
    "family_countries": "同族国家",
    "cited_count": "被引用次数",
    "citing_count": "引用次数",
    "citations": "引用文献",
    "sei_tags": "战略性新兴产业分类",
}
_LIST = re.compile(r"[;；|\n]")


def validate_mapping(path, mapping) -> dict[str, str]:
    if not isinstance(mapping, dict) or not mapping:
        raise ReaderError(path, "通用表格需要列映射（目标字段 → 文件中的列名）")
    unknown = [k for k in mapping if k not in GENERIC_FIELDS]
    if unknown:
        raise ReaderError(path, f"列映射中有未知的目标字段：{'、'.join(map(str, unknown))}")
    empty = [GENERIC_FIELDS[k] for k, v in mapping.items() if not isinstance(v, str) or not v.strip()]
    if empty:
        raise ReaderError(path, f"列映射中这些字段没有指定列名：{'、'.join(empty)}")
    if "application_number" not in mapping:
        raise ReaderError(path, "列映射必须包含申请号（application_number）")
    return {k: v.strip() for k, v in mapping.items()}


def read_generic(path, mapping: dict) -> Iterator:
    mapping = validate_mapping(path, mapping)
    wanted = {canon(v) for v in mapping.values()}

    def is_header(cells: list[str]) -> bool:
        return wanted <= {canon(c) for c in cells}

    try:
        with open_table(path, is_header) as table:
            columns = Columns(table.headers, {field: (header,) for field, header in mapping.items()})
            yield from iter_table_records(table, lambda row: _map_row(row, columns))
    except ReaderError as exc:
        if "找不到表头行" not in exc.detail:
            raise
        raise _missing_columns(path, mapping) from None


def _missing_columns(path, mapping: dict[str, str]) -> ReaderError:
    try:
        with open_table(path) as first:
            present = {canon(h) for h in first.headers}
    except ReaderError:
        return ReaderError(path, "文件为空")
    missing = [v for v in mapping.values() if canon(v) not in present]
    return ReaderError(path, f"文件中找不到列映射指定的列：{'、'.join(missing) or '（列名不在同一行）'}")


def _map_row(row: Row, c: Columns):
    b = RecordBuilder(FORMAT, row.number, row.raw())
    office_text = c.text(row, "office")
    office = office_code(office_text)
    if office_text and office is None:
        b.reject(f"无法识别的受理局（国别）「{office_text}」，应为两位字母代码（如 CN、US）或中文国名")
    b.application(c.get(row, "application_number"), office)
    if b.values.get("patent_type") is None:
        b.set("patent_type", c.text(row, "patent_type") or None)

    b.date("application_date", c.get(row, "application_date"))
    pub_date = b.date("publication_date", c.get(row, "publication_date"))
    b.date("grant_date", c.get(row, "grant_date"))
    b.date("priority_date", c.get(row, "priority_date"))
    for number in split_list(c.text(row, "publication_number"), _LIST):
        b.publication(number, pub_date)

    for field in ("title", "abstract", "claims", "description"):
        b.set(field, clean_text(c.get(row, field)))
    ipc_raw = c.text(row, "ipc")
    b.set("ipc_raw", ipc_raw or c.text(row, "ipc_main") or None)
    ipcs = b.classifications("ipc", ipc_raw, "IPC")
    if c.text(row, "ipc_main"):
        main = b.classifications("ipc", c.text(row, "ipc_main"), "IPC 主分类")
        b.set("ipc_main", main[0] if main else None)
    elif ipcs:
        b.set("ipc_main", ipcs[0])
    b.classifications("cpc", c.text(row, "cpc"), "CPC")

    applicants = parties_from_names(split_list(c.text(row, "applicants"), _LIST))
    _first_applicant(b, applicants, row, c)
    b.set("applicants", applicants)
    for field in ("patentees", "inventors", "agencies"):
        b.set(field, parties_from_names(split_list(c.text(row, field), _LIST)))
    b.set("agents", [normalise_name(a) for a in split_list(c.text(row, "agents"), _LIST)])

    b.legal_status(c.text(row, "legal_status"))
    b.set("family_id", c.text(row, "family_id") or None)
    b.count("family_size", c.get(row, "family_size"), "同族数")
    b.set("family_countries", [squeeze(x) for x in split_list(c.text(row, "family_countries"), re.compile(r"[;；|,，\s]"))])
    b.count("cited_count", c.get(row, "cited_count"), "被引用次数")
    b.count("citing_count", c.get(row, "citing_count"), "引用次数")
    b.set("citations", [squeeze(x) for x in split_list(c.text(row, "citations"), _LIST)])
    b.set("sei_tags", split_list(c.text(row, "sei_tags"), _LIST))

    for header in c.unused:
        b.extra(header, clean_text(row.get(header)))
    return b.finish()


def _first_applicant(b: RecordBuilder, applicants: list[Party], row: Row, c: Columns) -> None:
    fields = ("applicant_address", "applicant_postcode", "applicant_province", "applicant_city", "applicant_county",
              "applicant_country", "applicant_uscc")
    values = {f: c.text(row, f) for f in fields}
    if not any(values.values()):
        return
    if not applicants:
        b.warn("有第一申请人的地址或代码，但申请人为空，已忽略")
        return
    party = applicants[0]
    postcode, address = split_postcode(values["applicant_address"])
    party.address = address
    party.postcode = values["applicant_postcode"] or postcode
    party.province = values["applicant_province"] or None
    party.city = values["applicant_city"] or None
    party.county = values["applicant_county"] or None
    party.country = squeeze(values["applicant_country"]) or None
    if values["applicant_uscc"]:
        try:
            party.uscc = validate_uscc(values["applicant_uscc"])
        except ValidationError as exc:
            b.reject(f"第一申请人的{'；'.join(exc.messages)}")
