"""Demo data for credit supervision, through the same actions staff use: records collected from the protection
demo's effective penalty decisions, hand-entered records (a court judgment finding wilful infringement, commitments
kept and broken, an agency violation, a bad-faith trademark filing, an earlier penalty of another office), an
enterprise listed on the 严重违法失信名单 through the whole approval chain, and a repair application waiting for
review. Rerunning finds what it made (by document number) and creates nothing twice."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ipcity.demo.generator import DemoContext, demo_step

PREFIX = "示例信用"


def _doc(n: int) -> str:
    return f"{PREFIX}〔2026〕{n}号"


@demo_step(85, "信用监管：信用记录、严重违法失信名单与信用修复")
def credit(ctx: DemoContext) -> None:
    from ipcity.credit import actions
    from ipcity.credit.collect import collect_from_protection
    from ipcity.credit.models import CollectionRun, CreditRecord, RepairApplication, SeriousListing
    from ipcity.orgs.models import Organisation

    staff, district, leader = (ctx.users.get(k) for k in ("staff", "district", "leader"))
    enterprise_user = ctx.users.get("enterprise")
    if None in (staff, district, leader, enterprise_user):
        return
    run = collect_from_protection(acting_user=ctx.acting_user, trigger=CollectionRun.Trigger.DEMO, is_demo=True)
    if run is not None:
        ctx.count("credit_records", run.total_created)

    home = district.organisation.region
    enterprises = [o for k, o in sorted(ctx.orgs.items()) if o.kind == Organisation.Kind.ENTERPRISE]
    local = [o for o in enterprises if o.region_id == home.code and o.pk != enterprise_user.organisation_id]
    others = [o for o in enterprises if o.pk != enterprise_user.organisation_id]
    agencies = [o for k, o in sorted(ctx.orgs.items()) if o.kind == Organisation.Kind.SERVICE_AGENCY]
    if not local or len(others) < 3:
        return
    today = timezone.localdate()
    ago = lambda n: today - dt.timedelta(days=n)  # noqa: E731

    def entered(n: int, **fields):
        existing = CreditRecord.objects.filter(is_demo=True, document_number=_doc(n), kind=fields["kind"]).first()
        if existing is not None:
            return existing
        ctx.count("credit_records")
        return actions.enter_record(acting_user=fields.pop("by", staff), document_number=_doc(n), is_demo=True,
                                    **fields)

    listed = local[0]
    court = next((o for o in ctx.orgs.values() if o.kind == Organisation.Kind.COURT), None)
    entered(1, kind="judgment", subject=listed, occurred_on=ago(420), decided_on=ago(210), effective_on=ago(190),
            summary="人民法院生效判决认定该公司侵犯发明专利权，判令停止侵权、赔偿损失 50 万元。",
            is_public=True, public_summary=f"{_doc(1)}：经人民法院生效判决认定侵犯专利权。", by=district, issuer=court)
    entered(2, kind="wilful_infringement", subject=listed, occurred_on=ago(420), effective_on=ago(190),
            summary="同一判决认定其在收到警告函后继续生产销售，属故意侵权，适用惩罚性赔偿。",
            is_public=True, public_summary=f"{_doc(2)}：经人民法院生效判决认定故意侵犯专利权。", by=district,
            issuer=court)
    kept = entered(3, kind="commitment", subject=others[0], occurred_on=ago(200), commitment_due_on=ago(20),
                   summary="承诺在申请专利资助时如实申报，不提交非正常专利申请。")
    if kept.commitment_kept is None:
        actions.settle_commitment(kept, acting_user=staff, kept=True, note="经核查，承诺期内如实申报。", on=ago(10))
    broken = entered(4, kind="commitment", subject=others[1], occurred_on=ago(150), commitment_due_on=ago(30),
                     summary="承诺在 3 个月内完成展会侵权展品的撤展和销毁。")
    if broken.commitment_kept is None:
        actions.settle_commitment(broken, acting_user=staff, kept=False, note="复查时侵权展品仍在销售。", on=ago(25))
    entered(5, kind="bad_faith_trademark", subject=others[2], occurred_on=ago(90), effective_on=ago(60),
            summary="商标局认定其大量申请注册与他人知名商标相同的商标，不以使用为目的。")
    if agencies:
        entered(6, kind="agency_violation", subject=agencies[0], occurred_on=ago(120), effective_on=ago(100),
                summary="代理机构未经委托人同意以其名义提交专利申请，已责令整改。")
    mine = entered(7, kind="penalty", subject=enterprise_user.organisation, occurred_on=ago(260),
                   decided_on=ago(250), effective_on=ago(245),
                   summary="外地市场监督管理局作出的行政处罚：假冒专利，罚款 3000 元（已履行）。",
                   is_public=True, public_summary=f"{_doc(7)}：假冒专利，责令改正并处罚款 3000 元。")

    if not SeriousListing.objects.filter(subject=listed, is_demo=True).exists():
        item = actions.propose_listing(listed, acting_user=district, is_demo=True,
                                       proposal="该公司经生效判决认定故意侵犯专利权，符合列入标准，提请列入严重违法失信名单。")
        actions.decide_step(item, acting_user=staff, approve=True, opinion="事实清楚，证据充分，同意列入。")
        actions.decide_step(item, acting_user=leader, approve=True, opinion="同意。")
        ctx.count("credit_listings")
    applied = RepairApplication.objects.filter(record=mine, is_demo=True).exists()
    if not applied and actions.repair_problem(mine) is None:
        actions.apply_repair(acting_user=enterprise_user, record_=mine, is_demo=True,
                             reason="已全额缴纳罚款，已更正全部产品包装上的专利标识，并建立了专利标识审核制度。",
                             pledge="本公司承诺今后依法规范标注专利标识，如有违反，愿意承担相应法律责任。")
        ctx.count("credit_repairs")
