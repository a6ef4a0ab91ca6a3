"""Imports from the web run as background jobs (progress bar on the job page)."""
from __future__ import annotations

from ipcity.core.files import file_path
from ipcity.core.models import StoredFile
from ipcity.jobs.registry import job_kind


@job_kind("ipdata.import", "导入数据")
def import_job(job, progress, *, file_id: int, kind: str, source_format: str = "auto", mapping=None):
    from ipcity.ipdata.importing import import_patents
    from ipcity.ipdata.registers import import_register

    stored = StoredFile.objects.get(pk=file_id)
    path = file_path(stored)
    progress(0, None, f"正在读取 {stored.original_name}")
    if kind == "patents":
        batch = import_patents(path, acting_user=job.created_by, source_format=source_format, mapping=mapping,
                               progress=progress, display_name=stored.original_name)
    else:
        batch = import_register(kind, path, acting_user=job.created_by, progress=progress)
    return {**batch.summary(), "file": stored.original_name}
