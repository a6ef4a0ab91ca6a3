"""Test data for the protection module: valid submissions built through the real actions."""
from __future__ import annotations

import copy

from django.contrib.auth.models import AnonymousUser

from ipcity.protection import registration
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
    submission, _ = registration.submit(data, acting_user=user or AnonymousUser(), channel=channel,
                                   region=Region.objects.get(code=region_code), received_at=received_at)
    return submission


def credential(user, number=None, days=365):
    import datetime as dt

    from django.utils import timezone

    from ipcity.protection.models import EnforcementCredential

    today = timezone.localdate()
    return EnforcementCredential.objects.create(user=user, number=number or f"37170{user.pk:06d}", issuer="测试市人民政府",
                                                valid_from=today - dt.timedelta(days=30),
                                                valid_until=today + dt.timedelta(days=days))


def filed_case(world, major=False):
    """A report in district A opened as a case by the district's officer and staff member (both credentialed)."""
    from ipcity.accounts.roles import Role
    from ipcity.protection import cases

    officer, staff = world.user(Role.ENFORCEMENT_OFFICER), world.user(Role.DISTRICT_STAFF)
    credential(officer)
    credential(staff)
    matter = make_submission(kinds=("report",), ip_type="counterfeit_patent", respondent="被举报乙公司").matters.get()
    case = cases.decide_lead(matter, acting_user=officer, file=True, officers=[officer, staff],
                             cause="涉嫌假冒专利", major=major)
    return case


DECISION_TEXT = ("当事人：王某某，身份证号码：11010519491231002X，住址：山东省菏泽市牡丹区人民路1号，联系电话：13812345678。"
                 "经查，当事人销售的产品标注已终止的专利号。证人李四证实其进货来源。罚款汇入账号 6222021234567890123。")


def decide(case, user, **changes):
    from decimal import Decimal

    from ipcity.protection import cases

    fields = dict(document_number=f"测市监处罚〔2026〕{case.pk}号", party_kind="natural_person", party_name="王某某",
                  violation="假冒专利", basis="《专利法》第六十八条", penalty="没收违法所得并处罚款 5000 元",
                  fine=Decimal("5000"), text=DECISION_TEXT, party_id_number="11010519491231002X")
    fields.update(changes)
    return cases.decide_case(case, acting_user=user, **fields)
