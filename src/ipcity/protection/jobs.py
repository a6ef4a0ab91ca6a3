"""Bulk import of complaints and reports from the web runs as a background job (progress bar on the job page)."""
from __future__ import annotations

from django.urls import reverse

from ipcity.core.models import StoredFile
from ipcity.jobs.registry import job_kind


@job_kind("protection.import", "导入投诉举报")
def import_job(job, progress, *, file_id: int):
    from ipcity.protection.importing import import_stored

    stored = StoredFile.objects.get(pk=file_id)
    progress(0, None, f"正在读取 {stored.original_name}")
    batch = import_stored(stored, acting_user=job.created_by, progress=progress)
    downloads = [{"url": reverse("ipdata:batch", args=[batch.pk]), "label": "查看导入结果"}]
    if batch.rejected_rows.exists():
        downloads.append({"url": reverse("ipdata:batch_errors", args=[batch.pk]), "label": "下载拒收记录（含原因）"})
    return {**batch.summary(), "file": stored.original_name, "downloads": downloads}
