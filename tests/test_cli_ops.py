"""The operations commands end to end, each `ipcity` call a subprocess on its own installation.

Run twice: plain (SQLite) and with IPCITY_DATABASE_URL set (PostgreSQL; every installation gets a fresh database).
The database is read and tampered with through raw SQL (sqlite3 / psycopg), bypassing Django, so what is compared
is exactly what is stored: encrypted fields as ciphertext, audit rows with their hashes.

Covered: backup → restore (over live data and after a wipe) gives back identical data plus exactly one
"ops.restore" audit row; damaged backups are refused with a Chinese message and change nothing; `check --audit`
finds an edited, a deleted and a truncated audit row (after the append-only triggers are shown to refuse plain SQL);
`check --deploy`; `deadline` across the National Day holiday and its 调休; `demo` is idempotent and marks its data;
`createadmin` makes a system administrator who can log in and refuses a weak password.
"""
from __future__ import annotations

import contextlib
import copy
import dataclasses
import hashlib
import io
import json
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.installation import Installation, make_installation

CJK = re.compile(r"[\u4e00-\u9fff]")
STRONG_PASSWORD = "Qz7#mVt2pL9x"


# --------------------------------------------------------------------------------------------------------------
# Raw access to an installation's database


class Table(NamedTuple):
    columns: tuple[str, ...]
    rows: list[tuple]

    def dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.rows]


class Database:
    """Raw SQL on one installation's database (sqlite3 on the file, or psycopg), outside Django and its guards.

    Write SQL with `?` placeholders; they become `%s` on PostgreSQL."""

    def __init__(self, installation: Installation):
        self.installation = installation
        self.pg = installation.is_postgres
        self.path = installation.home / "ipcity.sqlite3"

    @property
    def error(self):
        """What the driver raises when the database refuses a statement."""
        if self.pg:
            import psycopg

            return psycopg.Error
        return sqlite3.DatabaseError

    @contextlib.contextmanager
    def connection(self):
        if self.pg:
            import psycopg

            conn = psycopg.connect(self.installation.database_url, autocommit=True)
        else:
            assert self.path.exists(), f"no database at {self.path}"
            conn = sqlite3.connect(self.path, isolation_level=None)  # autocommit, like the psycopg connection
        try:
            yield conn
        finally:
            conn.close()

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.pg else sql

    def _adapt(self, value):
        if self.pg and isinstance(value, (dict, list)):
            from psycopg.types.json import Jsonb

            return Jsonb(value)
        return value

    def query(self, sql: str, params=()) -> list[tuple]:
        with self.connection() as conn:
            return [tuple(r) for r in conn.execute(self._sql(sql), [self._adapt(p) for p in params]).fetchall()]

    def execute(self, *statements: str, params=()) -> None:
        with self.connection() as conn:
            for sql in statements:
                conn.execute(self._sql(sql), [self._adapt(p) for p in params])

    def exists(self) -> bool:
        """Has the installation's database got any tables yet?"""
        if not self.pg:
            return self.path.exists() and bool(self.table_names())
        return bool(self.table_names())

    def table_names(self) -> list[str]:
        if self.pg:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        return [r[0] for r in self.query(sql)]

    def table(self, conn, name: str) -> Table:
        if self.pg:
            columns = [r[0] for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s"
                " ORDER BY ordinal_position", [name])]
            pk = [r[0] for r in conn.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
                [f'public."{name}"'])]
        else:
            info = conn.execute(f'PRAGMA table_info("{name}")').fetchall()
            columns = [r[1] for r in info]
            pk = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
        select, order = (", ".join(f'"{c}"' for c in names) for names in (columns, pk or columns))
        rows = conn.execute(f'SELECT {select} FROM "{name}" ORDER BY {order}')
        return Table(tuple(columns), [tuple(r) for r in rows])

    def schema(self, conn) -> list[tuple]:
        """Tables, columns, indexes, constraints, triggers and functions: a restore must bring them all back."""
        if not self.pg:
            return [tuple(r) for r in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY 1, 2")]
        queries = [
            "SELECT 'column', table_name || '.' || column_name, data_type || ' ' || is_nullable, column_default"
            " FROM information_schema.columns WHERE table_schema = 'public'",
            "SELECT 'index', indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'",
            "SELECT 'constraint', conname, conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE connamespace = 'public'::regnamespace",
            "SELECT 'trigger', tgname, tgrelid::regclass::text, tgenabled::text FROM pg_trigger WHERE NOT tgisinternal",
            "SELECT 'function', proname, '', prosrc FROM pg_proc WHERE pronamespace = 'public'::regnamespace",
        ]
        return sorted(tuple(r) for q in queries for r in conn.execute(q))

    def snapshot(self) -> dict:
        """Every table's rows in primary-key order, the schema, sequences, and the uploaded files' digests."""
        snap: dict = {}
        with self.connection() as conn:
            for name in self.table_names():
                snap[name] = self.table(conn, name)
            snap["__schema__"] = self.schema(conn)
            if self.pg:
                snap["__sequences__"] = Table(("name", "seq"), [tuple(r) for r in conn.execute(
                    "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1")])
        media = self.installation.home / "media"
        snap["__media__"] = {p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                             for p in sorted(media.rglob("*")) if p.is_file()} if media.exists() else {}
        return snap

    def wipe(self) -> None:
        """Lose the installation's data: the database (and its WAL) and the uploaded files."""
        if self.pg:
            self.execute("DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(self.installation.home / "media", ignore_errors=True)
        assert not self.exists()


def _describe_difference(before: dict, after: dict, keys: list[str]) -> str:
    lines = []
    for key in keys[:5]:
        b, a = before.get(key), after.get(key)
        if isinstance(b, Table) and isinstance(a, Table) and b.columns == a.columns:
            gone = [r for r in b.rows if r not in a.rows][:3]
            new = [r for r in a.rows if r not in b.rows][:3]
            lines.append(f"{key}: {len(b.rows)} → {len(a.rows)} rows; only before: {gone}; only after: {new}")
        else:
            lines.append(f"{key}: {str(b)[:300]} → {str(a)[:300]}")
    return "\n".join(lines)


def assert_same(before: dict, after: dict, *, ignore: set[str] = frozenset()) -> None:
    differing = [k for k in sorted(set(before) | set(after)) if k not in ignore and before.get(k) != after.get(k)]
    assert not differing, "changed: " + ", ".join(differing) + "\n" + _describe_difference(before, after, differing)


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def assert_restored(db: Database, backed_up: dict, restored: dict, archive: Path) -> None:
    """`restored` is `backed_up` plus exactly the audit row the restore itself wrote, and nothing else."""
    sequences = "__sequences__" if db.pg else "sqlite_sequence"
    assert_same(backed_up, restored, ignore={"core_auditentry", "core_audithead", sequences})

    before, after = backed_up["core_auditentry"], restored["core_auditentry"]
    assert after.columns == before.columns
    assert after.rows[:len(before.rows)] == before.rows, "audit rows from the backup differ after the restore"
    new = after.dicts()[len(before.rows):]
    assert [row["action"] for row in new] == ["ops.restore"], new
    last, row = before.dicts()[-1], new[0]
    assert row["seq"] == last["seq"] + 1 and row["prev_hash"] == last["entry_hash"]
    assert row["actor_label"] == "ipcity restore" and row["outcome"] == "success"
    assert _json(row["changes"])["archive"] == archive.name

    head_before = backed_up["core_audithead"].dicts()
    assert restored["core_audithead"].dicts() == [
        {**head_before[0], "last_seq": row["seq"], "last_hash": row["entry_hash"]}]

    # Id counters come back as they were (else the next insert would collide), but for the audit row just added.
    audit_counter = "core_auditentry_id_seq" if db.pg else "core_auditentry"
    seq_before, seq_after = dict(backed_up[sequences].rows), dict(restored[sequences].rows)
    assert seq_after.pop(audit_counter) == row["id"]
    seq_before.pop(audit_counter)
    assert seq_after == seq_before


def _problems(output: str) -> list[str]:
    return [line.strip()[2:] for line in output.splitlines() if line.strip().startswith("- ")]


# --------------------------------------------------------------------------------------------------------------
# Fixtures


@dataclasses.dataclass
class DemoSite:
    installation: Installation
    db: Database
    first_run: subprocess.CompletedProcess
    made: dict[str, Table]  # organisations, contacts and users right after the first demo run (a fresh install)


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    """One installation with the demo data (--scale 2), shared by the tests that only need data to work on."""
    lifetime = make_installation(tmp_path_factory.mktemp("demo-site"))
    installation = next(lifetime)
    try:
        db = Database(installation)
        first = installation.run("demo", "--no-serve", "--scale", "2")
        with db.connection() as conn:
            made = {name: db.table(conn, name) for name in ("orgs_organisation", "orgs_contact", "accounts_user")}
        yield DemoSite(installation, db, first, made)
    finally:
        lifetime.close()  # drops the PostgreSQL database


# --------------------------------------------------------------------------------------------------------------
# 1. backup → restore gives back identical data


@pytest.mark.slow
def test_backup_restore_round_trip_is_identical(demo_site, tmp_path):
    site, db = demo_site.installation, demo_site.db
    upload = site.home / "media" / "evidence" / "2025" / "证据材料.pdf"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(b"%PDF-1.7\n" + secrets.token_bytes(4096))
    archive = tmp_path / "backups" / "round-trip.tar.gz"  # outside the home: the wipe must not take it
    site.run("backup", str(archive))
    backed_up = db.snapshot()  # after `backup`: its own "ops.backup" audit row is inside the archive
    assert backed_up["core_auditentry"].dicts()[-1]["action"] == "ops.backup"
    # The demo's own stored files (e.g. the plan document) are there too.
    assert backed_up["__media__"]["evidence/2025/证据材料.pdf"] == hashlib.sha256(upload.read_bytes()).hexdigest()
    assert any(name.startswith("files/") for name in backed_up["__media__"])
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert "media/evidence/2025/证据材料.pdf" in names and not any(n.startswith("keys/") for n in names)

    # Restore over live data that moved on since the backup: a new account, a new upload.
    site.run("createadmin", "later_admin", "--password", STRONG_PASSWORD)
    (site.home / "media" / "later.txt").write_text("上传于备份之后", encoding="utf-8")
    assert db.snapshot()["accounts_user"] != backed_up["accounts_user"]
    result = site.run("restore", str(archive))
    assert "已从" in result.stdout and "恢复" in result.stdout
    assert_restored(db, backed_up, db.snapshot(), archive)

    # Restore into nothing: the database (and WAL) and uploads are gone.
    db.wipe()
    site.run("restore", str(archive))
    restored = db.snapshot()
    assert_restored(db, backed_up, restored, archive)
    assert upload.read_bytes()[:9] == b"%PDF-1.7\n"

    check = site.run("check", "--audit")
    assert f"审计日志完整：已校验 {len(restored['core_auditentry'].rows)} 条记录" in check.stdout
    # The append-only triggers came back with the schema (compared above); they still refuse edits.
    with pytest.raises(db.error, match="append-only"):
        db.execute("UPDATE core_auditentry SET object_repr = 'x' WHERE seq = 1")


# --------------------------------------------------------------------------------------------------------------
# 2. a damaged backup is refused and nothing changes


def _flip(data: bytes, position: int) -> bytes:
    damaged = bytearray(data)
    damaged[position] ^= 0x10
    return bytes(damaged)


def _repack(source: Path, target: Path, *, edit_manifest=None, extra: dict[str, bytes] | None = None) -> Path:
    """A well-formed .tar.gz with the source's members, optionally a changed manifest and additional members."""
    with tarfile.open(source, "r:gz") as tin, tarfile.open(target, "w:gz") as tout:
        for member in tin.getmembers():
            data = tin.extractfile(member).read() if member.isfile() else None
            if member.name == "manifest.json" and edit_manifest:
                manifest = json.loads(data)
                edit_manifest(manifest)
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                member = copy.copy(member)
                member.size = len(data)
            tout.addfile(member, io.BytesIO(data) if data is not None else None)
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tout.addfile(info, io.BytesIO(data))
    return target


def _gzip_header_end(data: bytes) -> int:
    """The gzip header (magic, flags, mtime, file name) is not covered by any checksum: skip it."""
    end = 10
    if data[3] & 0x08:  # FNAME
        end = data.index(b"\0", end) + 1
    return end


@pytest.mark.slow
def test_damaged_backup_is_refused_and_changes_nothing(demo_site, tmp_path):
    site, db = demo_site.installation, demo_site.db
    good = tmp_path / "good.tar.gz"
    site.run("backup", str(good))
    data = good.read_bytes()

    def tamper_checksum(manifest):
        manifest["files"][manifest["database"]] = hashlib.sha256(b"another database").hexdigest()

    damaged = {
        "truncated": (data[: len(data) // 2], "无法解压"),
        "flipped-byte": (_flip(data, len(data) // 2), "已损坏"),
        # The gzip CRC-32 in the trailer: tarfile stops before it, so only reading the whole stream notices.
        "flipped-trailer": (_flip(data, len(data) - 6), "无法解压"),
        "tampered-manifest": (_repack(good, tmp_path / "t.tar.gz", edit_manifest=tamper_checksum).read_bytes(),
                              "校验值不符"),
        "unlisted-member": (_repack(good, tmp_path / "u.tar.gz", extra={"keys/field_key": b"not the key"}).read_bytes(),
                            "清单之外"),
        "not-an-archive": ("这不是备份文件\n".encode() * 200, "无法解压"),
    }
    before = db.snapshot()
    for name, (content, reason) in damaged.items():
        path = tmp_path / f"{name}.tar.gz"
        path.write_bytes(content)
        result = site.run("restore", str(path), check=False)
        assert result.returncode != 0, name
        assert "Traceback" not in result.stderr, f"{name}:\n{result.stderr}"
        assert "恢复失败，现有数据未作任何改动" in result.stderr and reason in result.stderr, f"{name}: {result.stderr}"
        assert_same(before, db.snapshot())

    # Any single flipped byte past the gzip header is refused as BackupError (unless it changed no byte of the
    # content), never a crash: verify_archive in the installation's own process, which is what `restore` runs first.
    start = _gzip_header_end(data)
    step = max(1, (len(data) - start) // 120)
    positions = sorted(set(range(start, len(data), step)) | set(range(len(data) - 12, len(data))))
    script = f"""
import gzip, json, tempfile
from pathlib import Path
from ipcity.ops.backup import BackupError, verify_archive
data = Path({str(good)!r}).read_bytes()
target = Path({str(tmp_path)!r}) / "sweep.tar.gz"
outcomes = {{}}
for pos in {positions!r}:
    damaged = bytearray(data)
    damaged[pos] ^= 0x10
    target.write_bytes(bytes(damaged))
    with tempfile.TemporaryDirectory() as work:
        try:
            verify_archive(target, Path(work))
            # Deflate has bits nobody reads (block padding): a flip there leaves every byte of content as it was.
            same = gzip.decompress(bytes(damaged)) == gzip.decompress(data)
            outcomes[pos] = "unchanged content" if same else "accepted"
        except BackupError:
            outcomes[pos] = "refused"
        except Exception as exc:
            outcomes[pos] = f"{{type(exc).__name__}}: {{exc}}"
print(json.dumps(outcomes))
"""
    sweep = json.loads(site.run("manage", "shell", "-v", "0", "-c", script).stdout.strip().splitlines()[-1])
    assert len(sweep) == len(positions)
    assert {pos: o for pos, o in sweep.items() if o not in ("refused", "unchanged content")} == {}
    assert list(sweep.values()).count("refused") > len(positions) * 0.9
    assert_same(before, db.snapshot())


# --------------------------------------------------------------------------------------------------------------
# 3. the audit chain check finds edited, deleted and truncated rows


@pytest.mark.slow
def test_check_audit_detects_tampering(installation, tmp_path):
    db = Database(installation)
    installation.run("migrate")
    for i in range(2):  # a few more rows than the reference data's, each a real event
        installation.run("backup", str(tmp_path / f"b{i}.tar.gz"))
    seqs = [r[0] for r in db.query("SELECT seq FROM core_auditentry ORDER BY seq")]
    assert len(seqs) >= 5 and seqs == list(range(1, len(seqs) + 1))
    result = installation.run("check", "--audit")
    assert f"审计日志完整：已校验 {len(seqs)} 条记录" in result.stdout

    # The database itself refuses edits and deletions, whatever the client.
    with pytest.raises(db.error, match="append-only"):
        db.execute("UPDATE core_auditentry SET object_repr = 'x' WHERE seq = ?", params=[seqs[1]])
    with pytest.raises(db.error, match="append-only"):
        db.execute("DELETE FROM core_auditentry WHERE seq = ?", params=[seqs[-1]])
    assert len(db.query("SELECT seq FROM core_auditentry")) == len(seqs)

    # Someone with DDL rights drops the guard; then only the hash chain stands between them and the log.
    if db.pg:
        db.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_no_change")
    else:
        db.execute("DROP TRIGGER core_auditentry_no_update", "DROP TRIGGER core_auditentry_no_delete")

    def check_fails() -> list[str]:
        result = installation.run("check", "--audit", check=False)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "审计日志校验失败（已检查" in result.stdout
        return _problems(result.stdout)

    # Edited content: `changes` of one row, `object_repr` of another; exactly those two are named.
    edited_changes, edited_repr = seqs[1], seqs[3]
    original = dict(db.query("SELECT seq, changes FROM core_auditentry WHERE seq = ?", params=[edited_changes]))
    original_repr = db.query("SELECT object_repr FROM core_auditentry WHERE seq = ?", params=[edited_repr])[0][0]
    if db.pg:
        db.execute("""UPDATE core_auditentry SET changes = changes || '{"tampered": 1}'::jsonb WHERE seq = ?""",
                   params=[edited_changes])
    else:
        db.execute("UPDATE core_auditentry SET changes = json_set(changes, '$.tampered', 1) WHERE seq = ?",
                   params=[edited_changes])
    db.execute("UPDATE core_auditentry SET object_repr = object_repr || '（已改）' WHERE seq = ?", params=[edited_repr])
    changed = db.query("SELECT changes FROM core_auditentry WHERE seq = ?", params=[edited_changes])[0][0]
    assert _json(changed)["tampered"] == 1
    assert check_fails() == [f"第 {edited_changes} 条审计记录的内容与哈希不符（记录被修改）",
                             f"第 {edited_repr} 条审计记录的内容与哈希不符（记录被修改）"]
    # Put the original values back: the chain verifies again (the check is exact, not merely suspicious).
    db.execute("UPDATE core_auditentry SET changes = ? WHERE seq = ?",
               params=[original[edited_changes], edited_changes])
    db.execute("UPDATE core_auditentry SET object_repr = ? WHERE seq = ?", params=[original_repr, edited_repr])
    assert installation.run("check", "--audit").returncode == 0

    # A deleted row in the middle: the gap and the broken link after it.
    middle = seqs[2]
    with db.connection() as conn:
        saved = next(row for row in db.table(conn, "core_auditentry").dicts() if row["seq"] == middle)
    db.execute("DELETE FROM core_auditentry WHERE seq = ?", params=[middle])
    assert check_fails() == [f"第 {middle}–{middle} 条审计记录缺失（可能被删除）",
                             f"第 {middle + 1} 条的前序哈希与上一条不符（链条断裂）"]
    columns = ", ".join(f'"{c}"' for c in saved)
    db.execute(f"INSERT INTO core_auditentry ({columns}) VALUES ({', '.join('?' for _ in saved)})",
               params=list(saved.values()))
    assert installation.run("check", "--audit").returncode == 0

    # The newest row deleted (tail truncation): the rest is a consistent chain, the head row knows better.
    last = seqs[-1]
    db.execute("DELETE FROM core_auditentry WHERE seq = ?", params=[last])
    assert check_fails() == [f"审计链头记录到第 {last} 条，但表中最后一条是第 {last - 1} 条（末尾记录被删除或链头被改）"]


# --------------------------------------------------------------------------------------------------------------
# 4. deployment check


@pytest.mark.slow
def test_check_deploy(installation):
    production = {**installation.env, "IPCITY_HTTPS": "1", "IPCITY_DEBUG": "0",
                  "IPCITY_SECRET_KEY": secrets.token_urlsafe(64), "IPCITY_ALLOWED_HOSTS": "ipcity.example.gov.cn"}
    ok = dataclasses.replace(installation, env=production).run("check", "--deploy", check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "SM3 自检通过" in ok.stdout

    debug = dataclasses.replace(installation, env={**production, "IPCITY_DEBUG": "1"}).run("check", "--deploy",
                                                                                          check=False)
    assert debug.returncode != 0
    assert "系统检查未通过（生产部署安全检查）" in debug.stderr and "security.W018" in debug.stderr


# --------------------------------------------------------------------------------------------------------------
# 5. deadline


@pytest.mark.slow
def test_deadline(installation):
    db = Database(installation)
    assert not db.exists()  # a brand-new home: `deadline` creates the database and the holiday table itself

    def due(*args: str) -> dict:
        return json.loads(installation.run("deadline", *args, "--json").stdout)

    # Received on Sunday 2025-09-28, a 调休 working day before National Day; that day itself does not count:
    # 9-29, 9-30, (10-1…10-8 holiday), 10-9, 10-10, 10-11 (调休 Saturday), 10-13, 10-14.
    result = due("2025-09-28", "--working-days", "7")
    assert result["due_date"] == "2025-10-14" and result["unit"] == "working_days" and result["provisional"] is False
    assert db.exists()
    # 15 calendar days from 2025-09-20 end on 10-05, inside the holiday: the deadline rolls to 10-09.
    assert due("2025-09-20", "--days", "15")["due_date"] == "2025-10-09"
    # Hours are counted round the clock, holiday or not.
    hours = due("2025-09-30T10:20", "--hours", "24")
    assert hours["due"] == "2025-10-01T10:20:00+08:00" and hours["unit"] == "hours"
    assert installation.run("deadline", "2025-09-28", "--working-days", "7").stdout.strip() == "2025-10-14"

    for bad in ("2025-02-30", "next monday"):
        result = installation.run("deadline", bad, "--days", "1", check=False)
        assert result.returncode == 2
        assert f"起算日期格式错误：{bad}" in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------------------------------------------------------
# 6. demo


@pytest.mark.slow
def test_demo_is_idempotent_and_marks_its_data(demo_site):
    site, db = demo_site.installation, demo_site.db
    first = re.sub(r"\s+", "", demo_site.first_run.stdout)
    created = {k: int(v) for k, v in re.findall(r"(organisations|contacts|users)(\d+)", first)}
    made = demo_site.made
    assert created == {"organisations": len(made["orgs_organisation"].rows), "contacts": len(made["orgs_contact"].rows),
                       "users": len(made["accounts_user"].rows)}
    assert all(created.values())
    for table in made.values():  # the installation was fresh: every one of these rows is the demo's
        assert all(row["is_demo"] for row in table.dicts()), [r for r in table.dicts() if not r["is_demo"]][:3]

    before = db.snapshot()
    second = site.run("demo", "--no-serve", "--scale", "2")
    assert "示例数据已存在，未重复生成" in re.sub(r"\s+", "", second.stdout)
    assert_same(before, db.snapshot())  # not one row more, not one changed (audit log included)


@pytest.mark.slow
def test_demo_evidence_log_checks_and_exports_a_package_that_verifies_alone(demo_site, tmp_path):
    """The demo's log is anchored and signed; `check --audit` verifies the chain against it; a receipt's package
    verifies with its own verifier in a Python without site-packages, and not once a file in it is changed."""
    site, db = demo_site.installation, demo_site.db
    check = site.run("check", "--audit")
    assert "存证日志完整" in check.stdout and "条审计记录与锚定值一致" in check.stdout, check.stdout
    (index,) = db.query("SELECT MIN(\"index\") FROM evidence_evidenceentry WHERE kind = 'protection.receipt'")[0]
    package = tmp_path / "package"
    exported = site.run("evidence", "export", str(index + 1), str(package))
    assert "已导出存证记录" in exported.stdout
    alone = subprocess.run([sys.executable, "-I", "-S", "verify.py", "."], cwd=package, capture_output=True,
                           text=True, timeout=60)
    assert alone.returncode == 0 and "结论：证据包验证通过" in alone.stdout, alone.stdout + alone.stderr
    assert site.run("evidence", "verify", str(package)).returncode == 0
    (receipt,) = (package / "files").iterdir()
    receipt.write_bytes(receipt.read_bytes().replace(b'"channel"', b'"Channel"'))
    failed = site.run("evidence", "verify", str(package), check=False)
    assert failed.returncode == 1 and "结论：证据包验证未通过" in failed.stdout


# --------------------------------------------------------------------------------------------------------------
# 7. createadmin


LOGIN_CHECK = """
import json
from django.test import Client
from django.urls import reverse
from ipcity.accounts.models import User
wrong = Client()
refused = wrong.post(reverse("accounts:login"), {"username": "root", "password": "Wrong#pass123"})
client = Client()
response = client.post(reverse("accounts:login"), {"username": "root", "password": %r})
home = client.get("/")
user = User.objects.get(username="root")
print(json.dumps({"refused": [refused.status_code, "_auth_user_id" in wrong.session],
                  "login": [response.status_code, response.get("Location")],
                  "session_user": client.session.get("_auth_user_id"), "user_id": str(user.pk),
                  "home": home.status_code,
                  "role": user.role, "role_label": user.get_role_display(), "active": user.is_active,
                  "groups": [g.name for g in user.groups.all()]}, ensure_ascii=False))
"""


@pytest.mark.slow
def test_createadmin(installation):
    db = Database(installation)
    result = installation.run("createadmin", "root", "--password", STRONG_PASSWORD)
    assert "已创建系统管理员账户：root" in result.stdout

    shell_env = {**installation.env, "IPCITY_ALLOWED_HOSTS": "testserver"}
    out = dataclasses.replace(installation, env=shell_env).run("manage", "shell", "-v", "0",
                                                               "-c", LOGIN_CHECK % STRONG_PASSWORD)
    login = json.loads(out.stdout.strip().splitlines()[-1])
    assert login["refused"] == [200, False]
    assert login["login"] == [302, "/"] and login["session_user"] == login["user_id"] and login["home"] == 200
    assert login["role"] == "sysadmin" and login["role_label"] == "系统管理员" and login["active"] is True
    assert login["groups"] == ["系统管理员"]

    weak = installation.run("createadmin", "weakling", "--password", "password123", check=False)
    assert weak.returncode == 2
    assert CJK.search(weak.stderr) and "密码" in weak.stderr and "Traceback" not in weak.stderr
    assert [r[0] for r in db.query("SELECT username FROM accounts_user ORDER BY username")] == ["root"]
    audit = db.query("SELECT action, object_repr FROM core_auditentry WHERE action = 'accounts.create_user'")
    assert len(audit) == 1


@pytest.mark.slow
def test_plan_report_command_writes_docx_and_xlsx(installation):
    import docx
    import openpyxl

    installation.run("demo", "--no-serve", "--scale", "1")
    out_docx = installation.home / "季度通报.docx"
    result = installation.run("plan", "report", "1", "--quarter", "2025Q2", "--out", str(out_docx))
    assert "已生成" in result.stdout
    document = docx.Document(str(out_docx))
    assert "2025年第二季度" in "".join(p.text for p in document.paragraphs[:3])
    out_xlsx = installation.home / "台账.xlsx"
    installation.run("plan", "report", "1", "--out", str(out_xlsx))
    book = openpyxl.load_workbook(out_xlsx)
    assert book.sheetnames == ["任务台账", "指标台账"] and book["任务台账"].max_row == 5  # header + 4 tasks
    missing = installation.run("plan", "report", "999", "--out", str(out_xlsx), check=False)
    assert missing.returncode == 2 and "规划不存在" in missing.stderr
