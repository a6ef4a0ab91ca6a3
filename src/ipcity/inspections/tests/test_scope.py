"""Who sees which 双随机 records, for every role (the public included), and 404 outside scope on the plan page.

City office plans and pools: the city's leaders and staff; district A's: the city and district A (staff and
officers). Items and draws with their assignments are public; a result is public once published, before that the
owning office and the inspectors drawn in that draw see it."""
from __future__ import annotations

from ipcity.accounts.roles import Role as R
from ipcity.core.testing import ALL_ROLES, DetailPageMatrix, ScopeMatrix
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
from ipcity.inspections.tests.helpers import scenario

CITY = {R.CITY_LEADER, R.CITY_STAFF}
DISTRICT_A = {R.DISTRICT_STAFF, R.ENFORCEMENT_OFFICER}


def _s(attr):
    return lambda w: getattr(scenario(w), attr)


def _both(city, district):
    return {**{r: {city, district} for r in CITY}, **{r: {district} for r in DISTRICT_A}}


class TestItemScope(ScopeMatrix):
    model = InspectionItem
    objects = {"city": _s("item"), "district": _s("d_item")}
    visible_to = {role: {"city", "district"} for role in ALL_ROLES}


class TestObjectScope(ScopeMatrix):
    model = InspectionObject
    objects = {"city": _s("market"), "district": _s("d_object")}
    visible_to = _both("city", "district")


class TestConflictScope(ScopeMatrix):
    model = ConflictDeclaration
    objects = {"officer_on_city_market": _s("conflict")}
    # The city office sees it (its pool); the officer declared it and sees their own.
    visible_to = {R.CITY_LEADER: {"officer_on_city_market"}, R.CITY_STAFF: {"officer_on_city_market"},
                  R.ENFORCEMENT_OFFICER: {"officer_on_city_market"}}


class TestPlanScope(DetailPageMatrix):
    model = AnnualPlan
    objects = {"city": _s("plan"), "district": _s("d_plan")}
    visible_to = _both("city", "district")

    @staticmethod
    def detail_url(obj):
        return f"/inspections/plans/{obj.pk}/"


class TestBatchScope(ScopeMatrix):
    model = Batch
    objects = {"city": _s("batch"), "district": _s("d_batch")}
    visible_to = _both("city", "district")


class TestDrawScope(ScopeMatrix):
    model = Draw
    objects = {"drawn": _s("draw")}
    visible_to = {role: {"drawn"} for role in ALL_ROLES}


class TestAssignmentScope(ScopeMatrix):
    model = Assignment
    objects = {"assignment": _s("assignment")}
    visible_to = {role: {"assignment"} for role in ALL_ROLES}


class TestResultScope(ScopeMatrix):
    model = InspectionResult
    objects = {"published": _s("published"), "unpublished": _s("unpublished")}
    visible_to = {**{role: {"published"} for role in ALL_ROLES},
                  R.CITY_LEADER: {"published", "unpublished"}, R.CITY_STAFF: {"published", "unpublished"},
                  # district A's officer was drawn in the city's draw; district A's staff member was not
                  R.ENFORCEMENT_OFFICER: {"published", "unpublished"}}
