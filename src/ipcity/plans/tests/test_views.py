"""The plan workspace pages: review, edit/merge/split/delete, unit mapping, publish, reports, indicator ledger."""
from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from ipcity.core.files import store_file
from ipcity.core.models import AuditEntry
from ipcity.plans import actions
from ipcity.plans.models import IndicatorValue, Plan, PlanImport, ProgressReport
from ipcity.plans.sample import sample_plan_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    units = {"office": world.orgs["city_office"].name, "section": world.orgs["section"].name,
             "member": world.orgs["member"].name, "district": "某未知单位"}
    text, data = sample_plan_data("测试市", units, start=2025, end=2027)
    stored = store_file(ContentFile(b"review test plan", name="方案.txt"), acting_user=world.users["city_staff"])
    return actions.open_draft(stored, text, data, acting_user=world.users["city_staff"],
                              owner=world.orgs["city_office"])


def test_review_page_shows_source_beside_structure(client, world, draft):
    client.force_login(world.users["city_staff"])
    html = client.get(f"/plans/imports/{draft.pk}/").content.decode()
    assert "原文" in html and "完善知识产权保护工作机制" in html and "未对应" in html
    assert html.count('data-testid="task-card"') == 4


@pytest.mark.parametrize("role, status", [("city_leader", 403), ("district_staff", 403), ("member_liaison", 404),
                                          ("enterprise_user", 404)])
def test_only_office_staff_review(client, world, draft, role, status):
    client.force_login(world.users[role])
    assert client.get(f"/plans/imports/{draft.pk}/").status_code == status


def test_edit_merge_split_delete_then_publish(client, world, draft):
    client.force_login(world.users["city_staff"])
    url = f"/plans/imports/{draft.pk}/tasks/"
    response = client.post(url + "0/", {"op": "save", "number": "（一）", "title": "完善保护机制（已修改）",
                                        "text": "正文", "lead": "测试市知识产权局、测试市公安局", "support": "",
                                        "responsible": ""})
    assert response.status_code == 302
    client.post(url + "2/", {"op": "merge"})   # task 3 absorbs task 4
    client.post(url + "0/", {"op": "split", "at": "1"})  # "正文" → "正" + "文"
    client.post(url + "1/", {"op": "delete"})
    draft.refresh_from_db()
    titles = [t["title"] for t in draft.data["tasks"]]
    assert titles[0] == "完善保护机制（已修改）" and len(titles) == 3
    assert draft.data["tasks"][0]["lead"] == ["测试市知识产权局", "测试市公安局"]
    response = client.post(f"/plans/imports/{draft.pk}/units/",
                           {"unit::某未知单位": str(world.orgs["district_b"].pk)})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.unit_mapping["某未知单位"] == world.orgs["district_b"].pk
    response = client.post(f"/plans/imports/{draft.pk}/publish/", {"cadence": "quarterly",
                                                                    "report_due_working_days": "10"})
    plan = Plan.objects.get(source_import=draft)
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/"
    assert plan.tasks.count() == 3
    assert client.get(f"/plans/{plan.pk}/").status_code == 200


def test_bad_split_position_is_reported(client, world, draft):
    client.force_login(world.users["city_staff"])
    response = client.post(f"/plans/imports/{draft.pk}/tasks/0/", {"op": "split", "at": "99999"}, follow=True)
    assert "拆分位置" in response.content.decode()


def test_discard(client, world, draft):
    client.force_login(world.users["city_staff"])
    client.post(f"/plans/imports/{draft.pk}/discard/")
    draft.refresh_from_db()
    assert draft.status == PlanImport.Status.DISCARDED


def world_plan():
    return Plan.objects.get(title__startswith="测试市知识产权强市")


def test_unit_submits_report_with_attachment_and_staff_accepts(client, world):
    task = world_plan().tasks.get(code="1.2")
    client.force_login(world.users["district_staff"])
    upload = SimpleUploadedFile("佐证.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    response = client.post(f"/plans/tasks/{task.pk}/", {"kind": "regular", "period": "2025Q3", "text": "已完成",
                                                        "attachment": upload})
    assert response.status_code == 302
    report = ProgressReport.objects.get(task=task, period="2025Q3")
    stored = report.attachments.get()
    download = client.get(f"/plans/reports/{report.pk}/files/{stored.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 evidence"
    client.force_login(world.users["member_liaison"])  # another unit: the report is not theirs
    assert client.get(f"/plans/reports/{report.pk}/files/{stored.pk}/").status_code == 404
    client.force_login(world.users["city_staff"])
    client.post(f"/plans/reports/{report.pk}/review/", {"decision": "accept", "comment": ""})
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.ACCEPTED


def test_report_form_is_not_offered_to_other_units_and_post_is_refused(client, world):
    task = world_plan().tasks.get(code="2.1")
    client.force_login(world.users["district_staff"])
    html = client.get(f"/plans/tasks/{task.pk}/").content.decode()
    assert "报送进展" not in html
    response = client.post(f"/plans/tasks/{task.pk}/", {"kind": "regular", "period": "2025Q3", "text": "越权"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="plans.report_refused", object_id=str(task.pk)).exists()


def test_indicator_value_form(client, world):
    indicator = world_plan().indicators.get(order=0)
    client.force_login(world.users["city_staff"])
    bad = client.post(f"/plans/indicators/{indicator.pk}/", {"region": "371700", "period": "2025", "value": "3,1件",
                                                             "source": "统计公报"})
    assert "请输入数字" in bad.content.decode()
    ok = client.post(f"/plans/indicators/{indicator.pk}/", {"region": "371700", "period": "2025", "value": "3.1",
                                                            "source": "统计公报"})
    assert ok.status_code == 302
    assert IndicatorValue.objects.get(indicator=indicator, period="2025").value == 3.1


def test_district_enters_values_only_for_its_district(client, world):
    indicator = world_plan().indicators.get(order=0)
    client.force_login(world.users["district_staff"])
    html = client.get(f"/plans/indicators/{indicator.pk}/").content.decode()
    assert 'value="371702"' in html and 'value="371703"' not in html


def test_dashboard_numbers(client, world):
    client.force_login(world.users["city_leader"])
    html = client.get(f"/plans/{world_plan().pk}/").content.decode()
    assert '<a href="?status=completed#tasks">0</a> / <a href="?#tasks">4</a>' in html
    assert "每万人口高价值发明专利拥有量" in html and "plan-chart-data" in html


def test_plan_list_query_budget(client, world, django_assert_max_num_queries):
    client.force_login(world.users["city_staff"])
    client.get("/plans/")  # warm the per-process caches (permissions, the once-a-minute demo check)
    with django_assert_max_num_queries(15):
        assert client.get("/plans/").status_code == 200


def test_dashboard_numbers_drill_down_to_their_tasks(client, world):
    from ipcity.plans.actions import set_task_status

    plan = world_plan()
    set_task_status(plan.tasks.get(code="2.1"), "completed", acting_user=world.users["city_staff"])
    client.force_login(world.users["city_leader"])
    chapter = plan.sections.get(number="二")
    html = client.get(f"/plans/{plan.pk}/?chapter={chapter.pk}&status=completed").content.decode()
    listed = html[html.index('data-testid="task-list"'):]
    assert "推进专利转化运用" in listed and "建设知识产权公共服务网点" not in listed
    assert "章节：二、促进知识产权运用" in html and "状态：已完成" in html
    unit = world.orgs["member"]
    html = client.get(f"/plans/{plan.pk}/?unit={unit.pk}").content.decode()
    listed = html[html.index('data-testid="task-list"'):]
    assert "完善知识产权保护工作机制" in listed and "推进专利转化运用" not in listed


def test_milestones_set_by_staff_completed_by_the_unit(client, world):
    task = world_plan().tasks.get(code="1.2")
    client.force_login(world.users["city_staff"])
    client.post(f"/plans/tasks/{task.pk}/milestones/", {"title": "完成执法检查方案", "due_date": "2025-03-31"})
    milestone = task.milestones.get()
    html = client.get(f"/plans/tasks/{task.pk}/").content.decode()
    assert "完成执法检查方案" in html and "逾期" in html
    client.force_login(world.users["enterprise_user"])
    assert client.post(f"/plans/milestones/{milestone.pk}/done/").status_code == 404
    client.force_login(world.users["district_staff"])  # district A's office is a responsible unit of 1.2
    client.post(f"/plans/milestones/{milestone.pk}/done/")
    milestone.refresh_from_db()
    assert milestone.done_on is not None
    assert AuditEntry.objects.filter(action="plans.complete_milestone", object_id=str(milestone.pk)).exists()
    client.force_login(world.users["member_liaison"])
    assert client.post(f"/plans/tasks/{task.pk}/milestones/", {"title": "x", "due_date": "2025-01-01"}
                       ).status_code == 403


def test_report_downloads(client, world):
    plan = world_plan()
    client.force_login(world.users["city_leader"])
    docx = client.get(f"/plans/{plan.pk}/report/?kind=quarterly&quarter=2024Q1")
    assert docx.status_code == 200 and docx["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml")
    xlsx = client.get(f"/plans/{plan.pk}/report/?kind=ledger")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    bad = client.get(f"/plans/{plan.pk}/report/?kind=quarterly&quarter=2024Q9", follow=True)
    assert "季度格式错误" in bad.content.decode()
    client.force_login(world.users["expert"])
    assert client.get(f"/plans/{plan.pk}/report/?kind=ledger").status_code == 404


def test_a_district_office_imports_and_publishes_its_own_plan(client, world):
    from ipcity.plans.tests.test_upload import PLAN_TEXT

    client.force_login(world.users["district_staff"])
    text = PLAN_TEXT.replace("测试市专利转化运用专项行动方案", "牡丹区专利强区行动方案")
    client.post("/plans/upload/", {"file": SimpleUploadedFile("强区方案.txt", text.encode())})
    draft = PlanImport.objects.latest("created_at")
    assert draft.owner == world.orgs["district_a"]
    response = client.post(f"/plans/imports/{draft.pk}/publish/", {"cadence": "half_yearly",
                                                                    "report_due_working_days": "5"})
    plan = Plan.objects.get(source_import=draft)
    assert response.status_code == 302 and plan.region_id == "371702"
    client.force_login(world.users["city_staff"])  # the city sees the district's plan but does not run it
    assert client.get(f"/plans/{plan.pk}/").status_code == 200
    client.force_login(world.users["enforcement_officer"])  # same district: sees it
    assert client.get(f"/plans/{plan.pk}/").status_code == 200


def test_splitting_twice_still_publishes_with_unique_codes(client, world, draft):
    client.force_login(world.users["city_staff"])
    for at in ("3", "1"):  # the second split cuts the first part again: two tasks get the id "1.1-b"
        client.post(f"/plans/imports/{draft.pk}/tasks/0/", {"op": "split", "at": at})
    client.post(f"/plans/imports/{draft.pk}/publish/", {"cadence": "quarterly", "report_due_working_days": "10"})
    plan = Plan.objects.get(source_import=draft)
    codes = list(plan.tasks.values_list("code", flat=True))
    assert len(codes) == 6 and len(set(codes)) == 6


def test_a_published_draft_cannot_be_edited(client, world, draft):
    client.force_login(world.users["city_staff"])
    client.post(f"/plans/imports/{draft.pk}/publish/", {"cadence": "quarterly", "report_due_working_days": "10"})
    assert client.post(f"/plans/imports/{draft.pk}/tasks/0/", {"op": "delete"}).status_code == 403
    assert client.get(f"/plans/imports/{draft.pk}/").status_code == 200  # still readable


def test_report_figures_are_parsed_and_bad_numbers_reported(client, world):
    task = world_plan().tasks.get(code="1.2")
    client.force_login(world.users["district_staff"])
    bad = client.post(f"/plans/tasks/{task.pk}/", {"kind": "flash", "period": "", "text": "速报",
                                                   "figures": "立案数=3\n罚款金额=1,200元\n无等号"})
    html = bad.content.decode()
    assert "第 2 行的数值无效：1,200元" in html and "第 3 行应为" in html
    assert not ProgressReport.objects.filter(task=task, kind="flash").exists()
    client.post(f"/plans/tasks/{task.pk}/", {"kind": "flash", "period": "", "text": "速报",
                                             "figures": "立案数=3\n罚款金额＝1200"})
    report = ProgressReport.objects.get(task=task, kind="flash")
    assert report.figures == {"立案数": 3.0, "罚款金额": 1200.0}
