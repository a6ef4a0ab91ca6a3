"""Patent import against a minimal hand-written pipeline doing the same work, in the same run.

    python bench/bench_import.py [--rows 20000] [--keep FILE] [--skip-ipcity] [--skip-baseline] [--skip-text-only]
    IPCITY_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipcity_bench_import python bench/bench_import.py

Both read the same generated Patentics-style CSV: realistic Chinese titles and abstracts (about 300 characters
together, ipcity.demo.synth.patent_text_long), IPC codes, 1–3 applicants from a pool of varied names with postal
addresses in real GB/T 2260 counties (the region table is loaded first, so attribution does real work), inventors.

Two baselines, each the least a hand-written pipeline must do:

* "same work" — what the issue asks to compare with: stream the file with pyarrow's CSV reader; insert the rows ipcity
  keeps for a new patent (the patent, its publication, applicants and inventors, the raw source row with its SHA-256)
  with executemany into bare tables with the same unique keys and secondary indexes, one transaction per 2,000 rows;
  and index the same fields as ipcity (title, abstract, applicants, inventors with positions; one combined field with
  adjacent-word pairs; stored originals; IPC with its prefixes; region, type, status, applicant facets; dates), the
  words from rjieba (precise plus full-mode dictionary words) space-joined so that tantivy's whitespace tokenizer
  numbers the positions; one index commit at the end.
* "text only" — the first baseline, kept for comparison with earlier results: one bare table of seven columns and an
  index of title/abstract text, applicants and IPC only.

ipcity (`import_patents`) also validates check digits, normalises IPC, merges publications, resolves applicants to
organisations, attributes regions from addresses, checks row hashes for idempotency, keeps revisions, checkpoints
every chunk, and indexes with positions counted in characters so that overlapping dictionary words keep exact phrase
adjacency (which the whitespace tokenizer cannot express).

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


def _baseline_reader(path: Path, columns: list[str]):
    import pyarrow as pa
    import pyarrow.csv as pacsv

    return pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 22),
                          convert_options=pacsv.ConvertOptions(include_columns=columns,
                                                               column_types={c: pa.string() for c in columns}))


def _rss_marks(marks: dict, done: int, rows: int) -> None:
    for share in (10, 50):
        if share not in marks and done >= rows * share / 100:
            marks[share] = rss_mb()


def baseline_text_only(path: Path, index_dir: Path, rows: int) -> dict:
    """The first baseline (kept for comparison with earlier runs): pyarrow CSV stream -> rjieba -> executemany of
    seven columns into one bare table + a bare tantivy index of title/abstract text, applicants and IPC."""
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
    done, marks = 0, {}
    sql = ("INSERT INTO bench_patent (number, title, abstract, applicants, address, ipc, applied) "
           "VALUES (%s, %s, %s, %s, %s, %s, %s)")
    for record_batch in _baseline_reader(path, columns):
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
            _rss_marks(marks, done, rows)
    writer.commit()
    writer.wait_merging_threads()
    marks[100] = rss_mb()
    with connection.cursor() as c:
        c.execute("DROP TABLE bench_patent")
    return marks


# The bare tables of the same-work baseline: the rows ipcity keeps for a new patent (the patent, its publication,
# its applicants and inventors, the raw source row), with the same unique keys and secondary indexes.
SAME_WORK_TABLES = [
    "CREATE TABLE bench_patent (id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, patent_type TEXT, title TEXT, "
    "abstract TEXT, applied DATE, published DATE, ipc_main TEXT, ipc TEXT, legal_status TEXT, first_applicant TEXT, "
    "region TEXT)",
    "CREATE INDEX bench_patent_type ON bench_patent (patent_type)",
    "CREATE INDEX bench_patent_applied ON bench_patent (applied)",
    "CREATE INDEX bench_patent_ipc_main ON bench_patent (ipc_main)",
    "CREATE INDEX bench_patent_legal_status ON bench_patent (legal_status)",
    "CREATE INDEX bench_patent_first_applicant ON bench_patent (first_applicant)",
    "CREATE INDEX bench_patent_region ON bench_patent (region)",
    "CREATE TABLE bench_publication ({auto}, patent_id INTEGER NOT NULL, number TEXT NOT NULL UNIQUE, "
    "kind TEXT, date DATE)",
    "CREATE INDEX bench_publication_patent ON bench_publication (patent_id)",
    "CREATE TABLE bench_party ({auto}, patent_id INTEGER NOT NULL, role TEXT, ord INTEGER, "
    "name TEXT, address TEXT)",
    "CREATE INDEX bench_party_patent ON bench_party (patent_id)",
    "CREATE INDEX bench_party_name ON bench_party (name)",
    "CREATE TABLE bench_source_row ({auto}, patent_id INTEGER NOT NULL, row_number INTEGER NOT NULL "
    "UNIQUE, row_hash TEXT, raw TEXT)",
    "CREATE INDEX bench_source_row_patent ON bench_source_row (patent_id)",
    "CREATE INDEX bench_source_row_hash ON bench_source_row (row_hash)",
]


def _same_work_schema():
    """The fields of the ipcity index (search.index.build_schema), filled the plain way: whitespace tokenizer over
    space-joined words (tantivy numbers the positions), one combined field with adjacent-word pairs."""
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    for name in ("title", "abstract", "applicants", "inventors"):
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="position")
        sb.add_bytes_field(f"src_{name}", stored=True)
    sb.add_text_field("all", tokenizer_name="whitespace", index_option="position")
    for name in ("patent_type", "legal_status", "ipc_subclass", "applicant", "region_own"):
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    for name in ("ipc", "region"):
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("year", indexed=True, fast=True)
    sb.add_integer_field("application_date", stored=True, indexed=True, fast=True)
    sb.add_integer_field("publication_date", indexed=True, fast=True)
    return sb.build()


def baseline(path: Path, index_dir: Path, rows: int, regions: dict[str, str]) -> dict:
    """The minimal pipeline doing the same work: pyarrow CSV stream; the rows ipcity keeps for a new patent
    (patent, publication, parties, raw source row with its hash) inserted with executemany into bare tables with
    the same keys and indexes, one transaction per 2,000 rows; the same index fields (rjieba precise + full-mode
    words per text field, a combined field with adjacent-word pairs, stored originals, IPC and region prefixes,
    facet and date fields); one index commit at the end. `regions`: province name -> code (attribution by the
    file's province column, the least an attribution can do)."""
    import hashlib
    import json

    import rjieba
    import tantivy
    from django.db import connection, transaction

    with connection.cursor() as c:
        for table in ("bench_patent", "bench_publication", "bench_party", "bench_source_row"):
            c.execute(f"DROP TABLE IF EXISTS {table}")
        auto = "id INTEGER PRIMARY KEY" if connection.vendor == "sqlite" else "id SERIAL PRIMARY KEY"
        for statement in SAME_WORK_TABLES:
            c.execute(statement.replace("{auto}", auto))
    index_dir.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(_same_work_schema(), str(index_dir))
    writer = index.writer(128_000_000)
    cut, cut_all = rjieba.cut, rjieba.cut_all

    def words(text: str) -> list[str]:
        precise = [w for w in cut(text) if w.strip()]
        return precise + [w for w in cut_all(text) if len(w) > 1], precise

    def pairs(precise: list[str]) -> list[str]:
        return [f"{a}_{b}" for a, b in zip(precise, precise[1:]) if len(a) > 1 and len(b) > 1]

    columns = HEADER
    sql = {
        "patent": "INSERT INTO bench_patent (id, number, patent_type, title, abstract, applied, published, ipc_main, "
                  "ipc, legal_status, first_applicant, region) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        "publication": "INSERT INTO bench_publication (patent_id, number, kind, date) VALUES (%s, %s, %s, %s) "
                       "ON CONFLICT (number) DO NOTHING",  # generated publication numbers can repeat
        "party": "INSERT INTO bench_party (patent_id, role, ord, name, address) VALUES (%s, %s, %s, %s, %s)",
        "source_row": "INSERT INTO bench_source_row (patent_id, row_number, row_hash, raw) VALUES (%s, %s, %s, %s)",
    }
    done, marks, row_number = 0, {}, 1
    for record_batch in _baseline_reader(path, columns):
        records = list(zip(*[record_batch.column(c).to_pylist() for c in columns]))
        for start in range(0, len(records), 2000):
            out = {name: [] for name in sql}
            for values in records[start:start + 2000]:
                row_number += 1
                done += 1
                raw = dict(zip(columns, values))
                pid = done
                number, title, abstract = raw["申请号"], raw["标题"], raw["摘要"]
                applied, published = raw["申请日"], raw["公开日"]
                ipcs = [code.replace("  ", " ") for code in raw["国际分类"].split(" | ")]
                applicants, inventors = raw["申请人"].split(" | "), raw["发明人"].split(" | ")
                region = regions.get(raw["省市"])
                patent_type = "发明" if number[7] == "1" else "实用新型"
                out["patent"].append((pid, number, patent_type, title, abstract,
                                      f"{applied[:4]}-{applied[4:6]}-{applied[6:]}",
                                      f"{published[:4]}-{published[4:6]}-{published[6:]}", ipcs[0],
                                      json.dumps(ipcs, ensure_ascii=False), raw["法律状态"], applicants[0], region))
                out["publication"].append((pid, raw["公开号"], raw["公开号"][-1:], published))
                out["party"] += [(pid, "applicant", i, name, raw["通信地址"]) for i, name in enumerate(applicants)]
                out["party"] += [(pid, "inventor", i, name, "") for i, name in enumerate(inventors)]
                payload = json.dumps(raw, ensure_ascii=False)
                out["source_row"].append((pid, row_number, hashlib.sha256(payload.encode()).hexdigest(), payload))

                doc = tantivy.Document(id=number)
                combined = []
                for name, texts in (("title", [title]), ("abstract", [abstract]), ("applicants", applicants),
                                    ("inventors", inventors)):
                    tokens, precise = [], []
                    for text in texts:
                        found, exact = words(text)
                        tokens += found
                        precise += exact
                    joined = " ".join(tokens)
                    doc.add_text(name, joined)
                    doc.add_bytes(f"src_{name}", "；".join(texts).encode())
                    combined += [joined, " ".join(pairs(precise))]
                doc.add_text("all", " ".join(combined))
                doc.add_text("patent_type", patent_type)
                doc.add_text("legal_status", raw["法律状态"])
                for name in applicants:
                    doc.add_text("applicant", name)
                for code in ipcs:
                    compact = code.replace(" ", "")
                    subclass, group = compact[:4], compact.split("/")[0]
                    for prefix in dict.fromkeys((compact[:1], compact[:3], subclass, group, compact)):
                        doc.add_text("ipc", prefix)
                    doc.add_text("ipc_subclass", subclass)
                if region:
                    doc.add_text("region_own", region)
                    doc.add_text("region", region)
                doc.add_integer("application_date", int(applied))
                doc.add_integer("year", int(applied[:4]))
                doc.add_integer("publication_date", int(published))
                writer.add_document(doc)
            with transaction.atomic(), connection.cursor() as c:
                for name, statement in sql.items():
                    c.executemany(statement, out[name])
            _rss_marks(marks, done, rows)
    writer.commit()
    writer.wait_merging_threads()
    marks[100] = rss_mb()
    with connection.cursor() as c:
        for table in ("bench_patent", "bench_publication", "bench_party", "bench_source_row"):
            c.execute(f"DROP TABLE {table}")
    return marks


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--keep", help="write the generated CSV here (and reuse it if present)")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--skip-ipcity", action="store_true")
    parser.add_argument("--skip-text-only", action="store_true", help="run the same-work baseline only")
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
        from ipcity.regions.models import Region

        provinces = dict(Region.objects.filter(code__endswith="0000").values_list("name", "code"))
        runs = [("baseline (same work)", lambda d: baseline(path, d, args.rows, provinces))]
        if not args.skip_text_only:
            runs.append(("baseline (text only)", lambda d: baseline_text_only(path, d, args.rows)))
        for name, run in runs:
            index_dir = Path(settings.IPCITY_HOME) / "bench-baseline-index"
            with RssSampler() as sampler:
                start = time.perf_counter()
                marks = run(index_dir)
                ms = (time.perf_counter() - start) * 1000
            shutil.rmtree(index_dir, ignore_errors=True)
            results.append((name, ms, sampler.peak, marks))
            raw = raw or ms
            print(f"  {name} done in {ms / 1000:.0f} s; load: {subprocess.getoutput('uptime')}", flush=True)

    print()
    if ours and raw:
        print_table([(f"import a Patentics CSV, segment, index (vs {name})", f"{args.rows} rows", ours, ms)
                     for name, ms, _, _ in results[1:]])
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
