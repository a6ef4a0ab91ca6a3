"""Merkle tree hashing and proofs in the RFC 9162 (Certificate Transparency 2.0) format — the public API that
independent verifiers and conformance suites call.

    leaf hash   H(0x00 || data)
    node hash   H(0x01 || left || right)
    root        MTH of RFC 9162 §2.1.1 (the empty tree: H of the empty string)

H is SHA-256 by default, or SM3 (GB/T 32905-2016, through `cryptography`) per log; SM3 is checked against the
standard's own example the first time it is used. Proof verification follows RFC 9162 §2.1.3.2 (inclusion) and
§2.1.4.2 (consistency) and raises ProofError for a proof that does not hold and for malformed input (wrong hash
lengths, index outside the tree, sizes out of order, a consistency proof from the empty tree). Nothing here uses
Django; the verification half lives in `standalone` (standard library only), which an evidence package carries
as its verifier.

Proof *generation* here works on a list of leaf hashes (a reference for tests and small trees); the evidence log
computes the same proofs from its stored subtree hashes.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import lru_cache

from .standalone import ProofError, verify_consistency, verify_inclusion

__all__ = ["ProofError", "ALGORITHMS", "leaf_hash", "node_hash", "root", "root_from_hashes", "verify_inclusion",
           "verify_consistency", "inclusion_proof", "consistency_proof", "hasher"]

ALGORITHMS = ("sha256", "sm3")
# GB/T 32905-2016, appendix A.1: SM3("abc").
SM3_SELF_TEST = (b"abc", bytes.fromhex("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"))


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _sm3(data: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes

    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


@lru_cache(maxsize=None)
def hasher(algo: str = "sha256") -> Callable[[bytes], bytes]:
    """The hash function of a log's algorithm; SM3 self-tested on first use (RuntimeError if it fails)."""
    if algo == "sha256":
        return _sha256
    if algo == "sm3":
        data, expected = SM3_SELF_TEST
        if _sm3(data) != expected:
            raise RuntimeError("SM3 self-test failed (GB/T 32905-2016 A.1): refusing to use it")
        return _sm3
    raise ValueError(f"unknown hash algorithm {algo!r}; expected one of {ALGORITHMS}")


def leaf_hash(data: bytes, algo: str = "sha256") -> bytes:
    return hasher(algo)(b"\x00" + bytes(data))


def node_hash(left: bytes, right: bytes, algo: str = "sha256") -> bytes:
    return hasher(algo)(b"\x01" + left + right)


def root(leaves: list[bytes], algo: str = "sha256") -> bytes:
    """MTH over the leaves given as raw data."""
    h = hasher(algo)
    return root_from_hashes([h(b"\x00" + bytes(d)) for d in leaves], algo)


def root_from_hashes(hashes: Sequence[bytes], algo: str = "sha256") -> bytes:
    """MTH over leaf hashes: complete subtrees are merged as they fill (a stack of at most log2(n) nodes), then
    the remaining ones from the right — the same tree as RFC 9162's split at the largest power of two below n."""
    h = hasher(algo)
    if not hashes:
        return h(b"")
    stack: list[tuple[int, bytes]] = []
    for node in hashes:
        size = 1
        while stack and stack[-1][0] == size:
            node = h(b"\x01" + stack.pop()[1] + node)
            size *= 2
        stack.append((size, node))
    node = stack.pop()[1]
    while stack:
        node = h(b"\x01" + stack.pop()[1] + node)
    return node


# --- generation over leaf hashes (RFC 9162 §2.1.3.1, §2.1.4.1) ------------------------------------------------

def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def inclusion_proof(hashes: Sequence[bytes], index: int, algo: str = "sha256") -> list[bytes]:
    """PATH(index, D[n]) over leaf hashes."""
    if not 0 <= index < len(hashes):
        raise ValueError(f"leaf index {index} is outside a tree of {len(hashes)}")
    proof: list[bytes] = []
    lo, hi = 0, len(hashes)
    while hi - lo > 1:  # walk down from the root, collecting the sibling subtree roots, then reverse
        k = _split(hi - lo)
        if index < lo + k:
            proof.append(root_from_hashes(hashes[lo + k:hi], algo))
            hi = lo + k
        else:
            proof.append(root_from_hashes(hashes[lo:lo + k], algo))
            lo = lo + k
    return proof[::-1]


def consistency_proof(hashes: Sequence[bytes], size1: int, algo: str = "sha256") -> list[bytes]:
    """PROOF(size1, D[n]) over the leaf hashes of the larger tree (0 < size1 <= n)."""
    n = len(hashes)
    if not 0 < size1 <= n:
        raise ValueError(f"size {size1} is not within 1..{n}")
    return _subproof(hashes, size1, 0, n, True, algo)


def _subproof(hashes, m: int, lo: int, hi: int, complete: bool, algo: str) -> list[bytes]:
    n = hi - lo
    if m == n:
        return [] if complete else [root_from_hashes(hashes[lo:hi], algo)]
    k = _split(n)
    if m <= k:
        return _subproof(hashes, m, lo, lo + k, complete, algo) + [root_from_hashes(hashes[lo + k:hi], algo)]
    return _subproof(hashes, m - k, lo + k, hi, False, algo) + [root_from_hashes(hashes[lo:lo + k], algo)]
