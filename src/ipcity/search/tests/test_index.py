"""The tantivy index on a 200-record synthetic corpus: results checked against brute force."""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

from ipcity.search import PatentIndex, QuerySyntaxError, parse
from ipcity.search.index import FACETS, MARKER, ipc_terms, region_terms

from .corpus import make_corpus

DOCS = make_corpus(200)
BY_ID = {d["id"]: d for d in DOCS}
TEXT = {"TI": "title", "AB": "abstract", "CL": "claims", "PA": "applicants", "IN": "inventors"}


def text(doc, name):
    value = doc.get(name) or ""
    return "；".join(value) if isinstance(value, list) else value


def has(code, word):
    """Brute force: the documents whose field (or any text field when code is None) contains `word`."""
    names = [TEXT[code]] if code else list(TEXT.values())
    return lambda d: any(word in text(d, n) for n in names)


def ymd(value):
    return int(value.strftime("%Y%m%d"))


def ids(pred):
    return {d["id"] for d in DOCS if pred(d)}


def open_index(path, docs=DOCS):
    index = PatentIndex(path, heap_size=30_000_000, num_threads=1)
    index.add_or_update(docs)
    index.commit()
    return index


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return open_index(tmp_path_factory.mktemp("search"))


def found(index, query, **kwargs):
    result = index.search(query, limit=1000, highlight=False, **kwargs)
    assert result.total == len(result.hits)
    got = [h["id"] for h in result.hits]
    assert len(got) == len(set(got))
    return set(got)


CASES = [
    # fielded text, including 2-character words inside longer ones (商标 in 注册商标, 专利 in 专利文献)
    ("TI=商标", has("TI", "商标")),
    ("TI=专利", has("TI", "专利")),
    ("AB=锂电池", has("AB", "锂电池")),
    ("CL=特征向量", has("CL", "特征向量")),
    ("CL=向量", has("CL", "向量")),
    ("PA=华为", has("PA", "华为")),
    ("PA=股份有限公司", has("PA", "股份有限公司")),
    ("IN=张伟", has("IN", "张伟")),
    ("无人机", has(None, "无人机")),
    ("知识产权", has(None, "知识产权")),
    ("ti=图像识别", has("TI", "图像识别")),
    # operators
    ("TI=锂电池 AND AB=提高了检测精度", lambda d: has("TI", "锂电池")(d) and has("AB", "提高了检测精度")(d)),
    ("TI=锂电池 AB=检测精度", lambda d: has("TI", "锂电池")(d) and has("AB", "检测精度")(d)),
    ("TI=(无人机 OR 光伏组件)", lambda d: has("TI", "无人机")(d) or has("TI", "光伏组件")(d)),
    ("TI=专利文献 NOT PA=山东大学", lambda d: has("TI", "专利文献")(d) and not has("PA", "山东大学")(d)),
    ("NOT TI=方法", lambda d: not has("TI", "方法")(d)),
    ("TI=无人机 OR TI=锂电池 AND PT=发明",
     lambda d: has("TI", "无人机")(d) or (has("TI", "锂电池")(d) and d["patent_type"] == "发明")),
    ("(TI=无人机 OR TI=锂电池) AND PT=发明",
     lambda d: (has("TI", "无人机")(d) or has("TI", "锂电池")(d)) and d["patent_type"] == "发明"),
    ("TI=(区块链 NOT 专利) OR IN=孙强", lambda d: (has("TI", "区块链")(d) and not has("TI", "专利")(d))
     or has("IN", "孙强")(d)),
    # phrases: adjacent words, punctuation and spaces aside
    ('"预测模型"', has(None, "预测模型")),
    ('AB="降低了 生产成本"', has("AB", "降低了生产成本")),  # 了: a stop character holding its place
    ('AB="提取特征向量 建立预测模型"', has("AB", "提取特征向量、建立预测模型")),
    # IPC prefixes
    ("IC=G06F", lambda d: any(c.startswith("G06F") for c in d["ipc"])),
    ("IC=G06F*", lambda d: any(c.startswith("G06F") for c in d["ipc"])),
    ("IC=G06", lambda d: any(c.startswith("G06") for c in d["ipc"])),
    ("IC=G06F16", lambda d: any(c.startswith("G06F 16/") for c in d["ipc"])),
    ("IC=G06F16/5*", lambda d: any(c.startswith("G06F 16/5") for c in d["ipc"])),
    ('IC="H01M 10/42"', lambda d: "H01M 10/42" in d["ipc"]),
    ("IC=H0*", lambda d: any(c.startswith("H0") for c in d["ipc"])),
    # date ranges
    ("AD=[20180101 TO 20191231]", lambda d: 20180101 <= ymd(d["application_date"]) <= 20191231),
    ("PD=[20200101 TO *]", lambda d: ymd(d["publication_date"]) >= 20200101),
    ("AD=[* TO 20160630]", lambda d: ymd(d["application_date"]) <= 20160630),
    ("TI=锂电池 AND AD=[20200101 TO 20231231]",
     lambda d: has("TI", "锂电池")(d) and 20200101 <= ymd(d["application_date"]) <= 20231231),
    # regions (a region finds everything inside it), keywords
    ("RG=37", lambda d: d["region"].startswith("37")),
    ("RG=3717", lambda d: d["region"].startswith("3717")),
    ("RG=371702", lambda d: d["region"] == "371702"),
    ("PT=发明 AND LS=有效", lambda d: d["patent_type"] == "发明" and d["legal_status"] == "有效"),
    (f"AN={DOCS[5]['id']}", lambda d: d["id"] == DOCS[5]["id"]),
]


@pytest.mark.parametrize("query, predicate", CASES, ids=[q for q, _ in CASES])
def test_query_returns_exactly_the_expected_ids(index, query, predicate):
    expected = ids(predicate)
    assert expected, f"{query} matches nothing in the corpus: a useless case"
    assert found(index, query) == expected


def test_a_phrase_needs_adjacent_words(index):
    assert found(index, 'TI="方法装置"') == set()  # titles say 方法及装置
    assert found(index, "TI=方法 TI=装置") == ids(lambda d: "方法" in d["title"] and "装置" in d["title"]) != set()
    assert found(index, 'TI="方法及装置"') == ids(has("TI", "方法及装置"))


def test_some_cases_are_selective():
    assert len(ids(has("TI", "商标"))) < len(DOCS) // 3


def test_ast_input_and_syntax_errors(index):
    assert found(index, parse("TI=商标")) == ids(has("TI", "商标"))
    with pytest.raises(QuerySyntaxError):
        index.search("TI=(商标")


FACET_CASES = ["方法", "TI=锂电池 OR TI=无人机", "NOT PT=外观设计", "RG=37 AND AD=[20180101 TO *]"]


def brute_facets(matched):
    counts = {name: Counter() for name in FACETS}
    for d in matched:
        counts["patent_type"][d["patent_type"]] += 1
        counts["year"][d["application_date"].year] += 1
        counts["legal_status"][d["legal_status"]] += 1
        counts["region"][d["region"]] += 1
        for name in d["applicants"]:
            counts["applicant"][name] += 1
        for subclass in ipc_terms(d["ipc"])[1]:
            counts["ipc_subclass"][subclass] += 1
    return counts


@pytest.mark.parametrize("query", FACET_CASES)
def test_facet_counts_equal_brute_force(index, query):
    matched = [BY_ID[i] for i in found(index, query)]
    result = index.search(query, facets=True, facet_size=50)
    expected = brute_facets(matched)
    for name in FACETS:
        if name == "year":
            assert result.facets[name] == sorted(expected[name].items(), reverse=True)
        else:
            assert result.facets[name] == sorted(expected[name].items(), key=lambda kc: (-kc[1], kc[0])), name


def test_facet_size_keeps_the_biggest(index):
    result = index.search("方法", facets=True, facet_size=2)
    full = index.search("方法", facets=True, facet_size=50)
    assert result.facets["applicant"] == full.facets["applicant"][:2]
    assert not index.search("方法").facets  # only when asked


@pytest.mark.parametrize("sort", ["date_desc", "date_asc"])
def test_sorting_by_application_date(index, sort):
    result = index.search("TI=方法", sort=sort, limit=1000, highlight=False)
    dates = [h["application_date"] for h in result.hits]
    assert dates == sorted(dates, reverse=sort == "date_desc")
    assert {h["id"] for h in result.hits} == ids(has("TI", "方法"))
    assert dates == [ymd(BY_ID[h["id"]]["application_date"]) for h in result.hits]
    assert all(h["score"] is None for h in result.hits)


def test_relevance_orders_by_score_and_prefers_the_title(index):
    hits = index.search("无人机", limit=1000).hits
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    title_hits = ids(has("TI", "无人机"))
    assert {h["id"] for h in hits[:len(title_hits)]} == title_hits


@pytest.mark.parametrize("sort", ["relevance", "date_desc", "date_asc"])
def test_paging(index, sort):
    everything = [h["id"] for h in index.search("方法", sort=sort, limit=1000, highlight=False).hits]
    assert len(everything) > 45
    pages = []
    for offset in range(0, len(everything), 20):
        page = index.search("方法", sort=sort, limit=20, offset=offset, highlight=False)
        assert page.total == len(everything)
        pages.extend(h["id"] for h in page.hits)
    assert pages == everything
    assert index.search("方法", limit=20, offset=len(everything)).hits == []


def test_highlights_mark_the_matched_words(index):
    hits = index.search("TI=锂电池 AND AB=提高 OR PA=华为", limit=50).hits
    assert hits
    for hit in hits:
        doc, marks = BY_ID[hit["id"]], hit["highlights"]
        assert set(marks) >= {"title", "abstract"}
        if "锂电池" in doc["title"]:
            assert "<em>锂电池</em>" in marks["title"]
        if "提高" in doc["abstract"]:
            assert "<em>提高</em>" in marks["abstract"]
        if "华为技术有限公司" in doc["applicants"]:
            assert "<em>华为</em>技术有限公司" in marks["applicants"]
        assert "inventors" not in marks and "claims" not in marks  # beyond title and abstract: what matches


def test_bare_terms_highlight_every_field_negated_terms_none(index):
    hit = index.search("锂电池 NOT 无人机", limit=1).hits[0]
    doc = BY_ID[hit["id"]]
    for name, html in hit["highlights"].items():
        if "锂电池" in text(doc, name):
            assert "<em>锂电池</em>" in html
        assert "<em>无人机</em>" not in html


def test_claims_are_not_stored_unless_asked_and_can_come_from_the_database(index, tmp_path):
    query = "CL=特征向量"
    hit = index.search(query, limit=1).hits[0]
    assert "claims" not in hit["highlights"]
    claims = BY_ID[hit["id"]]["claims"]
    asked = []

    def from_db(page_ids):
        asked.append(page_ids)
        return {i: {"claims": BY_ID[i]["claims"]} for i in page_ids}

    hits = index.search(query, limit=3, texts=from_db).hits
    assert asked == [[h["id"] for h in hits]]
    assert "<em>特征向量</em>" in hits[0]["highlights"]["claims"] and hits[0]["id"] == hit["id"]
    assert claims.startswith("1.一种")
    stored = PatentIndex(tmp_path, store=("title", "claims"))
    stored.add_or_update(DOCS[:20])
    stored.commit()
    marks = stored.search(query, limit=1).hits[0]["highlights"]
    assert "<em>特征向量</em>" in marks["claims"] and "<em>" not in marks["abstract"] and marks["abstract"] == ""
    with pytest.raises(ValueError):
        PatentIndex(tmp_path, store=("nonsense",))


def test_a_word_found_both_as_a_word_and_inside_another(tmp_path):
    doc = dict(DOCS[0], id="CN-EDGE", title="边缘计算网关", abstract="涉及边缘计算技术领域。一种基于边缘计算的方法，进行数据清洗。")
    index = open_index(tmp_path, [doc, DOCS[1]])
    for word in ("边缘计算", "计算技术", "行数", "基于边缘计算的方法", "数据清洗"):
        assert found(index, f"AB={word}") == {d["id"] for d in (doc, DOCS[1]) if word in d["abstract"]}, word
        assert "CN-EDGE" in found(index, word)


def test_long_abstract_is_a_snippet(tmp_path):
    doc = dict(DOCS[0], id="CN-LONG", abstract="背景技术。" + "现有方案存在缺陷，" * 40 + "本发明采用商标检索。" + "其余说明。" * 40)
    index = open_index(tmp_path, [doc])
    marks = index.search("商标").hits[0]["highlights"]
    assert "<em>商标</em>" in marks["abstract"] and marks["abstract"].startswith("…") and marks["abstract"].endswith("…")
    assert len(marks["abstract"]) < 200


def test_highlights_escape_html(tmp_path):
    doc = dict(DOCS[0], id="CN-HTML", title="一种<b>商标</b>&识别<script>方法", applicants=["A&B<公司>"])
    index = open_index(tmp_path, [doc])
    marks = index.search("商标 OR PA=公司").hits[0]["highlights"]
    assert marks["title"] == "一种&lt;b&gt;<em>商标</em>&lt;/b&gt;&amp;识别&lt;script&gt;方法"
    assert marks["applicants"] == "A&amp;B&lt;<em>公司</em>&gt;"


def test_update_replaces_delete_removes(tmp_path):
    docs = DOCS[:30]
    index = open_index(tmp_path, docs)
    target = docs[3]
    changed = dict(target, title="一种全新的商标监测装置", application_date=dt.date(2024, 6, 1))
    index.add_or_update([changed, changed])  # twice in one batch: still one document
    index.commit()
    assert index.count() == 30 and len(index.ids()) == 30
    assert found(index, "TI=全新") == {target["id"]}
    assert target["id"] not in found(index, '"' + target["title"] + '"')
    assert index.search(f"AN={target['id']}").hits[0]["application_date"] == 20240601

    index.add_or_update(docs)  # re-importing the same batch is idempotent
    index.commit()
    assert index.count() == 30 and found(index, "TI=全新") == set()

    index.delete([docs[0]["id"], docs[1]["id"], "CN-NOT-THERE"])
    index.commit()
    assert index.count() == 28
    assert index.ids() == {d["id"] for d in docs[2:]}
    assert found(index, f"AN={docs[0]['id']}") == set()


def test_add_new_replaces_what_a_stale_index_holds_and_adds_the_rest(tmp_path):
    """add_new skips the per-document delete, except for ids an index left over from an earlier database holds."""
    index = open_index(tmp_path, DOCS[:10])
    stale = DOCS[3]
    fresh = dict(stale, title="一种全新的商标监测装置")
    assert index.add_new([fresh, *DOCS[10:20]]) == 11
    index.commit()
    assert index.count() == 20 and index.ids() == {d["id"] for d in DOCS[:20]}
    assert found(index, "TI=全新") == {stale["id"]}
    assert found(index, f"AN={stale['id']}") == {stale["id"]}
    empty = PatentIndex(tmp_path / "empty", heap_size=30_000_000, num_threads=1)
    assert empty.add_new(DOCS[:5]) == 5 and empty.add_new([]) == 0
    empty.commit()
    assert empty.ids() == {d["id"] for d in DOCS[:5]}


def test_uncommitted_changes_are_invisible_and_rollback_drops_them(tmp_path):
    index = open_index(tmp_path, DOCS[:10])
    index.delete([DOCS[0]["id"]])
    index.add_or_update(DOCS[10:15])
    assert index.count() == 10
    index.rollback()
    assert index.count() == 10
    index.add_or_update(DOCS[10:15])
    index.commit()
    assert index.count() == 15


def test_rebuild_and_consistency_check(tmp_path):
    index = open_index(tmp_path, DOCS[:50])
    assert index.diff(d["id"] for d in DOCS[:50]) == (set(), set())
    missing, extra = index.diff(d["id"] for d in DOCS[10:60])
    assert missing == {d["id"] for d in DOCS[50:60]} and extra == {d["id"] for d in DOCS[:10]}
    assert index.rebuild(DOCS[10:60]) == 50
    assert index.count() == 50 and index.diff(d["id"] for d in DOCS[10:60]) == (set(), set())
    assert found(index, "TI=方法") == {d["id"] for d in DOCS[10:60] if "方法" in d["title"]}


def test_reopen_keeps_the_index_and_a_new_schema_version_starts_empty(tmp_path):
    first = open_index(tmp_path, DOCS[:20])
    assert first.created
    again = PatentIndex(tmp_path)
    assert not again.created and again.count() == 20
    (tmp_path / MARKER).write_text(json.dumps({"schema_version": -1}))
    fresh = PatentIndex(tmp_path)
    assert fresh.created and fresh.count() == 0


def test_one_writer_at_a_time_released_by_commit(tmp_path):
    a = open_index(tmp_path, DOCS[:5])
    b = PatentIndex(tmp_path)
    a.add_or_update(DOCS[5:6])
    with pytest.raises(ValueError):
        b.add_or_update(DOCS[6:7])
    a.commit()
    b.add_or_update(DOCS[6:7])
    b.commit()
    a.index.reload()
    assert a.count() == 7


def test_document_helpers():
    assert ipc_terms(["G06F 16/35", "g06f16/583 (2019.01)", "H01M"]) == (
        ["G", "G06", "G06F", "G06F16", "G06F16/35", "G06F16/583", "H", "H01", "H01M"], ["G06F", "H01M"])
    assert region_terms(["371702", "370102"]) == ["370000", "371700", "371702", "370100", "370102"]
