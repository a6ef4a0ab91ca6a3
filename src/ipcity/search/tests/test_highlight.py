"""Highlighting: <em> around the query's words, HTML escaped, a window around the first match."""
from __future__ import annotations

from ipcity.search.highlight import ELLIPSIS, highlight, match_spans


def test_marks_every_occurrence_and_escapes_html():
    html = highlight('一种<script>商标</script>&"商标"识别', ["商标"])
    assert html == '一种&lt;script&gt;<em>商标</em>&lt;/script&gt;&amp;&quot;<em>商标</em>&quot;识别'


def test_escapes_inside_the_match_too():
    assert highlight("A&B公司", ["A&B公司"]) == "<em>A&amp;B公司</em>"


def test_longest_term_wins_where_terms_overlap():
    assert highlight("注册商标与商标权", ["商标", "注册商标"]) == "<em>注册商标</em>与<em>商标</em>权"


def test_phrase_matches_across_punctuation_and_spaces_like_the_index():
    assert highlight("所述装置，包括底座", ["装置包括"]) == "所述<em>装置，包括</em>底座"
    assert highlight("所述装置 包括底座", ['装置 包括']) == "所述<em>装置 包括</em>底座"


def test_case_insensitive_full_width_and_whole_ascii_words():
    assert highlight("OLED面板与LED灯", ["led"]) == "OLED面板与<em>LED</em>灯"
    assert highlight("ＬＥＤ灯", ["LED"]) == "<em>ＬＥＤ</em>灯"
    assert highlight("PM2.5检测", ["pm2.5"]) == "<em>PM2.5</em>检测"


def test_no_terms_or_no_match_is_just_escaped_text():
    assert highlight("a<b", []) == "a&lt;b"
    assert highlight("a<b", ["商标"]) == "a&lt;b"
    assert match_spans("", ["商标"]) == []


def test_long_text_is_cut_to_a_window_around_the_first_match():
    text = "前言。" + "甲" * 300 + "。本发明涉及商标检索。" + "乙" * 300
    html = highlight(text, ["商标"], max_chars=60)
    assert html.startswith(ELLIPSIS) and html.endswith(ELLIPSIS)
    assert "<em>商标</em>" in html
    assert html.index("本发明") < 5  # the window starts at the sentence of the match
    assert len(html.replace("<em>", "").replace("</em>", "")) <= 60 + 2


def test_long_text_without_match_shows_its_beginning():
    text = "开头" + "丙" * 300
    html = highlight(text, ["商标"], max_chars=50)
    assert html == text[:50] + ELLIPSIS


def test_match_near_the_end_keeps_the_window_full():
    text = "丁" * 300 + "商标"
    html = highlight(text, ["商标"], max_chars=40)
    assert html == ELLIPSIS + "丁" * 38 + "<em>商标</em>"


def test_stop_characters_match_like_the_index():
    # 的 is not indexed: the index finds 图像和识别 for 图像的识别, and so does the highlighter
    assert highlight("图像和识别与图像的识别", ["图像的识别"]) == "<em>图像和识别</em>与<em>图像的识别</em>"
    assert highlight("的农业机械", ["的农业"]) == "的<em>农业</em>机械"
    assert highlight("目的地的", ["的"]) == "目的地的"



def test_full_width_punctuation_needs_no_normalization_to_match():
    # Only full-width letters, digits and _ change a match (punctuation is \W either way), so text
    # without them is matched as it is: the same spans as on the normalized text.
    from ipcity.search.highlight import compile_terms, match_spans
    from ipcity.search.query import normalize

    terms = ["图像 识别", "led", "_a", "价值评估", "专利", "检测的方法"]
    pattern = compile_terms(terms)
    for text in ["图像，识别（ＬＥＤ）＿ａ", "价值　评估“专利”", "图像、识别；价值评估：专利！", "检测之方法，检测的方法",
                 "LED，led（Ｌed）"]:
        expected = [m.span() for m in pattern.finditer(normalize(text)) if m.end() > m.start()]
        assert match_spans(text, pattern) == expected, text
    assert highlight("图像，识别（ＬＥＤ）＿ａ", terms) == "<em>图像，识别</em>（<em>ＬＥＤ</em>）<em>＿ａ</em>"
