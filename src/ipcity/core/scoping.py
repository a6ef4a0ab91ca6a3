"""Row-level scoping: one registered function per model answers "what may this user see".

Every list, detail, search, export, API and dashboard read goes through `visible()` (or the model queryset's
`visible_to(user)`, which calls it). A model without a scope function is visible to nobody, so forgetting to
register fails closed; tests/test_permission_matrix.py also fails for any model that is not registered.
"""
from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.http import Http404

ScopeFunction = Callable[[models.QuerySet, object], models.QuerySet]

_registry: dict[type[models.Model], ScopeFunction] = {}


def register(model: type[models.Model]):
    def decorator(func: ScopeFunction) -> ScopeFunction:
        if model in _registry:
            raise RuntimeError(f"scope for {model._meta.label} registered twice")
        _registry[model] = func
        return func

    return decorator


def registered_models() -> set[type[models.Model]]:
    return set(_registry)


def visible(model_or_queryset, user) -> models.QuerySet:
    """The rows of a model (or of a queryset of it) that `user` may see; anonymous users count as 公众."""
    qs = model_or_queryset if isinstance(model_or_queryset, models.QuerySet) else model_or_queryset._default_manager.all()
    func = _registry.get(qs.model)
    if func is None:
        return qs.none()
    return func(qs, user)


def get_visible_or_404(model_or_queryset, user, **lookup):
    """One object the user may see, or 404 — never revealing that an out-of-scope object exists."""
    try:
        return visible(model_or_queryset, user).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("未找到该对象，或您无权查看")


class ScopedQuerySet(models.QuerySet):
    """Base queryset for domain models: `Model.objects.visible_to(user)`."""

    def visible_to(self, user):
        return visible(self, user)
