"""The defects a review found, each pinned: the beacon is committed before its result is known (and nothing else
seeds the draw), announcements and freezes do not race, recusal is applied in full before freezing, published
findings name nobody, a signed checkpoint dates the commitment, the plan page has no N+1, form errors name their
field."""
from __future__ import annotations

import datetime as dt
import json
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ipcity.accounts.roles import Role
from ipcity.inspections import actions, draw
from ipcity.inspections.models import Assignment, Batch, Draw
from ipcity.inspections.tests.helpers import beacon, credential, draw_now, filed_plan, freeze, item, scenario


def _office_with_inspectors(world):
    staff, officer = world.user(Role.CITY_STAFF), world.user(Role.ENFORCEMENT_OFFICER)
    credential(staff)
    credential(officer)
    office = world.orgs["city_office"]
    actions.sync_object_pool(office, acting_user=staff)
    return office, staff, officer


def test_the_beacon_is_fixed_at_the_freeze_and_only_its_result_seeds_the_draw(world):
    office, staff, _ = _office_with_inspectors(world)
    plan, batch = filed_plan(office, staff, item(office), kinds=["enterprise"], count=1)
    with pytest.raises(ValidationError, match="开奖来源"):
        actions.freeze_draw(batch, acting_user=staff)  # no beacon named up front
    with pytest.raises(ValidationError, match="开奖来源"):
        actions.freeze_draw(batch, acting_user=staff, **beacon(source="本局自选号码"))
    with pytest.raises(ValidationError, match="晚于现在"):  # a beacon already drawn could be chosen by its result
        actions.freeze_draw(batch, acting_user=staff, **beacon(at=timezone.now() - dt.timedelta(minutes=5)))
    frozen = freeze(batch, staff)
    committed = json.loads(frozen.pool_json)["beacon"]
    assert committed["source"] == "中国福利彩票3D" and committed["period"] == "2026330"
    assert draw.commitment({**json.loads(frozen.pool_json)}) == frozen.commitment  # the beacon is committed
    at = dt.datetime.fromisoformat(committed["expected_at"])
    args = {"acting_user": staff, "value": "517", "source": "中国福利彩票3D", "period": "2026330", "announced_at": at}
    with pytest.raises(ValidationError, match="开奖来源应为"):
        actions.perform_draw(frozen, **{**args, "source": "中国体育彩票排列3"})
    with pytest.raises(ValidationError, match="期号应为"):
        actions.perform_draw(frozen, **{**args, "period": "2026329"})
    with pytest.raises(ValidationError, match="不能早于"):
        actions.perform_draw(frozen, **{**args, "announced_at": at - dt.timedelta(minutes=1)})
    done = actions.perform_draw(frozen, **args)
    published = json.loads(done.record_json)
    assert published["announced"] == "中国福利彩票3D 第2026330期 517" and draw.replay(published)


def test_a_committed_draw_is_redrawn_only_before_its_beacon_is_drawn(world):
    office, staff, _ = _office_with_inspectors(world)
    plan, batch = filed_plan(office, staff, item(office), kinds=["enterprise"], count=1)
    waiting = actions.freeze_draw(batch, acting_user=staff, **beacon())  # drawn an hour from now
    again = actions.redraw(waiting, acting_user=staff, reason="名录有误", **beacon(period="2026331"))
    assert again.supersedes_id == waiting.pk
    past = freeze(Batch.objects.create(plan=plan, item=batch.item, name="第二批", object_kinds=["enterprise"],
                                       mode="count", count=1), staff)  # its beacon was drawn an hour ago
    with pytest.raises(ValidationError, match="请先录入开奖结果"):
        actions.redraw(past, acting_user=staff, reason="想换一个结果", **beacon(period="2026332"))
    done = draw_now(past, staff)  # the selection that stood is on record; now a redraw is a new logged draw
    assert actions.redraw(done, acting_user=staff, reason="抽中对象已注销", **beacon(period="2026332")).supersedes_id \
        == done.pk


def test_an_announcement_on_a_stale_copy_never_overwrites_a_published_draw(world):
    s = scenario(world)
    office, staff = s.office, s.staff
    plan, batch = filed_plan(office, staff, item(office, code="R-1"), kinds=["enterprise"], count=1, year=2036)
    frozen = freeze(batch, staff)
    stale = Draw.objects.get(pk=frozen.pk)  # what a second request loaded before the first one committed
    done = draw_now(frozen, staff, value="517")
    record_json = Draw.objects.get(pk=done.pk).record_json
    with pytest.raises(ValidationError, match="已完成"):
        draw_now(stale, staff, value="518")
    assert Draw.objects.get(pk=done.pk).record_json == record_json and done.assignments.count() == 1
    # one position per draw, enforced by the database as well
    other = s.market
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(draw=done, position=1, object=other)


def test_a_second_freeze_that_clashes_answers_in_chinese(world):
    office, staff, _ = _office_with_inspectors(world)
    plan, batch = filed_plan(office, staff, item(office), kinds=["enterprise"], count=1)
    first = actions.freeze_draw(batch, acting_user=staff, **beacon())
    second = Batch.objects.create(plan=plan, item=batch.item, name="第二批", object_kinds=["enterprise"],
                                  mode="count", count=1)
    # a concurrent freeze that got past the checks computes a number already taken: a message, never a 500
    with mock.patch.object(actions, "_number", return_value=first.number), \
            pytest.raises(ValidationError, match="该批次已有抽取"):
        actions.freeze_draw(second, acting_user=staff, **beacon())
    assert not second.draws.exists()


def test_objects_left_without_enough_inspectors_after_recusal_are_left_out_and_shown(world, client):
    office, staff, officer = _office_with_inspectors(world)
    from ipcity.inspections.tests.helpers import city_pool

    market, shop = city_pool(world, staff)
    actions.declare_conflict(acting_user=officer, inspector=officer, object=market, reason="近亲属在该市场经营")
    plan, batch = filed_plan(office, staff, item(office), kinds=["market", "online_shop"], count=1)
    frozen = freeze(batch, staff)
    pool = json.loads(frozen.pool_json)
    assert [o["id"] for o in pool["objects"]] == [shop.code]  # two inspectors, one recused: the market is out
    (left,) = pool["meta"]["left_out"]
    assert left["id"] == market.code and "不足 2 名" in left["reason"] and not pool["recusals"]
    meta = pool.pop("meta")
    for n in range(100):  # every announced value now gives a draw: none can fail after the value is known
        draw.run_draw(pool, draw.announcement(pool["beacon"], f"{n:03d}"))
    client.force_login(staff)
    page = client.get(f"/inspections/draws/{frozen.pk}/").content.decode()
    assert 'data-testid="left-out"' in page and market.name in page and left["reason"] in page
    public = client.get(f"/portal/inspections/draws/{frozen.pk}/").content.decode()
    assert left["reason"] in public
    assert 'data-testid="strata-notice"' in public and "任何人" in public  # why the credit classes are published
    assert meta["left_out"] == [left]
    # nothing drawable at all: refused, naming the objects
    only_market = Batch.objects.create(plan=plan, item=batch.item, name="市场", object_kinds=["market"],
                                       mode="count", count=1)
    with pytest.raises(ValidationError, match=f"回避后没有可抽取的检查对象：{market.name}"):
        actions.freeze_draw(only_market, acting_user=staff, **beacon())


def test_published_findings_mask_the_names_of_inspectors_and_contacts(world, client):
    from ipcity.accounts.models import User
    from ipcity.orgs.models import Contact

    office, staff, officer = _office_with_inspectors(world)
    User.objects.filter(pk=officer.pk).update(display_name="张伟")
    User.objects.filter(pk=staff.pk).update(display_name="李娜")
    plan, batch = filed_plan(office, staff, item(office), kinds=["enterprise"], count=1)
    done = draw_now(freeze(batch, staff), staff)
    (assignment,) = done.assignments.select_related("object")
    Contact.objects.create(organisation=assignment.object.organisation, name="王建国", position="法定代表人")
    finding = "执法人员张伟、李娜到场检查，法定代表人王建国在场，产品包装标注已失效的专利号"
    result = actions.enter_result(assignment, acting_user=officer, outcome="problem",
                                  inspected_on=timezone.localdate(), finding=finding, handling="王建国签字确认，责令改正")
    assert result.finding == finding  # the text as entered stays for the office
    assert result.public_finding == "执法人员张*、李*到场检查，法定代表人王**在场，产品包装标注已失效的专利号"
    client.force_login(staff)  # the publishing user reviews the public text first
    page = client.get(f"/inspections/draws/{done.pk}/").content.decode()
    assert 'data-testid="public-text"' in page and result.public_finding in page
    actions.publish_results(done, acting_user=staff)
    client.logout()
    page = client.get(f"/portal/inspections/draws/{done.pk}/").content.decode()
    assert "已失效的专利号" in page and "王**签字确认" in page
    for name in ("张伟", "李娜", "王建国"):
        assert name not in page


def test_the_draw_needs_a_checkpoint_signed_before_the_beacon_and_the_record_names_it(world):
    from ipcity.evidence import checkpoints

    office, staff, _ = _office_with_inspectors(world)
    plan, batch = filed_plan(office, staff, item(office), kinds=["enterprise"], count=1)
    real = timezone.now()
    second = Batch.objects.create(plan=plan, item=batch.item, name="第二批", object_kinds=["enterprise"],
                                  mode="count", count=1)
    with mock.patch("django.utils.timezone.now", return_value=real - dt.timedelta(hours=2)):
        # frozen two hours ago, but its after-commit checkpoint never ran
        unsigned = actions.freeze_draw(second, acting_user=staff, **beacon(real - dt.timedelta(hours=1)))
    checkpoints.make_checkpoint(acting_user=None)  # signed now, after the beacon: proves nothing about before
    with pytest.raises(ValidationError, match="签名检查点"):
        draw_now(unsigned, staff)
    frozen = freeze(batch, staff)  # the checkpoint is signed when the freeze commits
    entry = actions.commitment_entry(frozen)
    signed = checkpoints.covering(entry)
    at = dt.datetime.fromisoformat(json.loads(frozen.pool_json)["beacon"]["expected_at"])
    assert signed is not None and frozen.committed_at <= signed.created_at < at
    done = draw_now(frozen, staff)
    meta = json.loads(done.record_json)["meta"]
    assert meta["commitment_entry"] == entry.index
    assert meta["checkpoint"]["size"] == signed.size and meta["checkpoint"]["root"] == signed.root_hash
    assert draw.replay(json.loads(done.record_json))["evidence"]["entry"] == entry.index


def test_the_plan_page_asks_no_more_queries_for_more_batches(world, client):
    s = scenario(world)
    client.force_login(s.staff)
    url = f"/inspections/plans/{s.plan.pk}/"

    queries_seen = []

    def count():
        with CaptureQueriesContext(transaction.get_connection()) as queries:
            assert client.get(url).status_code == 200
        queries_seen[:] = queries.captured_queries
        return len(queries)

    Batch.objects.create(plan=s.plan, item=s.item, name="按比例", object_kinds=["enterprise"], mode="ratio")
    before = count()
    for n in range(3):  # more undrawn batches over the same pool, and a drawn one is already there
        Batch.objects.create(plan=s.plan, item=s.item, name=f"按比例 {n}", object_kinds=["enterprise"], mode="ratio")
    assert count() == before, [q["sql"][:110] for q in queries_seen]


def test_form_errors_name_their_field(world, client):
    s = scenario(world)
    client.force_login(s.staff)
    page = client.post("/inspections/plans/new/", {"title": "x"}, follow=True).content.decode()
    assert "年度：这个字段是必填项。" in page
    batch = Batch.objects.create(plan=s.plan, item=s.item, name="再一批", object_kinds=["enterprise"], mode="count",
                                 count=1)
    page = client.post(f"/inspections/batches/{batch.pk}/freeze/", {"seed_mode": "lottery"}, follow=True)
    assert "期号（如 2026330）：这个字段是必填项。" in page.content.decode()
