"""Shared by the benchmarks: a throwaway installation, median timing, the Markdown table."""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def setup_django() -> None:
    """Configure Django on a throwaway IPCITY_HOME (SQLite) or the given IPCITY_DATABASE_URL, and migrate."""
    os.environ.setdefault("IPCITY_HOME", tempfile.mkdtemp(prefix="ipcity-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "ipcity.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def timed(func, repeat: int) -> float:
    """Median wall time in ms over `repeat` runs (after one warm-up)."""
    func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def print_table(rows) -> None:
    from django.db import connection

    print(f"engine: {connection.vendor}\n")
    print("| benchmark | size | ipcity (ms, median) | raw baseline (ms, median) | ratio |")
    print("|---|---|---|---|---|")
    for name, size, ours, raw in rows:
        print(f"| {name} | {size} | {ours:.1f} | {raw:.2f} | {ours / raw:.2f}× |")
