"""Validators and normalisers for Chinese identifiers (domain reference §1).

Every function is pure (no database) and raises `django.core.exceptions.ValidationError` with a Chinese message and a
stable `code`. Messages use `%(name)s` placeholders with `params`, so raw input containing `%` is safe.
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from stdnum.cn import ric as _ric
from stdnum.cn import uscc as _uscc
from stdnum.exceptions import ValidationError as _StdnumError

__all__ = [
    "APPLICATION_TYPES",
    "PublicationNumber",
    "application_number_validator",
    "application_type",
    "compute_application_check_digit",
    "ipc_list_validator",
    "ipc_validator",
    "mobile_validator",
    "normalize_application_number",
    "normalize_ipc",
    "parse_publication_number",
    "resident_id_validator",
    "split_ipc_list",
    "uscc_region_code",
    "uscc_validator",
    "validate_mobile",
    "validate_resident_id",
    "validate_uscc",
]


def _text(raw: object) -> str:
    """NFKC-fold (full-width -> ASCII), upper-case and strip."""
    if raw is None:
        return ""
    return unicodedata.normalize("NFKC", str(raw)).replace("。", ".").upper().strip()


def _squeeze(text: str) -> str:
    return "".join(text.split())


# --- CN application number (申请号) -------------------------------------------------------------------------------

APPLICATION_TYPES: dict[str, str] = {
    "1": "发明",
    "2": "实用新型",
    "3": "外观设计",
    "8": "PCT发明",
    "9": "PCT实用新型",
}
_APP_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_APP_RE = re.compile(r"(?:CN|ZL)?(\d{12}|\d{8})\.?([0-9X])")
_APP_EXAMPLE = "CN202210836006.7"


def compute_application_check_digit(digits: str) -> str:
    """Check character for a 12- or 8-digit application number body: weighted sum mod 11, 10 -> "X"."""
    if not isinstance(digits, str) or not digits.isascii() or not digits.isdigit() or len(digits) not in (8, 12):
        raise ValidationError(
            "申请号主体应为 12 位或 8 位数字，实际为「%(value)s」",
            code="invalid_format",
            params={"value": digits},
        )
    remainder = sum(int(d) * w for d, w in zip(digits, _APP_WEIGHTS)) % 11
    return "X" if remainder == 10 else str(remainder)


def normalize_application_number(raw: str) -> str:
    """Return the canonical form "CN202210836006.7" (or "CN02134647.X"), verifying type digit and check character.

    Accepts an optional CN (or ZL, 专利号) prefix in any case, a missing dot, whitespace and full-width characters.
    """
    text = _squeeze(_text(raw))
    if not text:
        raise ValidationError("申请号为空", code="empty")
    match = _APP_RE.fullmatch(text)
    if match is None:
        body = text.removeprefix("CN").removeprefix("ZL").removesuffix(".")
        if body.isascii() and body.isdigit() and len(body) in (8, 12):
            raise ValidationError(
                "申请号缺少校验位：「%(value)s」后应有“.”和一位校验位（数字或 X）",
                code="missing_check_digit",
                params={"value": raw},
            )
        raise ValidationError(
            "申请号格式错误：「%(value)s」，应为 12 位（或 2003 年前的 8 位）数字加校验位，如 %(example)s",
            code="invalid_format",
            params={"value": raw, "example": _APP_EXAMPLE},
        )
    body, check = match.groups()
    type_digit = body[4] if len(body) == 12 else body[2]
    if type_digit not in APPLICATION_TYPES:
        raise ValidationError(
            "申请号类型位错误：第 %(position)d 位应为 1、2、3、8 或 9，实际为 %(actual)s",
            code="invalid_type",
            params={"position": 5 if len(body) == 12 else 3, "actual": type_digit, "value": raw},
        )
    expected = compute_application_check_digit(body)
    if check != expected:
        raise ValidationError(
            "申请号校验位错误：应为 %(expected)s，实际为 %(actual)s",
            code="invalid_check_digit",
            params={"expected": expected, "actual": check, "value": raw},
        )
    return f"CN{body}.{check}"


def application_type(number: str) -> str:
    """发明 / 实用新型 / 外观设计 / PCT发明 / PCT实用新型, from the type digit (validates the number first)."""
    body = normalize_application_number(number)[2:].split(".")[0]
    return APPLICATION_TYPES[body[4] if len(body) == 12 else body[2]]


# --- CN publication number (公开/公告号) ----------------------------------------------------------------------------

_PUB_RE = re.compile(r"([A-Z]{2})?(\d+)([A-Z])")
_PUB_TYPE_NAMES = {"1": "发明", "2": "实用新型", "3": "外观设计"}
# (serial length, type digit) -> {kind: document type or None where not derivable}
_PUB_KINDS: dict[tuple[int, str], dict[str, str | None]] = {
    (9, "1"): {"A": "发明公布", "B": "发明授权", "C": "发明授权"},
    (9, "2"): {"U": "实用新型", "Y": "实用新型"},
    (9, "3"): {"S": "外观设计", "D": "外观设计"},
    (7, "1"): {"A": "发明公布", "C": "发明授权", "B": None},  # 7-digit B was 审定 (pre-1993)
    (7, "2"): {"Y": "实用新型", "U": "实用新型"},
    (7, "3"): {"D": "外观设计", "S": "外观设计"},
}


def _or_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{'、'.join(items[:-1])} 或 {items[-1]}"


@dataclass(frozen=True)
class PublicationNumber:
    country: str
    serial: str
    kind: str
    document_type: str | None  # 发明公布 / 发明授权 / 实用新型 / 外观设计, None where not derivable

    def __str__(self) -> str:
        return f"{self.country}{self.serial}{self.kind}"


def parse_publication_number(raw: str) -> PublicationNumber:
    """Parse "CN114399933A" (9-digit serial) or "CN1530884A" (7-digit); the CN prefix is optional."""
    text = _squeeze(_text(raw))
    if not text:
        raise ValidationError("公开号为空", code="empty")
    match = _PUB_RE.fullmatch(text)
    if match is None or len(match.group(2)) not in (7, 9):
        raise ValidationError(
            "公开（公告）号格式错误：「%(value)s」，应为 CN 加 9 位（或早期 7 位）序号加文献种类代码，如 CN114399933A",
            code="invalid_format",
            params={"value": raw},
        )
    country, serial, kind = match.groups()
    country = country or "CN"
    if country != "CN":
        raise ValidationError(
            "仅支持中国公开（公告）号，「%(value)s」的国别代码为 %(country)s",
            code="invalid_country",
            params={"value": raw, "country": country},
        )
    kinds = _PUB_KINDS.get((len(serial), serial[0]))
    if kinds is None:
        raise ValidationError(
            "公开（公告）号序号首位应为 1（发明）、2（实用新型）或 3（外观设计），实际为 %(actual)s",
            code="invalid_type",
            params={"value": raw, "actual": serial[0]},
        )
    if kind not in kinds:
        raise ValidationError(
            "公开（公告）号文献种类代码与专利类型不符：%(type)s专利（序号首位为 %(digit)s）不能使用 %(kind)s，应为 %(allowed)s",
            code="invalid_kind",
            params={
                "value": raw,
                "type": _PUB_TYPE_NAMES[serial[0]],
                "digit": serial[0],
                "kind": kind,
                "allowed": _or_list(sorted(kinds)),
            },
        )
    return PublicationNumber(country=country, serial=serial, kind=kind, document_type=kinds[kind])


# --- 统一社会信用代码 (USCC, GB 32100-2015) --------------------------------------------------------------------------

_USCC_ALPHABET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")  # no I, O, S, V, Z


def validate_uscc(raw: str) -> str:
    """Return the normalised (upper-case, separator-free) USCC or raise with the specific problem.

    Only characters 3–8 (region code) must be digits; the first character (登记管理部门) may be a letter (e.g. N, Y),
    which `stdnum.cn.uscc.validate` would wrongly reject, so its check-digit routine is used directly.
    """
    code = _squeeze(_uscc.compact(_text(raw)))
    if not code:
        raise ValidationError("统一社会信用代码为空", code="empty")
    bad = sorted({c for c in code if c not in _USCC_ALPHABET})
    if bad:
        raise ValidationError(
            "统一社会信用代码含非法字符：%(chars)s（只能使用数字和大写字母，且不得使用 I、O、S、V、Z）",
            code="invalid_characters",
            params={"chars": "、".join(bad), "value": raw},
        )
    if len(code) != 18:
        raise ValidationError(
            "统一社会信用代码长度错误：应为 18 位，实际为 %(length)d 位",
            code="invalid_length",
            params={"length": len(code), "value": raw},
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            "统一社会信用代码第 3–8 位（行政区划代码）应为数字，实际为 %(region)s",
            code="invalid_region_code",
            params={"region": code[2:8], "value": raw},
        )
    expected = _uscc.calc_check_digit(code)
    if code[-1] != expected:
        raise ValidationError(
            "统一社会信用代码校验位错误：应为 %(expected)s，实际为 %(actual)s",
            code="invalid_check_digit",
            params={"expected": expected, "actual": code[-1], "value": raw},
        )
    return code


def uscc_region_code(uscc: str) -> str:
    """Characters 3–8: the GB/T 2260 administrative region code (validates first)."""
    return validate_uscc(uscc)[2:8]


# --- IPC symbols ---------------------------------------------------------------------------------------------------

_IPC_EDITION = r"\(\s*\d{4}\s*\.\s*\d{2}\s*\)"
# Sections A-H; also Y (CPC's tagging section, e.g. "Y02P 90/02"), which real CN exports mix into 国际分类.
_IPC_BODY = r"([A-HY])\s*(\d{2})\s*([A-Z])\s*(\d{1,4})\s*/\s*(\d{2,})"
_IPC_RE = re.compile(rf"{_IPC_BODY}(?:\s*{_IPC_EDITION})?")
_IPC_SPACE_LIST_RE = re.compile(rf"{_IPC_RE.pattern}(?:\s+{_IPC_RE.pattern})+")
_IPC_SEPARATORS = re.compile(r"[;；|,，、]")


def normalize_ipc(raw: str) -> str:
    """"G09B  9/00", "g09b9/00", "G09G 5/10 (2006.01)" -> "G09B 9/00"-style (edition suffix dropped).

    CPC Y-section tags ("Y02P90/02") are accepted too: real exports list them among the IPC symbols.
    """
    text = _text(raw)
    match = _IPC_RE.fullmatch(text)
    if match is None or int(match.group(4)) == 0:
        raise ValidationError(
            "IPC 分类号格式错误：「%(value)s」，应为部、大类、小类、主组/分组，如 G09B 9/00",
            code="invalid_ipc",
            params={"value": raw},
        )
    section, klass, subclass, group, subgroup = match.groups()
    return f"{section}{klass}{subclass} {int(group)}/{subgroup}"


def split_ipc_list(raw: str) -> list[str]:
    """Split on ; ； | , ， 、 (and on whitespace between complete symbols), normalise each, drop empties.

    Raises one ValidationError listing every bad item.
    """
    result: list[str] = []
    errors: list[ValidationError] = []
    items = [item.strip() for item in _IPC_SEPARATORS.split(_text(raw))]
    for position, item in enumerate((i for i in items if i), start=1):
        try:
            result.append(normalize_ipc(item))
            continue
        except ValidationError:
            pass
        if _IPC_SPACE_LIST_RE.fullmatch(item):
            result.extend(normalize_ipc(m.group(0)) for m in _IPC_RE.finditer(item))
        else:
            errors.append(
                ValidationError(
                    "第 %(position)d 项 IPC 分类号格式错误：「%(value)s」，应为如 G09B 9/00 的形式",
                    code="invalid_ipc",
                    params={"position": position, "value": item},
                )
            )
    if errors:
        raise ValidationError(errors)
    return result


# --- Resident ID number (GB 11643) ---------------------------------------------------------------------------------


def validate_resident_id(raw: str) -> str:
    """Return the 18-character ID number (upper-case X) after checking length, format, birth date and check digit.

    The birth place is not checked against stdnum's region table, which lags behind GB/T 2260 changes.
    """
    number = _squeeze(_ric.compact(_text(raw)))
    if not number:
        raise ValidationError("身份证号码为空", code="empty")
    if len(number) != 18:
        raise ValidationError(
            "身份证号码长度错误：应为 18 位，实际为 %(length)d 位",
            code="invalid_length",
            params={"length": len(number), "value": raw},
        )
    if not (number[:17].isascii() and number[:17].isdigit() and (number[17].isdigit() or number[17] == "X")):
        raise ValidationError(
            "身份证号码格式错误：前 17 位应为数字，末位应为数字或 X",
            code="invalid_format",
            params={"value": raw},
        )
    try:
        birth = _ric.get_birth_date(number)
    except _StdnumError:
        birth = None
    if birth is None or birth.year < 1900 or birth > datetime.date.today():
        raise ValidationError(
            "身份证号码出生日期无效：%(date)s",
            code="invalid_birth_date",
            params={"date": f"{number[6:10]}-{number[10:12]}-{number[12:14]}", "value": raw},
        )
    expected = _ric.calc_check_digit(number)
    if number[17] != expected:
        raise ValidationError(
            "身份证号码校验位错误：应为 %(expected)s，实际为 %(actual)s",
            code="invalid_check_digit",
            params={"expected": expected, "actual": number[17], "value": raw},
        )
    return number


# --- Mobile phone number (mainland) --------------------------------------------------------------------------------

_MOBILE_SEPARATORS = re.compile(r"[\s\-–—]")


def validate_mobile(raw: str) -> str:
    """Return the 11 digits; accepts +86 / 0086 / 86 prefixes, spaces and hyphens."""
    text = _MOBILE_SEPARATORS.sub("", _text(raw))
    if not text:
        raise ValidationError("手机号码为空", code="empty")
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    if not (text.isascii() and text.isdigit()):
        raise ValidationError(
            "手机号码含非法字符：「%(value)s」，只能包含数字（可带 +86 前缀、空格或连字符）",
            code="invalid_format",
            params={"value": raw},
        )
    if len(text) != 11:
        raise ValidationError(
            "手机号码长度错误：应为 11 位数字，实际为 %(length)d 位",
            code="invalid_length",
            params={"length": len(text), "value": raw},
        )
    if text[0] != "1" or text[1] not in "3456789":
        raise ValidationError(
            "手机号码号段错误：应以 13–19 开头，实际为 %(prefix)s",
            code="invalid_prefix",
            params={"prefix": text[:2], "value": raw},
        )
    return text


# --- Django field validators ----------------------------------------------------------------------------------------


def uscc_validator(value: str) -> None:
    validate_uscc(value)


def resident_id_validator(value: str) -> None:
    validate_resident_id(value)


def mobile_validator(value: str) -> None:
    validate_mobile(value)


def ipc_validator(value: str) -> None:
    """A single IPC symbol."""
    normalize_ipc(value)


def ipc_list_validator(value: str) -> None:
    """A separated list of IPC symbols."""
    split_ipc_list(value)


def application_number_validator(value: str) -> None:
    normalize_application_number(value)
