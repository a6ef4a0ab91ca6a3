"""Attributing a patent to a GB/T 2260 region from its applicants' addresses.

Uses the split province/city/county fields when the source has them (CNIPA XML, Patentics full text), else reads
the address text: the province by full or short name, then a city of that province, then a county of that city.
The rule — first applicant only, or every applicant — is a business rule (ipdata.attribution_rule); the evidence
(which party, which text, what matched) is stored with the patent.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ipcity.core.rules import declare

ATTRIBUTION_RULE = declare("ipdata.attribution_rule", "first_applicant", "专利归属区划的依据：第一申请人或全部申请人",
                           choices=("first_applicant", "every_applicant"))

_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市", "自治州", "地区", "盟",
             "自治县", "县", "区", "旗")


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=1)
def _index():
    """(provinces [(full, short, code)], children {parent_code: [(full, short, code)]}) from the Region table."""
    from ipcity.regions.models import Region

    provinces, children = [], {}
    for code, name, level, parent in Region.objects.values_list("code", "name", "level", "parent_id"):
        entry = (name, _short(name), code)
        if level == 1:
            provinces.append(entry)
        else:
            children.setdefault(parent, []).append(entry)
    return provinces, children


def clear_cache() -> None:
    _index.cache_clear()
    region_from_text.cache_clear()


def _find(text: str, candidates) -> tuple[str, str, int] | None:
    """The candidate named earliest in text (the longer name on a tie): (code, name as matched, end position)."""
    best_key, best = None, None
    for full, short, code in candidates:
        for name in (full, short):
            pos = text.find(name)
            if pos >= 0:
                key = (pos, -len(name))
                if best_key is None or key < best_key:
                    best_key, best = key, (code, name, pos + len(name))
                break
    return best


@lru_cache(maxsize=20000)
def region_from_text(text: str) -> tuple[str | None, tuple[str, ...]]:
    """(most specific region code, the names matched) for an address such as "710000 陕西省西安市高新区…"."""
    text = re.sub(r"\s+", "", text or "")
    if not text:
        return None, ()
    provinces, children = _index()
    found = _find(text, provinces)
    matched, code, rest = [], None, text
    if found:
        code, name, end = found
        matched.append(name)
        rest = text[end:]
        level_candidates = children.get(code, [])
    else:  # no province written: look for a city directly (e.g. "菏泽市牡丹区…")
        level_candidates = [c for kids in children.values() for c in kids if c[2].endswith("00")]
    for _ in range(2):
        found = _find(rest, level_candidates)
        if not found:
            break
        code, name, end = found
        matched.append(name)
        rest = rest[end:]
        level_candidates = children.get(code, [])
    return code, tuple(matched)  # immutable: the result is cached


def attribute(parties, rule: str | None = None) -> tuple[str | None, dict]:
    """Region code and evidence for a patent's applicants (Party objects or dicts), per ATTRIBUTION_RULE (an
    importer reads the rule once and passes it in: one query per row would dominate an import)."""
    rule = rule or ATTRIBUTION_RULE.get()
    chosen = parties[:1] if rule == "first_applicant" else parties
    evidence = {"rule": rule, "parties": []}
    codes = []
    for party in chosen:
        get = party.get if isinstance(party, dict) else lambda k, p=party: getattr(p, k, None)
        split = "".join(filter(None, [get("province"), get("city"), get("county")]))
        source, text = ("split_fields", split) if split else ("address", get("address") or "")
        code, matched = region_from_text(text)
        evidence["parties"].append({"name": get("name"), "source": source, "text": text[:200], "matched": list(matched),
                                    "code": code})
        if code:
            codes.append(code)
    if not codes:
        return None, evidence
    if len(codes) == 1:
        return codes[0], evidence
    # Several applicants: the most specific region they share (a common prefix), else the first one's.
    common = codes[0]
    for code in codes[1:]:
        for width in (6, 4, 2):
            if code[:width] == common[:width]:
                common = common[:width].ljust(6, "0")
                break
        else:
            return codes[0], {**evidence, "note": "申请人分属不同省份，按第一申请人归属"}
    return common, evidence
