"""Demo data for 双随机、一公开: the city office's item list, object pool (the demo enterprises and agencies, two
markets, three online shops), inspectors with credentials, a filed annual plan with two batches, one published draw
per batch (the first by credit-class ratios, with results entered and published), and one redraw — all through the
actions staff use. Running it again changes nothing."""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.utils import timezone

from ipcity.demo.generator import DemoContext, demo_step

ITEMS = [
    ("SJ-ZL-01", "专利标识标注情况检查", "《中华人民共和国专利法》第十六条、第六十八条；《专利标识标注办法》",
     ["enterprise", "market", "online_shop"], "on_site"),
    ("SJ-DL-01", "专利代理机构执业情况检查", "《专利代理条例》第二十五条；《专利代理管理办法》第四十八条",
     ["agency"], "documents"),
]
MARKETS = ["国际商贸城", "小商品批发市场"]
SHOPS = [("示例电商平台", "DS10021", "家居用品旗舰店"), ("示例电商平台", "DS10388", "五金工具专营店"),
         ("示例直播平台", "ZB77120", "农特产品小店")]
EXTRA_INSPECTORS = [("inspector1", "执法人员甲（演示）"), ("inspector2", "执法人员乙（演示）")]


def _inspectors(ctx: DemoContext) -> list:
    """The demo officer and staff member and two more officers of the 综合执法支队, each with a credential."""
    from ipcity.accounts import actions as account_actions
    from ipcity.accounts.models import User
    from ipcity.accounts.roles import Role
    from ipcity.protection.models import EnforcementCredential

    users = [u for u in (ctx.users.get("officer"), ctx.users.get("staff")) if u is not None]
    unit = ctx.orgs.get("section:综合执法支队")
    for username, label in EXTRA_INSPECTORS:
        user = User.objects.filter(username=username).first()
        if user is None and unit is not None:  # no password: drawn as inspectors, not demo logins
            user = account_actions.create_user(acting_user=ctx.acting_user, username=username,
                                               role=Role.ENFORCEMENT_OFFICER, organisation=unit,
                                               display_name=label, is_demo=True)
            ctx.count("users")
        if user is not None:
            users.append(user)
    today = timezone.localdate()
    for user in users:
        if not EnforcementCredential.objects.filter(user=user).exists():
            EnforcementCredential.objects.create(
                user=user, number=f"鲁执法（演示）S{user.pk:05d}", issuer="示例市人民政府",
                valid_from=today - dt.timedelta(days=365), valid_until=today + dt.timedelta(days=3 * 365))
    return users


@demo_step(88, "双随机、一公开：抽查计划、公开抽取与结果公示")
def inspections(ctx: DemoContext) -> None:
    from ipcity.inspections import actions
    from ipcity.inspections.models import AnnualPlan, InspectionItem, InspectionObject

    office, staff = ctx.orgs.get("city_office"), ctx.users.get("staff")
    if office is None or staff is None:
        return
    inspectors = _inspectors(ctx)
    if len(inspectors) < 3:
        return
    items = {}
    for code, name, basis, kinds, method in ITEMS:
        items[code] = InspectionItem.objects.filter(owner=office, code=code).first() or actions.create_item(
            acting_user=staff, owner=office, code=code, name=name, legal_basis=basis, object_kinds=kinds,
            department=f"{office.short_name or office.name}综合执法支队", method=method, is_demo=True)
    actions.sync_object_pool(office, acting_user=staff, is_demo=True)
    for i, name in enumerate(MARKETS):
        full = f"{ctx.city.name[:2]}{name}"
        if not InspectionObject.objects.filter(owner=office, name=full).exists():
            actions.add_object(acting_user=staff, owner=office, kind="market", name=full,
                               region=ctx.districts[i % len(ctx.districts)], is_demo=True)
    for i, (platform, shop_id, name) in enumerate(SHOPS):
        if not InspectionObject.objects.filter(owner=office, platform=platform, shop_id=shop_id).exists():
            actions.add_object(acting_user=staff, owner=office, kind="online_shop", name=f"{ctx.city.name[:2]}{name}",
                               region=ctx.districts[(i + 1) % len(ctx.districts)], platform=platform,
                               shop_id=shop_id, is_demo=True)
    # A declared conflict: the second extra officer once worked for the first demo enterprise.
    first = ctx.orgs.get(f"enterprise:{ctx.districts[0].code}:0")
    conflicted = InspectionObject.objects.filter(owner=office, organisation=first).first()
    if conflicted is not None and not conflicted.conflicts.exists():
        actions.declare_conflict(acting_user=staff, inspector=inspectors[-1], object=conflicted,
                                 reason="曾在该企业任职，未满三年")
    year = timezone.localdate().year
    plan = AnnualPlan.objects.filter(owner=office, year=year).first()
    if plan is None:
        plan = actions.create_plan(acting_user=staff, owner=office, year=year,
                                   title=f"{ctx.city.name}{year} 年度知识产权领域“双随机、一公开”抽查工作计划", is_demo=True)
        ctx.count("inspection_plans")
    if not plan.batches.exists():
        actions.add_batch(plan, acting_user=staff, item=items["SJ-ZL-01"], name="第一批：专利标识标注（按信用风险分类）",
                          object_kinds=["enterprise", "market", "online_shop"], mode="ratio", planned_month=5,
                          ratios={"A": 10, "B": 20, "C": 50, "D": 100})
        actions.add_batch(plan, acting_user=staff, item=items["SJ-DL-01"], name="第二批：专利代理机构执业情况",
                          object_kinds=["agency"], mode="count", count=2, planned_month=9)
    if plan.state == AnnualPlan.State.DRAFT:
        actions.file_plan(plan, acting_user=staff, filed_on=timezone.localdate() - dt.timedelta(days=30),
                          filed_with="山东省市场监督管理局（省知识产权局）", filing_reference="示例备案回执 2026-017")
    first_batch, second_batch = plan.batches.order_by("pk")[:2]
    base = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(days=3)
    if not first_batch.draws.exists():
        with _staged(base):
            frozen = actions.freeze_draw(first_batch, acting_user=staff, is_demo=True,
                                         **_beacon("2026330", base + dt.timedelta(hours=2)))
        draw = _perform(actions, frozen, staff, "517")
        _results(ctx, actions, draw, inspectors)
        ctx.count("inspection_draws")
    if not second_batch.draws.exists():
        with _staged(base + dt.timedelta(hours=1)):
            frozen = actions.freeze_draw(second_batch, acting_user=staff, is_demo=True,
                                         **_beacon("2026331", base + dt.timedelta(hours=2)))
        old = _perform(actions, frozen, staff, "286")
        with _staged(base + dt.timedelta(days=1)):
            new = actions.redraw(old, acting_user=staff,
                                 reason="抽中的一家专利代理机构已办理注销登记，经局务会研究，重新冻结名录后重新抽取",
                                 **_beacon("2026332", base + dt.timedelta(days=1, hours=2)))
        _perform(actions, new, staff, "903")
        ctx.count("inspection_draws", 2)


def _beacon(period: str, at) -> dict:
    return {"beacon_source": "中国福利彩票3D", "beacon_period": period, "beacon_at": at}


@contextmanager
def _staged(moment):
    """Run the staff's freeze as of `moment`, and sign the evidence checkpoint it calls for then (the freeze leaves
    that to after its commit, and the demo runs in one transaction): the demo shows draws frozen days ago whose
    beacons have been drawn since, made through the same actions. Demo data only — nothing else moves the clock."""
    from ipcity.evidence.checkpoints import make_checkpoint
    from ipcity.evidence.models import Checkpoint

    real = timezone.now
    timezone.now = lambda: moment
    try:
        yield
        make_checkpoint(acting_user=None, reason=Checkpoint.Reason.MANUAL)
    finally:
        timezone.now = real


def _perform(actions, frozen, staff, value: str):
    import json

    beacon = json.loads(frozen.pool_json)["beacon"]
    return actions.perform_draw(frozen, acting_user=staff, value=value, source=beacon["source"],
                                period=beacon["period"], announced_at=dt.datetime.fromisoformat(beacon["expected_at"]))


def _results(ctx: DemoContext, actions, draw, inspectors) -> None:
    """Results for all but the last assignment; all but one of those published (sent to credit)."""
    assignments = list(draw.assignments.order_by("position").prefetch_related("inspectors"))
    outcomes = [("passed", "", ""), ("rectified", "部分产品包装标注的专利号已终止，未标明专利类别。", "责令限期改正，已整改完毕。"),
                ("passed", "", ""), ("problem", "网店商品详情页标注“专利产品”但未标注专利号。", "责令改正，跟踪复查。")]
    today = timezone.localdate()
    entered = assignments[:-1]
    publish_after = max(1, len(entered) - 1)  # one entered result stays waiting for publication
    for i, assignment in enumerate(entered):
        outcome, finding, handling = outcomes[i % len(outcomes)]
        actions.enter_result(assignment, acting_user=assignment.inspectors.all()[0], outcome=outcome,
                             inspected_on=today, finding=finding, handling=handling)
        if i + 1 == publish_after:
            actions.publish_results(draw, acting_user=ctx.users["staff"])
