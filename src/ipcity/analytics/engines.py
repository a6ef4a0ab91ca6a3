"""Where the indicator SQL runs. Each engine compiles the same Ibis expression (analytics.indicators) to its own
dialect and runs it on its own connection:

* ``db``: the platform's database (SQLite or PostgreSQL) through Django's connection — the web pages use it, and it
  sees the same transaction as the rest of the request;
* ``duckdb``: DuckDB over the Parquet files of `ipcity analytics export-parquet DIR` (large local corpora);
* ``spark``: Apache Spark SQL over the same Parquet files (national-scale corpora; `pip install "ipcity[spark]"`,
  Java 17; `local[2]` by default, or the master in IPCITY_SPARK_MASTER).
"""
from __future__ import annotations

from pathlib import Path

import ibis

from ipcity.analytics.schema import TABLES

ENGINES = ("db", "duckdb", "spark")


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
        _require_export(self.directory)
        self.connection = duckdb.connect()
        for name in TABLES:
            path = str(self.directory / f"{name}.parquet").replace("'", "''")
            self.connection.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")

    def rows(self, expr) -> list[tuple]:
        return self.connection.execute(ibis.to_sql(expr, dialect="duckdb")).fetchall()


def _require_export(directory: Path) -> None:
    missing = [name for name in TABLES if not (directory / f"{name}.parquet").exists()]
    if missing:
        raise FileNotFoundError(f"{directory} 中缺少 {', '.join(missing)}.parquet（请先运行 ipcity analytics "
                                "export-parquet 目录）")


class _SparkSQLOptions(ibis.config.Config):
    treat_nan_as_null: bool = False


class SparkEngine:
    name = "spark"

    def __init__(self, directory: str | Path, master: str | None = None):
        import os

        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:
            raise ValueError("Spark 引擎需要 pyspark：pip install \"ipcity[spark]\"（并安装 Java 17）") from exc
        self.directory = Path(directory)
        _require_export(self.directory)
        # Offline and local by default: no UI, loopback only, few shuffle partitions for a 2-core machine.
        self.spark = (SparkSession.builder.master(master or os.environ.get("IPCITY_SPARK_MASTER", "local[2]"))
                      .appName("ipcity-indicators").config("spark.ui.enabled", "false")
                      .config("spark.ui.showConsoleProgress", "false")
                      .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                      .config("spark.sql.shuffle.partitions", "4").config("spark.sql.session.timeZone", "UTC")
                      .getOrCreate())
        for name in TABLES:
            self.spark.read.parquet(str(self.directory / f"{name}.parquet")).createOrReplaceTempView(name)

    def rows(self, expr) -> list[tuple]:
        if ibis.options.pyspark is None:
            # Ibis's Spark SQL compiler reads this option, which only its (unused here) Spark backend would set.
            ibis.options.pyspark = _SparkSQLOptions()
        return [tuple(row) for row in self.spark.sql(ibis.to_sql(expr, dialect="pyspark")).collect()]

    def stop(self) -> None:
        self.spark.stop()


def engine(name: str, parquet_dir: str | Path | None = None):
    if name == "db":
        return DatabaseEngine()
    if name in ("duckdb", "spark"):
        if parquet_dir is None:
            raise ValueError("DuckDB 与 Spark 引擎需要 Parquet 目录（ipcity analytics export-parquet 目录）")
        return DuckDBEngine(parquet_dir) if name == "duckdb" else SparkEngine(parquet_dir)
    raise ValueError(f"未知的计算引擎：{name}（可选：{'、'.join(ENGINES)}）")
