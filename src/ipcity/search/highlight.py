"""Highlight a query's terms in the original text: HTML-escaped, matches in <em>…</em>.

A term is matched as the phrase the index searches for it (segment.query_phrase): its words in
order with any run of punctuation or spaces between them, case-insensitively and on
full-width-normalized text — so what is highlighted is what matched. Long text is cut to a
window around the first match.
"""
from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from typing import Iterable

from .query import normalize
from .segment import query_phrase

__all__ = ["compile_terms", "match_spans", "highlight"]

ELLIPSIS = "…"
_SENTENCE_END = "。；;！!？?\n"
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
# Full-width characters whose ASCII counterpart is a word character. Only these can change a match:
# patterns are word characters joined by \W* / \w, and every other character normalize() maps (full-width
# punctuation, the ideographic space, curly quotes) is \W before and after. normalize() costs ~35 µs on
# an abstract (str.translate with a dict), so text without them is matched as it is.
_FULLWIDTH_WORD = re.compile("[\uff10-\uff19\uff21-\uff3a\uff3f\uff41-\uff5a]")


@lru_cache(maxsize=1024)
def _term_pattern(term: str) -> str | None:
    """The term's phrase as the index sees it (segment.query_phrase) turned into a regex: its words in
    order, any punctuation or spaces between them, one word character per skipped stop character."""
    words = query_phrase(term)
    if not words:
        return None  # the index finds nothing for it either
    parts = []
    for i, (offset, word) in enumerate(words):
        if i:
            skipped = offset - (words[i - 1][0] + len(words[i - 1][1]))
            parts.append(r"\W*" + r"\w\W*" * skipped)
        parts.append(re.escape(word))
    pattern = "".join(parts)
    # An ASCII word matches whole (led must not light up inside called); Chinese has no such edges.
    if _ASCII_ALNUM.match(words[0][1][0]):
        pattern = r"(?<![A-Za-z0-9])" + pattern
    if _ASCII_ALNUM.match(words[-1][1][-1]):
        pattern += r"(?![A-Za-z0-9])"
    return pattern


@lru_cache(maxsize=256)
def _compile(terms: tuple[str, ...]) -> re.Pattern | None:
    patterns = {p for p in map(_term_pattern, terms) if p}
    if not patterns:
        return None
    # Longest first, so 注册商标 wins over 商标 where both match at the same place.
    return re.compile("|".join(sorted(patterns, key=lambda p: (-len(p), p))), re.IGNORECASE)


def compile_terms(terms: Iterable[str]) -> re.Pattern | None:
    """One regex for a set of query terms (cached); None when nothing is searchable."""
    return _compile(tuple(sorted(set(terms))))


def match_spans(text: str, terms: Iterable[str] | re.Pattern | None) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) character spans of the terms in `text`."""
    pattern = terms if isinstance(terms, re.Pattern) or terms is None else compile_terms(terms)
    if pattern is None or not text:
        return []
    if _FULLWIDTH_WORD.search(text):
        text = normalize(text)  # one character for one: the spans stay spans of the original
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]


def highlight(text: str, terms: Iterable[str] | re.Pattern | None, max_chars: int | None = None,
              spans: list[tuple[int, int]] | None = None) -> str:
    """HTML of `text` with the terms in <em>; cut to about `max_chars` around the first match."""
    text = text or ""
    if spans is None:
        spans = match_spans(text, terms)
    start, end = 0, len(text)
    if max_chars is not None and len(text) > max_chars:
        start, end = _window(text, spans[0][0] if spans else 0, max_chars)
    out = [ELLIPSIS] if start > 0 else []
    cursor = start
    for s, e in spans:
        if e <= start:
            continue
        if s >= end:
            break
        s = max(s, start)
        end = max(end, e)  # never cut a match in two
        out.append(escape(text[cursor:s]))
        out.append(f"<em>{escape(text[s:e])}</em>")
        cursor = e
    out.append(escape(text[cursor:end]))
    if end < len(text):
        out.append(ELLIPSIS)
    return "".join(out)


def _window(text: str, first: int, max_chars: int) -> tuple[int, int]:
    """A window of max_chars around `first`: up to a fifth before it, from a sentence start if one is near."""
    lead = max_chars // 5
    start = max(0, first - lead)
    if start > 0:
        cut = max(text.rfind(ch, start, first) for ch in _SENTENCE_END)
        if cut >= 0:
            start = cut + 1
    end = min(len(text), start + max_chars)
    if end == len(text):
        start = max(0, end - max_chars)
    return start, end
