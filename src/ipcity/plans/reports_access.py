"""Whose view a generated report takes. Reports read through the scope functions like every page, so a report
never shows more than its reader may see."""
from __future__ import annotations

from ipcity.accounts.models import User
from ipcity.accounts.roles import Role


def report_user(plan, username: str | None):
    """The named active user, or (for the CLI and scheduled reports) an unsaved stand-in with the view of the
    owning office's leadership — the widest view of this plan any human reader has."""
    if username:
        return User.objects.filter(username=username, is_active=True).select_related("organisation").first()
    return User(username="ipcity-report", role=Role.CITY_LEADER, organisation=plan.owner)
