"""The heading tree.

Numbering styles recognised at the start of a line: 第X章/部分/篇, 第X节, 第X条, 一、, （一）, 1./1、, （1）, 1）, ①.
The hierarchy is not fixed: a style seen again closes everything opened after its previous occurrence,
a new style opens one level deeper (so （一） under 一、 and 1. under （一） work, and so does a document that
starts with （一）). Consequences:

* second-level numbering that runs on across chapters (（五） in 一、 then （六） in 二、) nests correctly;
* run-in headings ("（四）标题。正文…") take the text up to the first 。 as title (or up to ：, or the first
  clause when the first sentence is long);
* when the top level restarts (（一）…（三）, （一）…（五）, … with the 一、 lines lost in copying) each run is
  wrapped in an *implicit* level-1 section (number "", title "") and a warning is emitted;
* a leaf section whose paragraphs all open with a short lead sentence ("健全维权援助制度。建立…") gets those
  paragraphs as unnumbered children (number "").

The tree covers the main text only: the file is cut at 附件 lines, signature dates and web-page trailers that
follow a heading, and the first segment with at least half as many headings as the richest one is the main
text (a covering notice with a few numbered points does not hide the plan attached after its signature).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .numbers import cn_int, is_date_line
from .text import Line

_CN = "一二三四五六七八九十"
_CN_BIG = "一二三四五六七八九十百零〇"
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("第章", re.compile(rf"^第\s*([{_CN_BIG}\d]{{1,5}})\s*(?:章|部分|篇)(?:[\s:：、.．]+|(?=[\u4e00-\u9fff“《]))(.*)$")),
    ("第节", re.compile(rf"^第\s*([{_CN_BIG}\d]{{1,5}})\s*节(?:[\s:：、.．]+|(?=[\u4e00-\u9fff“《]))(.*)$")),
    ("第条", re.compile(rf"^第\s*([{_CN_BIG}\d]{{1,5}})\s*条(?:[\s:：、.．]+|(?=[\u4e00-\u9fff“《]))(.*)$")),
    ("一、", re.compile(rf"^([{_CN}]{{1,3}})\s*[、．.](?![{_CN}][、．.])\s*(.*)$")),
    ("（一）", re.compile(rf"^[（(]\s*([{_CN}]{{1,3}})\s*[）)]\s*(.*)$")),
    ("1.", re.compile(r"^(\d{1,3})\s*(?:[.．](?![\d.．%])|、)\s*(.*)$")),
    ("（1）", re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*(.*)$")),
    ("1）", re.compile(r"^(\d{1,3})\s*[）)]\s*(.*)$")),
    ("①", re.compile(r"^([①-⑳])\s*(.*)$")),
]
_NOT_TITLE_START = re.compile(r"^[年月日号%％‰|│]")


@dataclass
class HeadingMatch:
    style: str
    number: str
    value: int
    rest: str


def match_heading(line: str) -> HeadingMatch | None:
    """Recognise a numbered heading at the start of a stripped line."""
    if line.count("|") >= 2 or line.startswith(("——", "--")):
        return None
    for style, pattern in _PATTERNS:
        m = pattern.match(line)
        if not m:
            continue
        number, rest = m[1], m[2].strip()
        if style == "①":
            value = ord(number) - ord("①") + 1
        else:
            value = cn_int(number)
        if not value or _NOT_TITLE_START.match(rest):
            return None
        return HeadingMatch(style, number, value, rest)
    return None


_TITLE_MAX = 60


def split_title(rest: str) -> tuple[str, str]:
    """Split a heading's text into (title, run-in body)."""
    from .responsibility import strip_notes  # the title never carries the 责任单位 note

    rest = strip_notes(rest)
    end = min((i for i in (rest.find("。"), rest.find("！"), rest.find("？")) if i >= 0), default=-1)
    if 0 <= end <= _TITLE_MAX:
        title, body = rest[:end], rest[end + 1:]
    else:
        colon = min((i for i in (rest.find("："), rest.find(":")) if i >= 0), default=-1)
        if 0 < colon <= 30:
            title, body = rest[:colon], rest[colon + 1:]
        elif end < 0 and len(rest) <= _TITLE_MAX:
            title, body = rest, ""
        else:
            m = re.search(r"[，,；;]", rest)
            cut = m.start() if m and m.start() <= _TITLE_MAX else min(len(rest), _TITLE_MAX)
            title, body = rest[:cut], rest[cut + 1:] if m and cut == m.start() else rest[cut:]
    return clean_title(title), body.strip()


_HALF_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


def clean_title(title: str) -> str:
    """Whitespace dropped (kept between Latin words), brackets and CJK-adjacent punctuation full-width."""
    title = re.sub(r"\s+", lambda m: " " if _ascii_around(title, m) else "", title.strip())
    title = re.sub(r"(?<=[\u4e00-\u9fff”）])[,;:?!]|[,;:?!](?=[\u4e00-\u9fff“（])", lambda m: _HALF_PUNCT[m[0]], title)
    return to_fullwidth_brackets(title).strip("。；;，,：: ")


def _ascii_around(text: str, m: re.Match) -> bool:
    before = text[m.start() - 1] if m.start() > 0 else ""
    after = text[m.end()] if m.end() < len(text) else ""
    return before.isascii() and before.isalnum() and after.isascii() and after.isalnum()


def to_fullwidth_brackets(text: str) -> str:
    return text.replace("(", "（").replace(")", "）")


@dataclass(eq=False)
class Node:
    style: str
    number: str
    value: int | None
    title: str
    body: str = ""
    start: int = 0           # offset of the number (or first character of a lead paragraph)
    head_end: int = 0        # end of the heading line
    end: int = 0             # end of the section (trailing blank lines excluded)
    line_index: int = 0
    implicit: bool = False
    lead: bool = False
    parent: "Node | None" = None
    children: list["Node"] = field(default_factory=list)
    level: int = 1

    @property
    def numbered(self) -> bool:
        return bool(self.number) or self.implicit

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self) -> dict:
        return {"number": self.number, "title": self.title, "level": self.level,
                "children": [child.to_dict() for child in self.children]}


@dataclass
class Outline:
    roots: list[Node]
    body_start_line: int         # first heading line (len(lines) when there is none)
    body_end_line: int           # first line after the main text
    body_end: int                # offset where the main text ends
    warnings: list[str]

    def walk(self):
        for root in self.roots:
            yield from root.walk()


_ANNEX = re.compile(rf"^附\s*件\s*(?:\d+|[{_CN}]+)?\s*(?:[:：]|$)")
_TRAILER = re.compile(r"^【?\s*(?:责任编辑|编辑|审核|校对|来源|关闭|打印|抄送|主送|分享|扫一扫|相关链接|附件下载|打印本页|关闭窗口)"
                      r"\s*(?:[:：】]|$)")
ORG_SUFFIX = ("办公室", "政府", "委员会", "局", "厅", "部", "委", "院", "会", "中心", "小组", "办", "党校", "海关", "分行")


def is_org_line(text: str) -> bool:
    """A line made only of organisation names (the issuer line of a signature block)."""
    parts = [p for p in re.split(r"[\s、]+", text.strip()) if p]
    return bool(parts) and len(parts) <= 4 and all(
        len(p) <= 30 and p.endswith(ORG_SUFFIX) and not re.search(r"[，,。；;：:]", p) for p in parts)


def _boundary(lines: list[Line], first: int) -> int:
    """Index of the first annex / trailer / signature-date line after the heading at ``first``."""
    for i in range(first + 1, len(lines)):
        text = lines[i].stripped
        if text and (_ANNEX.match(text) or _TRAILER.match(text) or is_date_line(text)):
            return i
    return len(lines)


def _main_text(lines: list[Line], heading_lines: list[int]) -> tuple[int, int]:
    """(first heading line, end line) of the main text.

    The file is cut into segments at annex, trailer and signature-date lines that follow a heading. The main
    text is the first segment with at least half as many headings as the richest one — so a covering notice
    with a few numbered points of its own does not hide the plan attached after its signature.
    """
    segments: list[tuple[int, int, int]] = []
    k = 0
    while k < len(heading_lines):
        first = heading_lines[k]
        boundary = _boundary(lines, first)
        end = _back_off(lines, boundary, first)
        count = sum(1 for h in heading_lines[k:] if h < end)
        segments.append((first, end, count))
        while k < len(heading_lines) and heading_lines[k] <= boundary:
            k += 1
    if not segments:
        return len(lines), len(lines)
    best = max(count for _, _, count in segments)
    first, end, _ = next(seg for seg in segments if seg[2] * 2 >= best)
    return first, end


def _back_off(lines: list[Line], i: int, first: int) -> int:
    """Move the end above blank lines and issuer lines that precede a signature date."""
    j = i
    while j - 1 > first and (not lines[j - 1].stripped or is_org_line(lines[j - 1].stripped)):
        j -= 1
    return j


def build_outline(text: str, lines: list[Line]) -> Outline:
    warnings: list[str] = []
    matches = [(line, match_heading(line.stripped)) for line in lines]
    first, end_line = _main_text(lines, [line.index for line, m in matches if m])
    body_end = _content_end(text, lines[end_line - 1].end if end_line else 0, 0)

    roots: list[Node] = []
    stack: list[Node] = []
    order: list[Node] = []
    for line, m in matches[first:end_line]:
        if not m:
            continue
        title, body = split_title(m.rest)
        node = Node(m.style, m.number, m.value, title, body, start=line.content_start,
                    head_end=line.end, line_index=line.index)
        same = next((k for k in range(len(stack) - 1, -1, -1) if stack[k].style == m.style), None)
        if same is not None:
            for closed in stack[same:]:  # a section ends where the next heading of its level or above starts
                closed.end = _content_end(text, node.start, closed.head_end)
            del stack[same:]
        node.parent = stack[-1] if stack else None
        (node.parent.children if node.parent else roots).append(node)
        stack.append(node)
        order.append(node)
    for still_open in stack:
        still_open.end = _content_end(text, body_end, still_open.head_end)

    roots = _wrap_restarts(roots, warnings)
    for node in order:
        if not node.children:
            _add_lead_children(node, text, lines)
    _assign_levels(roots, 1)
    gaps: list[str] = []
    _check_numbering(roots, gaps)
    warnings.extend(gaps[:10])
    if len(gaps) > 10:
        warnings.append(f"另有 {len(gaps) - 10} 处编号不连续")
    return Outline(roots, first, end_line, body_end, warnings)


def _content_end(text: str, end: int, floor: int) -> int:
    while end > floor and text[end - 1].isspace():
        end -= 1
    return end


def _wrap_restarts(roots: list[Node], warnings: list[str]) -> list[Node]:
    if len(roots) < 2 or len({r.style for r in roots}) != 1:
        return roots
    groups: list[list[Node]] = [[roots[0]]]
    for prev, node in zip(roots, roots[1:]):
        if node.value is not None and prev.value is not None and node.value <= prev.value:
            groups.append([node])
        else:
            groups[-1].append(node)
    if len(groups) == 1:
        return roots
    wrapped = []
    for k, group in enumerate(groups, 1):
        parent = Node("implicit", "", k, "", start=group[0].start, head_end=group[0].start,
                      end=group[-1].end, line_index=group[0].line_index, implicit=True, children=group)
        for child in group:
            child.parent = parent
        wrapped.append(parent)
    warnings.append(f"一级标题缺失：{roots[0].style}级编号重新开始了 {len(groups) - 1} 次，已按位置补出 {len(groups)} 个无标题的一级部分")
    return wrapped


_LEAD = re.compile(r"^([^。；;：:！？!?|（(—\-\d]{2,30}?)。(?=.{8,})")


def _add_lead_children(node: Node, text: str, lines: list[Line]) -> None:
    from .responsibility import is_note_only

    paragraphs = []
    for line in lines[node.line_index + 1:]:
        if line.start >= node.end:
            break
        if line.stripped and not is_note_only(line.stripped):
            paragraphs.append(line)
    if len(paragraphs) < 2 or not all(_LEAD.match(p.stripped) for p in paragraphs):
        return
    for k, para in enumerate(paragraphs):
        end = paragraphs[k + 1].start if k + 1 < len(paragraphs) else node.end
        title = clean_title(_LEAD.match(para.stripped)[1])
        child = Node("lead", "", None, title, para.stripped[len(title) + 1:].strip(), start=para.content_start,
                     head_end=para.end, end=_content_end(text, end, para.end), line_index=para.index,
                     lead=True, parent=node)
        node.children.append(child)


def _assign_levels(nodes: list[Node], level: int) -> None:
    for node in nodes:
        node.level = level
        _assign_levels(node.children, level + 1)


def _label(node: Node) -> str:
    return {"一、": "{}、", "（一）": "（{}）", "1.": "{}.", "（1）": "（{}）", "1）": "{}）", "第章": "第{}章",
            "第节": "第{}节", "第条": "第{}条"}.get(node.style, "{}").format(node.number)


def _check_numbering(roots: list[Node], warnings: list[str]) -> None:
    last_by_style: dict[str, Node] = {}

    def visit(nodes: list[Node], depth: int) -> None:
        prev: Node | None = None
        for node in nodes:
            if node.lead or node.implicit:
                visit(node.children, depth + 1)
                continue
            if prev is not None and prev.style == node.style:
                if node.value != prev.value + 1:
                    warnings.append(f"编号不连续：{_label(prev)}{prev.title} 之后是 {_label(node)}{node.title}")
            elif node.value != 1:
                earlier = last_by_style.get(node.style)
                if earlier is None or node.value != earlier.value + 1:
                    warnings.append(f"编号不连续：{_label(node)}{node.title} 前面缺少编号")
            last_by_style[node.style] = node
            prev = node
            visit(node.children, depth + 1)

    visit(roots, 0)
