"""The Merkle core against RFC 9162's recursive definitions, on trees of every size up to 70, both algorithms."""
from __future__ import annotations

import hashlib

import pytest

from ipcity.evidence import merkle
from ipcity.evidence.merkle import (
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root,
    root_from_hashes,
    verify_consistency,
    verify_inclusion,
)


def mth(leaves: list[bytes], h) -> bytes:
    """RFC 9162 §2.1.1 literally."""
    n = len(leaves)
    if n == 0:
        return h(b"")
    if n == 1:
        return h(b"\x00" + leaves[0])
    k = 1 << ((n - 1).bit_length() - 1)
    return h(b"\x01" + mth(leaves[:k], h) + mth(leaves[k:], h))


DATA = [f"leaf {i}".encode() for i in range(70)]


@pytest.mark.parametrize("algo", ["sha256", "sm3"])
def test_root_is_rfc_9162_mth(algo):
    h = merkle.hasher(algo)
    for n in range(len(DATA) + 1):
        assert root(DATA[:n], algo) == mth(DATA[:n], h)


def test_known_roots():
    # RFC 6962/9162 trees as in transparency-dev's reference: the empty tree and one empty leaf.
    assert root([]).hex() == hashlib.sha256(b"").hexdigest()
    assert root([b""]).hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    assert leaf_hash(b"").hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"


def test_sm3_is_self_tested_and_differs_from_sha256():
    assert merkle.hasher("sm3")(b"abc").hex().startswith("66c7f0f4")
    assert leaf_hash(b"x", "sm3") != leaf_hash(b"x")
    with pytest.raises(ValueError):
        merkle.hasher("md5")


@pytest.mark.parametrize("algo", ["sha256", "sm3"])
def test_every_inclusion_proof_verifies_and_a_wrong_one_does_not(algo):
    hashes = [leaf_hash(d, algo) for d in DATA[:40]]
    for n in range(1, 41):
        top = root_from_hashes(hashes[:n], algo)
        for i in range(n):
            proof = inclusion_proof(hashes[:n], i, algo)
            verify_inclusion(hashes[i], i, n, proof, top, algo)
            with pytest.raises(ProofError):
                verify_inclusion(hashes[(i + 1) % n] if n > 1 else b"\x00" * 32, i, n, proof, top, algo)
            if proof:
                bad = list(proof)
                bad[-1] = bytes(32)
                with pytest.raises(ProofError):
                    verify_inclusion(hashes[i], i, n, bad, top, algo)
                with pytest.raises(ProofError):
                    verify_inclusion(hashes[i], i, n, proof[:-1], top, algo)
            with pytest.raises(ProofError):
                verify_inclusion(hashes[i], i, n, [*proof, bytes(32)], top, algo)


@pytest.mark.parametrize("algo", ["sha256", "sm3"])
def test_every_consistency_proof_verifies_and_a_wrong_one_does_not(algo):
    hashes = [leaf_hash(d, algo) for d in DATA[:33]]
    for n in range(1, 34):
        top = root_from_hashes(hashes[:n], algo)
        for m in range(1, n + 1):
            first = root_from_hashes(hashes[:m], algo)
            proof = consistency_proof(hashes[:n], m, algo)
            verify_consistency(m, n, proof, first, top, algo)
            if m < n:
                with pytest.raises(ProofError):
                    verify_consistency(m, n, proof, top, top, algo)
                with pytest.raises(ProofError):
                    verify_consistency(m, n, proof[:-1], first, top, algo)
                with pytest.raises(ProofError):
                    verify_consistency(m + 1, n, proof, first, top, algo)


def test_malformed_input_is_a_proof_error():
    top = root(DATA[:4])
    proof = inclusion_proof([leaf_hash(d) for d in DATA[:4]], 1)
    for args in [(b"short", 1, 4, proof, top), (leaf_hash(DATA[1]), -1, 4, proof, top),
                 (leaf_hash(DATA[1]), 4, 4, proof, top), (leaf_hash(DATA[1]), 1, 4, [b"x"], top),
                 (leaf_hash(DATA[1]), 1, 4, proof, b""), (leaf_hash(DATA[1]), True, 4, proof, top),
                 (leaf_hash(DATA[1]), "1", 4, proof, top)]:
        with pytest.raises(ProofError):
            verify_inclusion(*args)
    with pytest.raises(ProofError):
        verify_consistency(2, 1, [], top, top)
    with pytest.raises(ProofError):
        verify_consistency(0, 4, [], hashlib.sha256(b"").digest(), top)
    with pytest.raises(ProofError):
        verify_consistency(4, 4, [top], top, top)
