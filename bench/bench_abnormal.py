"""Abnormal patent application screening: precision and recall on generated filings with planted cases, run time of
each detector, and the near-duplicate detector against exact all-pairs Jaccard on a sample.

    python bench/bench_abnormal.py [--filings 100000] [--seed 7] [--sample 4000]

* quality: `abnormal.synthetic.generate` makes the filings (normal applicants of every size, agencies, year-end
  rushes, lawful invention + utility-model twins) and plants bursts, paraphrased near-duplicate families and
  off-business filings; `evaluate` scores the flags per detector and overall (flags and cases, and filings).
* time: each detector over all filings, with the default thresholds (the rules' defaults).
* raw baseline for the near-duplicates: on `--sample` filings (every filing of the planted families, then the first
  others), exact Jaccard of every pair of their
  distinctive shingle sets (the same sets the detector compares, boilerplate removed) — the exact answer MinHash + LSH
  approximates; the pairs at or above the threshold that LSH finds, and the time of both on the sample. The baseline's
  time per pair extrapolated to the full set says why it is no option there.
No Django and no database: the detectors are plain Python over records (the screening job feeds them the same).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ipcity.abnormal import detect, synthetic  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--filings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=4000)
    args = parser.parse_args()
    settings = detect.Settings()

    t0 = time.perf_counter()
    data = synthetic.generate(args.filings, seed=args.seed)
    t_gen = time.perf_counter() - t0
    filings = data.filings
    print(f"generated {len(filings):,} filings, {len(data.cases)} planted cases "
          f"({sum(len(c.numbers) for c in data.cases):,} planted filings) in {t_gen:.1f} s")

    stages: dict[str, float] = {}
    marks = {"last": time.perf_counter(), "stage": None}

    def progress(stage, done, total):
        now = time.perf_counter()
        if marks["stage"] is not None:
            stages[marks["stage"]] = stages.get(marks["stage"], 0.0) + now - marks["last"]
        marks["stage"], marks["last"] = stage, now

    t0 = time.perf_counter()
    bursts = detect.detect_bursts(filings, settings)
    t_burst = time.perf_counter() - t0
    t0 = time.perf_counter()
    marks["last"] = t0
    duplicates, stats = detect.detect_near_duplicates(filings, settings, progress)
    t_dup = time.perf_counter() - t0
    progress("end", 0, 0)
    t0 = time.perf_counter()
    off = detect.detect_off_business(filings, settings)
    t_off = time.perf_counter() - t0
    findings = bursts + duplicates + off
    scores = synthetic.evaluate(findings, data.cases)

    print("\nquality (flags and planted cases; filing-level precision/recall too)\n")
    print(synthetic.format_report(scores))
    print("\n| detector | flags | correct | planted cases | found | precision | recall | filing P | filing R |")
    print("|---|---|---|---|---|---|---|---|---|")
    for key, label in (("burst", "bursts"), ("duplicate", "near-duplicates"), ("off_business", "off-business"),
                       ("overall", "overall")):
        s = scores[key]
        fp = f"{s['filing_precision']:.3f}" if "filing_precision" in s else "—"
        fr = f"{s['filing_recall']:.3f}" if "filing_recall" in s else "—"
        print(f"| {label} | {s['flags']} | {s['correct_flags']} | {s['cases']} | {s['found_cases']} | "
              f"{s['precision']:.3f} | {s['recall']:.3f} | {fp} | {fr} |")

    print("\ntime (s)\n")
    print("| step | size | s |")
    print("|---|---|---|")
    print(f"| bursts (applicants and agencies) | {len(filings):,} | {t_burst:.1f} |")
    print(f"| near-duplicates, total | {len(filings):,} | {t_dup:.1f} |")
    for stage, label in (("segment", "segmentation (rjieba) + shingles + boilerplate"),
                         ("minhash", f"MinHash ({settings.dup_num_perm}) + LSH ({settings.dup_bands} bands)"),
                         ("verify", "exact Jaccard of the candidates + clusters")):
        print(f"| — {label} | | {stages.get(stage, 0):.1f} |")
    print(f"| off-business | {len(filings):,} | {t_off:.1f} |")
    print(f"\nnear-duplicate statistics: {stats}")

    # Raw baseline on a sample: exact Jaccard of every pair.
    planted_dups = {n for c in data.cases if c.kind == "duplicate" for n in c.numbers}
    sample = [f for f in filings if f.number in planted_dups]
    sample += [f for f in filings if f.number not in planted_dups][: max(0, args.sample - len(sample))]
    _, sets, _ = detect.distinctive_sets(sample, settings)
    py_sets = [set(a.tolist()) for a in sets]
    t0 = time.perf_counter()
    exact = set()
    threshold = settings.dup_threshold
    for i in range(len(py_sets)):
        a = py_sets[i]
        la = len(a)
        for j in range(i + 1, len(py_sets)):
            b = py_sets[j]
            inter = len(a & b)
            if inter and inter / (la + len(b) - inter) >= threshold:
                exact.add((i, j))
    t_exact = time.perf_counter() - t0
    pairs = len(py_sets) * (len(py_sets) - 1) // 2
    t0 = time.perf_counter()
    sig = detect.minhash_signatures(sets, settings.dup_num_perm, settings.seed)
    candidates, _ = detect.lsh_candidates(sig, settings.dup_bands, settings.dup_max_bucket)
    lsh = {(i, j) for i, j in candidates if detect.jaccard(sets[i], sets[j]) >= threshold}
    t_lsh = time.perf_counter() - t0
    per_pair = t_exact / max(pairs, 1)
    full_pairs = stats["compared"] * (stats["compared"] - 1) / 2
    print(f"\nraw baseline on {len(sample):,} filings: the {len(planted_dups):,} of the planted near-duplicate "
          f"families and the first others ({len(sets):,} compared, {pairs:,} pairs)\n")
    print("| method | pairs ≥ threshold found | s | ")
    print("|---|---|---|")
    print(f"| exact Jaccard, every pair (Python sets) | {len(exact)} | {t_exact:.2f} |")
    print(f"| MinHash + LSH + exact check of candidates | {len(lsh & exact)} of {len(exact)} "
          f"({len(candidates):,} candidates) | {t_lsh:.2f} |")
    print(f"\nexact all-pairs extrapolated to {stats['compared']:,} filings: {full_pairs:,.0f} pairs × "
          f"{per_pair * 1e6:.2f} µs = {full_pairs * per_pair / 3600:.1f} h")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
