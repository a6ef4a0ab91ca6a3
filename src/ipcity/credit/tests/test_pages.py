"""The pages: who gets which page, filters, the query-count budget, the forms, the public query (no personal data)
and the joint-punishment export's content."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from ipcity.accounts.roles import Role as R
from ipcity.credit.models import CreditRecord, SeriousListing
from ipcity.credit.tests.helpers import fact, listing, person_fact


def _login(client, world, role):
    client.force_login(world.users[role])
    return client


def test_landing_per_role(client, world):
    fact(world.orgs["enterprise_a"], "judgment")
    assert _login(client, world, R.CITY_STAFF).get("/credit/").status_code == 200
    assert _login(client, world, R.MEMBER_LIAISON).get("/credit/").url == "/credit/listings/"
    ent = world.orgs["enterprise_a"]
    assert _login(client, world, R.ENTERPRISE_USER).get("/credit/").url == f"/credit/orgs/{ent.pk}/"
    assert _login(client, world, R.EXPERT).get("/credit/").url == "/portal/credit/"
    assert _login(client, world, R.MEMBER_LIAISON).get("/credit/records/").status_code == 403


def test_record_list_filters_and_query_budget(client, world, django_assert_max_num_queries):
    for n in range(12):
        fact(world.orgs["enterprise_a" if n % 2 else "enterprise_b"], "penalty", document_number=f"文{n}")
        person_fact(world, document_number=f"人{n}")
    _login(client, world, R.CITY_STAFF)
    with django_assert_max_num_queries(12):
        response = client.get("/credit/records/")
    assert response.status_code == 200 and response.content.decode().count("/credit/records/") >= 24
    page = client.get("/credit/records/?party=person&kind=penalty").content.decode()
    assert "人3" in page and "文3" not in page and "王**（自然人）" in page and "王某某" not in page
    assert "格式错误" in client.get("/credit/records/?since=2026-13-01", follow=True).content.decode()
    # District A sees district A's records only.
    page = _login(client, world, R.DISTRICT_STAFF).get("/credit/records/?party=org").content.decode()
    assert "文1" in page and "文2" not in page


def test_listing_list_query_budget(client, world, django_assert_max_num_queries):
    for n in range(8):
        listing(world, "enterprise_a" if n % 2 else "enterprise_b", "listed")
    _login(client, world, R.MEMBER_LIAISON)
    with django_assert_max_num_queries(14):  # the layout's own ~8 (session, user, permissions, menu) + the page's
        assert client.get("/credit/listings/").status_code == 200


def test_hand_entry_form_and_org_profile(client, world):
    a = world.orgs["enterprise_a"]
    _login(client, world, R.DISTRICT_STAFF)
    response = client.post("/credit/records/new/", {
        "kind": "judgment", "subject": a.pk, "occurred_on": "2026-01-05", "effective_on": "2026-03-01",
        "document_number": "（2026）鲁17民初1号", "summary": "判决侵权成立", "rights": "CN201310123456.2"})
    rec = CreditRecord.objects.get(document_number="（2026）鲁17民初1号")
    assert response.url == f"/credit/records/{rec.pk}/" and rec.rights == ["patent:CN201310123456.2"]
    bad = client.post("/credit/records/new/", {"kind": "judgment", "occurred_on": "2026-01-05", "summary": "x",
                                               "subject": world.orgs["enterprise_b"].pk})
    assert bad.status_code == 200 and "选择一个有效的选项" in bad.content.decode()  # district B is not offered
    page = client.get(f"/credit/orgs/{a.pk}/").content.decode()
    assert "法院生效判决" in page and "信用评分" in page
    assert client.get(f"/credit/orgs/{world.orgs['enterprise_b'].pk}/").status_code == 404
    other = f"/credit/orgs/{world.orgs['enterprise_b'].pk}/"
    assert _login(client, world, R.ENTERPRISE_USER).get(other).status_code == 404


def test_collect_on_demand(client, world):
    assert _login(client, world, R.ENFORCEMENT_OFFICER).post("/credit/collect/").status_code == 403
    response = _login(client, world, R.CITY_STAFF).post("/credit/collect/", follow=True)
    assert "归集完成" in response.content.decode()


def test_approval_through_the_pages(client, world):
    a = world.orgs["enterprise_a"]
    fact(a, "wilful_infringement")
    _login(client, world, R.DISTRICT_STAFF)
    response = client.post(f"/credit/orgs/{a.pk}/propose/", {"proposal": "提请列入"})
    item = SeriousListing.objects.get(subject=a)
    assert response.url == f"/credit/listings/{item.pk}/"
    assert "step-form" not in client.get(response.url).content.decode()  # the proposer does not review
    _login(client, world, R.CITY_STAFF)
    assert "step-form" in client.get(response.url).content.decode()
    client.post(f"/credit/listings/{item.pk}/decide/", {"approve": "1", "opinion": "同意"})
    _login(client, world, R.CITY_LEADER).post(f"/credit/listings/{item.pk}/decide/", {"approve": "1", "opinion": "同意"})
    item.refresh_from_db()
    assert item.status == "listed"
    # A member department sees the entry, not the chain.
    page = _login(client, world, R.MEMBER_LIAISON).get(f"/credit/listings/{item.pk}/").content.decode()
    assert a.name in page and "科室负责人审核" not in page


def test_public_query_shows_public_facts_only(client, world):
    a = world.orgs["enterprise_a"]
    fact(a, "penalty", public=True, summary="内部摘要：联系人张三 13812345678", public_summary="测市监处罚〔2026〕1号：假冒专利，罚款。")
    fact(a, "judgment", summary="不公开的判决")
    person_fact(world, name="王某某")
    listing(world, "enterprise_a", "listed")
    page = client.get("/portal/credit/", {"q": "测试甲科技"}).content.decode()
    assert "测市监处罚〔2026〕1号：假冒专利，罚款。" in page and "已列入严重违法失信名单" in page
    for secret in ("内部摘要", "13812345678", "张三", "不公开的判决", "王某某", "11010519491231002X"):
        assert secret not in page
    assert "no-result" in client.get("/portal/credit/", {"q": "王某某"}).content.decode()
    assert "no-result" not in client.get("/portal/credit/", {"q": a.uscc}).content.decode()
    assert "至少 2 个字" in client.get("/portal/credit/", {"q": "测"}).content.decode()


def test_joint_punishment_export(client, world):
    from ipcity.orgs.actions import create_organisation

    odd = create_organisation(acting_user=None, name="=HYPERLINK(\"http://x\")有限公司", kind="enterprise",
                              region=world.orgs["enterprise_a"].region)
    item = listing(world, "enterprise_a", "listed")
    item.subject = odd
    item.save()
    listing(world, "enterprise_b", "expired")
    assert _login(client, world, R.ENTERPRISE_USER).get("/credit/listings/export.xlsx").status_code == 403
    response = _login(client, world, R.MEMBER_LIAISON).get("/credit/listings/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["严重违法失信名单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "主体名称", "统一社会信用代码") and len(rows) == 2  # the expired one is not in
    assert rows[1][1] == odd.name and sheet.cell(row=2, column=2).data_type == "s"
    assert rows[1][4] == "测试事由"


def test_repair_through_the_pages(client, world):
    rec = fact(world.orgs["enterprise_a"], "penalty", ago=200, public=True)
    young = fact(world.orgs["enterprise_a"], "penalty", ago=10)
    _login(client, world, R.ENTERPRISE_USER)
    assert "apply-repair" in client.get(f"/credit/records/{rec.pk}/").content.decode()
    assert "个月后方可申请" in client.get(f"/credit/records/{young.pk}/").content.decode()
    other = fact(world.orgs["enterprise_b"], "penalty", ago=200)
    assert client.get(f"/credit/repairs/new/?record={other.pk}").status_code == 404
    response = client.post("/credit/repairs/new/", {"record": rec.pk, "reason": "已缴纳罚款", "pledge": "守信经营"})
    app = rec.repairs.get()
    assert response.url == f"/credit/repairs/{app.pk}/"
    _login(client, world, R.DISTRICT_STAFF).post(f"/credit/repairs/{app.pk}/decide/",
                                                 {"approve": "1", "opinion": "准予修复"})
    rec.refresh_from_db()
    assert rec.status == "repaired"
    assert "测试公开摘要" not in client.get("/portal/credit/", {"q": "测试甲科技"}).content.decode()


def test_a_record_not_yet_effective_is_not_public(client, world):
    from ipcity.credit.tests.helpers import days_ago

    fact(world.orgs["enterprise_a"], "penalty", public=True, public_summary="尚未生效的处罚", effective_on=days_ago(-5))
    fact(world.orgs["enterprise_a"], "penalty", public=True, public_summary="已生效的处罚")
    page = client.get("/portal/credit/", {"q": "测试甲科技"}).content.decode()
    assert "已生效的处罚" in page and "尚未生效的处罚" not in page


def test_overview_shows_the_users_jurisdiction_only(client, world):
    from django.utils import timezone

    from ipcity.credit.models import CollectionRun

    fact(world.orgs["enterprise_b"], "wilful_infringement", public=True)  # public, but district B's
    fact(world.orgs["enterprise_a"], "wilful_infringement")
    CollectionRun.objects.create(trigger="manual", at=timezone.now(), as_of=timezone.localdate(), unmatched=[
        {"document": "甲文书", "party": "甲区当事人", "reason": "未找到", "region": "371702"},
        {"document": "乙文书", "party": "乙区当事人", "reason": "未找到", "region": "371703"}])
    page = _login(client, world, R.DISTRICT_STAFF).get("/credit/").content.decode()
    assert world.orgs["enterprise_a"].name in page and world.orgs["enterprise_b"].name not in page
    assert "甲区当事人" in page and "乙区当事人" not in page and "另有 1 件不在您的管辖范围内" in page
    page = _login(client, world, R.CITY_STAFF).get("/credit/").content.decode()
    assert world.orgs["enterprise_b"].name in page and "乙区当事人" in page


def test_overview_query_count_does_not_grow_with_pending_approvals(client, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ipcity.credit.models import ListingStep

    _login(client, world, R.CITY_STAFF)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/credit/").status_code == 200
        return len(ctx.captured_queries)

    def pending(org_key):  # waiting for the city staff's review: the page works out whose turn it is
        item = listing(world, org_key, "proposed", proposer=world.users[R.DISTRICT_STAFF])
        ListingStep.objects.create(listing=item, order=1, label="科室负责人审核", roles=["city_staff"])

    pending("enterprise_a")
    one = count()
    for n in range(5):
        pending("enterprise_a" if n % 2 else "enterprise_b")
    with django_assert_max_num_queries(one):
        page = client.get("/credit/").content.decode()
    assert page.count("待我办理") == 6


def test_listing_page_evidence_labels_and_removal_without_a_checkbox(client, world):
    from ipcity.credit import actions

    item = listing(world, "enterprise_a", "listed", listed_ago=100)  # inside the waiting period
    actions._evidence("credit.listing", {"listing": item.pk, "event": "listed"}, acting_user=None, subject=item)
    _login(client, world, R.CITY_STAFF)
    page = client.get(f"/credit/listings/{item.pk}/").content.decode()
    assert "严重违法失信名单决定" in page and "credit.listing" not in page and "basis_revoked" not in page
    client.post(f"/credit/listings/{item.pk}/remove/", {"reason": "已撤销", "basis_revoked": "on"})
    item.refresh_from_db()
    assert item.status == "listed"  # the basis is still active: a ticked box no longer skips the wait
    actions.revoke_record(item.records.get(), acting_user=world.users[R.CITY_STAFF], reason="判决被撤销")
    assert "basis-revoked" in client.get(f"/credit/listings/{item.pk}/").content.decode()
    client.post(f"/credit/listings/{item.pk}/remove/", {"reason": "依据已撤销"})
    item.refresh_from_db()
    assert item.status == "removed"
