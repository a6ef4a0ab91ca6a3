"""The rules (细则) of 双随机、一公开 that change between localities and years: data, with defaults here."""
from __future__ import annotations

import math
from fractions import Fraction

from django.core.exceptions import ValidationError

from ipcity.core.rules import declare

CREDIT_CLASSES = ("A", "B", "C", "D")

CLASS_RATIOS = declare(
    "inspections.class_ratios", {"A": 3, "B": 5, "C": 10, "D": 100},
    "按信用风险分类的抽查比例（%）：信用等级 → 比例，如 A 3、B 5、C 10、D 100（批次未另行规定时适用）")
RATIO_ROUNDING = declare("inspections.ratio_rounding", "ceil",
                         "按比例计算抽取数量时的取整方式：ceil 向上取整、round 四舍五入、floor 向下取整",
                         choices=("ceil", "round", "floor"))
NON_ORGANISATION_CLASS = declare(
    "inspections.non_organisation_class", "B",
    "不是平台组织机构的检查对象（商品交易市场、未关联企业的网店）按哪一信用风险等级抽取", choices=CREDIT_CLASSES)
INSPECTORS_PER_OBJECT = declare("inspections.inspectors_per_object", 2, "每个检查对象抽取的执法检查人员人数（不少于 2 名）")
RESULT_LIMIT_WORKDAYS = declare("inspections.result_limit_workdays", 20,
                                "抽取后多少个工作日内录入并公示检查结果")
EXCLUDE_INSPECTED = declare("inspections.exclude_inspected_same_item_year", True,
                            "同一抽查事项同一年度已被抽中的对象不再列入抽取名录")
BEACON_SOURCES = declare(
    "inspections.beacon_sources", ["中国福利彩票3D", "中国体育彩票排列3", "中国体育彩票排列5", "中国福利彩票快乐8"],
    "冻结名录时可选定的公开开奖来源（随机数信标）：抽取只接受冻结时选定的来源和期号的开奖结果")
REQUIRE_FILED_PLAN = declare("inspections.require_filed_plan", True, "年度抽查计划报上级部门备案后方可抽取")
CREDIT_KINDS = declare(
    "inspections.credit_kinds",
    {"passed": "inspection_pass", "problem": "inspection_problem", "rectified": "inspection_problem",
     "refused": "inspection_problem", "unreachable": "inspection_problem", "closed": ""},
    "检查结果 → 推送信用记录的类型（inspection_pass、inspection_problem；空表示不推送）")


def class_ratios(overrides: dict | None = None) -> dict[str, float]:
    """The ratio (percent) per credit class: the batch's own where it sets them, else the rule. A ratio outside
    0–100 or a class other than A–D is reported, never corrected."""
    ratios = overrides or CLASS_RATIOS.get()
    out = {}
    for key, value in ratios.items():
        if key not in CREDIT_CLASSES:
            raise ValidationError(f"信用风险等级「{key}」无效，应为 A、B、C、D 之一")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            raise ValidationError(f"{key} 级的抽查比例「{value}」无效，应为 0 至 100 之间的数")
        out[key] = value
    return {k: out.get(k, 0) for k in CREDIT_CLASSES}


def planned_count(pool_size: int, ratio: float, mode: str | None = None) -> int:
    """How many of a class's `pool_size` objects a ratio (percent) asks for, rounded as the rule says (exact
    arithmetic: 5 % of 20 is 1, not 1.0000000000000002 rounded up to 2)."""
    exact = Fraction(pool_size) * Fraction(str(ratio)) / 100
    mode = mode or RATIO_ROUNDING.get()  # `mode`: the rule read once by a caller that counts many classes
    if mode == "floor":
        return math.floor(exact)
    if mode == "round":
        return math.floor(exact + Fraction(1, 2))
    return math.ceil(exact)


def inspectors_per_object() -> int:
    n = INSPECTORS_PER_OBJECT.get()
    if n < 2:
        raise ValidationError(f"规则「每个检查对象抽取的执法检查人员人数」为 {n}，不得少于 2 名")
    return n
