"""Who may see which plans, tasks, reports and indicators.

Plans are the government's own working documents: the city office, district offices and the leading group's
member departments see them (a district sees the city's plans and its own; not another district's). A member
department sees only the tasks it is responsible for and its own reports. Enterprises, agencies, experts and the
public see none of this yet (published plans reach the public through the portal in a later release).
"""
from __future__ import annotations

from django.db.models import Q

from ipcity.accounts.roles import OFFICE_ROLES, Role
from ipcity.core import scoping
from ipcity.plans.models import (Indicator, IndicatorValue, Milestone, Plan, PlanDocument, PlanImport, ProgressReport,
                                 Section, Task, TaskUnit)

ALL_PLANS = {Role.SYSADMIN, Role.AUDITOR}


def _region_related(user, field: str) -> Q:
    """Rows whose region (at `field`) covers the user's jurisdiction or lies inside it."""
    region = user.jurisdiction
    if region is None:
        return Q(pk__in=[])
    covering = [region.code[:2] + "0000", region.code[:4] + "00", region.code]
    return Q(**{f"{field}__in": covering}) | Q(**{f"{field}__code__startswith": region.prefix})


@scoping.register(Plan)
def scope_plans(qs, user):
    if not user.is_authenticated:
        return qs.none()
    if user.role in ALL_PLANS or user.is_superuser:
        return qs
    if user.role in OFFICE_ROLES:
        return qs.filter(_region_related(user, "region"))
    if user.role == Role.MEMBER_LIAISON and user.organisation_id:
        return qs.filter(tasks__units__organisation_id=user.organisation_id).distinct()
    return qs.none()


def _plans(user):
    return scope_plans(Plan.objects.all(), user)


@scoping.register(Section)
def scope_sections(qs, user):
    return qs.filter(plan__in=_plans(user))


@scoping.register(Indicator)
def scope_indicators(qs, user):
    return qs.filter(plan__in=_plans(user))


@scoping.register(IndicatorValue)
def scope_indicator_values(qs, user):
    return qs.filter(indicator__plan__in=_plans(user))


@scoping.register(Task)
def scope_tasks(qs, user):
    qs = qs.filter(plan__in=_plans(user))
    if user.is_authenticated and user.role == Role.MEMBER_LIAISON:
        return qs.filter(units__organisation_id=user.organisation_id).distinct()
    return qs


@scoping.register(TaskUnit)
def scope_task_units(qs, user):
    return qs.filter(task__in=scope_tasks(Task.objects.all(), user))


@scoping.register(Milestone)
def scope_milestones(qs, user):
    return qs.filter(task__in=scope_tasks(Task.objects.all(), user))


@scoping.register(ProgressReport)
def scope_reports(qs, user):
    qs = qs.filter(task__in=scope_tasks(Task.objects.all(), user))
    if user.is_authenticated and user.role == Role.MEMBER_LIAISON:
        return qs.filter(unit_id=user.organisation_id)
    return qs


def _import_roles(user) -> bool:
    return user.is_authenticated and (user.role in OFFICE_ROLES or user.role == Role.SYSADMIN or user.is_superuser)


@scoping.register(PlanImport)
def scope_imports(qs, user):
    """Drafts under review: the offices of the owner's jurisdiction (not the member departments yet)."""
    if not _import_roles(user):
        return qs.none()
    if user.role == Role.SYSADMIN or user.is_superuser:
        return qs
    return qs.filter(_region_related(user, "owner__region"))


@scoping.register(PlanDocument)
def scope_documents(qs, user):
    if not _import_roles(user):
        return qs.none()
    return qs.filter(imports__in=scope_imports(PlanImport.objects.all(), user)).distinct()


def can_review(user, region) -> bool:
    """Publishing a plan, accepting or returning its reports and setting milestones belong to the staff of the office
    whose jurisdiction holds the plan's region (not leaders, not liaisons; a district office reviews its own
    district's plans, not the city's)."""
    if not (user.is_authenticated and user.has_perm("plans.change_planimport")):
        return False
    jurisdiction = user.jurisdiction
    return jurisdiction is not None and jurisdiction.contains(region)


def units_of(user, task: Task) -> bool:
    return user.is_authenticated and user.organisation_id is not None and task.units.filter(
        organisation_id=user.organisation_id).exists()
