"""Submitting jobs is an action (audited); running one records its outcome."""
from __future__ import annotations

from ipcity.core.actions import action, record
from ipcity.jobs.models import Job
from ipcity.jobs.registry import get_kind


@action
def submit_job(kind: str, *, acting_user, params: dict | None = None, title: str = "") -> Job:
    spec = get_kind(kind)
    job = Job.objects.create(kind=kind, title=title or spec.title, params=params or {},
                             created_by=acting_user if getattr(acting_user, "pk", None) else None)
    record("jobs.submit", acting_user=acting_user, obj=job, changes={"kind": kind, "params": job.params})
    return job
