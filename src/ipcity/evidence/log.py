"""Appending to the evidence log (存证) and reading its tree.

`append` / `append_many` run inside the caller's transaction: the entries commit or roll back with the change they
evidence. They lock the log's head row (SELECT … FOR UPDATE), so indexes are dense and in commit order. Each leaf is
the canonical JSON of the entry's content plus its kind, time and recorder — hashes and codes only, never personal
data (callers hash or salt what is guessable).

The Merkle tree files are written by the background worker (`sync_tree`, on every turn) and brought in line with the
entries whenever they are read (`locked_tree`): under a file lock shared by every process of the installation, the files are cut back where they
run ahead of or apart from the entries (a rolled-back transaction, a restored database) and the missing leaves are
appended from the database.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from django.utils import timezone

from ipcity.evidence import merkle
from ipcity.evidence.checkpoint import Ed25519Signer
from ipcity.evidence.models import EvidenceEntry, LogHead
from ipcity.evidence.standalone import canonical
from ipcity.evidence.tree import TreeStore

RESERVED = frozenset({"kind", "recorded_at", "recorded_by"})
SYNC_CHUNK = 50_000


@dataclass(frozen=True)
class Item:
    """One entry to append: its kind, its content (JSON-safe; no personal data) and the object it is about."""

    kind: str
    content: dict
    subject: object = None


# --- the log's identity ----------------------------------------------------------------------------------------

def _private_key() -> bytes:
    from ipcity.core.crypto import parse_key

    return parse_key(settings.IPCITY_EVIDENCE_KEY)


def default_origin() -> str:
    """The origin line of an installation that set none: unique per signing key, stable for its life."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    public = Ed25519PrivateKey.from_private_bytes(_private_key()).public_key().public_bytes(Encoding.Raw,
                                                                                           PublicFormat.Raw)
    return f"ipcity-evidence-{hashlib.sha256(public).hexdigest()[:12]}"


def head(*, lock: bool = False) -> LogHead:
    """The log's head row (created on first use with the configured origin and algorithm)."""
    queryset = LogHead.objects.select_for_update() if lock else LogHead.objects
    found = queryset.filter(pk=1).first()
    if found is None:
        algorithm = settings.IPCITY_EVIDENCE_ALGORITHM
        if algorithm not in merkle.ALGORITHMS:
            raise ValueError(f"不支持的存证哈希算法：{algorithm}（可选 {', '.join(merkle.ALGORITHMS)}）")
        LogHead.objects.get_or_create(pk=1, defaults={"origin": settings.IPCITY_EVIDENCE_ORIGIN or default_origin(),
                                                      "algorithm": algorithm})
        found = queryset.get(pk=1)
    return found


def signer(log: LogHead | None = None) -> Ed25519Signer:
    return Ed25519Signer((log or head()).origin, _private_key())


# --- appending -------------------------------------------------------------------------------------------------

def _recorder(acting_user) -> str:
    """Who recorded an entry, as the leaf states it: a role and a user id (no names)."""
    if acting_user is None:
        return "system"
    if not getattr(acting_user, "is_authenticated", False):
        return "public"
    return f"{getattr(acting_user, 'role', '') or 'user'}:{acting_user.pk}"


def leaf_bytes(kind: str, content: dict, *, recorded_at: dt.datetime, recorded_by: str) -> bytes:
    clash = RESERVED & set(content)
    if clash:
        raise ValueError(f"content may not set {sorted(clash)}")
    when = recorded_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return canonical({**content, "kind": kind, "recorded_at": when, "recorded_by": recorded_by})


def append_many(items: Iterable[Item], *, acting_user=None) -> list[EvidenceEntry]:
    """Append entries in order; inside the caller's transaction (joined, not a savepoint)."""
    items = list(items)
    if not items:
        return []
    with transaction.atomic(savepoint=False):
        log = head(lock=True)
        now = timezone.now()
        by = _recorder(acting_user)
        actor = acting_user if getattr(acting_user, "is_authenticated", False) else None
        types: dict[type, ContentType] = {}
        leaf = merkle.hasher(log.algorithm)
        entries = []
        for offset, item in enumerate(items):
            data = leaf_bytes(item.kind, item.content, recorded_at=now, recorded_by=by)
            subject_type, subject_id = None, ""
            if item.subject is not None:
                model = type(item.subject)
                if model not in types:
                    types[model] = ContentType.objects.get_for_model(model)
                subject_type, subject_id = types[model], str(item.subject.pk)
            entries.append(EvidenceEntry(
                index=log.size + offset, kind=item.kind, leaf_data=data.decode("utf-8"),
                leaf_hash=leaf(b"\x00" + data).hex(), recorded_at=now, actor=actor,
                subject_type=subject_type, subject_id=subject_id))
        _insert(entries)
        LogHead.objects.filter(pk=1).update(size=log.size + len(entries))
    return entries


_COLUMNS = ("index", "kind", "leaf_data", "leaf_hash", "recorded_at", "actor_id", "subject_type_id", "subject_id")


def _insert(entries: list[EvidenceEntry]) -> None:
    """One executemany for the rows, then their ids in one read: bulk_create compiled its SQL per batch of a few
    hundred rows (SQLite's parameter limit) and quoted PostgreSQL's UNNEST arrays in Python — most of an append's
    cost (bench/bench_evidence_log.py)."""
    connection = connections[EvidenceEntry.objects.db]
    quote = connection.ops.quote_name
    table = quote(EvidenceEntry._meta.db_table)
    when = EvidenceEntry._meta.get_field("recorded_at").get_db_prep_save(entries[0].recorded_at, connection)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(quote(c) for c in _COLUMNS)}) VALUES ({', '.join(['%s'] * 8)})",
            [(e.index, e.kind, e.leaf_data, e.leaf_hash, when, e.actor_id, e.subject_type_id, e.subject_id)
             for e in entries])
        cursor.execute(f"SELECT {quote('index')}, id FROM {table} WHERE {quote('index')} BETWEEN %s AND %s",
                       [entries[0].index, entries[-1].index])
        ids = dict(cursor.fetchall())
    for entry in entries:
        entry.pk = ids[entry.index]
        entry._state.adding, entry._state.db = False, connection.alias


def append(kind: str, content: dict, *, acting_user=None, subject=None) -> EvidenceEntry:
    """Append one entry (see contracts: the caller's transaction, JSON-safe content, no personal data)."""
    (entry,) = append_many([Item(kind, content, subject)], acting_user=acting_user)
    return entry


def entries_for(obj):
    """The entries about one object, oldest first."""
    return EvidenceEntry.objects.filter(subject_type=ContentType.objects.get_for_model(type(obj)),
                                        subject_id=str(obj.pk)).order_by("index")


# --- the tree files --------------------------------------------------------------------------------------------

_trees: dict[tuple[str, str], TreeStore] = {}
_trees_lock = threading.Lock()


def _directory() -> Path:
    return Path(settings.IPCITY_EVIDENCE_DIR) / "tree"


def _leaf_hash_at(index: int) -> bytes | None:
    connection = connections[EvidenceEntry.objects.db]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:  # plain SQL: every proof asks this once, and the ORM was most of its cost
        cursor.execute(f"SELECT leaf_hash FROM {quote(EvidenceEntry._meta.db_table)} WHERE {quote('index')} = %s",
                       [index])
        row = cursor.fetchone()
    return bytes.fromhex(row[0]) if row else None


def _size_and_algorithm() -> tuple[int, str]:
    connection = connections[LogHead.objects.db]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT size, algorithm FROM {connection.ops.quote_name(LogHead._meta.db_table)} "
                       "WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        log = head()
        return log.size, log.algorithm
    return row[0], row[1]


def _common_prefix(tree: TreeStore, size: int) -> int:
    """How many leading leaves the files and the entries agree on (a divergence runs to the end)."""
    if size == 0 or tree.leaf(size - 1) == _leaf_hash_at(size - 1):
        return size
    lo, hi = 0, size - 1  # leaves [0, lo) agree; leaf hi disagrees
    while lo < hi:
        mid = (lo + hi) // 2
        if tree.leaf(mid) == _leaf_hash_at(mid):
            lo = mid + 1
        else:
            hi = mid
    return lo


def _bring_in_line(tree: TreeStore, size: int) -> None:
    tree.refresh()
    if tree.size > size:
        tree.truncate(size)
    agreed = _common_prefix(tree, tree.size)
    if agreed < tree.size:
        tree.truncate(agreed)
    while tree.size < size:
        hashes = list(EvidenceEntry.objects.filter(index__gte=tree.size, index__lt=min(size, tree.size + SYNC_CHUNK))
                      .order_by("index").values_list("leaf_hash", flat=True))
        if not hashes:
            raise RuntimeError(f"存证记录第 {tree.size + 1} 条缺失")
        tree.append([bytes.fromhex(h) for h in hashes])


@contextlib.contextmanager
def locked_tree() -> Iterator[TreeStore]:
    """The tree, in line with the entries this transaction sees, held under the installation-wide file lock."""
    size, algorithm = _size_and_algorithm()
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "a+b") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            key = (str(directory), algorithm)
            with _trees_lock:
                tree = _trees.get(key)
                if tree is None:
                    tree = _trees[key] = TreeStore(directory, algorithm)
            _bring_in_line(tree, size)
            yield tree
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


_synced: dict[str, int] = {}


def sync_tree() -> int:
    """Write the leaves committed since the last look to the tree files; -> how many. The background worker runs it
    on every turn (reads bring the files in line themselves), so no request waits for the files' fsync."""
    size, _ = _size_and_algorithm()
    directory = str(_directory())
    if _synced.get(directory) == size:
        return 0  # one query when nothing was appended
    with locked_tree() as tree:
        before = _synced.get(directory, tree.size)
        _synced[directory] = tree.size
        return max(tree.size - before, 0)


def forget_open_trees() -> None:
    """Close the cached tree files (tests that switch IPCITY_EVIDENCE_DIR; a restore)."""
    with _trees_lock:
        for tree in _trees.values():
            tree.close()
        _trees.clear()
        _synced.clear()


# --- proofs ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InclusionProof:
    index: int
    size: int
    root: bytes
    path: list[bytes]


def inclusion_proof(entry: EvidenceEntry, size: int) -> InclusionProof:
    with locked_tree() as tree:
        return InclusionProof(entry.index, size, tree.root(size), tree.inclusion_proof(entry.index, size))


def consistency_proof(size1: int, size2: int) -> list[bytes]:
    with locked_tree() as tree:
        return tree.consistency_proof(size1, size2)
