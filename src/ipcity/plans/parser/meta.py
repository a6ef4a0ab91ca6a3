"""Title, issuer, 发文字号, date and period of a plan.

* title — the X of "关于印发《X》的通知" when the file is a notice carrying the plan; else the plan's own title
  line(s) before the first heading (a short line, or two or three consecutive lines, ending with 方案/规划/
  意见/办法/计划/纲要/… and an optional "（2024—2026年）" or "（试行）"). A file without any title line gets a title
  inferred from its leading group ("X工作领导小组") and "制定本实施方案", with a warning.
* issuer — the organisation line(s) right above the signature date; else the part before 关于 in the notice
  title; else a 发布机构 metadata field.
* doc_number — a header line that is a 文号 (or a 文号 metadata field); numbers cited in the body are not it.
* date — a 成文日期 field; else a signature date line (a line that is only a date) preceded by an issuer line;
  else the last date line; else a web page's publication timestamp (with a warning).
* period — a year range, “十四五” or a single year ("2024年工作要点") in the title; else a year range in the preamble or next to 规划期/实施期/
  期限 (ranges inside 《》 citations never count); else (with a warning) the date's year to the last "到YYYY年"
  of the goal sections.
"""

from __future__ import annotations

import re

from .docnumber import standalone_doc_number
from .headings import clean_title, is_org_line
from .numbers import find_dates, find_year_ranges, five_year_plan, is_date_line

_KIND = (r"(?:实施方案|工作方案|行动方案|行动计划|工作计划|方案|规划|纲要|实施意见|指导意见|意见|实施办法|管理办法|办法|计划|"
         r"若干措施|措施|实施细则|细则|工作要点|要点|决定|通知|指引|指南|路线图)")
_TITLE_END = re.compile(rf"{_KIND}\s*(?:[（(]\s*(?:(?:19|20)\d\d\s*[^）)]{{0,12}}年?|试行|征求意见稿|草案|修订)\s*[)）])?$")
_NOTICE = re.compile(r"^(?P<issuer>.*?)关于(?:印发|转发|发布|下发)\s*《?(?P<title>.+?)》?\s*的\s*通\s*知")
_BAD_TITLE_CHARS = re.compile(r"[。，,；;：:|>＞]|^[-—*•]")
_META = re.compile(r"^[-*•]?\s*(?P<key>[\u4e00-\u9fff ]{2,8}?)\s*[:：]\s*\|?\s*(?P<value>[^|]*)")


def _metadata(lines) -> dict[str, str]:
    """Portal metadata ("发布机构: | X | 成文日期: | Y |" or "- 文 号:X") as {key: value}."""
    meta: dict[str, str] = {}
    for line in lines[:40]:
        text = line.stripped
        if ":" not in text and "：" not in text:
            continue
        if "|" in text:
            cells = [c.strip() for c in text.split("|")]
            for key, value in zip(cells, cells[1:]):
                if re.fullmatch(r"[\u4e00-\u9fff ]{2,8}[:：]", key) and value:
                    meta.setdefault(re.sub(r"[\s:：]", "", key), value)
        else:
            m = _META.match(text)
            if m and m["value"].strip():
                meta.setdefault(re.sub(r"\s", "", m["key"]), m["value"].strip())
    return meta


def _header_lines(lines, first_heading: int):
    """Non-blank lines before the first heading."""
    out = []
    for line in lines[:first_heading]:
        if line.stripped:
            out.append(line)
    return out


def find_title(lines, first_heading: int) -> tuple[str, str]:
    """(title, issuer-from-notice-title)."""
    header = _header_lines(lines, first_heading)
    for k in (1, 2, 3):
        for i in range(len(header) - k + 1):
            joined = "".join(x.stripped for x in header[i:i + k])
            if "|" in joined or len(joined) > 120:
                continue
            if re.match(r"^[-\s]*标\s*题\s*[:：]", joined):
                joined = re.sub(r"^.*?[:：]\s*", "", joined)
            m = _NOTICE.match(joined)
            if m:
                return _clean(m["title"]), m["issuer"].strip()
    for i, line in enumerate(header):
        for k in (1, 2, 3):
            group = header[i:i + k]
            if len(group) < k or any(_BAD_TITLE_CHARS.search(x.stripped) or is_date_line(x.stripped) for x in group):
                break
            joined = "".join(x.stripped for x in group)
            if len(joined) > 80:
                break
            if _TITLE_END.search(joined) and len(joined) >= 4:
                return _clean(joined), ""
    return "", ""


def _clean(title: str) -> str:
    title = title.strip().strip("《》")
    return clean_title(title)


_GROUP_SUBJECT = re.compile(r"([\u4e00-\u9fff“”\"]{4,40}?)(?:工作)?领导小组")
_OWN_KIND = re.compile(rf"(?:制定|制订|特制定|现提出|提出)(?:本|如下)?({_KIND})")


def infer_title(text: str, lines) -> str:
    """A title for a file that has none: "<subject of its 领导小组><kind from 制定本X>"."""
    kind = _OWN_KIND.search(text[:3000])
    if not kind:
        return ""
    candidates = []
    for line in lines:
        s = line.stripped
        if "领导小组" not in s:
            continue
        short = s.startswith("附件") or not re.search(r"[。，；]", s)
        for m in _GROUP_SUBJECT.finditer(re.sub(r"^附\s*件\s*\d*\s*[:：]?", "", s)):
            subject = m[1]
            if re.match(r"^[\u4e00-\u9fff]{1,6}?(?:省|市|县|区|州|盟|旗)(?!政府)", subject):
                candidates.append((not short, subject))
    if not candidates:
        return ""
    subject = sorted(candidates, key=lambda c: c[0])[0][1]
    return clean_title(subject + kind[1])


def find_issuer(lines, date_line: int | None, notice_issuer: str, meta: dict) -> list[str]:
    if date_line is not None:
        for j in range(date_line - 1, max(-1, date_line - 4), -1):
            text = lines[j].stripped
            if not text:
                continue
            if is_org_line(text):
                return [p for p in re.split(r"[\s、]+", text) if p]
            break
    if notice_issuer:
        parts = [p for p in re.split(r"[\s、]+", notice_issuer) if p]
        if parts and all(is_org_line(p) for p in parts):
            return parts
    value = meta.get("发布机构") or meta.get("发文机关") or meta.get("发文单位")
    return [value.strip()] if value else []


def find_doc_number(lines, first_heading: int, meta: dict) -> str | None:
    for key in ("文号", "发文字号", "发文号"):
        if key in meta:
            number = standalone_doc_number(meta[key])
            if number:
                return number
    for line in lines[:first_heading]:
        number = standalone_doc_number(line.stripped)
        if number:
            return number
    return None


def find_date(lines, meta: dict) -> tuple[str | None, int | None, str | None]:
    """(date, index of the date line, warning)."""
    for key in ("成文日期", "成文时间", "印发日期"):
        if key in meta:
            dates = find_dates(meta[key])
            if dates:
                return dates[0][2], None, None
    candidates = [(line.index, iso) for line in lines if (iso := is_date_line(line.stripped))]
    for index, iso in candidates:
        previous = next((lines[j].stripped for j in range(index - 1, -1, -1) if lines[j].stripped), "")
        if is_org_line(previous):
            return iso, index, None
    if candidates:
        return candidates[-1][1], candidates[-1][0], None
    for line in lines[:10]:
        m = re.match(r"^\s*((?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2})\s+\d{1,2}:\d{2}", line.text)
        if m:
            dates = find_dates(m[1])
            if dates:
                return dates[0][2], None, "成文日期未找到，已使用网页发布时间，请核对"
    return None, None, None


def _outside_citations(text: str, ranges):
    """Ranges not inside 《…》 and not in the bracket right after a 《…》 citation."""
    for pos, end, a, b in ranges:
        before = text[:pos]
        if before.rfind("《") > before.rfind("》"):
            continue
        if re.search(r"》\s*[（(]?\s*$", before[-40:]):
            continue
        yield pos, end, a, b


def find_period(title: str, text: str, preamble: str, goal_years: list[int], date: str | None) -> tuple[dict | None, str | None]:
    ranges = find_year_ranges(title)
    if ranges:
        return {"start": ranges[0][2], "end": ranges[0][3]}, None
    plan = five_year_plan(title)
    if plan:
        return {"start": plan[0], "end": plan[1]}, None
    single = re.search(r"(?<!\d)((?:19|20)\d\d)\s*年度?(?:知识产权)?[\u4e00-\u9fff]{0,12}?(?:工作要点|工作计划|行动计划|要点|计划|方案)", title)
    if single:  # "2024年知识产权工作要点": a one-year plan
        return {"start": int(single[1]), "end": int(single[1])}, None
    for _, _, a, b in _outside_citations(preamble, find_year_ranges(preamble)):
        return {"start": a, "end": b}, None
    for m in re.finditer(r"(?:实施期限|规划期限|执行期限|规划期|实施期|执行期|期限|时间)(?:为|是|：|:)?\s*", text):
        ranges = find_year_ranges(text[m.end():m.end() + 20])
        if ranges and ranges[0][0] == 0:
            return {"start": ranges[0][2], "end": ranges[0][3]}, None
    if date and goal_years:
        start, end = int(date[:4]), max(goal_years)
        if start <= end <= start + 15:
            return {"start": start, "end": end}, "实施期限未写明，已按成文年份和目标年份推断，请核对"
    return None, None
