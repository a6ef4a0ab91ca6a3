"""The heading tree on synthetic snippets."""

from ipcity.plans.parser import parse_text
from ipcity.plans.parser.headings import match_heading, split_title


def outline(result):
    def walk(nodes):
        return [(n["number"], n["title"], n["level"], walk(n["children"])) for n in nodes]
    return walk(result["sections"])


def test_match_heading_styles():
    cases = {"一、总体要求": ("一、", "一"), "（十二）加强保护": ("（一）", "十二"), "(三)加强保护": ("（一）", "三"),
             "1.加强": ("1.", "1"), "12、加强": ("1.", "12"), "3．加强": ("1.", "3"), "（2）加强": ("（1）", "2"),
             "2）加强": ("1）", "2"), "③加强": ("①", "③"), "第三章 重点任务": ("第章", "三"), "第十二条 本办法": ("第条", "十二"),
             "第二部分　主要任务": ("第章", "二")}
    for line, (style, number) in cases.items():
        m = match_heading(line.replace("　", " "))
        assert m is not None and (m.style, m.number) == (style, number), line


def test_not_headings():
    for line in ["1.5亿元用于专项资金", "2025年底前完成", "一是加强保护", "——坚持改革创新", "1 | 指标 | 2025年 |",
                 "为深入贯彻落实", "3.2万件", "(此件公开发布)", "一流的营商环境"]:
        assert match_heading(line) is None, line


def test_run_in_titles():
    assert split_title("指导思想。以习近平新时代中国特色社会主义思想为指导") == ("指导思想", "以习近平新时代中国特色社会主义思想为指导")
    assert split_title("探索新业态新领域保护制度") == ("探索新业态新领域保护制度", "")
    assert split_title("主要目标：到2025年，专利拥有量达到3件") == ("主要目标", "到2025年，专利拥有量达到3件")
    assert split_title("加强协同(责任单位:市市场监管局)") == ("加强协同", "")
    long = "设立专项资金，完善相关管理办法，纳入年度财政预算，专项用于专利申请资助、知识产权优势培育、知识产权试点示范创建、专利技术产业化以及宣传培训等工作。各县区安排资金。"
    assert split_title(long)[0] == "设立专项资金"


def test_three_levels_and_running_numbering():
    text = """某市知识产权工作方案
一、总体要求
（一）指导思想。坚持创新。
（二）工作目标。到2025年，专利申请量达到100件。
二、重点任务
（三）加强保护。严格保护知识产权。
1.加强行政保护。开展执法。
2.加强司法保护。开展审判。
（四）促进运用
3.推动转化。开展对接。
三、保障措施
（一）加强组织领导。建立机制。
"""
    r = parse_text(text)
    assert outline(r) == [
        ("一", "总体要求", 1, [("一", "指导思想", 2, []), ("二", "工作目标", 2, [])]),
        ("二", "重点任务", 1, [
            ("三", "加强保护", 2, [("1", "加强行政保护", 3, []), ("2", "加强司法保护", 3, [])]),
            ("四", "促进运用", 2, [("3", "推动转化", 3, [])]),
        ]),
        ("三", "保障措施", 1, [("一", "加强组织领导", 2, [])]),
    ]
    assert not [w for w in r["warnings"] if "编号不连续" in w]
    assert [t["id"] for t in r["tasks"]] == ["2.3.1", "2.3.2", "2.4.3"]


def test_numbering_gap_is_warned():
    r = parse_text("一、任务\n（一）甲项工作。内容。\n（三）丙项工作。内容。\n")
    assert any("编号不连续" in w and "（三）" in w for w in r["warnings"])


def test_lost_first_level_gets_implicit_parts():
    text = "（一）指导思想。坚持。\n（二）主要目标。到2025年。\n（一）加强保护。保护。\n（二）促进运用。运用。\n（一）加强组织领导。领导。\n"
    r = parse_text(text)
    assert [(s["number"], s["title"], [c["title"] for c in s["children"]]) for s in r["sections"]] == [
        ("", "", ["指导思想", "主要目标"]), ("", "", ["加强保护", "促进运用"]), ("", "", ["加强组织领导"])]
    assert [t["id"] for t in r["tasks"]] == ["2.1", "2.2"]
    assert any(w.startswith("一级标题缺失") for w in r["warnings"])


def test_unnumbered_lead_sentences_become_third_level():
    text = """一、重点任务
（一）加强知识产权保护
加强行政保护。严厉打击侵权假冒行为，开展专项行动。
强化司法保护。推进审判机制改革，提高审判质效。
（二）促进运用。推动专利转化实施，提高转化效益。
"""
    r = parse_text(text)
    first = r["sections"][0]["children"][0]
    assert [(c["number"], c["title"], c["level"]) for c in first["children"]] == [
        ("", "加强行政保护", 3), ("", "强化司法保护", 3)]
    # the tasks stay the numbered items
    assert [t["id"] for t in r["tasks"]] == ["1.1", "1.2"]


def test_chapters_and_articles():
    text = """第一章 总则
第一条 为了加强知识产权保护，制定本办法。
第二章 重点任务
第二条 市场监管部门负责专利执法。（责任单位：市市场监管局）
第三条 公安机关负责刑事打击。
"""
    r = parse_text(text)
    assert [(s["number"], s["title"], [c["number"] for c in s["children"]]) for s in r["sections"]] == [
        ("一", "总则", ["一"]), ("二", "重点任务", ["二", "三"])]
    assert [(t["id"], t["responsible"]) for t in r["tasks"]] == [("2.2", ["市市场监管局"]), ("2.3", [])]


def test_main_text_stops_at_annex_and_signature():
    text = """一、重点任务
1.加强保护。严格执法。
某市人民政府办公室
2024年4月10日
附件：领导小组名单
1.不是任务
"""
    r = parse_text(text)
    [t] = r["tasks"]
    assert t["text"] == "严格执法。"
    assert r["date"] == "2024-04-10" and r["issuer"] == ["某市人民政府办公室"]


def test_plan_attached_after_a_notice_with_its_own_points():
    text = """某市人民政府办公室关于印发某市知识产权保护工作方案的通知
各县区人民政府：
现将《某市知识产权保护工作方案》印发给你们，并就有关事项通知如下：
一、提高认识。各地要高度重视。
二、抓好落实。各地要细化措施。
某市人民政府办公室
2023年5月8日
附件
某市知识产权保护工作方案
一、总体要求
（一）指导思想。坚持保护创新。
二、重点任务
（一）加强行政保护。开展执法。（责任单位：市市场监管局）
（二）加强司法保护。推进审判。（责任单位：市中级人民法院）
（三）加强协同保护。完善机制。（责任单位：市司法局）
三、保障措施
（一）加强组织领导。建立机制。
"""
    r = parse_text(text)
    assert r["title"] == "某市知识产权保护工作方案"
    assert r["date"] == "2023-05-08" and r["issuer"] == ["某市人民政府办公室"]
    assert [s["title"] for s in r["sections"]] == ["总体要求", "重点任务", "保障措施"]
    assert [(t["id"], t["responsible"]) for t in r["tasks"]] == [
        ("2.1", ["市市场监管局"]), ("2.2", ["市中级人民法院"]), ("2.3", ["市司法局"])]


def test_boxes_and_sources_inside_the_text_do_not_end_it():
    text = "一、重点任务\n1.加强保护。执法。\n【专栏1】保护工程\n来源于群众的线索要及时处理。\n2.促进运用。转化。\n"
    r = parse_text(text)
    assert [t["number"] for t in r["tasks"]] == ["1", "2"]
