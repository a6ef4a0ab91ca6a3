"""Patent import against a minimal hand-written pipeline doing the same work, in the same run.

    python bench/bench_import.py [--rows 20000] [--keep DIR]
    IPCITY_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipcity_bench_import python bench/bench_import.py

Both read the same generated Patentics-style CSV: realistic Chinese titles and abstracts (about 300 characters
together, ipcity.demo.synth.patent_text_long), IPC codes, 1–3 applicants from a pool of varied names with postal
addresses in real GB/T 2260 counties (the region table is loaded first, so attribution does real work), inventors.

The baseline is the least a pipeline doing the same job must do: stream the file with pyarrow's CSV reader, segment
title + abstract and the applicants with rjieba (precise mode plus full-mode dictionary words, the tokens the ipcity
index holds), bulk-insert one row per patent into a bare table (executemany, one transaction per 500 rows) and add
one document per patent to a bare tantivy index (whitespace tokenizer over the segmented text, title and abstract
stored), with one commit at the end.

ipcity (`import_patents`) also validates check digits, normalises IPC, merges publications, resolves applicants to
organisations, attributes regions, hashes rows for idempotency, keeps the raw row and revisions, checkpoints every
chunk, and indexes with positions (phrase queries), IPC/region prefixes and facets.

RSS is sampled every 0.2 s during each pipeline; "RSS at 10/50/100 %" is the resident size when that share of the
rows had been committed (ipcity: from the progress callback, the importer and its index helper).
"""
from __future__ import annotations

import argparse
import csv
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import RssSampler, print_table, rss_mb, setup_django

HEADER = ["公开号", "申请号", "标题", "摘要", "申请日", "公开日", "授权公告日", "国际分类", "国际主分类", "美国分类",
          "美国主分类", "权利要求数", "申请人", "标准化申请人", "发明人", "第一发明人", "省市", "通信地址", "本文引用专利数",
          "引用本文专利数", "本文自引用专利数", "本文非自引用专利数", "自引用本文专利数", "非自引用本文专利数", "法律状态",
          "同族专利数", "技术特征"]


def counties() -> list[tuple[str, str, str, str]]:
    """(code, province, city, county) for every county-level region whose city is a real city."""
    from ipcity.regions.models import Region

    names = dict(Region.objects.values_list("code", "name"))
    out = []
    for code, name in names.items():
        city = names.get(code[:4] + "00")
        province = names.get(code[:2] + "0000")
        if not code.endswith("00") and city and province and city != province:
            out.append((code, province, city, name))
    return sorted(out)


def generate(path: Path, rows: int) -> None:
    from ipcity.demo import synth

    rng = random.Random(7)
    pool = synth.bench_applicants(rng, counties(), max(200, min(rows // 5, 50_000)))
    seen = set()
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL)
        writer.writerow(HEADER)
        while len(seen) < rows:
            year = rng.randrange(2010, 2025)
            number = synth.application_number(rng, year, rng.choice([1, 2]))
            if number in seen:
                continue
            seen.add(number)
            title, abstract, ipcs = synth.patent_text_long(rng)
            applicants = rng.sample(pool, rng.choice([1, 1, 1, 2, 2, 3]))
            inventors = [synth.person_name(rng) for _ in range(rng.randrange(1, 5))]
            applied = f"{year}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
            published = f"{year + 1}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
            names = " | ".join(a[0] for a in applicants)
            writer.writerow([
                f"CN1{rng.randrange(10**8):08d}A", number, title, abstract, applied, published, "",
                " | ".join(ipc.replace(" ", "  ") for ipc in ipcs), ipcs[0][:4], "", "", str(rng.randrange(1, 20)),
                names, names, " | ".join(inventors), inventors[0], applicants[0][1], applicants[0][2],
                str(rng.randrange(0, 20)), str(rng.randrange(0, 20)), "0", "0", "0", "0",
                rng.choice(["公开", "实质审查", "有效", "失效"]), str(rng.randrange(1, 5)), "10"])


def baseline(path: Path, index_dir: Path, rows: int) -> dict:
    """The minimal pipeline: pyarrow CSV stream -> rjieba -> executemany into a bare table + bare tantivy index."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import rjieba
    import tantivy
    from django.db import connection, transaction

    id_column = "id INTEGER PRIMARY KEY" if connection.vendor == "sqlite" else "id SERIAL PRIMARY KEY"
    with connection.cursor() as c:
        c.execute("DROP TABLE IF EXISTS bench_patent")
        c.execute(f"CREATE TABLE bench_patent ({id_column}, number TEXT UNIQUE, title TEXT, abstract TEXT, "
                  "applicants TEXT, address TEXT, ipc TEXT, applied TEXT)")
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("text", tokenizer_name="whitespace", index_option="position")
    sb.add_text_field("applicants", tokenizer_name="whitespace", index_option="position")
    sb.add_text_field("title", stored=True, index_option="basic", tokenizer_name="raw")
    sb.add_text_field("abstract", stored=True, index_option="basic", tokenizer_name="raw")
    sb.add_text_field("ipc", tokenizer_name="raw")
    index_dir.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(sb.build(), str(index_dir))
    writer = index.writer(128_000_000)

    def segmented(text: str) -> str:
        words = rjieba.cut(text) + [w for w in rjieba.cut_all(text) if len(w) > 1]
        return " ".join(w for w in words if not w.isspace())

    columns = ["申请号", "标题", "摘要", "申请人", "通信地址", "国际分类", "申请日"]
    reader = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 22),
                            convert_options=pacsv.ConvertOptions(include_columns=columns,
                                                                 column_types={c: pa.string() for c in columns}))
    done, marks = 0, {}
    sql = ("INSERT INTO bench_patent (number, title, abstract, applicants, address, ipc, applied) "
           "VALUES (%s, %s, %s, %s, %s, %s, %s)")
    for record_batch in reader:
        data = [record_batch.column(c).to_pylist() for c in columns]
        records = list(zip(*data))
        for start in range(0, len(records), 500):
            chunk = records[start:start + 500]
            with transaction.atomic(), connection.cursor() as c:
                c.executemany(sql, chunk)
            for number, title, abstract, applicants, _address, ipc, _applied in chunk:
                doc = tantivy.Document(id=number, text=segmented(f"{title}\n{abstract}"),
                                       applicants=" ".join(segmented(a) for a in applicants.split(" | ")),
                                       title=title, abstract=abstract)
                for code in ipc.split(" | "):
                    doc.add_text("ipc", code.replace(" ", ""))
                writer.add_document(doc)
            done += len(chunk)
            for share in (10, 50):
                if share not in marks and done >= rows * share / 100:
                    marks[share] = rss_mb()
    writer.commit()
    writer.wait_merging_threads()
    marks[100] = rss_mb()
    with connection.cursor() as c:
        c.execute("DROP TABLE bench_patent")
    return marks


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--keep", help="write the generated CSV here (and reuse it if present)")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--skip-ipcity", action="store_true")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings

    from ipcity.ipdata.importing import import_patents
    from ipcity.ipdata.models import Patent
    from ipcity.regions.loader import load_regions

    load_regions()
    tmp = Path(tempfile.mkdtemp(prefix="ipcity-bench-import-"))
    path = Path(args.keep) if args.keep else tmp / "patents.csv"
    started = time.perf_counter()
    if not path.exists():
        generate(path, args.rows)
    print(f"file: {path} ({path.stat().st_size / 1e6:.0f} MB, generated/checked in "
          f"{time.perf_counter() - started:.0f} s); load: {subprocess.getoutput('uptime')}", flush=True)
    Patent.objects.filter(application_number__startswith="CN").delete()

    results = []
    ours = raw = None
    if not args.skip_ipcity:
        marks: dict[int, float] = {}

        def progress(done, total, message):
            for share in (10, 50, 100):  # 100 %: the last chunk committed, the index helper still running
                if share not in marks and done >= args.rows * share / 100:
                    marks[share] = rss_mb()
                    print(f"  ipcity {share} %: {done} rows, RSS {marks[share]:.0f} MB, "
                          f"{time.perf_counter() - start:.0f} s", flush=True)

        with RssSampler() as sampler:
            start = time.perf_counter()
            batch = import_patents(path, acting_user=None, progress=progress)
            ours = (time.perf_counter() - start) * 1000
        assert batch.created == args.rows, batch.summary()
        assert not batch.message, batch.message
        results.append(("ipcity", ours, sampler.peak, marks))
        from ipcity.ipdata.search_index import check

        missing, extra = check()
        assert not missing and not extra, (len(missing), len(extra))
        print(f"  ipcity done in {ours / 1000:.0f} s; load: {subprocess.getoutput('uptime')}", flush=True)
    if not args.skip_baseline:
        index_dir = Path(settings.IPCITY_HOME) / "bench-baseline-index"
        with RssSampler() as sampler:
            start = time.perf_counter()
            marks = baseline(path, index_dir, args.rows)
            raw = (time.perf_counter() - start) * 1000
        shutil.rmtree(index_dir, ignore_errors=True)
        results.append(("baseline", raw, sampler.peak, marks))
        print(f"  baseline done in {raw / 1000:.0f} s; load: {subprocess.getoutput('uptime')}", flush=True)

    print()
    if ours and raw:
        print_table([(f"import a Patentics CSV, segment, index", f"{args.rows} rows", ours, raw)])
        print()
    print("| pipeline | rows/s | wall (s) | peak RSS (MB) | RSS at 10 / 50 / 100 % (MB) |")
    print("|---|---|---|---|---|")
    for name, ms, peak, marks in results:
        shares = " / ".join(f"{marks[s]:.0f}" if s in marks else "–" for s in (10, 50, 100))
        print(f"| {name} | {args.rows / ms * 1000:.0f} | {ms / 1000:.1f} | {peak:.0f} | {shares} |")
    print(f"\nload after: {subprocess.getoutput('uptime')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
