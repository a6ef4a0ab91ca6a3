"""交办: a matter goes to an office inside the acting user's jurisdiction and to a person of that office."""
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ipcity.accounts.roles import Role as R
from ipcity.core.models import AuditEntry
from ipcity.protection.assignment import assign_matter, assignable_offices
from ipcity.protection.models import Matter, MatterEvent
from ipcity.protection.tests.helpers import make_submission

pytestmark = pytest.mark.django_db


def _matter() -> Matter:
    return make_submission(region_code="371702").matters.get()  # routed to district A's office


def test_the_city_hands_a_matter_to_a_district_person_and_the_deadline_runs_on(world):
    matter = _matter()
    due = matter.due_at
    city, officer = world.user(R.CITY_STAFF), world.user(R.ENFORCEMENT_OFFICER)
    assign_matter(matter, acting_user=city, office=world.orgs["district_a"], assignee=officer, note="请核查")
    matter.refresh_from_db()
    assert matter.assigned_org == world.orgs["district_a"] and matter.assignee == officer and matter.due_at == due
    event = MatterEvent.objects.get(matter=matter, kind="assigned")
    assert not event.public and "请核查" in event.note and officer.display_name in event.note
    entry = AuditEntry.objects.filter(action="protection.assign").latest("seq")
    assert entry.changes["assignee"] == officer.pk and entry.changes["before"]["assignee"] is None


def test_a_district_cannot_assign_outside_its_jurisdiction_nor_to_someone_of_another_office(world):
    matter = _matter()
    district = world.user(R.DISTRICT_STAFF)
    offices = set(assignable_offices(district))
    assert world.orgs["district_a"] in offices and world.orgs["district_b"] not in offices
    assert world.orgs["member"] not in set(assignable_offices(world.user(R.CITY_STAFF)))  # that is a referral
    with pytest.raises(ValidationError, match="辖区"):
        assign_matter(matter, acting_user=district, office=world.orgs["district_b"])
    with pytest.raises(ValidationError, match="承办人"):
        assign_matter(matter, acting_user=district, office=world.orgs["district_a"],
                      assignee=world.user(R.CITY_STAFF))  # of the section, not of district A
    with pytest.raises(ValidationError, match="承办人"):
        assign_matter(matter, acting_user=district, office=world.orgs["district_a"],
                      assignee=world.user(R.CITY_LEADER))  # leaders read, they do not handle
    matter.refresh_from_db()
    assert matter.assignee is None and not AuditEntry.objects.filter(action="protection.assign").exists()


def test_the_page_assigns_and_the_list_shows_my_matters(world, client):
    matter = _matter()
    other = _matter()
    officer = world.user(R.ENFORCEMENT_OFFICER)
    client.force_login(world.user(R.DISTRICT_STAFF))
    page = client.get(f"/protection/matters/{matter.pk}/").content.decode()
    assert 'data-testid="assign-form"' in page and officer.display_name in page
    response = client.post(f"/protection/matters/{matter.pk}/assign/",
                           {"assign-office": world.orgs["district_a"].pk, "assign-assignee": officer.pk})
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.assignee == officer
    # A forged office outside the choices is refused by the form, and nothing changes.
    client.post(f"/protection/matters/{other.pk}/assign/", {"assign-office": world.orgs["district_b"].pk})
    other.refresh_from_db()
    assert other.assigned_org == world.orgs["district_a"]
    client.force_login(officer)
    mine = client.get("/protection/?mine=1").content.decode()
    assert matter.number in mine and other.number not in mine


def test_assigning_a_matter_outside_ones_scope_answers_404(world, client):
    matter = make_submission(region_code="371703").matters.get()  # district B
    client.force_login(world.user(R.DISTRICT_STAFF))
    response = client.post(f"/protection/matters/{matter.pk}/assign/", {"assign-office": world.orgs["district_a"].pk})
    assert response.status_code == 404
    client.force_login(world.user(R.CITY_LEADER))  # sees it, may not change it
    assert client.post(f"/protection/matters/{matter.pk}/assign/",
                       {"assign-office": world.orgs["district_a"].pk}).status_code == 403
