"""Where the indicator SQL runs. Each engine compiles the same Ibis expression (analytics.indicators) to its own
dialect and runs it on its own connection:

* ``db``: the platform's database (SQLite or PostgreSQL) through Django's connection — the web pages use it, and it
  sees the same transaction as the rest of the request;
* ``duckdb``: DuckDB over the Parquet files of `ipcity analytics export-parquet DIR` (large local corpora).
"""
from __future__ import annotations

from pathlib import Path

import ibis

from ipcity.analytics.schema import TABLES

ENGINES = ("db", "duckdb")


class DatabaseEngine:
    name = "db"

    def rows(self, expr) -> list[tuple]:
        from django.db import connection

        sql = ibis.to_sql(expr, dialect="sqlite" if connection.vendor == "sqlite" else "postgres")
        with connection.cursor() as cursor:
            cursor.execute(sql)  # no parameters: the SQL is Ibis's own, with every literal compiled in
            return cursor.fetchall()


class DuckDBEngine:
    name = "duckdb"

    def __init__(self, directory: str | Path):
        import duckdb

        self.directory = Path(directory)
        missing = [name for name in TABLES if not (self.directory / f"{name}.parquet").exists()]
        if missing:
            raise FileNotFoundError(f"{self.directory} 中缺少 {', '.join(missing)}.parquet（请先运行 ipcity analytics "
                                    "export-parquet 目录）")
        self.connection = duckdb.connect()
        for name in TABLES:
            path = str(self.directory / f"{name}.parquet").replace("'", "''")
            self.connection.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")

    def rows(self, expr) -> list[tuple]:
        return self.connection.execute(ibis.to_sql(expr, dialect="duckdb")).fetchall()


def engine(name: str, parquet_dir: str | Path | None = None):
    if name == "db":
        return DatabaseEngine()
    if name == "duckdb":
        if parquet_dir is None:
            raise ValueError("DuckDB 引擎需要 Parquet 目录（ipcity analytics export-parquet 目录）")
        return DuckDBEngine(parquet_dir)
    raise ValueError(f"未知的计算引擎：{name}（可选：{'、'.join(ENGINES)}）")
