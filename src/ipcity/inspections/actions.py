"""Every state change of 双随机、一公开: the item list, the pools, conflicts, annual plans and their filing, batches,
draws (freeze and commit → draw → redraw), results and their publication."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ipcity.core.actions import action, record
from ipcity.inspections import draw as drawing
from ipcity.inspections import policy
from ipcity.inspections.models import (
    AnnualPlan,
    Assignment,
    Batch,
    ConflictDeclaration,
    Draw,
    InspectionItem,
    InspectionObject,
    InspectionResult,
    ObjectKind,
)
from ipcity.inspections.queries import inspector_pool
from ipcity.orgs.models import Organisation

ORG_KINDS = {ObjectKind.ENTERPRISE: Organisation.Kind.ENTERPRISE, ObjectKind.AGENCY: Organisation.Kind.SERVICE_AGENCY}


def _kinds(kinds, allowed=None) -> list[str]:
    kinds = [str(k) for k in kinds]
    if not kinds:
        raise ValidationError({"object_kinds": "请至少选择一种抽查对象类型"})
    unknown = [k for k in kinds if k not in ObjectKind.values]
    if unknown:
        raise ValidationError({"object_kinds": f"未知的抽查对象类型：{'、'.join(unknown)}"})
    if allowed is not None:
        outside = [ObjectKind(k).label for k in kinds if k not in allowed]
        if outside:
            raise ValidationError({"object_kinds": f"抽查事项不适用于：{'、'.join(outside)}"})
    return sorted(set(kinds), key=ObjectKind.values.index)


def _sha256(value) -> str:
    return hashlib.sha256(drawing.canonical(value)).hexdigest()


# --- 一单: the item list -------------------------------------------------------------------------------------

@action
def create_item(*, acting_user, owner: Organisation, code: str, name: str, legal_basis: str, object_kinds,
                department: str, method: str, is_demo: bool = False) -> InspectionItem:
    item = InspectionItem(owner=owner, code=code.strip(), name=name.strip(), legal_basis=legal_basis.strip(),
                          object_kinds=_kinds(object_kinds), department=department.strip(), method=method,
                          is_demo=is_demo)
    item.full_clean()
    item.save()
    record("inspections.create_item", acting_user=acting_user, obj=item,
           changes={"code": item.code, "object_kinds": item.object_kinds, "method": method})
    return item


@action
def set_item_active(item: InspectionItem, active: bool, *, acting_user) -> InspectionItem:
    item.is_active = active
    item.save(update_fields=["is_active"])
    record("inspections.set_item_active", acting_user=acting_user, obj=item, changes={"is_active": active})
    return item


# --- 两库: the object pool (the inspector pool is derived from enforcement credentials) --------------------------

@action
def sync_object_pool(owner: Organisation, *, acting_user, is_demo: bool = False) -> dict:
    """Bring the office's enterprises and agencies into its object pool (an organisation is added once) and mark
    those whose organisation is no longer active as not in business."""
    orgs = Organisation.objects.filter(kind__in=ORG_KINDS.values(), region__code__startswith=owner.region.prefix)
    known = set(InspectionObject.objects.filter(owner=owner, organisation__isnull=False,
                                                kind__in=ORG_KINDS.keys()).values_list("organisation_id", flat=True))
    kind_of = {v: k for k, v in ORG_KINDS.items()}
    new = [InspectionObject(owner=owner, kind=kind_of[o.kind], organisation=o, name=o.name, region_id=o.region_id,
                            is_active=o.is_active, is_demo=is_demo)
           for o in orgs.filter(is_active=True).exclude(pk__in=known).order_by("pk")]
    InspectionObject.objects.bulk_create(new)
    closed = (InspectionObject.objects.filter(owner=owner, kind__in=ORG_KINDS.keys(), is_active=True,
                                              organisation__is_active=False).update(is_active=False))
    if new or closed:  # a sync that changed nothing is no state change (and a demo rerun writes nothing)
        record("inspections.sync_object_pool", acting_user=acting_user, obj=owner,
               changes={"added": len(new), "deactivated": closed})
    return {"added": len(new), "deactivated": closed}


@action
def add_object(*, acting_user, owner: Organisation, kind: str, name: str, region, platform: str = "",
               shop_id: str = "", organisation: Organisation | None = None,
               is_demo: bool = False) -> InspectionObject:
    """A market or an online shop that is not an organisation of the platform (a shop may name the enterprise or
    agency that runs it)."""
    if kind not in (ObjectKind.MARKET, ObjectKind.ONLINE_SHOP):
        raise ValidationError({"kind": "企业和服务机构请通过“从组织机构同步”加入名录库"})
    if not region.code.startswith(owner.region.prefix):
        raise ValidationError({"region": "检查对象应在本单位辖区内"})
    if kind == ObjectKind.ONLINE_SHOP and not (platform.strip() and shop_id.strip()):
        raise ValidationError({"shop_id": "网店须填写电商平台和店铺编号"})
    if organisation is not None and (kind != ObjectKind.ONLINE_SHOP or organisation.kind not in ORG_KINDS.values()
                                     or not organisation.region_id.startswith(owner.region.prefix)):
        raise ValidationError({"organisation": "只有网店可以关联经营者，且经营者应为本辖区的企业或服务机构"})
    obj = InspectionObject(owner=owner, kind=kind, name=name.strip(), region=region, platform=platform.strip(),
                           shop_id=shop_id.strip(), organisation=organisation, is_demo=is_demo)
    obj.full_clean()
    obj.save()
    record("inspections.add_object", acting_user=acting_user, obj=obj, changes={"kind": kind})
    return obj


@action
def set_object_active(obj: InspectionObject, active: bool, *, acting_user) -> InspectionObject:
    obj.is_active = active
    obj.save(update_fields=["is_active"])
    record("inspections.set_object_active", acting_user=acting_user, obj=obj, changes={"is_active": active})
    return obj


@action
def declare_conflict(*, acting_user, inspector, object: InspectionObject, reason: str) -> ConflictDeclaration:
    if not reason.strip():
        raise ValidationError({"reason": "请填写回避理由"})
    if ConflictDeclaration.objects.filter(inspector=inspector, object=object, withdrawn_at__isnull=True).exists():
        raise ValidationError("该回避声明已登记")
    conflict = ConflictDeclaration.objects.create(inspector=inspector, object=object, reason=reason.strip(),
                                                  declared_by=acting_user)
    record("inspections.declare_conflict", acting_user=acting_user, obj=conflict,
           changes={"inspector": inspector.pk, "object": object.pk})
    return conflict


@action
def withdraw_conflict(conflict: ConflictDeclaration, *, acting_user) -> ConflictDeclaration:
    if conflict.withdrawn_at is not None:
        raise ValidationError("该回避声明已撤销")
    conflict.withdrawn_at = timezone.now()
    conflict.save(update_fields=["withdrawn_at"])
    record("inspections.withdraw_conflict", acting_user=acting_user, obj=conflict)
    return conflict


# --- the annual plan and its batches --------------------------------------------------------------------------

@action
def create_plan(*, acting_user, owner: Organisation, year: int, title: str, is_demo: bool = False) -> AnnualPlan:
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": f"年度「{year}」无效"})
    plan = AnnualPlan(owner=owner, year=year, title=title.strip() or f"{year} 年度“双随机、一公开”抽查工作计划",
                      created_by=acting_user, is_demo=is_demo)
    plan.full_clean()
    plan.save()
    record("inspections.create_plan", acting_user=acting_user, obj=plan, changes={"year": year})
    return plan


@action
def file_plan(plan: AnnualPlan, *, acting_user, filed_on: dt.date, filed_with: str,
              filing_reference: str = "") -> AnnualPlan:
    """Record that the plan was filed with the level above (报上级部门备案): when, with whom, the reference."""
    if plan.state == AnnualPlan.State.FILED:
        raise ValidationError("该计划已备案")
    if not plan.batches.exists():
        raise ValidationError("计划尚无抽查批次，不能备案")
    if not filed_with.strip():
        raise ValidationError({"filed_with": "请填写备案机关"})
    if filed_on > timezone.localdate():
        raise ValidationError({"filed_on": "备案日期不能晚于今天"})
    plan.state, plan.filed_on = AnnualPlan.State.FILED, filed_on
    plan.filed_with, plan.filing_reference = filed_with.strip(), filing_reference.strip()
    plan.save(update_fields=["state", "filed_on", "filed_with", "filing_reference"])
    record("inspections.file_plan", acting_user=acting_user, obj=plan,
           changes={"filed_on": filed_on.isoformat(), "filed_with": plan.filed_with,
                    "filing_reference": plan.filing_reference})
    return plan


@action
def add_batch(plan: AnnualPlan, *, acting_user, item: InspectionItem, name: str, object_kinds, mode: str,
              count: int | None = None, ratios: dict | None = None, planned_month: int | None = None) -> Batch:
    if plan.state == AnnualPlan.State.FILED:
        raise ValidationError("计划已备案，不能再增加批次")
    if not item.is_active or item.owner_id != plan.owner_id:
        raise ValidationError({"item": "请选择本单位抽查事项清单中有效的事项"})
    kinds = _kinds(object_kinds, allowed=item.object_kinds)
    if mode == Batch.Mode.COUNT:
        if not count or count < 1:
            raise ValidationError({"count": "按数量抽取时请填写不少于 1 的抽取数量"})
        ratios = {}
    elif mode == Batch.Mode.RATIO:
        count = None
        ratios = policy.class_ratios(ratios) if ratios else {}
    else:
        raise ValidationError({"mode": "请选择抽取方式"})
    if planned_month is not None and not 1 <= planned_month <= 12:
        raise ValidationError({"planned_month": f"计划月份「{planned_month}」无效"})
    batch = Batch.objects.create(plan=plan, item=item, name=name.strip() or item.name, object_kinds=kinds,
                                 mode=mode, count=count, ratios=ratios or {}, planned_month=planned_month)
    record("inspections.add_batch", acting_user=acting_user, obj=batch,
           changes={"item": item.code, "mode": mode, "count": count, "ratios": ratios or "规则默认"})
    return batch


# --- draws ---------------------------------------------------------------------------------------------------

def credit_classes_for(objects, as_of: dt.date) -> dict[int, str]:
    """Credit class per object: credit's class for organisations, the rule's class for the others."""
    from ipcity.credit.scoring import credit_classes  # the credit module, read at draw time

    org_ids = [o.organisation_id for o in objects if o.organisation_id]
    by_org = credit_classes(org_ids, as_of=as_of) if org_ids else {}
    fallback = policy.NON_ORGANISATION_CLASS.get()
    return {o.pk: by_org[o.organisation_id] if o.organisation_id else fallback for o in objects}


def eligible_objects(batch: Batch, *, ignore: Draw | None = None):
    """The objects a draw of the batch chooses from: the owner's pool, of the batch's kinds, in business (and the
    organisation active), without those already drawn for the same item this year when the rule says so."""
    qs = (InspectionObject.objects.filter(owner=batch.plan.owner, kind__in=batch.object_kinds, is_active=True)
          .filter(Q(organisation__isnull=True) | Q(organisation__is_active=True)))
    if policy.EXCLUDE_INSPECTED.get():
        done = Assignment.objects.filter(draw__batch__item=batch.item, draw__batch__plan__year=batch.plan.year,
                                         draw__superseded_by__isnull=True)
        if ignore is not None:
            done = done.exclude(draw=ignore)
        qs = qs.exclude(pk__in=done.values("object_id"))
    return qs.select_related("organisation").order_by("pk")


def planned_by_class(batch: Batch, classes: dict[int, str]) -> dict[str, dict]:
    """Per credit class: pool size, ratio (ratio batches) and the number to draw."""
    sizes = Counter(classes.values())
    ratios = policy.class_ratios(batch.ratios or None) if batch.mode == Batch.Mode.RATIO else {}
    return {c: {"pool": sizes.get(c, 0), "ratio": ratios.get(c),
                "planned": policy.planned_count(sizes.get(c, 0), ratios[c]) if ratios else None}
            for c in policy.CREDIT_CLASSES}


def _inspector_code(user) -> str:
    return f"I{user.pk}"


def _number(batch: Batch, plan: AnnualPlan) -> str:
    n = Draw.objects.filter(batch=batch).count() + 1
    return f"{plan.year}-{plan.owner.region_id}-{batch.pk:04d}-{n}"


def _beacon(source: str, period: str, expected_at: dt.datetime | None, now: dt.datetime) -> dict:
    """The random beacon a draw commits to up front: one of the rule's lotteries, its period, the time it is drawn
    (later than the commitment, so nobody knows its result when the pools are frozen)."""
    source, period = (source or "").strip(), (period or "").strip()
    allowed = policy.BEACON_SOURCES.get()
    if source not in allowed:
        raise ValidationError({"beacon_source": f"请选择开奖来源（{'、'.join(allowed)}）"})
    if not period.isdigit() or not 4 <= len(period) <= 12:
        raise ValidationError({"beacon_period": f"期号「{period}」无效，应为数字，如 2026330"})
    if expected_at is None:
        raise ValidationError({"beacon_at": "请填写该期的开奖时间"})
    expected_at = timezone.localtime(expected_at).replace(second=0, microsecond=0)  # published to the minute
    if expected_at <= now:
        raise ValidationError({"beacon_at": "开奖时间应晚于现在（名录摘要公布之后开奖，随机数才不能事先知道）"})
    return {"source": source, "period": period,
            "expected_at": expected_at.isoformat(timespec="minutes")}


def beacon_of(draw: Draw) -> dict | None:
    """The committed beacon of a draw (None for draws frozen before beacons were committed)."""
    return json.loads(draw.pool_json).get("beacon")


def _beacon_time(beacon: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(beacon["expected_at"])


def _eligible_inspectors(inspectors, objects, recusals: set, per_object: int):
    """Split the objects into those with at least `per_object` inspectors left after recusal and the others, which
    are left out of the pool (with the reason, in the pool's meta): a draw that could fail for some announced
    values would force a redraw after the value is known."""
    codes = [_inspector_code(u) for u in inspectors]
    keep, left_out = [], []
    for obj in objects:
        n = sum(1 for c in codes if (c, obj.code) not in recusals)
        if n < per_object:
            left_out.append({"id": obj.code, "name": str(obj), "eligible_inspectors": n,
                             "reason": f"回避后可选执法检查人员 {n} 名，不足 {per_object} 名"})
        else:
            keep.append(obj)
    return keep, left_out


@action
def freeze_draw(batch: Batch, *, acting_user, seed_mode: str = Draw.SeedMode.LOTTERY, secret_hash: str = "",
                secret_holder: str = "", beacon_source: str = "", beacon_period: str = "",
                beacon_at: dt.datetime | None = None, supersedes: Draw | None = None, reason: str = "",
                is_demo: bool = False) -> Draw:
    """Apply eligibility and recusal, freeze both pools, publish their commitment and put it in the evidence log.
    The commitment names the beacon up front (lottery, period, expected draw time) and, in secret mode, who holds
    the secret whose hash it commits; the seed comes later from that beacon's result (and the revealed secret).
    A checkpoint of the evidence log is signed as soon as the freeze commits."""
    from ipcity.evidence.checkpoints import make_checkpoint
    from ipcity.evidence.models import Checkpoint

    batch = Batch.objects.select_for_update().get(pk=batch.pk)  # one freeze of a batch at a time
    plan = AnnualPlan.objects.select_related("owner__region").get(pk=batch.plan_id)
    if policy.REQUIRE_FILED_PLAN.get() and plan.state != AnnualPlan.State.FILED:
        raise ValidationError("年度抽查计划尚未报上级部门备案，不能抽取")
    if batch.draws.filter(superseded_by__isnull=True).exclude(pk=getattr(supersedes, "pk", None)).exists():
        raise ValidationError("该批次已有抽取；如需重新抽取，请在原抽取页面说明原因后重新抽取")
    if supersedes is not None and Draw.objects.filter(supersedes=supersedes).exists():
        raise ValidationError("该抽取已被重新抽取替代，请在最新的抽取上操作")
    secret_holder = secret_holder.strip()
    if seed_mode == Draw.SeedMode.SECRET:
        secret_hash = secret_hash.strip().lower()
        if len(secret_hash) != 64 or any(c not in "0123456789abcdef" for c in secret_hash):
            raise ValidationError({"secret_hash": "请填写随机数的 SHA-256 摘要（64 位十六进制）"})
        if not secret_holder:
            raise ValidationError({"secret_holder": "请填写保管随机数的独立第三方（姓名及单位，如公证机构）"})
    elif seed_mode == Draw.SeedMode.LOTTERY:
        secret_hash, secret_holder = "", ""
    else:
        raise ValidationError({"seed_mode": "请选择随机数来源"})
    today = timezone.localdate()
    now = timezone.now()
    beacon = _beacon(beacon_source, beacon_period, beacon_at, now)
    candidates = list(eligible_objects(batch, ignore=supersedes))
    if not candidates:
        raise ValidationError("没有符合条件的检查对象（对象类型、在营状态、本年度同一事项已抽查）")
    inspectors = list(inspector_pool(plan.owner, today))
    per_object = policy.inspectors_per_object()
    if len(inspectors) < per_object:
        raise ValidationError(f"持有效执法证的执法检查人员不足 {per_object} 名")
    inspector_ids = {u.pk for u in inspectors}
    recusals = {(_inspector_code(u), o.code) for u in inspectors for o in candidates
                if o.organisation_id and u.organisation_id == o.organisation_id}
    for inspector_id, object_id in ConflictDeclaration.objects.filter(
            withdrawn_at__isnull=True, inspector_id__in=inspector_ids, object_id__in={o.pk for o in candidates}
    ).values_list("inspector_id", "object_id"):
        recusals.add((f"I{inspector_id}", f"O{object_id}"))
    objects, left_out = _eligible_inspectors(inspectors, candidates, recusals, per_object)
    if not objects:
        raise ValidationError("回避后没有可抽取的检查对象：" + "；".join(f"{o['name']}（{o['reason']}）"
                                                              for o in left_out))
    codes = {o.code for o in objects}
    recusals = {p for p in recusals if p[1] in codes}
    classes = credit_classes_for(objects, today)
    if batch.mode == Batch.Mode.RATIO:
        planned = planned_by_class(batch, classes)
        counts = {c: v["planned"] for c, v in planned.items() if v["pool"]}
        count = sum(counts.values())
        strata = {"by": "credit_class", "counts": counts}
        if count == 0:
            raise ValidationError("按各信用等级的比例计算，抽取数量为 0")
    else:
        count, strata = batch.count, None
        if count > len(objects):
            raise ValidationError(f"抽取数量 {count} 超过符合条件的检查对象数 {len(objects)}"
                                  + (f"（另有 {len(left_out)} 个因回避后执法检查人员不足未列入）" if left_out else ""))
    pool = {
        "version": drawing.VERSION,
        "objects": [_object_entry(o, classes[o.pk]) for o in objects],
        "inspectors": [{"id": _inspector_code(u), "office": u.organisation.short_name or u.organisation.name}
                       for u in inspectors],
        "recusals": sorted([list(p) for p in recusals]),
        "count": count, "per_object": per_object, "secret_hash": secret_hash, "beacon": beacon,
    }
    if secret_holder:
        pool["secret_holder"] = secret_holder
    if strata is not None:
        pool["strata"] = strata
    commitment = drawing.commitment(pool)
    number = _number(batch, plan)
    pool["meta"] = {"draw": number, "office": plan.owner.name, "plan": plan.title, "batch": batch.name,
                    "item": f"{batch.item.code} {batch.item.name}", "frozen_on": today.isoformat(),
                    "committed_at": now.isoformat(timespec="seconds"), "seed_mode": seed_mode,
                    "supersedes": supersedes.number if supersedes else "", "redraw_reason": reason,
                    "left_out": left_out}
    pool_json = json.dumps(pool, ensure_ascii=False, indent=1, sort_keys=True)
    try:
        with transaction.atomic():  # a savepoint: a clash with a concurrent freeze answers in Chinese
            draw = Draw.objects.create(
                batch=batch, number=number, seed_mode=seed_mode, pool_json=pool_json, commitment=commitment,
                objects_hash=_sha256(sorted(pool["objects"], key=lambda o: o["id"])),
                inspectors_hash=_sha256(sorted(pool["inspectors"], key=lambda i: i["id"])),
                frozen_on=today, committed_at=now, committed_by=acting_user, supersedes=supersedes,
                redraw_reason=reason, is_demo=is_demo)
    except IntegrityError as exc:
        raise ValidationError("该批次已有抽取（可能刚由他人冻结），请刷新页面后查看") from exc
    from ipcity.evidence import log as evidence_log

    evidence_log.append("inspections.commitment", {
        "draw": number, "commitment": commitment, "objects_sha256": draw.objects_hash,
        "inspectors_sha256": draw.inspectors_hash,
        "pool_sha256": hashlib.sha256(pool_json.encode("utf-8")).hexdigest(),
        # the published file itself, so that the entry's evidence package carries it (evidence_files.py)
        "files": [{"name": f"inspections-{number}-pool.json",
                   "sha256": hashlib.sha256(pool_json.encode("utf-8")).hexdigest()}],
        "objects": len(objects), "inspectors": len(inspectors), "recusals": len(recusals), "count": count,
        "secret_hash": secret_hash, "supersedes": supersedes.number if supersedes else "",
        "committed_at": now.isoformat()}, acting_user=acting_user, subject=draw)
    record("inspections.freeze_draw", acting_user=acting_user, obj=draw,
           changes={"batch": batch.pk, "commitment": commitment, "objects": len(objects),
                    "inspectors": len(inspectors), "recusals": len(recusals), "count": count,
                    "seed_mode": seed_mode, "beacon": beacon, "left_out": [o["id"] for o in left_out],
                    "supersedes": supersedes.number if supersedes else None})
    # the signed checkpoint that fixes the commitment's place in the log before the beacon is drawn
    transaction.on_commit(lambda: make_checkpoint(acting_user=None, reason=Checkpoint.Reason.MANUAL), robust=True)
    return draw


def _object_entry(obj: InspectionObject, credit_class: str) -> dict:
    entry = {"id": obj.code, "kind": obj.kind, "name": obj.name, "credit_class": credit_class}
    if obj.kind == ObjectKind.ONLINE_SHOP:
        entry.update(platform=obj.platform, shop_id=obj.shop_id)
    return entry


def commitment_entry(draw: Draw):
    """The evidence entry that logged the draw's commitment."""
    from ipcity.evidence import log as evidence_log

    return next((e for e in evidence_log.entries_for(draw) if e.kind == "inspections.commitment"), None)


@action
def perform_draw(draw: Draw, *, acting_user, value: str, source: str = "", period: str = "",
                 announced_at: dt.datetime | None = None, revealed: str = "") -> Draw:
    """Draw with the result of the beacon committed at the freeze — the same lottery and period, announced at or
    after the committed time, after a signed checkpoint that covers the commitment — and, in secret mode, the
    revealed secret; publish the complete record; give each assignment its result deadline."""
    from ipcity.evidence.checkpoints import covering
    from ipcity.workdays.actions import create_deadline

    draw = Draw.objects.select_for_update().get(pk=draw.pk)  # re-read under lock: two announcements never both run
    if draw.state != Draw.State.COMMITTED:
        raise ValidationError("该抽取已完成")
    if Draw.objects.filter(supersedes=draw).exists():
        raise ValidationError("该抽取已被重新抽取替代")
    value = value.strip()
    if not value:
        raise ValidationError({"value": "请填写开奖结果或揭示的随机数"})
    pool = json.loads(draw.pool_json)
    meta = pool.pop("meta", {})
    beacon = pool.get("beacon")
    if beacon is None:
        raise ValidationError("该抽取冻结时未事先确定开奖来源和期号，不能据以抽取；请说明原因后重新抽取")
    if source.strip() != beacon["source"]:
        raise ValidationError({"source": f"开奖来源应为冻结时公布的「{beacon['source']}」"})
    if period.strip() != beacon["period"]:
        raise ValidationError({"period": f"期号应为冻结时公布的第 {beacon['period']} 期"})
    expected = _beacon_time(beacon)
    if announced_at is None:
        raise ValidationError({"announced_at": "请填写开奖时间"})
    if announced_at < expected:
        raise ValidationError({"announced_at": f"开奖时间不能早于冻结时公布的开奖时间 "
                                               f"{timezone.localtime(expected):%Y-%m-%d %H:%M}"})
    if announced_at <= draw.committed_at:
        raise ValidationError({"announced_at": "开奖时间应晚于名录摘要公布时间，否则随机数可能事先已知"})
    if announced_at > timezone.now():
        raise ValidationError({"announced_at": "开奖时间不能晚于现在"})
    revealed = revealed.strip()
    if draw.seed_mode == Draw.SeedMode.SECRET and not revealed:
        raise ValidationError({"revealed": "请填写保管人揭示的随机数"})
    entry = commitment_entry(draw)
    checkpoint = covering(entry) if entry is not None else None
    if checkpoint is None or checkpoint.created_at >= min(announced_at, expected):
        raise ValidationError("存证日志尚无早于开奖时间、包含本次名录摘要的签名检查点，无法证明摘要公布在开奖之前；"
                              "请说明原因后重新抽取")
    announced = drawing.announcement(beacon, value)
    source = beacon["source"]
    try:
        result = drawing.run_draw(pool, announced, revealed if draw.seed_mode == Draw.SeedMode.SECRET else "")
    except drawing.DrawError as exc:
        raise ValidationError(str(exc)) from exc
    now = timezone.now()
    published = {**result, "meta": {**meta, "announced_source": source,
                                    "announced_at": timezone.localtime(announced_at).isoformat(timespec="seconds"),
                                    "drawn_at": now.isoformat(timespec="seconds"),
                                    "commitment_entry": entry.index,
                                    "checkpoint": {"size": checkpoint.size, "root": checkpoint.root_hash,
                                                   "created_at": checkpoint.created_at.isoformat(timespec="seconds")}}}
    record_json = json.dumps(published, ensure_ascii=False, indent=1, sort_keys=True)
    drawing.replay(json.loads(record_json))  # what is published must replay; anything else is a bug here
    draw.state, draw.announced_value, draw.announced_source = Draw.State.DRAWN, value, source
    draw.announced_at, draw.record_json, draw.drawn_at, draw.drawn_by = announced_at, record_json, now, acting_user
    draw.save(update_fields=["state", "announced_value", "announced_source", "announced_at", "record_json",
                             "drawn_at", "drawn_by"])
    objects = {o.code: o for o in InspectionObject.objects.filter(
        pk__in=[int(s["object"][1:]) for s in result["selection"]])}
    classes = {o["id"]: o["credit_class"] for o in pool["objects"]}
    from ipcity.accounts.models import User

    users = {_inspector_code(u): u for u in User.objects.filter(
        pk__in={int(i[1:]) for s in result["selection"] for i in s["inspectors"]})}
    limit = policy.RESULT_LIMIT_WORKDAYS.get()
    for position, chosen in enumerate(result["selection"], 1):
        assignment = Assignment.objects.create(draw=draw, position=position, object=objects[chosen["object"]],
                                               credit_class=classes[chosen["object"]])
        assignment.inspectors.set([users[i] for i in chosen["inspectors"]])
        deadline = create_deadline(acting_user=acting_user, title=f"抽查结果录入公示 {draw.number} #{position}",
                                   amount=limit, unit="working_days", start_at=now, subject=assignment,
                                   rule="“双随机、一公开”抽查结果公示期限（规则 inspections.result_limit_workdays）")
        assignment.due_at = deadline.due_at
        assignment.save(update_fields=["due_at"])
    from ipcity.evidence import log as evidence_log

    evidence_log.append("inspections.draw", {
        "draw": draw.number, "commitment": draw.commitment,
        "announced_sha256": hashlib.sha256(announced.encode("utf-8")).hexdigest(),
        "selection_sha256": _sha256(result["selection"]),
        "record_sha256": hashlib.sha256(record_json.encode("utf-8")).hexdigest(),
        "files": [{"name": f"inspections-{draw.number}-record.json",
                   "sha256": hashlib.sha256(record_json.encode("utf-8")).hexdigest()}],
        "selected": len(result["selection"])}, acting_user=acting_user, subject=draw)
    record("inspections.perform_draw", acting_user=acting_user, obj=draw,
           changes={"announced": announced, "selected": len(result["selection"])})
    return draw


@action
def redraw(draw: Draw, *, acting_user, reason: str, seed_mode: str | None = None, secret_hash: str = "",
           secret_holder: str = "", beacon_source: str = "", beacon_period: str = "",
           beacon_at: dt.datetime | None = None) -> Draw:
    """A new logged draw of the same batch that supersedes this one (which stays visible, unchanged), with its own
    beacon. Open result deadlines of the old draw are cancelled; results already entered there stay with it. A draw
    still waiting for its beacon may be redrawn only before the beacon's time: once the result may be known, the
    draw is performed first, so that the selection it gives is on record."""
    from ipcity.workdays.actions import finish_deadline
    from ipcity.workdays.models import Deadline

    if not reason.strip():
        raise ValidationError({"reason": "请说明重新抽取的原因"})
    Batch.objects.select_for_update().get(pk=draw.batch_id)  # the batch first, then the draw (freeze_draw's order)
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    if Draw.objects.filter(supersedes=draw).exists():
        raise ValidationError("该抽取已被重新抽取替代，请在最新的抽取上操作")
    beacon = beacon_of(draw)
    if draw.state == Draw.State.COMMITTED and beacon is not None and timezone.now() >= _beacon_time(beacon):
        raise ValidationError(f"冻结时公布的开奖时间（{beacon['source']} 第 {beacon['period']} 期）已到，"
                              "请先录入开奖结果完成本次抽取、公布其结果，再重新抽取")
    new = freeze_draw(draw.batch, acting_user=acting_user, seed_mode=seed_mode or draw.seed_mode,
                      secret_hash=secret_hash, secret_holder=secret_holder, beacon_source=beacon_source,
                      beacon_period=beacon_period, beacon_at=beacon_at, supersedes=draw, reason=reason.strip(),
                      is_demo=draw.is_demo)
    from django.contrib.contenttypes.models import ContentType

    open_deadlines = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Assignment),
        subject_id__in=[str(pk) for pk in draw.assignments.values_list("pk", flat=True)],
        status__in=Deadline.OPEN_STATUSES)
    for deadline in open_deadlines:
        finish_deadline(deadline, acting_user=acting_user, cancelled=True)
    record("inspections.redraw", acting_user=acting_user, obj=draw,
           changes={"superseded_by": new.number, "reason": reason.strip()})
    return new


# --- results -------------------------------------------------------------------------------------------------

def deadline_of(assignment: Assignment):
    from django.contrib.contenttypes.models import ContentType

    from ipcity.workdays.models import Deadline

    return Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(Assignment),
                                   subject_id=str(assignment.pk)).order_by("-pk").first()


def personal_names(assignment: Assignment, *extra_users) -> list[str]:
    """The natural persons a finding may name: the assignment's inspectors, whoever entered or publishes it, and
    the contacts of the object's organisation (its legal representative among them)."""
    from ipcity.orgs.models import Contact

    names = [u.display_name for u in (*assignment.inspectors.all(), *extra_users) if u is not None]
    if assignment.object.organisation_id:
        names += Contact.objects.filter(organisation_id=assignment.object.organisation_id).values_list("name",
                                                                                                       flat=True)
    return [n for n in names if n and n.strip()]


def public_text(text: str, names: list[str]) -> str:
    """A finding as the portal may show it: ID numbers, phones, accounts, addresses and the given names masked."""
    from ipcity.protection.disclosure_masking import mask_decision_text

    return mask_decision_text(text, party_is_natural_person=True, other_names=names)


@action
def enter_result(assignment: Assignment, *, acting_user, outcome: str, inspected_on: dt.date, finding: str = "",
                 handling: str = "", at: dt.datetime | None = None) -> InspectionResult:
    from ipcity.workdays.actions import finish_deadline

    Assignment.objects.select_for_update().filter(pk=assignment.pk).exists()  # one entry at a time
    draw = assignment.draw
    if Draw.objects.filter(supersedes_id=assignment.draw_id).exists():  # fresh: never a stale copy's cache
        raise ValidationError("该抽取已被重新抽取替代，不能录入结果")
    if InspectionResult.objects.filter(assignment_id=assignment.pk).exists():
        raise ValidationError("该检查对象的结果已录入")
    if outcome not in InspectionResult.Outcome.values:
        raise ValidationError({"outcome": "请选择检查结果"})
    if inspected_on < timezone.localtime(draw.drawn_at).date():
        raise ValidationError({"inspected_on": "检查日期不能早于抽取日期"})
    if inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": "检查日期不能晚于今天"})
    if outcome in (InspectionResult.Outcome.PROBLEM, InspectionResult.Outcome.RECTIFIED) and not finding.strip():
        raise ValidationError({"finding": "发现问题的，请填写检查情况"})
    at = at or timezone.now()
    deadline = deadline_of(assignment)
    late = False
    if deadline is not None and deadline.status in deadline.OPEN_STATUSES:
        late = finish_deadline(deadline, acting_user=acting_user, at=at).status == deadline.Status.LATE
    elif assignment.due_at is not None:
        late = at > assignment.due_at
    names = personal_names(assignment, acting_user)
    result = InspectionResult.objects.create(assignment=assignment, outcome=outcome, inspected_on=inspected_on,
                                             finding=finding.strip(), handling=handling.strip(),
                                             public_finding=public_text(finding.strip(), names),
                                             public_handling=public_text(handling.strip(), names),
                                             entered_by=acting_user, entered_at=at, late=late)
    record("inspections.enter_result", acting_user=acting_user, obj=result,
           changes={"outcome": outcome, "inspected_on": inspected_on.isoformat(), "late": late})
    return result


@action
def publish_results(draw: Draw, *, acting_user) -> list[InspectionResult]:
    """Publish the entered results of a draw on the portal, and send those on organisations to credit."""
    from ipcity.credit.actions import record_fact
    from ipcity.evidence import log as evidence_log

    pending = list(InspectionResult.objects.filter(assignment__draw=draw, published_at__isnull=True)
                   .select_related("assignment__object__organisation", "entered_by")
                   .order_by("assignment__position"))
    if not pending:
        raise ValidationError("没有待公示的检查结果")
    kinds = policy.CREDIT_KINDS.get()
    now = timezone.now()
    for result in pending:
        # masked again with the names as they stand now (a contact added since the entry is masked too)
        names = personal_names(result.assignment, result.entered_by, acting_user)
        result.public_finding = public_text(result.public_finding or result.finding, names)
        result.public_handling = public_text(result.public_handling or result.handling, names)
        result.published_at, result.published_by = now, acting_user
        result.save(update_fields=["published_at", "published_by", "public_finding", "public_handling"])
        obj = result.assignment.object
        kind = kinds.get(result.outcome, "")
        if obj.organisation_id and kind:
            record_fact(acting_user=acting_user, subject=obj.organisation, kind=kind,
                        occurred_on=result.inspected_on, source=result,
                        summary=f"“双随机、一公开”抽查（{draw.batch.item.name}）：{result.get_outcome_display()}")
        evidence_log.append("inspections.result", {
            "draw": draw.number, "position": result.assignment.position, "object": obj.code,
            "outcome": result.outcome, "inspected_on": result.inspected_on.isoformat(),
            "content_sha256": _sha256({"finding": result.finding, "handling": result.handling}),
            "public_sha256": _sha256({"finding": result.public_finding, "handling": result.public_handling}),
            "published_at": now.isoformat()}, acting_user=acting_user, subject=result)
    record("inspections.publish_results", acting_user=acting_user, obj=draw,
           changes={"published": [r.assignment.position for r in pending]})
    return pending


def drawn_by_class(draw: Draw) -> dict[str, int]:
    if draw.state != Draw.State.DRAWN:
        return {}
    record_ = json.loads(draw.record_json)
    classes = {o["id"]: o["credit_class"] for o in record_["objects"]}
    counts = Counter(classes[s["object"]] for s in record_["selection"])
    return {c: counts.get(c, 0) for c in policy.CREDIT_CLASSES}


def pool_sizes(batch: Batch) -> Counter:
    """Objects per credit class in the pool a draw of the batch would freeze today."""
    objects = list(eligible_objects(batch))
    return Counter(credit_classes_for(objects, timezone.localdate()).values()) if objects else Counter()


def pool_key(batch: Batch, exclude_inspected: bool) -> tuple:
    """What `pool_sizes` depends on (the rule `exclude_inspected_same_item_year` read once by the caller): batches
    with the same key share one computation."""
    return (tuple(sorted(batch.object_kinds)), batch.plan_id, batch.item_id if exclude_inspected else None)


def ratio_table(batch: Batch, draw: Draw | None, *, sizes: Counter | None = None,
                ratios: dict | None = None, rounding: str | None = None) -> list[dict]:
    """Planned vs drawn per credit class. With a draw: from its frozen record (pool per class, planned count per
    the strata it committed, drawn); before one: planned from the pool as it stands (credit classes of today, or
    `sizes` when the caller computed them once for several batches). `ratios`, `rounding`: the rules, read once by
    a caller that shows many batches."""
    if batch.mode != Batch.Mode.RATIO:
        ratios = {}
    elif batch.ratios or ratios is None:
        ratios = policy.class_ratios(batch.ratios or None)
    if draw is not None:
        frozen = json.loads(draw.pool_json)
        sizes = Counter(o["credit_class"] for o in frozen["objects"])
        planned = (frozen.get("strata") or {}).get("counts", {})
        drawn = drawn_by_class(draw)
    else:
        sizes = pool_sizes(batch) if sizes is None else sizes
        rounding = rounding or (policy.RATIO_ROUNDING.get() if ratios else None)
        planned = {c: policy.planned_count(sizes.get(c, 0), ratios[c], rounding) for c in ratios} if ratios else {}
        drawn = {}
    rows = []
    for c in policy.CREDIT_CLASSES:
        pool, d = sizes.get(c, 0), drawn.get(c)
        rows.append({"credit_class": c, "pool": pool, "ratio": ratios.get(c),
                     "planned": planned.get(c, 0) if ratios else planned.get(c),
                     "drawn": d, "drawn_ratio": round(100 * d / pool, 1) if d is not None and pool else None})
    return rows
