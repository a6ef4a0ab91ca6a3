"""The kinds of evidence entry and their Chinese names. A module that logs a new kind adds it here."""
from __future__ import annotations

LABELS = {
    "protection.receipt": "受理回执",
    "protection.attachment": "投诉举报证据材料",
    "audit": "审计日志锚定",
    "inspections.commitment": "双随机抽取承诺（抽查名录与检查人员名录摘要）",
    "inspections.draw": "双随机抽取结果",
    "inspections.result": "双随机检查结果",
    "credit.listing": "严重违法失信名单决定",
    "credit.removal": "移出严重违法失信名单",
    "credit.record": "信用记录",
    "abnormal.review": "非正常专利申请复核结论",
}


def label(kind: str) -> str:
    return LABELS.get(kind, kind)
