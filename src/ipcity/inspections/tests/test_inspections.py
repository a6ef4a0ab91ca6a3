"""The Django layer of 双随机、一公开: the published record replays, recusal comes first, the commitment is in the
evidence log, redraws keep the old draw, results are due within the limit, ratios per credit class, pages."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ipcity.accounts.actions import create_user
from ipcity.accounts.roles import Role
from ipcity.core.models import AuditEntry, Rule
from ipcity.inspections import actions, draw
from ipcity.inspections.models import Draw, InspectionObject
from ipcity.inspections.tests.helpers import beacon, credential, draw_now, filed_plan, freeze, item, scenario


def test_the_record_the_portal_serves_replays_to_the_same_selection(world, client, tmp_path):
    s = scenario(world)
    response = client.get(f"/portal/inspections/draws/{s.draw.pk}/record.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    published = json.loads(response.content)
    again = draw.replay(published)
    stored = [(f"O{a.object_id}", sorted(f"I{u.pk}" for u in a.inspectors.all()))
              for a in s.draw.assignments.order_by("position")]
    assert [(x["object"], sorted(x["inspectors"])) for x in again["selection"]] == stored
    assert again["commitment"] == s.draw.commitment
    path = tmp_path / "record.json"
    path.write_bytes(response.content)
    run = subprocess.run([sys.executable, "-m", "ipcity", "inspections", "replay", str(path)], capture_output=True,
                         text=True)
    assert run.returncode == 0 and "重现成功" in run.stdout and s.draw.commitment in run.stdout, run.stderr
    # the pools as frozen at the commitment: the same bytes the evidence entry hashed
    pool = client.get(f"/portal/inspections/draws/{s.draw.pk}/pool.json").content
    assert pool == s.draw.pool_json.encode("utf-8")


def test_the_commitment_is_in_the_evidence_log_with_its_leaf(world):
    from ipcity.evidence import log as evidence_log
    from ipcity.evidence import merkle

    s = scenario(world)
    entries = list(evidence_log.entries_for(s.draw))
    assert [e.kind for e in entries] == ["inspections.commitment", "inspections.draw"]
    entry = entries[0]
    leaf = json.loads(entry.leaf_data)
    pool = json.loads(s.draw.pool_json)
    pool.pop("meta")
    assert leaf["commitment"] == s.draw.commitment == draw.commitment(pool)
    assert leaf["pool_sha256"] == hashlib.sha256(s.draw.pool_json.encode("utf-8")).hexdigest()
    assert leaf["objects_sha256"] == s.draw.objects_hash and leaf["inspectors_sha256"] == s.draw.inspectors_hash
    assert entry.leaf_hash == merkle.leaf_hash(entry.leaf_data.encode("utf-8")).hex()
    # committed before the value was announced
    assert entry.recorded_at < entries[1].recorded_at and s.draw.committed_at < s.draw.announced_at
    assert AuditEntry.objects.filter(action="inspections.freeze_draw", object_id=str(s.draw.pk)).exists()


def test_a_draws_evidence_packages_carry_the_published_files_and_verify_offline(world, tmp_path):
    """The commitment's package holds the frozen pools, the draw's the record — byte for byte what the portal
    serves — and both verify with the package's own verifier in a Python without site-packages."""
    from ipcity.evidence import exporting
    from ipcity.evidence import log as evidence_log

    s = scenario(world)
    commitment, performed = evidence_log.entries_for(s.draw)
    for entry, name, text in ((commitment, "pool", s.draw.pool_json), (performed, "record", s.draw.record_json)):
        directory = exporting.export_package(entry, tmp_path / name, acting_user=world.user("city_staff"))
        assert (directory / "files" / f"inspections-{s.draw.number}-{name}.json").read_text("utf-8") == text
        run = subprocess.run([sys.executable, "-I", "-S", "verify.py", "."], cwd=directory, capture_output=True,
                             text=True, timeout=60)
        assert run.returncode == 0 and "结论：证据包验证通过" in run.stdout, run.stdout + run.stderr


def test_recusal_is_applied_before_the_draw(world):
    office = world.orgs["city_office"]
    staff, officer, district = (world.user(r) for r in (Role.CITY_STAFF, Role.ENFORCEMENT_OFFICER,
                                                          Role.DISTRICT_STAFF))
    # An inspector working for an object (here: a user of agency A with an officer's role) recuses by rule.
    insider = create_user(acting_user=None, username="t_insider", role=Role.ENFORCEMENT_OFFICER,
                          organisation=world.orgs["agency_a"], display_name="机构内执法员")
    for user in (staff, officer, district, insider):
        credential(user)
    actions.sync_object_pool(office, acting_user=staff)
    enterprise_a = InspectionObject.objects.get(owner=office, organisation=world.orgs["enterprise_a"])
    agency_a = InspectionObject.objects.get(owner=office, organisation=world.orgs["agency_a"])
    actions.declare_conflict(acting_user=officer, inspector=officer, object=enterprise_a, reason="曾在该企业任职")
    plan, batch = filed_plan(office, staff, item(office, kinds=("enterprise", "agency")), count=3)
    frozen = freeze(batch, staff)
    recusals = json.loads(frozen.pool_json)["recusals"]
    assert [f"I{officer.pk}", enterprise_a.code] in recusals and [f"I{insider.pk}", agency_a.code] in recusals
    done = draw_now(frozen, staff)
    teams = {a.object_id: {u.pk for u in a.inspectors.all()} for a in done.assignments.all()}
    assert len(teams) == 3 and all(len(t) == 2 for t in teams.values())
    assert officer.pk not in teams[enterprise_a.pk] and insider.pk not in teams[agency_a.pk]


def test_a_redraw_is_a_new_logged_draw_and_the_old_one_stays(world, client):
    s = scenario(world)
    old_pool, old_record = s.draw.pool_json, s.draw.record_json
    with pytest.raises(ValidationError, match="原因"):
        actions.redraw(s.draw, acting_user=s.staff, reason=" ", **beacon(period="2026331"))
    new = actions.redraw(s.draw, acting_user=s.staff, reason="抽中对象已注销，经局务会研究重新抽取",
                         **beacon(period="2026331"))
    old = Draw.objects.get(pk=s.draw.pk)
    assert new.supersedes_id == old.pk and old.is_superseded and new.number != old.number
    assert old.pool_json == old_pool and old.record_json == old_record and old.state == Draw.State.DRAWN
    assert old.assignments.count() == 3 and new.state == Draw.State.COMMITTED
    assert AuditEntry.objects.filter(action="inspections.redraw", object_id=str(old.pk)).exists()
    with pytest.raises(ValidationError, match="替代"):
        actions.enter_result(s.assignment, acting_user=s.officer, outcome="passed", inspected_on=timezone.localdate())
    with pytest.raises(ValidationError, match="替代"):
        actions.redraw(old, acting_user=s.staff, reason="再来一次", **beacon(period="2026332"))
    # the old assignment's deadline is cancelled; the portal shows both, the old one marked
    assert actions.deadline_of(s.assignment).status == "cancelled"
    page = client.get(f"/portal/inspections/draws/{old.pk}/").content.decode()
    assert "已被重新抽取" in page and new.number in page
    assert client.get(f"/portal/inspections/draws/{old.pk}/record.json").status_code == 200
    # objects already drawn for the item this year are excluded — except those of the draw being replaced; the
    # market, on which the officer declared a conflict since, is left out (one inspector of two would remain)
    new_pool = json.loads(new.pool_json)
    assert new_pool["objects"] == [o for o in json.loads(old_pool)["objects"] if o["id"] != s.market.code]
    assert [o["id"] for o in new_pool["meta"]["left_out"]] == [s.market.code]


def test_results_after_the_limit_are_late_and_open_ones_show_overdue(world, client):
    s = scenario(world)
    due = s.assignment.due_at
    limit = actions.deadline_of(s.assignment)
    assert limit.amount == 20 and limit.unit == "working_days" and due > s.draw.drawn_at + dt.timedelta(days=25)
    type(s.assignment).objects.filter(pk=s.assignment.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    client.force_login(s.staff)
    page = client.get(f"/inspections/draws/{s.draw.pk}/").content.decode()
    assert page.count('data-testid="overdue"') == 1
    result = actions.enter_result(s.assignment, acting_user=s.officer, outcome="rectified",
                                  inspected_on=timezone.localdate(), finding="未规范标注专利标识",
                                  handling="责令改正，已整改", at=due + dt.timedelta(minutes=1))
    assert result.late and actions.deadline_of(s.assignment).status == "late"
    assert s.published.late is False
    assert "逾期录入" in client.get(f"/inspections/draws/{s.draw.pk}/").content.decode()


def test_published_results_reach_the_portal_without_personal_data_and_credit(world, client):
    from ipcity.credit.models import CreditRecord

    s = scenario(world)
    page = client.get(f"/portal/inspections/draws/{s.draw.pk}/").content.decode()
    assert s.draw.commitment in page and "未发现问题" in page
    assert "产品包装标注已失效的专利号" not in page  # entered, not yet published
    for user in (s.staff, s.officer):
        assert str(user) not in page and user.username not in page
    assert f"I{s.officer.pk}" in page
    actions.publish_results(s.draw, acting_user=s.staff)
    assert "产品包装标注已失效的专利号" in client.get(f"/portal/inspections/draws/{s.draw.pk}/").content.decode()
    objects = {a.object.organisation_id for a in s.draw.assignments.select_related("object")}
    records = CreditRecord.objects.filter(kind__in=["inspection_pass", "inspection_problem"])
    org_results = [r for r in (s.published, s.unpublished) if r.assignment.object.organisation_id]
    assert records.count() == len(org_results) and set(records.values_list("subject_id", flat=True)) <= objects
    # publishing again sends nothing twice
    with pytest.raises(ValidationError, match="没有待公示"):
        actions.publish_results(s.draw, acting_user=s.staff)


def test_the_ratio_per_credit_class_planned_and_drawn(world):
    from ipcity.credit.scoring import credit_classes

    office = world.orgs["city_office"]
    staff, officer = world.user(Role.CITY_STAFF), world.user(Role.ENFORCEMENT_OFFICER)
    credential(staff)
    credential(officer)
    from ipcity.inspections.tests.helpers import city_pool

    city_pool(world, staff)  # 3 organisations (credit's class) + a market and a shop (the rule's class)
    Rule.objects.create(key="inspections.non_organisation_class", value="D")
    orgs = [world.orgs[k].pk for k in ("enterprise_a", "enterprise_b", "agency_a")]
    org_class = set(credit_classes(orgs).values())
    assert len(org_class) == 1 and org_class != {"D"}
    (clean,) = org_class
    plan, batch = filed_plan(office, staff, item(office), mode="ratio",
                             ratios={"A": 50, "B": 50, "C": 50, "D": 50})
    made = draw_now(freeze(batch, staff), staff)
    rows = {r["credit_class"]: r for r in actions.ratio_table(batch, made)}
    assert rows[clean]["pool"] == 3 and rows[clean]["planned"] == 2 and rows[clean]["drawn"] == 2
    assert rows["D"]["pool"] == 2 and rows["D"]["planned"] == 1 and rows["D"]["drawn"] == 1
    assert rows[clean]["drawn_ratio"] == 66.7 and made.assignments.count() == 3
    strata = json.loads(made.record_json)["strata"]
    assert strata == {"by": "credit_class", "counts": {clean: 2, "D": 1}}
    # a wrong ratio is reported, never corrected
    with pytest.raises(ValidationError, match="比例"):
        actions.add_batch(actions.create_plan(acting_user=staff, owner=office, year=2030, title=""),
                          acting_user=staff, item=batch.item, name="", object_kinds=["enterprise"], mode="ratio",
                          ratios={"A": 3, "B": 5, "C": 10, "D": 120})


def test_the_draw_refuses_what_the_rules_forbid(world):
    office = world.orgs["city_office"]
    staff = world.user(Role.CITY_STAFF)
    credential(staff)
    actions.sync_object_pool(office, acting_user=staff)
    the_item = item(office)
    plan = actions.create_plan(acting_user=staff, owner=office, year=2031, title="")
    batch = actions.add_batch(plan, acting_user=staff, item=the_item, name="", object_kinds=["enterprise"],
                              mode="count", count=1)
    with pytest.raises(ValidationError, match="备案"):
        actions.freeze_draw(batch, acting_user=staff, **beacon())
    actions.file_plan(plan, acting_user=staff, filed_on=timezone.localdate(), filed_with="山东省市场监督管理局")
    with pytest.raises(ValidationError, match="不足 2 名"):  # only one credentialed inspector
        actions.freeze_draw(batch, acting_user=staff, **beacon())
    credential(world.user(Role.ENFORCEMENT_OFFICER))
    actions.freeze_draw(batch, acting_user=staff, **beacon())
    with pytest.raises(ValidationError, match="已有抽取"):
        actions.freeze_draw(batch, acting_user=staff, **beacon())
    with pytest.raises(ValidationError, match="计划已备案"):
        actions.add_batch(plan, acting_user=staff, item=the_item, name="", object_kinds=["enterprise"],
                          mode="count", count=1)
    draft = actions.create_plan(acting_user=staff, owner=office, year=2033, title="")
    with pytest.raises(ValidationError, match="适用于"):
        actions.add_batch(draft, acting_user=staff, item=item(office, code="X", kinds=("market",)), name="",
                          object_kinds=["enterprise"], mode="count", count=1)


def test_a_committed_secret_seeds_the_draw_when_revealed(world):
    office = world.orgs["city_office"]
    staff = world.user(Role.CITY_STAFF)
    credential(staff)
    credential(world.user(Role.ENFORCEMENT_OFFICER))
    actions.sync_object_pool(office, acting_user=staff)
    plan, batch = filed_plan(office, staff, item(office), count=1)
    secret = "公证处现场生成 7f3a"
    digest = hashlib.sha256(secret.encode()).hexdigest()
    with pytest.raises(ValidationError, match="保管"):  # who holds the secret is committed
        actions.freeze_draw(batch, acting_user=staff, seed_mode="secret", secret_hash=digest, **beacon())
    frozen = freeze(batch, staff, seed_mode="secret", secret_hash=digest, secret_holder="李公证员（测试市公证处）")
    assert json.loads(frozen.pool_json)["secret_holder"] == "李公证员（测试市公证处）"
    with pytest.raises(ValidationError, match="不符"):
        draw_now(frozen, staff, revealed="别的数")
    with pytest.raises(ValidationError, match="揭示"):
        draw_now(frozen, staff)
    done = draw_now(frozen, staff, value="286", revealed=secret)
    # the seed takes the beacon's result and the secret: another lottery number gives another seed
    again = draw.replay(json.loads(done.record_json))
    assert again["revealed"] == secret and again["announced"] == "中国福利彩票3D 第2026330期 286"
    other = draw.run_draw(json.loads(frozen.pool_json), "中国福利彩票3D 第2026330期 287", secret)
    assert draw.derive_seed(again["commitment"], again["announced"], secret) != draw.derive_seed(
        again["commitment"], other["announced"], secret)


def test_pages_scope_and_query_budgets(world, client, django_assert_max_num_queries):
    s = scenario(world)
    client.force_login(s.staff)
    # budgets a few queries above today's counts with 3 assignments, 7 objects, 2 plans: an N+1 breaks them
    for url, budget in (("/inspections/", 17), ("/inspections/items/", 12), ("/inspections/pools/", 22),
                        (f"/inspections/plans/{s.plan.pk}/", 16), (f"/inspections/draws/{s.draw.pk}/", 20),
                        (f"/inspections/assignments/{s.assignment.pk}/result/", 12)):
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200, url
    client.logout()
    for url in ("/portal/inspections/", f"/portal/inspections/draws/{s.draw.pk}/"):
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200, url
    # district A's staff: the city plan is not theirs (404); they may not run the city's draw (403) nor enter
    # results on an assignment they were not drawn for (403)
    client.force_login(s.district)
    assert client.get(f"/inspections/plans/{s.plan.pk}/").status_code == 404
    assert client.post(f"/inspections/batches/{s.batch.pk}/freeze/", {"seed_mode": "lottery"}).status_code == 404
    assert client.post(f"/inspections/draws/{s.draw.pk}/redraw/", {"reason": "x"}).status_code == 403
    assert client.get(f"/inspections/assignments/{s.assignment.pk}/result/").status_code == 403
    assert client.get("/inspections/plans/999999/").status_code == 404
    # the officer drawn enters the result through the page
    client.force_login(s.officer)
    response = client.post(f"/inspections/assignments/{s.assignment.pk}/result/",
                           {"outcome": "passed", "inspected_on": timezone.localdate().isoformat()})
    assert response.status_code == 302 and s.assignment.result.outcome == "passed"


def test_the_staff_pages_run_a_draw_end_to_end(world, client):
    office = world.orgs["city_office"]
    staff = world.user(Role.CITY_STAFF)
    credential(staff)
    credential(world.user(Role.ENFORCEMENT_OFFICER))
    client.force_login(staff)
    assert client.post("/inspections/pools/sync/").status_code == 302
    client.post("/inspections/items/new/", {"code": "W-1", "name": "专利代理机构执业情况检查", "legal_basis": "《专利代理条例》",
                                            "object_kinds": ["agency", "enterprise"], "department": "保护科",
                                            "method": "documents"})
    the_item = office.inspection_items.get(code="W-1")
    client.post("/inspections/plans/new/", {"year": 2032, "title": ""})
    plan = office.inspection_plans.get(year=2032)
    client.post(f"/inspections/plans/{plan.pk}/batches/", {"item": the_item.pk, "object_kinds": ["enterprise"],
                                                           "mode": "ratio", "ratio_A": "3", "ratio_B": "5"})
    assert not plan.batches.exists()  # half-filled ratios are refused
    client.post(f"/inspections/plans/{plan.pk}/batches/", {"item": the_item.pk, "object_kinds": ["agency"],
                                                           "mode": "ratio"})
    page = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert 'data-testid="ratio-table"' in page and "3%" in page and "100%" in page  # the rule's ratios
    client.post(f"/inspections/plans/{plan.pk}/batches/", {"item": the_item.pk, "object_kinds": ["enterprise"],
                                                           "mode": "count", "count": "2"})
    client.post(f"/inspections/plans/{plan.pk}/file/", {"filed_on": timezone.localdate().isoformat(),
                                                        "filed_with": "山东省市场监督管理局"})
    batch = plan.batches.get(mode="count")
    from unittest import mock

    from django.test import TestCase

    real = timezone.now()
    at = timezone.localtime(real - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    form = {"seed_mode": "lottery", "beacon_source": "中国福利彩票3D", "beacon_period": "2032001", "beacon_at": at}
    # frozen two hours ago (the page under an earlier clock), the beacon drawn an hour ago
    with mock.patch("django.utils.timezone.now", return_value=real - dt.timedelta(hours=2)), \
            TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/inspections/batches/{batch.pk}/freeze/", form)
    client.force_login(staff)  # the session saved under the earlier clock has expired by now
    frozen = batch.draws.get()
    assert response.status_code == 302 and frozen.state == Draw.State.COMMITTED
    page = client.get(f"/inspections/draws/{frozen.pk}/").content.decode()
    assert 'data-testid="announce-form"' in page and frozen.commitment in page and "存证编号 #" in page
    assert "中国福利彩票3D 第 2032001 期" in page
    assert client.get(f"/portal/inspections/draws/{frozen.pk}/record.json").status_code == 404  # not drawn yet
    assert "等待开奖" in client.get(f"/portal/inspections/draws/{frozen.pk}/").content.decode()
    later = timezone.localtime() + dt.timedelta(minutes=1)
    announce = {"source": "中国福利彩票3D", "period": "2032001", "value": "123"}
    client.post(f"/inspections/draws/{frozen.pk}/announce/",
                {**announce, "announced_at": later.strftime("%Y-%m-%dT%H:%M")})
    frozen.refresh_from_db()
    assert frozen.state == Draw.State.COMMITTED  # a time after now is refused
    client.post(f"/inspections/draws/{frozen.pk}/announce/", {**announce, "announced_at": at})
    frozen.refresh_from_db()
    assert frozen.state == Draw.State.DRAWN and frozen.assignments.count() == 2
    assert draw.replay(json.loads(frozen.record_json))["announced"] == "中国福利彩票3D 第2032001期 123"


def test_a_shop_run_by_an_enterprise_takes_its_class_and_sends_it_the_credit_fact(world):
    from ipcity.credit.models import CreditRecord
    from ipcity.regions.models import Region

    office = world.orgs["city_office"]
    staff, officer = world.user(Role.CITY_STAFF), world.user(Role.ENFORCEMENT_OFFICER)
    credential(staff)
    credential(officer)
    actions.sync_object_pool(office, acting_user=staff)  # enterprise B is in the pool as an enterprise ...
    shop = actions.add_object(acting_user=staff, owner=office, kind="online_shop", name="乙材料官方店",
                              region=Region.objects.get(code="371703"), platform="示例电商平台", shop_id="B-1",
                              organisation=world.orgs["enterprise_b"])  # ... and its shop as a shop
    with pytest.raises(ValidationError, match="只有网店"):
        actions.add_object(acting_user=staff, owner=office, kind="market", name="某市场",
                           organisation=world.orgs["enterprise_b"], region=Region.objects.get(code="371703"))
    plan, batch = filed_plan(office, staff, item(office), kinds=["online_shop"], count=1)
    done = draw_now(freeze(batch, staff), staff)
    (assignment,) = done.assignments.all()
    assert assignment.object == shop
    actions.enter_result(assignment, acting_user=officer, outcome="problem", inspected_on=timezone.localdate(),
                         finding="商品页面标注的专利号已失效")
    actions.publish_results(done, acting_user=staff)
    fact = CreditRecord.objects.get(kind="inspection_problem")
    assert fact.subject_id == world.orgs["enterprise_b"].pk


def test_reminders_and_deactivated_items(world, client):
    from ipcity.core.reminders import reminders_for

    s = scenario(world)
    titles = [r.title for r in reminders_for(s.officer, timezone.localdate())]
    assert any(s.draw.number in t and "待录入" in t for t in titles)
    assert any("1 个检查结果待公示" in r.title for r in reminders_for(s.staff, timezone.localdate()))
    client.force_login(s.district)
    assert client.post(f"/inspections/items/{s.item.pk}/active/", {"active": "0"}).status_code == 403
    client.force_login(s.staff)
    client.post(f"/inspections/items/{s.item.pk}/active/", {"active": "0"})
    s.item.refresh_from_db()
    assert not s.item.is_active
    draft = actions.create_plan(acting_user=s.staff, owner=s.office, year=2034, title="")
    with pytest.raises(ValidationError, match="有效的事项"):
        actions.add_batch(draft, acting_user=s.staff, item=s.item, name="", object_kinds=["enterprise"],
                          mode="count", count=1)
