"""Every protection URL that takes an id answers 404 — to GET and to POST — when the object is outside the user's
scope, and changes nothing. The URL list is read from the URLconf, so a new URL with an id fails here until its
object kind is declared below."""
from __future__ import annotations

import pytest
from django.urls import URLPattern
from django.utils import timezone

from ipcity.accounts.roles import Role as R
from ipcity.core.models import AuditEntry
from ipcity.protection.models import AssistanceRequest, DuplicateLink, LegalReview
from ipcity.protection.tests.test_scope import _case, _decision, _in_b

pytestmark = pytest.mark.django_db

def _outside(w) -> dict:
    """One object of each kind a protection URL takes an id of, all outside district A's scope (in district B, or
    another enterprise's), keyed by the URL's first path segment."""
    import datetime as dt

    from ipcity.protection.models import Disclosure, Referral

    submission = _in_b(w)
    matter = submission.matters.get()
    case = _case(w, "b")
    decision = _decision(case, "b")
    now = timezone.now()
    return {
        "matters": matter,
        "submissions": submission,
        "attachments": submission.attachments.get(),
        # Registration proposed it (same respondent and right): the later matter against this one.
        "duplicates": DuplicateLink.objects.get(earlier=matter, matter__submission=_in_b(w)),
        "referrals": Referral.objects.create(matter=matter, to_org=w.orgs["district_b"], reason="移送", sent_at=now,
                                             sent_by=w.user(R.CITY_STAFF)),
        "cases": case,
        "legal-reviews": LegalReview.objects.create(case=case, requested_at=now, requested_by=w.user(R.CITY_STAFF)),
        "decisions": decision,
        "disclosures": Disclosure.objects.create(decision=decision, summary="摘要", masked_text="全文",
                                                 entered_by=w.user(R.CITY_STAFF), entered_at=now, status="draft",
                                                 ends_at=now + dt.timedelta(days=90)),
        "assistance": AssistanceRequest.objects.create(number="YZ-B", enterprise=w.orgs["enterprise_b"],
                                                       requested_by=w.user(R.CITY_STAFF), kind="domestic",
                                                       description="纠纷", created_at=now),
    }


KINDS = {"matters", "submissions", "attachments", "duplicates", "referrals", "cases", "legal-reviews", "decisions",
         "disclosures", "assistance"}
EXTRA_ARGS = {"step": "service", "field": "submitter_phone"}


def _urls_with_an_id():
    from ipcity.protection import urls

    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if "pk" in pattern.pattern.converters:
            yield pattern


def test_every_url_with_an_id_has_its_object_kind_declared():
    prefixes = {str(p.pattern).split("/", 1)[0] for p in _urls_with_an_id()}
    assert prefixes <= KINDS, f"declare how to build an out-of-scope object for: {prefixes - KINDS}"


@pytest.mark.parametrize("role", [R.DISTRICT_STAFF, R.ENFORCEMENT_OFFICER, R.ENTERPRISE_USER, R.MEMBER_LIAISON])
def test_objects_outside_scope_answer_404_and_nothing_changes(world, client, role):
    objects = _outside(world)
    assert set(objects) == KINDS
    client.force_login(world.user(role))
    before = AuditEntry.objects.count()
    for pattern in _urls_with_an_id():
        prefix = str(pattern.pattern).split("/", 1)[0]
        obj = objects[prefix]
        path = "/protection/" + str(pattern.pattern).replace("<int:pk>", str(obj.pk))
        for name, value in EXTRA_ARGS.items():
            path = path.replace(f"<str:{name}>", value)
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code in (404, 405), f"{method.__name__.upper()} {path} as {role}: " \
                                                       f"{response.status_code}"
    assert AuditEntry.objects.count() == before  # no action ran, and no refusal needed one
