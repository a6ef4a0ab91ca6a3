"""The patent full-text index: tantivy files under one directory, fed from the database.

Documents (dicts) handed to :meth:`PatentIndex.add_or_update`::

    id                 application number (str, required; the key for update and delete)
    title, abstract, claims              str
    applicants, inventors                list[str] (or one str separated by ; or ；)
    patent_type, legal_status            str (stored and matched exactly, e.g. 发明 / 有效)
    application_date, publication_date   date, datetime, 'YYYY-MM-DD', 'YYYYMMDD' or int yyyymmdd
    ipc                                  list[str] (or one str separated by ;), e.g. 'G06F 16/35'
    region                               str or list[str]: 6-digit GB/T 2260 codes of the applicants

Schema decisions:

* The five text fields are indexed from pre-segmented tokens (``segment.analyze``: precise words
  plus every dictionary word in the text, positions = offsets over significant characters) with
  whitespace as the field tokenizer of record. They are not stored as such. The original title,
  abstract, applicants and inventors are stored (lz4-compressed) in the index's own doc store
  (``src_*`` bytes fields): a hit list and its highlights need no database round trip and read the
  same whichever database the platform runs on. Claims are long (all claims run to thousands of
  characters) and are left to the database by default (``PatentIndex(store=...)`` changes that);
  ``search(texts=...)`` takes a callback that supplies unstored originals for the page's hits.
* ``all`` holds the tokens of all five text fields (FIELD_GAP positions apart: no phrase across
  fields) plus every pair of adjacent Chinese words as one term (``segment.shingles``). A bare
  term is one query on it (a term lookup, or a phrase over the rarer pairs) instead of a disjunction
  over five fields; a should-clause on the title (TITLE_BOOST) keeps title matches first, except for
  words in more than TITLE_CLAUSE_MAX_DOCS titles (方法, 装置 in a large index). Fielded
  terms (TI=, AB=, ...) search their own field as before.
* ``ipc`` holds every code with its prefixes — section G, class G06, subclass G06F, main group
  G06F16, group G06F16/35 — so IC=G06F, IC=G06F* and IC=G06F16 are single term lookups; any other
  prefix (IC=G06F16/3*) is a regex over the same term dictionary. ``ipc_subclass`` is the facet.
* ``region`` holds each code with its ancestors (371702 -> 370000, 371700, 371702), the same
  prefix rule as ``Region.contains``; ``region_own`` (the codes as given) is the facet.
* ``applicant`` holds the raw names for the facet; PA= searches the segmented ``applicants``.
* ``application_date``/``publication_date`` are i64 yyyymmdd fast fields (range filters, sorting);
  ``year`` (of the application date) is the year facet.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass, field
from itertools import starmap
from pathlib import Path
from typing import Callable, Iterable

import tantivy

from . import highlight as hl
from .query import FIELDS, And, Node, Not, Or, Range, Term, ipc_query_prefix, parse, positive_terms
from .segment import analyze, query_phrase, shingle_phrase, shingles

__all__ = ["PatentIndex", "SearchResult", "SCHEMA_VERSION", "TEXT_FIELD_NAMES", "FACETS", "STORED_TEXT"]

# Bump when the schema or the analysis (segment.analyze, query_phrase) changes: opening an index of
# another version recreates it empty (PatentIndex.created) and the platform rebuilds it from the DB.
SCHEMA_VERSION = 2
MARKER = "ipcity-search.json"

# Query field code -> index field name (text fields).
TEXT_FIELD_NAMES = {"TI": "title", "AB": "abstract", "CL": "claims", "PA": "applicants", "IN": "inventors"}
# The combined field of the five text fields that bare terms search, and the weight of the title
# should-clause added to it (a bare term matched in the title ranks first).
ALL_FIELD = "all"
TITLE_BOOST = 3.0
# ... unless every word of the term is in more titles than this: then the title clause would cost as
# much as the term itself (a walk over a posting list of that length) and say little about relevance
# (the idea of Elasticsearch's cutoff_frequency): such terms rank by the combined field alone.
TITLE_CLAUSE_MAX_DOCS = 50_000
FIELD_GAP = 1000  # position gap between the text fields within ALL_FIELD
GAP_TERM = "\x00"  # the token that makes the gap (no query produces it)
KEYWORD_FIELDS = {"LS": "legal_status", "PT": "patent_type", "AN": "id"}
DATE_FIELDS = {"AD": "application_date", "PD": "publication_date"}
# Facet name -> fast field.
FACETS = {"patent_type": "patent_type", "year": "year", "ipc_subclass": "ipc_subclass",
          "applicant": "applicant", "region": "region_own", "legal_status": "legal_status"}
SORTS = ("relevance", "date_desc", "date_asc")
VALUE_GAP = 10  # position gap between the values of a multi-valued text field (no phrase across names)
SNIPPET_CHARS = 160
STORED_TEXT = ("title", "abstract", "applicants", "inventors")  # originals kept in the index by default

_WHOLE_LEVEL = re.compile(r"[A-H]([0-9]{2}[A-Z]?)?")
_SEP = re.compile(r"[;；\n]+")
_IPC_CODE = re.compile(r"([A-H])\s*([0-9]{2})\s*([A-Z])(?:\s*([0-9]{1,4})(?:\s*/\s*([0-9]{1,6}))?)?")


@dataclass
class SearchResult:
    total: int
    hits: list[dict] = field(default_factory=list)
    facets: dict[str, list[tuple]] = field(default_factory=dict)


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    for name in TEXT_FIELD_NAMES.values():
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="position")
        sb.add_bytes_field(f"src_{name}", stored=True)
    sb.add_text_field(ALL_FIELD, tokenizer_name="whitespace", index_option="position")
    for name in ("patent_type", "legal_status", "ipc_subclass", "applicant", "region_own"):
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    for name in ("ipc", "region"):
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("year", indexed=True, fast=True)
    sb.add_integer_field("application_date", stored=True, indexed=True, fast=True)
    sb.add_integer_field("publication_date", indexed=True, fast=True)
    return sb.build()


# --- document preparation ---------------------------------------------------------------------------

def _values(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = _SEP.split(value)
    seen, out = set(), []
    for item in value:
        item = (item or "").strip()
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def to_yyyymmdd(value) -> int | None:
    """date / datetime / 'YYYY-MM-DD' / 'YYYYMMDD' / int -> int yyyymmdd (None when empty)."""
    if value in (None, ""):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year * 10000 + value.month * 100 + value.day
    if isinstance(value, int):
        return value
    digits = re.sub(r"[^0-9]", "", str(value))
    if len(digits) != 8:
        raise ValueError(f"not a date: {value!r}")
    return int(digits)


def ipc_terms(codes: Iterable[str]) -> tuple[list[str], list[str]]:
    """IPC codes -> (every code with its prefixes, the subclasses)."""
    terms, subclasses = [], []
    for code in codes:
        m = _IPC_CODE.search(code.upper())
        if not m:
            continue
        section, cls, sub, group, subgroup = m.groups()
        parts = [section, section + cls, section + cls + sub]
        if group:
            parts.append(parts[-1] + group)
            if subgroup:
                parts.append(f"{parts[-1]}/{subgroup}")
        terms.extend(parts)
        subclasses.append(parts[2])
    return list(dict.fromkeys(terms)), list(dict.fromkeys(subclasses))


def region_terms(codes: Iterable[str]) -> list[str]:
    """6-digit region codes with their province and city ancestors."""
    out = []
    for code in codes:
        code = code.strip()
        if len(code) == 6 and code.isdigit():
            out.extend((code[:2] + "0000", code[:4] + "00", code))
        elif code:
            out.append(code)
    return list(dict.fromkeys(out))


def _tokens(values: list[str]) -> list[tuple[str, int, int, int]]:
    """Index tokens of a (multi-valued) text field; values are VALUE_GAP positions apart."""
    tokens: list = []
    position = offset = 0
    for value in values:
        tokens += analyze(value, position, offset)
        position += len(value) + VALUE_GAP
        offset += len(value) + 1
    return tokens


def prepare(doc: dict, store: Iterable[str] = STORED_TEXT) -> tuple:
    """Everything a document needs, in plain Python (the segmentation; materialize makes the tantivy part).

    -> (id, [(text field, original, tokens, stored, adjacent-word pairs)], [(add method, field, value)])
    """
    key = str(doc["id"]).strip()
    if not key:
        raise ValueError("a document needs an id")
    texts = []
    for name in TEXT_FIELD_NAMES.values():
        values = _values(doc.get(name)) if name in ("applicants", "inventors") else (
            [doc[name]] if doc.get(name) else [])
        if values:
            tokens = _tokens(values)
            texts.append((name, "；".join(values), tokens, name in store, shingles(tokens)))
    plain: list = []
    for name in ("patent_type", "legal_status"):
        if doc.get(name):
            plain.append(("text", name, str(doc[name]).strip()))
    plain += [("text", "applicant", name) for name in _values(doc.get("applicants"))]
    codes, subclasses = ipc_terms(_values(doc.get("ipc")))
    plain += [("text", "ipc", term) for term in codes]
    plain += [("text", "ipc_subclass", term) for term in subclasses]
    own = _values(doc.get("region"))
    plain += [("text", "region_own", code) for code in own]
    plain += [("text", "region", code) for code in region_terms(own)]
    applied = to_yyyymmdd(doc.get("application_date"))
    if applied is not None:
        plain += [("integer", "application_date", applied), ("integer", "year", applied // 10000)]
    published = to_yyyymmdd(doc.get("publication_date"))
    if published is not None:
        plain.append(("integer", "publication_date", published))
    return key, texts, plain


def materialize(prepared: tuple) -> tantivy.Document:
    key, texts, plain = prepared
    Token = tantivy.Token
    out = tantivy.Document()
    out.add_text("id", key)
    Pre = tantivy.PreTokenizedString
    last = len(texts) - 1
    for i, (name, text, tokens, stored, pairs) in enumerate(texts):
        own = list(starmap(Token, tokens))  # half the cost of [Token(*t) for t in tokens]
        out.add_pre_tokenized_text(name, Pre(text, own))
        # ALL_FIELD gets the same tokens plus the pairs, one value per field: tantivy places each value
        # after the previous one's last position; the gap token pushes the next field FIELD_GAP further.
        own += starmap(Token, pairs)
        if i < last and tokens:
            own.append(Token(GAP_TERM, tokens[-1][1] + FIELD_GAP, 0, 0))
        out.add_pre_tokenized_text(ALL_FIELD, Pre(text, own))
        if stored:
            out.add_bytes(f"src_{name}", text.encode())
    for kind, name, value in plain:
        if kind == "text":
            out.add_text(name, value)
        else:
            out.add_integer(name, value)
    return out


def build_document(doc: dict, store: Iterable[str] = STORED_TEXT) -> tantivy.Document:
    return materialize(prepare(doc, store))


# --- the index ---------------------------------------------------------------------------------------

class PatentIndex:
    """A tantivy index in `directory`. One writer at a time (a lock file guards it across processes:
    a second writer gets ValueError until the first commits or rolls back); any number of readers,
    in any process, which see a batch once it is committed (other processes within ~0.5 s)."""

    def __init__(self, directory: str | Path, *, heap_size: int = 128_000_000, num_threads: int = 0,
                 store: Iterable[str] = STORED_TEXT):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.schema = build_schema()
        self.heap_size = heap_size
        self.num_threads = num_threads
        self.store = tuple(store)
        unknown = set(self.store) - set(TEXT_FIELD_NAMES.values())
        if unknown:
            raise ValueError(f"cannot store {unknown}")
        marker = self.directory / MARKER
        current = None
        if marker.exists():
            try:
                current = json.loads(marker.read_text()).get("schema_version")
            except (ValueError, OSError):
                current = None
        fresh = not tantivy.Index.exists(str(self.directory)) or current != SCHEMA_VERSION
        if fresh and tantivy.Index.exists(str(self.directory)):
            _clear(self.directory)  # an index of another schema version: derived data, rebuilt from the DB
        self.index = tantivy.Index(self.schema, str(self.directory), reuse=not fresh)
        if fresh:
            marker.write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
        #: True when the index was (re)created empty here: the caller should rebuild it from the DB.
        self.created = fresh
        self._writer = None

    # writing ---------------------------------------------------------------------------------------

    @property
    def writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self.index.writer(self.heap_size, self.num_threads)
        return self._writer

    def add_or_update(self, docs: Iterable[dict]) -> int:
        """Replace each document by id (delete then add: idempotent). Visible after commit()."""
        writer = self.writer
        n = 0
        for doc in docs:
            prepared = prepare(doc, self.store)
            writer.delete_documents_by_term("id", prepared[0])
            writer.add_document(materialize(prepared))
            n += 1
        return n

    def add_new(self, docs: list[dict]) -> int:
        """Add documents the database has just created; the same result as add_or_update.

        Only ids the committed index already holds (an index left over from an earlier database) are deleted
        first, found with one term-set lookup: a delete per document cost about a tenth of the indexing time
        of a large import, where nearly every patent is new. Documents added since the last commit are not
        looked up — the database cannot create the same application number twice.
        """
        prepared = [prepare(doc, self.store) for doc in docs]
        present = self._present([p[0] for p in prepared])
        writer = self.writer
        for item in prepared:
            if item[0] in present:
                writer.delete_documents_by_term("id", item[0])
            writer.add_document(materialize(item))
        return len(prepared)

    def _present(self, ids: list[str]) -> set[str]:
        """Which of `ids` the committed index holds."""
        searcher = self.searcher()
        if not ids or not searcher.num_docs:
            return set()
        found = searcher.search(tantivy.Query.term_set_query(self.schema, "id", ids), len(ids))
        return {searcher.doc(address)["id"][0] for _, address in found.hits}

    def delete(self, ids: Iterable[str]) -> int:
        writer = self.writer
        n = 0
        for key in ids:
            writer.delete_documents_by_term("id", str(key).strip())
            n += 1
        return n

    def commit(self) -> None:
        """Make the pending changes durable and visible, then release the writer lock."""
        if self._writer is None:
            return
        writer, self._writer = self._writer, None
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()

    def rollback(self) -> None:
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.rollback()
            del writer

    def rebuild(self, docs: Iterable[dict]) -> int:
        """Replace the whole content with `docs`; readers see the old content until the commit."""
        self.rollback()
        writer = self.writer
        writer.delete_documents_by_query(tantivy.Query.all_query())
        n = 0
        for doc in docs:  # all of them new after the delete above: no delete per document
            writer.add_document(build_document(doc, self.store))
            n += 1
        self.commit()
        return n

    def close(self) -> None:
        self.rollback()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.commit()
        else:
            self.rollback()

    # reading ---------------------------------------------------------------------------------------

    def searcher(self) -> tantivy.Searcher:
        return self.index.searcher()

    def count(self) -> int:
        return self.searcher().num_docs

    def ids(self) -> set[str]:
        """The ids of all live documents (from the term dictionary; no document is loaded)."""
        terms = self.searcher().terms_with_prefix("id", "", filter_query=tantivy.Query.all_query())
        return {term for term, count in terms if count}

    def diff(self, expected_ids: Iterable[str]) -> tuple[set[str], set[str]]:
        """Consistency check against the database: (missing from the index, extra in the index)."""
        expected = {str(key) for key in expected_ids}
        present = self.ids()
        return expected - present, present - expected

    def compile(self, query: str | Node, searcher: tantivy.Searcher | None = None) -> tantivy.Query:
        """The tantivy query for a query string or AST (raises QuerySyntaxError on bad syntax)."""
        node = parse(query) if isinstance(query, str) else query
        return _Compiler(self.schema, searcher or self.searcher()).compile(node)

    def search(self, query: str | Node, *, limit: int = 20, offset: int = 0, sort: str = "relevance",
               facets: bool = False, facet_size: int = 20, highlight: bool = True,
               texts: Callable[[list[str]], dict[str, dict[str, str]]] | None = None) -> SearchResult:
        """Top `limit` hits from `offset`, highlighted; facet counts over all matches when asked.

        Hits: {id, score (BM25; None when sorted by date), application_date (yyyymmdd),
        highlights: {field: HTML with <em>}}: title and abstract always, the other text fields
        where they match. `texts(ids) -> {id: {field: original}}` supplies originals the index does not store (claims
        by default) for highlighting; what it returns wins over the stored text.
        """
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {SORTS}")
        node = parse(query) if isinstance(query, str) else query
        searcher = self.searcher()
        compiled = _Compiler(self.schema, searcher).compile(node)
        if sort == "relevance":
            found = searcher.search(compiled, limit, count=True, offset=offset)
        else:
            order = tantivy.Order.Desc if sort == "date_desc" else tantivy.Order.Asc
            found = searcher.search(compiled, limit, count=True, offset=offset,
                                    order_by_field="application_date", order=order)
        patterns = _highlight_patterns(node) if highlight else None
        hits, docs = [], []
        for key, address in found.hits:
            doc = searcher.doc(address)
            docs.append(doc)
            hits.append({"id": doc.get_first("id"), "score": key if sort == "relevance" else None,
                         "application_date": doc.get_first("application_date")})
        if patterns is not None:
            supplied = texts([hit["id"] for hit in hits]) if texts and hits else {}
            for hit, doc in zip(hits, docs):
                hit["highlights"] = _highlights(doc, patterns, supplied.get(hit["id"]) or {})
        result = SearchResult(total=found.count, hits=hits)
        if facets:
            result.facets = self.facet_counts(compiled, facet_size=facet_size, searcher=searcher)
        return result

    def facet_counts(self, query: str | Node | tantivy.Query, *, facet_size: int = 20,
                     searcher: tantivy.Searcher | None = None) -> dict[str, list[tuple]]:
        """{facet: [(value, count)]}: counts desc (then value), except year: newest first, all years.

        Exact as long as a value is among the top `segment_size` (>= 2000) of each index segment
        that holds it (tantivy's terms aggregation, as in Elasticsearch): only the long tail of a
        facet with more distinct values than that could be undercounted.
        """
        searcher = searcher or self.searcher()
        compiled = query if isinstance(query, tantivy.Query) else self.compile(query, searcher)
        segment_size = max(10 * facet_size, 2000)
        aggs = {name: {"terms": {"field": fld, "size": 500 if name == "year" else facet_size,
                                 "segment_size": 500 if name == "year" else segment_size}}
                for name, fld in FACETS.items()}
        raw = searcher.aggregate(compiled, aggs)
        out = {}
        for name in FACETS:
            buckets = [(b["key"], b["doc_count"]) for b in raw.get(name, {}).get("buckets", [])]
            if name == "year":
                out[name] = sorted(((int(k), c) for k, c in buckets), reverse=True)
            else:
                out[name] = sorted(buckets, key=lambda kc: (-kc[1], kc[0]))[:facet_size]
        return out


def _clear(directory: Path) -> None:
    """Remove a tantivy index's files (only those) from `directory`."""
    for path in directory.iterdir():
        if path.name == MARKER or path.name in ("meta.json", ".managed.json") or path.name.startswith(".tantivy") \
                or re.fullmatch(r"[0-9a-f]{32}\.[a-z0-9.]+", path.name):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()


# --- query compilation -------------------------------------------------------------------------------

class _Compiler:
    def __init__(self, schema: tantivy.Schema, searcher: tantivy.Searcher | None = None):
        self.schema = schema
        self.searcher = searcher  # for document frequencies (the title clause); None: always add it

    def compile(self, node: Node) -> tantivy.Query:
        if isinstance(node, Not):
            return self._boolean([], [node.child])
        return self._compile(node)

    def _compile(self, node: Node) -> tantivy.Query:
        if isinstance(node, Term):
            return self._term(node)
        if isinstance(node, Range):
            name = DATE_FIELDS[node.field]
            if node.start is None and node.end is None:
                return self._filter(tantivy.Query.exists_query(name))
            return self._filter(tantivy.Query.range_query(
                self.schema, name, tantivy.FieldType.Integer, node.start, node.end))
        if isinstance(node, And):
            positive = [c for c in node.children if not isinstance(c, Not)]
            negative = [c.child for c in node.children if isinstance(c, Not)]
            return self._boolean(positive, negative)
        if isinstance(node, Or):
            return tantivy.Query.boolean_query([(tantivy.Occur.Should, self.compile(c)) for c in node.children])
        if isinstance(node, Not):
            return self._boolean([], [node.child])
        raise TypeError(f"not a query node: {node!r}")

    def _boolean(self, positive: list[Node], negative: list[Node]) -> tantivy.Query:
        clauses = [(tantivy.Occur.Must, self._compile(c)) for c in positive]
        if not clauses:
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(tantivy.Query.all_query(), 0.0)))
        clauses += [(tantivy.Occur.MustNot, self._compile(c)) for c in negative]
        return tantivy.Query.boolean_query(clauses)

    @staticmethod
    def _filter(query: tantivy.Query) -> tantivy.Query:
        return tantivy.Query.const_score_query(query, 0.0)

    def _term(self, node: Term) -> tantivy.Query:
        kind = FIELDS[node.field][0] if node.field else "text"
        Q = tantivy.Query
        if kind == "text":
            words = query_phrase(node.text)
            if not words:
                return Q.empty_query()
            if node.field:
                return self._phrase(TEXT_FIELD_NAMES[node.field], words)
            combined = self._phrase(ALL_FIELD, shingle_phrase(words))
            if self.searcher is not None and min(
                    self.searcher.doc_freq("title", word) for _, word in words) > TITLE_CLAUSE_MAX_DOCS:
                return combined
            return Q.boolean_query([
                (tantivy.Occur.Must, combined),
                (tantivy.Occur.Should, Q.boost_query(self._phrase("title", words), TITLE_BOOST))])
        if kind == "ipc":
            prefix, star = ipc_query_prefix(node.text)
            if star and not _WHOLE_LEVEL.fullmatch(prefix):
                # Not a whole section/class/subclass (G0*, G06F1*, G06F16/3*): a regex over the term
                # dictionary, which holds every code's prefixes, so G06F1* finds G06F1/00 and G06F16/35.
                return self._filter(Q.regex_query(self.schema, "ipc", re.escape(prefix) + ".*"))
            return self._filter(Q.term_query(self.schema, "ipc", prefix))
        if kind == "region":
            return self._filter(Q.term_query(self.schema, "region", node.text))
        if kind == "keyword":
            return self._filter(Q.term_query(self.schema, KEYWORD_FIELDS[node.field], node.text.strip()))
        raise TypeError(f"cannot search field {node.field}")

    def _phrase(self, name: str, words: list[tuple[int, str]]) -> tantivy.Query:
        if len(words) == 1:
            return tantivy.Query.term_query(self.schema, name, words[0][1])
        return tantivy.Query.phrase_query(self.schema, name, words)


# --- highlighting --------------------------------------------------------------------------------------

def _highlight_patterns(node: Node) -> dict:
    """Index text field -> compiled pattern of the positive terms that apply to it."""
    by_field: dict[str, set[str]] = {name: set() for name in TEXT_FIELD_NAMES.values()}
    for term in positive_terms(node):
        if term.field is None:
            for terms in by_field.values():
                terms.add(term.text)
        elif term.field in TEXT_FIELD_NAMES:
            by_field[TEXT_FIELD_NAMES[term.field]].add(term.text)
    return {name: hl.compile_terms(terms) for name, terms in by_field.items()}


def _highlights(doc: tantivy.Document, patterns: dict, supplied: dict[str, str]) -> dict[str, str]:
    """Title and abstract always; claims, applicants and inventors where they match."""
    out = {}
    for name, pattern in patterns.items():
        text = supplied.get(name)
        if text is None:
            raw = doc.get_first(f"src_{name}")
            text = bytes(raw).decode() if raw is not None else ""
        elif not isinstance(text, str):
            text = "；".join(text)
        spans = hl.match_spans(text, pattern)
        if name in ("title", "abstract") or spans:
            out[name] = hl.highlight(text, pattern, max_chars=None if name == "title" else SNIPPET_CHARS,
                                     spans=spans)
    return out
