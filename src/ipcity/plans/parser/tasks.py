"""Tasks: the numbered work items of the document.

How a task is decided:

1. Every top-level section (chapter) is classified by its title. Chapters about the frame of the plan —
   总体要求, 指导思想, 基本原则, 目标, 形势, 总则 … — and chapters about how it is carried out — 保障措施,
   组织实施, 组织领导, 考核, 监督, 附则 … — hold no tasks. Every other chapter (重点任务, 主要任务, 工作重点,
   重大工程, a bare "一、加强知识产权保护" …) is a task chapter. An implicit chapter (its 一、 line was lost) is
   classified by the majority of its children's titles.
2. Inside a task chapter, a task is a numbered section with no numbered subsection: the 1./2. items where
   the chapter has them, the （一） item itself where it has none (so 焦作's "（三）完善知识产权政策体系" is one
   task beside the numbered items of （一）, （二）, （四）), the chapter itself when it has no subsections.
   Unnumbered lead-sentence paragraphs and inline （1）（2） enumerations stay inside their task.
3. ``id`` is the path of the numbers from the chapter down, in Arabic numerals ("2.1.3" = 二、（一）3.);
   an implicit chapter counts by its position. ``number`` is the task's own number as written ("3", "三").
4. ``responsible``/``lead``/``support`` come from the notes inside the task's text (see responsibility.py);
   a task without a note inherits the note written on its parent heading. ``deadline`` comes from a
   完成时限 field or from a single "YYYY年(M月)底前" in the task.
5. When no numbered task exists, a "|" table whose header names a task column and a responsibility column is
   read row by row instead.
"""

from __future__ import annotations

import re

from .headings import Node, Outline, clean_title
from .numbers import period_end
from .responsibility import FIRST_IS_LEAD, Note, clean_unit, find_notes, merge, split_top, strip_notes

_GENERAL = re.compile(
    r"(?:总体要求|指导思想|基本原则|工作原则|总体思路|工作思路|发展思路|总体目标|主要目标|工作目标|发展目标|具体目标|"
    r"目标$|思想$|原则$|要求$|形势|背景|意义|现状|基础$|总则|编制依据|规划依据|适用范围|基本情况|愿景)"
)
_SAFEGUARD = re.compile(
    r"(?:保障|组织实施|实施步骤|步骤安排|进度安排|时间安排|组织领导|工作要求|监督|考核|评估|督查|督促|检查|附则|"
    r"宣传引导|实施机制)"
)


def classify(node: Node) -> str:
    """"general", "safeguard" or "task" for a top-level section."""
    if node.implicit:
        titles = [c.title for c in node.children if c.title]
        if not titles:
            return "task"
        general = sum(bool(_GENERAL.search(t)) for t in titles)
        safeguard = sum(bool(_SAFEGUARD.search(t)) and not _GENERAL.search(t) for t in titles)
        if general * 2 >= len(titles) and general >= safeguard:
            return "general"
        if safeguard * 2 >= len(titles):
            return "safeguard"
        return "task"
    if _GENERAL.search(node.title) and not re.search(r"任务|工程|举措|行动", node.title):
        return "general"
    if _SAFEGUARD.search(node.title) and not re.search(r"任务|工程", node.title):
        return "safeguard"
    return "task"


def _numbered_children(node: Node) -> list[Node]:
    return [c for c in node.children if c.numbered]


def task_nodes(outline: Outline) -> list[tuple[Node, list[int]]]:
    found: list[tuple[Node, list[int]]] = []

    def visit(node: Node, path: list[int]) -> None:
        kids = _numbered_children(node)
        if not kids:
            if node.numbered:
                found.append((node, path))
            return
        for child in kids:
            visit(child, path + [child.value or 0])

    for position, root in enumerate(outline.roots, 1):
        if classify(root) == "task":
            visit(root, [root.value if root.value is not None else position])
    return found


def _own_region(node: Node) -> tuple[int, int]:
    first_child = next((c.start for c in node.children), node.end)
    return node.start, first_child


_DEADLINE_IN_TEXT = re.compile(
    r"((?:19|20)\d\d)\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?)?\s*(上半年|年底|年末|底|末)?\s*(?:前|以前)"
)


_DEADLINE_FIELD_VALUE = re.compile(
    r"((?:19|20)\d\d)\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?)?\s*(上半年|年底|年末|底|末)?")


def _field_deadline(text: str) -> str | None:
    """The deadline written in a 完成时限 field: "2024年6月" → 2024-06-30, "2024年底前" → 2024-12-31."""
    value = re.sub(r"^.*?[:：]", "", text)
    m = _DEADLINE_FIELD_VALUE.search(value)
    if not m:
        return None
    return period_end(int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None, m[4] or "")


def _deadline(text: str) -> str | None:
    found = {period_end(int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None, m[4] or "")
             for m in _DEADLINE_IN_TEXT.finditer(text)}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def extract_tasks(text: str, outline: Outline) -> tuple[list[dict], list[str]]:
    first_is_lead = bool(FIRST_IS_LEAD.search(text))
    tasks = []
    seen: dict[str, int] = {}
    for node, path in task_nodes(outline):
        own = find_notes(text[node.start:node.end], node.start)
        notes = [n for n in own if n.plain or n.lead or n.support] or _inherited_notes(text, node)
        responsible, lead, support = merge(notes, first_is_lead)
        body = _body_text(text, node)
        deadline_src = next((n.deadline_text for n in own + notes if n.deadline_text), "")
        task_id = ".".join(str(v) for v in path)
        seen[task_id] = seen.get(task_id, 0) + 1
        if seen[task_id] > 1:  # a numbering slip (two "3." in one group): keep ids unique
            task_id = f"{task_id}-{seen[task_id]}"
        tasks.append({
            "id": task_id,
            "number": node.number,
            "title": node.title,
            "text": body,
            "responsible": responsible,
            "lead": lead,
            "support": support,
            "deadline": _field_deadline(deadline_src) if deadline_src else _deadline(body),
            "source_span": [node.start, node.end],
        })
    warnings = []
    if not tasks:
        tasks = tasks_from_tables(text)
    if not tasks:
        warnings.append("未识别出任何任务")
    missing = [t["id"] for t in tasks if not t["responsible"]]
    if tasks and missing:
        if len(missing) == len(tasks):
            warnings.append("所有任务都未识别出责任单位")
        else:
            warnings.append(f"{len(missing)} 项任务未识别出责任单位：{'、'.join(missing)}")
    return tasks, warnings


def _inherited_notes(text: str, node: Node) -> list[Note]:
    parent = node.parent
    while parent is not None:
        start, end = _own_region(parent)
        notes = [n for n in find_notes(text[start:end], start) if n.plain or n.lead or n.support]
        if notes:
            return notes
        parent = parent.parent
    return []


def _body_text(text: str, node: Node) -> str:
    paragraphs = [node.body] + [line.strip() for line in text[node.head_end:node.end].split("\n")]
    out = [strip_notes(p).strip() for p in paragraphs]
    return "\n".join(p for p in out if p and p not in "。；;")


# --------------------------------------------------------------------------- task tables

_TASK_COL = re.compile(r"任务|工作内容|主要内容|工作措施|具体措施|举措|事项")
_RESP_COL = re.compile(r"责任单位|责任部门|牵头单位|牵头部门|主责单位|负责单位")
_SUPPORT_COL = re.compile(r"配合单位|配合部门|协办单位|参与单位")
_TIME_COL = re.compile(r"时限|时间|期限|节点")


def _cells(line: str) -> list[str]:
    cells = [c.strip() for c in line.strip().split("|")]
    if cells and not cells[0]:
        cells = cells[1:]
    if cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def tasks_from_tables(text: str) -> list[dict]:
    """Read tasks from a "|" table with a task column and a responsibility column (分工表)."""
    tasks: list[dict] = []
    header: dict[str, int] | None = None
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if line.count("|") < 2:
            header = None
            continue
        cells = _cells(line)
        if header is None:
            task_col = next((i for i, c in enumerate(cells) if _TASK_COL.search(c) and not _RESP_COL.search(c)), None)
            resp_col = next((i for i, c in enumerate(cells) if _RESP_COL.search(c)), None)
            if task_col is not None and resp_col is not None:
                header = {"task": task_col, "resp": resp_col}
                for key, rx in (("support", _SUPPORT_COL), ("time", _TIME_COL), ("no", re.compile(r"序号|编号"))):
                    idx = next((i for i, c in enumerate(cells) if rx.search(c)), None)
                    if idx is not None:
                        header[key] = idx
            continue
        get = lambda key: cells[header[key]] if key in header and header[key] < len(cells) else ""  # noqa: E731
        content = get("task")
        if not content or re.fullmatch(r"[-—:：\s]+", content):
            continue
        lead_units = [clean_unit(u) for u in split_top(get("resp"), "、，,；;") if clean_unit(u)]
        support_units = [clean_unit(u) for u in split_top(get("support"), "、，,；;") if clean_unit(u)]
        has_support = "support" in header
        number = get("no") or str(len(tasks) + 1)
        title = clean_title(content.split("。")[0])[:60]
        start_off = start + line.find(content) if content in line else start
        tasks.append({
            "id": f"T{len(tasks) + 1}",
            "number": number,
            "title": title,
            "text": content,
            "responsible": list(dict.fromkeys(lead_units + support_units)),
            "lead": lead_units if has_support else [],
            "support": support_units,
            "deadline": _field_deadline(get("time")) if get("time") else None,
            "source_span": [start_off if start_off >= start else start, start + len(line)],
        })
    return tasks
