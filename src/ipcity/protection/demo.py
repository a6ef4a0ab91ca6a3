"""Demo data for protection: complaints and reports from the public and a platform at every stage — waiting (some
overdue), accepted, refused on a statutory ground, mediating, mediated with 司法确认, referred to the police, opened as
a case, decided and published (against an enterprise and against a natural person), closed, taken as a 行政裁决
dispute — through the same actions staff use; and 维权援助 requests."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ipcity.demo.generator import DemoContext, demo_step

SCENARIOS = 39
STAGES = ("received", "accepted", "not_accepted", "closed", "report", "both", "mediating", "mediated", "referred",
          "case_open", "published_enterprise", "published_person", "dispute")
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
    from ipcity.protection import registration
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
        kinds = {"report": ["report"], "both": ["complaint", "report"], "case_open": ["report"],
                 "published_enterprise": ["report"], "published_person": ["report"]}.get(stage, ["complaint"])
        if stage.startswith(("case", "published")):
            ip_type, shop = "counterfeit_patent", False
        elif stage == "dispute":
            ip_type = "patent_infringement"
        person = stage == "published_person"
        data = SubmissionInput(
            kinds=kinds, ip_type=ip_type, submitter_type="person",
            respondent_kind="person" if person else "online_shop" if shop else "enterprise",
            respondent_name="王某某" if person else (f"{respondent.name[:6]}旗舰店" if shop else respondent.name)
            if respondent else "某公司",
            respondent_uscc="" if shop or person or respondent is None else (respondent.uscc or ""),
            respondent_platform="示例电商平台" if shop else "", respondent_shop_id=str(10000 + i) if shop else "",
            facts=FACTS[ip_type], demands="请求依法处理。", external_reference=reference,
            submitter_name=synth.person_name(rng), submitter_phone=synth.mobile(rng),
            rights=[RightInput("patent", f"CN{body}.{compute_application_check_digit(body)}")]
            if ip_type in ("patent_infringement", "counterfeit_patent") else
            [RightInput("trademark", str(rng.randint(1_000_000, 69_999_999)))],
        )
        region = respondent.region if respondent is not None else ctx.city
        received = now - dt.timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 8))
        submission, _ = registration.submit(data, acting_user=ctx.acting_user, channel="platform" if shop else "web",
                                       region=region, is_demo=True, received_at=received)
        ctx.count("protection_submissions")
        handler = handlers.get(region.code) or city_staff
        _advance(ctx, submission, stage, handler, i)
    _assistance(ctx)


def _advance(ctx: DemoContext, submission, stage: str, handler, i: int) -> None:
    from ipcity.protection import actions, handling
    from ipcity.protection.assignment import assign_matter

    complaint = submission.matters.filter(kind="complaint").first()
    report = submission.matters.filter(kind="report").first()
    if complaint is not None and stage == "dispute":
        from ipcity.protection import adjudication

        adj = adjudication.accept_as_dispute(complaint, acting_user=handler)
        adjudication.serve_copy(adj, acting_user=handler)
        return
    if complaint is not None and stage != "received":
        if stage == "not_accepted":
            actions.decide_complaint(complaint, acting_user=handler, accept=False, ground="already_handled")
            return
        actions.decide_complaint(complaint, acting_user=handler, accept=True, track="simple")
        # 交办: the handler takes it on by name (their own office: a district office, or the city's section).
        assign_matter(complaint, acting_user=handler, office=handler.organisation, assignee=handler)
        if stage in ("closed", "both"):
            actions.close_matter(complaint, acting_user=handler, outcome="被投诉人停止销售并下架相关商品，投诉人表示满意。")
        elif stage in ("mediating", "mediated"):
            complaint.refresh_from_db()
            mediation = handling.start_mediation(complaint, acting_user=handler, mediator="知识产权纠纷人民调解委员会")
            if stage == "mediated":
                handling.end_mediation(mediation, acting_user=handler, result="agreed",
                                       agreement="被投诉人停止侵权并赔偿经济损失 2 万元。")
                handling.record_confirmation(mediation, acting_user=handler, stage="applied",
                                             on=timezone.localdate(), court="菏泽市中级人民法院")
        elif stage == "referred":
            police = _police(ctx)
            if police is not None:
                handling.refer_matter(complaint, acting_user=handler, to_org=police,
                                      reason="涉嫌销售假冒注册商标的商品，数额较大，涉嫌犯罪，依法移送。")
    if report is not None and stage in ("case_open", "published_enterprise", "published_person"):
        _case(ctx, report, stage, i)


def _police(ctx: DemoContext):
    return next((o for k, o in ctx.orgs.items() if k == "member:公安"), None)


def _officers(ctx: DemoContext) -> list:
    """The demo's officer and city staff member, each with an enforcement credential (made once)."""
    from ipcity.protection.models import EnforcementCredential

    officers = [u for u in (ctx.users.get("officer"), ctx.users.get("staff")) if u is not None]
    today = timezone.localdate()
    for n, user in enumerate(officers, 1):
        if not EnforcementCredential.objects.filter(user=user).exists():
            EnforcementCredential.objects.create(user=user, number=f"鲁执法（演示）{n:05d}", issuer="示例市人民政府",
                                                 valid_from=today - dt.timedelta(days=365),
                                                 valid_until=today + dt.timedelta(days=3 * 365))
    return officers


def _case(ctx: DemoContext, report, stage: str, i: int) -> None:
    from decimal import Decimal

    from ipcity.protection import cases

    officers = _officers(ctx)
    if len(officers) < 2:
        return
    officer, reviewer = officers
    case = cases.decide_lead(report, acting_user=officer, file=True, officers=officers, cause="涉嫌假冒专利")
    cases.add_record(case, acting_user=officer, kind="inspection", text="现场检查经营场所，提取涉案产品样品 3 件并拍照。")
    if stage == "case_open":
        return
    from ipcity.demo import synth

    person = stage == "published_person"
    name = "王某某" if person else report.respondent_name
    rng = ctx.rng_for(f"protection:party:{i}")
    text = (f"当事人：{name}，" + (f"身份证号码：{synth.resident_id(rng, ctx.districts[0].code)}，"
                                  f"住址：{ctx.city.name}示例路 8 号，联系电话：{synth.mobile(rng)}。"
                                  if person else f"住所：{ctx.city.name}示例路 1 号。")
            + "经查，当事人在其销售的产品包装上标注已终止的专利号，构成假冒专利行为。上述事实有现场检查笔录、"
              "证人张某某的证言等证据证明。依据《中华人民共和国专利法》第六十八条，决定责令改正并予公告，"
              "没收违法所得，并处罚款 5000 元。")
    decision = cases.decide_case(case, acting_user=officer, document_number=f"示例市监处罚〔2026〕{100 + i}号",
                                 party_kind="natural_person" if person else "legal_person", party_name=name,
                                 violation="假冒专利", basis="《中华人民共和国专利法》第六十八条",
                                 penalty="责令改正并予公告，没收违法所得，并处罚款 5000 元", fine=Decimal("5000"),
                                 text=text)
    disclosure = cases.enter_disclosure(decision, acting_user=officer, extra_names="张某某")
    cases.sign_off_disclosure(disclosure, acting_user=reviewer)
    cases.record_service(decision, acting_user=officer, on=timezone.localdate(), how="直接送达")
    if not person:
        cases.record_execution(decision, acting_user=officer, on=timezone.localdate(), how="当事人已缴纳罚没款")
        cases.close_case(case, acting_user=officer)


ASSISTANCE = [("exhibition", "", "参加广交会期间被投诉展品侵犯他人专利，需要现场应对指导。", None),
              ("overseas", "美国", "收到美国国际贸易委员会 337 调查通知，需要应诉指导和律师推荐。", True),
              ("domestic", "", "竞争对手在电商平台销售仿冒我公司外观设计专利的产品，请求协助维权。", False)]


def _assistance(ctx: DemoContext) -> None:
    """维权援助: one request waiting for an officer (made before the enterprise had one), then the enterprise's
    officer named, and requests taken at once — one closed, one in progress."""
    from ipcity.protection import assistance
    from ipcity.protection.models import AssistanceRequest

    enterprise_user = ctx.users.get("enterprise")
    officer = ctx.users.get("district")
    if enterprise_user is None or officer is None or AssistanceRequest.objects.filter(is_demo=True).exists():
        return
    for kind, country, text, closed in ASSISTANCE:
        if closed is not None and assistance.officer_for(enterprise_user.organisation) is None:
            assistance.assign_officer(enterprise_user.organisation, officer, acting_user=ctx.acting_user)
        item = assistance.request_assistance(acting_user=enterprise_user, kind=kind, country=country,
                                             description=text, is_demo=True)
        ctx.count("assistance_requests")
        if closed is None:
            continue
        assistance.note_assistance(item, acting_user=officer, text="已与企业沟通案情，收集证据材料。")
        if closed:
            assistance.close_assistance(item, acting_user=officer, outcome="已推荐海外维权律师并协助企业完成应诉准备。")
