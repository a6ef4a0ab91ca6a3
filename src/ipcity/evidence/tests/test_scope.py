"""The permission matrix of the evidence log's models, and its pages inside and outside scope."""
from __future__ import annotations

import pytest

from ipcity.accounts.roles import PUBLIC, Role
from ipcity.core.testing import ALL_ROLES, ScopeMatrix
from ipcity.evidence import checkpoints
from ipcity.evidence import log as evidence_log
from ipcity.evidence.models import Checkpoint, CheckpointTimestamp, EvidenceEntry, LogHead
from ipcity.protection.tests.helpers import make_submission

R = Role
WHOLE_LOG = {R.AUDITOR, R.CITY_LEADER, R.CITY_STAFF}
ALL = {"receipt_a", "receipt_b", "anchor"}


def _receipt(region, user_role=None):
    def factory(world):
        user = world.user(user_role) if user_role else None
        submission = make_submission(region_code=region, user=user, submitter_type="enterprise"
                                     if user_role else "person")
        return evidence_log.entries_for(submission).get(kind="protection.receipt")
    return factory


class TestEvidenceEntryScope(ScopeMatrix):
    model = EvidenceEntry
    objects = {
        # district A's matter, handed in by the test enterprise's user; district B's by a member of the public
        "receipt_a": _receipt("371702", R.ENTERPRISE_USER),
        "receipt_b": _receipt("371703"),
        "anchor": lambda w: evidence_log.append("audit", {"seq": 1, "entry_hash": "0" * 64}),
    }
    visible_to = {
        **{role: ALL for role in WHOLE_LOG},
        R.DISTRICT_STAFF: {"receipt_a"}, R.ENFORCEMENT_OFFICER: {"receipt_a"}, R.ENTERPRISE_USER: {"receipt_a"},
    }

    @pytest.mark.parametrize("role", ALL_ROLES)
    def test_entry_page_answers_404_outside_scope(self, world, role, client):
        objs = self._build(world)
        user = world.user(role)
        if role != PUBLIC:
            client.force_login(user)
        for label, entry in objs.items():
            response = client.get(f"/evidence/{entry.number}/")
            package = client.post(f"/evidence/{entry.number}/package/")
            if role == PUBLIC:
                assert response.status_code == 302 and package.status_code == 302
            elif label in self._expected(role):
                assert response.status_code == 200, f"{label} as {role}"
                assert package.status_code == 200 and package["Content-Type"] == "application/zip"
            elif user.has_perm("evidence.view_evidenceentry"):
                assert (response.status_code, package.status_code) == (404, 404), f"{label} as {role}"
            else:
                assert (response.status_code, package.status_code) == (403, 403), f"{label} as {role}"


class TestCheckpointScope(ScopeMatrix):
    model = Checkpoint
    objects = {"checkpoint": lambda w: (evidence_log.append("audit", {"seq": 1, "entry_hash": "0" * 64}),
                                        checkpoints.make_checkpoint())[1]}
    visible_to = {role: {"checkpoint"} for role in ALL_ROLES}


def _timestamp(world):
    import datetime as dt

    evidence_log.append("audit", {"seq": 1, "entry_hash": "0" * 64})
    checkpoint = checkpoints.make_checkpoint()
    return CheckpointTimestamp.objects.create(checkpoint=checkpoint, token=b"\x30\x00", authority="test",
                                              gen_time=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))


class TestCheckpointTimestampScope(ScopeMatrix):
    model = CheckpointTimestamp
    objects = {"timestamp": _timestamp}
    visible_to = {role: {"timestamp"} for role in ALL_ROLES}


class TestLogHeadScope(ScopeMatrix):
    model = LogHead
    objects = {"head": lambda w: evidence_log.head()}
    visible_to = {}


@pytest.mark.django_db
def test_log_pages(world, client, django_assert_max_num_queries):
    for _ in range(3):
        make_submission()
    client.force_login(world.user(R.CITY_STAFF))
    response = client.post("/evidence/checkpoint/")
    assert response.status_code == 302
    assert Checkpoint.objects.count() == 1
    with django_assert_max_num_queries(15):  # whatever the number of entries and checkpoints on the page
        page = client.get("/evidence/")
    text = page.content.decode()
    assert page.status_code == 200 and "受理回执" in text and evidence_log.signer().verifier().vkey in text
    from ipcity.evidence import anchoring

    anchoring.anchor_audit()
    anchors = EvidenceEntry.objects.filter(kind="audit")
    assert anchors.exists()
    listed = client.get("/evidence/").content.decode()  # business entries by default, anchors one choice away
    assert f"/evidence/{anchors.first().number}/" not in listed
    assert f"/evidence/{anchors.first().number}/" in client.get("/evidence/?kind=all").content.decode()
    public = client.get("/portal/evidence/").content.decode()
    assert evidence_log.signer().verifier().vkey in public
    checkpoint = Checkpoint.objects.get()
    note = client.get(f"/portal/evidence/checkpoints/{checkpoint.pk}.txt")
    assert note.content.decode() == checkpoint.note
    client.force_login(world.user(R.CITY_LEADER))
    assert client.post("/evidence/checkpoint/").status_code == 403
