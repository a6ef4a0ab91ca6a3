"""Evidence log tree: appending leaves and inclusion proofs at 10,000,000 leaves, against raw hashlib in the same run.

    python bench/bench_evidence.py [--leaves 10000000] [--batch 10000] [--proofs 2000] [--dir DIR]

* append: leaves of 64 bytes (an entry's canonical record is about that size once hashed fields are in) go through
  `merkle.leaf_hash` and `TreeStore.append` in batches, each batch written once per level and fsynced — the log's
  real path. Raw baseline: hashlib.sha256 over the same leaves (0x00 ‖ data), nothing stored: the hashing floor.
* proofs: random leaves' inclusion proofs at the full size, each verified once outside the timing; per-proof
  latency p50/p99. Raw baseline: hashing the proof's path (the verification's own work) with hashlib.
No Django: the tree store is the part that must scale.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ipcity.evidence.merkle import leaf_hash, verify_inclusion  # noqa: E402
from ipcity.evidence.tree import TreeStore  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leaves", type=int, default=10_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--proofs", type=int, default=2000)
    parser.add_argument("--dir", help="where the tree files go (default: a temporary directory, removed after)")
    args = parser.parse_args()
    directory = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="ipcity-bench-evidence-"))
    rng = random.Random(1)
    prefix = rng.randbytes(56)

    def data(i: int) -> bytes:
        return prefix + i.to_bytes(8, "big")

    # raw hashlib: the same leaves hashed, nothing stored
    sha256 = hashlib.sha256
    started = time.perf_counter()
    for lo in range(0, args.leaves, args.batch):
        [sha256(b"\x00" + data(i)).digest() for i in range(lo, min(lo + args.batch, args.leaves))]
    raw_seconds = time.perf_counter() - started

    store = TreeStore(directory)
    started = time.perf_counter()
    for lo in range(0, args.leaves, args.batch):
        store.append([leaf_hash(data(i)) for i in range(lo, min(lo + args.batch, args.leaves))])
    append_seconds = time.perf_counter() - started
    size = store.size
    top = store.root()

    indexes = [rng.randrange(size) for _ in range(args.proofs)]
    latencies, raw_latencies = [], []
    for index in indexes:
        t0 = time.perf_counter()
        proof = store.inclusion_proof(index)
        latencies.append(time.perf_counter() - t0)
        leaf = store.leaf(index)
        t0 = time.perf_counter()
        verify_inclusion(leaf, index, size, proof, top)
        raw_latencies.append(time.perf_counter() - t0)
    disk = sum(f.stat().st_size for f in directory.iterdir())
    store.close()
    if not args.dir:
        shutil.rmtree(directory)

    def pct(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, int(q * len(values)))] * 1000

    print(f"tree: {size} leaves, {disk / 1e6:.0f} MB of level files, batches of {args.batch} (fsync each)")
    print("| benchmark | size | ipcity | raw hashlib | ratio |")
    print("|---|---|---|---|---|")
    print(f"| append leaves (hash + store, leaves/s) | {size} | {size / append_seconds:,.0f} | "
          f"{size / raw_seconds:,.0f} | {append_seconds / raw_seconds:.2f}× the time |")
    print(f"| inclusion proof (ms, p50 / p99) | {size} | {pct(latencies, .5):.3f} / {pct(latencies, .99):.3f} | "
          f"{pct(raw_latencies, .5):.3f} / {pct(raw_latencies, .99):.3f} (verifying it) | "
          f"{statistics.median(latencies) / statistics.median(raw_latencies):.1f}× |")
    print(f"load: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
