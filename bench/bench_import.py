"""Patent import against a minimal hand-written pipeline, in the same run.

    python bench/bench_import.py [--rows 20000]
    IPCITY_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipcity_bench python bench/bench_import.py

Both read the same generated Patentics-style CSV. The baseline is the least any importer must do: read the CSV with
the csv module and bulk-insert one row per patent into a bare table. ipcity also validates check digits, normalises
IPC, merges publications, resolves applicants, attributes regions, hashes rows for idempotency, keeps the raw row
and checkpoints every chunk.
"""
from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from common import print_table, setup_django


def generate(path: Path, rows: int) -> None:
    from ipcity.demo import synth

    rng = random.Random(7)
    header = ["公开号", "申请号", "标题", "申请日", "公开日", "授权公告日", "国际分类", "国际主分类", "美国分类", "美国主分类",
              "权利要求数", "申请人", "标准化申请人", "发明人", "第一发明人", "本文引用专利数", "引用本文专利数",
              "本文自引用专利数", "本文非自引用专利数", "自引用本文专利数", "非自引用本文专利数", "法律状态", "同族专利数", "技术特征"]
    seen = set()
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        while len(seen) < rows:
            number = synth.application_number(rng, rng.randrange(2010, 2026), rng.choice([1, 2]))
            if number in seen:
                continue
            seen.add(number)
            title, _, ipc = synth.patent_text(rng)
            writer.writerow([f"CN1{rng.randrange(10**8):08d}A", number, title, "20200105", "20200601", "",
                             f"{ipc.replace(' ', '  ')} | G06F 17/00", ipc[:4], "", "", "8", "某某科技有限公司",
                             "某某科技有限公司", "张三 | 李四", "张三", "0", "0", "0", "0", "0", "0", "公开", "1", "10"])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    setup_django()
    from django.db import connection, transaction

    from ipcity.ipdata.importing import import_patents
    from ipcity.ipdata.models import Patent

    tmp = Path(tempfile.mkdtemp(prefix="ipcity-bench-import-"))
    path = tmp / "patents.csv"
    generate(path, args.rows)
    Patent.objects.filter(application_number__startswith="CN").delete()

    start = time.perf_counter()
    batch = import_patents(path, acting_user=None)
    ours = (time.perf_counter() - start) * 1000
    assert batch.created == args.rows, batch.summary()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    id_column = "id INTEGER PRIMARY KEY" if connection.vendor == "sqlite" else "id SERIAL PRIMARY KEY"
    with connection.cursor() as c:
        c.execute("DROP TABLE IF EXISTS bench_patent")
        c.execute(f"CREATE TABLE bench_patent ({id_column}, number TEXT UNIQUE, title TEXT, applicant TEXT, "
                  "ipc TEXT, applied TEXT)")
    start = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        chunk = []
        for row in reader:
            chunk.append((row[1], row[2], row[11], row[6], row[3]))
            if len(chunk) >= 500:
                with transaction.atomic(), connection.cursor() as c:
                    c.executemany("INSERT INTO bench_patent (number, title, applicant, ipc, applied) "
                                  "VALUES (%s, %s, %s, %s, %s)", chunk)
                chunk = []
        if chunk:
            with transaction.atomic(), connection.cursor() as c:
                c.executemany("INSERT INTO bench_patent (number, title, applicant, ipc, applied) "
                              "VALUES (%s, %s, %s, %s, %s)", chunk)
    raw = (time.perf_counter() - start) * 1000
    with connection.cursor() as c:
        c.execute("DROP TABLE bench_patent")
    print_table([(f"import a Patentics CSV (peak RSS {peak_mb:.0f} MB)", f"{args.rows} rows", ours, raw)])
    print(f"\nipcity: {args.rows / ours * 1000:.0f} rows/s; baseline: {args.rows / raw * 1000:.0f} rows/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
