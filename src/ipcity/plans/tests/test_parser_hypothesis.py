"""parse_text never raises and always returns exactly the specified keys."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipcity.plans.parser import KEYS, parse_text

FRAGMENTS = [
    "一、", "二、", "（一）", "(二)", "（十）", "1.", "2、", "12.", "（1）", "1）", "①", "第一章 ", "第二条 ", "——", "|", " | ",
    "\n", "\n\n", "。", "，", "：", "；", "(", ")", "（", "）", "责任单位：", "牵头单位:", "配合单位：", "负责", "牵头", "配合",
    "市市场监管局", "各县（市）区政府", "到2025年", "2022—2025年", "20222025年", "二OO九年九月二十一日", "2024年4月10日",
    "〔2022〕52号", "菏政办字", "(202233号", "年均增长8%以上", "累计", "实现零突破", "达到200件以上", "年均新增3家",
    "组  长  张三 市长", "成  员  ", "附件", "关于印发", "的通知", "工作方案", "主要目标", "保障措施", "重点任务", "指标",
    "2020年基期值", "2025年目标值", "预期性", "0.87", "3.9件", "\u00a0", "\u3000", "O", "〇", "十四五", "领导小组", "制定本实施方案",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=60).map("".join))
def test_parse_text_never_raises_on_plan_like_text(text):
    result = parse_text(text)
    assert tuple(result) == KEYS
    _check_types(result)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_parse_text_never_raises_on_arbitrary_text(text):
    result = parse_text(text)
    assert tuple(result) == KEYS
    _check_types(result)


def _check_types(result):
    assert isinstance(result["title"], str) and isinstance(result["issuer"], list)
    assert result["doc_number"] is None or result["doc_number"].endswith("号")
    assert result["date"] is None or len(result["date"]) == 10
    assert result["period"] is None or set(result["period"]) == {"start", "end"}
    for indicator in result["indicators"]:
        assert set(indicator) == {"name", "unit", "baseline", "target", "target_kind", "nature", "source_text"}
        assert indicator["target_kind"] in {"level", "annual_growth_pct", "cumulative", "increase", "breakthrough",
                                            "qualitative"}
    for task in result["tasks"]:
        assert set(task) == {"id", "number", "title", "text", "responsible", "lead", "support", "deadline", "source_span"}
        start, end = task["source_span"]
        assert 0 <= start <= end
    for member in result["groups"]:
        assert set(member) == {"role", "name", "position"}
    assert all(isinstance(w, str) for w in result["warnings"])
