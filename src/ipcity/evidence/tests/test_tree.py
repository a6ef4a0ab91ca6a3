"""The on-disk tree gives the same roots and proofs as the reference over leaf hashes, for every size and batch
split, and repairs what a crash leaves."""
from __future__ import annotations

import os

import pytest

from ipcity.evidence.merkle import (
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_from_hashes,
    verify_consistency,
    verify_inclusion,
)
from ipcity.evidence.tree import WIDTH, TreeStore

HASHES = [leaf_hash(f"entry {i}".encode()) for i in range(100)]


@pytest.mark.parametrize("batches", [[1] * 70, [3, 5, 7, 11, 13, 31], [70], [2, 2, 64, 2]])
def test_roots_and_proofs_equal_the_reference(tmp_path, batches):
    store = TreeStore(tmp_path)
    done = 0
    for batch in batches:
        store.append(HASHES[done:done + batch], durable=False)
        done += batch
        assert store.size == done and store.root() == root_from_hashes(HASHES[:done])
    for n in range(1, done + 1):
        assert store.root(n) == root_from_hashes(HASHES[:n])
        for i in range(0, n, 7):
            proof = store.inclusion_proof(i, n)
            assert proof == inclusion_proof(HASHES[:n], i)
            verify_inclusion(HASHES[i], i, n, proof, store.root(n))
        for m in range(1, n + 1, 5):
            proof = store.consistency_proof(m, n)
            assert proof == consistency_proof(HASHES[:n], m)
            verify_consistency(m, n, proof, store.root(m), store.root(n))
    assert store.root(0) == root_from_hashes([])


def test_reopening_and_repairing_after_a_crash(tmp_path):
    store = TreeStore(tmp_path)
    store.append(HASHES[:45])
    store.close()
    # a crash mid-append: a torn hash at level 0 and upper levels that never got written
    with open(tmp_path / "level-00", "ab") as f:
        f.write(HASHES[45] + HASHES[46] + HASHES[47][:10])
    for level in (1, 2):
        path = tmp_path / f"level-{level:02d}"
        os.truncate(path, (os.path.getsize(path) // WIDTH - 2) * WIDTH)
    with open(tmp_path / "level-05", "ab") as f:
        f.write(b"\x00" * WIDTH * 3)  # more nodes than the leaves imply
    again = TreeStore(tmp_path)
    assert again.size == 47 and again.root() == root_from_hashes(HASHES[:47])
    again.append(HASHES[47:100])
    assert again.root() == root_from_hashes(HASHES[:100])
    assert again.inclusion_proof(46) == inclusion_proof(HASHES, 46)


def test_bad_input(tmp_path):
    store = TreeStore(tmp_path)
    with pytest.raises(ValueError):
        store.append([b"short"])
    store.append(HASHES[:4])
    for call in (lambda: store.root(5), lambda: store.inclusion_proof(4), lambda: store.consistency_proof(0),
                 lambda: store.consistency_proof(3, 5)):
        with pytest.raises(ValueError):
            call()
