"""Security events into the audit log: logins, failed logins, lockouts, logouts; role groups after migrate."""
from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from ipcity.core.audit import record


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    record("accounts.login", acting_user=user, obj=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record("accounts.logout", acting_user=user, obj=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    record("accounts.login_failed", actor_label=username or "（未填用户名）", actor_role="public", outcome="failure",
           changes={"username": username})


@receiver(user_locked_out)
def audit_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    record("accounts.locked_out", actor_label=str(username or "")[:150] or "（未填用户名）", actor_role="public",
           outcome="failure",
           changes={"username": username, "ip": ip_address})


@receiver(post_migrate)
def sync_role_groups(sender, **kwargs):
    if sender.label != "accounts":
        return
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from ipcity.accounts.actions import sync_role_groups as sync

    # post_migrate runs app by app; make sure every app's permissions exist before the groups name them.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    sync(acting_user=None, quiet=True)
