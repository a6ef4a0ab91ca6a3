"""The synthetic demo data set: one city, its districts and counties, its IP office, the leading group's
member departments, enterprises, agencies, courts, contacts and one account per role.

Reproducible from a seed; every record is marked is_demo (示例数据); running it twice changes nothing
(records are found by natural keys before anything is created). Later modules add their own steps with
`@demo_step(order)`; each step receives the DemoContext and a progress callback.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from ipcity.accounts import actions as account_actions
from ipcity.accounts.models import User
from ipcity.accounts.roles import Role
from ipcity.demo import synth
from ipcity.demo.rules import DEMO_PASSWORD  # noqa: F401  (re-exported: the CLI and tests read it here)
from ipcity.orgs import actions as org_actions
from ipcity.orgs.models import Contact, Organisation
from ipcity.regions.models import Region

MEMBER_DEPARTMENTS = [
    ("市公安局", "公安"), ("市中级人民法院", "法院"), ("市人民检察院", "检察院"), ("市司法局", "司法"),
    ("市发展和改革委员会", "发改"), ("市科学技术局", "科技"), ("市工业和信息化局", "工信"), ("市财政局", "财政"),
    ("市农业农村局", "农业农村"), ("市文化和旅游局", "文广旅"), ("市商务局", "商务"), ("海关", "海关"),
    ("市地方金融管理局", "金融"), ("市教育局", "教育"), ("市人力资源和社会保障局", "人社"),
]
CITY_SECTIONS = ["知识产权促进科", "知识产权保护科", "知识产权运用科", "综合执法支队"]


@dataclass
class DemoContext:
    seed: int
    city: Region
    districts: list[Region]
    acting_user: User | None
    enterprises_per_district: int
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)

    def rng_for(self, key: str) -> random.Random:
        """A generator per record: its values depend only on the seed and the record's key, so a rerun (or a
        run after a step was added) draws the same values and finds the records it made before."""
        return random.Random(f"{self.seed}:{key}")

    def count(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n


_steps: list[tuple[int, str, Callable[[DemoContext], None]]] = []


def demo_step(order: int, title: str):
    def decorator(func):
        _steps.append((order, title, func))
        _steps.sort(key=lambda s: s[0])
        return func

    return decorator


def _org(ctx: DemoContext, key: str, **fields) -> Organisation:
    existing = Organisation.objects.filter(name=fields["name"], region=fields["region"]).first()
    if existing is None:
        existing = org_actions.create_organisation(acting_user=ctx.acting_user, is_demo=True, **fields)
        ctx.count("organisations")
    ctx.orgs[key] = existing
    return existing


@demo_step(10, "市局、科室与领导小组成员单位")
def government(ctx: DemoContext) -> None:
    city = ctx.city
    office = _org(ctx, "city_office", name=f"{city.name}市场监督管理局（知识产权局）", short_name="市知识产权局",
                  kind=Organisation.Kind.CITY_OFFICE, region=city, in_leading_group=True,
                  uscc=synth.uscc_code(ctx.rng_for("city_office"), city.code, "government"))
    for section in CITY_SECTIONS:
        _org(ctx, f"section:{section}", name=f"{office.short_name}{section}", kind=Organisation.Kind.CITY_SECTION,
             region=city, parent=office)
    for name, short in MEMBER_DEPARTMENTS:
        full = f"{city.name}{name[1:]}" if name.startswith("市") else f"{city.name[:-1]}{name}"
        kind = Organisation.Kind.COURT if short == "法院" else Organisation.Kind.MEMBER_DEPARTMENT
        _org(ctx, f"member:{short}", name=full, short_name=short, kind=kind, region=city, in_leading_group=True,
             uscc=synth.uscc_code(ctx.rng_for(f"member:{short}"), city.code, "government"))
    _org(ctx, "mediation", name=f"{city.name}知识产权纠纷人民调解委员会", kind=Organisation.Kind.MEDIATION_BODY,
         region=city, uscc=synth.uscc_code(ctx.rng_for("mediation"), city.code, "social"))


@demo_step(20, "县区市场监督管理局")
def districts(ctx: DemoContext) -> None:
    for district in ctx.districts:
        _org(ctx, f"district:{district.code}", name=f"{district.name}市场监督管理局",
             kind=Organisation.Kind.DISTRICT_OFFICE, region=district, parent=ctx.orgs["city_office"],
             uscc=synth.uscc_code(ctx.rng_for(f"district:{district.code}"), district.code, "government"))


@demo_step(30, "企业、服务机构与高校院所")
def enterprises(ctx: DemoContext) -> None:
    used: set[str] = set()  # the same draws every run, so existing records are found by name
    province = ctx.city.parent.name if ctx.city.parent else ""
    for district in ctx.districts:
        for i in range(ctx.enterprises_per_district):
            key = f"enterprise:{district.code}:{i}"
            rng = ctx.rng_for(key)
            name = synth.enterprise_name(rng, ctx.city.name[:2], used)
            code = synth.uscc_code(rng, district.code)
            address = synth.street_address(rng, province, ctx.city.name, district.name)
            _org(ctx, key, name=name, kind=Organisation.Kind.ENTERPRISE,
                 region=district, uscc=code, address=address)
    for i, name in enumerate(["知识产权代理事务所（普通合伙）", "专利商标事务所有限公司", "知识产权运营服务有限公司"]):
        district = ctx.districts[i % len(ctx.districts)]
        _org(ctx, f"agency:{i}", name=f"{ctx.city.name[:2]}{synth.ENTERPRISE_WORDS[i]}{name}",
             kind=Organisation.Kind.SERVICE_AGENCY, region=district,
             uscc=synth.uscc_code(ctx.rng_for(f"agency:{i}"), district.code))
    _org(ctx, "university", name=f"{ctx.city.name[:2]}学院", kind=Organisation.Kind.RESEARCH_INSTITUTE,
         region=ctx.districts[0], uscc=synth.uscc_code(ctx.rng_for("university"), ctx.districts[0].code, "institution"))


@demo_step(40, "联系人（加密存储的个人信息）")
def contacts(ctx: DemoContext) -> None:
    province = ctx.city.parent.name if ctx.city.parent else ""
    for key in sorted(ctx.orgs):
        org = ctx.orgs[key]
        if org.kind not in (Organisation.Kind.ENTERPRISE, Organisation.Kind.SERVICE_AGENCY):
            continue
        rng = ctx.rng_for(f"contact:{key}")
        name = synth.person_name(rng)
        if Contact.objects.filter(organisation=org, name=name).exists():
            continue
        org_actions.create_contact(acting_user=ctx.acting_user, organisation=org, is_demo=True, name=name,
                                   position=rng.choice(["知识产权专员", "法务经理", "总经理", "研发总监"]),
                                   phone=synth.mobile(rng), id_number=synth.resident_id(rng, org.region_id),
                                   address=synth.street_address(rng, province, ctx.city.name, org.region.name))
        ctx.count("contacts")


# username → (role, organisation key, display name)
DEMO_ACCOUNTS = {
    "admin": (Role.SYSADMIN, "city_office", "系统管理员"),
    "auditor": (Role.AUDITOR, "city_office", "审计管理员"),
    "leader": (Role.CITY_LEADER, "city_office", "市局领导"),
    "staff": (Role.CITY_STAFF, "section:知识产权保护科", "市局业务人员"),
    "liaison": (Role.MEMBER_LIAISON, "member:公安", "成员单位联络员"),
    "district": (Role.DISTRICT_STAFF, None, "县区工作人员"),
    "officer": (Role.ENFORCEMENT_OFFICER, "section:综合执法支队", "执法人员"),
    "enterprise": (Role.ENTERPRISE_USER, None, "企业用户"),
    "agency": (Role.AGENCY_USER, "agency:0", "服务机构用户"),
    "expert": (Role.EXPERT, "university", "专家"),
}


def demo_account_org(ctx: DemoContext, key: str | None, role: Role) -> Organisation:
    if key is not None:
        return ctx.orgs[key]
    district = ctx.districts[0]
    if role == Role.DISTRICT_STAFF:
        return ctx.orgs[f"district:{district.code}"]
    return ctx.orgs[f"enterprise:{district.code}:0"]


@demo_step(50, "演示账户（每个角色一个）")
def accounts(ctx: DemoContext) -> None:
    password = DEMO_PASSWORD.get()
    for username, (role, key, label) in DEMO_ACCOUNTS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = account_actions.create_user(
                acting_user=ctx.acting_user, username=username, role=role, password=password,
                organisation=demo_account_org(ctx, key, role), display_name=f"{label}（演示）", is_demo=True)
            ctx.count("users")
        ctx.users[username] = user


def run(*, acting_user=None, city_code: str, seed: int = 2026, enterprises_per_district: int = 6,
        progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Generate (or complete) the demo data set. Each step is its own transaction via its actions."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("demo")  # each app's demo.py adds its @demo_step
    city = Region.objects.select_related("parent").get(code=city_code)
    if city.level != Region.Level.CITY:
        raise ValueError(f"{city_code} 不是地级行政区划代码")
    ctx = DemoContext(seed=seed, city=city,
                      districts=list(Region.objects.filter(parent=city).order_by("code")),
                      acting_user=acting_user, enterprises_per_district=enterprises_per_district)
    if not ctx.districts:
        raise ValueError(f"{city.name} 没有下辖县区数据")
    for index, (_, title, step) in enumerate(_steps):
        if progress:
            progress(index, len(_steps), title)
        step(ctx)
    if progress:
        progress(len(_steps), len(_steps), "完成")
    return {"city": city.name, "districts": len(ctx.districts), "created": ctx.created,
            "accounts": {u: DEMO_ACCOUNTS[u][0].label for u in ctx.users}}
