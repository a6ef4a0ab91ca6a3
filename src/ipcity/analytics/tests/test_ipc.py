"""IPC spellings, the inheritance line and edition moves (no database)."""
from __future__ import annotations

import pytest

from ipcity.analytics import ipc


@pytest.mark.parametrize("raw,expected", [
    ("G06F 16/27", "G06F16/27"), ("G06F16/27", "G06F16/27"), ("g06f  16 / 27", "G06F16/27"),
    ("G06N 3/08 (2006.01)", "G06N3/08"), ("G06F0016270000", "G06F16/27"), ("G06F0016000000", "G06F16/00"),
    ("H04L0012580000", "H04L12/58"), ("G06F", "G06F"), ("C08", "C08"), ("A01B 1/00", "A01B1/00"),
])
def test_compact_reads_every_spelling(raw, expected):
    assert ipc.compact(raw) == expected


@pytest.mark.parametrize("raw", ["", "XYZ", "106F 16/27", "G06FF", "Z01B 1/00"])
def test_compact_refuses_what_is_not_a_code(raw):
    assert ipc.compact(raw) is None


def test_lineage_goes_subgroup_main_group_subclass_class():
    assert ipc.lineage("G06F16/27") == ["G06F16/27", "G06F16/00", "G06F", "G06"]
    assert ipc.lineage("G06F16/00") == ["G06F16/00", "G06F", "G06"]
    assert ipc.lineage("G06F") == ["G06F", "G06"]
    assert ipc.lineage("C08") == ["C08"]


def test_other_editions_read_moves_both_ways():
    newer = dict(ipc.other_editions("G06V10/82"))
    assert set(newer) == {"G06K9/", "G06T7/"}
    assert "2022.01" in newer["G06K9/"]
    older = dict(ipc.other_editions("G06F17/30"))
    assert set(older) == {"G06F16/"}
    assert ipc.other_editions("A01B1/00") == []
