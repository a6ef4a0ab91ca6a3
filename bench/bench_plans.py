"""Plans benchmarks against the bare engine, in the same run.

    python bench/bench_plans.py [--tasks 300] [--repeat 5]
    IPCITY_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipcity_bench python bench/bench_plans.py

1. Leader dashboard of one plan (scoped tasks, completion by chapter and unit, overdue reports over eight quarters)
   vs the same counts as GROUP BY queries plus an anti-join for missing reports.
2. Parsing the five real plans in ../shared/plans (skipped when absent) vs just reading and splitting them into lines.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from common import print_table, setup_django, timed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from django.core.files.base import ContentFile
    from django.db import connection
    from django.utils import timezone

    from ipcity.accounts.models import User
    from ipcity.accounts.roles import Role
    from ipcity.core.files import store_file
    from ipcity.orgs.models import Organisation
    from ipcity.plans import actions
    from ipcity.plans.dashboard import build
    from ipcity.plans.models import Plan, ProgressReport, Task, TaskUnit
    from ipcity.plans.sample import sample_plan_data
    from ipcity.regions.loader import load_regions
    from ipcity.regions.models import Region
    from ipcity.workdays.actions import seed_from_chinese_calendar

    load_regions(("37",))
    seed_from_chinese_calendar(acting_user=None)
    city = Region.objects.get(code="371700")
    office = Organisation.objects.get_or_create(name="基准市局", region=city, defaults={"kind": "city_office"})[0]
    units = [Organisation.objects.get_or_create(name=f"基准成员单位{i}", region=city,
                                                defaults={"kind": "member_department"})[0] for i in range(12)]
    leader = User.objects.filter(username="bench_leader").first() or User.objects.create(
        username="bench_leader", role=Role.CITY_LEADER, organisation=office)
    _, data = sample_plan_data("基准市", {"office": office.name, "section": units[0].name, "member": units[1].name,
                                        "district": units[2].name})
    data["tasks"] = [{"id": f"{1 + i % 2}.{i}", "number": str(i), "title": f"任务{i}", "text": "", "deadline": None,
                      "lead": [units[i % 12].name], "support": [units[(i + 1) % 12].name, units[(i + 5) % 12].name],
                      "responsible": [], "source_span": [i, i + 1]} for i in range(args.tasks)]
    stored = store_file(ContentFile(f"bench {time.time()}".encode(), name="bench.txt"), acting_user=None)
    draft = actions.open_draft(stored, "", data, acting_user=None, owner=office)
    plan = actions.publish_import(draft, acting_user=None)
    Plan.objects.filter(pk=plan.pk).update(published_at=timezone.make_aware(dt.datetime(2024, 1, 5)))
    plan.refresh_from_db()
    reports = []
    for unit in TaskUnit.objects.filter(task__plan=plan).select_related("organisation"):
        for q, period in enumerate(["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4"]):
            if (unit.pk + q) % 3:  # two thirds reported, one third missing
                reports.append(ProgressReport(task_id=unit.task_id, unit=unit.organisation, period=period,
                                              text="基准", status=ProgressReport.Status.ACCEPTED))
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    Task.objects.filter(plan=plan, pk__in=Task.objects.filter(plan=plan).values("pk")[: args.tasks // 3]).update(
        status=Task.Status.COMPLETED)
    today = dt.date(2026, 2, 1)

    def ours():
        build(plan, leader, today)

    def raw():
        with connection.cursor() as c:
            c.execute("SELECT section_id, status, COUNT(*) FROM plans_task WHERE plan_id = %s GROUP BY section_id, "
                      "status", [plan.pk])
            c.fetchall()
            c.execute("SELECT u.organisation_id, t.status, COUNT(*) FROM plans_taskunit u JOIN plans_task t ON "
                      "t.id = u.task_id WHERE t.plan_id = %s GROUP BY u.organisation_id, t.status", [plan.pk])
            c.fetchall()
            periods = ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4"]
            values = ", ".join(["(%s)"] * len(periods))
            c.execute(f"WITH p(period) AS (VALUES {values}) "
                      f"SELECT t.id, u.organisation_id, p.period FROM plans_taskunit u JOIN plans_task t ON "
                      f"t.id = u.task_id CROSS JOIN p WHERE t.plan_id = %s AND "
                      f"t.status <> 'completed' AND u.organisation_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                      f"plans_progressreport r WHERE r.task_id = t.id AND r.unit_id = u.organisation_id AND "
                      f"r.period = p.period AND r.status IN ('submitted', 'accepted'))", [*periods, plan.pk])
            c.fetchall()

    rows = [(f"plan dashboard (completion by chapter/unit, overdue reports over 8 quarters)",
             f"{args.tasks} tasks, {len(reports)} reports", timed(ours, args.repeat), timed(raw, args.repeat))]

    shared = Path(__file__).resolve().parents[1].parent / "shared" / "plans"
    files = sorted(shared.glob("*.txt"))
    if files:
        from ipcity.plans.parser import parse_text

        texts = [f.read_text(encoding="utf-8") for f in files]

        def parse_all():
            for text in texts:
                parse_text(text)

        def split_all():
            for f in files:
                f.read_text(encoding="utf-8").splitlines()

        rows.append(("parse the five real plans (../shared/plans) vs read + split lines",
                     f"{sum(len(t) for t in texts)} chars", timed(parse_all, args.repeat),
                     timed(split_all, args.repeat)))

    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
