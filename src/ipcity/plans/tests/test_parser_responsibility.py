"""Responsible units written at the end of a task."""

from ipcity.plans.parser import parse_text
from ipcity.plans.parser.responsibility import find_notes, merge, strip_notes


def units(text, first_is_lead=False):
    return merge(find_notes(text), first_is_lead)


def test_full_width_note_with_comma_groups():
    assert units("开展执法。（责任单位：市市场监管局、财政局，各县（市）区政府）") == (
        ["市市场监管局", "财政局", "各县（市）区政府"], [], [])


def test_half_width_note_with_nested_brackets():
    assert units("开展执法。(责任单位:市市场监管局,各县(市)区政府)") == (["市市场监管局", "各县（市）区政府"], [], [])


def test_plain_responsibility_bracket():
    assert units("开展执法。（市市场监管局、市公安局负责）") == (["市市场监管局", "市公安局"], [], [])
    assert units("开展执法。（各县区政府按职责分工负责）") == (["各县区政府"], [], [])


def test_lead_and_support_fields():
    assert units("开展执法。（牵头单位：市市场监管局；配合单位：市公安局、市司法局）") == (
        ["市市场监管局", "市公安局", "市司法局"], ["市市场监管局"], ["市公安局", "市司法局"])
    assert units("开展执法。(牵头单位:市市场监管局;配合单位:市公安局)") == (
        ["市市场监管局", "市公安局"], ["市市场监管局"], ["市公安局"])


def test_lead_and_support_suffixes():
    assert units("开展执法。（市市场监管局牵头，市公安局、市司法局配合）") == (
        ["市市场监管局", "市公安局", "市司法局"], ["市市场监管局"], ["市公安局", "市司法局"])
    assert units("（责任单位：市科技局牵头，各县区政府参与）") == (["市科技局", "各县区政府"], ["市科技局"], ["各县区政府"])


def test_first_listed_is_lead_convention():
    assert units("（责任单位：市市场监管局、市公安局、市司法局）", first_is_lead=True) == (
        ["市市场监管局", "市公安局", "市司法局"], ["市市场监管局"], ["市公安局", "市司法局"])


def test_odd_whitespace_inside_names():
    assert units("（责任单位：市 市场监管局、\u00a0市公安\u3000局）") == (["市市场监管局", "市公安局"], [], [])


def test_note_on_its_own_line_and_deadline_field():
    [note] = find_notes("加强执法。\n责任单位：市市场监管局、市公安局\n")
    assert note.plain == ["市市场监管局", "市公安局"]
    [note] = find_notes("（牵头单位：市市场监管局；完成时限：2024年12月底前）")
    assert note.lead == ["市市场监管局"] and "2024年12月底前" in note.deadline_text


def test_not_notes():
    assert find_notes("（具体办法另行制定）各县区人民政府(管委会)，围绕(洛龙片区)的建设（此件公开发布）") == []
    assert find_notes("（市场主体负责）") == []  # 市场主体 is not an organisation name


def test_strip_notes():
    assert strip_notes("开展执法。（责任单位：市市场监管局）") == "开展执法。"


def test_units_in_parsed_tasks():
    text = """二、主要任务
1.加强行政保护。开展执法。(责任单位:市市场监管局、市公安局)
2.加强司法保护。开展审判。（牵头单位：市中级人民法院；配合单位：市检察院）
3.加强宣传。开展活动。（市委宣传部、市文明办负责）
4.推进运用。2025年6月底前完成专项行动。
"""
    r = parse_text(text)
    got = [(t["responsible"], t["lead"], t["support"], t["deadline"]) for t in r["tasks"]]
    assert got == [
        (["市市场监管局", "市公安局"], [], [], None),
        (["市中级人民法院", "市检察院"], ["市中级人民法院"], ["市检察院"], None),
        (["市委宣传部", "市文明办"], [], [], None),
        ([], [], [], "2025-06-30"),
    ]
    assert r["tasks"][0]["text"] == "开展执法。"
    assert "1 项任务未识别出责任单位：2.4" in r["warnings"]


def test_children_inherit_parent_note():
    text = "一、重点任务\n（一）加强保护（责任单位：市市场监管局）\n1.行政保护。执法。\n2.司法保护。审判。（责任单位：市法院）\n"
    r = parse_text(text)
    assert [t["responsible"] for t in r["tasks"]] == [["市市场监管局"], ["市法院"]]


def test_task_table_when_no_numbered_tasks():
    text = """某市知识产权工作任务分工
序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |
1 | 开展专利执法专项行动 | 市市场监管局 | 市公安局、市司法局 | 2024年12月底 |
2 | 建设知识产权保护中心 | 市市场监管局 | 市财政局 | 长期 |
"""
    r = parse_text(text)
    assert [(t["id"], t["number"], t["title"], t["lead"], t["support"], t["deadline"]) for t in r["tasks"]] == [
        ("T1", "1", "开展专利执法专项行动", ["市市场监管局"], ["市公安局", "市司法局"], "2024-12-31"),
        ("T2", "2", "建设知识产权保护中心", ["市市场监管局"], ["市财政局"], None),
    ]
    start, end = r["tasks"][0]["source_span"]
    assert text[start:end].startswith("开展专利执法专项行动")


def test_deadline_fields_and_lines():
    text = """二、重点工作
（一）加强创造。一是培育高价值专利；二是开展消零行动。
责任单位：县市场监管局、县科技局
完成时限：2024年12月底前
（二）强化保护。开展专项行动。（牵头单位：县市场监管局；配合单位：县公安局；完成时限：2024年6月）
（三）促进运用。推动质押融资。（完成时限：2025年上半年）
"""
    r = parse_text(text)
    got = [(t["responsible"], t["lead"], t["deadline"], t["text"]) for t in r["tasks"]]
    assert got == [
        (["县市场监管局", "县科技局"], [], "2024-12-31", "一是培育高价值专利；二是开展消零行动。"),
        (["县市场监管局", "县公安局"], ["县市场监管局"], "2024-06-30", "开展专项行动。"),
        ([], [], "2025-06-30", "推动质押融资。"),
    ]


def test_duplicate_numbers_keep_ids_unique_and_deadline_notes_do_not_block_inheritance():
    text = "一、重点任务\n（一）加强保护（责任单位：市市场监管局）\n1.行政保护。执法。（完成时限：2024年底）\n1.司法保护。审判。\n"
    r = parse_text(text)
    assert [(t["id"], t["responsible"], t["deadline"]) for t in r["tasks"]] == [
        ("1.1.1", ["市市场监管局"], "2024-12-31"), ("1.1.1-2", ["市市场监管局"], None)]
