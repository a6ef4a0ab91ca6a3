"""Offices change only what lies in their jurisdiction. Another district's public record or current listing is
visible to every office, never changeable: each state-changing page answers 404 from outside (403 for a user who may
see the object but not change it) and changes nothing, audit log included; the actions refuse a person outside the
jurisdiction (the system, acting_user None, may act anywhere); the record and listing pages show such an object as
the public sees it."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from ipcity.accounts.roles import Role as R
from ipcity.core.models import AuditEntry
from ipcity.credit import actions
from ipcity.credit.models import CreditRecord, ListingStep, RepairApplication, SeriousListing
from ipcity.credit.tests.helpers import days_ago, fact, listing


def _revoke(w):
    rec = fact(w.orgs["enterprise_b"], "penalty", public=True, summary="内部摘要乙")
    return f"/credit/records/{rec.pk}/revoke/", {"reason": "越权撤销"}, lambda: CreditRecord.objects.get(
        pk=rec.pk).status == "active"


def _commitment(w):
    rec = fact(w.orgs["enterprise_b"], "commitment", ago=100, public=True, commitment_due_on=days_ago(10))
    return (f"/credit/records/{rec.pk}/commitment/", {"kept": "0", "on": days_ago(1).isoformat(), "note": "未履行"},
            lambda: CreditRecord.objects.get(pk=rec.pk).commitment_kept is None)


def _decide(w):
    item = listing(w, "enterprise_b", "proposed")
    ListingStep.objects.create(listing=item, order=1, label="科室负责人审核", roles=["district_staff", "city_staff"])
    return (f"/credit/listings/{item.pk}/decide/", {"approve": "1", "opinion": "同意"},
            lambda: not ListingStep.objects.filter(listing=item, order=1, approved__isnull=False).exists())


def _remove(w):
    item = listing(w, "enterprise_b", "listed", listed_ago=400)  # past the waiting period, and public
    return (f"/credit/listings/{item.pk}/remove/", {"reason": "越权移出"},
            lambda: SeriousListing.objects.get(pk=item.pk).status == "listed")


def _repair(w):
    org = w.orgs["enterprise_b"]
    rec = fact(org, "penalty", ago=400, public=True)
    app = RepairApplication.objects.create(kind="record", subject=org, region=org.region, record=rec,
                                           applicant=w.users[R.CITY_STAFF], submitted_at=rec.created_at,
                                           reason="已整改", pledge="守信")
    return (f"/credit/repairs/{app.pk}/decide/", {"approve": "1", "opinion": "准予"},
            lambda: RepairApplication.objects.get(pk=app.pk).status == "pending")


def _propose(w):
    org = w.orgs["enterprise_b"]
    fact(org, "wilful_infringement", public=True, public_summary="故意侵权")
    return (f"/credit/orgs/{org.pk}/propose/", {"proposal": "越权提请"},
            lambda: not SeriousListing.objects.filter(subject=org).exists())


@pytest.mark.parametrize("setup", [_revoke, _commitment, _decide, _remove, _repair, _propose],
                         ids=["revoke", "commitment", "listing_decide", "listing_remove", "repair_decide", "propose"])
def test_other_districts_objects_are_not_changeable(client, world, setup):
    url, data, unchanged = setup(world)
    client.force_login(world.users[R.DISTRICT_STAFF])  # district A; every object is district B's
    before = AuditEntry.objects.count()
    assert client.post(url, data).status_code == 404
    assert unchanged() and AuditEntry.objects.count() == before


def test_inside_the_jurisdiction_and_may_see_but_not_change(client, world):
    url, data, unchanged = _revoke(world)
    own = fact(world.orgs["enterprise_a"], "penalty", public=True)
    client.force_login(world.users[R.ENTERPRISE_USER])  # sees its own record, may not revoke it
    assert client.post(f"/credit/records/{own.pk}/revoke/", data).status_code == 403
    client.force_login(world.users[R.CITY_STAFF])  # the city's jurisdiction covers district B
    assert client.post(url, data).status_code == 302 and not unchanged()


def test_actions_check_the_jurisdiction(world):
    b = world.orgs["enterprise_b"]
    district = world.users[R.DISTRICT_STAFF]
    rec = fact(b, "penalty", public=True)
    commitment = fact(b, "commitment", ago=100, public=True, commitment_due_on=days_ago(10))
    with pytest.raises(PermissionDenied):
        actions.revoke_record(rec, acting_user=district, reason="越权")
    with pytest.raises(PermissionDenied):
        actions.settle_commitment(commitment, acting_user=district, kept=False, note="越权")
    assert actions.revoke_record(rec, acting_user=None, reason="处罚决定被撤销") == 1  # the system path


def test_other_districts_public_record_and_listing_pages(client, world):
    b = world.orgs["enterprise_b"]
    rec = fact(b, "penalty", public=True, summary="内部摘要乙", public_summary="公开摘要乙")
    item = listing(world, "enterprise_b", "listed", listed_ago=400)
    client.force_login(world.users[R.DISTRICT_STAFF])
    page = client.get(f"/credit/records/{rec.pk}/").content.decode()
    assert "公开摘要乙" in page
    assert not any(x in page for x in ("内部摘要乙", "revoke-form", 'data-testid="evidence"'))
    page = client.get(f"/credit/listings/{item.pk}/").content.decode()
    assert b.name in page and "remove-form" not in page and 'data-testid="steps"' not in page
    client.force_login(world.users[R.CITY_STAFF])
    assert "内部摘要乙" in client.get(f"/credit/records/{rec.pk}/").content.decode()
    assert "remove-form" in client.get(f"/credit/listings/{item.pk}/").content.decode()
