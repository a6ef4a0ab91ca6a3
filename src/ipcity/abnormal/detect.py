"""Abnormal patent application screening (非正常专利申请筛查): the detectors, without Django.

Input: plain `Filing` records, one per application (the data hub is application-centric: the A and B publications of
one application are one record, so they never pair with each other). Output: `Finding`s — proposals for a human to
review, each with the evidence that raised it. Nothing here punishes anybody.

Three detectors, each with its thresholds in `Settings` (the Django layer fills it from `core.rules`):

- **bursts** (`detect_bursts`): per applicant and per agency, the filings in a sliding window of
  `burst_window_days`; a window is hot when it holds at least `burst_min_count` filings, at least `burst_ratio`
  times the subject's own baseline and `burst_z` robust deviations above it. The baseline is the median of the
  subject's filings per window over the `burst_history_days` before the window (median and MAD, the MAD floored at
  the Poisson spread √median so a steady filer's quiet history does not make every busy month a burst). Overlapping
  hot windows make one episode, one finding.
- **near-duplicates** (`detect_near_duplicates`): title + abstract + claims segmented with the search index's
  segmenter (rjieba, `ipcity.search.segment`), shingled into pairs of adjacent words, boilerplate shingles (found in
  more than `dup_boilerplate_share` of all filings and at least `dup_boilerplate_min_docs` of them: 本发明公开了,
  与现有技术相比 …) removed; MinHash signatures (`dup_num_perm` multiply-shift hash functions) and LSH banding
  (`dup_bands` bands) propose candidate pairs, every candidate is confirmed by its exact Jaccard similarity
  (≥ `dup_threshold`), and confirmed pairs are joined into clusters (union–find). A filing with fewer than
  `dup_min_shingles` distinctive shingles is not compared (nothing left to compare). The same applicant's invention
  and utility model filed on the same day with the same text (一案双申, 专利法第九条) is lawful and not paired. A
  cluster gives one finding per applicant in it (its own filings; the cluster, its pairs and its applicants as
  evidence): which of two applicants copied the other is for the reviewer, not for the order of their names.
- **off-business filings** (`detect_off_business`): an applicant's established profile is the distribution of IPC
  subclasses over its filings made at least `off_lag_days` before the filing under test (at least
  `off_min_history` of them); a filing none of whose subclasses is within `off_min_level` of the profile (0 the
  same subclass, 1 the same class, 2 the same section, 3 another section) is off its business. One finding per
  applicant lists all such filings with their distance and the profile.

`screen()` runs all three. `numpy` does the signature arithmetic.
"""
from __future__ import annotations

import datetime as dt
import math
import statistics
import zlib
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

BURST, DUPLICATE, OFF_BUSINESS = "burst", "duplicate", "off_business"
KINDS = (BURST, DUPLICATE, OFF_BUSINESS)
APPLICANT, AGENCY = "applicant", "agency"


@dataclass(frozen=True)
class Filing:
    number: str  # application number (one record per application)
    date: dt.date | None
    title: str = ""
    abstract: str = ""
    claims: str = ""
    ipc: tuple[str, ...] = ()  # main symbol first
    applicants: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    patent_type: str = ""  # 发明 / 实用新型 / 外观设计 …


@dataclass(frozen=True)
class Settings:
    burst_window_days: int = 30
    burst_min_count: int = 12
    burst_ratio: float = 3.0
    burst_z: float = 5.0
    burst_history_days: int = 730
    burst_min_baseline_windows: int = 12
    burst_seasonal: bool = True
    dup_threshold: float = 0.35
    dup_num_perm: int = 120
    dup_bands: int = 40
    dup_min_shingles: int = 10
    dup_boilerplate_share: float = 0.01
    dup_boilerplate_min_docs: int = 50
    dup_max_bucket: int = 500
    dup_ignore_dual_filing: bool = True
    dup_evidence_pairs: int = 10
    off_min_history: int = 10
    off_lag_days: int = 180
    off_min_level: int = 2
    off_min_share: float = 0.0
    off_min_filings: int = 2
    off_cluster_days: int = 365
    seed: int = 20260101


@dataclass
class Finding:
    kind: str
    subject: str
    subject_role: str  # APPLICANT or AGENCY
    numbers: tuple[str, ...]
    score: float
    evidence: dict = field(default_factory=dict)


Progress = Callable[[str, int, int], None]


def _noop(stage: str, done: int, total: int) -> None:
    pass


# --- bursts ---------------------------------------------------------------------------------------------------------

def detect_bursts(filings: Iterable[Filing], settings: Settings = Settings()) -> list[Finding]:
    by_subject: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    first_day = None
    for f in filings:
        if f.date is None:
            continue
        day = f.date.toordinal()
        first_day = day if first_day is None else min(first_day, day)
        for name in dict.fromkeys(f.applicants):
            by_subject[(APPLICANT, name)].append((day, f.number))
        for name in dict.fromkeys(f.agencies):
            by_subject[(AGENCY, name)].append((day, f.number))
    out = []
    for (role, name), items in sorted(by_subject.items()):
        if len(items) >= settings.burst_min_count:
            out.extend(_bursts_of(role, name, sorted(items), first_day, settings))
    return out


def _baseline(days: list[int], start: int, first_day: int, s: Settings) -> list[int]:
    """Filings per window in the windows before `start` (back to the data's first day or the history length)."""
    w = s.burst_window_days
    n = min(s.burst_history_days // w, (start - first_day) // w)
    counts = []
    for k in range(n, 0, -1):
        lo, hi = start - k * w, start - (k - 1) * w
        counts.append(bisect_left(days, hi) - bisect_left(days, lo))
    return counts


def _seasonal(days: list[int], start: int, first_day: int, s: Settings) -> list[int]:
    """Filings in the same window one and two years earlier (a year-end rush that recurs is the subject's habit)."""
    w, out = s.burst_window_days, []
    for years in (1, 2):
        lo = start - 365 * years
        if lo >= first_day:
            out.append(bisect_left(days, lo + w) - bisect_left(days, lo))
    return out


def _hot(count: int, counts: list[int], s: Settings, seasonal: list[int] = ()) -> tuple[bool, float, float, float]:
    median = statistics.median(counts) if counts else 0.0
    mad = statistics.median([abs(c - median) for c in counts]) if counts else 0.0
    sigma = max(1.4826 * mad, math.sqrt(max(median, 1.0)))
    level = max([median, *seasonal])
    z = (count - level) / sigma
    hot = count >= s.burst_min_count and count >= s.burst_ratio * max(level, 1.0) and z >= s.burst_z
    return hot, median, mad, z


def _bursts_of(role, name, items, first_day, s: Settings) -> list[Finding]:
    days = [d for d, _ in items]
    w = s.burst_window_days
    episodes = []  # [first index, last index, peak (count, start, end index, median, mad, z, baseline)]
    j = 0
    for i, day in enumerate(days):
        while days[j] <= day - w:
            j += 1
        count = i - j + 1
        if count < s.burst_min_count:
            continue
        start = day - w + 1
        baseline = _baseline(days, start, first_day, s)
        if len(baseline) < s.burst_min_baseline_windows:
            continue  # the data does not reach back far enough to know what is usual
        seasonal = _seasonal(days, start, first_day, s) if s.burst_seasonal else []
        hot, median, mad, z = _hot(count, baseline, s, seasonal)
        if not hot:
            continue
        peak = (count, start, i, median, mad, z, baseline, seasonal)
        if episodes and j <= episodes[-1][1] + 1:
            episode = episodes[-1]
            episode[1] = i
            if count > episode[2][0]:
                episode[2] = peak
        else:
            episodes.append([j, i, peak])
    out = []
    for lo, hi, (count, start, end_index, median, mad, z, baseline, seasonal) in episodes:
        numbers = tuple(number for _, number in items[lo:hi + 1])
        history_start = start - len(baseline) * w
        evidence = {
            "window_days": w, "peak_count": count,
            "peak_start": dt.date.fromordinal(start).isoformat(),
            "peak_end": dt.date.fromordinal(days[end_index]).isoformat(),
            "episode_start": dt.date.fromordinal(days[lo]).isoformat(),
            "episode_end": dt.date.fromordinal(days[hi]).isoformat(),
            "episode_count": len(numbers),
            "baseline_windows": len(baseline), "baseline_counts": baseline,
            "baseline_start": dt.date.fromordinal(history_start).isoformat() if baseline else None,
            "baseline_median": median, "baseline_mad": mad, "same_window_earlier_years": seasonal,
            "ratio": round(count / max(median, *seasonal, 1.0), 2), "z": round(z, 2),
            "total_filings": len(items),
            "thresholds": {"min_count": s.burst_min_count, "ratio": s.burst_ratio, "z": s.burst_z,
                           "history_days": s.burst_history_days, "seasonal": s.burst_seasonal},
        }
        out.append(Finding(BURST, name, role, numbers, round(min(z, 99.0), 2), evidence))
    return out


# --- near-duplicates ------------------------------------------------------------------------------------------------

def words(text: str) -> list[tuple[str, int, int]]:
    """The significant words of a text (the search segmenter's precise mode; punctuation and stop characters out),
    lower-cased, with their offsets in the text."""
    from ipcity.search.query import normalize
    from ipcity.search.segment import STOP_CHARS, tokenize

    if not text:
        return []
    out = []
    for word, start, end in tokenize(normalize(text), "default"):
        if not any(ch.isalnum() for ch in word) or (len(word) == 1 and word in STOP_CHARS):
            continue
        out.append((word.lower(), start, end))
    return out


def shingle_hashes(ws: list[tuple[str, int, int]]) -> list[int]:
    """One 32-bit hash (CRC-32, stable across processes) per pair of adjacent words."""
    crc = zlib.crc32
    return [crc(f"{a[0]}\x1f{b[0]}".encode()) for a, b in zip(ws, ws[1:])]


def filing_text(f: Filing) -> list[tuple[str, str]]:
    return [("title", f.title or ""), ("abstract", f.abstract or ""), ("claims", f.claims or "")]


def filing_shingles(f: Filing) -> set[int]:
    out: set[int] = set()
    for _, text in filing_text(f):
        out.update(shingle_hashes(words(text)))
    return out


class _UnionFind:
    def __init__(self):
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def minhash_signatures(sets: list, num_perm: int, seed: int):
    """(num_perm × len(sets)) uint32 MinHash signatures of non-empty sorted uint32 arrays (multiply-shift hashing:
    h(x) = ((a·x + b) mod 2^64) >> 32 with random odd a)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    flat = np.concatenate(sets).astype(np.uint64) if sets else np.zeros(0, dtype=np.uint64)
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(sets) else np.zeros(0, dtype=np.int64)
    sig = np.empty((num_perm, len(sets)), dtype=np.uint32)
    shift = np.uint64(32)
    with np.errstate(over="ignore"):
        for p in range(num_perm):
            hashed = ((flat * a[p] + b[p]) >> shift).astype(np.uint32)
            sig[p] = np.minimum.reduceat(hashed, offsets) if len(sets) else hashed[:0]
    return sig


def lsh_candidates(sig, bands: int, max_bucket: int) -> tuple[set[tuple[int, int]], int]:
    """Pairs of columns that agree on all rows of at least one band; buckets larger than max_bucket are skipped
    (returned as a count: such a bucket is boilerplate, not evidence)."""
    import numpy as np

    num_perm, n = sig.shape
    rows = num_perm // bands
    pairs: set[tuple[int, int]] = set()
    skipped = 0
    for band in range(bands):
        block = np.ascontiguousarray(sig[band * rows:(band + 1) * rows].T)
        keys = block.view(np.dtype((np.void, block.dtype.itemsize * rows))).ravel()
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        if n < 2:
            continue
        change = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
        starts = np.concatenate(([0], change))
        ends = np.concatenate((change, [n]))
        for lo, hi in zip(starts[ends - starts > 1], ends[ends - starts > 1]):
            if hi - lo > max_bucket:
                skipped += 1
                continue
            members = sorted(order[lo:hi].tolist())
            for x in range(len(members)):
                mx = members[x]
                for y in range(x + 1, len(members)):
                    pairs.add((mx, members[y]))
    return pairs, skipped


def _is_dual_filing(a: Filing, b: Filing) -> bool:
    """一案双申: the same applicants' invention and utility model filed on the same day (专利法第九条)."""
    types = {a.patent_type, b.patent_type}
    return (a.date is not None and a.date == b.date and set(a.applicants) == set(b.applicants)
            and any("发明" in t for t in types) and any("实用新型" in t for t in types))


def distinctive_sets(filings: list[Filing], settings: Settings = Settings(),
                     progress: Progress = _noop) -> tuple[list[int], list, dict]:
    """Each filing's adjacent-word-pair hashes without the boilerplate ones, for the filings that keep at least
    dup_min_shingles: (their indexes in `filings`, sorted uint32 arrays, statistics)."""
    import numpy as np

    s = settings
    total = len(filings)
    hashed = []
    for i, f in enumerate(filings):
        hashed.append(np.unique(np.fromiter(filing_shingles(f), dtype=np.uint32)))
        if i % 2000 == 0:
            progress("segment", i, total)
    progress("segment", total, total)
    stats = {"filings": total}
    if not hashed:
        return [], [], stats
    values, df = np.unique(np.concatenate(hashed), return_counts=True)
    limit = max(s.dup_boilerplate_share * total, s.dup_boilerplate_min_docs)
    boilerplate = values[df > limit]
    stats["boilerplate_shingles"] = int(len(boilerplate))
    kept_index, kept_sets = [], []
    for i, h in enumerate(hashed):
        if len(boilerplate):
            h = h[~np.isin(h, boilerplate, assume_unique=True)]
        if len(h) >= s.dup_min_shingles:
            kept_index.append(i)
            kept_sets.append(h)
    stats["compared"] = len(kept_sets)
    return kept_index, kept_sets, stats


def jaccard(a, b) -> float:
    import numpy as np

    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def detect_near_duplicates(filings: list[Filing], settings: Settings = Settings(),
                           progress: Progress = _noop) -> tuple[list[Finding], dict]:
    """Clusters of near-duplicate filings, and statistics of the run (candidates, confirmed pairs, boilerplate)."""
    s = settings
    filings = list({f.number: f for f in filings}.values())  # one record per application
    kept_index, kept_sets, stats = distinctive_sets(filings, s, progress)
    if not kept_sets:
        return [], stats
    progress("minhash", 0, len(kept_sets))
    sig = minhash_signatures(kept_sets, s.dup_num_perm, s.seed)
    candidates, skipped = lsh_candidates(sig, s.dup_bands, s.dup_max_bucket)
    stats["candidates"], stats["skipped_buckets"] = len(candidates), skipped
    progress("verify", 0, len(candidates))
    confirmed = []
    for x, y in sorted(candidates):
        similarity = jaccard(kept_sets[x], kept_sets[y])
        if similarity < s.dup_threshold:
            continue
        fa, fb = filings[kept_index[x]], filings[kept_index[y]]
        if s.dup_ignore_dual_filing and _is_dual_filing(fa, fb):
            continue
        confirmed.append((similarity, kept_index[x], kept_index[y]))
    stats["confirmed_pairs"] = len(confirmed)
    uf = _UnionFind()
    for _, i, j in confirmed:
        uf.union(i, j)
    clusters: dict[int, list[tuple[float, int, int]]] = defaultdict(list)
    for pair in confirmed:
        clusters[uf.find(pair[1])].append(pair)
    out = [finding for pairs in clusters.values() for finding in _duplicate_findings(filings, pairs, s)]
    out.sort(key=lambda f: (f.evidence["cluster"], f.subject))
    return out, stats


def shared_fragments(text_a: str, set_b: set[int], limit: int = 3) -> list[str]:
    """The longest runs of text in `text_a` whose adjacent-word pairs all occur in `set_b` (what two filings share)."""
    ws = words(text_a)
    hashes = shingle_hashes(ws)
    runs, start = [], None
    for k, h in enumerate(hashes + [None]):
        if h is not None and h in set_b:
            if start is None:
                start = k
        elif start is not None:
            runs.append((k - start + 1, ws[start][1], ws[k][2]))  # words start..k
            start = None
    runs.sort(key=lambda r: (-r[0], r[1]))
    return [text_a[lo:hi] for n, lo, hi in runs[:limit] if n >= 3]


def field_similarity(a: Filing, b: Filing) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for (name, ta), (_, tb) in zip(filing_text(a), filing_text(b)):
        sa, sb = set(shingle_hashes(words(ta))), set(shingle_hashes(words(tb)))
        out[name] = round(len(sa & sb) / len(sa | sb), 3) if sa and sb else None
    return out


def _duplicate_findings(filings: list[Filing], pairs: list[tuple[float, int, int]], s: Settings) -> list[Finding]:
    """One finding per applicant of the cluster: its own filings, the whole cluster as evidence (in a cluster of
    several applicants the original and the copy are different applicants, and a reviewer judges each on its own)."""
    members = sorted({i for _, x, y in pairs for i in (x, y)}, key=lambda i: filings[i].number)
    applicants = Counter(a for i in members for a in dict.fromkeys(filings[i].applicants))
    agencies = Counter(a for i in members for a in dict.fromkeys(filings[i].agencies))
    strongest = sorted(pairs, key=lambda p: (-p[0], filings[p[1]].number, filings[p[2]].number))
    score = round(strongest[0][0] * 10 + math.log2(len(members)), 2)
    shared_cache: dict[tuple[int, int], dict] = {}

    def pair_evidence(jaccard, x, y) -> dict:
        if (x, y) not in shared_cache:
            fa, fb = filings[x], filings[y]
            fa, fb = (fa, fb) if fa.number < fb.number else (fb, fa)
            shared = shared_fragments(f"{fa.title}。{fa.abstract}。{fa.claims}", filing_shingles(fb))
            shared_cache[(x, y)] = {"a": fa.number, "b": fb.number, "similarity": round(jaccard, 3),
                                    "fields": field_similarity(fa, fb), "shared": shared}
        return shared_cache[(x, y)]

    base = {
        "size": len(members), "pair_count": len(pairs), "max_similarity": round(strongest[0][0], 3),
        "cluster": [filings[i].number for i in members],
        "applicants": dict(applicants.most_common()), "agencies": dict(agencies.most_common()),
        "dates": {filings[i].number: filings[i].date.isoformat() if filings[i].date else None for i in members},
        "threshold": s.dup_threshold,
    }
    out = []
    for subject in sorted(applicants) or [""]:
        own = {i for i in members if not subject or subject in filings[i].applicants}
        # The pairs that involve the subject's own filings first: they are what the reviewer of this finding judges.
        mine = sorted(strongest, key=lambda p: not (p[1] in own or p[2] in own))
        evidence = {**base, "pairs": [pair_evidence(*p) for p in mine[: s.dup_evidence_pairs]],
                    "own": [filings[i].number for i in members if i in own]}
        out.append(Finding(DUPLICATE, subject, APPLICANT, tuple(filings[i].number for i in members if i in own),
                           score, evidence))
    return out


# --- off-business filings -------------------------------------------------------------------------------------------

LEVEL_LABELS = {0: "同一小类", 1: "同一大类、不同小类", 2: "同一部、不同大类", 3: "不同部"}


def subclass(symbol: str) -> str:
    compact = "".join(symbol.split()).upper()
    return compact[:4] if len(compact) >= 4 and compact[0].isalpha() else ""


def ipc_level(a: str, b: str) -> int:
    if a == b:
        return 0
    if a[:3] == b[:3]:
        return 1
    if a[:1] == b[:1]:
        return 2
    return 3


def _patterned(hits: list[dict], s: Settings) -> list[dict]:
    """The off-business filings that form a pattern: at least off_min_filings of them in one IPC class within
    off_cluster_days (one stray filing, or strays scattered over unrelated fields, are no move into a new field)."""
    by_class: dict[str, list[dict]] = defaultdict(list)
    for hit in hits:
        by_class[hit["subclasses"][0][:3]].append(hit)
    need = max(1, s.off_min_filings)
    keep = set()
    for group in by_class.values():
        # One invention: a same-day invention + utility model twin (一案双申) under one title counts once.
        events = list({(h["date"], h["title"]): h for h in group}.values())
        days = [dt.date.fromisoformat(h["date"]).toordinal() for h in events]
        for k in range(len(events) - need + 1):
            if days[k + need - 1] - days[k] <= s.off_cluster_days:
                lo, hi = events[k]["date"], events[k + need - 1]["date"]
                keep.update(h["number"] for h in group if lo <= h["date"] <= hi)
    return [h for h in hits if h["number"] in keep]


def detect_off_business(filings: Iterable[Filing], settings: Settings = Settings()) -> list[Finding]:
    s = settings
    by_applicant: dict[str, list[tuple[int, str, tuple[str, ...]]]] = defaultdict(list)
    for f in filings:
        classes = tuple(dict.fromkeys(c for c in (subclass(x) for x in f.ipc) if c))
        if f.date is None or not classes:
            continue
        for name in dict.fromkeys(f.applicants):
            by_applicant[name].append((f.date.toordinal(), f.number, classes, f.title))
    out = []
    for name, items in sorted(by_applicant.items()):
        if len(items) <= s.off_min_history:
            continue
        items.sort()
        finding = _off_business_of(name, items, s)
        if finding:
            out.append(finding)
    return out


def _off_business_of(name, items, s: Settings) -> Finding | None:
    profile: Counter = Counter()
    history = 0
    h = 0
    hits = []
    for day, number, classes, title in items:
        while h < len(items) and items[h][0] <= day - s.off_lag_days:
            profile.update(items[h][2][:1])  # the main subclass stands for the filing
            history += 1
            h += 1
        if history < s.off_min_history:
            continue
        established = [c for c, n in profile.items() if n / history >= s.off_min_share]
        best = min(((ipc_level(x, p), -profile[p], p, x) for x in classes for p in established), default=None)
        if best is None or best[0] < s.off_min_level:
            continue
        level, _, nearest, own = best
        hits.append({"number": number, "title": title, "date": dt.date.fromordinal(day).isoformat(),
                     "subclasses": list(classes),
                     "nearest": nearest, "level": level, "distance": LEVEL_LABELS[level],
                     "profile_size": history,
                     "profile": [[c, n, round(n / history, 3)] for c, n in profile.most_common(8)]})
    hits = _patterned(hits, s)
    if not hits:
        return None
    last = hits[-1]
    evidence = {"filings": hits, "profile": last["profile"], "profile_size": last["profile_size"],
                "total_filings": len(items),
                "thresholds": {"min_history": s.off_min_history, "lag_days": s.off_lag_days,
                               "min_level": s.off_min_level, "min_share": s.off_min_share,
                               "min_filings": s.off_min_filings, "cluster_days": s.off_cluster_days}}
    score = round(sum(hit["level"] for hit in hits) / len(hits) + math.log2(len(hits)), 2)
    return Finding(OFF_BUSINESS, name, APPLICANT, tuple(hit["number"] for hit in hits), score, evidence)


# --- all ------------------------------------------------------------------------------------------------------------

def screen(filings: list[Filing], settings: Settings = Settings(),
           progress: Progress = _noop) -> tuple[list[Finding], dict]:
    """All three detectors over one set of filings: (findings, statistics)."""
    filings = list({f.number: f for f in filings}.values())
    progress("burst", 0, len(filings))
    findings = detect_bursts(filings, settings)
    duplicates, stats = detect_near_duplicates(filings, settings, progress)
    findings += duplicates
    progress("off_business", 0, len(filings))
    findings += detect_off_business(filings, settings)
    stats["findings"] = dict(Counter(f.kind for f in findings))
    return findings, stats
