"""The credit rules (all `rules.declare`d, none hard-coded): listing criteria and approval chain for the
严重违法失信名单 (SAMR 令第44号 is being revised), listing period and waiting periods, the effective-date basis of
decisions, wilful-infringement wording. Structured rules are checked when read; a wrong configuration is reported
in Chinese (`PolicyError`), never silently repaired."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from ipcity.accounts.roles import Role
from ipcity.core.rules import declare

KINDS = ("penalty", "adjudication", "judgment", "repeat_infringement", "wilful_infringement", "refusal_to_comply",
         "abnormal_filing", "bad_faith_trademark", "agency_violation", "commitment", "commitment_broken",
         "inspection_problem", "inspection_pass")

LISTING_CRITERIA = declare("credit.listing_criteria", [
    {"label": "故意侵犯知识产权", "kinds": ["wilful_infringement"], "min_count": 1, "window_days": 1095},
    {"label": "重复侵犯同一知识产权", "kinds": ["repeat_infringement"], "min_count": 1, "window_days": 1095},
    {"label": "拒不执行生效的行政处罚决定或行政裁决", "kinds": ["refusal_to_comply"], "min_count": 1,
     "window_days": 1095},
    {"label": "非正常专利申请（经复核确认）", "kinds": ["abnormal_filing"], "min_count": 2, "window_days": 1095},
    {"label": "恶意商标注册申请", "kinds": ["bad_faith_trademark"], "min_count": 1, "window_days": 1095},
    {"label": "专利（商标）代理严重违法违规", "kinds": ["agency_violation"], "min_count": 2, "window_days": 1095},
], "严重违法失信名单列入标准：每条写明事由 label、计入的信用记录类型 kinds、期间内最少条数 min_count、期间天数 window_days"
   "（满足任一条即可提请列入，须经审批）")

APPROVAL_CHAIN = declare("credit.listing_approval_chain", [
    {"label": "承办人提出", "roles": ["city_staff", "district_staff", "enforcement_officer"]},
    {"label": "科室负责人审核", "roles": ["city_staff", "district_staff"]},
    {"label": "局领导批准", "roles": ["city_leader"]},
], "严重违法失信名单审批链：依次办理的环节 label 及可办理的角色 roles；第一环节为提出；同一人不得办理两个环节")

LISTING_YEARS = declare("credit.listing_period_years", 3, "列入严重违法失信名单的期限（年），期满自动移出")
EARLY_REMOVAL_DAYS = declare("credit.early_removal_waiting_days", 365,
                             "列入严重违法失信名单满多少日后可申请提前移出")
REPAIR_WAITING_MONTHS = declare("credit.repair_waiting_months", 6,
                                "行政处罚等信用记录自生效（公示）之日起满多少个月后可申请信用修复")
REPAIR_KINDS = declare("credit.repairable_kinds", ["penalty", "adjudication", "inspection_problem",
                                                   "commitment_broken", "agency_violation"],
                       "可以申请信用修复的信用记录类型")
PENALTY_EFFECTIVE = declare("credit.penalty_effective_basis", "served",
                            "行政处罚决定的生效日期依据：served 送达之日，executed 执行完毕之日",
                            choices=("served", "executed"))
ADJUDICATION_FINAL_DAYS = declare("credit.adjudication_final_days", 15,
                                  "行政裁决作出后多少日当事人未起诉即生效（专利法第六十五条：15 日）")
WILFUL_WORDS = declare("credit.wilful_keywords", ["故意侵权", "故意侵犯", "恶意侵权", "明知"],
                       "处罚决定或裁决理由中出现即记为故意侵权的用语")
WILFUL_NEGATIONS = declare("credit.wilful_negations",
                           ["不能认定", "不予认定", "难以认定", "不足以认定", "未认定", "不构成", "不属", "并非", "不是",
                            "否认", "称不", "辩称", "无证据证明", "没有证据证明", "证据不足以证明"],
                           "故意侵权用语前出现即不计的否定说法（如“不能认定为故意侵权”“当事人称不明知”）")
WILFUL_NEGATION_REACH = declare("credit.wilful_negation_chars", 8,
                                "否定说法距故意侵权用语多少个字以内（同一分句）时视为否定")
COLLECT_INTERVAL = declare("credit.collect_interval_minutes", 60, "后台从保护模块归集信用记录的间隔（分钟）")


class PolicyError(ValidationError):
    pass


@dataclass(frozen=True)
class Criterion:
    label: str
    kinds: tuple[str, ...]
    min_count: int
    window_days: int


@dataclass(frozen=True)
class ChainStep:
    label: str
    roles: tuple[str, ...]


def _positive_int(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PolicyError(f"{what}应为正整数，当前为 {value!r}")
    return value


def listing_criteria() -> list[Criterion]:
    raw = LISTING_CRITERIA.get()
    if not isinstance(raw, list) or not raw:
        raise PolicyError("规则 credit.listing_criteria 应为非空列表")
    out = []
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise PolicyError(f"列入标准第 {n} 条格式错误：应为包含 label、kinds、min_count、window_days 的对象")
        kinds = item.get("kinds")
        if not isinstance(kinds, list) or not kinds or any(k not in KINDS for k in kinds):
            raise PolicyError(f"列入标准第 {n} 条的 kinds 含未知的信用记录类型：{kinds!r}")
        label = str(item.get("label") or "").strip()
        if not label:
            raise PolicyError(f"列入标准第 {n} 条缺少事由 label")
        out.append(Criterion(label, tuple(kinds), _positive_int(item.get("min_count"), f"列入标准第 {n} 条的 min_count"),
                             _positive_int(item.get("window_days"), f"列入标准第 {n} 条的 window_days")))
    return out


def approval_chain() -> list[ChainStep]:
    raw = APPROVAL_CHAIN.get()
    if not isinstance(raw, list) or len(raw) < 2:
        raise PolicyError("规则 credit.listing_approval_chain 至少应有提出和批准两个环节")
    out = []
    for n, item in enumerate(raw, 1):
        roles = item.get("roles") if isinstance(item, dict) else None
        if not isinstance(roles, list) or not roles or any(r not in Role.values for r in roles):
            raise PolicyError(f"审批链第 {n} 环节的 roles 含未知角色：{roles!r}")
        label = str(item.get("label") or "").strip()
        if not label:
            raise PolicyError(f"审批链第 {n} 环节缺少名称 label")
        out.append(ChainStep(label, tuple(roles)))
    return out


def positive(spec) -> int:
    return _positive_int(spec.get(), f"规则「{spec.description}」")
