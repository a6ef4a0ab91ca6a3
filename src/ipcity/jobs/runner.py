"""Run queued jobs: in a thread inside `ipcity serve` (embedded, no broker) or as `ipcity worker`.

Claiming a job is a conditional UPDATE (status queued → running), so two workers never run the same job on
either backend. Progress is written in its own short transactions so a page polling it sees it move.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
import time
import traceback

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from ipcity.core.audit import record
from ipcity.core.rules import declare
from ipcity.jobs.models import Job
from ipcity.jobs.registry import get_kind

log = logging.getLogger(__name__)


class Progress:
    """Handed to a job function: `progress(done, total, message)`; throttled to a write every 0.5 s."""

    def __init__(self, job: Job, on_update=None):
        self.job = job
        self.on_update = on_update
        self._last_write = 0.0

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        job = self.job
        job.progress_done = done
        if total is not None:
            job.progress_total = total
        if message:
            job.message = message[:300]
        if self.on_update:
            self.on_update(job)
        now = time.monotonic()
        if now - self._last_write >= 0.5 or (job.progress_total and done >= job.progress_total):
            self._last_write = now
            Job.objects.filter(pk=job.pk).update(progress_done=job.progress_done, progress_total=job.progress_total,
                                                 message=job.message, heartbeat_at=timezone.now())


def claim(job_id=None) -> Job | None:
    qs = Job.objects.filter(status=Job.Status.QUEUED)
    if job_id is not None:
        qs = qs.filter(pk=job_id)
    for candidate in qs.order_by("created_at").values_list("pk", flat=True)[:5]:
        now = timezone.now()
        if Job.objects.filter(pk=candidate, status=Job.Status.QUEUED).update(
                status=Job.Status.RUNNING, started_at=now, heartbeat_at=now):
            return Job.objects.get(pk=candidate)
    return None


def run_job(job: Job, on_update=None) -> Job:
    """Run a claimed job to the end and record its outcome.

    The function runs outside any transaction: it does its work in steps, each an action (its own transaction),
    so progress is visible to pollers at once and a long import is resumable — a failure rolls back only the
    step that failed, keeps the steps already committed, and leaves the error on the job."""
    progress = Progress(job, on_update)
    try:
        # Inside the try: an unknown kind (e.g. one removed in an upgrade) fails the job instead of leaving it
        # "running" for ever.
        kind = get_kind(job.kind)
        result = kind.func(job, progress, **job.params)
        # A result the JSON field cannot store would fail the save below and strand the job as running.
        json.dumps(result)
    except Exception as exc:  # noqa: BLE001 — any failure is reported on the job, not raised in a worker
        log.exception("job %s failed", job.pk)
        job.status, job.error = Job.Status.FAILED, f"{type(exc).__name__}: {exc}"
        job.message = "任务失败：" + str(exc)[:280]
        details = traceback.format_exc(limit=5)
        job.error = (job.error + "\n" + details)[:20000]
    else:
        job.status, job.result, job.message = Job.Status.SUCCEEDED, result, job.message or "已完成"
        if job.progress_total:
            job.progress_done = job.progress_total
    job.finished_at = timezone.now()
    with transaction.atomic():  # the outcome and its audit row commit together
        job.save(update_fields=["status", "result", "error", "message", "progress_done", "progress_total",
                                "finished_at"])
        record("jobs.finish", acting_user=job.created_by, obj=job, outcome="success" if job.status ==
               Job.Status.SUCCEEDED else "failure", changes={"kind": job.kind, "status": job.status})
    return job


STALE_MINUTES = declare("jobs.stale_minutes", 30, "运行中的任务超过多少分钟没有进度报告即视为已中断（如服务重启）")


def fail_stale_jobs() -> int:
    """Mark running jobs whose worker died (no progress for STALE_MINUTES) as failed, so none hangs for ever."""
    cutoff = timezone.now() - dt.timedelta(minutes=int(STALE_MINUTES.get()))
    stale = list(Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=cutoff))
    for job in stale:
        with transaction.atomic():
            updated = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, heartbeat_at__lt=cutoff).update(
                status=Job.Status.FAILED, finished_at=timezone.now(),
                message="任务已中断：长时间没有进度（服务可能已重启），请重新提交", error="stale: no heartbeat")
            if updated:
                record("jobs.interrupted", acting_user=job.created_by, obj=job, outcome="failure",
                       changes={"kind": job.kind, "heartbeat_at": job.heartbeat_at.isoformat()})
    return len(stale)


def run_pending(limit: int | None = None) -> int:
    count = 0
    while limit is None or count < limit:
        job = claim()
        if job is None:
            break
        run_job(job)
        count += 1
    return count


_sweeps: list = []


def background_sweep(func):
    """Register `func() -> int` (the units of work it did) to run on every turn of the worker loop: short, batched
    work that modules leave to the background, such as registering accepted submissions."""
    _sweeps.append(func)
    return func


def run_sweeps() -> int:
    return sum(func() for func in _sweeps)


def worker_loop(stop: threading.Event, poll_seconds: float = 1.0) -> None:
    lower_priority()
    last_sweep = 0.0
    while not stop.is_set():
        try:
            close_old_connections()
            if time.monotonic() - last_sweep > 60:
                fail_stale_jobs()
                last_sweep = time.monotonic()
            swept = run_sweeps()
            if run_pending(limit=10) == 0 and swept == 0:
                stop.wait(poll_seconds)
        except Exception:  # noqa: BLE001 — keep the embedded worker alive across a database hiccup
            log.exception("job worker error")
            stop.wait(5)
        finally:
            close_old_connections()


def lower_priority() -> None:
    """Lower the calling thread's CPU priority by IPCITY_WORKER_NICE (Linux keeps a nice value per thread, so the
    embedded worker's request threads are not affected): registration batches and jobs then take the CPU the
    requests leave, instead of stretching their latency on a machine with few cores."""
    increment = settings.IPCITY_WORKER_NICE
    if increment > 0 and hasattr(os, "nice"):
        try:
            os.nice(increment)
        except OSError:  # not permitted here: run at the normal priority
            log.warning("could not lower the job worker's priority")


def start_embedded_worker() -> threading.Event:
    stop = threading.Event()
    threading.Thread(target=worker_loop, args=(stop,), name="ipcity-jobs", daemon=True).start()
    return stop
