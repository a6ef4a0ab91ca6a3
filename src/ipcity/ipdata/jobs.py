"""Imports from the web run as background jobs (progress bar on the job page)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ipcity.core.files import file_path
from ipcity.core.models import StoredFile
from ipcity.jobs.registry import job_kind


@job_kind("ipdata.import", "导入数据")
def import_job(job, progress, *, file_id: int, kind: str, source_format: str = "auto", mapping=None):
    from ipcity.ipdata.importing import import_patents
    from ipcity.ipdata.registers import import_register

    stored = StoredFile.objects.get(pk=file_id)
    progress(0, None, f"正在读取 {stored.original_name}")
    # Stored files are named by hash; readers tell formats by extension, so give them the original name.
    with tempfile.TemporaryDirectory(prefix="ipcity-import-") as tmp:
        path = Path(tmp) / Path(stored.original_name).name
        os.symlink(file_path(stored), path)
        if kind == "patents":
            batch = import_patents(path, acting_user=job.created_by, source_format=source_format, mapping=mapping,
                                   progress=progress)
        else:
            batch = import_register(kind, path, acting_user=job.created_by, progress=progress)
    return {**batch.summary(), "file": stored.original_name}
