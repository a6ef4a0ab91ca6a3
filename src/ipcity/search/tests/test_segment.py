"""Segmentation: rjieba gives jieba's tokens on patent text; index tokens and query phrase variants."""
from __future__ import annotations

import re

from ipcity.search.query import normalize
from ipcity.search.segment import (STOP_CHARS, analyze, analyze_python, compare_with_jieba, dictionary_words,
                                   query_phrase, raw_differences, tokenize)

# Thirty sentences of the kind the index holds: titles, abstracts, claims, applicants, legal events.
PATENT_SENTENCES = [
    "本发明公开了一种基于深度学习的商标图像识别方法，包括获取注册商标申请文件中的图像并提取特征向量。",
    "一种新能源汽车动力电池热管理系统及其控制方法，所述系统包括液冷板、温度传感器和控制器。",
    "本实用新型涉及农业机械技术领域，具体为一种可调节行距的玉米播种装置。",
    "1.一种锂离子电池正极材料的制备方法，其特征在于，包括以下步骤：将磷酸铁锂与导电剂混合后烧结。",
    "根据权利要求1所述的方法，其特征在于，所述卷积神经网络采用残差结构，学习率为0.001。",
    "本申请提供一种基于区块链的知识产权交易存证方法、装置、电子设备及存储介质。",
    "华为技术有限公司与山东大学联合申请的发明专利已进入实质审查阶段。",
    "潍柴动力股份有限公司提出一种柴油发动机尾气后处理系统，有效降低了氮氧化物排放。",
    "该外观设计产品为智能手表，设计要点在于表盘的形状与图案的结合。",
    "本发明通过物联网传感器实时采集土壤湿度数据，并利用边缘计算节点进行灌溉决策。",
    "一种5G通信基站天线的安装支架，包括底座、转轴和锁紧螺栓，便于调节俯仰角度。",
    "所述无人机包括机身、旋翼组件以及用于航拍的云台相机，续航时间不少于45分钟。",
    "本发明属于生物医药领域，涉及一种治疗糖尿病的中药组合物及其制备方法。",
    "专利权人于2022年3月15日缴纳年费，该专利的法律状态为有效。",
    "因未缴年费，该实用新型专利权于2021年终止，法律状态变更为失效。",
    "一种用于光伏组件清洗的机器人，能够在倾斜面板上自主行走并避开障碍物。",
    "本发明提出了一种基于知识图谱的专利文献语义检索方法，提高了检索的查全率和查准率。",
    "菏泽市农业科学院培育的牡丹新品种获得植物新品种权保护。",
    "一种工业机器人关节减速器的故障预测方法，基于振动信号的时频特征进行寿命评估。",
    "本公开涉及一种显示面板及其制作方法，所述显示面板包括OLED发光层和薄膜封装层。",
    "济南市知识产权服务中心开展专利导航分析，为企业提供高价值专利培育服务。",
    "一种PM2.5颗粒物浓度检测装置，包括激光散射传感器、采样气路和数据处理单元。",
    "该商标异议申请以申请商标与引证商标构成使用在类似商品上的近似商标为由提出。",
    "本发明的有益效果是：结构简单、成本低廉、便于推广应用，适用于中小型企业。",
    "一种基于数字孪生的智能工厂生产调度方法，实现了设备利用率的显著提升。",
    "所述电解液包含碳酸乙烯酯、碳酸二甲酯以及质量分数为1%至3%的添加剂。",
    "海尔智家股份有限公司申请的冰箱保鲜控制方法通过调节氧气浓度延长果蔬储存期。",
    "一种高速列车受电弓滑板磨耗在线监测系统，采用图像处理技术识别磨耗量。",
    "本发明涉及计算机视觉领域，尤其涉及一种行人重识别模型的训练方法和装置。",
    "浪潮电子信息产业股份有限公司的服务器散热结构专利被认定为标准必要专利。",
]


def test_thirty_sentences():
    assert len(PATENT_SENTENCES) == 30 and len(set(PATENT_SENTENCES)) == 30


def test_rjieba_gives_the_same_tokens_as_jieba():
    assert compare_with_jieba(PATENT_SENTENCES) == []


def test_the_libraries_differ_only_on_ascii_runs_which_we_cut_ourselves():
    # Why ASCII letter/digit runs never reach the segmenter: rjieba keeps PM2.5 whole and adds PM2.
    diffs = raw_differences(PATENT_SENTENCES + ["直径3.5mm的钢管", "COVID-19检测试剂盒", "Wi-Fi模块"])
    assert diffs, "the libraries agree everywhere now: the ASCII pre-split could go"
    assert all(re.search(r"[A-Za-z0-9]", d["sentence"]) for d in diffs)
    assert compare_with_jieba(["直径3.5mm的钢管", "COVID-19检测试剂盒", "Wi-Fi模块"]) == []
    assert [w for w, _, _ in tokenize("直径3.5mm的钢管")] == ["直径", "3", ".", "5", "mm", "的", "钢管"]
    assert [(t, p) for t, p, _, _ in analyze("PM2.5浓度")] == [("pm", 0), ("2", 2), ("5", 3), ("浓度", 4)]


def test_the_index_holds_every_dictionary_word_in_the_text():
    terms = {term for term, *_ in analyze("注册商标申请与知识产权局")}
    assert {"注册", "商标", "注册商标", "申请", "知识", "知识产权", "产权", "产权局", "知识产权局"} <= terms


def test_each_terms_positions_increase():
    # tantivy needs them in order; 计算 is a precise word in one place and a sub-word in another
    text = "涉及边缘计算技术领域。一种基于边缘计算的方法"
    for sentence in [text, *PATENT_SENTENCES]:
        positions: dict[str, list[int]] = {}
        for term, position, start, end in analyze(sentence):
            positions.setdefault(term, []).append(position)
        assert all(p == sorted(p) for p in positions.values()), sentence
    assert [p for t, p, _, _ in analyze(text) if t == "计算"] == [4, 16]


def test_dictionary_words_have_their_offsets():
    text = "中华人民共和国知识产权局，商标商标"
    words = dictionary_words(text)
    assert all(text[s:e] == w and len(w) >= 2 for w, s, e in words)
    assert ("共和国", 4, 7) in words and ("知识产权", 7, 11) in words
    assert [(w, s) for w, s, _ in words if w == "商标"] == [("商标", 13), ("商标", 15)]
    assert words == dictionary_words(text, "jieba")


def test_positions_count_significant_characters_only():
    tokens = {(term, pos) for term, pos, _, _ in analyze("装置， 包括LED灯")}
    assert ("装置", 0) in tokens and ("包括", 2) in tokens and ("led", 4) in tokens and ("灯", 7) in tokens


def test_stop_characters_and_punctuation_are_not_indexed_but_keep_their_place():
    tokens = analyze("图像的识别。")
    assert [(t, p) for t, p, _, _ in tokens] == [("图像", 0), ("识别", 3)]
    assert "目的" in {t for t, *_ in analyze("目的地")}  # only the character on its own is a stop
    assert "的" in STOP_CHARS


def test_offsets_point_into_the_original_text():
    text = "一种ＬＥＤ灯具"  # full-width letters are normalized for matching, offsets stay
    for term, _, start, end in analyze(text):
        assert len(text[start:end]) == len(term)
    assert ("led", 2) in {(t, p) for t, p, _, _ in analyze(text)}


def _analyze_reference(text: str, base: int = 0, offset: int = 0) -> list:
    """analyze as its docstring defines it, composed plainly from tokenize: what the piece-by-piece version must
    give (positions: base + offset over significant characters; terms lower-cased; punctuation and stop characters
    dropped, the stop characters keeping their place)."""
    norm = normalize(text)
    gap = [False] * len(norm)
    out = []
    for word, start, end in tokenize(norm, "default"):
        if not word.isalnum() and not re.search(r"\w", word):
            for i in range(start, end):
                gap[i] = True
    before = [0] * (len(norm) + 1)
    for i in range(len(norm)):
        before[i + 1] = before[i] + (0 if gap[i] else 1)
    precise = set()
    for word, start, end in tokenize(norm, "default"):
        if gap[start] or (len(word) == 1 and word in STOP_CHARS):
            continue
        precise.add((start, end))
        out.append((word.lower(), base + before[start], start + offset, end + offset))
    for word, start, end in tokenize(norm, "dict"):
        if (start, end) not in precise:
            out.append((word.lower(), base + before[start], start + offset, end + offset))
    out.sort(key=lambda t: t[2])
    return out


ANALYSIS_TEXTS = PATENT_SENTENCES + [
    "PM2.5浓度监测装置，包括LED灯、Wi-Fi模块和3.5mm接口。",
    "  知识产权局（市场监督管理局）；  注册商标申请与COVID-19检测试剂盒。",
    "ABC", "2024", "。，、", "的的的", "a的b", "5G通信、6G", "基于图像的识别。识别率≥99.5%",
]


def test_piecewise_analysis_gives_the_plain_composition_of_tokenize():
    for text in ANALYSIS_TEXTS:
        for base, offset in ((0, 0), (37, 5)):
            assert analyze(text, base, offset) == _analyze_reference(text, base, offset), text
            assert analyze_python(text, base, offset) == _analyze_reference(text, base, offset), text


def test_query_phrase_is_the_precise_words_with_offsets():
    assert query_phrase("商标") == [(0, "商标")]
    assert query_phrase("知识产权") == [(0, "知识产权")]
    assert query_phrase("图像识别方法") == [(0, "图像识别"), (4, "方法")]
    assert query_phrase("的图像，识别") == [(0, "图像"), (2, "识别")]
    assert query_phrase("PM2.5") == [(0, "pm"), (2, "2"), (3, "5")]
    assert query_phrase("，。") == []
    assert query_phrase("的") == []
    assert query_phrase("行数") == [(0, "行数")]  # precise mode says 行 + 数; 进行数据 holds only 行数
    assert query_phrase("基于图像的识别") == [(0, "基于"), (2, "图像"), (5, "识别")]
