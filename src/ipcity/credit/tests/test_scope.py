"""Who sees which credit rows: the permission matrix for every model and role (the public included), and 404
outside scope on every detail page."""
from __future__ import annotations

from ipcity.accounts.roles import Role as R
from ipcity.core.testing import ALL_ROLES, DetailPageMatrix, ScopeMatrix
from ipcity.credit.actions import apply_repair
from ipcity.credit.collect import collect_from_protection
from ipcity.credit.models import CollectionRun, CreditRecord, ListingStep, RepairApplication, SeriousListing
from ipcity.credit.tests.helpers import fact, listing, person_fact

OFFICE_CITY = (R.CITY_LEADER, R.CITY_STAFF)
OFFICE_A = (R.DISTRICT_STAFF, R.ENFORCEMENT_OFFICER)
EVERYONE = set(ALL_ROLES)


def _everyone(labels: set[str], **extra: set[str]) -> dict:
    out = {role: set(labels) for role in EVERYONE}
    for role, more in extra.items():
        out[role] = out[role] | more
    return out


class TestCreditRecordScope(DetailPageMatrix):
    model = CreditRecord
    objects = {
        "a": lambda w: fact(w.orgs["enterprise_a"], "judgment"),
        "b": lambda w: fact(w.orgs["enterprise_b"], "judgment"),
        "public_b": lambda w: fact(w.orgs["enterprise_b"], "penalty", public=True),
        "person_a": lambda w: person_fact(w),
    }
    visible_to = _everyone({"public_b"}, **{
        R.CITY_LEADER: {"a", "b", "person_a"}, R.CITY_STAFF: {"a", "b", "person_a"},
        R.DISTRICT_STAFF: {"a", "person_a"}, R.ENFORCEMENT_OFFICER: {"a", "person_a"},
        R.ENTERPRISE_USER: {"a"}})

    @staticmethod
    def detail_url(obj):
        return f"/credit/records/{obj.pk}/"


class TestSeriousListingScope(DetailPageMatrix):
    model = SeriousListing
    objects = {
        "proposed_a": lambda w: listing(w, "enterprise_a", "proposed"),
        "listed_b": lambda w: listing(w, "enterprise_b", "listed"),
        "expired_a": lambda w: listing(w, "enterprise_a", "expired"),
    }
    visible_to = _everyone({"listed_b"}, **{
        R.CITY_LEADER: {"proposed_a", "expired_a"}, R.CITY_STAFF: {"proposed_a", "expired_a"},
        R.DISTRICT_STAFF: {"proposed_a", "expired_a"}, R.ENFORCEMENT_OFFICER: {"proposed_a", "expired_a"},
        R.MEMBER_LIAISON: {"expired_a"}, R.ENTERPRISE_USER: {"expired_a"}})

    @staticmethod
    def detail_url(obj):
        return f"/credit/listings/{obj.pk}/"


class TestListingStepScope(ScopeMatrix):
    model = ListingStep
    objects = {
        "a": lambda w: listing(w, "enterprise_a", "proposed").steps.get(),
        "b": lambda w: listing(w, "enterprise_b", "listed").steps.get(),
    }
    visible_to = {R.CITY_LEADER: {"a", "b"}, R.CITY_STAFF: {"a", "b"}, R.DISTRICT_STAFF: {"a"},
                  R.ENFORCEMENT_OFFICER: {"a"}}


def _repair(w, org_key: str):
    org = w.orgs[org_key]
    rec = fact(org, "penalty", ago=400)
    app = RepairApplication.objects.filter(record=rec).first()
    if org_key == "enterprise_a":
        return apply_repair(acting_user=w.users[R.ENTERPRISE_USER], record_=rec, reason="已缴纳罚款并整改",
                            pledge="诚信经营")
    # No user of enterprise B in the world: the row as the action would make it.
    return app or RepairApplication.objects.create(kind="record", subject=org, region=org.region, record=rec,
                                                   applicant=w.users[R.CITY_STAFF], submitted_at=rec.created_at,
                                                   reason="测试", pledge="测试")


class TestRepairScope(DetailPageMatrix):
    model = RepairApplication
    objects = {"a": lambda w: _repair(w, "enterprise_a"), "b": lambda w: _repair(w, "enterprise_b")}
    visible_to = {R.CITY_LEADER: {"a", "b"}, R.CITY_STAFF: {"a", "b"}, R.DISTRICT_STAFF: {"a"},
                  R.ENFORCEMENT_OFFICER: {"a"}, R.ENTERPRISE_USER: {"a"}}

    @staticmethod
    def detail_url(obj):
        return f"/credit/repairs/{obj.pk}/"


class TestCollectionRunScope(ScopeMatrix):
    model = CollectionRun
    objects = {"run": lambda w: collect_from_protection(acting_user=w.users[R.CITY_STAFF])}
    visible_to = {role: {"run"} for role in (*OFFICE_CITY, *OFFICE_A)}
