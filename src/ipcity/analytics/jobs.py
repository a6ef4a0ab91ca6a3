"""Background work of the analytics module."""
from __future__ import annotations

from ipcity.jobs.registry import job_kind


@job_kind("analytics.refresh_flags", "更新专利统计标记")
def refresh_flags_job(job, progress):
    from ipcity.analytics.flags import ensure_flags

    written = ensure_flags(progress=lambda done: progress(done, None, f"已更新 {done} 件"))
    return {"written": written}


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@job_kind("analytics.navigation_report", "生成专利导航报告")
def navigation_report_job(job, progress, *, query: str, title: str):
    """Analyse the industry the query defines and write the report as DOCX and PDF (the owner's files alone)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from ipcity.analytics import navigation_report
    from ipcity.analytics.navigation import analyse, home_city, matching_numbers, region_names, rows_for
    from ipcity.core.files import store_file

    user = job.created_by
    progress(0, 4, "正在检索")
    numbers, total = matching_numbers(query)
    progress(1, 4, f"命中 {total} 件，正在读取 {len(numbers)} 件")
    rows = list(rows_for(numbers, user))
    city = home_city(user)
    analysis = analyse(rows, city_code=city, regions=region_names(rows, city), as_of=timezone.localdate())
    issuer = user.organisation.name if user and user.organisation_id else "知识产权局"
    meta = {"query": query, "total": total, "analysed": analysis["total"], "as_of": analysis["as_of"],
            "issuer": issuer}
    progress(2, 4, "正在生成 Word")
    docx = navigation_report.to_docx(title, meta, analysis)
    progress(3, 4, "正在生成 PDF")
    pdf = navigation_report.to_pdf(title, meta, analysis)
    stamp = f"{job.created_at:%Y%m%d-%H%M%S}"
    files = {}
    for fmt, data, content_type in (("docx", docx, DOCX), ("pdf", pdf, "application/pdf")):
        name = f"{title}-{stamp}.{fmt}"
        files[fmt] = store_file(ContentFile(data, name=name), acting_user=user, name=name,
                                content_type=content_type).pk
    base = f"/analytics/navigation/reports/{job.pk}"
    return {"total": total, "analysed": analysis["total"], "pdf_file_id": files["pdf"], "docx_file_id": files["docx"],
            "download_url": f"{base}/pdf/",
            "downloads": [{"label": "下载 PDF", "url": f"{base}/pdf/"}, {"label": "下载 Word", "url": f"{base}/docx/"}]}
