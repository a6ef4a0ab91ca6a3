"""Streaming: reading a 200,000-row Patentics-style CSV keeps memory flat.

tracemalloc traces every allocation and slows the reader about fourfold, so it watches two windows — the first
5,000 rows (which would show a reader that loads the file up front) and the last 5,000 (which would show one that
keeps what it has read) — while the resident set size, sampled every 1,000 rows, covers the whole run.
"""
from __future__ import annotations

import csv
import os
import time
import tracemalloc

from ipcity.core.validators import compute_application_check_digit
from ipcity.ipdata.readers import PatentRecord, read_records

ROWS = 200_000
WINDOW = 5_000
LIMIT = 30 * 1024 * 1024
HEADER = ("公开号,申请号,标题,申请日,公开日,授权公告日,国际分类,国际主分类,美国分类,美国主分类,权利要求数,申请人,"
          "标准化申请人,发明人,第一发明人,本文引用专利数,引用本文专利数,本文自引用专利数,本文非自引用专利数,"
          "自引用本文专利数,非自引用本文专利数,法律状态,同族专利数,技术特征")


def _write_patentics_csv(path, rows: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        f.write(HEADER + "\n")
        writer = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator=",\n")  # Patentics' trailing comma
        for i in range(rows):
            kind = i % 2
            body = f"2021{kind + 1}{i:07d}"
            number = f"CN{body}.{compute_application_check_digit(body)}"
            publication = f"CN{216000000 + i}U" if kind else f"CN{114000000 + i}A"
            writer.writerow([
                publication, number, f"一种虚拟现实设备及其控制方法{i}", "20211230", "20220426", "20220426" if kind else "",
                "H04N  5/225 | H04N  5/232 | G03B 17/08", "H04N", "", "", "8", f"郑州科技学院{i % 977} | 某某科技有限公司",
                "郑州科技学院", "梁飞 | 屈海朋 | 牛庆丽", "梁飞", "0", "3", "0", "0", "0", "3", "有效" if kind else "公开", "0", "17"])


def _rss() -> int | None:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None


def test_reading_200k_rows_keeps_memory_flat(tmp_path):
    path = tmp_path / "big.csv"
    _write_patentics_csv(path, ROWS)
    assert path.stat().st_size > LIMIT  # loading it whole would show

    rss_before = _rss()
    rss_peak = rss_before or 0
    windows = {}
    count = 0
    started = time.perf_counter()
    tracemalloc.start()
    items = read_records(path)
    for item in items:
        count += 1
        assert isinstance(item, PatentRecord)
        if count == WINDOW:
            windows["first"] = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        elif count == ROWS - WINDOW:
            tracemalloc.start()
        if count % 1000 == 0 and rss_before is not None:
            rss_peak = max(rss_peak, _rss())
    windows["last"] = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    elapsed = time.perf_counter() - started

    assert count == ROWS
    first_current, first_peak = windows["first"]
    last_current, last_peak = windows["last"]
    assert first_peak < LIMIT, f"peak while opening and reading the first rows: {first_peak / 1e6:.1f} MB"
    assert last_peak < LIMIT, f"peak over the last rows: {last_peak / 1e6:.1f} MB"
    assert last_current < 1024 * 1024, f"{last_current / 1e6:.1f} MB kept from the last {WINDOW} rows"
    if rss_before is not None:
        assert rss_peak - rss_before < LIMIT, f"RSS grew by {(rss_peak - rss_before) / 1e6:.1f} MB"
    print(f"\n{ROWS} rows in {elapsed:.1f} s; tracemalloc peaks {first_peak / 1e6:.2f} / {last_peak / 1e6:.2f} MB; "
          f"RSS growth {((rss_peak - rss_before) / 1e6) if rss_before else float('nan'):.1f} MB")
