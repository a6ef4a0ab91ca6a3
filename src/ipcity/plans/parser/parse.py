"""Assemble the parse result from the rules in the sibling modules."""

from __future__ import annotations

import re

from .groups import extract_groups
from .headings import build_outline
from .indicators import extract_indicators, goal_sections
from .meta import _metadata, find_date, find_doc_number, find_issuer, find_period, find_title, infer_title
from .tasks import extract_tasks
from .text import normalize, read_text, split_lines

KEYS = ("title", "issuer", "doc_number", "date", "period", "sections", "indicators", "tasks", "groups", "warnings")


def empty_result(warning: str) -> dict:
    return {"title": "", "issuer": [], "doc_number": None, "date": None, "period": None, "sections": [],
            "indicators": [], "tasks": [], "groups": [], "warnings": [warning]}


def parse_file(path, name: str | None = None) -> dict:
    """Read a .txt/.docx/.pdf plan and parse it; ``source_span`` offsets index into ``read_text(path)``."""
    return parse_text(read_text(path, name=name))


def parse_text(text: str) -> dict:
    """Parse the text of a plan. Never raises on text; offsets index into ``normalize(text)``."""
    text = normalize(text or "")
    if not text.strip():
        return empty_result("没有文字内容")
    lines = split_lines(text)
    warnings: list[str] = []
    outline = build_outline(text, lines)
    first = outline.body_start_line
    meta = _metadata(lines)

    title, notice_issuer = find_title(lines, first)
    if not title:
        title = infer_title(text, lines)
        warnings.append("文件没有标题行，标题系根据正文推断，请核对" if title else "未识别出文件标题")

    doc_number = find_doc_number(lines, first, meta)
    date, date_line, date_warning = find_date(lines, meta)
    if date_warning:
        warnings.append(date_warning)
    elif not date:
        warnings.append("未识别出成文日期")
    issuer = find_issuer(lines, date_line, notice_issuer, meta)

    preamble = "\n".join(line.text for line in lines[:first])
    goal_years = [int(y) for node in goal_sections(outline)
                  for y in re.findall(r"(?:到|至)\s*((?:19|20)\d\d)\s*年", text[node.start:node.end])]
    period, period_warning = find_period(title, text[:outline.body_end], preamble, goal_years, date)
    if period_warning:
        warnings.append(period_warning)
    elif period is None:
        warnings.append("未识别出实施期限")

    warnings.extend(outline.warnings)
    if not outline.roots:
        warnings.append("未识别出任何编号标题")
    tasks, task_warnings = extract_tasks(text, outline)
    warnings.extend(task_warnings)
    indicators = extract_indicators(text, lines, outline, period)
    groups = extract_groups(lines)

    return {
        "title": title,
        "issuer": issuer,
        "doc_number": doc_number,
        "date": date,
        "period": period,
        "sections": [root.to_dict() for root in outline.roots],
        "indicators": indicators,
        "tasks": tasks,
        "groups": groups,
        "warnings": warnings,
    }


__all__ = ["KEYS", "parse_file", "parse_text", "read_text"]
