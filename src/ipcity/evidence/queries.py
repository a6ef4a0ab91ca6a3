"""Who may see what of the evidence log.

Checkpoints and their timestamps are public: publishing them is what makes the log checkable (anyone may hold the
office to a signed root). Entries hold only hashes and codes, but an entry tells that its subject exists, so an
entry is seen by whoever may see its subject (a district office the receipts of its matters, an enterprise those
of its own submissions); the audit administrator and the city office see the whole log, audit anchors included.
"""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from ipcity.accounts.roles import Role
from ipcity.core import scoping
from ipcity.evidence.models import Checkpoint, CheckpointTimestamp, EvidenceEntry, LogHead

WHOLE_LOG_ROLES = frozenset({Role.AUDITOR, Role.CITY_LEADER, Role.CITY_STAFF})


@scoping.register(EvidenceEntry)
def scope_entries(qs, user):
    if not user.is_authenticated or user.role == Role.SYSADMIN:
        return qs.none()
    if user.role in WHOLE_LOG_ROLES:
        return qs
    allowed = Q(pk__in=[])
    type_ids = EvidenceEntry.objects.exclude(subject_type=None).values_list("subject_type", flat=True).distinct()
    for content_type in ContentType.objects.filter(pk__in=list(type_ids)):
        model = content_type.model_class()
        if model is None or model not in scoping.registered_models():
            continue
        ids = scoping.visible(model, user).annotate(_sid=Cast("pk", CharField())).values("_sid")
        allowed |= Q(subject_type=content_type, subject_id__in=ids)
    return qs.filter(allowed)


@scoping.register(Checkpoint)
def scope_checkpoints(qs, user):
    return qs


@scoping.register(CheckpointTimestamp)
def scope_timestamps(qs, user):
    return qs


@scoping.register(LogHead)
def scope_head(qs, user):
    return qs.none()  # internal bookkeeping; pages show its size through the checkpoints and the entries


def can_checkpoint(user) -> bool:
    return user.is_authenticated and user.has_perm("evidence.add_checkpoint")
