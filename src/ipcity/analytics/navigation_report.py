"""The patent navigation report (专利导航报告) of one analysis (analytics.navigation.analyse): the same sections as
DOCX in the official layout (plans.reports.gbt9704) and as PDF (WeasyPrint, A4, Noto CJK fonts), each section on its
own page with its chart (analytics.charts, PNG) and table, and conclusions computed from the figures."""
from __future__ import annotations

import base64
import datetime as dt
import html
from dataclasses import dataclass, field

from ipcity.analytics import charts


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    chart: bytes | None = None
    chart_caption: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)


def _pct(part: float, whole: float) -> str:
    return f"{part / whole:.1%}" if whole else "—"


def _growth(values: list[int]) -> str:
    """Average yearly growth over the last five complete years with filings."""
    series = [v for v in values if v][-5:]
    if len(series) < 2 or not series[0]:
        return ""
    rate = (series[-1] / series[0]) ** (1 / (len(series) - 1)) - 1
    return f"近{len(series)}年申请量年均{'增长' if rate >= 0 else '下降'} {abs(rate):.1%}"


def sections(a: dict) -> list[Section]:
    total = a["total"]
    filings = a["trend"]["filings"]
    years = a["trend"]["years"]
    per_year = [sum(values[i] for values in filings.values()) for i in range(len(years))]
    types = dict(a["types"])
    out = []

    trend = Section("申请与授权趋势")
    trend.paragraphs.append(
        f"本产业共 {total} 件专利，其中发明 {types.get('发明', 0)} 件（{_pct(types.get('发明', 0), total)}）、"
        f"实用新型 {types.get('实用新型', 0)} 件、外观设计 {types.get('外观设计', 0)} 件。"
        + (f"申请最多的年份为 {years[per_year.index(max(per_year))]} 年（{max(per_year)} 件）；" if per_year else "")
        + (_growth(per_year) + "。" if _growth(per_year) else ""))
    trend.chart = charts.columns("申请量（按类型）与授权量", years, filings, line=("授权", a["trend"]["grants"]))
    trend.chart_caption = "图 申请与授权趋势"
    trend.headers = ["年份", "发明", "实用新型", "外观设计", "授权"]
    trend.rows = [[y, filings["发明"][i], filings["实用新型"][i], filings["外观设计"][i], a["trend"]["grants"][i]]
                  for i, y in enumerate(years)]
    out.append(trend)

    tech = Section("技术构成")
    subclasses = a["technology"]["subclasses"]
    if subclasses:
        top3 = "、".join(f"{c}（{n} 件）" for c, n in subclasses[:3])
        tech.paragraphs.append(f"按 IPC 小类统计，专利最集中的是 {top3}；"
                               f"前 {len(subclasses)} 个小类合计涉及 {sum(n for _, n in subclasses)} 件次。")
    tech.paragraphs.append("各部分布：" + "；".join(f"{s} {name} {n} 件" for s, name, n in a["technology"]["sections"])
                           + "。" if a["technology"]["sections"] else "没有 IPC 分类数据。")
    tech.chart = charts.hbar("IPC 小类分布（前 15）", subclasses)
    tech.chart_caption = "图 技术构成"
    tech.headers = ["IPC 主组", "件数"]
    tech.rows = [[c, n] for c, n in a["technology"]["groups"]]
    out.append(tech)

    applicants = Section("申请人排名")
    top = a["applicants"]
    if top and total:
        top10 = sum(x["total"] for x in top[:10])
        applicants.paragraphs.append(
            f"排名第一的申请人为{top[0]['name']}（{top[0]['total']} 件）；前 10 名申请人合计 {top10} 件，"
            f"占 {_pct(top10, total)}（同一申请人的名称变体已合并）。")
    applicants.chart = charts.hbar("申请人排名（前 15）", [(x["name"], x["total"]) for x in top[:15]])
    applicants.chart_caption = "图 申请人排名"
    applicants.headers = ["申请人", "申请量", "发明", "有效"]
    applicants.rows = [[x["name"], x["total"], x["invention"], x["valid"]] for x in top]
    out.append(applicants)

    regions = Section("区域分布")
    provinces = a["regions"]["provinces"]
    if provinces:
        regions.paragraphs.append("省级分布前三：" + "、".join(f"{n}（{c} 件）" for n, c in provinces[:3]) + "。")
    regions.paragraphs.append(f"{a['position']['city']}共 {a['position']['city_total']} 件，"
                              f"占本产业的 {_pct(a['position']['city_total'], total)}。")
    regions.chart = charts.hbar("省级区域分布（前 15）", provinces)
    regions.chart_caption = "图 区域分布"
    regions.headers = [f"{a['position']['city']}县区", "件数"]
    regions.rows = [[n, c] for n, c in a["regions"]["districts"]] or [["（无）", 0]]
    out.append(regions)

    legal = Section("法律状态与专利类型")
    status = dict(a["legal"])
    legal.paragraphs.append(f"有效 {status.get('有效', 0)} 件（{_pct(status.get('有效', 0), total)}），"
                            f"审中 {status.get('审中', 0)} 件，失效 {status.get('失效', 0)} 件。")
    legal.chart = charts.pie("法律状态", a["legal"])
    legal.chart_caption = "图 法律状态"
    legal.headers = ["专利类型", "件数", "占比"]
    legal.rows = [[t, n, _pct(n, total)] for t, n in a["types"]]
    out.append(legal)

    family = Section("同族与海外布局")
    family.paragraphs.append(f"有海外同族的专利 {a['family']['with_overseas']} 件（{_pct(a['family']['with_overseas'], total)}）"
                             + ("，主要布局在" + "、".join(c for c, _ in a["family"]["countries"][:5]) + "。"
                                if a["family"]["countries"] else "；数据中没有海外同族信息。"))
    family.chart = charts.hbar("海外同族国家/地区", a["family"]["countries"])
    family.chart_caption = "图 海外布局"
    family.headers = ["国家/地区", "件数"]
    family.rows = [[c, n] for c, n in a["family"]["countries"]] or [["（无）", 0]]
    out.append(family)

    key = Section("重点专利")
    key.paragraphs.append("按被引用次数、同族规模和海外布局排序；标注战略性新兴产业与海外授权（高价值发明专利的两类依据）。")
    key.headers = ["申请号", "名称", "被引", "同族", "法律状态", "标记"]
    key.rows = [[p["number"], p["title"], p["cited"], p["family_size"], p["legal_status"],
                 "、".join(x for x, on in (("战略性新兴产业", p["sei"]), ("海外授权", p["overseas"])) if on)]
                for p in a["key_patents"]]
    out.append(key)

    network = Section("合作申请网络")
    links = a["network"]["links"]
    network.paragraphs.append(f"主要申请人之间有 {len(links)} 组合作申请关系。" if links else "主要申请人之间没有合作申请。")
    network.headers = ["申请人", "合作申请人", "合作件数"]
    network.rows = [[x["source"], x["target"], x["value"]] for x in links[:30]] or [["（无）", "", 0]]
    out.append(network)

    inventors = Section("发明人与研发团队")
    inventors.chart = charts.hbar("发明人（前 15）", a["inventors"]["top"][:15])
    inventors.chart_caption = "图 发明人"
    inventors.headers = ["发明人", "合作发明人", "合作件数"]
    inventors.rows = [[x, y, n] for x, y, n in a["inventors"]["teams"]] or [["（无）", "", 0]]
    out.append(inventors)

    life = Section("技术生命周期")
    life.paragraphs.append("以每年的申请人数和申请量描述技术所处阶段：两者同增为成长期，申请量增而申请人数稳定为成熟期，"
                           "两者同减为衰退期。")
    life.chart = charts.columns("申请人数与申请量", [r["year"] for r in a["lifecycle"]],
                                {"申请人数": [r["applicants"] for r in a["lifecycle"]],
                                 "申请量": [r["filings"] for r in a["lifecycle"]]}, stacked=False)
    life.chart_caption = "图 技术生命周期"
    life.headers = ["年份", "申请人数", "申请量"]
    life.rows = [[r["year"], r["applicants"], r["filings"]] for r in a["lifecycle"]]
    out.append(life)

    position = Section(f"{a['position']['city']}产业定位")
    strengths = a["position"]["strengths"]
    position.paragraphs.append(
        f"{a['position']['city']}在本产业中共 {a['position']['city_total']} 件专利。"
        + ("专业化指数（本市在该小类的占比 ÷ 本市总体占比）大于 1 的小类为本市相对优势方向："
           + "、".join(f"{s['subclass']}（{s['index']}）" for s in strengths if s["index"] > 1) + "。"
           if any(s["index"] > 1 for s in strengths) else "尚无专利数达到 5 件且专业化指数大于 1 的小类。"))
    shares = a["position"]["share_by_year"]
    position.chart = charts.columns(f"{a['position']['city']}专利占比（%）", [r["year"] for r in shares],
                                    {"占比": [round(r["share"] * 100, 2) for r in shares]})
    position.chart_caption = "图 本市占比"
    position.headers = ["IPC 小类", "本市", "全部", "专业化指数"]
    position.rows = [[s["subclass"], s["city"], s["all"], s["index"]] for s in strengths] or [["（无）", 0, 0, ""]]
    out.append(position)
    return out


def _about(meta: dict) -> list[str]:
    return [f"产业界定（检索式）：{meta['query']}",
            f"数据范围：命中 {meta['total']} 件，分析 {meta['analysed']} 件；数据截至 {meta['as_of']}；来源为本平台数据中心导入的专利数据。",
            "方法：按 GB/T 39551《专利导航指南》的产业规划类导航，依次分析产业发展方向、本地定位与路径建议；"
            "申请人名称变体已合并，IPC 以小类、主组统计。"]


def to_docx(title: str, meta: dict, analysis: dict) -> bytes:
    from ipcity.plans.reports.gbt9704 import OfficialDocument

    doc = OfficialDocument(title=title, author=meta["issuer"], subject="专利导航报告")
    doc.title(title)
    doc.heading1("导航说明")
    for text in _about(meta):
        doc.paragraph(text)
    for section in sections(analysis):
        doc.heading1(section.heading)
        for text in section.paragraphs:
            doc.paragraph(text)
        if section.chart:
            doc.image(section.chart, caption=section.chart_caption)
        if section.rows:
            doc.table(section.headers, [[str(v) for v in row] for row in section.rows])
    doc.signature(meta["issuer"], dt.date.fromisoformat(meta["as_of"]))
    return doc.to_bytes()


CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm;
        @bottom-center { content: "— " counter(page) " —"; font-family: "Noto Serif CJK SC"; font-size: 14pt; } }
@page :first { @bottom-center { content: none; } }
body { font-family: "Noto Serif CJK SC", serif; font-size: 14pt; line-height: 1.6; color: #000; }
h1 { font-family: "Noto Serif CJK SC", serif; font-weight: bold; font-size: 22pt; text-align: center;
     margin-top: 60mm; }
h2 { font-family: "Noto Sans CJK SC", sans-serif; font-size: 16pt; page-break-before: always; margin: 0 0 6mm; }
p { text-indent: 2em; margin: 0 0 3mm; text-align: justify; }
p.cover { text-indent: 0; text-align: center; font-size: 16pt; }
figure { margin: 4mm 0; text-align: center; } figure img { width: 150mm; }
figcaption { font-size: 11pt; }
table { width: 100%; border-collapse: collapse; font-size: 10.5pt; margin-top: 3mm; }
th, td { border: 0.5pt solid #000; padding: 1.5mm 2mm; text-align: left; }
th { font-family: "Noto Sans CJK SC", sans-serif; }
"""


def to_html(title: str, meta: dict, analysis: dict) -> str:
    from ipcity.plans.reports.gbt9704 import chinese_number

    e = html.escape
    parts = [f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{e(title)}</title>"
             f"<style>{CSS}</style></head><body>",
             f"<h1>{e(title)}</h1><p class='cover'>{e(meta['issuer'])}</p><p class='cover'>{e(meta['as_of'])}</p>",
             "<h2>一、导航说明</h2>" + "".join(f"<p>{e(t)}</p>" for t in _about(meta))]
    for number, section in enumerate(sections(analysis), start=2):
        parts.append(f"<h2>{chinese_number(number)}、{e(section.heading)}</h2>")
        parts += [f"<p>{e(t)}</p>" for t in section.paragraphs]
        if section.chart:
            data = base64.b64encode(section.chart).decode()
            parts.append(f"<figure><img alt='{e(section.chart_caption)}' src='data:image/png;base64,{data}'>"
                         f"<figcaption>{e(section.chart_caption)}</figcaption></figure>")
        if section.rows:
            parts.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in section.headers) + "</tr></thead>"
                         "<tbody>" + "".join("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>"
                                              for row in section.rows) + "</tbody></table>")
    parts.append("</body></html>")
    return "".join(parts)


def to_pdf(title: str, meta: dict, analysis: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=to_html(title, meta, analysis)).write_pdf()
