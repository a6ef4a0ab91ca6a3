"""Indicators: "|" tables and the prose target forms."""

import pytest

from ipcity.plans.parser import parse_text
from ipcity.plans.parser.indicators import parse_clause


@pytest.mark.parametrize("clause,name,unit,value,kind", [
    ("每万人口发明专利拥有量3.9件", "每万人口发明专利拥有量", "件", 3.9, "level"),
    ("全市每万人口高价值发明专利拥有量年均增长8%以上", "每万人口高价值发明专利拥有量", "%", 8.0, "annual_growth_pct"),
    ("累计培训各类知识产权人才200人次", "培训各类知识产权人才", "人次", 200.0, "cumulative"),
    ("知识产权质押融资金额累计达到10亿元", "知识产权质押融资金额", "亿元", 10.0, "cumulative"),
    ("力争PCT申请实现零突破", "PCT申请", None, 1.0, "breakthrough"),
    ("备案专利密集型产品达到200件以上", "备案专利密集型产品", "件", 200.0, "level"),
    ("知识产权优势企业年均新增3家以上", "知识产权优势企业", "家", 3.0, "increase"),
    ("有效注册商标量3.2万件", "有效注册商标量", "万件", 3.2, "level"),
    ("培育1个高价值专利培育中心", "培育高价值专利培育中心", "个", 1.0, "level"),
    ("新增两家国家级知识产权示范企业", "新增国家级知识产权示范企业", "家", 2.0, "cumulative"),
    ("知识产权示范企业新增5家", "知识产权示范企业", "家", 5.0, "cumulative"),
    ("新增知识产权示范企业2家", "新增知识产权示范企业", "家", 2.0, "cumulative"),
    ("全年发明专利授权量同比增长10%以上", "全年发明专利授权量", "%", 10.0, "annual_growth_pct"),
    ("培育两个知识产权运营中心", "培育知识产权运营中心", "个", 2.0, "level"),
    ("各类执法案件结案率达到90％以上", "各类执法案件结案率", "%", 90.0, "level"),
])
def test_prose_forms(clause, name, unit, value, kind):
    got = parse_clause(clause, 2025)
    assert (got["name"], got["unit"], got["target"], got["target_kind"]) == (name, unit, {"year": 2025, "value": value}, kind)
    assert got["source_text"] == clause


def test_breakthrough_without_zero_has_no_value():
    got = parse_clause("推动专利开放许可实现突破", 2026)
    assert (got["name"], got["target"], got["target_kind"]) == ("专利开放许可", None, "breakthrough")


def test_baseline_from_prose_and_nature():
    got = parse_clause("每万人口高价值发明专利拥有量由2020年的0.87件提高到1.75件（预期性）", 2025)
    assert got["name"] == "每万人口高价值发明专利拥有量"
    assert got["baseline"] == {"year": 2020, "value": 0.87}
    assert got["target"] == {"year": 2025, "value": 1.75}
    assert got["nature"] == "预期性"


def test_no_indicator_in_plain_words():
    for clause in ["形成一批可复制可推广的经验", "打造一流营商环境", "坚持以“三个代表”重要思想为指导", "到2025年", ""]:
        assert parse_clause(clause, 2025) is None, clause


def test_goal_section_prose_with_year_context_and_bullets():
    text = """某市知识产权强市建设工作方案（2024—2026年）
一、总体要求
（一）工作目标。到2026年底，知识产权综合实力进一步增强。
——知识产权创造质量稳步提升。每万人口高价值发明专利拥有量年均增长8%以上，力争PCT申请实现零突破。
——知识产权保护环境不断优化。
——知识产权运用效益明显增强。到2025年，备案专利密集型产品达到200件以上。
二、主要任务
1.开展专利导航。每年实施专利导航项目2个。（责任单位：市市场监管局）
"""
    r = parse_text(text)
    got = [(i["name"], i["target"], i["target_kind"]) for i in r["indicators"]]
    assert got == [
        ("每万人口高价值发明专利拥有量", {"year": 2026, "value": 8.0}, "annual_growth_pct"),
        ("PCT申请", {"year": 2026, "value": 1.0}, "breakthrough"),
        ("知识产权保护环境不断优化", None, "qualitative"),
        ("备案专利密集型产品", {"year": 2025, "value": 200.0}, "level"),
    ]  # nothing from the task chapter


def test_pipe_table():
    text = """某市“十四五”知识产权规划
主要指标
| 序号 | 指标名称 | 单位 | 2020年 | 2025年 | 属性 |
| --- | --- | --- | --- | --- | --- |
| 1 | 每万人口高价值发明专利拥有量 | 件 | 1.2 | 3.5 | 预期性 |
| 2 | 知识产权质押融资金额 | 亿元 | 5 | [20] | 预期性 |
| 3 | 专利侵权纠纷结案率 | % | 90 | ≥95 | 约束性 |
| 4 | 技术合同成交额年均增长 | % | — | 年均增长10% | 预期性 |
"""
    r = parse_text(text)
    got = [(i["name"], i["unit"], i["baseline"], i["target"], i["target_kind"], i["nature"]) for i in r["indicators"]]
    assert got == [
        ("每万人口高价值发明专利拥有量", "件", {"year": 2020, "value": 1.2}, {"year": 2025, "value": 3.5}, "level", "预期性"),
        ("知识产权质押融资金额", "亿元", {"year": 2020, "value": 5.0}, {"year": 2025, "value": 20.0}, "cumulative", "预期性"),
        ("专利侵权纠纷结案率", "%", {"year": 2020, "value": 90.0}, {"year": 2025, "value": 95.0}, "level", "约束性"),
        ("技术合同成交额年均增长", "%", None, {"year": 2025, "value": 10.0}, "annual_growth_pct", "预期性"),
    ]
    assert r["period"] == {"start": 2021, "end": 2025}


def test_table_name_unit_and_header_years():
    text = "指标 | 2020年基期值 | 2025年预期值 | 属性 |\n知识产权保护社会满意度(百分比) | 80% | 85% | 预期性 |\n"
    [ind] = parse_text(text)["indicators"]
    assert (ind["name"], ind["unit"], ind["baseline"], ind["target"]) == (
        "知识产权保护社会满意度", "%", {"year": 2020, "value": 80.0}, {"year": 2025, "value": 85.0})
