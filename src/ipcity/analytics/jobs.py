"""Background work of the analytics module."""
from __future__ import annotations

from ipcity.jobs.registry import job_kind


@job_kind("analytics.refresh_flags", "更新专利统计标记")
def refresh_flags_job(job, progress):
    from ipcity.analytics.flags import ensure_flags

    written = ensure_flags(progress=lambda done: progress(done, None, f"已更新 {done} 件"))
    return {"written": written}
