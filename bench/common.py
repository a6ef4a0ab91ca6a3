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


def rss_mb(children: bool = True) -> float:
    """The resident set size of this process in MB, plus its child processes' (e.g. the import's index helper) when
    `children` (Linux /proc; 0 elsewhere)."""
    def one(pid) -> float:
        try:
            with open(f"/proc/{pid}/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
        except (OSError, ValueError):
            return 0.0

    def kids(pid) -> list[str]:
        out = []
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    out += f.read().split()
        except OSError:
            pass
        return out

    total, todo = one(os.getpid()), kids(os.getpid()) if children else []
    while todo:
        pid = todo.pop()
        total += one(pid)
        todo += kids(pid)
    return total


class RssSampler:
    """Samples rss_mb() every `interval` seconds in a thread while the `with` block runs; `.peak` is the maximum."""

    def __init__(self, interval: float = 0.2):
        import threading

        self.interval = interval
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb())
            self._stop.wait(self.interval)

    def __enter__(self):
        self.peak = rss_mb()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())
