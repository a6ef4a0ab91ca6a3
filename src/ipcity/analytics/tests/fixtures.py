"""A small synthetic SEI concordance in the official file format (not the official table: tests that need that read
../shared and skip without it)."""
from __future__ import annotations

import json

RULES = [
    {"id": 1, "seiCode": "1.5", "seiName": "人工智能", "keywords": None},
    {"id": 2, "seiCode": "1.1", "seiName": "下一代信息网络产业",
     "keywords": "高端路由器、单槽位处理路由器等其他计算机制造；新一代移动通信基站设备制造。"},
    {"id": 3, "seiCode": "9.1", "seiName": "新技术与创新创业服务", "keywords": "图像识别服务。"},
    {"id": 4, "seiCode": "3.6", "seiName": "前沿新材料", "keywords": None},
    {"id": 5, "seiCode": "1.4", "seiName": "互联网与云计算、大数据服务", "keywords": None},
]
MAPPING = [("G06N3/08", 1), ("G06N3/00", 1), ("H04L45/00", 2), ("H04L45/02", 2), ("G06T7/00", 3),
           ("G06F16/00", 1), ("G06F16/27", 5), ("C08", 4)]


def rule_lines() -> list[str]:
    return [json.dumps(r, ensure_ascii=False) for r in RULES]


def mapping_lines() -> list[str]:
    return [json.dumps({"ipcCode": code, "seiId": rule}) for code, rule in MAPPING]


def table():
    from ipcity.analytics.sei import SeiTable

    return SeiTable.from_lines(rule_lines(), mapping_lines(), version="测试表")
