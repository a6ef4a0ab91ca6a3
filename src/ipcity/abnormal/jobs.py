"""The screening runs as a background job (progress on the job page)."""
from __future__ import annotations

from django.urls import reverse

from ipcity.jobs.registry import job_kind


@job_kind("abnormal.screen", "非正常专利申请筛查")
def screen_job(job, progress, *, run_id: int):
    from ipcity.abnormal.models import ScreeningRun
    from ipcity.abnormal.screening import run_screening

    run = ScreeningRun.objects.select_related("region").get(pk=run_id)
    progress(0, None, "正在读取专利数据")
    run = run_screening(run, acting_user=job.created_by, progress=progress)
    return {"patents": run.patents, "new_flags": run.new_flags, "seen_flags": run.seen_flags,
            "downloads": [{"url": reverse("abnormal:run", args=[run.pk]), "label": "查看筛查结果"}]}
