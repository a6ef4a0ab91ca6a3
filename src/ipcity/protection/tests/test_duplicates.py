"""Duplicate detection proposes links between matters about the same thing; staff confirm or reject; nothing merges."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ipcity.accounts.roles import Role as R
from ipcity.core.testing import ScopeMatrix
from ipcity.protection.api import public_status
from ipcity.protection.duplicates import decide_duplicate, text_similarity
from ipcity.protection.models import DuplicateLink, Matter
from ipcity.protection.tests.helpers import make_submission

FACTS = "被投诉人在其网店销售的折叠收纳架落入我方发明专利保护范围，已公证购买。"


def test_text_similarity_of_reworded_facts():
    assert text_similarity(FACTS, FACTS) == 1.0
    assert text_similarity(FACTS, "被投诉人网店销售的折叠收纳架落入我方发明专利的保护范围，已经公证购买。") > 0.6
    assert text_similarity(FACTS, "展会上销售假冒注册商标的服装。") < 0.2


@pytest.mark.django_db
def test_same_respondent_and_right_is_proposed_and_other_matters_are_not(world):
    first = make_submission(respondent="示例家居有限公司", facts=FACTS).matters.get()
    same = make_submission(respondent="示例家居有限责任公司", facts="另一位权利人的说明，文字完全不同的一段描述。",
                           submitter_name="钱七", submitter_phone="13700000000").matters.get()
    other = make_submission(respondent="另一家公司", facts=FACTS).matters.get()
    links = DuplicateLink.objects.all()
    assert [(x.matter, x.earlier) for x in links] == [(same, first)]
    assert "同一权利" in links[0].reasons[0]
    assert not DuplicateLink.objects.filter(matter=other).exists()


@pytest.mark.django_db
def test_a_much_complained_about_respondent_gets_only_the_best_few_proposals_per_matter(world):
    from ipcity.core.models import Rule

    Rule.objects.create(key="protection.duplicate_max_links", value=2)
    matters = [make_submission(respondent="热门网店", facts=FACTS, received_at=timezone.now() - dt.timedelta(hours=9 - i))
               .matters.get() for i in range(6)]
    latest = DuplicateLink.objects.filter(matter=matters[-1]).order_by("-earlier__received_at")
    # Every earlier one is an equally strong match; the most recent two are proposed, not all five.
    assert [x.earlier for x in latest] == [matters[-2], matters[-3]]
    assert all(DuplicateLink.objects.filter(matter=m).count() == min(i, 2) for i, m in enumerate(matters))


@pytest.mark.django_db
def test_the_same_submitter_is_recognised_by_keyed_hash_and_old_matters_are_outside_the_window(world):
    old = make_submission(respondent="某厂", facts=FACTS,
                          received_at=timezone.now() - dt.timedelta(days=200)).matters.get()
    first = make_submission(respondent="某厂", facts="第一次反映的情况说明文字。").matters.get()
    again = make_submission(respondent="某厂", facts="再次反映，补充了新的证据材料。").matters.get()
    link = DuplicateLink.objects.get(matter=again)
    assert link.earlier == first and any("同一提交人" in r for r in link.reasons)
    assert not DuplicateLink.objects.filter(earlier=old).exists()
    assert "13912345678" not in str(link.reasons)


@pytest.mark.django_db
def test_confirming_tells_both_submitters_and_merges_nothing(world, client):
    first = make_submission(respondent="示例家居有限公司", facts=FACTS).matters.get()
    second = make_submission(respondent="示例家居有限公司", facts=FACTS, submitter_name="钱七",
                             submitter_phone="13700000000").matters.get()
    link = DuplicateLink.objects.get()
    client.force_login(world.user(R.DISTRICT_STAFF))
    page = client.get(f"/protection/matters/{second.pk}/").content.decode()
    assert "疑似重复" in page and first.number in page
    client.post(f"/protection/duplicates/{link.pk}/", {"confirm": "1"})
    link.refresh_from_db()
    assert link.status == "confirmed"
    for matter, other in ((first, second), (second, first)):
        notes = " ".join(e["note"] for e in public_status(matter.submission)["history"])
        assert other.submission.tracking_number in notes and "并案办理" in notes
    assert Matter.objects.filter(pk__in=[first.pk, second.pk], status="received").count() == 2
    with pytest.raises(ValidationError):
        decide_duplicate(link, acting_user=world.user(R.DISTRICT_STAFF), confirm=False)


def _link(w, region):
    a = make_submission(region_code=region, respondent="重复公司", facts=FACTS).matters.get()
    make_submission(region_code=region, respondent="重复公司", facts=FACTS, submitter_phone="13700000000")
    return DuplicateLink.objects.get(earlier=a)


class TestDuplicateLinkScope(ScopeMatrix):
    """Offices only (never the submitters: a link reveals that someone else complained)."""

    model = DuplicateLink
    objects = {"a": lambda w: _link(w, "371702"), "b": lambda w: _link(w, "371703")}
    visible_to = {R.CITY_LEADER: {"a", "b"}, R.CITY_STAFF: {"a", "b"}, R.DISTRICT_STAFF: {"a"},
                  R.ENFORCEMENT_OFFICER: {"a"}}
