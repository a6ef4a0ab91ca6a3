"""Importing patent exports: streaming, idempotent, resumable.

- Streaming: the reader yields one record at a time; rows are processed in chunks of CHUNK_ROWS.
- Idempotent: every row is hashed; a row whose hash is already stored for its application changes nothing
  ("unchanged"), so the same file twice creates and updates nothing. A newer export updates the patent and the
  change is kept as a PatentRevision; the raw row is kept with its batch.
- Resumable: each chunk commits together with the batch's counters and checkpoint (the last row number done).
  Re-running the same file after a crash finds the running batch and continues after the checkpoint; the final
  state equals one clean run.
- Nothing half-written: a chunk is one transaction.
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
from django.db import transaction
from django.utils import timezone

from ipcity.core.audit import record
from ipcity.core.files import file_path, store_file
from ipcity.ipdata.attribution import ATTRIBUTION_RULE, attribute, clear_cache
from ipcity.ipdata.enterprises import EnterpriseMatcher
from ipcity.ipdata.models import ImportBatch, Patent, PatentParty, PatentRevision, Publication, RejectedRow, SourceRow

CHUNK_ROWS = 500
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


class PatentImporter:
    """Merges records into the database a chunk at a time: one query loads the chunk's existing patents and row
    hashes, parties, publications and source rows are written in bulk when the chunk is flushed."""

    def __init__(self, batch: ImportBatch, acting_user):
        self.batch = batch
        self.acting_user = acting_user
        self.matcher = EnterpriseMatcher()
        self.attribution_rule = ATTRIBUTION_RULE.get()
        clear_cache()  # the region table may have changed since the last import in this process
        self._reset()

    def _reset(self) -> None:
        self.patents: dict[str, Patent] = {}
        self.known_hashes: set[tuple[int, str]] = set()
        self.known_publications: set[str] = set()
        self.new_publications: dict[str, Publication] = {}
        self.parties: dict[tuple[int, str], list[PatentParty]] = {}
        self.source_rows: list[SourceRow] = []

    def prepare(self, items: list) -> None:
        numbers = {i.application_number for i in items if getattr(i, "reasons", None) is None}
        self.patents = {p.application_number: p for p in Patent.objects.filter(application_number__in=numbers)}
        ids = [p.pk for p in self.patents.values()]
        self.known_hashes = set(SourceRow.objects.filter(patent_id__in=ids).values_list("patent_id", "row_hash"))
        pubs = {pub["number"] for i in items for pub in (getattr(i, "publications", None) or [])}
        self.known_publications = set(Publication.objects.filter(number__in=pubs).values_list("number", flat=True))

    def flush(self) -> None:
        Publication.objects.bulk_create(self.new_publications.values())
        for role in {role for _, role in self.parties}:
            PatentParty.objects.filter(patent_id__in=[pid for pid, r in self.parties if r == role], role=role).delete()
        PatentParty.objects.bulk_create([party for parties in self.parties.values() for party in parties])
        SourceRow.objects.bulk_create(self.source_rows)
        self._reset()

    def apply(self, rec, row_hash: str) -> str:
        """Merge one record; returns "created", "updated" or "unchanged"."""
        patent = self.patents.get(rec.application_number)
        if patent is not None and (patent.pk, row_hash) in self.known_hashes:
            return "unchanged"
        created = patent is None
        if created:
            patent = Patent(application_number=rec.application_number)
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
            code, evidence = attribute(rec.applicants, self.attribution_rule)
            patent.region_id, patent.region_evidence = code, evidence
        patent.content_hash = _content_hash(patent)
        patent.save()
        self.patents[rec.application_number] = patent
        self.known_hashes.add((patent.pk, row_hash))
        for pub in rec.publications:
            number = pub["number"]
            if number not in self.known_publications and number not in self.new_publications:
                self.new_publications[number] = Publication(patent=patent, number=number, kind=pub.get("kind") or "",
                                                            date=_date(pub.get("date")))
        for attr, role in PARTY_ROLES.items():
            parties = getattr(rec, attr, None) or []
            if parties:  # a record that lists a role's parties replaces them, in order
                self.parties[(patent.pk, role)] = [
                    PatentParty(patent=patent, role=role, order=i, name=p.name[:300], raw=(p.raw or "")[:300],
                                address=(p.address or "")[:300],
                                organisation_id=self.matcher.match(p.name, p.uscc)
                                if role in (PatentParty.Role.APPLICANT, PatentParty.Role.PATENTEE) else None)
                    for i, p in enumerate(parties)]
        self.source_rows.append(SourceRow(patent=patent, batch=self.batch, row_number=rec.row_number,
                                          row_hash=row_hash, raw=rec.raw))
        if created:
            return "created"
        after = {f: _plain(getattr(patent, f)) for f in SCALAR_FIELDS + LIST_FIELDS}
        changes = {f: [before[f], after[f]] for f in after if before[f] != after[f]}
        if changes:
            PatentRevision.objects.create(patent=patent, batch=self.batch, changes=changes)
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
              chunk_rows: int = CHUNK_ROWS, prepare: Callable | None = None, flush: Callable | None = None) -> None:
    """Stream items into the batch from its checkpoint on (rows up to it were committed before a crash)."""
    chunk: list = []
    for item in items:
        if item.row_number <= batch.checkpoint:
            continue
        chunk.append(item)
        if len(chunk) >= chunk_rows:
            commit_chunk(batch, chunk, apply, prepare, flush)
            chunk = []
            if progress:
                progress(batch.read, None, f"已处理 {batch.read} 行")
    if chunk:
        commit_chunk(batch, chunk, apply, prepare, flush)


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
        stored = store_file(File(f, name=display_name or path.name), acting_user=acting_user)
    batch = start_or_resume(stored, acting_user=acting_user, source_format=fmt, mapping=mapping)
    importer = PatentImporter(batch, acting_user)
    try:
        # Read the caller's file (it has its real name and extension, which readers use); the stored copy is
        # byte-identical and stays with the batch.
        run_batch(batch, read_records(path, format=fmt, mapping=mapping), importer.apply_item,
                  progress=progress, chunk_rows=chunk_rows, prepare=importer.prepare, flush=importer.flush)
    except ReaderError as exc:
        finish(batch, ImportBatch.Status.FAILED, str(exc), acting_user)
        raise ValidationError(str(exc), code="unreadable") from exc
    finish(batch, ImportBatch.Status.DONE, "", acting_user)
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


def finish(batch: ImportBatch, status: str, message: str, acting_user) -> None:
    with transaction.atomic():
        batch.status, batch.message, batch.finished_at = status, message[:300], timezone.now()
        batch.save(update_fields=["status", "message", "finished_at"])
        record("ipdata.import_finish", acting_user=acting_user, obj=batch,
               outcome="success" if status == ImportBatch.Status.DONE else "failure", changes=batch.summary())
