"""The detectors without Django: each one on a hand-made case, and precision/recall on a generated set with
planted cases (a quality floor: a broken or blunted detector fails it)."""
from __future__ import annotations

import datetime as dt

import pytest

from ipcity.abnormal import detect, synthetic
from ipcity.abnormal.detect import Filing, Settings

D0 = dt.date(2021, 1, 1)


def _f(number, day, applicant="甲公司", agency="", ipc=("B23Q 5/10",), text=("", "", ""), ptype="发明"):
    return Filing(number, D0 + dt.timedelta(days=day), *text, ipc, (applicant,), (agency,) if agency else (), ptype)


def test_burst_against_own_history_and_not_a_steady_filer():
    steady = [_f(f"S{i}", i * 2, "大公司") for i in range(600)]  # 15 a month for three years: busy, not a burst
    history = [_f(f"H{i}", i * 60, "甲公司") for i in range(12)]
    burst = [_f(f"B{i}", 800 + i % 8, "甲公司", agency="某代理所") for i in range(20)]
    findings = detect.detect_bursts(steady + history + burst)
    subjects = {(f.subject_role, f.subject) for f in findings}
    assert ("applicant", "甲公司") in subjects and ("applicant", "大公司") not in subjects
    mine = next(f for f in findings if f.subject == "甲公司")
    assert set(mine.numbers) >= {f.number for f in burst}
    e = mine.evidence
    assert e["peak_count"] == 20 and e["baseline_median"] == 0 and e["ratio"] >= 3
    # The agency files nothing else: the same days are its burst too, against its (empty) history.
    assert ("agency", "某代理所") in subjects
    # A threshold raised above the peak: nothing.
    assert not [f for f in detect.detect_bursts(history + burst, Settings(burst_min_count=21))]


def test_no_burst_without_enough_history_in_the_data():
    burst = [_f(f"B{i}", 30 + i % 8) for i in range(20)]
    first = [_f("X0", 0, "别人")]
    assert detect.detect_bursts(first + burst) == []  # one month of data: nothing is known to be usual


def test_year_end_rush_that_recurs_is_not_a_burst():
    filings = []
    for year in range(2019, 2024):
        filings += [Filing(f"R{year}-{i}", dt.date(year, 12, 1 + i % 20), "", "", "", ("A01H 1/02",), ("乙公司",))
                    for i in range(15)]
        filings += [Filing(f"N{year}-{i}", dt.date(year, 1 + i, 10), "", "", "", ("A01H 1/02",), ("乙公司",))
                    for i in range(10)]
    found = detect.detect_bursts(filings)
    assert all(f.evidence["peak_start"] < "2021" for f in found)  # only before two earlier Decembers are known
    assert detect.detect_bursts(filings, Settings(burst_seasonal=False))  # the seasonal baseline is what holds it


def _texts(seed=1):
    g = synthetic._Generator(seed)
    base = g.text(5)
    return g, base, g.paraphrase(*base, strength=0.3)


def test_near_duplicates_found_with_evidence_and_dual_filing_is_lawful():
    g, base, variant = _texts()
    others = [g.text(k % len(synthetic.DOMAINS)) for k in range(60)]
    filings = [_f(f"O{i}", i, f"公司{i}", text=t) for i, t in enumerate(others)]
    filings += [_f("DUP1", 100, "乙公司", text=base), _f("DUP2", 130, "丙公司", text=variant)]
    # 一案双申: the same applicant's invention and utility model, same day, same text.
    twin = g.text(7)
    filings += [_f("TWIN1", 200, "丁公司", text=twin), _f("TWIN2", 200, "丁公司", text=twin, ptype="实用新型")]
    found, stats = detect.detect_near_duplicates(filings)
    clusters = [set(f.evidence["cluster"]) for f in found]
    assert {"DUP1", "DUP2"} in clusters
    assert not any("TWIN1" in c for c in clusters)
    pair = found[clusters.index({"DUP1", "DUP2"})].evidence["pairs"][0]
    assert pair["similarity"] >= 0.35 and pair["shared"] and pair["fields"]["claims"] > 0
    assert stats["candidates"] >= stats["confirmed_pairs"] >= 1
    # Not exempt when the rule says so.
    found, _ = detect.detect_near_duplicates(filings, Settings(dup_ignore_dual_filing=False))
    assert any({"TWIN1", "TWIN2"} == set(f.numbers) and f.subject == "丁公司" for f in found)


def test_cross_applicant_cluster_flags_each_applicant_on_its_own():
    """One against one: both applicants are flagged, each with its own filing and the cluster as evidence — not the
    name that sorts first (乙 < 丙 would have been the only subject)."""
    g, base, variant = _texts()
    filings = [_f(f"O{i}", i, f"公司{i}", text=g.text(k % len(synthetic.DOMAINS))) for i, k in enumerate(range(40))]
    filings += [_f("DUP1", 100, "乙公司", text=base), _f("DUP2", 130, "丙公司", text=variant),
                _f("DUP3", 140, "丙公司", text=g.paraphrase(*base, strength=0.3))]
    found, _ = detect.detect_near_duplicates(filings)
    mine = {f.subject: f for f in found if "DUP1" in f.evidence["cluster"]}
    assert set(mine) == {"乙公司", "丙公司"}
    assert mine["乙公司"].numbers == ("DUP1",) and mine["丙公司"].numbers == ("DUP2", "DUP3")
    for f in mine.values():
        assert f.evidence["cluster"] == ["DUP1", "DUP2", "DUP3"] and f.evidence["own"] == list(f.numbers)
        assert f.evidence["applicants"] == {"丙公司": 2, "乙公司": 1}
        assert set(f.numbers) & {n for p in f.evidence["pairs"][:1] for n in (p["a"], p["b"])}


def test_minhash_agreement_estimates_jaccard():
    import numpy as np

    rng = np.random.default_rng(3)
    a = np.unique(rng.integers(0, 2**32, 400, dtype=np.uint64).astype(np.uint32))
    b = np.unique(np.concatenate([a[:300], rng.integers(0, 2**32, 100, dtype=np.uint64).astype(np.uint32)]))
    exact = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
    sig = detect.minhash_signatures([a, b], 256, seed=1)
    assert abs(float(np.mean(sig[:, 0] == sig[:, 1])) - exact) < 0.08


def test_off_business_needs_a_pattern_outside_the_profile():
    history = [_f(f"H{i}", i * 40, "机械公司", ipc=("B23Q 5/10",)) for i in range(15)]
    far = [_f(f"F{i}", 900 + i * 5, "机械公司", ipc=("A61K 9/20",)) for i in range(3)]
    near = [_f("N1", 905, "机械公司", ipc=("B23B 31/00",))]  # same class B23: its business
    found = detect.detect_off_business(history + far + near)
    assert [set(f.numbers) for f in found] == [{"F0", "F1", "F2"}]
    hit = found[0].evidence["filings"][0]
    assert hit["level"] == 3 and hit["nearest"] == "B23Q" and found[0].evidence["profile"][0][0] == "B23Q"
    assert detect.detect_off_business(history + far[:1]) == []  # one stray filing is no pattern
    assert detect.detect_off_business(history[:9] + far) == []  # too little history for a profile


@pytest.fixture(scope="module")
def generated():
    data = synthetic.generate(3000, seed=11)
    findings, stats = detect.screen(data.filings)
    return data, findings, synthetic.evaluate(findings, data.cases)


@pytest.mark.parametrize("kind", detect.KINDS)
def test_precision_and_recall_on_planted_cases(generated, kind):
    data, findings, scores = generated
    s = scores[kind]
    assert s["cases"] >= 3, "the generator plants several cases of every kind"
    assert s["recall"] >= 0.8 and s["precision"] >= 0.7, synthetic.format_report(scores)
    assert s["filing_recall"] >= 0.8 and s["filing_precision"] >= 0.6, synthetic.format_report(scores)


def test_the_floor_fails_when_a_detector_is_blunted(generated):
    data, _, _ = generated
    blunt = Settings(dup_threshold=0.95, burst_min_count=200, off_min_level=3, off_min_filings=50)
    findings, _ = detect.screen(data.filings, blunt)
    scores = synthetic.evaluate(findings, data.cases)
    assert all(scores[k]["recall"] < 0.8 for k in detect.KINDS)
