"""Backup and restore of one installation: the database (engine-native, consistent) and uploaded files.

Archive: a .tar.gz holding manifest.json, the database dump and media/. The manifest lists every member's
SHA-256; restore verifies the whole archive (checksums, the dump's own integrity) before it touches anything,
so a damaged backup is refused and the installation is left as it was.

SQLite: the online backup API (a consistent copy while the site runs); restore swaps the file atomically.
PostgreSQL: pg_dump custom format; restore runs pg_restore --clean in a single transaction.
Field-encryption keys are NOT in the archive unless asked for (--include-keys): keep them apart from the data.
"""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.conf import settings
from django.db import connections

FORMAT = "ipcity-backup"
FORMAT_VERSION = 1
KEY_FILES = ("secret_key", "field_key", "digest_key", "evidence_key")


class BackupError(Exception):
    """A Chinese message for the operator; nothing was changed."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _db():
    return settings.DATABASES["default"]


def _engine() -> str:
    engine = _db()["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"不支持的数据库引擎：{engine}")


def _pg_env() -> dict:
    db = _db()
    env = dict(os.environ)
    env.update({"PGHOST": str(db.get("HOST") or ""), "PGPORT": str(db.get("PORT") or ""),
                "PGUSER": str(db.get("USER") or ""), "PGDATABASE": str(db["NAME"])})
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return {k: v for k, v in env.items() if v != ""}


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)
    except FileNotFoundError as exc:
        raise BackupError(f"找不到命令 {cmd[0]}：请安装与服务器版本一致的 PostgreSQL 客户端工具") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{cmd[0]} 执行失败：{exc.stderr.strip()[:500]}") from exc


def _dump_database(target: Path) -> str:
    engine = _engine()
    if engine == "sqlite":
        connections.close_all()
        source = sqlite3.connect(str(_db()["NAME"]))
        try:
            dest = sqlite3.connect(str(target))
            with dest:
                source.backup(dest)
            dest.close()
        finally:
            source.close()
        return "database.sqlite3"
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], env=_pg_env())
    return "database.pgdump"


def create_backup(output: Path | None = None, *, include_keys: bool = False) -> Path:
    home = Path(settings.IPCITY_HOME)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    output = Path(output) if output else home / "backups" / f"ipcity-{stamp}.tar.gz"
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ipcity-backup-") as tmp:
        tmp_path = Path(tmp)
        engine = _engine()
        db_name = "database.sqlite3" if engine == "sqlite" else "database.pgdump"
        _dump_database(tmp_path / db_name)
        members = {db_name: tmp_path / db_name}
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            for path in sorted(p for p in media.rglob("*") if p.is_file()):
                members[f"media/{path.relative_to(media).as_posix()}"] = path
        if include_keys:
            for name in KEY_FILES:
                if (home / name).exists():
                    members[f"keys/{name}"] = home / name
        manifest = {
            "format": FORMAT, "version": FORMAT_VERSION, "engine": engine,
            "created_at": dt.datetime.now(dt.timezone.utc).isoformat(),
            "database": db_name, "files": {name: _sha256(path) for name, path in members.items()},
        }
        partial = output.with_suffix(output.suffix + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                tar.add(path, arcname=name, recursive=False)
        os.replace(partial, output)  # a crash mid-write never leaves a file that looks complete
    return output


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = tar.getmembers()
    for m in members:
        p = Path(m.name)
        if p.is_absolute() or ".." in p.parts or not (m.isfile() or m.isdir()):
            raise BackupError(f"备份文件包含不安全的路径：{m.name}")
    return members


def verify_archive(archive: Path, workdir: Path) -> dict:
    """Extract into workdir and check everything; raise BackupError with the reason if anything is off."""
    if not archive.exists():
        raise BackupError(f"备份文件不存在：{archive}")
    try:
        # Read the whole gzip stream first: tarfile stops at the end-of-archive marker and never reaches the
        # trailer, so damage there (or in the padding before it) would pass unnoticed; gzip checks CRC and size.
        with gzip.open(archive, "rb") as stream:
            while stream.read(1 << 20):
                pass
        with tarfile.open(archive, "r:gz") as tar:
            members = _safe_members(tar)
            tar.extractall(workdir, filter="data")
    except (tarfile.TarError, EOFError, OSError, ValueError, zlib.error) as exc:  # zlib.error: corrupt deflate data
        raise BackupError(f"备份文件已损坏，无法解压：{exc}") from exc
    try:
        manifest = json.loads((workdir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError("备份文件缺少有效的清单（manifest.json）") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupError("不是 ipcity 备份文件，或备份格式版本不受支持")
    files = manifest.get("files")
    if not isinstance(files, dict) or manifest.get("database") not in ("database.sqlite3", "database.pgdump") \
            or manifest["database"] not in files:
        raise BackupError("备份文件的清单无效：未列出数据库文件")
    unlisted = sorted(m.name for m in members if m.isfile() and m.name != "manifest.json" and m.name not in files)
    if unlisted:  # restore would copy them unverified (media/, keys/)
        raise BackupError(f"备份文件包含清单之外的文件：{'、'.join(unlisted[:5])}")
    for name, digest in files.items():
        path = workdir / name
        if not path.is_file():
            raise BackupError(f"备份文件不完整：缺少 {name}")
        if _sha256(path) != digest:
            raise BackupError(f"备份文件已损坏：{name} 的校验值不符")
    if manifest.get("engine") != _engine():
        raise BackupError(f"备份来自 {manifest.get('engine')} 数据库，当前安装使用 {_engine()}，不能直接恢复")
    db_file = workdir / manifest["database"]
    if manifest["engine"] == "sqlite":
        try:
            conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            conn.execute("SELECT count(*) FROM django_migrations").fetchone()
            conn.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"备份中的数据库文件已损坏：{exc}") from exc
        if ok != "ok":
            raise BackupError(f"备份中的数据库文件未通过完整性检查：{ok}")
    else:
        _run(["pg_restore", "--list", str(db_file)])
    return manifest


def restore_backup(archive: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="ipcity-restore-") as tmp:
        workdir = Path(tmp)
        manifest = verify_archive(Path(archive), workdir)
        db_file = workdir / manifest["database"]
        if manifest["engine"] == "sqlite":
            target = Path(_db()["NAME"])
            target.parent.mkdir(parents=True, exist_ok=True)
            connections.close_all()
            staged = target.with_name(target.name + ".restoring")
            shutil.copyfile(db_file, staged)
            for suffix in ("-wal", "-shm"):  # stale WAL of the old database must not replay onto the new one
                Path(str(target) + suffix).unlink(missing_ok=True)
            os.replace(staged, target)
        else:
            connections.close_all()
            _run(["pg_restore", "--clean", "--if-exists", "--single-transaction", "--no-owner", "--no-privileges",
                  f"--dbname={_db()['NAME']}", str(db_file)], env=_pg_env())
        # Uploaded files return to the backup's state too: a backup without media/ had no uploads.
        media_src = workdir / "media"
        media = Path(settings.MEDIA_ROOT)
        staged_media = media.with_name(media.name + ".restoring")
        shutil.rmtree(staged_media, ignore_errors=True)
        if media_src.exists():
            shutil.copytree(media_src, staged_media)
        else:
            staged_media.mkdir(parents=True)
        shutil.rmtree(media, ignore_errors=True)
        os.replace(staged_media, media)
        keys_src = workdir / "keys"
        if keys_src.exists():
            home = Path(settings.IPCITY_HOME)
            # The archive's keys are the ones its encrypted fields were written with: they win.
            for key in keys_src.iterdir():
                shutil.copyfile(key, home / key.name)
                os.chmod(home / key.name, 0o600)
        return manifest
