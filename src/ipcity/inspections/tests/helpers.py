"""Test data for 双随机、一公开, made through the real actions.

`scenario(world)` (made once per test, kept on the world object): the city office's item, object pool (the world's
enterprises and agency, a market, an online shop), a filed plan with one count batch, and a drawn draw whose
inspectors are the city staff member and district A's officer (the only two with credentials), with one result
entered (not published) and one published; and district A's own filed plan with a committed draw."""
from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from unittest import mock

from django.utils import timezone

from ipcity.accounts.roles import Role
from ipcity.inspections import actions
from ipcity.inspections.models import Batch
from ipcity.regions.models import Region


def credential(user, number=None):
    from ipcity.protection.models import EnforcementCredential

    today = timezone.localdate()
    return EnforcementCredential.objects.create(
        user=user, number=number or f"检测{user.pk:06d}", issuer="测试市人民政府",
        valid_from=today - dt.timedelta(days=30), valid_until=today + dt.timedelta(days=365))


def item(owner, code="SJ-01", kinds=("enterprise", "agency", "market", "online_shop")):
    return actions.create_item(acting_user=None, owner=owner, code=code, name="专利标识标注情况检查",
                               legal_basis="《专利法》第十六条、《专利标识标注办法》", object_kinds=list(kinds),
                               department=owner.name, method="on_site")


def filed_plan(owner, user, the_item, *, mode="count", count=2, ratios=None, kinds=None, year=None):
    plan = actions.create_plan(acting_user=user, owner=owner, year=year or timezone.localdate().year, title="")
    batch = actions.add_batch(plan, acting_user=user, item=the_item, name="第一批",
                              object_kinds=kinds or the_item.object_kinds, mode=mode,
                              count=count if mode == Batch.Mode.COUNT else None, ratios=ratios)
    actions.file_plan(plan, acting_user=user, filed_on=timezone.localdate(), filed_with="山东省市场监督管理局",
                      filing_reference="鲁市监备〔2026〕1号")
    return plan, batch


def beacon(at=None, period="2026330", source="中国福利彩票3D") -> dict:
    """freeze_draw's beacon arguments: the lottery drawn at `at` (an hour from now by default)."""
    return {"beacon_source": source, "beacon_period": period,
            "beacon_at": at or timezone.now() + dt.timedelta(hours=1)}


def freeze(batch, user, **kwargs):
    """Freeze as if two hours ago, with a beacon drawn an hour ago (so that the draw can be performed now), and run
    what the freeze leaves for after its commit (the signed checkpoint) — under the same earlier clock."""
    from django.test import TestCase

    real = timezone.now()
    kwargs = {**beacon(real - dt.timedelta(hours=1)), **kwargs}
    with mock.patch("django.utils.timezone.now", return_value=real - dt.timedelta(hours=2)), \
            TestCase.captureOnCommitCallbacks(execute=True):
        return actions.freeze_draw(batch, acting_user=user, **kwargs)


def draw_now(draw, user, value="517", **kwargs):
    """Enter the committed beacon's result, announced at the committed time."""
    committed = json.loads(draw.pool_json)["beacon"]
    return actions.perform_draw(draw, acting_user=user, value=value, source=committed["source"],
                                period=committed["period"],
                                announced_at=dt.datetime.fromisoformat(committed["expected_at"]), **kwargs)


def city_pool(world, user):
    office = world.orgs["city_office"]
    actions.sync_object_pool(office, acting_user=user)
    market = actions.add_object(acting_user=user, owner=office, kind="market", name="测试市国际商贸城",
                                region=Region.objects.get(code="371702"))
    shop = actions.add_object(acting_user=user, owner=office, kind="online_shop", name="测试旗舰店",
                              region=Region.objects.get(code="371703"), platform="示例电商平台", shop_id="S10086")
    return market, shop


def scenario(world):
    cached = getattr(world, "_inspections", None)
    if cached is not None:
        return cached
    staff, officer = world.user(Role.CITY_STAFF), world.user(Role.ENFORCEMENT_OFFICER)
    district = world.user(Role.DISTRICT_STAFF)
    credential(staff)
    credential(officer)
    office = world.orgs["city_office"]
    market, shop = city_pool(world, staff)
    the_item = item(office)
    plan, batch = filed_plan(office, staff, the_item, count=3)
    draw = draw_now(freeze(batch, staff), staff)
    first, second, third = list(draw.assignments.order_by("position"))
    today = timezone.localdate()
    published = actions.enter_result(first, acting_user=officer, outcome="passed", inspected_on=today)
    actions.publish_results(draw, acting_user=staff)
    unpublished = actions.enter_result(second, acting_user=officer, outcome="problem", inspected_on=today,
                                       finding="产品包装标注已失效的专利号", handling="责令限期改正")
    conflict = actions.declare_conflict(acting_user=officer, inspector=officer, object=market, reason="近亲属在该市场经营")
    # District A's own pool and plan (its staff run it).
    district_office = world.orgs["district_a"]
    d_item = item(district_office, code="QX-01", kinds=("enterprise",))
    actions.sync_object_pool(district_office, acting_user=district)
    d_object = district_office.inspection_objects.get(kind="enterprise")
    d_plan, d_batch = filed_plan(district_office, district, d_item, count=1)
    result = SimpleNamespace(staff=staff, officer=officer, district=district, office=office, market=market,
                             shop=shop, item=the_item, plan=plan, batch=batch, draw=draw, published=published,
                             unpublished=unpublished, conflict=conflict, assignment=third,
                             d_item=d_item, d_object=d_object, d_plan=d_plan, d_batch=d_batch)
    world._inspections = result
    return result
