from __future__ import annotations

from django.db.models import Q

from ipcity.accounts.models import APIToken, User
from ipcity.accounts.roles import Role
from ipcity.core import scoping


@scoping.register(User)
def scope_users(qs, user):
    if not user.is_authenticated:
        return qs.none()
    if user.role in {Role.SYSADMIN, Role.AUDITOR} or user.is_superuser:
        return qs
    same_org = Q(organisation_id=user.organisation_id) if user.organisation_id else Q(pk__in=[])
    return qs.filter(Q(pk=user.pk) | same_org)


@scoping.register(APIToken)
def scope_tokens(qs, user):
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.SYSADMIN or user.is_superuser:
        return qs
    return qs.filter(user_id=user.pk)
