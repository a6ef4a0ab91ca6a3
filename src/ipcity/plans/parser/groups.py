"""Members of a leading group (领导小组) listed as "role  name  position" lines.

Handled layouts: ``组  长  老颜武 市长`` (role labels padded with spaces), continuation lines without a role
(``张春丽 市委党校分管日常工作的副校长`` under 成员), names padded to three characters (``钱  锋``, ``高 鹏``),
a colon after the role (``组长：张三  市长``), the position in brackets or after a comma
(``张三（市长）``, ``张三，市长``), the position first (``市长 张三``), table rows (``组长 | 张三 | 市长``), and
several members on one line separated by 、 or ；.
A block starts at a role line and ends at the first line that is not a member line.
"""

from __future__ import annotations

import re

from .headings import clean_title

_ROLE_WORDS = ["第一组长", "常务副组长", "副组长", "组长", "成员", "秘书长", "副秘书长", "办公室主任", "办公室副主任",
               "总召集人", "副召集人", "召集人", "联络员", "顾问", "主任", "副主任", "委员"]
_ROLE = re.compile(
    r"^(?P<role>" + "|".join(r"\s*".join(word) for word in sorted(_ROLE_WORDS, key=len, reverse=True)) + r")"
    r"\s*(?:[:：]\s*|\s+|(?=[\u4e00-\u9fff]))(?P<rest>.*)$"
)
_NAME = re.compile(r"^[\u4e00-\u9fff·•]{2,5}$")
_POSITION_END = re.compile(r"(?:长|主任|书记|委员|主席|负责人|专员|秘书|干事)$")
_STOP = re.compile(r"[。]|领导小组|办公室设在|负责|职责|担任")


def _split_member(rest: str) -> tuple[str, str] | None:
    """(name, position) from the text after the role label."""
    rest = rest.strip().strip("，,")
    if not rest:
        return None
    m = re.match(r"^([\u4e00-\u9fff·]{2,4})\s*[（(](.+)[)）]$", rest)
    if m:
        return m[1], clean_title(m[2])
    m = re.match(r"^([\u4e00-\u9fff·]{2,4})\s*[，,:：]\s*(.+)$", rest)
    if m:
        return m[1], clean_title(m[2])
    tokens = rest.split()
    if len(tokens) >= 2 and _POSITION_END.search(tokens[0]) and not _POSITION_END.search(tokens[-1]) \
            and _NAME.match(tokens[-1]) and len(tokens[-1]) <= 4:  # "市长 张三": position first
        return tokens[-1], clean_title("".join(tokens[:-1]))
    if len(tokens) >= 2:
        name, used = tokens[0], 1
        while len(name) < 2 and used < len(tokens) and len(tokens[used]) == 1:  # 钱  锋 / 高 鹏
            name += tokens[used]
            used += 1
        if len(name) == 1 and used < len(tokens):
            name += tokens[used]
            used += 1
        if not _NAME.match(name) or len(name) > 4:
            return None
        return name, clean_title("".join(tokens[used:]))
    if _NAME.match(rest) and len(rest) <= 4:
        return rest, ""
    return None


def _members(rest: str) -> list[tuple[str, str]]:
    parts = [p for p in re.split(r"[、；;]", rest) if p.strip()] if re.search(r"[）)]\s*[、；;]", rest) else [rest]
    out = []
    for part in parts:
        member = _split_member(part)
        if member is None:
            return []
        out.append(member)
    return out


def extract_groups(lines) -> list[dict]:
    result: list[dict] = []
    role: str | None = None
    for line in lines:
        text = line.stripped.replace("|", " ").strip()  # rosters also arrive as table rows
        if not text:
            continue
        m = _ROLE.match(text)
        if m and len(text) <= 80:
            members = _members(m["rest"])
            if members and not _STOP.search(m["rest"]):
                role = re.sub(r"\s+", "", m["role"])
                result.extend({"role": role, "name": n, "position": p} for n, p in members)
                continue
        if role is not None and len(text) <= 60 and not _STOP.search(text):
            members = _members(text)
            if members and all(p for _, p in members):
                result.extend({"role": role, "name": n, "position": p} for n, p in members)
                continue
        role = None
    return _only_real_groups(result)


def _only_real_groups(members: list[dict]) -> list[dict]:
    """A list without a 组长/主任/召集人 is not a group roster (e.g. a stray "委员 …" line)."""
    heads = {"组长", "第一组长", "主任", "总召集人", "召集人"}
    return members if any(m["role"] in heads for m in members) else []
