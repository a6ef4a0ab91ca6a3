"""The acceptance receipt (受理回执): a PDF rendered from the stored submission, so the same submission always gives
the same certified content; the receipt digest computed at intake (and handed to the evidence seam) is printed on
it, with every attachment's SHA-256."""
from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from ipcity.protection.deadlines import limit_for
from ipcity.protection.models import Submission


def receipt_context(submission: Submission) -> dict:
    matters = list(submission.matters.order_by("kind"))
    steps = {"complaint": "complaint_acceptance", "report": "lead_check"}
    return {
        "s": submission,
        "received_local": timezone.localtime(submission.received_at),
        "matters": [{"m": m, "limit": limit_for(steps[m.kind], submission.region_id)} for m in matters],
        "office": matters[0].assigned_org if matters else None,
        "rights": list(submission.rights.all()),
        "attachments": list(submission.attachments.all()),
    }


def receipt_pdf(submission: Submission) -> bytes:
    from weasyprint import HTML

    html = render_to_string("protection/receipt.html", receipt_context(submission))
    return HTML(string=html).write_pdf()
