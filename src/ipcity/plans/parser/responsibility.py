"""Responsible units written into a task: notes such as

* ``（责任单位：市市场监管局、财政局，各县（市）区政府）`` — full- or half-width brackets and colons;
* ``（牵头单位：市市场监管局；配合单位：市公安局、市司法局）`` → lead / support;
* ``（市市场监管局牵头，市公安局、市司法局配合）`` and ``（市市场监管局、市公安局负责）``;
* a line of its own: ``责任单位：市市场监管局``.

Units are split on 、，,；; outside brackets, whitespace inside a name is dropped, brackets become full-width,
and trailing words such as 按职责分工负责 / 等 are removed. ``responsible`` = lead + support, or the plain list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FIELD = re.compile(
    r"(?P<label>责任单位|责任部门|责任主体|主责单位|主责部门|负责单位|实施单位|承办单位|牵头单位|牵头部门|主办单位"
    r"|配合单位|配合部门|协办单位|参与单位|协同单位|协助单位)\s*[:：]\s*"
)
_LEAD_LABELS = {"牵头单位", "牵头部门", "主办单位", "主责单位", "主责部门"}
_SUPPORT_LABELS = {"配合单位", "配合部门", "协办单位", "参与单位", "协同单位", "协助单位"}
_LEAD_SUFFIX = re.compile(r"(?:牵头负责|牵头)$")
_SUPPORT_SUFFIX = re.compile(r"(?:共同)?(?:配合|参与|协助|协同|协办)$")
_PLAIN_SUFFIX = re.compile(r"(?:按职责分工负责|按职责分工落实|按职责负责|分别负责|共同负责|负责落实|负责)$")
_DEADLINE_FIELD = re.compile(r"[；;，,]?\s*(?:完成时限|完成时间|时间节点|时限要求|完成期限|时限)\s*[:：].*$")
UNIT_SUFFIX = re.compile(
    r"(?:局|委|办|办公室|部|院|厅|会|政府|中心|分局|分行|支行|海关|法院|检察院|管委会|公司|集团|大学|学院|党校|站|所|队"
    r"|处|室|社|馆|团|联|协会|学会|商会|银行|总局|单位|部门|小组|机构|街道|乡镇|园区|区|县|市)$"
)
_OPENERS, _CLOSERS = "（(", "）)"
FIRST_IS_LEAD = re.compile(r"(?:排|列)在?(?:首位|第一位?)的?(?:单位)?(?:为|是)牵头单位")


@dataclass
class Note:
    start: int
    end: int
    plain: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    deadline_text: str = ""


def _groups(text: str):
    """Top-level bracketed groups as (start, end, inner) with nesting respected."""
    depth, start = 0, None
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            if depth == 0:
                start = i
            depth += 1
        elif ch in _CLOSERS and depth:
            depth -= 1
            if depth == 0:
                yield start, i + 1, text[start + 1:i]


def split_top(text: str, separators: str) -> list[str]:
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS and depth:
            depth -= 1
        if ch in separators and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def clean_unit(unit: str) -> str:
    unit = re.sub(r"\s+", "", unit).replace("(", "（").replace(")", "）")
    unit = unit.strip("。.；;，,、:：")
    unit = re.sub(r"^(?:由|请)", "", unit)
    unit = re.sub(r"(?:等(?:有关|相关)?(?:部门|单位)?|及(?:有关|相关)(?:部门|单位))$", "", unit)
    return unit


def _classify(value: str, note: Note, default: str) -> None:
    for part in split_top(value, "；;，,"):
        part = _PLAIN_SUFFIX.sub("", part.strip())
        kind = default
        if _LEAD_SUFFIX.search(part):
            kind, part = "lead", _LEAD_SUFFIX.sub("", part)
        elif _SUPPORT_SUFFIX.search(part):
            kind, part = "support", _SUPPORT_SUFFIX.sub("", part)
        for unit in split_top(part, "、"):
            unit = clean_unit(_PLAIN_SUFFIX.sub("", unit.strip()))
            if unit:
                getattr(note, kind).append(unit)


def parse_note_body(body: str, start: int = 0, end: int = 0) -> Note | None:
    """Parse the inside of a responsibility note; None when it is not one."""
    note = Note(start, end)
    deadline = _DEADLINE_FIELD.search(body)
    if deadline:
        note.deadline_text = deadline.group(0)
        body = body[:deadline.start()]
    fields = list(_FIELD.finditer(body))
    if fields and not body[:fields[0].start()].strip():
        for k, m in enumerate(fields):
            value = body[m.end():fields[k + 1].start() if k + 1 < len(fields) else len(body)]
            label = m["label"]
            default = "lead" if label in _LEAD_LABELS else "support" if label in _SUPPORT_LABELS else "plain"
            _classify(value, note, default)
        return note if note.plain or note.lead or note.support else None
    stripped = body.strip()
    if not re.search(r"(?:负责|牵头|配合|协助|参与)(?:落实)?$", stripped) and not (
            "牵头" in stripped and "配合" in stripped):
        return None
    _classify(stripped, note, "plain")
    units = note.plain + note.lead + note.support
    if not units or not all(UNIT_SUFFIX.search(u) for u in units):
        return None
    return note


_DEADLINE_ONLY = re.compile(r"^\s*(?:完成时限|完成时间|时间节点|时限要求|完成期限|时限)\s*[:：]")


def find_notes(text: str, offset: int = 0) -> list[Note]:
    """Responsibility notes in ``text`` (offsets shifted by ``offset``); a bracket or a line holding only a
    完成时限 field is a note without units (it carries the deadline)."""
    notes = []
    for start, end, inner in _groups(text):
        note = parse_note_body(inner, offset + start, offset + end)
        if note is None and _DEADLINE_ONLY.match(inner):
            note = Note(offset + start, offset + end, deadline_text=inner)
        if note:
            notes.append(note)
    for m in re.finditer(r"(?m)^[ ]*((?:完成时限|完成时间|时间节点|时限要求|完成期限)\s*[:：].*)$", text):
        if not any(n.start <= offset + m.start(1) < n.end for n in notes):
            notes.append(Note(offset + m.start(1), offset + m.end(1), deadline_text=m[1]))
    for m in re.finditer(r"(?m)^[ ]*(?=(?:责任单位|责任部门|牵头单位|牵头部门|主责单位|配合单位)\s*[:：])(.+)$", text):
        if any(n.start <= offset + m.start(1) < n.end for n in notes):
            continue
        note = parse_note_body(m[1], offset + m.start(1), offset + m.end(1))
        if note:
            notes.append(note)
    return sorted(notes, key=lambda n: n.start)


def strip_notes(text: str) -> str:
    """``text`` without its responsibility notes."""
    for note in reversed(find_notes(text)):
        text = text[:note.start] + text[note.end:]
    return text.strip()


def is_note_only(line: str) -> bool:
    notes = find_notes(line)
    return bool(notes) and not strip_notes(line).strip("。；; ")


def merge(notes: list[Note], first_is_lead: bool = False) -> tuple[list[str], list[str], list[str]]:
    """(responsible, lead, support) of a task from its notes, in order, without duplicates."""
    lead: list[str] = []
    support: list[str] = []
    plain: list[str] = []
    for note in notes:
        if first_is_lead and note.plain and not note.lead and not note.support:
            lead.extend(note.plain[:1])
            support.extend(note.plain[1:])
        else:
            lead.extend(note.lead)
            support.extend(note.support)
            plain.extend(note.plain)
    lead, support, plain = _dedupe(lead), _dedupe(support), _dedupe(plain)
    if lead or support:
        responsible = _dedupe(lead + support + plain)
    else:
        responsible = plain
    return responsible, lead, support


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
