"""Generated documents of a plan: 季度通报 and 年度知识产权保护状况 (DOCX, GB/T 9704 layout) and the 台账 (XLSX).

    quarterly_brief(plan, user, "2025Q3", today) -> bytes   # DOCX
    annual_report(plan, user, 2025, today) -> bytes         # DOCX
    ledger_xlsx(plan, user) -> bytes                        # XLSX

Each reads only what `user` may see (the scope functions) and raises PermissionDenied for a plan outside the
user's scope. REPORT_CONTENT_TYPES maps the file extension of each output to its MIME type. The official-layout
builder itself is `ipcity.plans.reports.gbt9704.OfficialDocument` (reusable by other modules).
"""
from ipcity.plans.reports.annual import annual_report
from ipcity.plans.reports.gbt9704 import DOCX_CONTENT_TYPE
from ipcity.plans.reports.ledger import XLSX_CONTENT_TYPE, ledger_xlsx
from ipcity.plans.reports.quarterly import quarterly_brief

REPORT_CONTENT_TYPES = {"docx": DOCX_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}

__all__ = ["REPORT_CONTENT_TYPES", "annual_report", "ledger_xlsx", "quarterly_brief"]
