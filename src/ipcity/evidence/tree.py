"""The evidence log's Merkle tree on disk: one append-only file of hashes per level, so that a root or a proof for
any tree size reads O(log n) hashes at computed offsets (os.pread) instead of recomputing subtrees.

    level-00   the leaf hashes, 32 bytes each (H(0x00 ‖ data)), in log order
    level-01   the hash of each complete pair of leaves: node i covers leaves [2i, 2i + 2)
    level-k    node i covers leaves [i·2^k, (i+1)·2^k), written when its subtree is complete

The files are derived data: the leaf hashes are also kept with the log's entries, and opening the store repairs
what a crash left (a torn last hash is cut, a missing upper node recomputed from the level below), so the levels
always agree with level 0. Proofs follow RFC 9162 §2.1.3.1 and §2.1.4.1 and verify with `merkle.verify_*`.
"""
from __future__ import annotations

import os
from pathlib import Path

from .merkle import _split, hasher

WIDTH = 32  # SHA-256 and SM3 both give 32 bytes


class TreeStore:
    """Append leaf hashes; roots and proofs for any size up to the current one."""

    def __init__(self, directory: str | Path, algo: str = "sha256"):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.algo = algo
        self._h = hasher(algo)
        self._files: list = []
        self._repair()

    # files ----------------------------------------------------------------------------------------------------

    def _path(self, level: int) -> Path:
        return self.directory / f"level-{level:02d}"

    def _file(self, level: int):
        while len(self._files) <= level:
            self._files.append(open(self._path(len(self._files)), "a+b"))
        return self._files[level]

    def _count(self, level: int) -> int:
        return os.fstat(self._file(level).fileno()).st_size // WIDTH

    def _read(self, level: int, index: int) -> bytes:
        return os.pread(self._file(level).fileno(), WIDTH, index * WIDTH)

    def _repair(self) -> None:
        """Cut torn hashes and bring every level to what level 0 implies."""
        level = 0
        while self._path(level).exists() or level == 0:
            f = self._file(level)
            size = os.fstat(f.fileno()).st_size
            if size % WIDTH:
                f.truncate(size - size % WIDTH)
            level += 1
        self.size = self._count(0)
        level = 1
        while (self.size >> level) or self._path(level).exists():
            want = self.size >> level
            have = self._count(level)
            f = self._file(level)
            if have > want:
                f.truncate(want * WIDTH)
            elif have < want:
                below = [self._read(level - 1, i) for i in range(2 * have, 2 * want)]
                f.write(b"".join(self._h(b"\x01" + below[i] + below[i + 1]) for i in range(0, len(below), 2)))
                f.flush()
            level += 1

    def refresh(self) -> None:
        """Re-read the files' sizes: another process may have appended or truncated since this one looked. Every
        change goes through level 0 first, so an unchanged level 0 means nothing to do (the common case: a proof)."""
        if self._files and os.fstat(self._files[0].fileno()).st_size == self.size * WIDTH:
            return
        self._repair()

    def truncate(self, size: int) -> None:
        """Cut the tree back to its first `size` leaves (the entries are the truth: a restored database, or leaves
        written for a transaction that then rolled back, leave the files ahead of or apart from them)."""
        self._check_size(size)
        level = 0
        while self._path(level).exists():
            f = self._file(level)
            f.truncate((size >> level) * WIDTH)
            os.fsync(f.fileno())
            level += 1
        self.size = size

    def close(self) -> None:
        for f in self._files:
            f.close()
        self._files = []

    # writing --------------------------------------------------------------------------------------------------

    def append(self, leaf_hashes: list[bytes], *, durable: bool = True) -> int:
        """Append leaf hashes (each WIDTH bytes); -> the new size. One write per level, then fsync when durable."""
        if any(len(h) != WIDTH for h in leaf_hashes):
            raise ValueError(f"leaf hashes have {WIDTH} bytes")
        h = self._h
        new: list[list[bytes]] = [list(leaf_hashes)]
        start = self.size
        level = 0
        # The nodes a batch completes: at each level, pair up the pending left sibling (if the level's count was
        # odd before the batch) with the batch's nodes.
        while len(new[level]):
            count_before = (start >> level)
            nodes = new[level]
            if count_before % 2:
                nodes = [self._read(level, count_before - 1)] + nodes
            parents = [h(b"\x01" + nodes[i] + nodes[i + 1]) for i in range(0, len(nodes) - 1, 2)]
            new.append(parents)
            level += 1
        for level, nodes in enumerate(new):
            if nodes:
                f = self._file(level)
                f.write(b"".join(nodes))
                f.flush()
        if durable:
            for level, nodes in enumerate(new):
                if nodes:
                    os.fsync(self._file(level).fileno())
        self.size = start + len(leaf_hashes)
        return self.size

    # reading --------------------------------------------------------------------------------------------------

    def leaf(self, index: int) -> bytes:
        return self._read(0, index)

    def subtree(self, lo: int, hi: int) -> bytes:
        """MTH of leaves [lo, hi): a stored node when the range is a complete aligned subtree, else split."""
        n = hi - lo
        if n & (n - 1) == 0 and lo % n == 0:
            return self._read(n.bit_length() - 1, lo // n)
        k = _split(n)
        return self._h(b"\x01" + self.subtree(lo, lo + k) + self.subtree(lo + k, hi))

    def root(self, size: int | None = None) -> bytes:
        size = self.size if size is None else size
        self._check_size(size)
        return self._h(b"") if size == 0 else self.subtree(0, size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        size = self.size if size is None else size
        self._check_size(size)
        if not 0 <= index < size:
            raise ValueError(f"leaf index {index} is outside a tree of {size}")
        proof = []
        lo, hi = 0, size
        while hi - lo > 1:
            k = _split(hi - lo)
            if index < lo + k:
                proof.append(self.subtree(lo + k, hi))
                hi = lo + k
            else:
                proof.append(self.subtree(lo, lo + k))
                lo += k
        return proof[::-1]

    def consistency_proof(self, size1: int, size2: int | None = None) -> list[bytes]:
        size2 = self.size if size2 is None else size2
        self._check_size(size2)
        if not 0 < size1 <= size2:
            raise ValueError(f"size {size1} is not within 1..{size2}")
        return self._subproof(size1, 0, size2, True)

    def _subproof(self, m: int, lo: int, hi: int, complete: bool) -> list[bytes]:
        n = hi - lo
        if m == n:
            return [] if complete else [self.subtree(lo, hi)]
        k = _split(n)
        if m <= k:
            return self._subproof(m, lo, lo + k, complete) + [self.subtree(lo + k, hi)]
        return self._subproof(m - k, lo + k, hi, False) + [self.subtree(lo, lo + k)]

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self.size:
            raise ValueError(f"size {size} is not within 0..{self.size}")
