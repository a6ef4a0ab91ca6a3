"""Indicators: rows of a "|" indicator table, and quantified targets written in the goal sections.

Tables: a header row names the indicator column (指标) and at least one of 基期/现状 (baseline),
目标/预期/规划 (target), 单位, 属性/性质; years come from the header ("2020年基期值") or, failing that, from the
plan period. A unit in the name ("(件)", "（亿元）") is split off; values in 〔〕/[]/【】 are cumulative.

Prose: only inside sections whose title names a goal (主要目标, 工作目标, 具体目标 …). Each clause (split on
，；。) is tried against, in order:

* ``…年均增长8%以上`` / ``同比增长``  → annual_growth_pct 8 (unit %)
* ``…年均新增3家以上`` / ``每年新增``  → increase 3 (per year)
* ``新增2家示范企业``                  → cumulative 2 (added over the whole period)
* ``累计培训各类知识产权人才200人次``   → cumulative 200
* ``力争PCT申请实现零突破``             → breakthrough (target value 1 for 零突破, else null)
* ``由2020年的0.87件提高到1.75件``      → level with baseline
* ``…达到200件以上`` / ``…3.9件`` / ``培育1个…`` → level

The target year is the last "到YYYY年" seen before the clause in the goal section, else the end of the
plan period. A goal item ("——…" bullet or numbered item) without any figure becomes one qualitative
indicator named by its lead sentence. 预期性/约束性 is taken from the row or a bracket in the clause.
"""

from __future__ import annotations

import re

from .headings import Node, Outline, clean_title
from .numbers import to_number

UNIT = (r"(?:万亿元|亿元|万元|千元|元|万美元|亿美元|美元|万件|万项|万个|万家|万人次|万人|件次|件|项|个百分点|个|家|"
        r"人次|名|人|所|户|场次|场|期|批次|次|部|座|条|套|本|篇|天|小时|倍|%|％|‰|平方米|公顷|亩|吨)")
_NUM = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十][一二两三四五六七八九十百千万]*)"
_QUAL = r"(?:以上|左右|以内|以下|及以上|多|余)?"
_TRIGGER = r"(?:达到|达|超过|突破|不低于|不少于|不超过|保持在|稳定在|控制在|提高到|提升到|增加到|增长到|增至|提高至|提升至|上升到|上升至|降低到|降至|下降到|为|至少)"
_YEAR_CTX = re.compile(r"(?:到|至|截至|力争到|力争|争取到|预计到)?\s*((?:19|20)\d\d)\s*年\s*(?:底|末)?")
_LEADING = re.compile(r"^(?:(?:力争|争取|确保|努力|推动|实现|全市|全区|全县|全省|我市|我区|我县|其中|同时|并|且|和|及)\s*)+")
_NATURE = re.compile(r"[（(【\[]?\s*(预期性|约束性)\s*[)）】\]]?")
_GOAL_TITLE = re.compile(r"目标|指标")

_GROWTH = re.compile(rf"^(?P<name>.*?)(?:年均|年平均|每年|同比)(?:增长率?|增速|增幅|提高|提升)(?:率)?{_TRIGGER}?\s*(?P<num>{_NUM})\s*(?P<unit>%|％|个百分点){_QUAL}")
_INCREASE = re.compile(rf"^(?P<name>.*?)(?:年均|每年|年)(?:新增|增加)\s*(?P<num>{_NUM})\s*(?P<unit>{UNIT}){_QUAL}(?P<post>.*)$")
_NEW = re.compile(rf"^(?P<pre>.*?)(?<![年均每])(?:新增|新培育|新建)(?P<mid>.*?){_TRIGGER}?\s*(?P<num>{_NUM})\s*(?P<unit>{UNIT}){_QUAL}(?P<post>.*)$")
_CUMULATIVE = re.compile(rf"^(?P<pre>.*?)累计(?P<mid>.*?){_TRIGGER}?\s*(?P<num>{_NUM})\s*(?P<unit>{UNIT}){_QUAL}(?P<post>.*)$")
_BREAKTHROUGH = re.compile(r"^(?P<name>.*?)实现(?P<zero>零|0)?(?:的)?突破$")
_FROM_TO = re.compile(
    rf"^(?P<name>.*?)(?:由|从)\s*(?:(?P<year>(?:19|20)\d\d)\s*年(?:底|末)?的?)?\s*(?P<base>{_NUM})\s*(?P<unit1>{UNIT})?\s*"
    rf"(?:提高|增加|提升|增长|上升|下降|降低|减少)?(?:到|至)\s*(?P<num>{_NUM})\s*(?P<unit>{UNIT}){_QUAL}"
)
_LEVEL = re.compile(rf"^(?P<name>.*?){_TRIGGER}?\s*(?P<num>{_NUM})\s*(?P<unit>{UNIT}){_QUAL}(?P<post>.*)$")


def _indicator(name, unit, baseline, target, kind, nature, source) -> dict:
    return {"name": name, "unit": unit, "baseline": baseline, "target": target, "target_kind": kind,
            "nature": nature, "source_text": source}


def _clean_name(name: str) -> str:
    name = clean_title(name)
    name = _NATURE.sub("", name)
    name = _LEADING.sub("", name)
    return name.strip("，,、：: ")


def _unit(unit: str | None) -> str | None:
    if not unit:
        return None
    return {"％": "%", "百分比": "%", "百分点": "个百分点"}.get(unit, unit)


def _point(year: int | None, value: float | None) -> dict | None:
    return {"year": year, "value": value} if year is not None and value is not None else None


# --------------------------------------------------------------------------- tables

def _cells(line: str) -> list[str]:
    cells = [c.strip() for c in line.strip().split("|")]
    if cells and not cells[0]:
        cells = cells[1:]
    if cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def _year(text: str) -> int | None:
    m = re.search(r"(?:19|20)\d\d", text)
    return int(m[0]) if m else None


def _header(cells: list[str]) -> dict | None:
    cols: dict = {}
    for i, cell in enumerate(cells):
        c = re.sub(r"\s+", "", cell)
        if "name" not in cols and re.search(r"指标", c) and not re.search(r"属性|性质|类别|类型", c):
            cols["name"] = i
        elif re.search(r"属性|性质", c):
            cols["nature"] = i
        elif re.fullmatch(r"(?:计量)?单位", c):
            cols["unit"] = i
        elif re.search(r"基期|基数|基准|现状|现值|完成值|实际", c):
            cols["baseline"], cols["baseline_year"] = i, _year(c)
        elif re.search(r"目标|预期|规划值|计划", c):
            cols["target"], cols["target_year"] = i, _year(c)
            if re.search(r"年均|增长", c):
                cols["growth"] = True
        elif re.fullmatch(r"((?:19|20)\d\d)年?(?:底|末)?", c):
            cols.setdefault("years", []).append((i, _year(c)))
    years = cols.pop("years", [])
    if years and "target" not in cols:
        cols["target"], cols["target_year"] = years[-1]
        years = years[:-1]
    if years and "baseline" not in cols:
        cols["baseline"], cols["baseline_year"] = years[0]
    if "name" in cols and ("target" in cols or "baseline" in cols):
        return cols
    return None


_NAME_UNIT = re.compile(r"^(?P<name>.*?)\s*[（(](?P<unit>[^（()）]{1,8})[)）]\s*$")


def _cell_value(text: str) -> tuple[float | None, str, str | None]:
    """(value, kind, unit) of a table cell: "0.87", "80%", "[200]", "年均增长8%", "≥90", "—"."""
    raw = text.strip()
    kind, unit = "level", None
    if re.match(r"^[〔\[【［].*[〕\]】］]$", raw):
        kind = "cumulative"
    if re.search(r"年均|年增长|增速", raw):
        kind = "annual_growth_pct"
    if re.search(r"零突破", raw):
        return 1.0, "breakthrough", None
    m = re.search(rf"({_NUM})\s*({UNIT})?", raw.replace(",", ""))
    if not m:
        return None, kind, None
    value = to_number(m[1])
    if m[2]:
        unit = _unit(m[2])
    return value, kind, unit


def from_tables(lines, period: dict | None) -> list[dict]:
    out: list[dict] = []
    cols = None
    for line in lines:
        text = line.stripped
        if text.count("|") < 2:
            cols = None
            continue
        cells = _cells(text)
        if cols is None:
            cols = _header(cells)
            continue
        if re.fullmatch(r"[-:|\s]+", text) or _header(cells):
            continue
        get = lambda key: cells[cols[key]] if key in cols and cols[key] < len(cells) else ""  # noqa: E731
        name = get("name")
        if not name or sum(1 for c in cells if c) < 2:
            continue
        unit = _unit(get("unit")) if get("unit") else None
        m = _NAME_UNIT.match(name)
        if m:
            name, unit = m["name"], unit or _unit(m["unit"].strip())
        name = clean_title(name)
        base_value, _, base_unit = _cell_value(get("baseline")) if "baseline" in cols else (None, "", None)
        target_value, kind, target_unit = _cell_value(get("target")) if "target" in cols else (None, "level", None)
        if cols.get("growth"):
            kind = "annual_growth_pct"
        unit = unit or target_unit or base_unit
        target_year = cols.get("target_year") or (period or {}).get("end")
        base_year = cols.get("baseline_year") or ((period or {}).get("start", 0) - 1 if period else None)
        nature = None
        nm = _NATURE.search(get("nature") or text)
        if nm:
            nature = nm[1]
        out.append(_indicator(name, unit, _point(base_year, base_value), _point(target_year, target_value),
                              kind if target_value is not None or kind == "breakthrough" else "qualitative",
                              nature, text))
    return out


# --------------------------------------------------------------------------- prose

def goal_sections(outline: Outline) -> list[Node]:
    """The innermost sections titled as goals (主要目标 inside 指导思想和主要目标, not the whole chapter)."""
    found = []

    def is_goal(node: Node) -> bool:
        return bool(_GOAL_TITLE.search(node.title)) and not re.search(r"任务|工程|措施|举措", node.title)

    def visit(node: Node) -> None:
        if is_goal(node):
            inner = [c for c in node.children if is_goal(c)]
            if inner:
                found.extend(inner)
            else:
                found.append(node)
            return
        for child in node.children:
            visit(child)

    for root in outline.roots:
        visit(root)
    return found


def parse_clause(clause: str, year: int | None, nature: str | None = None) -> dict | None:
    """One quantified target from one clause, or None."""
    clause = clause.strip()
    nm = _NATURE.search(clause)
    if nm:
        nature = nm[1]
        clause = _NATURE.sub("", clause).strip()
    if not clause or len(clause) > 120:
        return None
    m = _GROWTH.match(clause)
    if m and _clean_name(m["name"]):
        return _indicator(_clean_name(m["name"]), _unit(m["unit"]), None, _point(year, to_number(m["num"])),
                          "annual_growth_pct", nature, clause)
    m = _INCREASE.match(clause)
    if m and _clean_name(m["name"] + m["post"]):
        return _indicator(_clean_name(m["name"] + _post(m["post"])), _unit(m["unit"]), None,
                          _point(year, to_number(m["num"])), "increase", nature, clause)
    m = _NEW.match(clause)
    if m and _clean_name(m["pre"] + m["mid"] + _post(m["post"])):
        rest = m["mid"] + _post(m["post"])  # "示范企业新增2家" / "新增2家示范企业" / "新增示范企业2家"
        name = _clean_name(m["pre"] + rest) if _clean_name(m["pre"]) else "新增" + _clean_name(rest)
        return _indicator(name, _unit(m["unit"]), None, _point(year, to_number(m["num"])), "cumulative", nature, clause)
    m = _CUMULATIVE.match(clause)
    if m and _clean_name(m["pre"] + m["mid"] + _post(m["post"])):
        return _indicator(_clean_name(m["pre"] + m["mid"] + _post(m["post"])), _unit(m["unit"]), None,
                          _point(year, to_number(m["num"])), "cumulative", nature, clause)
    m = _BREAKTHROUGH.match(clause)
    if m and _clean_name(m["name"]):
        target = _point(year, 1.0) if m["zero"] else None
        return _indicator(_clean_name(m["name"]), None, None, target, "breakthrough", nature, clause)
    m = _FROM_TO.match(clause)
    if m and _clean_name(m["name"]):
        base_year = int(m["year"]) if m["year"] else None
        return _indicator(_clean_name(m["name"]), _unit(m["unit"]), _point(base_year, to_number(m["base"])),
                          _point(year, to_number(m["num"])), "level", nature, clause)
    m = _LEVEL.match(clause)
    if m:
        name = _clean_name(m["name"] + _post(m["post"]))
        value = to_number(m["num"])
        if name and value is not None and not re.search(r"(?:19|20)\d\d$", m["name"]) and _is_quantity(m):
            return _indicator(name, _unit(m["unit"]), None, _point(year, value), "level", nature, clause)
    return None


def _post(post: str) -> str:
    """The object after the number ("培育1个[高价值专利培育中心]"), without trailing qualifiers."""
    return re.sub(r"^(?:以上|左右|以内|及以上)", "", post.strip())


_CN_QUANTITY_VERB = re.compile(_TRIGGER + r"$|(?:培育|建设|建成|新增|创建|打造|引进|组建|设立|认定|举办|开展|培养|达|有)$")


def _is_quantity(m: re.Match) -> bool:
    """Chinese numerals count only after a verb of quantity ("培育两个", "达到三家"), never "形成一个格局"."""
    if re.match(r"\d", m["num"]):
        return True
    prefix = m.string[:m.start("num")].strip()
    return bool(_CN_QUANTITY_VERB.search(prefix)) and m["unit"] not in {"%", "％", "‰"}


_CLAUSE = re.compile(r"[，；。,;！？]")


def _lead(text: str) -> str:
    lead = re.split(r"[。；;]", text, maxsplit=1)[0]
    if len(lead) > 40:
        lead = re.split(r"[，,]", lead, maxsplit=1)[0]
    return clean_title(lead)


def from_prose(text: str, lines, outline: Outline, period: dict | None) -> list[dict]:
    default_year = (period or {}).get("end")
    out: list[dict] = []
    for node in goal_sections(outline):
        year = None
        for item_text, is_item in _items(lines, node):
            found, local = [], None
            for clause in _CLAUSE.split(item_text):
                clause = clause.strip()
                m = _YEAR_CTX.match(clause)
                if m:
                    local, clause = int(m[1]), clause[m.end():].strip()
                indicator = parse_clause(clause, local or year or default_year) if clause else None
                if indicator:
                    found.append(indicator)
            if local:
                year = local
            if found:
                out.extend(found)
            elif is_item and item_text.strip():
                out.append(_indicator(_lead(item_text), None, None, None, "qualitative", None, item_text.strip()))
    return out


def _items(lines, node: Node):
    """(text, is_goal_item) in document order: the section's run-in text, its paragraphs, its "——" bullets
    and its numbered items (descendants without children)."""
    heads = {child.line_index: child for child in node.walk()}
    for line in lines:
        if line.end <= node.start or line.start >= node.end:
            continue
        s = line.stripped
        child = heads.get(line.index)
        if child is node:
            yield node.body, False
        elif child is not None:
            yield (child.title + "。" if child.title else "") + child.body, not child.children and not _GOAL_TITLE.search(child.title)
        elif not s or "|" in s:
            continue
        elif re.match(r"^[—–\-－]{2}", s):
            yield re.sub(r"^[—–\-－]+", "", s), True
        else:
            yield s, False


def extract_indicators(text: str, lines, outline: Outline, period: dict | None) -> list[dict]:
    indicators = from_tables(lines, period) + from_prose(text, lines, outline, period)
    seen, out = set(), []
    for ind in indicators:
        key = (ind["name"], ind["target_kind"], (ind["target"] or {}).get("value"))
        if key not in seen:
            seen.add(key)
            out.append(ind)
    return out
