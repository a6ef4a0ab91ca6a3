from ipcity.accounts.roles import Role
from ipcity.core import scoping
from ipcity.jobs.models import Job


@scoping.register(Job)
def scope_jobs(qs, user):
    if not user.is_authenticated:
        return qs.none()
    if user.role in {Role.SYSADMIN, Role.AUDITOR} or user.is_superuser:
        return qs
    return qs.filter(created_by=user)
