"""Plans: draft → review → publish, progress reports (refusals audited), indicators, dashboard numbers."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from ipcity.core.files import store_file
from ipcity.core.models import AuditEntry
from ipcity.plans import actions, periods
from ipcity.plans.dashboard import build, overdue_reports
from ipcity.plans.models import Plan, PlanImport, ProgressReport, Task, TaskUnit
from ipcity.plans.progress import forecast
from ipcity.plans.sample import sample_plan_data
from ipcity.plans.units import match_units, normalise_unit_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    units = {"office": "市知识产权局", "section": world.orgs["section"].name, "member": "测试市 公安局",
             "district": "不存在的单位"}
    text, data = sample_plan_data("测试市", units, start=2025, end=2027)
    stored = store_file(ContentFile(b"a second plan", name="方案二.txt"), acting_user=world.users["city_staff"])
    return actions.open_draft(stored, text, data, acting_user=world.users["city_staff"],
                              owner=world.orgs["city_office"])


def test_nothing_is_live_before_publishing(world, draft):
    assert draft.status == PlanImport.Status.DRAFT and draft.plan is None
    assert not Plan.objects.filter(title=draft.data["title"]).exists()


def test_unit_names_are_matched_with_raw_text_kept(world, draft):
    mapping = draft.unit_mapping
    assert mapping[world.orgs["section"].name] == world.orgs["section"].pk
    assert mapping["测试市 公安局"] == world.orgs["member"].pk  # odd whitespace inside a name
    assert mapping["不存在的单位"] is None


def test_publish_creates_the_plan_and_keeps_unmatched_units_raw(world, draft):
    plan = actions.publish_import(draft, acting_user=world.users["city_staff"], cadence="quarterly")
    assert plan.tasks.count() == 4 and plan.indicators.count() == 2 and plan.sections.count() == 2
    unmatched = TaskUnit.objects.filter(task__plan=plan, raw_name="不存在的单位")
    assert unmatched.count() == 2 and not unmatched.exclude(organisation=None).exists()
    lead = TaskUnit.objects.get(task__plan=plan, task__code="1.2", role=TaskUnit.Role.LEAD)
    assert lead.organisation == world.orgs["section"]
    assert plan.tasks.get(code="1.2").section.number == "一" and plan.tasks.get(code="2.1").section.number == "二"
    entry = AuditEntry.objects.filter(action="plans.publish", object_id=str(plan.pk)).get()
    assert entry.changes["unmatched_units"] == 2
    with pytest.raises(ValidationError):
        actions.publish_import(draft, acting_user=world.users["city_staff"])  # published once only


def test_reimporting_the_same_file_becomes_a_new_version(world, draft):
    first = actions.publish_import(draft, acting_user=world.users["city_staff"])
    again = actions.open_draft(draft.document.file, draft.document.text, draft.data,
                               acting_user=world.users["city_staff"], owner=world.orgs["city_office"])
    assert again.replaces == first
    second = actions.publish_import(again, acting_user=world.users["city_staff"])
    first.refresh_from_db()
    assert second.version == 2 and second.previous == first and first.status == Plan.Status.SUPERSEDED


def test_editing_a_draft_and_mapping_units(world, draft):
    data = dict(draft.data)
    data["tasks"] = data["tasks"][:2]
    actions.update_import(draft, acting_user=world.users["city_staff"], data=data,
                          unit_mapping={**draft.unit_mapping, "不存在的单位": world.orgs["district_a"].pk})
    plan = actions.publish_import(draft, acting_user=world.users["city_staff"])
    assert plan.tasks.count() == 2
    with pytest.raises(ValidationError):
        actions.update_import(draft, acting_user=world.users["city_staff"], data=data)


def test_mapping_to_a_missing_organisation_is_refused(world, draft):
    with pytest.raises(ValidationError, match="不存在"):
        actions.update_import(draft, acting_user=world.users["city_staff"], unit_mapping={"x": 999999})


def world_plan():
    return Plan.objects.get(title__startswith="测试市知识产权强市")


def test_a_unit_reports_on_its_own_task(world):
    task = world_plan().tasks.get(code="1.2")
    report = actions.submit_report(task, acting_user=world.users["district_staff"], period="2025Q3",
                                   text="开展专项行动 3 次")
    assert report.unit == world.orgs["district_a"] and report.status == ProgressReport.Status.SUBMITTED
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS


def test_a_report_on_a_task_the_unit_does_not_own_is_refused_and_audited(world):
    task = world_plan().tasks.get(code="2.1")  # led by the section only
    before = ProgressReport.objects.count()
    with pytest.raises(PermissionDenied):
        actions.submit_report(task, acting_user=world.users["member_liaison"], period="2025Q3", text="越权报送")
    assert ProgressReport.objects.count() == before
    refusal = AuditEntry.objects.filter(action="plans.report_refused").latest("seq")
    assert refusal.outcome == "failure" and refusal.object_id == str(task.pk)


def test_bad_period_is_a_chinese_error(world):
    task = world_plan().tasks.get(code="1.2")
    with pytest.raises(ValidationError, match="报送期格式错误"):
        actions.submit_report(task, acting_user=world.users["city_staff"], period="2025Q5", text="x")


def test_accept_and_return_reports(world):
    report = ProgressReport.objects.get(period="2024Q1", task__plan=world_plan())
    with pytest.raises(ValidationError):
        actions.review_report(report, acting_user=world.users["city_staff"], accept=False, comment="")
    actions.review_report(report, acting_user=world.users["city_staff"], accept=False, comment="请补充数据")
    assert report.status == ProgressReport.Status.RETURNED
    with pytest.raises(ValidationError):
        actions.review_report(report, acting_user=world.users["city_staff"], accept=True)


def test_indicator_values_are_validated_and_audited(world):
    indicator = world_plan().indicators.get(order=0)
    with pytest.raises(ValidationError):
        actions.record_indicator_value(indicator, acting_user=world.users["city_staff"], region=world_plan().region,
                                       period="2025年", value=1.0, source="统计公报")
    row = actions.record_indicator_value(indicator, acting_user=world.users["city_staff"],
                                         region=world_plan().region, period="2024", value=2.8, source="统计公报")
    assert row.value == 2.8  # the same period is corrected in place, the change audited
    entry = AuditEntry.objects.filter(action="plans.record_indicator_value").latest("seq")
    assert entry.changes["value"] == [2.6, 2.8]


def test_periods():
    assert periods.bounds("2025Q3") == (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    assert periods.bounds("2024H1") == (dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    assert periods.bounds("2024-02")[1] == dt.date(2024, 2, 29)
    assert periods.label("2025Q3") == "2025年第三季度"
    assert periods.periods_for("quarterly", dt.date(2025, 5, 1), dt.date(2025, 12, 31)) == ["2025Q2", "2025Q3",
                                                                                            "2025Q4"]
    with pytest.raises(ValidationError):
        periods.validate("2025Q0")


def test_forecast_methods_and_statuses():
    on_track = forecast(2020, 0.87, 2025, 1.75, {2022: 1.3}, "level")
    assert on_track.status == "预计达标" and "2020–2022" in on_track.method
    behind = forecast(2020, 0.87, 2025, 1.75, {2023: 1.0}, "level")
    assert behind.status == "滞后"
    reached = forecast(2020, 200, 2025, 10000, {2024: 12000}, "level")
    assert reached.status == "已达标"
    growth = forecast(2020, 100, 2025, 8, {2022: 120}, "annual_growth_pct")
    assert growth.status == "预计达标" and "年均增长" in growth.method
    assert forecast(None, None, None, None, {2024: 1}, "breakthrough").status == "已达标"
    assert forecast(2020, 1, 2025, 2, {}, "level").status == "数据不足"


def test_unit_name_normalisation():
    assert normalise_unit_name("市 市场监管局") == "市市场监督管理局"
    assert match_units(["市公安局"], [], "测试市") == {"市公安局": None}


def test_dashboard_counts_and_overdue_reports(world):
    plan = world_plan()
    context = build(plan, world.users["city_leader"], dt.date(2026, 11, 21))
    assert context["task_total"] == 4 and len(context["indicators"]) == 2
    tasks = list(plan.tasks.all())
    units = list(TaskUnit.objects.filter(task__plan=plan).select_related("organisation"))
    Plan.objects.filter(pk=plan.pk).update(published_at=dt.datetime(2025, 1, 5, tzinfo=dt.timezone.utc))
    plan.refresh_from_db()
    overdue = overdue_reports(plan, tasks, units, dt.date(2025, 7, 31))
    # Q1 and Q2 2025 are due (10 working days after each quarter), for every matched unit of every task.
    assert {row["period"] for row in overdue} == {"2025Q1", "2025Q2"}
    matched = sum(1 for u in units if u.organisation_id)
    assert len(overdue) == 2 * matched


def test_liaison_dashboard_shows_only_its_tasks(world):
    context = build(world_plan(), world.users["member_liaison"], dt.date(2026, 11, 21))
    assert {t.code for t in context["tasks"]} == {"1.1", "1.2"}


def test_home_reminds_a_unit_of_overdue_and_returned_reports(client, world):
    plan = world_plan()
    Plan.objects.filter(pk=plan.pk).update(published_at=dt.datetime(2025, 1, 5, tzinfo=dt.timezone.utc))
    report = ProgressReport.objects.get(period="2024Q1", task__plan=plan)
    actions.review_report(report, acting_user=world.users["city_staff"], accept=False, comment="请补充数据")
    client.force_login(world.users["member_liaison"])
    html = client.get("/").content.decode()
    assert "我的待办" in html and "逾期未报送" in html and "报送被退回" in html and "请补充数据" in html
    client.force_login(world.users["expert"])
    assert "我的待办" not in client.get("/").content.decode()
