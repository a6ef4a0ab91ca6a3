from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from ipcity.accounts.roles import Role
from ipcity.core import scoping
from ipcity.workdays.models import CalendarDay, CalendarYear, Deadline, DeadlineExtension, DeadlinePause


@scoping.register(CalendarDay)
def scope_days(qs, user):
    return qs  # the holiday schedule is public information


@scoping.register(CalendarYear)
def scope_years(qs, user):
    return qs


@scoping.register(Deadline)
def scope_deadlines(qs, user):
    """A deadline is visible with its subject; one without a subject only to whoever set it."""
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.SYSADMIN or user.is_superuser:
        return qs
    q = Q(subject_type__isnull=True, created_by=user)
    for ct_id in qs.filter(subject_type__isnull=False).values_list("subject_type", flat=True).distinct():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        # subject_id is text (any model's key fits); compare against the subject's visible keys cast to text.
        visible_keys = scoping.visible(model, user).annotate(key_text=Cast("pk", CharField())).values("key_text")
        q |= Q(subject_type_id=ct_id, subject_id__in=visible_keys)
    return qs.filter(q)


@scoping.register(DeadlinePause)
def scope_pauses(qs, user):
    return qs.filter(deadline__in=scope_deadlines(Deadline.objects.all(), user))


@scoping.register(DeadlineExtension)
def scope_extensions(qs, user):
    return qs.filter(deadline__in=scope_deadlines(Deadline.objects.all(), user))
