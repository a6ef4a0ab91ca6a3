"""Exporting a result set to XLSX runs as a background job (up to 100,000 rows, constant memory)."""
from __future__ import annotations

from ipcity.jobs.registry import job_kind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_MAX_BYTES = 1024 * 1024 * 1024  # a generated file, not an upload: 100,000 rows with abstracts run to ~50 MB


@job_kind("search.export", "导出检索结果")
def export_job(job, progress, *, query: str, sort: str = "relevance", max_rows: int = 100_000):
    from django.core.files import File

    from ipcity.core.files import store_file
    from ipcity.search.exporting import export_xlsx

    path, rows, total = export_xlsx(query, user=job.created_by, sort=sort, max_rows=max_rows, progress=progress)
    try:
        name = f"专利检索结果-{job.created_at:%Y%m%d-%H%M%S}.xlsx"
        with path.open("rb") as f:
            stored = store_file(File(f, name=name), acting_user=job.created_by, name=name, content_type=XLSX,
                                max_bytes=EXPORT_MAX_BYTES)
    finally:
        path.unlink(missing_ok=True)
    return {"rows": rows, "total": total, "truncated": total > rows, "file_id": stored.pk,
            "download_url": f"/search/exports/{job.pk}/"}
