"""The official concordance (../shared/data/cn-patent-ipc) and incoPat's own SEI tags (skipped without ../shared).

The agreement floors guard the figures in docs/benchmarks.md (bench/sei_agreement.py prints them in full)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from ipcity.analytics.sei import SeiTable

SHARED = Path(__file__).resolve().parents[4].parent / "shared"
TABLE_DIR = SHARED / "data" / "cn-patent-ipc"
PATENTS = SHARED / "data" / "patents"


@lru_cache(maxsize=1)
def official() -> SeiTable:
    if not (TABLE_DIR / "ipc-sei.jsonl").exists():
        pytest.skip(f"../shared is absent: {TABLE_DIR} not found")
    return SeiTable.from_directory(TABLE_DIR)


def test_the_official_table_loads_whole():
    t = official()
    assert len(t.rules) == 321 and len({r.code for r in t.rules.values()}) == 40
    assert sum(1 for r in t.rules.values() if r.keywords) == 290
    assert len(t.mapping) == 34396  # 34,598 lines; a code listed for several rules is one key
    assert sum(len(ids) for ids in t.mapping.values()) == 34598


def test_known_codes():
    t = official()
    [nlp] = t.classify(["G06F 40/216"], "")
    assert (nlp.code, nlp.rule_id, nlp.keyword) == ("1.5", 25, "")          # an IPC-only rule
    assert t.classify(["G06N 3/08"], "一种齿轮箱") == []                        # rule 30 has keywords ...
    assert "1.5" in t.codes(t.classify(["G06N 3/08"], "一种人工智能中间件的调度方法"))  # ... that this text fits
    assert "1.5" in t.codes(t.classify(["G06N 3/08"], None))                   # IPC alone


@lru_cache(maxsize=None)
def agreement(name: str) -> float:
    from ipcity.ipdata.readers import read_records

    path = PATENTS / name
    if not path.exists():
        pytest.skip(f"../shared is absent: {path} not found")
    t = official()
    records = [r for r in read_records(path) if getattr(r, "reasons", None) is None
               and r.application_number.startswith("CN") and r.patent_type == "发明"]
    same = 0
    for r in records:
        theirs = {m.group() for tag in r.sei_tags if (m := re.match(r"\d+\.\d+", tag))}
        same += bool(t.classify(r.ipc, None)) == bool(theirs)
    return same / len(records)


def test_ipc_only_reading_agrees_with_incopat_where_the_export_lists_every_code():
    assert agreement("incopat-chatbot-2798.xlsx") >= 0.95       # 98.8 % on 2026-11-21


def test_ipc_only_reading_agrees_with_incopat_on_main_codes_alone():
    assert agreement("incopat-iflytek-3816.xlsx") >= 0.75       # 79.8 %: the export gives the main IPC only
