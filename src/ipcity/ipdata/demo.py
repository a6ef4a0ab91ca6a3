"""Demo data for the data hub: synthetic patents of the demo city's enterprises (through the real import pipeline),
trademarks, geographical indications, copyright registrations and enterprise recognitions (through the register
templates). Everything is marked 示例数据 and reproducible from the seed; reruns change nothing."""
from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from ipcity.demo.generator import DemoContext, demo_step
from ipcity.ipdata.models import CopyrightRegistration, EnterpriseFlag, GeographicalIndication, Trademark
from ipcity.ipdata.registers import SPECS, import_register
from ipcity.orgs.models import Organisation

GI_PRODUCTS = ["芦笋", "牡丹", "山药", "黄河鲤鱼", "木瓜", "大蒜", "芝麻", "桑皮纸"]
MARK_WORDS = ["牡丹红", "鲁西", "曹州", "古韵", "丰源", "润和", "菏香", "金蕾"]


def _enterprises(ctx: DemoContext) -> list[Organisation]:
    return [org for key, org in sorted(ctx.orgs.items()) if key.startswith("enterprise:")]


def _write(path: Path, name: str, rows: list[dict]) -> None:
    headers = [c.header for c in SPECS[name].columns]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=headers)
        writer.writeheader()
        writer.writerows(rows)


@demo_step(70, "商标、地理标志、著作权与企业认定")
def registers(ctx: DemoContext) -> None:
    enterprises = _enterprises(ctx)
    if not enterprises or Trademark.objects.filter(is_demo=True).exists():
        return  # made before: a rerun must not even open new import batches
    rng = ctx.rng_for("registers")
    marks, gis, works, flags = [], [], [], []
    for i, org in enumerate(enterprises):
        marks.append({"注册号": f"{50000000 + rng.randrange(0, 9_000_000)}", "商标名称": f"{rng.choice(MARK_WORDS)}{i}",
                      "尼斯分类": f"{rng.randrange(1, 46)}", "注册人": org.name, "状态": "已注册",
                      "驰名商标": "是" if i == 0 else "否", "注册日": f"{2015 + i % 9}-0{1 + i % 9}-15",
                      "所在区划代码": org.region_id})
        works.append({"登记号": f"2024SR{rng.randrange(1000000, 9999999)}", "作品/软件名称": f"{org.short_name or org.name[:6]}管理系统V{1 + i % 3}.0",
                      "登记类型": "计算机软件著作权登记", "著作权人": org.name, "登记日期": f"2024-0{1 + i % 9}-20",
                      "所在区划代码": org.region_id})
        if i % 3 == 0:
            flags.append({"企业名称或统一社会信用代码": org.uscc, "认定": "高新技术企业", "有效期自": "2023-12-01",
                          "有效期至": "2026-11-30", "证书编号": f"GR2023370{rng.randrange(10000, 99999)}"})
    for i, district in enumerate(ctx.districts[: len(GI_PRODUCTS)]):
        gis.append({"产品名称": f"{district.name[:2]}{GI_PRODUCTS[i]}", "类型": "地理标志证明商标" if i % 2 else "地理标志产品",
                    "批准文号/注册号": f"GI{ctx.city.code}{i:03d}", "批准日期": f"20{10 + i}-06-18",
                    "保护区域代码": district.code})
    with tempfile.TemporaryDirectory() as tmp:
        for name, rows in (("trademarks", marks), ("gis", gis), ("copyrights", works), ("enterprise_flags", flags)):
            if not rows:
                continue
            path = Path(tmp) / f"示例数据-{SPECS[name].label}.csv"
            _write(path, name, rows)
            batch = import_register(name, path, acting_user=ctx.acting_user)
            ctx.count(name, batch.created)
    # Mark what this step made as 示例数据 (the templates have no such column: it is not a user-facing field).
    Trademark.objects.filter(registration_number__in=[m["注册号"] for m in marks]).update(is_demo=True)
    CopyrightRegistration.objects.filter(registration_number__in=[w["登记号"] for w in works]).update(is_demo=True)
    GeographicalIndication.objects.filter(approval_number__in=[g["批准文号/注册号"] for g in gis]).update(is_demo=True)
    EnterpriseFlag.objects.filter(organisation__in=enterprises).update(is_demo=True)


PATENT_MAPPING = {"application_number": "申请号", "publication_number": "公开（公告）号", "application_date": "申请日",
                  "publication_date": "公开（公告）日", "grant_date": "授权公告日", "title": "名称", "abstract": "摘要",
                  "ipc": "IPC 分类号", "applicants": "申请人", "inventors": "发明人", "applicant_address": "第一申请人地址",
                  "applicant_uscc": "第一申请人统一社会信用代码", "legal_status": "法律状态"}


@demo_step(65, "专利（经真实导入流程入库并归属到县区和企业）")
def patents(ctx: DemoContext) -> None:
    from ipcity.demo import synth
    from ipcity.ipdata.importing import import_patents
    from ipcity.ipdata.models import Patent

    enterprises = _enterprises(ctx)
    if not enterprises or Patent.objects.filter(is_demo=True).exists():
        return
    rows, numbers = [], []
    for org in enterprises:
        rng = ctx.rng_for(f"patents:{org.name}")
        for _ in range(rng.randrange(3, 9)):
            type_digit = rng.choice([1, 1, 2, 2, 3])
            year = rng.randrange(2016, 2026)
            number = synth.application_number(rng, year, type_digit)
            # the varied generator: the short one's single template made same-subject patents near-copies, which
            # the abnormal-filing screening rightly flagged by the dozen
            title, abstract, ipcs = synth.patent_text_long(rng)
            ipc = ipcs[0]  # one main technology per patent, so that an enterprise keeps a recognisable profile
            applied = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 28):02d}"
            granted = type_digit != 1 or rng.random() < 0.5
            serial = f"{type_digit}{rng.randrange(0, 10**8):08d}"
            kind = {1: "B" if granted else "A", 2: "U", 3: "S"}[type_digit]
            pub_year = min(year + (2 if type_digit == 1 else 1), 2026)
            rows.append({"申请号": number, "公开（公告）号": f"CN{serial}{kind}", "申请日": applied,
                         "公开（公告）日": f"{pub_year}-06-15", "授权公告日": f"{pub_year}-06-15" if granted else "",
                         "名称": title, "摘要": abstract, "IPC 分类号": ipc, "申请人": org.name,
                         "发明人": f"{synth.person_name(rng)};{synth.person_name(rng)}", "第一申请人地址": org.address,
                         "第一申请人统一社会信用代码": org.uscc or "", "法律状态": "有效" if granted else "实质审查"})
            numbers.append(number)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "示例数据-专利.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(PATENT_MAPPING.values()))
            writer.writeheader()
            writer.writerows(rows)
        batch = import_patents(path, acting_user=ctx.acting_user, source_format="generic", mapping=PATENT_MAPPING)
    Patent.objects.filter(application_number__in=numbers).update(is_demo=True)
    ctx.count("patents", batch.created)
