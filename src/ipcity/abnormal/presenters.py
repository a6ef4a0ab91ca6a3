"""A flag's evidence in Chinese for the pages: a one-line summary for the list and the detail per kind (burst counts
against the baseline, near-duplicate pairs side by side with the shared text marked, the IPC distance and profile)."""
from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

from ipcity.abnormal import detect
from ipcity.abnormal.models import AbnormalFlag

FIELD_LABELS = {"title": "名称", "abstract": "摘要", "claims": "权利要求"}


def summary(flag: AbnormalFlag) -> str:
    e = flag.evidence or {}
    if flag.kind == AbnormalFlag.Kind.BURST:
        return (f"{e.get('peak_start')} 起 {e.get('window_days')} 天内申请 {e.get('peak_count')} 件，"
                f"历史基线 {e.get('baseline_median')} 件/窗口（{e.get('ratio')} 倍）")
    if flag.kind == AbnormalFlag.Kind.DUPLICATE:
        own = len(e.get("own") or flag.application_numbers or [])
        if own and own < (e.get("size") or 0):
            return (f"本主体 {own} 件申请与近似组内其他申请内容近似（近似组共 {e.get('size')} 件，"
                    f"最高相似度 {e.get('max_similarity')}）")
        return f"{e.get('size')} 件申请内容近似，最高相似度 {e.get('max_similarity')}"
    if flag.kind == AbnormalFlag.Kind.OFF_BUSINESS:
        hits = e.get("filings", [])
        classes = sorted({c for h in hits for c in h.get("subclasses", [])[:1]})
        return f"{len(hits)} 件申请（{'、'.join(classes)}）与既往 {e.get('profile_size')} 件申请的技术领域不同"
    return ""


def mark_shared(text: str, other: set[int]) -> str:
    """`text` as HTML with the words that take part in an adjacent-word pair of `other` in <mark>."""
    ws = detect.words(text)
    hashes = detect.shingle_hashes(ws)
    marked = [False] * len(ws)
    for k, h in enumerate(hashes):
        if h in other:
            marked[k] = marked[k + 1] = True
    out, pos, open_ = [], 0, False
    for (word, start, end), is_marked in zip(ws, marked):
        gap = text[pos:start]
        if open_ and (not is_marked or gap.strip(" ，、。；：,.;:")):
            out.append("</mark>")
            open_ = False
        out.append(escape(gap))
        if is_marked and not open_:
            out.append("<mark>")
            open_ = True
        out.append(escape(text[start:end]))
        pos = end
    if open_:
        out.append("</mark>")
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))


def _filing(patent) -> detect.Filing:
    return detect.Filing(patent.application_number, patent.application_date, patent.title or "",
                         patent.abstract or "", patent.claims or "")


def duplicate_pairs(flag: AbnormalFlag, patents: dict[str, object], limit: int = 5) -> list[dict]:
    """The strongest pairs with both texts side by side, shared word pairs marked."""
    out = []
    for pair in (flag.evidence or {}).get("pairs", [])[:limit]:
        a, b = patents.get(pair["a"]), patents.get(pair["b"])
        if a is None or b is None:
            continue
        fa, fb = _filing(a), _filing(b)
        sa, sb = detect.filing_shingles(fa), detect.filing_shingles(fb)
        rows = []
        for (name, ta), (_, tb) in zip(detect.filing_text(fa), detect.filing_text(fb)):
            if ta or tb:
                rows.append({"label": FIELD_LABELS[name], "a": mark_shared(ta, sb), "b": mark_shared(tb, sa),
                             "similarity": (pair.get("fields") or {}).get(name)})
        out.append({"a": a, "b": b, "similarity": pair["similarity"], "shared": pair.get("shared", []),
                    "rows": rows})
    return out


def burst_rows(flag: AbnormalFlag) -> list[dict]:
    """The baseline windows and the peak, for a small bar chart drawn in HTML."""
    e = flag.evidence or {}
    counts = list(e.get("baseline_counts") or [])
    peak = e.get("peak_count") or 0
    top = max([peak, *counts, 1])
    rows = [{"label": f"基线窗口 {i + 1}", "count": c, "width": int(100 * c / top)} for i, c in enumerate(counts)]
    rows.append({"label": f"峰值窗口（{e.get('peak_start')} 起）", "count": peak, "width": int(100 * peak / top),
                 "peak": True})
    return rows


def off_business_rows(flag: AbnormalFlag) -> list[dict]:
    return [{**hit, "level_label": detect.LEVEL_LABELS.get(hit.get("level"), "")}
            for hit in (flag.evidence or {}).get("filings", [])]
