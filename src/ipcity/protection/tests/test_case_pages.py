"""The case pages, step by step as staff click through them (forms, redirects, messages, what each page offers)."""
from __future__ import annotations

import pytest
from django.utils import timezone

from ipcity.accounts.roles import Role as R
from ipcity.protection.models import Case, Disclosure
from ipcity.protection.tests.helpers import DECISION_TEXT, credential, make_submission


@pytest.mark.django_db
def test_a_report_walks_from_lead_to_published_decision(world, client):
    officer, staff, city = (world.user(R.ENFORCEMENT_OFFICER), world.user(R.DISTRICT_STAFF),
                            world.user(R.CITY_STAFF))
    credential(officer)
    credential(staff)
    matter = make_submission(kinds=("report",), ip_type="counterfeit_patent").matters.get()
    client.force_login(officer)
    page = client.get(f"/protection/matters/{matter.pk}/").content.decode()
    assert "提交立案决定" in page and str(officer) in page
    client.post(f"/protection/matters/{matter.pk}/lead/", {"decision": "file", "officers": [officer.pk, staff.pk],
                                                          "cause": "涉嫌假冒专利", "major": "on"})
    case = Case.objects.get(matter=matter)
    assert "/protection/cases/" in client.get(f"/protection/matters/{matter.pk}/").content.decode()
    client.post(f"/protection/cases/{case.pk}/records/", {"kind": "inspection", "text": "现场检查，提取样品。"})
    client.post(f"/protection/cases/{case.pk}/legal-review/")
    client.force_login(city)
    review = case.legal_reviews.get()
    client.post(f"/protection/legal-reviews/{review.pk}/", {"passed": "1", "opinion": "同意。"})
    client.force_login(officer)
    response = client.post(f"/protection/cases/{case.pk}/decision/", {
        "document_number": "测市监处罚〔2026〕1号", "party_kind": "natural_person", "party_name": "王某某",
        "party_uscc": "", "party_id_number": "11010519491231002X", "violation": "假冒专利",
        "basis": "《专利法》第六十八条", "penalty": "罚款 5000 元", "fine": "5000", "text": DECISION_TEXT})
    assert response.status_code == 302
    client.post(f"/protection/decisions/{case.decision.pk}/disclosure/", {"extra_names": "李四", "period": "3y"})
    disclosure = Disclosure.objects.get(decision__case=case)
    page = client.get(f"/protection/cases/{case.pk}/").content.decode()
    assert "审核通过并公示" not in page  # the one who entered it cannot sign it off
    client.force_login(staff)
    client.post(f"/protection/disclosures/{disclosure.pk}/sign-off/")
    disclosure.refresh_from_db()
    assert disclosure.status == "published"
    for step, data in (("serve", {"on": timezone.localdate().isoformat(), "how": "直接送达"}),
                       ("execute", {"on": timezone.localdate().isoformat(), "how": "已缴纳罚款"}),
                       ("close", {})):
        client.post(f"/protection/cases/{case.pk}/{step}/", data)
    case.refresh_from_db()
    assert case.status == "closed"
    page = client.get(f"/protection/cases/{case.pk}/").content.decode()
    assert "逐条哈希链校验一致" in page
    client.logout()
    public = client.get("/portal/decisions/").content.decode()
    assert "测市监处罚〔2026〕1号" in public
    detail = client.get(f"/portal/decisions/{disclosure.pk}/").content.decode()
    assert "110*************2X" in detail and "11010519491231002X" not in detail and "李*" in detail


@pytest.mark.django_db
def test_an_unknown_case_step_is_404(world, client):
    officer = world.user(R.ENFORCEMENT_OFFICER)
    case = Case.objects.create(number="x", organisation=world.orgs["district_a"], party_name="p", cause="c",
                               filed_at=timezone.now())
    client.force_login(officer)
    assert client.post(f"/protection/cases/{case.pk}/nonsense/").status_code == 404
