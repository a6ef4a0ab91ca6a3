"""发文字号: find and normalise document numbers to ``机关代字〔YYYY〕N号``.

Real variants handled: square or other brackets (``[2008]``, ``［2008］``, ``(2008)``, ``【2008】``), spaces
inside (``呼政字 〔2019〕 84号``, ``〔2024〕4 号``), 第 before the serial, leading zeros, and one bracket lost in
copying (``(202233号`` → ``〔2022〕33号``, ``菏政办字2022〕52号``).
"""

from __future__ import annotations

import re

_OPEN = "〔［[【(（{｛"
_CLOSE = "〕］]】)）}｝"
_AGENCY = r"[\u4e00-\u9fffA-Za-z]{1,14}"
DOC_NUMBER = re.compile(
    rf"(?P<agency>{_AGENCY})?[ ]*"
    rf"(?:(?P<open>[{re.escape(_OPEN)}])[ ]*(?P<y1>(?:19|20)\d\d)[ ]*(?P<close>[{re.escape(_CLOSE)}])?"
    rf"|(?P<y2>(?:19|20)\d\d)[ ]*[{re.escape(_CLOSE)}])"
    r"[ ]*第?[ ]*(?P<serial>\d{1,5})[ ]*号"
)
_LABEL = re.compile(r"^(?:文\s*号|发文字号|发文号|文件编号)\s*[:：|]\s*\|?\s*")


def _agency(raw: str | None) -> str:
    agency = (raw or "").strip()
    # Cut sentence text glued in front of a cited number ("…的通知国发〔2021〕20号" cannot be told apart,
    # but "印发" / "根据" style words never belong to a 机关代字).
    for stop in ("的通知", "的意见", "通知", "印发", "根据", "依据", "按照", "文号", "字号"):
        if stop in agency:
            agency = agency.rsplit(stop, 1)[1]
    if len(agency) > 2 and agency[0] in "和及与或、":
        agency = agency[1:]
    return agency


def normalize_doc_number(text: str) -> str | None:
    """The first document number in ``text``, normalised; None when there is none."""
    m = DOC_NUMBER.search(text)
    return _format(m) if m else None


def _format(m: re.Match) -> str:
    year = m["y1"] or m["y2"]
    return f"{_agency(m['agency'])}〔{year}〕{int(m['serial'])}号"


def find_doc_numbers(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), _format(m)) for m in DOC_NUMBER.finditer(text)]


def standalone_doc_number(line: str) -> str | None:
    """The number when a header line *is* a document number (``文号：…`` fields and 签发人 tails allowed)."""
    line = _LABEL.sub("", line.strip()).strip(" |")
    m = DOC_NUMBER.match(line)
    if not m:
        return None
    rest = line[m.end():].strip(" |")
    if rest and not re.match(r"^签\s*发\s*人", rest):
        return None
    return _format(m)
