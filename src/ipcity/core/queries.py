from __future__ import annotations

from ipcity.accounts.roles import Role
from ipcity.core import scoping
from ipcity.core.models import AuditEntry, AuditHead, Rule, StoredFile


@scoping.register(AuditEntry)
def scope_audit(qs, user):
    # Only the audit administrator reads the audit log (等保 separation of duties).
    if user.is_authenticated and (user.role == Role.AUDITOR or user.is_superuser):
        return qs
    return qs.none()


@scoping.register(AuditHead)
def scope_audit_head(qs, user):
    return qs.none()  # internal bookkeeping, read only by verify_chain


@scoping.register(Rule)
def scope_rules(qs, user):
    if user.is_authenticated and (user.role == Role.SYSADMIN or user.is_superuser):
        return qs
    return qs.none()


@scoping.register(StoredFile)
def scope_files(qs, user):
    # Listed to the uploader only; everyone else reaches a file through the record that links it.
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(uploaded_by=user)
