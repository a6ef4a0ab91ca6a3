"""What of a submission leaves the server: the submitter's personal data masked (GB/T 35273 §7.2)."""
from __future__ import annotations

from ipcity.core.masking import mask_value
from ipcity.protection.models import Submission


def masked_submitter(submission: Submission) -> dict:
    return {field.removeprefix("submitter_"): mask_value(kind, getattr(submission, field))
            for field, kind in Submission.SENSITIVE_FIELDS.items()}


LABELS = {"submitter_name": "姓名", "submitter_phone": "电话", "submitter_id_number": "证件号码",
          "submitter_email": "邮箱", "submitter_address": "地址"}


def submitter_fields(submission: Submission) -> list[tuple[str, str, str]]:
    """(field, label, masked value) of the submitter's personal data that is filled in."""
    masked = masked_submitter(submission)
    return [(field, LABELS[field], masked[field.removeprefix("submitter_")])
            for field in Submission.SENSITIVE_FIELDS if getattr(submission, field)]
