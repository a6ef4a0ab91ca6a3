"""Keeping the patent search index (ipcity.search, files under IPCITY_SEARCH_DIR) consistent with the database:
updated after each import batch, rebuilt on demand, checked by comparing the sets of application numbers.

A large import feeds the index while it runs (`BackgroundIndexer`): each committed chunk's patents go, as plain
document dicts, down a pipe to a helper process that owns the index writer and commits every HELPER_COMMIT_DOCS
documents and at the end. The segmentation then runs on the second core while the import reads and writes the
database on the first; the pipe blocks when the helper is behind, so nothing piles up in the importer. The helper
imports this module without Django set up, which is why the models are imported inside the functions here.
"""
from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)
CHUNK = 2000
# The helper commits after this many documents (and at the end): the writer keeps every delete-by-id since its last
# commit for the segments flushed meanwhile, so an import of millions of rows committed once would grow in memory.
HELPER_COMMIT_DOCS = 100_000
# The Patent columns a search document needs (documents() loads only these: not the description, the other JSON
# fields or the evidence).
DOCUMENT_FIELDS = ("application_number", "title", "abstract", "claims", "patent_type", "legal_status",
                   "application_date", "publication_date", "ipc", "region")


def index_directory() -> Path:
    return Path(getattr(settings, "IPCITY_SEARCH_DIR", None) or Path(settings.IPCITY_HOME) / "search" / "patents")


def open_index():
    from ipcity.search.index import PatentIndex

    return PatentIndex(index_directory())


def _documents(patents: list) -> list[dict]:
    from ipcity.ipdata.models import PatentParty

    names: dict[tuple[int, str], list[str]] = {}
    regions: dict[int, set[str]] = {}
    for pid, role, name, region in (PatentParty.objects.filter(patent__in=patents, role__in=["applicant", "inventor"])
                                    .order_by("patent_id", "role", "order")
                                    .values_list("patent_id", "role", "name", "region_id")):
        names.setdefault((pid, role), []).append(name)
        if region:
            regions.setdefault(pid, set()).add(region)
    docs = []
    for p in patents:
        own_regions = regions.get(p.pk, set()) | ({p.region_id} if p.region_id else set())
        docs.append({"id": p.application_number, "title": p.title, "abstract": p.abstract, "claims": p.claims,
                     "applicants": names.get((p.pk, "applicant"), []), "inventors": names.get((p.pk, "inventor"), []),
                     "patent_type": p.patent_type, "legal_status": p.legal_status,
                     "application_date": p.application_date, "publication_date": p.publication_date,
                     "ipc": p.ipc, "region": sorted(own_regions)})
    return docs


def documents(queryset=None) -> Iterator[dict]:
    from ipcity.ipdata.models import Patent

    queryset = (queryset if queryset is not None else Patent.objects.all()).only(*DOCUMENT_FIELDS).order_by("pk")
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        yield from _documents(chunk)
        last = chunk[-1].pk


def update_for_batch(batch) -> int:
    """Re-index the patents a batch created or changed (their rows are in SourceRow for that batch)."""
    from ipcity.ipdata.models import Patent, SourceRow

    ids = SourceRow.objects.filter(batch=batch).values("patent_id")
    index = open_index()
    if index.created:  # a new or schema-changed index: fill it from the database first
        return rebuild(index)
    count = index.add_or_update(documents(Patent.objects.filter(pk__in=ids)))
    index.commit()
    return count


def rebuild(index=None) -> int:
    index = index or open_index()
    count = index.rebuild(documents())
    return count


def check() -> tuple[set[str], set[str]]:
    """(in the database but not the index, in the index but not the database)."""
    from ipcity.ipdata.models import Patent

    index = open_index()
    return index.diff(Patent.objects.values_list("application_number", flat=True))


def search(query: str, *, limit: int = 20, offset: int = 0, sort: str = "relevance", facets: bool = False):
    """Run a query; hits carry the application number, date, title, applicants and highlights."""
    from ipcity.ipdata.models import Patent

    index = open_index()
    if index.created:
        rebuild(index)
    result = index.search(query, limit=limit, offset=offset, sort=sort, facets=facets,
                          texts=lambda ids: {p.application_number: {"claims": p.claims} for p in
                                             Patent.objects.filter(application_number__in=ids).only(
                                                 "application_number", "claims")})
    return result


# --- feeding the index while an import runs --------------------------------------------------------------------------

class BackgroundIndexer:
    """Indexes an import's patents chunk by chunk in a helper process (`python -c ... _index_worker DIR`).

    start() opens the index: a new (or schema-changed) index is first filled with every patent already in the
    database, a resumed batch first sends the patents its earlier run committed. add(patents) sends the patents of a
    committed chunk; finish() has the helper commit and returns the number of documents written (raising
    IndexingFailed if the helper failed). The database stays the record: a failure is reported, never undone.
    """

    def __init__(self, batch):
        self.batch = batch
        self.proc: subprocess.Popen | None = None
        self.error: str | None = None
        self.sent = 0

    def start(self) -> None:
        from ipcity.ipdata.models import Patent, SourceRow

        directory = index_directory()
        index = open_index()  # creates the directory and the schema marker, so the helper opens it as it is
        created = index.created
        del index
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from ipcity.ipdata.search_index import _index_worker; _index_worker()",
             str(directory), str(HELPER_COMMIT_DOCS)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        if created:
            for docs in _document_chunks(Patent.objects.all()):
                self._send(docs, new=True)
        elif self.batch.checkpoint:
            ids = SourceRow.objects.filter(batch=self.batch).values("patent_id")
            for docs in _document_chunks(Patent.objects.filter(pk__in=ids)):
                self._send(docs)

    def add(self, patents: list, new: set[str] = frozenset()) -> None:
        """Send a committed chunk's patents; `new`: the application numbers the chunk created."""
        if patents:
            docs = _documents(patents)
            self._send([d for d in docs if d["id"] in new], new=True)
            self._send([d for d in docs if d["id"] not in new])

    def _send(self, docs: list[dict], new: bool = False) -> None:
        if self.error is not None or not docs:
            return
        try:
            pickle.dump(("new" if new else "docs", docs), self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.sent += len(docs)
        except (BrokenPipeError, OSError) as exc:  # the helper died: its own message, if any, comes at finish()
            self.error = f"{type(exc).__name__}"

    def finish(self) -> int:
        """Commit and wait for the helper; the count of documents written."""
        reply = None
        try:
            if self.error is None:
                pickle.dump(("commit", None), self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.proc.stdin.close()
            reply = pickle.load(self.proc.stdout)
        except (BrokenPipeError, OSError, EOFError, pickle.UnpicklingError) as exc:
            self.error = self.error or type(exc).__name__
        finally:
            self.proc.wait()
        if reply and reply[0] == "done" and self.error is None:
            return reply[1]
        raise IndexingFailed(reply[1] if reply and reply[0] == "error" else (self.error or "helper exited"))

    def abort(self) -> None:
        """After a failed import: commit what was sent (all of it from committed chunks), never raise."""
        try:
            self.finish()
        except Exception:  # noqa: BLE001 — the import's own error is the one to report
            log.exception("search index update after a failed import")


class IndexingFailed(RuntimeError):
    pass


def _document_chunks(queryset) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for doc in documents(queryset):
        chunk.append(doc)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _index_worker() -> None:
    """The helper process (argv: index directory, documents per commit).

    Reads ("docs", [...]) messages (or ("new", [...]): patents the database has just created) from stdin into the
    index, commits on ("commit", None) and answers ("done", count) or ("error", text) on stdout. Needs no Django:
    only ipcity.search and ipcity.core.gcpause (neither imports Django)."""
    from ipcity.core import gcpause

    # Automatic garbage collection off, one collection per message: it cost about a fifth of the analysis (the
    # helper allocates a few hundred tuples per document, all freed by reference counting).
    with gcpause.collection_paused():
        _serve_index_messages()


def _serve_index_messages() -> None:
    from ipcity.core import gcpause
    from ipcity.search.index import PatentIndex

    stdin = sys.stdin.buffer
    stdout = os.fdopen(os.dup(1), "wb")  # the reply channel; anything a library prints goes to stderr instead
    os.dup2(2, 1)
    error, count, index, since_commit = None, 0, None, 0
    commit_docs = int(sys.argv[2]) if len(sys.argv) > 2 else HELPER_COMMIT_DOCS
    try:
        index = PatentIndex(sys.argv[1])
    except Exception as exc:  # noqa: BLE001 — reported to the importer
        error = f"{type(exc).__name__}: {exc}"
    while True:
        try:
            kind, payload = pickle.load(stdin)
        except EOFError:
            kind, payload = "commit", None  # the importer went away: keep what it sent
        if kind in ("docs", "new"):
            if error is None:
                try:
                    added = index.add_new(payload) if kind == "new" else index.add_or_update(payload)
                    count += added
                    since_commit += added
                    if since_commit >= commit_docs:  # what was sent is committed in the database already
                        index.commit()
                        since_commit = 0
                except Exception as exc:  # noqa: BLE001
                    error = f"{type(exc).__name__}: {exc}"
                    index.rollback()
            del payload
            gcpause.collect()
            continue
        if error is None:
            try:
                index.commit()
            except Exception as exc:  # noqa: BLE001
                error = f"{type(exc).__name__}: {exc}"
        pickle.dump(("error", error) if error else ("done", count), stdout)
        stdout.flush()
        return
