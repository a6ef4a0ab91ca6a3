"""专利侵权纠纷行政裁决: accepted as a dispute, copy served, answer, technical investigator, suspension while an
invalidation is pending, decision — each with its own configurable limit."""
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ipcity.accounts.roles import Role as R
from ipcity.core.testing import ScopeMatrix
from ipcity.protection import adjudication as disputes
from ipcity.protection import cases
from ipcity.protection.actions import open_deadlines
from ipcity.protection.api import public_status
from ipcity.protection.models import Adjudication
from ipcity.protection.tests.helpers import make_submission


@pytest.mark.django_db
def test_a_patent_dispute_from_acceptance_to_decision(world, client):
    staff = world.user(R.DISTRICT_STAFF)
    matter = make_submission().matters.get()
    client.force_login(staff)
    assert "按专利侵权纠纷行政裁决受理" in client.get(f"/protection/matters/{matter.pk}/").content.decode()
    client.post(f"/protection/matters/{matter.pk}/dispute/", {"step": "accept"})
    adj = Adjudication.objects.get(matter=matter)
    assert sorted((d.amount, d.unit) for d in open_deadlines(adj)) == [(5, "working_days"), (90, "days")]
    with pytest.raises(ValidationError, match="副本"):
        disputes.decide_dispute(adj, acting_user=staff, outcome="infringement", reasons="x", document_number="1")
    client.post(f"/protection/matters/{matter.pk}/dispute/", {"step": "serve"})
    adj.refresh_from_db()
    assert adj.copy_served_at and sorted(d.amount for d in open_deadlines(adj)) == [15, 90]
    disputes.record_answer(adj, acting_user=staff, summary="被请求人主张现有技术抗辩")
    disputes.assign_technical_investigator(adj, acting_user=staff, name="技术调查官甲",
                                           question="被控产品是否具备权利要求 1 的全部技术特征")
    cases.stop_clock(adj, acting_user=staff, reason="被请求人已就涉案专利提出无效宣告请求")
    assert open_deadlines(adj).get().status == "paused"
    cases.restart_clock(adj, acting_user=staff)
    client.post(f"/protection/matters/{matter.pk}/dispute/", {
        "step": "decide", "outcome": "infringement", "document_number": "测知裁字〔2026〕1号",
        "text": "被控产品落入权利要求 1 的保护范围，现有技术抗辩不成立。", "name": ""})
    adj.refresh_from_db()
    matter.refresh_from_db()
    assert adj.outcome == "infringement" and matter.status == "closed" and not open_deadlines(adj).exists()
    notes = " ".join(e["note"] for e in public_status(matter.submission)["history"])
    assert "测知裁字〔2026〕1号" in notes and "十五日内" in notes


@pytest.mark.django_db
def test_only_patent_complaints_with_a_patent_number_become_disputes(world):
    staff = world.user(R.DISTRICT_STAFF)
    trademark = make_submission(ip_type="trademark").matters.get()
    with pytest.raises(ValidationError, match="专利侵权纠纷"):
        disputes.accept_as_dispute(trademark, acting_user=staff)
    report = make_submission(kinds=("report",)).matters.get()
    with pytest.raises(ValidationError):
        disputes.accept_as_dispute(report, acting_user=staff)


def _adj(w, region):
    from django.utils import timezone

    return Adjudication.objects.create(matter=make_submission(region_code=region).matters.get(),
                                       accepted_at=timezone.now())


class TestAdjudicationScope(ScopeMatrix):
    model = Adjudication
    objects = {"a": lambda w: _adj(w, "371702"), "b": lambda w: _adj(w, "371703")}
    visible_to = {R.CITY_LEADER: {"a", "b"}, R.CITY_STAFF: {"a", "b"}, R.DISTRICT_STAFF: {"a"},
                  R.ENFORCEMENT_OFFICER: {"a"}}
