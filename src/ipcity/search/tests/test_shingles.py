"""Adjacent-word pairs in the combined field: a bare term is one lookup, and finds what the fields find."""
from __future__ import annotations

import random

import pytest

from ipcity.search import PatentIndex
from ipcity.search.index import ALL_FIELD, TEXT_FIELD_NAMES
from ipcity.search.segment import analyze, query_phrase, shingle_phrase, shingles

from .corpus import make_corpus

DOCS = make_corpus(120, seed=11)


def test_pairs_are_adjacent_chinese_words_of_two_or_more_characters():
    pairs = {(term, position) for term, position, _, _ in shingles(analyze("价值评估，专利的检测PM2.5浓度"))}
    assert ("价值 评估", 0) in pairs
    assert ("评估 专利", 2) in pairs  # punctuation does not count for adjacency, as in phrases
    assert not any(term.startswith("专利 ") for term, _ in pairs)  # 的 sits between
    assert not any("pm" in term or "浓度" in term for term, _ in pairs)  # ASCII pieces are not paired
    # overlapping dictionary words pair with whatever starts where they end
    terms = {term for term, *_ in shingles(analyze("股份有限公司"))}
    assert {"股份 有限", "股份 有限公司", "股份有限 公司", "有限 公司"} <= terms


def test_pairs_keep_their_positions_in_order():
    text = "所述价值评估模块用于价值评估，价值评估结果"
    positions: dict[str, list[int]] = {}
    for term, position, start, end in shingles(analyze(text)):
        positions.setdefault(term, []).append(position)
        assert " " in term and end > start
    assert positions["价值 评估"] == [2, 10, 14]
    assert all(p == sorted(p) for p in positions.values())


def test_shingle_phrase():
    assert shingle_phrase(query_phrase("价值评估")) == [(0, "价值 评估")]
    assert shingle_phrase(query_phrase("商标")) == [(0, "商标")]
    assert shingle_phrase(query_phrase("提高了检测灵敏度")) == [(0, "提高"), (3, "检测 灵敏度")]
    assert shingle_phrase([(0, "预测"), (2, "模型"), (4, "训练")]) == [(0, "预测 模型"), (2, "模型 训练")]
    assert shingle_phrase(query_phrase("PM2.5浓度")) == query_phrase("PM2.5浓度")
    assert shingle_phrase([(0, "的"), (1, "一")]) == [(0, "的"), (1, "一")]


def _queries(docs, n=150, seed=3):
    rng = random.Random(seed)
    texts = [d["title"] for d in docs] + [d["abstract"] for d in docs] + ["；".join(d["applicants"]) for d in docs]
    out = set()
    while len(out) < n:
        text = rng.choice(texts)
        size = rng.randint(2, 9)
        start = rng.randrange(0, max(1, len(text) - size))
        out.add(text[start:start + size])
    return sorted(out)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    index = PatentIndex(tmp_path_factory.mktemp("shingles"), heap_size=30_000_000, num_threads=1)
    index.add_or_update(DOCS)
    index.commit()
    return index


def ids(index, query):
    result = index.search(query, limit=1000, highlight=False)
    return {h["id"] for h in result.hits}


@pytest.mark.parametrize("text", _queries(DOCS))
def test_a_bare_term_finds_what_the_five_fields_find(index, text):
    quoted = '"' + text.replace('"', "") + '"'
    union = set().union(*(ids(index, f"{code}={quoted}") for code in TEXT_FIELD_NAMES))
    assert ids(index, quoted) == union


def test_no_phrase_across_fields(tmp_path):
    index = PatentIndex(tmp_path)
    index.add_or_update([{"id": "A", "title": "价值评估的方法", "abstract": "系统装置，提高了检测灵敏度",
                          "claims": "价值", "applicants": ["评估公司"]}])
    index.commit()
    assert ids(index, "价值评估") == ids(index, "检测灵敏度") == ids(index, "提高了检测灵敏度") == {"A"}
    assert ids(index, "方法系统") == ids(index, "价值评估公司") == ids(index, "方法的系统") == set()
    assert ALL_FIELD not in TEXT_FIELD_NAMES.values()


def test_words_in_very_many_titles_rank_without_the_title_clause(index, monkeypatch):
    from ipcity.search import index as module

    common = "方法"
    before = ids(index, common)
    assert "Boost" in repr(index.compile(common))  # a small index: the title clause is there
    monkeypatch.setattr(module, "TITLE_CLAUSE_MAX_DOCS", 0)
    assert "Boost" not in repr(index.compile(common))
    assert ids(index, common) == before  # the same matches, only the order may differ
    assert "Boost" in repr(module._Compiler(index.schema).compile(module.parse(common)))  # no searcher: always
