"""Small normalisers shared by the format readers: cell text, names, lists, dates, addresses, legal status.

Pure functions; problems are reported as Chinese strings (or `ValueProblem`), never fixed silently.
"""
from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata

from .record import Party

__all__ = [
    "LEGAL_STATUSES",
    "ValueProblem",
    "cell_text",
    "clean_text",
    "normalise_legal_status",
    "normalise_name",
    "parse_date",
    "parse_int",
    "parties_from_names",
    "split_list",
    "split_postcode",
    "split_region",
]


class ValueProblem(ValueError):
    """A cell value that cannot be read; str(exc) is a Chinese message without the field label."""


# --- cell text -----------------------------------------------------------------------------------------------------


def cell_text(value) -> str:
    """The text of a cell as read: "" for empty, ISO for dates, integral floats without ".0"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_NEWLINES = re.compile(r"\r\n?")


def clean_text(value) -> str | None:
    """Text for a long field (title, abstract, claims): newlines unified to \\n, outer whitespace (incl. 　) stripped."""
    text = _NEWLINES.sub("\n", cell_text(value)).strip(" \t\n\u3000\xa0")
    return text or None


# --- names ---------------------------------------------------------------------------------------------------------

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3000: 0x20, 0xA0: 0x20})
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACES = re.compile(r"\s+")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff（）·]) (?=[\u3400-\u9fff\uf900-\ufaff（）·])")
_PLAIN_CJK = re.compile(r"[\u4e00-\u9fff]+")
_INTERPUNCTS = str.maketrans({"•": "·", "・": "·", "･": "·", "‧": "·", "∙": "·", "●": "·"})


def normalise_name(raw: str) -> str:
    """Display form of a party name.

    Full-width ASCII (letters, digits, punctuation, the ideographic space) becomes half-width; whitespace is collapsed,
    and removed between two Chinese characters. In names with Chinese characters round brackets become （）and the
    middle dots of transliterated names become "·"; purely Latin names keep ASCII brackets ("Foo (Pty) Ltd").
    """
    text = cell_text(raw)
    if _PLAIN_CJK.fullmatch(text):  # the common case: nothing to normalise
        return text
    text = _SPACES.sub(" ", text.translate(_FULLWIDTH)).strip()
    if _CJK.search(text):
        text = text.replace("(", "（").replace(")", "）").translate(_INTERPUNCTS)
        text = _CJK_GAP.sub("", text)
        text = text.replace("（ ", "（").replace(" ）", "）")
    return text


_DEFAULT_SEPARATORS = re.compile(r"[;；|\n]")
_STRIP = " \t\r\u3000"


def split_list(text, separators: str | re.Pattern = _DEFAULT_SEPARATORS) -> list[str]:
    """Split a list cell on the given separator pattern; items stripped, empties dropped, order kept."""
    text = cell_text(text)
    if not text:
        return []
    pattern = separators if isinstance(separators, re.Pattern) else re.compile(separators)
    return [s for s in (item.strip(_STRIP) for item in pattern.split(text)) if s]


def parties_from_names(items: list[str]) -> list[Party]:
    parties = []
    for item in items:
        name = normalise_name(item)
        if name:
            parties.append(Party(name=name, raw=item))
    return parties


def unescape_markup(text: str) -> str:
    """Undo HTML escapes and cut CDATA/XML debris some exports leave in a cell ("…]]&gt; &lt;/AAOFItem&gt;")."""
    text = html.unescape(text)
    for marker in ("]]>", "</"):
        pos = text.find(marker)
        if pos >= 0:
            text = text[:pos]
    return text.strip()


# --- numbers and dates ---------------------------------------------------------------------------------------------


def parse_int(value) -> int | None:
    """Counts such as 同族数: "" → None; "3", 3.0 → 3; anything else raises ValueProblem."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueProblem(f"「{value}」不是整数")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueProblem(f"「{value}」不是整数")
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    if not text:
        return None
    if re.fullmatch(r"[+-]?\d+(?:\.0+)?", text):
        return int(float(text)) if "." in text else int(text)
    raise ValueProblem(f"「{value}」不是整数")


_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DATE_SEPARATED = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
EARLIEST_YEAR = 1790  # older than any patent document an office publishes


def _date_from_number(number: int, shown) -> dt.date:
    if 10_000_000 <= number <= 99_999_999:  # 20220107
        return _ymd(number // 10000, number // 100 % 100, number % 100, shown)
    if 1 <= number < 2_958_466:  # an Excel serial day number of a cell not formatted as a date
        return _EXCEL_EPOCH + dt.timedelta(days=number)
    raise ValueProblem(f"「{shown}」不是可识别的日期")


def _ymd(year: int, month: int, day: int, shown) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueProblem(f"「{shown}」不是有效日期") from None


def parse_date(value, *, today: dt.date | None = None) -> str | None:
    """ISO "YYYY-MM-DD" from a date cell, "20220107", 20220107, "2022/07/15", "2022.07.15", "2022年7月15日", an ISO
    text or an Excel day number; "" → None. Impossible dates (2022-13-45, before 1790, after today) raise ValueProblem."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    elif isinstance(value, bool):
        raise ValueProblem(f"「{value}」不是可识别的日期")
    elif isinstance(value, int):
        date = _date_from_number(value, value)
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueProblem(f"「{value}」不是可识别的日期")
        date = _date_from_number(int(value), cell_text(value))
    else:
        text = str(value).strip()
        if not text:
            return None
        if len(text) == 8 and text.isascii() and text.isdigit():  # the common case: 20220107
            date = _ymd(int(text[:4]), int(text[4:6]), int(text[6:]), value)
            return _checked(date, value, today)
        text = unicodedata.normalize("NFKC", text)
        match = _DATE_COMPACT.fullmatch(text)
        if match is None:
            match = _DATE_SEPARATED.fullmatch(text)
        if match is None:
            raise ValueProblem(f"「{value}」不是可识别的日期")
        date = _ymd(int(match.group(1)), int(match.group(2)), int(match.group(3)), value)
    return _checked(date, value, today)


def _checked(date: dt.date, value, today: dt.date | None) -> str:
    if date.year < EARLIEST_YEAR:
        raise ValueProblem(f"「{cell_text(value)}」早于 {EARLIEST_YEAR} 年，不是有效日期")
    if date > (today or dt.date.today()):
        raise ValueProblem(f"「{cell_text(value)}」晚于今天，不是有效日期")
    return date.isoformat()


# --- addresses -----------------------------------------------------------------------------------------------------

_POSTCODE = re.compile(r"(\d{6})(?!\d)\s*(.*)", re.S)
PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省",
    "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区", "西藏自治区",
    "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区",
)
MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})
_CITY = re.compile(r"([^\s\d市省区县路街号（）()]{2,10}?自治州|[^\s\d市省区县路街号（）()]{1,6}?(?:地区|盟)"
                   r"|[^\s\d市省区县路街号（）()州]{1,5}?市)")
_COUNTY = re.compile(r"[^\s\d市省区县路街号（）()]{1,6}?(?:区|县|旗|市)")
# Names ending in 区 that are zones, not county-level divisions (高新区, 经济开发区, 自由贸易试验区 …)
_NOT_COUNTY = ("高新", "开发", "园区", "试验", "自贸", "保税", "新城", "工业", "科技", "经济", "软件", "商务", "产业")


def split_postcode(text) -> tuple[str | None, str | None]:
    """"710000 陕西省西安市高新区…" → ("710000", "陕西省西安市高新区…"); no leading 6-digit code → (None, text)."""
    text = _SPACES.sub(" ", cell_text(text).translate(_FULLWIDTH)).strip()
    if not text:
        return None, None
    match = _POSTCODE.fullmatch(text)
    if match:
        return match.group(1), match.group(2).strip() or None
    return None, text


def split_region(address: str | None) -> tuple[str | None, str | None, str | None]:
    """Best-effort (province, city, county) read from the start of a Chinese address.

    Only names written out in full are taken: the province from the 34 province-level names, then a city ending in
    市/自治州/地区/盟 (for 北京/天津/上海/重庆 the city is the municipality itself), then a county ending in 区/县/旗/市
    unless it is a zone (高新区, 开发区 …). Anything not matched is None; the pipeline's region table decides.
    """
    text = re.sub(r"\s+", "", address or "")
    province = next((p for p in PROVINCES if text.startswith(p)), None)
    if province is None:
        return None, None, None
    rest = text[len(province):]
    if province in MUNICIPALITIES:
        city = province
    else:
        match = _CITY.match(rest)
        if match is None:
            return province, None, None
        city = match.group(0)
        rest = rest[match.end():]
    match = _COUNTY.match(rest)
    county = match.group(0) if match and not any(word in match.group(0) for word in _NOT_COUNTY) else None
    return province, city, county


# --- legal status --------------------------------------------------------------------------------------------------

VALID, PENDING, LAPSED, UNCONFIRMED = "有效", "审中", "失效", "未确认"
LEGAL_STATUSES = (VALID, PENDING, LAPSED, UNCONFIRMED)

_STATUS_EXACT = {
    # in force
    "有效": VALID, "授权": VALID, "专利权维持": VALID, "权利恢复": VALID, "部分无效": VALID, "有效专利": VALID,
    "granted": VALID, "active": VALID, "in force": VALID, "alive": VALID,
    # pending: published, under examination, PCT international phase still open
    "审中": PENDING, "在审": PENDING, "公开": PENDING, "公布": PENDING, "实质审查": PENDING, "实审": PENDING,
    "实质审查的生效": PENDING, "申请中": PENDING, "受理": PENDING, "复审": PENDING, "pending": PENDING,
    "published": PENDING, "under examination": PENDING,
    # no longer in force, never granted, or the PCT period ended
    "失效": LAPSED, "无效": LAPSED, "驳回": LAPSED, "撤回": LAPSED, "视为撤回": LAPSED, "放弃": LAPSED,
    "视为放弃": LAPSED, "期限届满": LAPSED, "届满": LAPSED, "未缴年费": LAPSED, "权利终止": LAPSED,
    "申请终止": LAPSED, "全部撤销": LAPSED, "全部无效": LAPSED, "撤销": LAPSED, "避重放弃": LAPSED,
    "expired": LAPSED, "lapsed": LAPSED, "withdrawn": LAPSED, "abandoned": LAPSED, "rejected": LAPSED,
    "refused": LAPSED, "revoked": LAPSED, "dead": LAPSED, "inactive": LAPSED, "ceased": LAPSED,
}
_LAPSED_WORDS = ("驳回", "撤回", "放弃", "届满", "未缴", "终止", "撤销", "无效", "失效")
_PENDING_WORDS = ("实质审查", "审中", "在审", "公开", "公布")
_VALID_WORDS = ("授权", "有效", "维持")


def normalise_legal_status(raw) -> tuple[str | None, bool]:
    """(one of LEGAL_STATUSES or None when empty, recognised?) for a source's current legal status.

    PCT statuses ("未进入国家阶段-PCT有效期内", "PCT-有效期满"): within the 30-month period → 审中, expired → 失效.
    Anything not recognised → 未确认 (and False), so the caller can warn; the raw text is always kept by the caller.
    """
    text = unicodedata.normalize("NFKC", cell_text(raw)).strip()
    if not text:
        return None, True
    if "PCT" in text.upper():
        if "有效期内" in text:
            return PENDING, True
        if "有效期满" in text:
            return LAPSED, True
    status = _STATUS_EXACT.get(text) or _STATUS_EXACT.get(text.lower())
    if status:
        return status, True
    if "部分无效" in text:
        return VALID, True
    for words, status in ((_LAPSED_WORDS, LAPSED), (_PENDING_WORDS, PENDING), (_VALID_WORDS, VALID)):
        if any(word in text for word in words):
            return status, True
    return UNCONFIRMED, False
