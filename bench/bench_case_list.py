"""An organisation's list of complaints and reports at 100,000 matters: the page a district office opens every day,
against the bare engine doing the same (count + one page of rows with the office's name) in the same run.

    python bench/bench_case_list.py [--matters 100000] [--repeat 7]
    IPCITY_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipcity_bench_list python bench/bench_case_list.py

Uses a throwaway IPCITY_HOME (SQLite) or the given PostgreSQL database — an empty scratch database, created afresh
for each run (the throwaway home's encryption keys are new each time). The page is rendered through Django's test client as the district's staff
member: middleware, login session, scope, paging, the template — everything but the network.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys

from common import setup_django, timed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--matters", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from ipcity.core.testing import build_world, load_world
    from ipcity.protection.models import Matter, MatterEvent, Submission, SubmissionRight
    from ipcity.regions.models import Region

    if not Region.objects.filter(code="371702").exists():
        build_world()
    world = load_world()
    office = world.orgs["district_a"]
    region = Region.objects.get(code="371702")
    for model in (MatterEvent, SubmissionRight, Matter):
        model.objects.all().delete()
    Submission.objects.all().delete()
    now = timezone.now()
    chunk = 5000
    for start in range(0, args.matters, chunk):
        subs = Submission.objects.bulk_create([
            Submission(tracking_number=f"TSB{i:09d}", channel="api", submitter_type="anonymous", ip_type="trademark",
                       respondent_kind="enterprise", respondent_name=f"被投诉企业{i % 997}", respondent_key=f"k{i}",
                       region=region, facts="基准测试数据", received_at=now - dt.timedelta(minutes=i),
                       registered_at=now, receipt_digest="0" * 64, received={"kinds": ["report"]})
            for i in range(start, min(start + chunk, args.matters))])
        Matter.objects.bulk_create([
            Matter(submission=s, kind="report", number=f"{s.tracking_number}J", assigned_org=office,
                   received_at=s.received_at, ip_type=s.ip_type, respondent_name=s.respondent_name,
                   due_at=s.received_at + dt.timedelta(days=20)) for s in subs])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    call_command("collectstatic", interactive=False, verbosity=0)  # the page's template links hashed static files
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(world.user("district_staff"))

    def page():
        response = client.get("/protection/")
        assert response.status_code == 200 and b"TSB" in response.content

    table, orgs = Matter._meta.db_table, office._meta.db_table
    prefix = region.code

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table} m JOIN {orgs} o ON o.id = m.assigned_org_id "
                           f"WHERE o.region_id LIKE %s", [prefix + "%"])
            cursor.fetchone()
            cursor.execute(f"SELECT m.id, m.number, m.kind, m.ip_type, m.respondent_name, m.received_at, m.status, "
                           f"m.due_at, o.name FROM {table} m JOIN {orgs} o ON o.id = m.assigned_org_id "
                           f"WHERE o.region_id LIKE %s ORDER BY m.received_at DESC, m.id DESC LIMIT 50",
                           [prefix + "%"])
            cursor.fetchall()

    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # Keep one connection across requests, as a server with persistent connections does (and so the query log of a
    # request survives to be counted).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with CaptureQueriesContext(connection) as queries:
        page()
    query_count = len(queries.captured_queries)  # now: every request resets the connection's query log
    ours, base = timed(page, args.repeat), timed(raw, args.repeat)
    print(f"engine: {connection.vendor}\n")
    print("| benchmark | size | ipcity (ms, median) | raw baseline (ms, median) | ratio | queries |")
    print("|---|---|---|---|---|---|")
    print(f"| district office's matter list, first page of 50 | {args.matters:,} matters | {ours:.1f} | {base:.2f} | "
          f"{ours / base:.2f}× | {query_count} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
