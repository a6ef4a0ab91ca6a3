"""Test data for the protection module: valid submissions built through the real actions."""
from __future__ import annotations

import copy

from django.contrib.auth.models import AnonymousUser

from ipcity.protection import actions
from ipcity.protection.api import EXAMPLE
from ipcity.protection.intake import AttachmentInput, RightInput, SubmissionInput
from ipcity.regions.models import Region


def example_body(**changes) -> dict:
    body = copy.deepcopy(EXAMPLE)
    body.update(changes)
    return body


def make_submission(kinds=("complaint",), region_code="371702", respondent="被投诉甲公司", user=None,
                    channel="web", attachments=(), received_at=None, **fields):
    data = SubmissionInput(
        kinds=list(kinds), ip_type=fields.pop("ip_type", "patent_infringement"),
        submitter_type=fields.pop("submitter_type", "person"), respondent_kind="enterprise",
        respondent_name=respondent, facts=fields.pop("facts", "被投诉人未经许可制造销售专利产品。"),
        submitter_name=fields.pop("submitter_name", "赵六"), submitter_phone=fields.pop("submitter_phone", "13912345678"),
        submitter_id_number=fields.pop("submitter_id_number", ""),
        rights=[RightInput("patent", "CN201310123456.2")],
        attachments=[AttachmentInput(name, content, "text") for name, content in attachments], **fields)
    submission, _ = actions.submit(data, acting_user=user or AnonymousUser(), channel=channel,
                                   region=Region.objects.get(code=region_code), received_at=received_at)
    return submission
