"""Importing patent exports: streaming, idempotent, resumable.

- Streaming: the reader yields one record at a time; rows are processed in chunks of CHUNK_ROWS.
- Idempotent: every row is hashed; a row whose hash is already stored for its application changes nothing
  ("unchanged"), so the same file twice creates and updates nothing. A newer export updates the patent and the
  change is kept as a PatentRevision; the raw row is kept with its batch.
- Resumable: each chunk commits together with the batch's counters and checkpoint (the last row number done).
  Re-running the same file after a crash finds the running batch and continues after the checkpoint; the final
  state equals one clean run.
- Nothing half-written: a chunk is one transaction.
- Fast: a chunk's new patents and all child rows are inserted with one executemany per table (insert_rows), existing
  patents are saved one by one (updates are the rare case), attribution is computed once per distinct applicant list.
- Indexed: a file of BACKGROUND_INDEX_BYTES or more is indexed while it is imported — each committed chunk's
  patents go to a helper process that owns the search index writer (search_index.BackgroundIndexer), so
  segmentation runs on another core; a smaller file is indexed after the import, in this process.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone

from ipcity.core import gcpause
from ipcity.core.audit import record
from ipcity.core.files import store_file
from ipcity.ipdata.attribution import ATTRIBUTION_RULE, attribute, clear_cache
from ipcity.ipdata.enterprises import EnterpriseMatcher
from ipcity.ipdata.models import ImportBatch, Patent, PatentParty, PatentRevision, Publication, RejectedRow, SourceRow

CHUNK_ROWS = 2000  # rows per transaction (a commit costs an fsync: 500-row chunks spent ~10 % of an import there)
# Files this large have their patents indexed while the import runs, by a helper process (search_index.
# BackgroundIndexer); smaller ones after it, in this process (starting the helper costs about a second).
BACKGROUND_INDEX_BYTES = 4 * 1024 * 1024
LOCAL_FILE_MAX_BYTES = 64 * 1024 ** 3
log = logging.getLogger(__name__)

# Patent fields a record sets when it has a value; the later record wins (history keeps the old value).
SCALAR_FIELDS = ["application_number_raw", "office", "patent_type", "title", "abstract", "claims", "description",
                 "application_date", "publication_date", "grant_date", "priority_date", "ipc_main", "ipc_raw",
                 "legal_status", "legal_status_raw", "family_id", "family_size", "cited_count", "citing_count"]
LIST_FIELDS = ["ipc", "cpc", "legal_events", "family_countries", "citations", "sei_tags"]
DATE_FIELDS = {"application_date", "publication_date", "grant_date", "priority_date"}
PARTY_ROLES = {"applicants": PatentParty.Role.APPLICANT, "patentees": PatentParty.Role.PATENTEE,
               "inventors": PatentParty.Role.INVENTOR, "agencies": PatentParty.Role.AGENCY}


def _row_hash(rec) -> str:
    payload = json.dumps({"format": rec.source_format, "raw": rec.raw}, ensure_ascii=False, sort_keys=True,
                         default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _content_hash(patent: Patent) -> str:
    data = {f: _plain(getattr(patent, f)) for f in SCALAR_FIELDS + LIST_FIELDS}
    data["extra"] = patent.extra
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def _fields(model) -> list:
    """The columns an insert writes: every concrete field but the auto primary key."""
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def insert_rows(model, rows: list[dict]) -> None:
    """INSERT rows ({attname: value}) into model's table with one executemany: what bulk_create does, without
    building a model instance and compiling SQL per row (the import's hot path). Columns a row does not give get the
    field's default; auto_now / auto_now_add fields get the current time. No signals are sent (none are connected to
    these models, and bulk_create sends none either)."""
    if not rows:
        return
    fields = _fields(model)
    now = timezone.now()
    sqlite = connection.vendor == "sqlite"
    plain = ("CharField", "TextField", "PositiveIntegerField", "PositiveSmallIntegerField", "IntegerField",
             "BooleanField", "ForeignKey")
    converters = []
    for f in fields:
        kind = f.get_internal_type()
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            stamp = f.get_db_prep_save(now, connection)
            converters.append(lambda value, stamp=stamp: stamp)
        elif kind in plain:
            converters.append(None)
        elif kind == "JSONField" and sqlite and f.encoder is None:
            # What JSONField.get_db_prep_save gives on SQLite (json.dumps), with the common empty values ready-made.
            converters.append(lambda value: "[]" if value == [] else "{}" if value == {} else
                              json.dumps(value) if value is not None else None)
        else:
            converters.append(lambda value, f=f: f.get_db_prep_save(value, connection))
    columns = list(zip([f.attname for f in fields], converters, [f.get_default() for f in fields]))
    values = []
    for row in rows:
        out = []
        for name, convert, default in columns:
            value = row[name] if name in row else default
            out.append(convert(value) if convert else value)
        values.append(out)
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


class PatentImporter:
    """Merges records into the database a chunk at a time: one query loads the chunk's existing patents and row
    hashes; new patents, parties, publications, revisions and source rows are written in bulk when the chunk is
    flushed (a patent seen twice in one chunk is inserted once, in its final state, and its revision kept)."""

    def __init__(self, batch: ImportBatch, acting_user):
        self.batch = batch
        self.acting_user = acting_user
        self.matcher = EnterpriseMatcher()
        self.attribution_rule = ATTRIBUTION_RULE.get()
        clear_cache()  # the region table may have changed since the last import in this process
        self._attribution: dict[tuple, tuple] = {}
        #: Patents created or changed by the last flushed chunk (what the search index must pick up).
        self.touched: list[Patent] = []
        #: The application numbers among them that the chunk created.
        self.touched_new: set[str] = set()
        self._reset()

    def _reset(self) -> None:
        self.patents: dict[str, Patent] = {}
        self.existing: set[int] = set()  # pks of the chunk's patents that were in the database before it
        self.known_hashes: set[tuple[str, str]] = set()  # (application number, row hash)
        self.known_publications: set[str] = set()
        # Rows to insert at flush, each with its patent: (patent, {column: value}).
        self.new_publications: dict[str, tuple[Patent, dict]] = {}
        self.new_patents: dict[str, Patent] = {}
        self.parties: dict[tuple[str, str], list[tuple[Patent, dict]]] = {}
        self.revisions: list[tuple[Patent, dict]] = []
        self.source_rows: list[tuple[Patent, dict]] = []
        self.changed: dict[str, Patent] = {}

    def prepare(self, items: list) -> None:
        numbers = {i.application_number for i in items if getattr(i, "reasons", None) is None}
        self.patents = {p.application_number: p for p in Patent.objects.filter(application_number__in=numbers)}
        by_pk = {p.pk: p.application_number for p in self.patents.values()}
        self.existing = set(by_pk)
        self.known_hashes = {(by_pk[pid], row_hash) for pid, row_hash in
                             SourceRow.objects.filter(patent_id__in=list(by_pk)).values_list("patent_id", "row_hash")}
        pubs = {pub["number"] for i in items for pub in (getattr(i, "publications", None) or [])}
        self.known_publications = set(Publication.objects.filter(number__in=pubs).values_list("number", flat=True))

    def flush(self) -> None:
        if self.new_patents:
            new = list(self.new_patents.values())
            names = [f.attname for f in _fields(Patent)]
            insert_rows(Patent, [{name: getattr(p, name) for name in names} for p in new])
            pks = dict(Patent.objects.filter(application_number__in=list(self.new_patents))
                       .values_list("application_number", "pk"))
            for patent in new:
                patent.pk = pks[patent.application_number]
                patent._state.adding, patent._state.db = False, connection.alias
        for role in {role for _, role in self.parties}:
            old = [p.pk for p in (self.patents[number] for number, r in self.parties if r == role)
                   if p.pk in self.existing]
            if old:
                PatentParty.objects.filter(patent_id__in=old, role=role).delete()
        # Child rows hold their patent until here (a new patent has no pk before the insert above).
        insert_rows(Publication, [{**row, "patent_id": patent.pk} for patent, row in self.new_publications.values()])
        insert_rows(PatentParty, [{**row, "patent_id": patent.pk} for parties in self.parties.values()
                                  for patent, row in parties])
        insert_rows(PatentRevision, [{**row, "patent_id": patent.pk} for patent, row in self.revisions])
        insert_rows(SourceRow, [{**row, "patent_id": patent.pk} for patent, row in self.source_rows])
        self.touched = list(self.changed.values())
        self.touched_new = set(self.new_patents)
        self._reset()

    def _attribute(self, applicants) -> tuple:
        """attribute() for the applicants, once per distinct (name, split fields, address) combination."""
        key = tuple((p.name, p.province, p.city, p.county, p.address) for p in applicants)
        found = self._attribution.get(key)
        if found is None:
            if len(self._attribution) > 50_000:  # bounded: memory stays flat on any file
                self._attribution.clear()
            found = self._attribution[key] = attribute(applicants, self.attribution_rule)
        return found  # the evidence dict is shared by the patents with these applicants: never mutated

    def apply(self, rec, row_hash: str) -> str:
        """Merge one record; returns "created", "updated" or "unchanged"."""
        number = rec.application_number
        patent = self.patents.get(number)
        if patent is not None and (number, row_hash) in self.known_hashes:
            return "unchanged"
        created = patent is None
        if created:
            patent = Patent(application_number=number)
        before = {f: _plain(getattr(patent, f)) for f in SCALAR_FIELDS + LIST_FIELDS} if not created else {}
        for field in SCALAR_FIELDS:
            value = getattr(rec, field, None)
            if value not in (None, ""):
                setattr(patent, field, _date(value) if field in DATE_FIELDS else value)
        for field in LIST_FIELDS:
            value = getattr(rec, field, None)
            if value:
                setattr(patent, field, list(value))
        if rec.extra:
            patent.extra = {**patent.extra, **rec.extra}
        if rec.applicants:
            patent.first_applicant = rec.applicants[0].name[:300]
            patent.region_id, patent.region_evidence = self._attribute(rec.applicants)
        patent.content_hash = _content_hash(patent)
        if patent.pk is None:
            self.new_patents[number] = patent  # inserted at flush, in its final state
        else:
            patent.save()
        self.patents[number] = patent
        self.changed[number] = patent
        self.known_hashes.add((number, row_hash))
        for pub in rec.publications:
            pub_number = pub["number"]
            if pub_number not in self.known_publications and pub_number not in self.new_publications:
                self.new_publications[pub_number] = (patent, {"number": pub_number, "kind": pub.get("kind") or "",
                                                              "date": _date(pub.get("date"))})
        for attr, role in PARTY_ROLES.items():
            parties = getattr(rec, attr, None) or []
            if parties:  # a record that lists a role's parties replaces them, in order
                match = role in (PatentParty.Role.APPLICANT, PatentParty.Role.PATENTEE)
                self.parties[(number, role)] = [
                    (patent, {"role": role, "order": i, "name": p.name[:300], "raw": (p.raw or "")[:300],
                              "address": (p.address or "")[:300],
                              "organisation_id": self.matcher.match(p.name, p.uscc) if match else None})
                    for i, p in enumerate(parties)]
        self.source_rows.append((patent, {"batch_id": self.batch.pk, "row_number": rec.row_number,
                                          "row_hash": row_hash, "raw": rec.raw,
                                          "warnings": list(getattr(rec, "warnings", None) or [])}))
        if created:
            return "created"
        after = {f: _plain(getattr(patent, f)) for f in SCALAR_FIELDS + LIST_FIELDS}
        changes = {f: [before[f], after[f]] for f in after if before[f] != after[f]}
        if changes:
            self.revisions.append((patent, {"batch_id": self.batch.pk, "changes": changes}))
            return "updated"
        return "unchanged"

    def apply_item(self, item) -> str:
        return self.apply(item, _row_hash(item))


def commit_chunk(batch: ImportBatch, items: list, apply: Callable, prepare: Callable | None = None,
                 flush: Callable | None = None) -> None:
    """Apply a chunk of items (records or RowErrors) and move the checkpoint, in one transaction."""
    with transaction.atomic():
        if prepare:
            prepare(items)
        counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        for item in items:
            if getattr(item, "reasons", None) is not None:  # a row error
                RejectedRow.objects.update_or_create(batch=batch, row_number=item.row_number,
                                                     defaults={"reasons": item.reasons, "raw": item.raw})
                counts["rejected"] += 1
            else:
                counts[apply(item)] += 1
        if flush:
            flush()
        batch.read += len(items)
        for key, value in counts.items():
            setattr(batch, key, getattr(batch, key) + value)
        batch.checkpoint = items[-1].row_number
        batch.save(update_fields=["read", "created", "updated", "unchanged", "rejected", "checkpoint"])


def run_batch(batch: ImportBatch, items, apply: Callable, *, progress: Callable | None = None,
              chunk_rows: int = CHUNK_ROWS, prepare: Callable | None = None, flush: Callable | None = None,
              committed: Callable | None = None) -> None:
    """Stream items into the batch from its checkpoint on (rows up to it were committed before a crash).
    `committed()` is called after each chunk's transaction has committed.

    Automatic garbage collection is paused for the run and done once per chunk instead (core.gcpause: it was a
    fifth to a third of the importer's CPU)."""
    chunk: list = []
    with gcpause.collection_paused():
        for item in items:
            if item.row_number <= batch.checkpoint:
                continue
            chunk.append(item)
            if len(chunk) >= chunk_rows:
                commit_chunk(batch, chunk, apply, prepare, flush)
                chunk = []
                if committed:
                    committed()
                gcpause.collect()
                if progress:
                    progress(batch.read, None, f"已处理 {batch.read} 行")
        if chunk:
            commit_chunk(batch, chunk, apply, prepare, flush)
            if committed:
                committed()


def start_or_resume(stored, *, acting_user, source_format: str, mapping: dict | None,
                    kind: str = "patents") -> ImportBatch:
    running = ImportBatch.objects.filter(file=stored, kind=kind, status=ImportBatch.Status.RUNNING).first()
    if running is not None:
        return running
    batch = ImportBatch.objects.create(file=stored, kind=kind, source_format=source_format, mapping=mapping,
                                       created_by=acting_user if getattr(acting_user, "pk", None) else None)
    record("ipdata.import_start", acting_user=acting_user, obj=batch,
           changes={"file": stored.original_name, "sha256": stored.sha256, "format": source_format})
    return batch


def import_patents(path, *, acting_user, source_format: str = "auto", mapping: dict | None = None,
                   progress: Callable | None = None, chunk_rows: int = CHUNK_ROWS,
                   display_name: str | None = None) -> ImportBatch:
    """Import one export file. Returns the finished batch (counts, rejected rows)."""
    from ipcity.ipdata.readers import ReaderError, detect_format, read_records

    path = Path(path)
    if mapping and source_format == "auto":
        source_format = "generic"  # a saved column mapping is for generic tables
    try:
        fmt = detect_format(path) if source_format == "auto" else source_format
    except ReaderError as exc:
        raise ValidationError(str(exc), code="unknown_format") from exc
    with path.open("rb") as f:
        # The web upload limit (IPCITY_UPLOAD_MAX_BYTES) was applied when a web upload was received; a file given on
        # the command line is the operator's own, and full national exports run to gigabytes.
        stored = store_file(File(f, name=display_name or path.name), acting_user=acting_user,
                            max_bytes=LOCAL_FILE_MAX_BYTES)
    batch = start_or_resume(stored, acting_user=acting_user, source_format=fmt, mapping=mapping)
    importer = PatentImporter(batch, acting_user)
    indexer = _background_indexer(batch) if path.stat().st_size >= BACKGROUND_INDEX_BYTES else None
    committed = (lambda: indexer.add(importer.touched, importer.touched_new)) if indexer else None
    try:
        # Read the caller's file (it has its real name and extension, which readers use); the stored copy is
        # byte-identical and stays with the batch.
        run_batch(batch, read_records(path, format=fmt, mapping=mapping), importer.apply_item,
                  progress=progress, chunk_rows=chunk_rows, prepare=importer.prepare, flush=importer.flush,
                  committed=committed)
    except ReaderError as exc:
        if indexer:
            indexer.abort()
        finish(batch, ImportBatch.Status.FAILED, str(exc), acting_user)
        raise ValidationError(str(exc), code="unreadable") from exc
    except BaseException:
        if indexer:
            indexer.abort()  # what was sent came from committed chunks: keep it
        raise
    finish(batch, ImportBatch.Status.DONE, "", acting_user)
    if indexer:
        _finish_index(batch, indexer)
    else:
        _update_index(batch)
    if progress:
        progress(batch.read, batch.read, "完成")
    return batch


def _update_index(batch: ImportBatch) -> None:
    """The database is the record; the search index is derived. A failure here is reported on the batch and fixed
    by `ipcity search --rebuild` — never a reason to undo the import."""
    from ipcity.ipdata.search_index import update_for_batch

    try:
        update_for_batch(batch)
    except Exception as exc:  # noqa: BLE001 — logged and shown; the import itself stands
        log.exception("search index update failed for batch %s", batch.pk)
        ImportBatch.objects.filter(pk=batch.pk).update(
            message=f"检索索引更新失败（{type(exc).__name__}），请运行 ipcity search --rebuild"[:300])


def _background_indexer(batch: ImportBatch):
    """A started BackgroundIndexer, or None (then the index is updated after the import, as for small files)."""
    from ipcity.ipdata.search_index import BackgroundIndexer

    indexer = BackgroundIndexer(batch)
    try:
        indexer.start()
    except Exception:  # noqa: BLE001 — fall back to the update after the import
        log.exception("could not start the background indexer for batch %s", batch.pk)
        if indexer.proc is not None:
            indexer.abort()
        return None
    return indexer


def _finish_index(batch: ImportBatch, indexer) -> None:
    try:
        indexer.finish()
    except Exception as exc:  # noqa: BLE001 — logged and shown; the import itself stands
        log.exception("search index update failed for batch %s", batch.pk)
        ImportBatch.objects.filter(pk=batch.pk).update(
            message=f"检索索引更新失败（{type(exc).__name__}），请运行 ipcity search --rebuild"[:300])


def finish(batch: ImportBatch, status: str, message: str, acting_user) -> None:
    with transaction.atomic():
        batch.status, batch.message, batch.finished_at = status, message[:300], timezone.now()
        batch.save(update_fields=["status", "message", "finished_at"])
        record("ipdata.import_finish", acting_user=acting_user, obj=batch,
               outcome="success" if status == ImportBatch.Status.DONE else "failure", changes=batch.summary())
