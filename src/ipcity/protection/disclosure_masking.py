"""Masking a penalty decision for publication (domain reference §5, 浙江 practice): natural persons' home address,
contact numbers, ID numbers and bank accounts, and the names of natural persons other than the party. Pure functions
(no database); the case officer reviews the result and a reviewer signs it off before anything is published."""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from ipcity.core.masking import mask_address, mask_id_number, mask_name, mask_phone
from ipcity.core.validators import validate_resident_id

_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d{9})(?!\d)")
_LANDLINE_RE = re.compile(r"(?<!\d)(0\d{2,3}-\d{7,8})(?!\d)")
_BANK_RE = re.compile(r"(?<![0-9A-Za-z])(\d{16,19})(?![0-9A-Za-z])")
# "住址：…" is a natural person's home; "住所/地址：…" too when the party is a natural person.
_HOME_RE = re.compile(r"((?:家庭)?住址[：:])([^，。；;\n]+)")
_PLACE_RE = re.compile(r"((?:住所|地址|经营场所)[：:])([^，。；;\n]+)")


def _mask_ids(text: str) -> str:
    def repl(m: re.Match) -> str:
        value = m.group(1)
        if len(value) == 18:
            try:
                validate_resident_id(value)
            except ValidationError:
                return value  # not a resident ID (an all-digit USCC, an order number): left as it is
        return mask_id_number(value)

    return _ID_RE.sub(repl, text)


def _mask_landline(number: str) -> str:
    area, _, local = number.partition("-")
    return f"{area}-{'*' * (len(local) - 2)}{local[-2:]}"


def _mask_bank(text: str) -> str:
    return _BANK_RE.sub(lambda m: m.group(1)[:4] + "*" * (len(m.group(1)) - 8) + m.group(1)[-4:], text)


def mask_decision_text(text: str, *, party_is_natural_person: bool, other_names: list[str] = ()) -> str:
    text = _mask_ids(text)
    text = _MOBILE_RE.sub(lambda m: m.group(0).replace(m.group(1), mask_phone(m.group(1))), text)
    text = _LANDLINE_RE.sub(lambda m: _mask_landline(m.group(1)), text)
    text = _mask_bank(text)
    text = _HOME_RE.sub(lambda m: m.group(1) + mask_address(m.group(2).strip()), text)
    if party_is_natural_person:
        text = _PLACE_RE.sub(lambda m: m.group(1) + mask_address(m.group(2).strip()), text)
    for name in sorted({n.strip() for n in other_names if n.strip()}, key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    return text


def split_names(raw: str) -> list[str]:
    return [n for n in re.split(r"[,，、;；\s]+", raw or "") if n]
