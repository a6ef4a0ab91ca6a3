"""Load on the public intake API (POST /api/v1/public/submissions) against PostgreSQL, served by gunicorn on
loopback, next to the raw baseline — a minimal Django view that inserts one row — in the same run.

    python bench/bench_intake.py [--rate 200] [--seconds 30] [--workers 3] [--threads 4]

Needs PostgreSQL (IPCITY_BENCH_PG, default postgres://postgres@127.0.0.1:5432/ipcity_bench_intake; the database is
dropped and re-created) and wrk (Debian package `wrk`). Bounded: every phase has a fixed duration.

1. Capacity (closed loop, wrk, 16 connections, --capacity-seconds each): requests/s of the baseline and of the
   intake API with the documented example body (one evidence file), each request with its own Idempotency-Key —
   in --rounds alternating rounds (medians compared) with the registration worker paused (a burst: the request
   path alone, registration deferred), then once with the worker registering alongside; the time the worker takes
   to register the first burst is registration's own rate.
2. Sustained (open loop, this script's asyncio client): --rate submissions/s for --seconds, latency measured from
   each request's scheduled time (no coordinated omission); 5 % of the submissions are sent twice with the same key
   (a client retrying after a lost response) and failed or timed-out requests are retried with their key.
3. Check: every key issued in phase 2 is exactly one submission — none lost, none duplicated.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
URL = "/api/v1/public/submissions"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(db_url: str, env: dict) -> None:
    import psycopg

    name = db_url.rsplit("/", 1)[1]
    admin = db_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    print("preparing the installation (ipcity demo --no-serve --scale 1) …", flush=True)
    subprocess.run([sys.executable, "-m", "ipcity", "demo", "--no-serve", "--scale", "1"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE bench_minimal (id bigserial PRIMARY KEY, key text NOT NULL, body jsonb NOT NULL,"
                     " created_at timestamptz NOT NULL DEFAULT now())")


def start_server(env: dict, port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    server_env = {**env, "DJANGO_SETTINGS_MODULE": "bench_settings",
                  "PYTHONPATH": os.pathsep.join([str(HERE / "intake"), env.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "ipcity.wsgi:application", "-b", f"127.0.0.1:{port}",
                             "-k", "gthread", "--workers", str(workers), "--threads", str(threads),
                             "--backlog", "2048", "--graceful-timeout", "5", "--log-level", "warning"],
                            env=server_env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"gunicorn did not start:\n{log.read_text()[-2000:]}")


def wrk(port: int, path: str, body_file: Path, prefix: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s",
                          str(HERE / "intake" / "post.lua"), f"http://127.0.0.1:{port}{path}"],
                         env={**os.environ, "BODY_FILE": str(body_file), "KEY_PREFIX": prefix},
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return {"rps": rps, "p50": float(re.search(r"P50_MS ([\d.]+)", out).group(1)),
            "p99": float(re.search(r"P99_MS ([\d.]+)", out).group(1)),
            "non2xx": int(re.search(r"NON2XX (\d+)", out).group(1)), "raw": out}


def rounds_text(rounds: list[dict]) -> str:
    return ", ".join(f"{r['rps']:.0f}" for r in rounds)


# --- open-loop client ----------------------------------------------------------------------------------------------

async def post(port: int, body: bytes, key: str, timeout: float) -> tuple[int, bytes]:
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    try:
        head = (f"POST {URL} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Idempotency-Key: {key}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        writer.write(head + body)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, data.split(b"\r\n\r\n", 1)[-1]


async def sustained(port: int, body_for, rate: float, seconds: float, retry_share: float) -> dict:
    total = int(rate * seconds)
    start = time.perf_counter() + 0.5
    latencies, failures, attempts = [], 0, 0
    tracking: dict[str, set[str]] = {}
    rng = random.Random(7)

    async def one(i: int) -> None:
        nonlocal failures, attempts
        key = f"sustain-{i}"
        scheduled = start + i / rate
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        body = body_for(key)
        first = True
        for _ in range(4):
            attempts += 1
            try:
                status, payload = await post(port, body, key, timeout=10)
            except (OSError, TimeoutError):
                status, payload = 0, b""
            if first:
                latencies.append((time.perf_counter() - scheduled) * 1000)
                first = False
            if status == 201:
                tracking.setdefault(key, set()).add(json.loads(payload)["tracking_number"])
                break
            failures += 1
            await asyncio.sleep(0.2)
        if rng.random() < retry_share:  # the client lost the response and sends the same request again
            attempts += 1
            try:
                status, payload = await post(port, body, key, timeout=10)
            except (OSError, TimeoutError):
                status = 0
            if status == 201:
                tracking.setdefault(key, set()).add(json.loads(payload)["tracking_number"])

    began = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(total)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {"sent": total, "attempts": attempts, "failures": failures, "elapsed": elapsed,
            "rate": total / (elapsed - 0.5), "p50": statistics.median(latencies),
            "p95": latencies[int(0.95 * len(latencies)) - 1], "p99": latencies[int(0.99 * len(latencies)) - 1],
            "tracking": tracking}


def checkpoint(db_url: str) -> None:
    """Start a measured phase from a fresh checkpoint: earlier phases (and earlier runs on the same server) leave WAL
    behind, and a checkpoint falling due inside a 30-second phase stalls every commit for its fsync — noise that
    says nothing about the code measured."""
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("CHECKPOINT")


def pending(db_url: str) -> int:
    import psycopg

    with psycopg.connect(db_url) as conn:
        return conn.execute("SELECT count(*) FROM protection_submission WHERE registered_at IS NULL").fetchone()[0]


def check_database(db_url: str, issued: int, tracking: dict) -> dict:
    import psycopg

    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT idempotency_key, count(*) FROM protection_submission "
                            "WHERE idempotency_key LIKE 'sustain-%%' GROUP BY idempotency_key").fetchall()
    stored = {key: n for key, n in rows}
    lost = [f"sustain-{i}" for i in range(issued) if f"sustain-{i}" not in stored]
    duplicated = sum(n - 1 for n in stored.values() if n > 1)
    inconsistent = sum(1 for numbers in tracking.values() if len(numbers) > 1)  # one key answered two numbers
    return {"stored": len(stored), "lost": len(lost), "duplicated": duplicated, "inconsistent": inconsistent}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--capacity-seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="alternating baseline/intake capacity rounds")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    db_url = os.environ.get("IPCITY_BENCH_PG", "postgres://postgres@127.0.0.1:5432/ipcity_bench_intake")
    home = Path(tempfile.mkdtemp(prefix="ipcity-bench-intake-"))
    env = {**os.environ, "IPCITY_HOME": str(home), "IPCITY_DATABASE_URL": db_url,
           "IPCITY_EMBEDDED_WORKER": "0"}
    prepare(db_url, env)
    os.environ.update(env, DJANGO_SETTINGS_MODULE="ipcity.settings")
    import django

    django.setup()
    from ipcity.protection.api import EXAMPLE

    example = dict(EXAMPLE)
    body_file = home / "body.json"
    body_file.write_text(json.dumps(example, ensure_ascii=False), encoding="utf-8")
    port = free_port()
    proc = start_server(env, port, args.workers, args.threads, home / "gunicorn.log")
    # Registration (routing, deadlines, audit) runs in the background worker, as in production. The burst phase
    # pauses it (SIGSTOP), as a burst outruns it, so that phase measures the request path alone; the next phase
    # measures the same burst with the worker registering alongside, the drain measures registration alone, and the
    # sustained phase runs with the worker on from an empty backlog (steady state).
    worker = subprocess.Popen([sys.executable, "-m", "ipcity", "worker"], env=env, stdout=subprocess.DEVNULL,
                              stderr=(home / "worker.log").open("wb"), start_new_session=True)

    def drain_seconds() -> tuple[int, float]:
        started, backlog = time.perf_counter(), pending(db_url)
        while pending(db_url) and time.perf_counter() - started < 900:
            time.sleep(0.5)
        return backlog, time.perf_counter() - started

    try:
        wrk(port, "/bench/minimal/", body_file, "warm-base", 2, 4)
        wrk(port, URL, body_file, "warm-intake", 2, 4)
        drain_seconds()
        # Rounds alternate baseline and intake so that a slow stretch of this shared machine (a checkpoint, a
        # neighbour) falls on both alike; the medians are compared.
        bases, ours_rounds = [], []
        checkpoint(db_url)
        os.killpg(worker.pid, signal.SIGSTOP)
        for round_number in range(args.rounds):
            bases.append(wrk(port, "/bench/minimal/", body_file, f"base{round_number}", args.capacity_seconds,
                             args.connections))
            ours_rounds.append(wrk(port, URL, body_file, f"cap{round_number}", args.capacity_seconds,
                                   args.connections))
        os.killpg(worker.pid, signal.SIGCONT)
        base = sorted(bases, key=lambda r: r["rps"])[len(bases) // 2]
        ours = sorted(ours_rounds, key=lambda r: r["rps"])[len(ours_rounds) // 2]
        burst_backlog, burst_drain = drain_seconds()
        alongside = wrk(port, URL, body_file, "capw", args.capacity_seconds, args.connections)
        drain_seconds()

        def body_for(key: str) -> bytes:
            return json.dumps({**example, "external_reference": key}, ensure_ascii=False).encode()

        checkpoint(db_url)
        load = asyncio.run(sustained(port, body_for, args.rate, args.seconds, retry_share=0.05))
        backlog, drain = drain_seconds()
    finally:
        worker.terminate()
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
    errors = [line for line in (home / "gunicorn.log").read_text(errors="replace").splitlines()
              if "Error" in line and "Traceback" not in line]
    if errors:
        print(f"server errors ({len(errors)}):", *errors[:5], sep="\n  ")
    check = check_database(db_url, load["sent"], load["tracking"])
    print(f"\nserver: gunicorn gthread, {args.workers} workers × {args.threads} threads, PostgreSQL, loopback, "
          f"{os.cpu_count()} cores shared with the load generator\n")
    print("| phase | requests/s | p50 (ms) | p99 (ms) | non-2xx |")
    print("|---|---|---|---|---|")
    print(f"| baseline: minimal Django view inserting one row (wrk, {args.connections} conns, "
          f"{args.capacity_seconds} s, median of {args.rounds} rounds: {rounds_text(bases)}) "
          f"| {base['rps']:.0f} | {base['p50']:.1f} | {base['p99']:.1f} | {base['non2xx']} |")
    print(f"| intake API, example body with one evidence file, registration deferred (wrk, same, alternating: "
          f"{rounds_text(ours_rounds)}) | {ours['rps']:.0f} "
          f"| {ours['p50']:.1f} | {ours['p99']:.1f} | {ours['non2xx']} |")
    print(f"| intake API, same, with the worker registering alongside (wrk, same) | {alongside['rps']:.0f} "
          f"| {alongside['p50']:.1f} | {alongside['p99']:.1f} | {alongside['non2xx']} |")
    print(f"| intake API at {args.rate:.0f}/s for {args.seconds:.0f} s (open loop, 5 % resent) | {load['rate']:.0f} "
          f"| {load['p50']:.1f} | {load['p99']:.1f} | {load['failures']} |")
    print(f"\ncapacity ratio intake / baseline: {ours['rps'] / base['rps']:.0%} (registration deferred), "
          f"{alongside['rps'] / base['rps']:.0%} (worker registering alongside)")
    print(f"registration alone (the worker draining the burst phase's {burst_backlog} submissions, batches of up to "
          f"200): {burst_backlog / max(burst_drain, 1e-9):.0f} submissions/s; after the sustained phase "
          f"{backlog} were awaiting registration, all registered {drain:.1f} s later")
    print(f"sustained phase: {load['sent']} submissions issued, {load['attempts']} requests sent (retries and resends "
          f"included); stored {check['stored']}, lost {check['lost']}, duplicated {check['duplicated']}, "
          f"keys answered with two numbers {check['inconsistent']}")
    ok = (check["lost"] == 0 and check["duplicated"] == 0 and check["inconsistent"] == 0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
