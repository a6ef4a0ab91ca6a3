"""The SEI classifier on a synthetic table: hierarchy, editions, keyword rules, file errors (no database)."""
from __future__ import annotations

import json

import pytest

from ipcity.analytics.sei import KeywordRule, SeiTable, TableError

from .fixtures import mapping_lines, rule_lines, table


def codes(t, ipcs, text="", inherit="always"):
    return t.codes(t.classify(ipcs, text, inherit))


def test_exact_code_matches_with_its_reason():
    t = table()
    [match] = t.classify(["G06N 3/08"], "")
    assert (match.code, match.rule_id, match.via) == ("1.5", 1, "精确")
    assert match.reason() == "G06N3/08 → 1.5 人工智能，规则 1"


def test_unlisted_subgroup_inherits_from_its_listed_main_group_unless_never():
    t = table()
    [match] = t.classify(["G06N 3/0464"], "")
    assert (match.table_ipc, match.via) == ("G06N3/00", "继承主组")
    assert "按 G06N3/00，继承主组" in match.reason()
    assert codes(t, ["G06N 3/0464"], inherit="never") == []


def test_a_listed_subgroup_is_not_overridden_by_its_group():
    t = table()
    assert codes(t, ["G06F 16/27"]) == ["1.4"]       # listed itself (rule 5), not G06F16/00's rule 1
    assert codes(t, ["G06F 16/30"]) == ["1.5"]       # unlisted: G06F16/00's rule


def test_class_level_entry_covers_its_codes():
    assert codes(table(), ["C08K 3/04"]) == ["3.6"]


def test_keyword_rule_needs_the_text_to_fit():
    t = table()
    [match] = t.classify(["H04L 45/02"], "一种高端路由器的报文转发方法")
    assert match.code == "1.1" and match.keyword == "高端路由器"
    assert "关键词“高端路由器”" in match.reason()
    assert t.classify(["H04L 45/02"], "一种数据库索引方法") == []
    assert codes(t, ["H04L 45/02"], None) == ["1.1"]  # None: IPC alone (analytics.sei_mode = ipc)


def test_codes_moved_between_editions_are_found_under_their_other_spelling():
    t = table()
    # G06V (2022.01) came from G06K9 and G06T7: the 2021 table only knows the older codes.
    [match] = t.classify(["G06V 10/82"], "提供图像识别服务的系统")
    assert (match.code, match.table_ipc) == ("9.1", "G06T7/00") and "2022.01" in match.via
    # G06F17/30 (before 2019.01) is G06F16 now.
    assert "1.5" in codes(t, ["G06F 17/30"])


def test_every_code_of_the_patent_counts_once_per_rule():
    t = table()
    matches = t.classify(["A01B 1/00", "G06N 3/08", "G06N 3/00", "G06F 16/27"], "")
    assert [m.rule_id for m in matches] == [1, 5]
    assert t.codes(matches) == ["1.4", "1.5"]
    assert t.classify(["not a code", ""], "") == []


def test_keyword_terms_drop_generic_words():
    rule = KeywordRule("人工智能优化操作系统、人工智能中间件、函数库；计算机视听觉软件、生物特征识别软件等应用软件开发。",
                       lambda text: __import__("rjieba").cut(text))
    assert rule.match("一种基于生物特征识别软件的门禁") == "生物特征识别软件"
    assert rule.match("一种中间件的调度方法") == "人工智能中间件"  # two significant words: the product word suffices
    assert rule.match("一种齿轮箱") == ""
    assert all("开发" not in words and "系统" not in words for _, words in rule.terms)


def test_stored_form_round_trips():
    t = table()
    rules, mapping = t.stored()
    again = SeiTable.from_stored(json.loads(json.dumps(rules)), json.loads(json.dumps(mapping)))
    assert again.rules == t.rules and again.mapping == t.mapping


@pytest.mark.parametrize("rules,mapping,message", [
    (rule_lines() + ["{not json"], mapping_lines(), "sei.jsonl 第 6 行无法读取"),
    (rule_lines() + [json.dumps({"id": 1, "seiCode": "1.1", "seiName": "x", "keywords": None})], mapping_lines(),
     "规则编号 1 重复"),
    ([json.dumps({"id": 9, "seiCode": "一点一", "seiName": "x", "keywords": None})], [], "不是“1.5”这样的格式"),
    (rule_lines(), mapping_lines() + [json.dumps({"ipcCode": "G06N3/08", "seiId": 99})], "不存在的规则 99"),
    (rule_lines(), mapping_lines() + [json.dumps({"ipcCode": "XYZ", "seiId": 1})], "“XYZ”不是 IPC 分类号"),
    (rule_lines(), [], "没有分类号对应关系"),
    ([], mapping_lines(), "没有规则"),
])
def test_bad_files_are_refused_with_the_line(rules, mapping, message):
    with pytest.raises(TableError) as err:
        SeiTable.from_lines(rules, mapping)
    assert message in str(err.value)
