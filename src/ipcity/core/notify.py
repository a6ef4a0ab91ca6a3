"""Reminder e-mails: the same reminders the home page shows, mailed when e-mail is configured."""
from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from ipcity.core.audit import record
from ipcity.core.reminders import reminders_for
from ipcity.jobs.registry import job_kind


def send_reminder_emails(today=None, progress=None) -> dict:
    """One e-mail per active user with an address and at least one reminder. Returns counts."""
    from ipcity.accounts.models import User

    if not settings.IPCITY_EMAIL_ENABLED:
        return {"sent": 0, "skipped": "未配置邮件服务器（IPCITY_EMAIL_HOST）"}
    today = today or timezone.localdate()
    users = list(User.objects.filter(is_active=True).exclude(email="").select_related("organisation"))
    sent = 0
    for index, user in enumerate(users, start=1):
        items = reminders_for(user, today)
        if items:
            lines = [f"{'【逾期】' if r.overdue else '【待处理】'}{r.title}（{r.detail}）" for r in items]
            send_mail("知识产权强市一体化平台：您有待办事项",
                      f"{user}，您好：\n\n" + "\n".join(lines) + "\n\n请登录平台处理。此邮件由系统自动发送。",
                      None, [user.email])
            sent += 1
        if progress:
            progress(index, len(users), f"已检查 {index} 个用户")
    record("notify.reminder_emails", changes={"sent": sent, "users": len(users)})
    return {"sent": sent, "users": len(users)}


@job_kind("notify.reminders", "发送待办提醒邮件")
def reminders_job(job, progress):
    return send_reminder_emails(progress=progress)
