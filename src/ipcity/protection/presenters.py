"""What of a submission leaves the server: the submitter's personal data masked (GB/T 35273 §7.2)."""
from __future__ import annotations

from ipcity.core.masking import mask_value
from ipcity.protection.models import Submission


def masked_submitter(submission: Submission) -> dict:
    return {field.removeprefix("submitter_"): mask_value(kind, getattr(submission, field))
            for field, kind in Submission.SENSITIVE_FIELDS.items()}
