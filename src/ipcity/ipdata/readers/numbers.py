"""Application numbers, publication numbers and classification symbols, through the project's validators.

CN numbers are validated strictly (core.validators); other offices' numbers are only normalised (NFKC, upper case,
no spaces), never check-digit validated.
"""
from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError

from ipcity.core.validators import (
    APPLICATION_TYPES,
    normalize_application_number,
    normalize_ipc,
    parse_publication_number,
    split_ipc_list,
)

from .normalise import cell_text

__all__ = ["OFFICE_NAMES", "office_code", "parse_application_number", "parse_classifications", "parse_publication",
           "squeeze"]

# Chinese names of offices as incoPat's 公开国别 and hand-made tables write them
OFFICE_NAMES = {
    "中国": "CN", "美国": "US", "日本": "JP", "韩国": "KR", "世界知识产权组织": "WO", "欧洲专利局": "EP", "德国": "DE",
    "英国": "GB", "法国": "FR", "中国台湾": "TW", "中国香港": "HK", "中国澳门": "MO", "印度": "IN", "澳大利亚": "AU",
    "加拿大": "CA", "俄罗斯": "RU", "巴西": "BR", "土耳其": "TR", "西班牙": "ES", "瑞典": "SE", "新加坡": "SG",
    "葡萄牙": "PT", "芬兰": "FI", "意大利": "IT", "荷兰": "NL", "瑞士": "CH", "奥地利": "AT", "以色列": "IL",
    "墨西哥": "MX", "南非": "ZA", "新西兰": "NZ", "丹麦": "DK", "挪威": "NO", "比利时": "BE", "波兰": "PL",
}

_PREFIX = re.compile(r"[A-Z]{2}")
_FOREIGN_PUB = re.compile(r"([A-Z]{2})([A-Z0-9]*?\d[A-Z0-9]*?)([A-Z]\d?)")
_SUBCLASS = re.compile(r"[A-HY]\d{2}[A-Z]")
_FOREIGN_NOISE = re.compile(r"[,/\-]")
_FOREIGN_NUMBER = re.compile(r"[A-Z]{2}[A-Z0-9.]+")
_SEPARATORS = re.compile(r"[;；|,，、\n]")
# ST.8 position/value letters after the edition, as CNIPA XML writes them: "H04N 5/232(2006.01)I"
_EDITION_FLAGS = re.compile(r"(\(\s*\d{4}\s*\.\s*\d{2}\s*\))\s*[A-Z]{1,2}\b")


def squeeze(raw) -> str:
    """NFKC (full-width → ASCII), upper case, all whitespace removed."""
    return "".join(unicodedata.normalize("NFKC", cell_text(raw)).upper().split())


def office_code(raw) -> str | None:
    """"CN", "us", "美国" → the two-letter code; None for anything else (including empty)."""
    text = cell_text(raw).strip()
    if text in OFFICE_NAMES:
        return OFFICE_NAMES[text]
    code = squeeze(text)
    return code if _PREFIX.fullmatch(code) else None


def parse_application_number(raw, office_hint: str | None = None) -> tuple[str, str, str | None]:
    """(canonical number, office, patent type) or ValidationError (Chinese).

    A number with a CN/ZL prefix — or with no letter prefix when the office is CN or unknown — is a CN number:
    canonical "CN202210836006.7", check digit verified, type from the type digit. Anything else keeps its office
    ("US17715764" → "US"; "PCT/…" → "WO") and is only normalised (commas, slashes and hyphens dropped).
    """
    text = squeeze(raw)
    if not text:
        raise ValidationError("申请号为空", code="empty")
    prefix = text[:2] if _PREFIX.match(text) else None
    if text.startswith("PCT/"):
        return text, "WO", None
    if prefix in ("CN", "ZL") or (prefix is None and office_hint in (None, "", "CN")):
        number = normalize_application_number(text)
        body = number[2:].split(".")[0]  # validated: the type digit is known
        return number, "CN", APPLICATION_TYPES[body[4] if len(body) == 12 else body[2]]
    office = prefix or office_hint
    text = _FOREIGN_NOISE.sub("", text)  # "US17/715,764" → "US17715764", as incoPat/DOCDB write it
    number = text if prefix else f"{office}{text}"
    if not _FOREIGN_NUMBER.fullmatch(number) or sum(ch.isdigit() for ch in number) < 4:
        raise ValidationError("申请号格式错误：「%(value)s」不是可识别的申请号（应含国别代码和至少 4 位数字）",
                              code="invalid_format", params={"value": cell_text(raw)})
    return number, office, None


def parse_publication(raw, date: str | None = None, office: str | None = None) -> tuple[dict | None, list[str]]:
    """({"number", "kind", "date", "raw"} or None when empty, problems). CN numbers are validated (problems are
    reasons to reject); others are split into office, serial and kind when they look like "US20220231975A1"."""
    text = squeeze(raw)
    if not text:
        return None, []
    prefix = text[:2] if _PREFIX.match(text) else None
    if prefix == "CN" or (prefix is None and office in (None, "", "CN")):
        try:
            number = parse_publication_number(text)
        except ValidationError as exc:
            return None, list(exc.messages)
        return {"number": str(number), "kind": number.kind, "date": date, "raw": cell_text(raw)}, []
    match = _FOREIGN_PUB.fullmatch(text if prefix else f"{office}{text}")
    number = match.group(0) if match else text
    kind = match.group(3) if match else None
    return {"number": number, "kind": kind, "date": date, "raw": cell_text(raw)}, []


def parse_classifications(raw, label: str = "IPC") -> tuple[list[str], list[str]]:
    """(symbols normalised "G06F 16/583", warnings) for an IPC or CPC list.

    Items the validators cannot read are left out of the list and reported as warnings (the raw text is kept by the
    caller): a symbol given only to the 小类 ("H04M") or an unreadable one.
    """
    text = cell_text(raw)
    if not text.strip():
        return [], []
    if "(" in text:
        text = _EDITION_FLAGS.sub(r"\1", text)
    try:
        return _dedupe(split_ipc_list(text)), []
    except ValidationError:
        pass
    symbols, warnings = [], []
    for item in (i.strip() for i in _SEPARATORS.split(text)):
        if not item:
            continue
        try:
            symbols.append(normalize_ipc(item))
            continue
        except ValidationError:
            pass
        try:
            symbols.extend(split_ipc_list(item))  # several symbols separated by spaces only
            continue
        except ValidationError:
            pass
        if _SUBCLASS.fullmatch(squeeze(item)):
            warnings.append(f"{label} 分类号「{item}」只到小类，未列入分类号列表")
        else:
            warnings.append(f"{label} 分类号「{item}」无法识别，未列入分类号列表")
    return _dedupe(symbols), warnings


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
