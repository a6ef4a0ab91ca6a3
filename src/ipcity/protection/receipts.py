"""The acceptance receipt (受理回执): a PDF rendered from the stored submission, so the same submission always gives
the same certified content; the receipt digest computed at intake (and handed to the evidence seam) is printed on
it, with every attachment's SHA-256."""
from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from ipcity.protection.actions import FIRST_STEP, responsible_office
from ipcity.protection.deadlines import limit_for
from ipcity.protection.models import Matter, Submission, SubmissionRight
from ipcity.protection.registration import receipt_fields


def receipt_context(submission: Submission) -> dict:
    """Everything on the receipt comes from what was accepted (the registration that follows adds nothing to it),
    so the receipt reads the same before and after registration."""
    fields = receipt_fields(submission)
    kind_labels = dict(Matter.Kind.choices)
    right_labels = dict(SubmissionRight.Kind.choices)
    return {
        "s": submission,
        "received_local": timezone.localtime(submission.received_at),
        "matters": [{"number": m["number"], "kind": kind_labels[m["kind"]],
                     "limit": limit_for(FIRST_STEP[m["kind"]], submission.region_id)} for m in fields["matters"]],
        "office": responsible_office(submission.region),
        "rights": [{"kind": right_labels.get(r["kind"], r["kind"]), "number": r["number"]} for r in fields["rights"]],
        "attachments": fields["attachments"],
    }


def receipt_pdf(submission: Submission) -> bytes:
    from weasyprint import HTML

    html = render_to_string("protection/receipt.html", receipt_context(submission))
    return HTML(string=html).write_pdf()
