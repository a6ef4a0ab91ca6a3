"""Evidence log in the database: appending entries through the real path and inclusion proofs through it, against
raw hashlib and the bare database engine doing the same storing work, in the same run.

    python bench/bench_evidence_log.py [--entries 500000] [--batch 2000] [--proofs 2000] [--fill-to 10000000]
    IPCITY_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipcity_bench_evidence python bench/bench_evidence_log.py
    python bench/bench_evidence_log.py --profile --entries 40000     # where the real path's time goes (cProfile)

Always a throwaway installation: a fresh IPCITY_HOME (removed after, unless --keep) and, for PostgreSQL, the named
scratch database, dropped and created afresh by this script and dropped after (never `ipcity` or `test_*`).

* append, real path: N entries shaped like the protection module's evidence-file captures (`sinks.content_of` of a
  `Capture`: tracking number, captured_at, captured_by, method, files [{name, sha256}]; subject a Submission),
  `--batch` entries per transaction: `with transaction.atomic(): log.append_many(items)` — head-row lock, canonical
  JSON, leaf hash, INSERT, head update, COMMIT, then the tree sync the background worker runs (`log.sync_tree`: file
  lock, the new leaves read back from the database and appended to the level files, fsync). The Items are built outside the timing.
* baselines, interleaved batch by batch with the real path (same load for all three):
  (a) raw hashlib: sha256(0x00 ‖ canonical bytes) of the same entries, nothing stored — the hashing floor;
  (b) bare engine: the same hashing plus the same rows (same columns, same indexes: the table's own DDL copied)
      inserted by the DB driver's executemany (sqlite3 / psycopg) into a scratch table, one transaction per batch.
* proofs at the full size: `log.inclusion_proof(entry, size)` for random entries (head query, file lock, the
  files checked against the entries, root and path), p50/p99; the tree alone (`TreeStore.inclusion_proof`) and
  verifying the proof (`merkle.verify_inclusion`, raw hashlib work) for comparison. Every proof is verified once.
* --fill-to M: then the bare engine (executemany on SQLite, COPY on PostgreSQL) adds correct entries up to M
  (dense indexes, canonical leaf_data, leaf_hash = H(0x00 ‖ leaf_data), LogHead.size = M) without touching the tree
  files; the first read through the real path then syncs the tree (timed), and the proofs are timed again at M.
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from urllib.parse import urlparse

from common import setup_django

RAW_TABLE = "bench_raw_evidenceentry"
COLUMNS = ("index", "kind", "leaf_data", "leaf_hash", "recorded_at", "actor_id", "subject_type_id", "subject_id")


def scratch_database(url: str, action: str) -> None:
    """Drop and create (or drop) the PostgreSQL scratch database named in `url`, via the maintenance database."""
    import psycopg

    name = urlparse(url).path.lstrip("/")
    if not name or name == "ipcity" or name.startswith("test") or name in ("postgres", "template0", "template1"):
        raise SystemExit(f"refusing to use database {name!r}: give a scratch name such as ipcity_bench_evidence")
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if action == "create":
            conn.execute(f'CREATE DATABASE "{name}"')


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=500_000)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--proofs", type=int, default=2000)
    parser.add_argument("--fill-to", type=int, default=0, help="then fill the log to this size by the bare engine")
    parser.add_argument("--fill-batch", type=int, default=50_000)
    parser.add_argument("--profile", action="store_true", help="only the real path (appends, then proofs), under cProfile")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway home (and scratch database)")
    args = parser.parse_args()

    url = os.environ.get("IPCITY_DATABASE_URL", "")
    if url:
        scratch_database(url, "create")
    home = tempfile.mkdtemp(prefix="ipcity-bench-evidence-log-")
    os.environ["IPCITY_HOME"] = home  # always throwaway: never an installation's home from the environment
    os.environ.pop("IPCITY_EVIDENCE_DIR", None)
    os.environ.pop("IPCITY_EVIDENCE_ALGORITHM", None)
    try:
        setup_django()
        return run(args, url)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)
            if url:
                scratch_database(url, "drop")
        else:
            print(f"kept: IPCITY_HOME={home}" + (f", database {url}" if url else ""))


def run(args, url: str) -> int:
    from django.db import connection, transaction

    from ipcity.evidence import log, merkle
    from ipcity.evidence.models import EvidenceEntry
    from ipcity.evidence.sinks import content_of
    from ipcity.protection.evidence_seam import Capture
    from ipcity.protection.models import Submission
    from ipcity.protection.registration import CAPTURE_METHODS

    vendor = connection.vendor
    rng = random.Random(7)
    methods = list(CAPTURE_METHODS.values())
    by_whom = ["公众", "淘宝知识产权保护平台", "京东知识产权保护平台", "展会投诉工作站"]
    day = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.timezone.utc)
    submissions: dict[int, Submission] = {}

    def fields(i: int):
        """Entry i: evidence file i of submission i // 2 (two files per submission)."""
        n = i // 2
        sha = hashlib.sha256(i.to_bytes(8, "big")).hexdigest()
        return (n, sha, f"TS20261207{n:08d}", day + dt.timedelta(seconds=i), by_whom[n % 4], methods[n % len(methods)],
                f"attachment-{sha[:16]}.{('pdf', 'jpg', 'png', 'docx')[i % 4]}")

    def items(lo: int, hi: int) -> list:
        """Entries lo..hi-1 as the protection sink hands them over (unsaved Submissions as subjects: the entry
        links them by content type and id only)."""
        out = []
        for i in range(lo, hi):
            n, sha, subject, captured_at, by, method, file_name = fields(i)
            sub = submissions.get(n)
            if sub is None:
                submissions.clear()
                sub = submissions[n] = Submission(pk=n + 1)
            capture = Capture("attachment", sha, subject, captured_at, by, method, obj=sub, file_name=file_name)
            out.append(log.Item(f"protection.{capture.kind}", content_of(capture), capture.obj))
        return out

    def fast_rows(lo: int, hi: int, when: dt.datetime, stored_when, subject_type_id: int) -> list[tuple]:
        """The rows the real path would write for entries lo..hi-1, built by string template (for the fill); every
        997th leaf is checked against `log.leaf_bytes` of the real content."""
        recorded = when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        rows = []
        for i in range(lo, hi):
            n, sha, subject, captured_at, by, method, file_name = fields(i)
            data = (f'{{"captured_at":"{captured_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}","captured_by":"{by}",'
                    f'"files":[{{"name":"{file_name}","sha256":"{sha}"}}],"kind":"protection.attachment",'
                    f'"method":"{method}","recorded_at":"{recorded}","recorded_by":"system",'
                    f'"subject":"{subject}"}}').encode("utf-8")
            if i % 997 == 0:
                (item,) = items(i, i + 1)
                assert data == log.leaf_bytes(item.kind, item.content, recorded_at=when, recorded_by="system")
            rows.append((i, "protection.attachment", data.decode("utf-8"), sha256(b"\x00" + data).hexdigest(),
                         stored_when, None, subject_type_id, str(n + 1)))
        return rows

    log.head()  # the head row, created as on first use
    if args.profile:
        return profile(args, items)

    # --- the bare engine's scratch table: the entries table's own DDL --------------------------------------------
    raw = raw_connection(url, connection)
    copy_table(raw, vendor, connection)
    from django.contrib.contenttypes.models import ContentType

    subject_type_id = ContentType.objects.get_for_model(Submission).pk
    recorded_value = connection.ops.adapt_datetimefield_value(dt.datetime.now(dt.timezone.utc))
    placeholder = "?" if vendor == "sqlite" else "%s"
    insert = (f"INSERT INTO {RAW_TABLE} ({', '.join(chr(34) + c + chr(34) for c in COLUMNS)}) "
              f"VALUES ({', '.join([placeholder] * len(COLUMNS))})")
    sha256 = hashlib.sha256

    t_hash = t_raw = t_real = t_append = t_commit = t_sync = 0.0
    size0 = log.head().size
    marks: list[float] = []
    for batch_no, lo in enumerate(range(0, args.entries, args.batch)):
        hi = min(lo + args.batch, args.entries)
        batch = items(lo, hi)
        when = dt.datetime.now(dt.timezone.utc)
        datas = [log.leaf_bytes(it.kind, it.content, recorded_at=when, recorded_by="system") for it in batch]
        kinds = [it.kind for it in batch]
        subject_ids = [str(it.subject.pk) for it in batch]

        def hash_only():
            [sha256(b"\x00" + d).digest() for d in datas]

        def bare():
            rows = [(lo + k, kinds[k], d.decode("utf-8"), sha256(b"\x00" + d).hexdigest(), recorded_value, None,
                     subject_type_id, subject_ids[k]) for k, d in enumerate(datas)]
            with raw_transaction(raw, vendor) as cursor:
                cursor.executemany(insert, rows)

        def real():
            nonlocal t_append, t_commit, t_sync
            marks.clear()
            t0 = time.perf_counter()
            with transaction.atomic():
                transaction.on_commit(lambda: marks.append(time.perf_counter()))  # runs right after COMMIT
                log.append_many(batch)
                t1 = time.perf_counter()
            log.sync_tree()  # the background worker's turn: the new leaves to the level files, fsynced
            marks.append(time.perf_counter())
            t2 = time.perf_counter()
            t_append += t1 - t0
            t_commit += marks[0] - t1
            t_sync += marks[1] - marks[0]
            return t2 - t0

        order = [hash_only, bare, real] if batch_no % 2 == 0 else [real, bare, hash_only]
        for step in order:
            t0 = time.perf_counter()
            elapsed = step()
            took = time.perf_counter() - t0
            if step is hash_only:
                t_hash += took
            elif step is bare:
                t_raw += took
            else:
                t_real += elapsed
        if hi % 100_000 == 0:
            print(f"  appended {hi:,}: real path {hi / t_real:,.0f} leaves/s so far, bare engine {hi / t_raw:,.0f}, "
                  f"load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    n = args.entries
    size = log.head().size
    assert size == size0 + n, (size, size0, n)
    raw_count = scalar(raw, f"SELECT count(*) FROM {RAW_TABLE}")
    assert raw_count == n, raw_count
    with log.locked_tree() as tree:
        assert tree.size == size, (tree.size, size)  # the after-commit syncs did run
        tree_root = tree.root(size)
    hashes = [bytes.fromhex(h) for h in EvidenceEntry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    assert merkle.root_from_hashes(hashes, "sha256") == tree_root, "tree root differs from the entries' hashes"
    sample = EvidenceEntry.objects.get(index=n // 3)
    assert merkle.leaf_hash(sample.leaf_data.encode("utf-8")) == bytes.fromhex(sample.leaf_hash)
    del hashes
    disk = database_bytes(raw, vendor)
    with raw_transaction(raw, vendor) as cursor:
        cursor.execute(f"DROP TABLE {RAW_TABLE}")

    engine = engine_name(raw, vendor)
    print(f"engine: {engine}; {n:,} entries in transactions of {args.batch:,}; "
          f"leaf_data {len(sample.leaf_data)} bytes (sample); database {disk / 1e6:,.0f} MB incl. the scratch table")
    if vendor == "sqlite":
        print(f"sqlite pragmas: journal_mode={scalar(raw, 'PRAGMA journal_mode')}, "
              f"synchronous={scalar(raw, 'PRAGMA synchronous')} (raw connection; Django's uses the same defaults)")
    print()
    print("| benchmark | size | ipcity | baseline (same run) | ratio |")
    print("|---|---|---|---|---|")
    print(f"| append, real path (`append_many` + COMMIT + tree sync), leaves/s | {n:,} | {n / t_real:,.0f} | "
          f"bare engine {n / t_raw:,.0f} | {t_real / t_raw:.2f}× the time |")
    print(f"| append, real path, leaves/s | {n:,} | {n / t_real:,.0f} | raw hashlib {n / t_hash:,.0f} | "
          f"{t_real / t_hash:.1f}× the time |")
    print(f"| bare engine (executemany + hashing), leaves/s | {n:,} | {n / t_raw:,.0f} | raw hashlib "
          f"{n / t_hash:,.0f} | {t_raw / t_hash:.1f}× the time |")
    print()
    print(f"real path per entry: {t_real / n * 1e6:.1f} µs = append_many {t_append / n * 1e6:.1f} + COMMIT "
          f"{t_commit / n * 1e6:.1f} + tree sync {t_sync / n * 1e6:.1f}; bare engine {t_raw / n * 1e6:.1f} µs; "
          f"hashlib {t_hash / n * 1e6:.2f} µs")
    print(f"load: {os.getloadavg()}")
    print()
    proofs(args, size, rng)

    if args.fill_to > size:
        fill(args, raw, vendor, size, fast_rows, subject_type_id)
        size = log.head().size
        assert size == args.fill_to
        t0 = time.perf_counter()
        with log.locked_tree() as tree:
            assert tree.size == size
        t_first = time.perf_counter() - t0
        print(f"first read after the fill: the tree synced from {args.entries:,} to {size:,} leaves in "
              f"{t_first:.1f} s ({(size - args.entries) / t_first:,.0f} leaves/s); "
              f"database {database_bytes(raw, vendor) / 1e9:.1f} GB")
        print()
        proofs(args, size, rng)
    raw.close()
    return 0


def proofs(args, size: int, rng: random.Random) -> None:
    from ipcity.evidence import log, merkle
    from ipcity.evidence.models import EvidenceEntry

    indexes = [rng.randrange(size) for _ in range(args.proofs)]
    entries = {e.index: e for e in EvidenceEntry.objects.filter(index__in=set(indexes))}
    real_lat, tree_lat, verify_lat = [], [], []
    paths = {}
    for index in indexes:
        entry = entries[index]
        t0 = time.perf_counter()
        proof = log.inclusion_proof(entry, size)
        real_lat.append(time.perf_counter() - t0)
        paths[index] = proof.path
        t0 = time.perf_counter()
        merkle.verify_inclusion(bytes.fromhex(entry.leaf_hash), index, size, proof.path, proof.root)
        verify_lat.append(time.perf_counter() - t0)
    with log.locked_tree() as tree:
        for index in indexes:
            t0 = time.perf_counter()
            path = tree.inclusion_proof(index, size)
            tree_lat.append(time.perf_counter() - t0)
            assert path == paths[index]
    print(f"| inclusion proof (ms, p50 / p99), {args.proofs:,} random entries | {size:,} | "
          f"{pct(real_lat, .5):.3f} / {pct(real_lat, .99):.3f} | tree only {pct(tree_lat, .5):.3f} / "
          f"{pct(tree_lat, .99):.3f}; verifying (hashlib) {pct(verify_lat, .5):.3f} / {pct(verify_lat, .99):.3f} | "
          f"{statistics.median(real_lat) / statistics.median(tree_lat):.1f}× the tree, "
          f"{statistics.median(real_lat) / statistics.median(verify_lat):.1f}× verifying |")
    print(f"(proof paths of {min(map(len, paths.values()))}–{max(map(len, paths.values()))} hashes, each verified; "
          f"load {os.getloadavg()})")
    print()


def profile(args, items) -> int:
    from django.db import transaction

    from ipcity.evidence import log

    profiler = cProfile.Profile()
    total = 0.0
    for lo in range(0, args.entries, args.batch):
        batch = items(lo, min(lo + args.batch, args.entries))
        t0 = time.perf_counter()
        profiler.enable()
        with transaction.atomic():
            log.append_many(batch)
        profiler.disable()
        total += time.perf_counter() - t0
    print(f"{args.entries:,} entries, {args.entries / total:,.0f} leaves/s under the profiler")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(25)

    from ipcity.evidence.models import EvidenceEntry

    size = log.head().size
    rng = random.Random(3)
    entries = list(EvidenceEntry.objects.filter(index__in={rng.randrange(size) for _ in range(args.proofs)}))
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.enable()
    for entry in entries:
        log.inclusion_proof(entry, size)
    profiler.disable()
    took = time.perf_counter() - t0
    print(f"{len(entries):,} inclusion proofs at {size:,}: {took / len(entries) * 1000:.3f} ms each under the profiler")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(15)
    return 0


# --- the bare engine ---------------------------------------------------------------------------------------------

def raw_connection(url: str, connection):
    if connection.vendor == "sqlite":
        import sqlite3

        raw = sqlite3.connect(str(connection.settings_dict["NAME"]), isolation_level=None, timeout=20)
        raw.execute("PRAGMA journal_mode=WAL")
        return raw
    import psycopg

    return psycopg.connect(url, autocommit=True)


class raw_transaction:
    def __init__(self, raw, vendor: str):
        self.raw, self.vendor = raw, vendor

    def __enter__(self):
        self.cursor = self.raw.cursor()
        self.cursor.execute("BEGIN IMMEDIATE" if self.vendor == "sqlite" else "BEGIN")
        return self.cursor

    def __exit__(self, kind, *exc):
        self.cursor.execute("ROLLBACK" if kind else "COMMIT")
        self.cursor.close()


def scalar(raw, sql: str):
    cursor = raw.cursor()
    cursor.execute(sql)
    value = cursor.fetchone()[0]
    cursor.close()
    return value


def copy_table(raw, vendor: str, connection) -> None:
    """A scratch table with the entries table's columns and indexes (not its append-only triggers: UPDATE/DELETE
    triggers do not fire on INSERT)."""
    table = "evidence_evidenceentry"
    with raw_transaction(raw, vendor) as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")
        if vendor == "sqlite":
            cursor.execute("SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL "
                           "AND type IN ('table', 'index') ORDER BY type = 'index'", [table])
            for _kind, sql in cursor.fetchall():
                sql = sql.replace(f'"{table}"', f'"{RAW_TABLE}"')
                sql = sql.replace('INDEX "', 'INDEX "raw_')  # index names are global
                cursor.execute(sql)
        else:
            cursor.execute(f"CREATE TABLE {RAW_TABLE} (LIKE {table} INCLUDING ALL)")


def database_bytes(raw, vendor: str) -> int:
    if vendor == "sqlite":
        return scalar(raw, "PRAGMA page_count") * scalar(raw, "PRAGMA page_size")
    return scalar(raw, "SELECT pg_database_size(current_database())")


def engine_name(raw, vendor: str) -> str:
    if vendor == "sqlite":
        return f"SQLite {scalar(raw, 'SELECT sqlite_version()')}"
    return "PostgreSQL " + scalar(raw, "SHOW server_version").split()[0]


def fill(args, raw, vendor, start, fast_rows, subject_type_id) -> None:
    """Entries start..fill_to-1 by the bare engine, correct as the real path writes them, then LogHead.size."""
    from django.db import connection

    cols = ", ".join(f'"{c}"' for c in COLUMNS)
    t0 = time.perf_counter()
    for lo in range(start, args.fill_to, args.fill_batch):
        hi = min(lo + args.fill_batch, args.fill_to)
        when = dt.datetime.now(dt.timezone.utc)
        rows = fast_rows(lo, hi, when, connection.ops.adapt_datetimefield_value(when), subject_type_id)
        with raw_transaction(raw, vendor) as cursor:
            if vendor == "sqlite":
                cursor.executemany(f"INSERT INTO evidence_evidenceentry ({cols}) VALUES ({', '.join('?' * 8)})",
                                   rows)
                cursor.execute("UPDATE evidence_loghead SET size = ? WHERE id = 1", [hi])
            else:
                with cursor.copy(f"COPY evidence_evidenceentry ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute("UPDATE evidence_loghead SET size = %s WHERE id = 1", [hi])
        if (hi - start) % 1_000_000 < args.fill_batch:
            print(f"  filled to {hi:,} ({(hi - start) / (time.perf_counter() - t0):,.0f} rows/s)", flush=True)
    took = time.perf_counter() - t0
    if vendor == "postgresql":
        with raw_transaction(raw, vendor) as cursor:
            cursor.execute("ANALYZE evidence_evidenceentry")
    print(f"fill by the bare engine ({'executemany' if vendor == 'sqlite' else 'COPY'}, transactions of "
          f"{args.fill_batch:,}, each also setting LogHead.size): {start:,} → {args.fill_to:,} entries in "
          f"{took:.0f} s ({(args.fill_to - start) / took:,.0f} rows/s incl. building the rows)")


if __name__ == "__main__":
    sys.exit(main())
