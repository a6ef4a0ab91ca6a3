"""A navigation report for a large industry: analysis, Word and PDF, against reading the same rows bare.

    python bench/bench_navigation.py [--rows 50000] [--keep FILE]

Imports the generated Patentics-style file of bench_import.py (N patents; realistic titles and abstracts, applicants
with addresses) into a throwaway installation, defines the industry as a query every patent matches (技术领域, in each
abstract), then times each step of the report job: the search-index lookup, reading the rows (analytics.navigation.
rows_for), the analysis, the Word file and the PDF. The baseline reads the same patents' columns, applicants and
inventors with plain SQL (the least any report must do) in the same run.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from common import RssSampler, setup_django


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--keep", help="the generated CSV (reused when present)")
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.utils import timezone

    import bench_import
    from ipcity.analytics import navigation_report
    from ipcity.analytics.navigation import analyse, rows_for
    from ipcity.analytics.navigation import matching_numbers, region_names
    from ipcity.ipdata.importing import import_patents
    from ipcity.regions.loader import load_regions

    load_regions()
    path = Path(args.keep) if args.keep else Path(tempfile.mkdtemp()) / "patents.csv"
    if not path.exists():
        bench_import.generate(path, args.rows)
    start = time.perf_counter()
    import_patents(path, acting_user=None)
    print(f"imported {args.rows} patents in {time.perf_counter() - start:.0f} s", flush=True)

    steps = {}
    with RssSampler() as sampler:
        t0 = time.perf_counter()
        numbers, total = matching_numbers("技术领域")
        t1 = time.perf_counter()
        rows = list(rows_for(numbers, AnonymousUser()))  # patents are public data: the public's view
        t2 = time.perf_counter()
        analysis = analyse(rows, city_code="371700", regions=region_names(rows, "371700"), as_of=timezone.localdate())
        t3 = time.perf_counter()
        meta = {"query": "技术领域", "total": total, "analysed": analysis["total"], "as_of": analysis["as_of"],
                "issuer": "菏泽市知识产权局"}
        docx = navigation_report.to_docx("专利导航报告", meta, analysis)
        t4 = time.perf_counter()
        pdf = navigation_report.to_pdf("专利导航报告", meta, analysis)
        t5 = time.perf_counter()
    steps = {"search index lookup": t1 - t0, "read rows": t2 - t1, "analysis": t3 - t2, "Word": t4 - t3,
             "PDF": t5 - t4}
    ours = t5 - t0

    t0 = time.perf_counter()
    with connection.cursor() as c:
        c.execute("SELECT id, application_number, title, patent_type, legal_status, application_date, grant_date, ipc, "
                  "region_id, cited_count, family_size, family_countries FROM ipdata_patent")
        patents = c.fetchall()
        c.execute("SELECT patent_id, role, name FROM ipdata_patentparty WHERE role IN ('applicant', 'inventor') "
                  "ORDER BY patent_id, role, \"order\"")
        parties = c.fetchall()
    raw = time.perf_counter() - t0
    print(f"\n| benchmark | size | ipcity (s) | bare SQL read of the same rows (s) | peak RSS (MB) |")
    print("|---|---|---|---|---|")
    print(f"| navigation report (analysis + Word + PDF) | {len(rows):,} patents ({total:,} matched) | {ours:.1f} | "
          f"{raw:.1f} ({len(patents):,} patents, {len(parties):,} parties) | {sampler.peak:.0f} |")
    print("\nsteps: " + "; ".join(f"{k} {v:.1f} s" for k, v in steps.items()))
    print(f"PDF {len(pdf) / 1e6:.1f} MB, Word {len(docx) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
