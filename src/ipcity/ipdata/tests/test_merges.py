"""The applicant → enterprise merge list: matching variants, the list the matcher and the backfill record, review
(confirm / reject = undo / restore / manual link) through audited actions, re-imports respecting the review, and
the page's permissions."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ipcity.core.models import AuditEntry
from ipcity.ipdata.enterprises import (EnterpriseMatcher, backfill_merges, normalise_company_name,
                                       record_links)
from ipcity.ipdata.importing import import_patents
from ipcity.ipdata.models import EnterpriseMerge, PatentParty
from ipcity.ipdata.tests.test_import_pipeline import HEADER, number

pytestmark = pytest.mark.django_db

Method, Status = EnterpriseMerge.Method, EnterpriseMerge.Status
VARIANT = "测试甲科技有限责任公司"    # enterprise_a is 测试甲科技有限公司
UNMATCHED = "测试丙研究所"


def export(path: Path, applicants: list[str], *, status: str = "公开") -> Path:
    """A small Patentics CSV: one patent per applicant name (row i → application number(i))."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL)
        writer.writerow(HEADER)
        for i, applicant in enumerate(applicants):
            writer.writerow([f"CN11{i:07d}A", number(i), f"一种测试装置{i}", "20230105", "20230601", "",
                             "G06F  3/01", "G06F", "", "", "8", applicant, applicant, "张三", "张三", "0", "0", "0",
                             "0", "0", "0", status, "1", "10"])
    return path


def org_of(name: str):
    return set(PatentParty.objects.filter(name=name, role="applicant").values_list("organisation_id", flat=True))


# --- matching ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("variant, canonical", [
    ("ＡＢＣ（中国）有限公司", "ABC(中国)有限公司"),            # full width / half width, brackets
    ("ABC (中国) 有限公司", "ABC（中国）有限公司"),             # whitespace, brackets
    ("测试甲科技有限责任公司", "测试甲科技有限公司"),             # 有限责任公司 ↔ 有限公司
    ("测试 甲科技\u3000有限公司", "测试甲科技有限公司"),          # ideographic and ASCII spaces
    ("某某股份有限公司", "某某股份公司"),
])
def test_name_variants_normalise_alike(variant, canonical):
    assert normalise_company_name(variant) == normalise_company_name(canonical)


def test_matcher_records_how_each_new_name_resolved(world, django_assert_max_num_queries):
    from ipcity.orgs.actions import create_organisation

    abc = create_organisation(acting_user=None, name="ABC（中国）有限公司", kind="enterprise",
                              region=world.orgs["enterprise_a"].region)
    with django_assert_max_num_queries(2):  # the import builds one matcher per run: keep it cheap
        matcher = EnterpriseMatcher()
    a, b = world.orgs["enterprise_a"], world.orgs["enterprise_b"]
    assert matcher.match("测试甲科技有限公司") == a.pk
    assert matcher.match(VARIANT) == a.pk
    assert matcher.match("ＡＢＣ(中国) 有限责任公司") == abc.pk
    assert matcher.match("某个别名", uscc=b.uscc) == b.pk
    assert matcher.match("张三") is None
    assert matcher.match(VARIANT) == a.pk  # asked twice, recorded once
    links = sorted(matcher.pending_links())
    assert links == sorted([("测试甲科技有限公司", a.pk, Method.EXACT), (VARIANT, a.pk, Method.VARIANT),
                            ("ＡＢＣ(中国) 有限责任公司", abc.pk, Method.VARIANT), ("某个别名", b.pk, Method.USCC)])
    assert matcher.pending_links() == []
    assert record_links(links) == 4 and record_links(links) == 4  # conflicts ignored
    assert EnterpriseMerge.objects.count() == 4
    assert set(EnterpriseMerge.objects.values_list("status", flat=True)) == {Status.AUTOMATIC}
    assert EnterpriseMatcher().match(VARIANT) == a.pk and EnterpriseMatcher().pending_links() == []


def test_matcher_respects_review(world):
    a = world.orgs["enterprise_a"]
    EnterpriseMerge.objects.create(name=VARIANT, organisation=a, method=Method.VARIANT, status=Status.REJECTED)
    EnterpriseMerge.objects.create(name=UNMATCHED, organisation=a, method=Method.MANUAL, status=Status.CONFIRMED)
    matcher = EnterpriseMatcher()
    assert matcher.match(VARIANT) is None
    assert matcher.match(VARIANT, uscc=a.uscc) is None  # a rejected name stays unlinked whatever the evidence
    assert matcher.match(UNMATCHED) == a.pk
    assert matcher.pending_links() == []


# --- import, backfill and review -------------------------------------------------------------------------------------

@pytest.fixture
def imported(world, tmp_path):
    names = [VARIANT, "测试甲科技有限公司", UNMATCHED, VARIANT]
    import_patents(export(tmp_path / "v1.csv", names), acting_user=None)
    return names


def reimport(tmp_path, names, status):
    """A newer export of the same patents: every row changes, so the parties are written again."""
    batch = import_patents(export(tmp_path / f"{status}.csv", names, status=status), acting_user=None)
    assert batch.updated == len(names)


def test_backfill_builds_the_list_from_existing_parties(world, imported):
    assert EnterpriseMerge.objects.count() == 0  # importing.py does not record links (yet): the backfill does
    assert backfill_merges() == 2
    rows = {m.name: (m.organisation_id, m.method, m.status) for m in EnterpriseMerge.objects.all()}
    a = world.orgs["enterprise_a"].pk
    assert rows == {VARIANT: (a, Method.VARIANT, Status.AUTOMATIC),
                    "测试甲科技有限公司": (a, Method.EXACT, Status.AUTOMATIC)}
    assert backfill_merges() == 0


def post(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, {"next": "/data/merges/?status=", **(data or {})})


def test_reject_unlinks_and_a_reimport_does_not_relink_then_restore_relinks(client, world, imported, tmp_path):
    staff, a = world.users["city_staff"], world.orgs["enterprise_a"]
    backfill_merges()
    merge = EnterpriseMerge.objects.get(name=VARIANT)
    assert org_of(VARIANT) == {a.pk}

    response = post(client, staff, f"/data/merges/{merge.pk}/reject/")
    assert response.status_code == 302 and response["Location"] == "/data/merges/?status="
    merge.refresh_from_db()
    assert merge.status == Status.REJECTED and merge.reviewed_by == staff and merge.reviewed_at
    assert org_of(VARIANT) == {None} and org_of("测试甲科技有限公司") == {a.pk}
    entry = AuditEntry.objects.get(action="ipdata.merge_reject", object_id=str(merge.pk))
    assert entry.actor == staff and entry.changes["parties_unlinked"] == 2
    assert entry.changes["status"] == [Status.AUTOMATIC, Status.REJECTED]

    reimport(tmp_path, imported, "有效")
    assert org_of(VARIANT) == {None}, "a re-import must not re-link a rejected name"
    assert org_of("测试甲科技有限公司") == {a.pk}

    assert post(client, staff, f"/data/merges/{merge.pk}/reject/").status_code == 302  # already rejected
    assert AuditEntry.objects.filter(action="ipdata.merge_reject").count() == 1

    post(client, staff, f"/data/merges/{merge.pk}/restore/")
    merge.refresh_from_db()
    assert merge.status == Status.CONFIRMED and org_of(VARIANT) == {a.pk}
    assert AuditEntry.objects.get(action="ipdata.merge_restore").changes["parties_linked"] == 2
    reimport(tmp_path, imported, "失效")
    assert org_of(VARIANT) == {a.pk}


def test_confirm(client, world, imported):
    backfill_merges()
    merge = EnterpriseMerge.objects.get(name=VARIANT)
    post(client, world.users["district_staff"], f"/data/merges/{merge.pk}/confirm/")  # enterprise_a is in district A
    merge.refresh_from_db()
    assert merge.status == Status.CONFIRMED and merge.reviewed_by == world.users["district_staff"]
    assert AuditEntry.objects.filter(action="ipdata.merge_confirm", object_id=str(merge.pk)).exists()
    post(client, world.users["district_staff"], f"/data/merges/{merge.pk}/confirm/")
    assert AuditEntry.objects.filter(action="ipdata.merge_confirm").count() == 1  # only pending merges confirm


def test_manual_link_of_an_unmatched_applicant(client, world, imported, tmp_path):
    staff, b = world.users["city_staff"], world.orgs["enterprise_b"]
    client.force_login(staff)
    html = client.get("/data/merges/").content.decode()
    assert UNMATCHED in html  # offered for a manual link
    response = post(client, staff, "/data/merges/link/", {"name": UNMATCHED, "organisation": b.uscc})
    assert response.status_code == 302
    merge = EnterpriseMerge.objects.get(name=UNMATCHED)
    assert (merge.organisation, merge.method, merge.status) == (b, Method.MANUAL, Status.CONFIRMED)
    assert org_of(UNMATCHED) == {b.pk}
    entry = AuditEntry.objects.get(action="ipdata.merge_link")
    assert entry.changes["parties_linked"] == 1 and entry.changes["organisation"] == [None, b.pk]
    reimport(tmp_path, imported, "有效")
    assert org_of(UNMATCHED) == {b.pk}, "later imports follow the manual link"

    # by enterprise name as well; an unknown enterprise or name is refused with a message, nothing changes
    post(client, staff, "/data/merges/link/", {"name": VARIANT, "organisation": b.name})
    assert org_of(VARIANT) == {b.pk} and EnterpriseMerge.objects.get(name=VARIANT).method == Method.MANUAL
    before = AuditEntry.objects.count()
    response = client.post("/data/merges/link/", {"name": UNMATCHED, "organisation": "不存在的公司"}, follow=True)
    assert "找不到企业「不存在的公司」" in response.content.decode()
    response = client.post("/data/merges/link/", {"name": "没有这个申请人", "organisation": b.uscc}, follow=True)
    assert "没有名称为「没有这个申请人」的申请人或专利权人" in response.content.decode()
    assert AuditEntry.objects.count() == before


def test_merge_page_lists_variants_under_their_enterprise(client, world, imported, django_assert_max_num_queries):
    client.force_login(world.users["city_staff"])
    client.get("/data/merges/")  # first visit backfills
    with django_assert_max_num_queries(16):  # constant: not per row
        response = client.get("/data/merges/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "测试甲科技有限公司" in html and VARIANT in html and "名称变体" in html
    rows = response.context["page"].object_list
    assert {m.name: m.patent_count for m in rows} == {VARIANT: 2, "测试甲科技有限公司": 1}
    assert client.get("/data/merges/?status=confirmed").context["page"].paginator.count == 0
    assert client.get("/data/merges/?status=&q=有限责任").context["page"].paginator.count == 1
    assert client.get("/data/merges/?status=&method=exact").context["page"].paginator.count == 1
    assert 'href="/data/merges/"' in client.get("/data/").content.decode()


@pytest.mark.parametrize("role", ["city_leader", "enterprise_user", "expert", "sysadmin", "auditor"])
def test_roles_without_the_permission_get_403(client, world, role, imported):
    backfill_merges()
    merge = EnterpriseMerge.objects.get(name=VARIANT)
    client.force_login(world.users[role])
    assert client.get("/data/merges/").status_code == 403
    assert client.post(f"/data/merges/{merge.pk}/reject/").status_code == 403
    assert client.post("/data/merges/link/", {"name": UNMATCHED, "organisation": "x"}).status_code == 403
    assert 'href="/data/merges/"' not in client.get("/data/").content.decode()
    merge.refresh_from_db()
    assert merge.status == Status.AUTOMATIC


def test_merges_outside_the_jurisdiction_answer_404(client, world, tmp_path):
    b = world.orgs["enterprise_b"]
    import_patents(export(tmp_path / "b.csv", ["测试乙材料有限责任公司", UNMATCHED]), acting_user=None)
    backfill_merges()
    merge = EnterpriseMerge.objects.get(name="测试乙材料有限责任公司")
    assert merge.organisation == b
    district = world.users["district_staff"]  # district A; enterprise_b is in district B
    client.force_login(district)
    for verb in ("confirm", "reject", "restore"):
        assert client.post(f"/data/merges/{merge.pk}/{verb}/").status_code == 404
    assert "测试乙材料有限责任公司" not in client.get("/data/merges/?status=").content.decode()
    # nor may the name be re-linked from outside, or linked to an enterprise the user cannot see
    assert client.post("/data/merges/link/", {"name": merge.name, "organisation": world.orgs["enterprise_a"].uscc}
                       ).status_code == 404
    client.post("/data/merges/link/", {"name": UNMATCHED, "organisation": b.uscc})
    assert not EnterpriseMerge.objects.filter(name=UNMATCHED).exists() and org_of(UNMATCHED) == {None}
    merge.refresh_from_db()
    assert merge.status == Status.AUTOMATIC and org_of(merge.name) == {b.pk}
    assert client.post("/data/merges/99999/reject/").status_code == 404


def test_an_import_that_records_pending_links_fills_the_list_without_backfill(world, tmp_path, monkeypatch):
    """What importing.PatentImporter.flush does with `self.matcher.record_pending()` (one insert per chunk)."""
    from ipcity.ipdata import importing

    original = importing.PatentImporter.flush

    def flush(self):
        original(self)
        self.matcher.record_pending()

    monkeypatch.setattr(importing.PatentImporter, "flush", flush)
    import_patents(export(tmp_path / "a.csv", [VARIANT, UNMATCHED, VARIANT, "测试甲科技有限公司"]), acting_user=None,
                   chunk_rows=2)
    assert dict(EnterpriseMerge.objects.values_list("name", "method")) == {VARIANT: Method.VARIANT,
                                                                           "测试甲科技有限公司": Method.EXACT}
    assert backfill_merges() == 0
