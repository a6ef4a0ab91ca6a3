"""Who may see what of 双随机、一公开, and the read helpers the pages share.

The item list and every draw (from the moment its pools are frozen and its commitment published) with its
assignments are public: that is the 公开 of 双随机、一公开. The pools, conflicts, plans and batches belong to the
office that owns them: the offices whose jurisdiction holds the owner (the city office sees the city's and the
districts', a district office its own) — leaders, staff and officers alike read them. A result is public once
published; before that the owning office and the inspectors drawn in the same draw see it.
"""
from __future__ import annotations

from django.db.models import Q

from ipcity.accounts.roles import OFFICE_ROLES, Role
from ipcity.core import scoping
from ipcity.inspections.models import (
    AnnualPlan,
    Assignment,
    Batch,
    ConflictDeclaration,
    Draw,
    InspectionItem,
    InspectionObject,
    InspectionResult,
)
from ipcity.orgs.models import Organisation
from ipcity.orgs.queries import jurisdiction_q

# Roles that keep the pools and plans of their office and run its draws (leaders and officers read).
MANAGER_ROLES = frozenset({Role.CITY_STAFF, Role.DISTRICT_STAFF})
# Roles whose members may be drawn as inspectors (with a valid enforcement credential).
INSPECTOR_ROLES = frozenset({Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.ENFORCEMENT_OFFICER})
OFFICE_KINDS = (Organisation.Kind.CITY_OFFICE, Organisation.Kind.DISTRICT_OFFICE)


def _office(user, field: str) -> Q:
    if not user.is_authenticated or user.role not in OFFICE_ROLES:
        return Q(pk__in=[])
    return jurisdiction_q(user, field)


@scoping.register(InspectionItem)
def scope_items(qs, user):
    return qs  # the 抽查事项清单 is published


@scoping.register(InspectionObject)
def scope_objects(qs, user):
    return qs.filter(_office(user, "owner__region"))


@scoping.register(ConflictDeclaration)
def scope_conflicts(qs, user):
    mine = Q(inspector=user) if user.is_authenticated else Q(pk__in=[])
    return qs.filter(mine | _office(user, "object__owner__region"))


@scoping.register(AnnualPlan)
def scope_plans(qs, user):
    return qs.filter(_office(user, "owner__region"))


@scoping.register(Batch)
def scope_batches(qs, user):
    return qs.filter(_office(user, "plan__owner__region"))


@scoping.register(Draw)
def scope_draws(qs, user):
    return qs  # published from the commitment on; superseded draws stay visible


@scoping.register(Assignment)
def scope_assignments(qs, user):
    return qs  # the selection is part of the published record (inspectors appear there by code only)


@scoping.register(InspectionResult)
def scope_results(qs, user):
    public = Q(published_at__isnull=False)
    if not user.is_authenticated:
        return qs.filter(public)
    drawn_in = Q(assignment__draw__in=Assignment.objects.filter(inspectors=user).values("draw_id"))
    return qs.filter(public | drawn_in | _office(user, "assignment__draw__batch__plan__owner__region"))


# --- helpers --------------------------------------------------------------------------------------------------

def office_of(user) -> Organisation | None:
    """The office (city or district) a staff member works for: the office of their organisation's region."""
    if not user.is_authenticated or user.role not in OFFICE_ROLES or not user.organisation_id:
        return None
    org = user.organisation
    if org.kind in OFFICE_KINDS:
        return org
    return Organisation.objects.filter(kind__in=OFFICE_KINDS, region_id=org.region_id).order_by("kind", "pk").first()


def manages(user, owner: Organisation) -> bool:
    """May the user keep the pools and plans of `owner` and run its draws? Staff of that office only (the city
    office runs city plans, a district office its own)."""
    return (user.is_authenticated and user.role in MANAGER_ROLES and user.organisation_id is not None
            and user.organisation.region_id == owner.region_id)


def inspector_pool(owner: Organisation, day):
    """The 执法检查人员名录库 of an office on a day: active staff and officers of its jurisdiction holding an
    enforcement credential valid that day."""
    from ipcity.accounts.models import User

    return (User.objects.filter(is_active=True, role__in=INSPECTOR_ROLES,
                                organisation__region__code__startswith=owner.region.prefix,
                                enforcement_credentials__revoked=False,
                                enforcement_credentials__valid_from__lte=day,
                                enforcement_credentials__valid_until__gte=day)
            .select_related("organisation").distinct().order_by("pk"))


def effective_draw(batch: Batch, draws: list[Draw] | None = None) -> Draw | None:
    """The batch's draw in force: the latest one not superseded. `draws`: the batch's draws already loaded (with
    `superseded_by` selected), so that a page listing many batches asks nothing more."""
    if draws is None:
        return batch.draws.filter(superseded_by__isnull=True).order_by("-committed_at", "-pk").first()
    current = [d for d in draws if not d.is_superseded]
    return max(current, key=lambda d: (d.committed_at, d.pk)) if current else None
