"""Demo data for plans: one published city plan with indicators, tasks across units, progress reports in every
state and some overdue, and indicator values per district. Marked 示例数据; idempotent like every demo step."""
from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from ipcity.core.files import store_file
from ipcity.demo.generator import DemoContext, demo_step
from ipcity.plans import actions
from ipcity.plans.models import Plan, ProgressReport
from ipcity.plans.sample import sample_plan_data

START, END = 2025, 2027


@demo_step(60, "规划、任务、进展报送与指标台账")
def plans(ctx: DemoContext) -> None:
    office = ctx.orgs["city_office"]
    district = ctx.orgs[f"district:{ctx.districts[0].code}"]
    units = {"office": office.name, "section": ctx.orgs["section:知识产权保护科"].name,
             "member": ctx.orgs["member:公安"].name, "district": district.name}
    text, data = sample_plan_data(ctx.city.name, units, start=START, end=END)
    if Plan.objects.filter(title=data["title"]).exists():
        return
    staff = ctx.users.get("staff")
    stored = store_file(ContentFile(text.encode(), name="示例规划.txt"), acting_user=staff)
    draft = actions.open_draft(stored, text, data, acting_user=staff, owner=office)
    plan = actions.publish_import(draft, acting_user=staff, cadence="quarterly")
    # The demo plan "has been running" since early 2025, so several quarters' reports are due and some overdue.
    Plan.objects.filter(pk=plan.pk).update(published_at=timezone.make_aware(dt.datetime(START, 1, 10, 9)),
                                           is_demo=True)
    rng = ctx.rng_for("plans")
    liaison, district_user = ctx.users.get("liaison"), ctx.users.get("district")
    tasks = {t.code: t for t in plan.tasks.all()}
    reports = [
        (tasks["1.1"], liaison, "2025Q1", "已完成工作机制文件起草，征求成员单位意见。", True, ""),
        (tasks["1.2"], staff, "2025Q1", "开展专利侵权执法专项行动 2 次，检查商户 36 家。", True, ""),
        (tasks["1.2"], district_user, "2025Q2", "配合开展商标专项整治，立案 3 起。", False, "请补充案件编号和办理结果"),
        (tasks["2.1"], staff, "2025Q2", "组织专利转化对接活动 1 场，促成许可 4 项。", None, ""),
        (tasks["2.2"], district_user, "2025Q3", "新建公共服务网点 1 个，正在试运行。", None, ""),
    ]
    for task, user, period, text_, accept, comment in reports:
        if user is None:
            continue
        report = actions.submit_report(task, acting_user=user, period=period, text=text_, is_demo=True)
        if accept is not None:
            actions.review_report(report, acting_user=staff, accept=accept, comment=comment)
    actions.set_task_status(tasks["1.1"], "completed", acting_user=staff)
    for indicator in plan.indicators.all():
        base = indicator.baseline_value or 1.0
        for year in (START, START + 1):
            growth = 1 + 0.1 * (year - START + 1) + rng.random() * 0.05
            actions.record_indicator_value(indicator, acting_user=staff, region=plan.region, period=str(year),
                                           value=round(base * growth, 2), source="示例数据：统计部门年报",
                                           is_demo=True)
    ctx.count("plans")
    ctx.count("progress_reports", ProgressReport.objects.filter(task__plan=plan).count())
