"""Demo: a few abnormal filings planted among the demo patents through the real import path (a burst of one
enterprise, a paraphrased near-duplicate family of two applicants — one flag each —, an enterprise filing far from its
business), then a screening over the city run through the background-job path, one flag confirmed by staff (→ a credit
record) and the rest left 待复核. Marked 示例数据; a rerun changes nothing."""
from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

from ipcity.demo.generator import DemoContext, _org, demo_step
from ipcity.orgs.models import Organisation

MAPPING = {"application_number": "申请号", "application_date": "申请日", "title": "名称", "abstract": "摘要",
           "claims": "权利要求", "ipc": "IPC 分类号", "applicants": "申请人", "agencies": "代理机构",
           "applicant_address": "第一申请人地址", "applicant_uscc": "第一申请人统一社会信用代码",
           "patent_type": "专利类型（非中国申请号时使用）", "legal_status": "法律状态"}


def _foreign_domain(org, domains, *, preferred: int) -> int:
    """The first domain (from `preferred` on) whose IPC section none of the organisation's patents has."""
    from ipcity.ipdata.models import Patent

    sections = {code[:1] for code in Patent.objects.filter(parties__organisation=org).values_list("ipc_main", flat=True)
                if code} | {"B"}  # B: the machine-tool history planted here
    order = list(range(preferred, len(domains))) + list(range(preferred))
    return next((i for i in order if domains[i][1][0][:1] not in sections), preferred)


def _rows(ctx: DemoContext) -> tuple[list[dict], list[str]]:
    """The planted filings as rows of the generic import template, and the near-duplicate family's numbers."""
    from ipcity.abnormal import synthetic
    from ipcity.demo import synth

    rng = ctx.rng_for("abnormal:planted")
    g = synthetic._Generator(ctx.seed)
    enterprises = [org for key, org in sorted(ctx.orgs.items()) if key.startswith("enterprise:")]
    agencies = [org for key, org in sorted(ctx.orgs.items()) if key.startswith("agency:")]
    burst_org, family_org, off_org = enterprises[1], enterprises[2], enterprises[3 % len(enterprises)]
    # An operator new to the city files the family's rewrites too (a demo organisation, so attribution holds).
    newcomer_org = _org(ctx, "abnormal:newcomer", name=f"{ctx.city.name[:2]}鑫创知识产权运营有限公司",
                        kind=Organisation.Kind.ENTERPRISE, region=family_org.region, address=family_org.address,
                        uscc=synth.uscc_code(ctx.rng_for("abnormal:newcomer"), family_org.region_id))
    newcomer = (newcomer_org.name, newcomer_org.address, newcomer_org.uscc)
    rows, used = [], set()

    def row(org_or_name, address, uscc, date, domain, texts=None, agency=None, type_digit=1):
        number = synth.application_number(rng, date.year, type_digit)
        while number in used:
            number = synth.application_number(rng, date.year, type_digit)
        used.add(number)
        title, abstract, claims = texts or g.text(domain)
        ipc = synthetic.DOMAINS[domain][1]
        rows.append({"申请号": number, "申请日": date.isoformat(), "名称": title, "摘要": abstract, "权利要求": claims,
                     "IPC 分类号": ";".join(ipc), "申请人": org_or_name, "代理机构": agency or "",
                     "第一申请人地址": address, "第一申请人统一社会信用代码": uscc or "",
                     "专利类型（非中国申请号时使用）": "", "法律状态": "实质审查"})

    # A burst: an enterprise that filed a few a year files eighteen in twelve days.
    for k in range(10):
        row(burst_org.name, burst_org.address, burst_org.uscc, dt.date(2021, 2, 1) + dt.timedelta(days=110 * k), 5,
            agency=agencies[0].name)
    for k in range(18):
        row(burst_org.name, burst_org.address, burst_org.uscc, dt.date(2025, 9, 1) + dt.timedelta(days=k % 12), 5,
            agency=agencies[0].name, type_digit=2)
    # A near-duplicate family: one text, rewritten and filed again by the enterprise and by a newcomer.
    first_of_family = len(rows)
    base = g.text(8)
    row(family_org.name, family_org.address, family_org.uscc, dt.date(2024, 4, 8), 8, texts=base,
        agency=agencies[1 % len(agencies)].name)
    for k, (name, address, uscc) in enumerate([(family_org.name, family_org.address, family_org.uscc),
                                               newcomer]):
        row(name, address, uscc, dt.date(2024, 5, 6) + dt.timedelta(days=30 * k), 8,
            texts=g.paraphrase(*base, strength=0.25), agency=agencies[1 % len(agencies)].name)
    family = [r["申请号"] for r in rows[first_of_family:]]
    # Off its business: years of machine tools (B23Q), then three filings in a field none of its patents is in
    # (pharmaceuticals, A61K, unless its own demo patents already are).
    for k in range(12):
        row(off_org.name, off_org.address, off_org.uscc, dt.date(2019, 3, 1) + dt.timedelta(days=130 * k), 4)
    for k in range(3):
        row(off_org.name, off_org.address, off_org.uscc, dt.date(2025, 6, 2) + dt.timedelta(days=11 * k),
            _foreign_domain(off_org, synthetic.DOMAINS, preferred=1))
    return rows, family


@demo_step(86, "非正常专利申请筛查：筛查结果待复核")
def abnormal(ctx: DemoContext) -> None:
    from ipcity.abnormal import actions
    from ipcity.abnormal.models import AbnormalFlag, ScreeningRun
    from ipcity.ipdata.importing import import_patents
    from ipcity.ipdata.models import Patent
    from ipcity.jobs.runner import claim, run_job

    if ScreeningRun.objects.filter(is_demo=True).exists():
        return
    if len([k for k in ctx.orgs if k.startswith("enterprise:")]) < 3 or not any(
            k.startswith("agency:") for k in ctx.orgs):
        return
    rows, family = _rows(ctx)
    numbers = [r["申请号"] for r in rows]
    if not Patent.objects.filter(application_number__in=numbers).exists():
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "示例数据-非正常申请线索.csv"
            with path.open("w", encoding="utf-8-sig", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=list(MAPPING.values()))
                writer.writeheader()
                writer.writerows(rows)
            batch = import_patents(path, acting_user=ctx.acting_user, source_format="generic", mapping=MAPPING)
        Patent.objects.filter(application_number__in=numbers).update(is_demo=True)
        ctx.count("patents", batch.created)
    run = actions.start_screening(acting_user=ctx.acting_user, region=ctx.city, is_demo=True)
    job = claim(run.job_id)
    if job is not None:
        run_job(job)
    run.refresh_from_db()
    ctx.count("abnormal_flags", run.new_flags)
    staff = ctx.users.get("staff")
    # The family is flagged once per applicant; staff confirm the enterprise's flag (its two rewrites of its own
    # text) and leave the newcomer's to review.
    flag = (AbnormalFlag.objects.filter(first_run=run, kind=AbnormalFlag.Kind.DUPLICATE, organisation__isnull=False,
                                        patents__application_number=family[1]).order_by("pk").first())
    if staff is not None and flag is not None:
        actions.review_flag(flag, acting_user=staff, confirm=True,
                            reason="示例：该企业的申请与近似组内其他申请的权利要求与摘要实质相同，仅作同义改写，确认为非正常专利申请")
