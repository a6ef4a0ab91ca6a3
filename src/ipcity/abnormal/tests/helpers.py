"""Test data: patents written straight into the data hub (one INSERT per table), built from the synthetic
generator's texts, with applicants in the test world's districts."""
from __future__ import annotations

import datetime as dt

from ipcity.abnormal import synthetic
from ipcity.abnormal.detect import Filing

A, B = "371702", "371703"  # the world's districts


def insert_filings(filings: list[Filing], regions: dict[str, str], orgs: dict[str, object] | None = None) -> None:
    """Patents for `filings`; `regions` maps applicant name → region code (the patent's attribution), `orgs`
    applicant name → Organisation."""
    from ipcity.ipdata.models import Patent, PatentParty

    orgs = orgs or {}
    patents = Patent.objects.bulk_create([
        Patent(application_number=f.number, patent_type=f.patent_type, title=f.title, abstract=f.abstract,
               claims=f.claims, application_date=f.date, ipc_main=f.ipc[0] if f.ipc else "", ipc=list(f.ipc),
               first_applicant=f.applicants[0] if f.applicants else "", region_id=regions.get(f.applicants[0]),
               content_hash=f.number) for f in filings])
    if not all(p.pk for p in patents):
        ids = dict(Patent.objects.filter(application_number__in=[f.number for f in filings]).values_list(
            "application_number", "pk"))
        for p in patents:
            p.pk = ids[p.application_number]
    parties = []
    for f, p in zip(filings, patents):
        for i, name in enumerate(f.applicants):
            org = orgs.get(name)
            parties.append(PatentParty(patent_id=p.pk, role="applicant", order=i, name=name,
                                       organisation_id=org.pk if org else None, region_id=regions.get(name)))
        for i, name in enumerate(f.agencies):
            parties.append(PatentParty(patent_id=p.pk, role="agency", order=i, name=name))
    PatentParty.objects.bulk_create(parties)


def scenario(world) -> dict:
    """Background filings over five years (district B's 背景公司 and others), and planted: a burst by enterprise A
    (district A), a near-duplicate family of enterprise B (district B), off-business filings of 丙公司 (district A)."""
    g = synthetic._Generator(20260101)
    ea, eb = world.orgs["enterprise_a"].name, world.orgs["enterprise_b"].name
    background = [f"背景{i}有限公司" for i in range(6)]
    for k in range(120):
        g.add(dt.date(2020, 1, 1) + dt.timedelta(days=15 * k), k % len(synthetic.DOMAINS),
              (background[k % 6],), ("测试专利代理事务所",))
    for k in range(8):  # enterprise A's usual pace: a filing every half year, then 16 in ten days
        g.add(dt.date(2021, 3, 1) + dt.timedelta(days=180 * k), 4, (ea,), ())
    burst = [g.add(dt.date(2024, 9, 2) + dt.timedelta(days=k % 10), 4, (ea,), ()).number for k in range(16)]
    base = g.text(5)
    family = [g.add(dt.date(2023, 5, 8), 5, (eb,), (), texts=base).number]
    for k in range(2):
        family.append(g.add(dt.date(2023, 6, 1) + dt.timedelta(days=20 * k), 5, (eb,), (),
                            texts=g.paraphrase(*base, strength=0.2)).number)
    for k in range(14):  # 丙公司: machine tools (B23Q) for years, then two filings in pharmaceuticals (A61K)
        g.add(dt.date(2020, 2, 1) + dt.timedelta(days=100 * k), 4, ("测试丙机械有限公司",), ())
    off = [g.add(dt.date(2025, 3, 3) + dt.timedelta(days=9 * k), 1, ("测试丙机械有限公司",), ()).number
           for k in range(2)]
    regions = {name: B for name in background} | {ea: A, eb: B, "测试丙机械有限公司": A}
    insert_filings(g.filings, regions, {ea: world.orgs["enterprise_a"], eb: world.orgs["enterprise_b"]})
    return {"burst": set(burst), "family": set(family), "off": set(off), "generator": g, "base": base,
            "regions": regions}
