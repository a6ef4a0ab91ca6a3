import datetime as dt

import pytest
from django.core import mail

from ipcity.accounts.models import User
from ipcity.core.models import AuditEntry
from ipcity.core.notify import send_reminder_emails
from ipcity.plans.actions import review_report
from ipcity.plans.models import ProgressReport

pytestmark = pytest.mark.django_db


def test_reminder_emails_only_when_configured(world, settings):
    settings.IPCITY_EMAIL_ENABLED = False
    assert send_reminder_emails()["sent"] == 0 and not mail.outbox


def test_each_user_with_reminders_gets_one_email(world, settings):
    settings.IPCITY_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    report = ProgressReport.objects.get(period="2024Q1")
    review_report(report, acting_user=world.users["city_staff"], accept=False, comment="请补充数据")
    User.objects.filter(pk=world.users["member_liaison"].pk).update(email="liaison@example.gov.cn")
    User.objects.filter(pk=world.users["expert"].pk).update(email="expert@example.gov.cn")  # nothing due
    result = send_reminder_emails(today=dt.date(2026, 11, 21))
    assert result["sent"] == 1 and [m.to for m in mail.outbox] == [["liaison@example.gov.cn"]]
    assert "报送被退回" in mail.outbox[0].body and "请补充数据" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="notify.reminder_emails").latest("seq").changes["sent"] == 1
