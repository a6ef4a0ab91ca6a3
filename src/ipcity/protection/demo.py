"""Demo data for protection: complaints and reports from the public, a platform and a trade-fair desk, at every stage
so far — waiting (some overdue), accepted, refused on a statutory ground, closed — through the same actions staff
use."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ipcity.demo.generator import DemoContext, demo_step

SCENARIOS = 24
STAGES = ("received", "accepted", "not_accepted", "closed", "report", "both")
IP_TYPES = ("patent_infringement", "trademark", "counterfeit_patent", "copyright", "geographical_indication")
FACTS = {
    "patent_infringement": "被投诉人未经许可，制造、销售落入我方专利保护范围的产品，已公证购买取证。",
    "trademark": "被投诉人在同一种商品上使用与我方注册商标相同的标志，易使消费者混淆。",
    "counterfeit_patent": "产品包装标注的专利号实为他人已终止的专利，涉嫌假冒专利。",
    "copyright": "网店未经许可使用我方享有著作权的产品图片和说明文字。",
    "geographical_indication": "非授权使用人在产品上使用地理标志专用标志。",
}


@demo_step(80, "知识产权保护：投诉举报（受理、不予受理、办结等各个阶段）")
def protection(ctx: DemoContext) -> None:
    from ipcity.core.validators import compute_application_check_digit
    from ipcity.demo import synth
    from ipcity.orgs.models import Organisation
    from ipcity.protection import actions
    from ipcity.protection.intake import RightInput, SubmissionInput
    from ipcity.protection.models import Submission

    enterprises = [o for k, o in sorted(ctx.orgs.items()) if o.kind == Organisation.Kind.ENTERPRISE]
    handlers = {u.organisation.region_id: u for u in ctx.users.values() if u.role == "district_staff"}
    city_staff = ctx.users.get("staff")
    now = timezone.now()
    for i in range(SCENARIOS):
        reference = f"演示-{i + 1:03d}"
        if Submission.objects.filter(is_demo=True, external_reference=reference).exists():
            continue
        rng = ctx.rng_for(f"protection:{i}")
        stage = STAGES[i % len(STAGES)]
        ip_type = IP_TYPES[i % len(IP_TYPES)]
        respondent = enterprises[i % len(enterprises)] if enterprises else None
        shop = i % 4 == 1
        body = f"20{rng.randint(15, 24)}1{rng.randint(0, 9999999):07d}"
        kinds = {"report": ["report"], "both": ["complaint", "report"]}.get(stage, ["complaint"])
        data = SubmissionInput(
            kinds=kinds, ip_type=ip_type, submitter_type="person",
            respondent_kind="online_shop" if shop else "enterprise",
            respondent_name=(f"{respondent.name[:6]}旗舰店" if shop else respondent.name) if respondent else "某公司",
            respondent_uscc="" if shop or respondent is None else (respondent.uscc or ""),
            respondent_platform="示例电商平台" if shop else "", respondent_shop_id=str(10000 + i) if shop else "",
            facts=FACTS[ip_type], demands="请求依法处理。", external_reference=reference,
            submitter_name=synth.person_name(rng), submitter_phone=synth.mobile(rng),
            rights=[RightInput("patent", f"CN{body}.{compute_application_check_digit(body)}")]
            if ip_type in ("patent_infringement", "counterfeit_patent") else
            [RightInput("trademark", str(rng.randint(1_000_000, 69_999_999)))],
        )
        region = respondent.region if respondent is not None else ctx.city
        received = now - dt.timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 8))
        submission, _ = actions.submit(data, acting_user=ctx.acting_user, channel="platform" if shop else "web",
                                       region=region, is_demo=True, received_at=received)
        ctx.count("protection_submissions")
        handler = handlers.get(region.code) or city_staff
        complaint = submission.matters.filter(kind="complaint").first()
        if complaint is None or stage == "received":
            continue
        if stage == "not_accepted":
            actions.decide_complaint(complaint, acting_user=handler, accept=False, ground="already_handled")
            continue
        actions.decide_complaint(complaint, acting_user=handler, accept=True, track="simple")
        if stage in ("closed", "both"):
            actions.close_matter(complaint, acting_user=handler, outcome="经调解双方达成和解，被投诉人停止销售并下架相关商品。")
