"""Demo data for analytics: a small *example* SEI concordance (clearly not the official one, which an office loads
with `ipcity analytics load-sei`), pledge and award registrations for some demo invention patents, and population
figures for the demo city and its districts — all through the same loaders and templates users have."""
from __future__ import annotations

import csv
import json
import tempfile
from decimal import Decimal
from pathlib import Path

from ipcity.demo.generator import DemoContext, demo_step

# Rules in the official file format, over the IPC codes the demo patents use (demo.synth.PATENT_IPC).
DEMO_SEI_RULES = [
    (1, "4.1", "生物医药产业", None, ["A61K9/00", "A61K36/00", "A61L15/00"]),
    (2, "5.2", "新能源汽车装置、配件制造", "动力电池正极材料、锂离子电池制造。", ["H01M4/00", "H01M4/525"]),
    (3, "1.5", "人工智能", None, ["G10L21/00", "G10L21/02", "G06T7/00"]),
    (4, "6.3", "太阳能产业", None, ["H02S40/00", "H02S40/10"]),
    (5, "7.2", "先进环保产业", None, ["C02F1/44"]),
    (6, "2.1", "智能制造装备产业", "数控机床、智能仓储机器人等智能装备制造。", ["B23Q5/00", "B65G1/137"]),
    (7, "8.1", "数字创意技术设备制造", "虚拟现实头戴显示设备制造。", ["G02B27/01"]),
]
DEMO_SEI_NAME = "示例对照表（演示数据，非官方）"


def _write(path: Path, name: str, rows: list[dict]) -> None:
    from ipcity.ipdata.registers import SPECS

    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=[c.header for c in SPECS[name].columns])
        writer.writeheader()
        writer.writerows(rows)


@demo_step(75, "统计分析：示例战略性新兴产业对照表、质押与获奖登记、人口")
def analytics(ctx: DemoContext) -> None:
    from ipcity.analytics.actions import load_sei_table
    from ipcity.analytics.models import SeiTable
    from ipcity.ipdata.models import Patent, PatentAward, PatentPledge
    from ipcity.ipdata.registers import import_register
    from ipcity.regions.models import Population

    if not SeiTable.objects.exists():  # never replaces a table an office loaded
        rules = "\n".join(json.dumps({"id": i, "seiCode": code, "seiName": name, "keywords": kw}, ensure_ascii=False)
                          for i, code, name, kw, _ in DEMO_SEI_RULES).encode()
        mapping = "\n".join(json.dumps({"ipcCode": c, "seiId": i}) for i, *_, codes in DEMO_SEI_RULES
                            for c in codes).encode()
        table = load_sei_table(rules, mapping, name=DEMO_SEI_NAME, acting_user=ctx.acting_user)
        SeiTable.objects.filter(pk=table.pk).update(is_demo=True)
        ctx.count("sei_tables")
    if PatentPledge.objects.filter(is_demo=True).exists():
        return  # made before
    inventions = list(Patent.objects.filter(is_demo=True, patent_type="发明", legal_status="有效")
                      .order_by("application_number").values_list("application_number", "first_applicant",
                                                                   "region_id"))
    rng = ctx.rng_for("analytics")
    pledges, awards = [], []
    for i, (number, applicant, region) in enumerate(inventions[::3]):
        amount = Decimal(rng.choice([300, 500, 800, 1200, 1500, 2000, 3000]))
        pledges.append({"登记号": f"Y{2021 + i % 5}{ctx.city.code}{i:05d}", "申请号": number, "出质人": applicant,
                        "质权人": rng.choice(["中国工商银行", "中国建设银行", "中国农业银行", "齐鲁银行"]) + f"{ctx.city.name}分行",
                        "质押金额（万元）": str(amount), "登记日": f"{2021 + i % 5}-0{1 + i % 9}-12",
                        "所在区划代码": region or ""})
    for i, (number, applicant, _) in enumerate(inventions[1::7][:4]):
        awards.append({"申请号": number, "奖项": ["中国专利优秀奖", "中国专利银奖"][i % 2], "年份": str(2022 + i % 3),
                       "获奖单位": applicant})
    people = []
    bases = {d.code: Decimal(rng.randrange(350, 1500)) / 10 for d in ctx.districts}
    bases[ctx.city.code] = sum(bases.values())  # the city is the sum of its districts and counties
    for code, base in bases.items():
        for year in range(2020, 2026):
            value = (base * (1 + Decimal(year - 2020) * Decimal("0.004"))).quantize(Decimal("0.01"))
            people.append({"区划代码": code, "年份": str(year), "口径": "常住人口", "人口（万人）": str(value),
                           "来源": f"{year} 年国民经济和社会发展统计公报（示例）"})
            people.append({"区划代码": code, "年份": str(year), "口径": "户籍人口",
                           "人口（万人）": str((value * Decimal("1.08")).quantize(Decimal("0.01"))),
                           "来源": f"{year} 年统计年鉴（示例）"})
    with tempfile.TemporaryDirectory() as tmp:
        for name, rows in (("pledges", pledges), ("awards", awards), ("population", people)):
            if rows:
                path = Path(tmp) / f"示例数据-{name}.csv"
                _write(path, name, rows)
                ctx.count(name, import_register(name, path, acting_user=ctx.acting_user).created)
    PatentPledge.objects.filter(registration_number__in=[p["登记号"] for p in pledges]).update(is_demo=True)
    PatentAward.objects.filter(application_number__in=[a["申请号"] for a in awards]).update(is_demo=True)
    Population.objects.filter(region__in=[ctx.city, *ctx.districts], year__gte=2020).update(is_demo=True)
