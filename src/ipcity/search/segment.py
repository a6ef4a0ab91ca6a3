"""Chinese word segmentation for the patent index: rjieba (jieba-rs), checked against jieba.

What the index holds for a text (:func:`analyze`): the words of jieba's precise segmentation
(HMM on, so unknown names such as 潍柴 come out as words) plus *every dictionary word of two or
more characters that occurs in the text* (jieba's full mode, 全模式), whatever the segmentation
chose there: 注册商标申请 -> 注册商标 + 注册, 商标, 申请, and 知识产权局 -> 知识产权局 + 知识,
知识产权, 产权, 产权局. Each token's *position* is its character offset counted over significant
characters only (punctuation and spaces do not count), so overlapping tokens coexist and a phrase
query with character offsets matches exactly where the words are adjacent in the text.

A query text is one phrase (:func:`query_phrase`): the fewest pieces covering it, dictionary words
first. So a query made of dictionary words — the usual case: 商标, 图像识别, 行数, 价值评估
(价值 + 评估) — finds exactly the documents that contain it as a substring (punctuation, spaces and
stop characters aside), 2-character words inside longer ones included, one posting list per piece.
A word jieba only makes up by HMM (a name not in its dictionary, 潍柴) is found where the
document's segmentation made up the same word; a single character no dictionary word covers is
found where the document's segmentation left it alone too (single characters are not all indexed).

Runs of ASCII letters and digits never reach the segmenter: they are cut into letter runs and
digit runs here (PM2.5 -> pm 2 5, COVID-19 -> covid 19, 5G -> 5 g), and phrases put them back
together. That is where rjieba and jieba disagree (rjieba keeps PM2.5, 3.5mm, Wi-Fi whole and adds
odd pieces such as 5mm in search mode; jieba cuts 3.5 | mm) — see :func:`raw_differences` — and
where neither is what a patent searcher wants (mm should find 3.5mm).

Why rjieba: :func:`compare_with_jieba` shows that, with ASCII runs cut as above, it gives exactly
jieba's tokens (offsets included, precise, search and index modes; the tests run it on 30
patent-style sentences), and it is faster: precise + full mode with offsets 3.8 vs 0.5 M chars/s,
search mode alone 12.3 vs 0.7 (bench/bench_search.py and a development measurement). Set ``SEGMENTER = "jieba"`` to fall back
should they ever diverge (and bump index.SCHEMA_VERSION).

The per-token loops of analyze and shingles also exist compiled (``_analysis.c``, built by setup.py
when a C compiler is there): the same tokens (tests/test_analysis_compiled.py), about 40 % less
analysis time and half the pairing time, which is what an import's index helper spends most of its
time on. Without the module the Python loops here run (``analyze_python``, ``shingles_python``).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from operator import itemgetter
from typing import Iterable

from .query import normalize

SEGMENTER = "rjieba"
HMM = True

try:  # analyze's and shingles's loops compiled (setup.py; optional): the same tokens, a fraction of the time
    from ipcity.search import _analysis
except ImportError:  # no C compiler at install time: the Python loops below
    _analysis = None

# Single characters too common to be worth a posting list. They still count for positions, so a
# phrase keeps its spacing: 基于图像的识别 matches where 的 (or any one character) sits between.
STOP_CHARS = frozenset("的了和与及或在是为对等其所该并将于以由从被之而且但即也又把向着")

_WORD_CHAR = re.compile(r"\w")


@lru_cache(maxsize=1)
def _rjieba():
    import rjieba

    return rjieba


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def raw_tokenize(text: str, mode: str = "default", segmenter: str | None = None) -> list[tuple[str, int, int]]:
    """(word, start, end) over `text` exactly as the segmenter library gives them."""
    if (segmenter or SEGMENTER) == "rjieba":
        return _rjieba().tokenize(text, mode=mode, hmm=HMM)
    return list(_jieba().tokenize(text, mode=mode, HMM=HMM))


def dictionary_words(text: str, segmenter: str | None = None) -> list[tuple[str, int, int]]:
    """Every dictionary word of 2+ characters in `text` (full mode), with its offsets."""
    if (segmenter or SEGMENTER) == "rjieba":
        words = _rjieba().cut_all(text)
    else:
        words = _jieba().lcut(text, cut_all=True)
    # Full mode lists every word at every start, by start (and by length at one start); so the first
    # occurrence from the current start is the word's own, unless it already started there.
    out = []
    append = out.append
    cur, seen, find = 0, set(), text.find
    for word in words:
        if len(word) < 2:
            continue
        start = find(word, cur)
        if start == cur:
            if word in seen:
                start = find(word, cur + 1)
                if start < 0:  # cannot happen given the order above; never index a wrong offset
                    continue
                cur, seen = start, set()
        elif start < 0:
            continue
        else:
            cur, seen = start, set()
        seen.add(word)
        append((word, start, start + len(word)))
    return out


def _segment(text: str, mode: str, segmenter: str | None) -> list[tuple[str, int, int]]:
    if mode == "dict":
        return dictionary_words(text, segmenter)
    if mode != "index":
        return raw_tokenize(text, mode, segmenter)
    tokens = raw_tokenize(text, "default", segmenter)
    known = {(w, s) for w, s, _ in tokens}
    tokens += [t for t in dictionary_words(text, segmenter) if (t[0], t[1]) not in known]
    tokens.sort(key=lambda t: (t[1], t[2]))
    return tokens


_ASCII_RUN = re.compile(r"[A-Za-z0-9]+")
_ASCII_PART = re.compile(r"[A-Za-z]+|[0-9]+")


def tokenize(text: str, mode: str = "default", segmenter: str | None = None) -> list[tuple[str, int, int]]:
    """(word, start, end) over normalized `text`, ASCII letter/digit runs cut here, the rest segmented.

    mode: "default" (precise), "search" (jieba's search mode), "dict" (the dictionary words of 2+
    characters, full mode) or "index" (the union of default and dict, by start: what analyze indexes).
    """
    out: list = []
    for piece, at, is_ascii in _pieces(text):
        if is_ascii:
            if mode != "dict":
                out.extend((part.group(), at + part.start(), at + part.end()) for part in _ASCII_PART.finditer(piece))
        elif at == 0:
            out.extend(_segment(piece, mode, segmenter))
        else:
            out.extend((w, s + at, e + at) for w, s, e in _segment(piece, mode, segmenter))
    return out


def compare_with_jieba(sentences: Iterable[str], modes=("default", "search", "index")) -> list[dict]:
    """Sentences where our tokenization differs between rjieba and jieba (empty when identical)."""
    return _compare(sentences, modes, lambda text, mode, seg: tokenize(normalize(text), mode, seg))


def raw_differences(sentences: Iterable[str], modes=("default", "search")) -> list[dict]:
    """Sentences where the libraries themselves disagree on the whole (normalized) sentence."""
    return _compare(sentences, modes, lambda text, mode, seg: raw_tokenize(normalize(text), mode, seg))


def _compare(sentences, modes, cut) -> list[dict]:
    diffs = []
    for sentence in sentences:
        for mode in modes:
            ours = [tuple(t) for t in cut(sentence, mode, "rjieba")]
            theirs = [tuple(t) for t in cut(sentence, mode, "jieba")]
            if ours != theirs:
                diffs.append({"sentence": sentence, "mode": mode, "rjieba": ours, "jieba": theirs})
    return diffs


def analyze(text: str, base: int = 0, offset: int = 0, factory=None) -> list:
    """Index tokens of `text`: (term, position, start, end) with position = base + significant offset
    and start/end character offsets (+ `offset`); `factory(term, position, start, end)` builds
    something else instead of a tuple (tantivy.Token, without an intermediate list).

    The tokens are tokenize(text, "index"): the precise words, then the other dictionary words.
    Terms are lower-cased; punctuation, spaces and STOP_CHARS are dropped. The text is segmented
    piece by piece (the same pieces tokenize cuts at ASCII runs), each piece's offsets added here
    rather than in a shifted copy of its tokens: analysis is most of the index helper's time on an
    import (tests/test_segment.py checks this against the plain composition of tokenize).
    """
    if not text:
        return []
    if len(_TERMS) > _TERMS_MAX:  # HMM-made words keep it growing on a long import
        _TERMS.clear()
    if _analysis is not None and SEGMENTER == "rjieba":
        out = _analysis.analyze_core(normalize(text), base, offset, _precise_words, _rjieba().cut_all, _TERMS,
                                     _index_term)
    else:
        out = analyze_python(text, base, offset)
    return [factory(*token) for token in out] if factory else out


def _precise_words(piece: str) -> list[tuple[str, int, int]]:
    return _rjieba().tokenize(piece, mode="default", hmm=HMM)


def analyze_python(text: str, base: int = 0, offset: int = 0) -> list:
    """analyze's loops in Python: what the compiled module (_analysis.c) must give, and the fallback without it."""
    if not text:
        return []
    norm = normalize(text)
    out = []
    append = out.append
    terms = _TERMS
    gaps, skipped = [], [0]  # starts of punctuation runs, characters skipped up to each
    shift = base  # position - start for the precise words: base less the characters skipped so far
    for piece, at, is_ascii in _pieces(norm):
        if is_ascii:  # letter and digit runs: never punctuation, never a stop character
            for part in _ASCII_PART.finditer(piece):
                word = part.group()
                term = terms.get(word)
                if term is None:
                    term = terms[word] = word.lower()
                start = at + part.start()
                append((term, start + shift, start + offset, at + part.end() + offset))
            continue
        precise = set()  # start * _SPAN + end (within the piece) of its precise words of 2+ characters
        for word, start, end in raw_tokenize(piece, "default"):
            term = terms.get(word, _UNSEEN)
            if term is _UNSEEN:
                term = terms[word] = _index_term(word)
            if not term:
                if term is None:  # punctuation or spaces: positions close up over them
                    gaps.append(start + at)
                    skipped.append(skipped[-1] + end - start)
                    shift = base - skipped[-1]
                continue  # "": a stop character, which keeps its place
            if len(word) > 1:
                precise.add(start * _SPAN + end)
            start += at
            append((term, start + shift, start + offset, end + at + offset))
        for word, start, end in dictionary_words(piece):
            if start * _SPAN + end not in precise:
                start += at
                append((word.lower(), base + start - skipped[bisect_right(gaps, start)], start + offset,
                        end + at + offset))
    # tantivy wants each term's positions in increasing order: one sort by start puts all in order.
    out.sort(key=_START)
    return out


def _pieces(norm: str):
    """(piece, offset, is an ASCII letter/digit run): the pieces tokenize segments separately."""
    if not _ASCII_RUN.search(norm):
        yield norm, 0, False
        return
    done = 0
    for run in _ASCII_RUN.finditer(norm):
        start = run.start()
        if start > done:
            yield norm[done:start], done, False
        yield run.group(), start, True
        done = run.end()
    if done < len(norm):
        yield norm[done:], done, False


def _index_term(word: str) -> str | None:
    """A precise word's index term: None for punctuation/spaces, "" for a stop character, else lower-cased."""
    if not word.isalnum() and not _WORD_CHAR.search(word):
        return None
    if len(word) == 1 and word in STOP_CHARS:
        return ""
    return word.lower()


# word -> _index_term(word): the same words recur in every document, so one dict lookup replaces the character
# tests per token. A word's offsets within one text identify it, hence the integer key of `precise` (no tuples).
_TERMS: dict[str, str | None] = {}
_TERMS_MAX = 1_000_000
_UNSEEN = object()
_SPAN = 1 << 32


_START = itemgetter(2)


def query_phrase(text: str) -> list[tuple[int, str]]:
    """A query text as a phrase: [(offset, term)], offsets over significant characters from 0;
    [] when nothing is searchable.

    The text is covered by the fewest pieces, preferring pieces the index is sure to hold wherever
    the text occurs — dictionary words of 2+ characters and ASCII runs — over the precise
    segmentation's single characters and HMM words, then the precise segmentation's own words.
    So 行数 is one word (precise mode alone says 行 + 数, which 进行数据 does not hold).
    Stop characters and punctuation are gaps that keep (stop characters) or lose (punctuation)
    their place.
    """
    norm = normalize(text)
    precise = tokenize(norm, "default")
    n = len(norm)
    gap = [False] * n  # punctuation / spaces: not significant
    # Candidate pieces by start: (end, word, unsure, not precise).
    starts: dict[int, list[tuple[int, str, int, int]]] = {}
    precise_words = set()
    for word, start, end in precise:
        if not _WORD_CHAR.search(word):
            for i in range(start, end):
                gap[i] = True
        elif word not in STOP_CHARS:
            precise_words.add((start, end))
            starts.setdefault(start, []).append((end, word, 0 if word.isascii() else 1, 0))
    for word, start, end in tokenize(norm, "dict"):  # a dictionary word: indexed wherever it occurs
        options = starts.setdefault(start, [])
        options[:] = [o for o in options if o[0] != end] + [(end, word, 0, int((start, end) not in precise_words))]
    # best[i]: (unsure pieces, pieces, pieces off the precise segmentation, chosen) covering norm[:i]
    best: list = [None] * (n + 1)
    best[0] = (0, 0, 0, ())
    for i in range(n):
        if best[i] is None:
            continue
        unsure, count, off, chosen = best[i]
        if gap[i] or norm[i] in STOP_CHARS or norm[i].isspace():
            if best[i + 1] is None or best[i + 1][:3] > (unsure, count, off):
                best[i + 1] = best[i]
        for end, word, cost, extra in starts.get(i, ()):
            candidate = (unsure + cost, count + 1, off + extra, chosen + ((i, word),))
            if best[end] is None or best[end][:3] > candidate[:3]:
                best[end] = candidate
    if best[n] is None or not best[n][3]:
        return []
    significant = [0] * (n + 1)  # significant characters before each offset
    for i in range(n):
        significant[i + 1] = significant[i] + (0 if gap[i] else 1)
    pieces = [(significant[start], word.lower()) for start, word in best[n][3]]
    first = pieces[0][0]
    return [(pos - first, word) for pos, word in pieces]


# --- word pairs ("shingles") ------------------------------------------------------------------------
#
# A phrase of two very common words (价值 + 评估, 预测 + 模型) costs a walk over two long posting lists
# and their positions. The combined all-text field (index.ALL_FIELD) therefore also holds every pair of
# *adjacent* Chinese words of two or more characters as one term, "价值 评估" (a space joins them: no
# token holds one), at the first word's position. A query phrase rewrites each run of adjacent such
# pieces into those pairs (:func:`shingle_phrase`); the rule depends on the two words only, so a pair
# is in the index exactly where the phrase of its two words matches, and the rewritten phrase finds
# exactly the documents the original does. Adjacent means positions differ by the first word's length
# (positions count significant characters: punctuation between the words is ignored, as in phrases).

SHINGLE_JOIN = " "


def _pairable(word: str) -> bool:
    """A word that takes part in pairs: two or more CJK ideographs (U+3400..U+9FFF)."""
    return len(word) > 1 and min(word) >= "\u3400" and max(word) <= "\u9fff"


def shingles(tokens: list) -> list:
    """The adjacent-word pairs among analyze() tokens: (pair, position, start, end), by position."""
    if _analysis is not None and type(tokens) is list:
        out = _analysis.shingles_core(tokens, SHINGLE_JOIN)
        if out is not None:  # None: the tokens were not in position order, which the loops below do not need
            return out
    return shingles_python(tokens)


def shingles_python(tokens: list) -> list:
    """shingles's loops in Python (the reference for _analysis.c, and the fallback)."""
    known = _PAIRABLE
    if len(known) > _PAIRABLE_MAX:  # HMM-made words keep it growing on a long import
        known.clear()
    by_position: dict[int, list] = {}
    pairable = []
    for token in tokens:
        term = token[0]
        ok = known.get(term)
        if ok is None:
            ok = known[term] = _pairable(term)
        if ok:
            pairable.append(token)
            following = by_position.get(token[1])
            if following is None:
                by_position[token[1]] = [token]
            else:
                following.append(token)
    out = []
    append = out.append
    get = by_position.get
    join = SHINGLE_JOIN
    for term, position, start, _ in pairable:
        following = get(position + len(term))
        if following:
            for second in following:
                append((term + join + second[0], position, start, second[3]))
    return out


# term -> _pairable(term): the same few thousand words recur in every document, so one dict lookup replaces
# len/min/max per token (shingles was a third of a document's analysis).
_PAIRABLE: dict[str, bool] = {}
_PAIRABLE_MAX = 1_000_000


def shingle_phrase(words: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A query phrase (query_phrase) with each pair of adjacent pairable pieces as one pair term.

    A run of adjacent pieces a b c becomes the overlapping pairs "a b", "b c" (each rarer than its
    words); a piece not adjacent to a pairable neighbour stays as it is.
    """
    out: list[tuple[int, str]] = []
    n = len(words)
    paired = [False] * n
    for i in range(n - 1):
        (p1, w1), (p2, w2) = words[i], words[i + 1]
        if p2 == p1 + len(w1) and _pairable(w1) and _pairable(w2):
            out.append((p1, w1 + SHINGLE_JOIN + w2))
            paired[i] = paired[i + 1] = True
    for i, (p, w) in enumerate(words):
        if not paired[i]:
            out.append((p, w))
    out.sort()
    if out and out[0][0]:
        first = out[0][0]
        out = [(p - first, w) for p, w in out]
    return out
