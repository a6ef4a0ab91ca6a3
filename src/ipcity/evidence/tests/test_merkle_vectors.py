"""Conformance: every vector in ../shared/data/merkle-test-vectors (transparency-dev/merkle testdata), positive and
negative, through the public API of ipcity.evidence.merkle."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from ipcity.evidence.merkle import ProofError, verify_consistency, verify_inclusion

SHARED = Path(__file__).resolve().parents[4].parent / "shared"
VECTORS = SHARED / "data" / "merkle-test-vectors"


def _cases(kind: str) -> list[Path]:
    return sorted((VECTORS / kind).rglob("*.json")) if VECTORS.is_dir() else []


def _b64(value) -> bytes:
    return base64.b64decode(value or "")


def _skip_if_absent(cases):
    if not cases:
        pytest.skip(f"../shared is absent: {VECTORS} not found (a fresh clone has no ../shared)")


INCLUSION = _cases("inclusion")
CONSISTENCY = _cases("consistency")


@pytest.mark.parametrize("path", INCLUSION or [None],
                         ids=[str(p.relative_to(VECTORS)) for p in INCLUSION] or ["absent"])
def test_inclusion_vector(path):
    _skip_if_absent(INCLUSION)
    case = json.loads(path.read_text())
    args = (_b64(case["leafHash"]), case["leafIdx"], case["treeSize"], [_b64(p) for p in case["proof"] or []],
            _b64(case["root"]))
    if case["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)


@pytest.mark.parametrize("path", CONSISTENCY or [None],
                         ids=[str(p.relative_to(VECTORS)) for p in CONSISTENCY] or ["absent"])
def test_consistency_vector(path):
    _skip_if_absent(CONSISTENCY)
    case = json.loads(path.read_text())
    args = (case["size1"], case["size2"], [_b64(p) for p in case["proof"] or []], _b64(case["root1"]),
            _b64(case["root2"]))
    if case["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


def test_the_vectors_are_all_there():
    _skip_if_absent(INCLUSION)
    cases = [json.loads(p.read_text()) for p in INCLUSION + CONSISTENCY]
    assert len(cases) == 196
    assert {c["wantErr"] for c in cases} == {True, False}
