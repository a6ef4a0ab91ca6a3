"""A fresh, independent ipcity installation for tests that drive the `ipcity` command in a subprocess.

On the SQLite run it is a new IPCITY_HOME; on the PostgreSQL run (IPCITY_DATABASE_URL set) it is also a new,
empty database on the same server, dropped afterwards. Use it as a pytest fixture via tests/conftest.py.
"""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

# Fixed keys, so a "wiped" installation can still read a restored database's encrypted fields.
TEST_FIELD_KEYS = '{"k1": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}'
TEST_DIGEST_KEY = "ZGlnZXN0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU="


@dataclass
class Installation:
    home: Path
    env: dict
    database_url: str | None

    def run(self, *args: str, check: bool = True, timeout: int = 300, input: str | None = None):
        """Run `ipcity ARGS` for this installation; returns the CompletedProcess (text)."""
        result = subprocess.run([sys.executable, "-m", "ipcity", *args], env=self.env, cwd=self.home,
                                capture_output=True, text=True, timeout=timeout, input=input)
        if check and result.returncode != 0:
            raise AssertionError(f"ipcity {' '.join(args)} exited {result.returncode}\n"
                                 f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
        return result

    @property
    def is_postgres(self) -> bool:
        return self.database_url is not None


def _admin_connection(url: str):
    import psycopg

    from dj_database_url import parse

    cfg = parse(url)
    return psycopg.connect(host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432, user=cfg["USER"] or "postgres",
                           password=cfg.get("PASSWORD") or None, dbname="postgres", autocommit=True)


def make_installation(tmp_path: Path):
    """Generator for a fixture: yields an Installation and removes its database afterwards."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IPCITY_", "DJANGO_"))}
    env.update({"IPCITY_HOME": str(home), "IPCITY_FIELD_KEYS": TEST_FIELD_KEYS, "IPCITY_DIGEST_KEY": TEST_DIGEST_KEY,
                "IPCITY_SECRET_KEY": "installation-test-secret-key-0123456789-abcdefghijklmnop",
                # Pre-compressing the static files costs ~30 s per installation and is not what these tests test.
                "IPCITY_STATIC_COMPRESS": "0"})
    base_url = os.environ.get("IPCITY_DATABASE_URL")
    database_url = None
    name = None
    if base_url:
        name = f"ipcity_cli_{uuid.uuid4().hex[:10]}"
        with _admin_connection(base_url) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        database_url = base_url.rsplit("/", 1)[0] + "/" + name
        env["IPCITY_DATABASE_URL"] = database_url
    try:
        yield Installation(home=home, env=env, database_url=database_url)
    finally:
        if name:
            with _admin_connection(base_url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
