"""The legal time limits of protection work, as data: a catalogue of steps with the statutory defaults (domain
reference §4–§5) that a jurisdiction may override with `DeadlineRule` rows (local regulations differ).

`limit_for(step, region)` answers with the rule of the nearest region that has one (county → city → province),
else the shipped default; every deadline stores the unit and the source it was computed under.
"""
from __future__ import annotations

from dataclasses import dataclass

from ipcity.workdays.engine import Unit


@dataclass(frozen=True)
class Limit:
    step: str
    title: str
    amount: int
    unit: Unit
    extension: int  # the approved extension a supervisor may grant once (0: none)
    source: str


_WD, _D, _H = Unit.WORKING_DAYS, Unit.DAYS, Unit.HOURS
_COMPLAINTS = "《市场监督管理投诉举报处理暂行办法》"
_PROCEDURE = "《市场监督管理行政处罚程序规定》"

DEFAULTS: dict[str, Limit] = {limit.step: limit for limit in (
    Limit("complaint_acceptance", "决定是否受理投诉并告知投诉人", 7, _WD, 0, f"{_COMPLAINTS}第十四条"),
    Limit("mediation", "调解（未达成协议即终止）", 45, _WD, 0, f"{_COMPLAINTS}第二十一条"),
    Limit("lead_check", "线索核查并决定是否立案", 15, _WD, 15, f"{_PROCEDURE}第十八条"),
    Limit("reporter_notice", "告知实名举报人是否立案", 5, _WD, 0, f"{_COMPLAINTS}第三十一条"),
    Limit("case_decision", "立案后作出处理决定（普通程序）", 90, _D, 30, f"{_PROCEDURE}；《行政处罚法》第六十条"),
    Limit("legal_review", "法制审核", 10, _WD, 0, "《行政处罚法》第五十八条（期限为实务惯例）"),
    Limit("referral_reply", "移送线索的接收确认与办理反馈", 15, _WD, 0, "本地工作机制（可配置）"),
    Limit("disclosure_publish", "行政处罚决定公示", 20, _WD, 0, "《市场监督管理行政处罚信息公示规定》（总局令第45号）"),
    Limit("disclosure_withdraw", "处罚决定被变更或撤销后撤下公示", 3, _WD, 0, "《行政处罚法》第四十八条"),
    Limit("judicial_confirmation", "调解协议申请司法确认", 30, _D, 0, "《人民调解法》第三十三条"),
    Limit("dispute_acceptance", "专利侵权纠纷（行政裁决）受理", 5, _WD, 0, "专利侵权纠纷行政裁决办案指南（各地规定不一）"),
    Limit("dispute_copy", "向被请求人送达请求书副本", 5, _WD, 0, "专利侵权纠纷行政裁决办案指南（各地规定不一）"),
    Limit("dispute_answer", "被请求人答辩", 15, _D, 0, "专利侵权纠纷行政裁决办案指南"),
    Limit("dispute_decision", "专利侵权纠纷（行政裁决）结案（3 个月，按 90 日计，可延长 1 个月）", 90, _D, 30,
          "专利侵权纠纷行政裁决办案指南（各地规定不一）"),
    Limit("trade_fair_handover", "展会投诉移交知识产权管理部门", 24, _H, 0, "《展会知识产权保护办法》及地方规定"),
    Limit("assistance", "维权援助申请办理", 20, _WD, 0, "本地工作机制（可配置）"),
)}

STEP_CHOICES = [(limit.step, limit.title) for limit in DEFAULTS.values()]


def limit_for(step: str, region_code: str | None) -> Limit:
    """The limit in force for `step` in the region `region_code` (a GB/T 2260 code), nearest override first."""
    from ipcity.protection.models import DeadlineRule

    default = DEFAULTS[step]
    candidates = _ancestors(region_code) if region_code else []
    rows = {row.region_id: row for row in DeadlineRule.objects.filter(step=step, region_id__in=candidates)}
    for code in candidates:  # nearest first
        row = rows.get(code)
        if row is not None:
            return Limit(step, default.title, row.amount, Unit(row.unit), row.extension,
                         row.source or default.source)
    return default


def _ancestors(code: str) -> list[str]:
    """"371702" → ["371702", "371700", "370000"] (the county, its city, its province)."""
    chain = [code]
    if code[4:] != "00":
        chain.append(code[:4] + "00")
    if code[2:] != "0000":
        chain.append(code[:2] + "0000")
    return chain
