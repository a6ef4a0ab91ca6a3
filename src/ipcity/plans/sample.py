"""A small plan in the parser's output format, for the test world and the demo generator (not parsed from a file:
both must work before and without the parser, and their values must be known exactly)."""
from __future__ import annotations


def sample_plan_data(city: str, units: dict[str, str], start: int = 2024, end: int = 2026) -> tuple[str, dict]:
    """(document text, parsed structure). `units`: role → unit name as a plan would write it (keys: office,
    section, member, district)."""
    office, section, member, district = units["office"], units["section"], units["member"], units["district"]
    tasks = [
        ("1.1", "（一）", "完善知识产权保护工作机制", [office], [member], None),
        ("1.2", "（二）", "开展知识产权执法专项行动", [section], [member, district], f"{end}-06-30"),
        ("2.1", "（三）", "推进专利转化运用", [section], [], f"{start}-12-31"),
        ("2.2", "（四）", "建设知识产权公共服务网点", [district], [], None),
    ]
    text_parts, task_items, offset = [], [], 0
    for code, number, title, lead, support, deadline in tasks:
        body = f"{number}{title}。围绕{title}制定工作方案，明确时间表和责任分工。（牵头单位：{'、'.join(lead)}" + \
               (f"；配合单位：{'、'.join(support)}" if support else "") + "）"
        text_parts.append(body)
        task_items.append({"id": code, "number": number, "title": title, "text": body, "responsible": lead + support,
                           "lead": lead, "support": support, "deadline": deadline,
                           "source_span": [offset, offset + len(body)]})
        offset += len(body) + 1
    return "\n".join(text_parts), {
        "title": f"{city}知识产权强市建设实施方案（{start}—{end}年）",
        "issuer": [f"{city}人民政府办公室"], "doc_number": f"测政办字〔{start}〕8号", "date": f"{start}-03-15",
        "period": {"start": start, "end": end},
        "sections": [{"number": "一", "title": "强化知识产权保护", "level": 1, "children": []},
                     {"number": "二", "title": "促进知识产权运用", "level": 1, "children": []}],
        "indicators": [
            {"name": "每万人口高价值发明专利拥有量", "unit": "件", "baseline": {"year": start - 1, "value": 2.0},
             "target": {"year": end, "value": 3.5}, "target_kind": "level", "nature": "预期性",
             "source_text": f"到{end}年，每万人口高价值发明专利拥有量达到3.5件"},
            {"name": "知识产权质押融资金额", "unit": "亿元", "baseline": {"year": start - 1, "value": 1.0},
             "target": {"year": end, "value": 12.0}, "target_kind": "annual_growth_pct", "nature": "预期性",
             "source_text": "知识产权质押融资金额年均增长12%以上"},
        ],
        "tasks": task_items, "groups": [], "warnings": [],
    }
