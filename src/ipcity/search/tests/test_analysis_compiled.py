"""The compiled analysis loops (_analysis.c) give exactly the tokens of segment.py's Python loops."""
from __future__ import annotations

import random

import pytest

from ipcity.demo import synth
from ipcity.search import segment
from ipcity.search.index import _tokens
from ipcity.search.tests.test_segment import ANALYSIS_TEXTS

pytestmark = pytest.mark.skipif(segment._analysis is None,
                                reason="ipcity.search._analysis was not built (no C compiler at install time)")

EDGE_TEXTS = [
    "", " ", "。", "a", "的", "A1b2C3", "中", "中文", "知识产权局知识产权局知识产权局",
    "ΑΒΓ希腊字母与Кириллица", "表情😀符号𠀀扩展字", "\u3000全角空格\u3000", "１２３ＡＢＣ全角",
    "一" * 300, "。" * 50 + "专利" + "，" * 50, "5G、6G与Wi-Fi 7；3.5mm/USB-C",
    "（一）权利要求1所述的装置，其特征在于：所述控制器与传感器连接。",
]


def _texts() -> list[str]:
    rng = random.Random(11)
    out = list(ANALYSIS_TEXTS) + EDGE_TEXTS
    for _ in range(300):
        title, abstract, _ipc = synth.patent_text_long(rng)
        out += [title, abstract, synth.person_name(rng)]
    return out


def test_analyze_gives_the_python_tokens():
    for text in _texts():
        for base, offset in ((0, 0), (1010, 37)):
            assert segment.analyze(text, base, offset) == segment.analyze_python(text, base, offset), text


def test_shingles_give_the_python_pairs():
    for text in _texts():
        tokens = _tokens([text, text[: len(text) // 2]])  # two values: positions VALUE_GAP apart
        assert segment.shingles(tokens) == segment.shingles_python(tokens), text


def test_shingles_of_tokens_out_of_position_order_fall_back_to_python():
    tokens = segment.analyze("知识产权保护")
    shuffled = list(reversed(tokens))
    assert segment._analysis.shingles_core(shuffled, segment.SHINGLE_JOIN) is None
    assert sorted(segment.shingles(shuffled)) == sorted(segment.shingles_python(tokens))


def test_bad_segmenter_output_is_an_error_not_a_crash():
    with pytest.raises(ValueError):
        segment._analysis.analyze_core("专利", 0, 0, lambda piece: [("专利", 0, 9)], lambda piece: [], {},
                                       segment._index_term)
    with pytest.raises(TypeError):
        segment._analysis.analyze_core("专利", 0, 0, lambda piece: ["专利"], lambda piece: [], {}, segment._index_term)
    with pytest.raises(TypeError):
        segment._analysis.shingles_core([("专利", 0)], segment.SHINGLE_JOIN)
