"""Foundation benchmarks, each against the bare engine doing the same work in the same run.

    python bench/bench_foundation.py [--orgs 20000] [--audit 2000] [--repeat 5]
    IPCITY_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipcity_bench python bench/bench_foundation.py

Uses a throwaway IPCITY_HOME (SQLite) or the given PostgreSQL database (its tables are created by migrate and
truncated first: point it at a scratch database). Prints a Markdown table for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time

from common import print_table, setup_django, timed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=20000)
    parser.add_argument("--audit", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    setup_django()
    from django.db import connection, transaction

    from ipcity.accounts.models import User
    from ipcity.accounts.roles import Role
    from ipcity.core.audit import record, verify_chain
    from ipcity.core.scoping import visible
    from ipcity.orgs.models import Organisation
    from ipcity.regions.loader import load_regions
    from ipcity.regions.models import Region

    if not Region.objects.exists():
        load_regions(("37",))
    city = Region.objects.get(code="371700")
    districts = list(Region.objects.filter(parent=city).order_by("code"))
    Organisation.objects.filter(name__startswith="基准企业").delete()
    office = Organisation.objects.get_or_create(name="基准区局", region=districts[0],
                                                defaults={"kind": "district_office"})[0]
    user = User.objects.filter(username="bench_district").first() or User.objects.create(
        username="bench_district", role=Role.DISTRICT_STAFF, organisation=office)
    Organisation.objects.bulk_create(
        [Organisation(name=f"基准企业{i:06d}有限公司", kind="enterprise", region=districts[i % len(districts)])
         for i in range(args.orgs)], batch_size=2000)
    rows = []

    # 1. Scoped list: first page of 50 plus the total count, as the list view and API do.
    def scoped_page():
        qs = visible(Organisation, user).select_related("region")
        qs.count()
        list(qs[:50])

    org_table, region_table = Organisation._meta.db_table, Region._meta.db_table
    prefix = districts[0].code
    raw_where = (f"(o.id = %s OR o.kind IN ('city_office','city_section','member_department','district_office') "
                 f"OR o.region_id LIKE %s)")

    def raw_page():
        with connection.cursor() as c:
            c.execute(f"SELECT COUNT(*) FROM {org_table} o WHERE {raw_where}", [office.pk, prefix + "%"])
            c.fetchone()
            c.execute(f"SELECT o.*, r.* FROM {org_table} o JOIN {region_table} r ON r.code = o.region_id "
                      f"WHERE {raw_where} ORDER BY o.kind, o.region_id, o.name LIMIT 50", [office.pk, prefix + "%"])
            c.fetchall()

    rows.append(("scoped organisation list (count + page of 50), district user",
                 f"{args.orgs} orgs", timed(scoped_page, args.repeat), timed(raw_page, args.repeat)))

    # 2. Audit append, one transaction per row as actions do.
    n = args.audit
    id_column = "id INTEGER PRIMARY KEY" if connection.vendor == "sqlite" else "id SERIAL PRIMARY KEY"
    connection.cursor().execute(f"CREATE TABLE IF NOT EXISTS bench_plain ({id_column}, action TEXT, changes TEXT, "
                                "at TEXT)")

    def audit_append():
        for i in range(n):
            with transaction.atomic():
                record("bench.event", acting_user=user, changes={"i": i})

    def raw_append():
        for i in range(n):
            with transaction.atomic(), connection.cursor() as c:
                c.execute("INSERT INTO bench_plain (action, changes, at) VALUES (%s, %s, %s)",
                          ["bench.event", json.dumps({"i": i}), time.time()])

    rows.append((f"append {n} audit rows (hash chain, head lock) vs plain INSERTs", f"{n} rows",
                 timed(audit_append, 1), timed(raw_append, 1)))

    # 3. Verify the whole chain vs fetching the same rows and hashing them.
    def verify():
        assert verify_chain().ok

    def raw_verify():
        with connection.cursor() as c:
            c.execute("SELECT * FROM core_auditentry ORDER BY seq")
            for row in c.fetchall():
                hashlib.sha256(json.dumps(row, default=str).encode()).hexdigest()

    from ipcity.core.models import AuditEntry

    total = AuditEntry.objects.count()
    rows.append(("verify the audit chain vs SELECT + SHA-256 per row", f"{total} rows",
                 timed(verify, args.repeat), timed(raw_verify, args.repeat)))

    connection.cursor().execute("DROP TABLE bench_plain")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
