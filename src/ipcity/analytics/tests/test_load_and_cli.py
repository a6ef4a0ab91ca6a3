"""Loading the concordance (audited, idempotent, all-or-nothing) and `ipcity analytics high-value`."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from contextlib import redirect_stdout
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from ipcity.analytics.actions import activate_sei_table, load_sei_table
from ipcity.analytics.models import SeiTable
from ipcity.analytics.queries import active_sei_table
from ipcity.core.models import AuditEntry
from ipcity.ipdata.models import Patent, PatentAward, PatentPledge

from .fixtures import mapping_lines, rule_lines

pytestmark = pytest.mark.django_db


def files(extra_rules=(), extra_mapping=()):
    return ("\n".join([*rule_lines(), *extra_rules]).encode(), "\n".join([*mapping_lines(), *extra_mapping]).encode())


def test_load_is_audited_idempotent_and_activates(world):
    staff = world.users["city_staff"]
    table = load_sei_table(*files(), name="测试表", acting_user=staff)
    assert table.is_active and (table.rule_count, table.code_count) == (5, 8)
    assert AuditEntry.objects.filter(action="analytics.sei_table_load", object_id=str(table.pk)).exists()
    assert load_sei_table(*files(), name="再次", acting_user=staff) == table
    assert SeiTable.objects.count() == 1
    assert active_sei_table().codes(active_sei_table().classify(["G06N 3/08"])) == ["1.5"]
    newer = load_sei_table(*files(extra_mapping=['{"ipcCode": "A01B1/00", "seiId": 4}']), name="新版",
                           acting_user=staff)
    assert newer.is_active and not SeiTable.objects.get(pk=table.pk).is_active
    assert active_sei_table().codes(active_sei_table().classify(["A01B 1/00"])) == ["3.6"]
    activate_sei_table(SeiTable.objects.get(pk=table.pk), acting_user=staff)
    assert active_sei_table().classify(["A01B 1/00"]) == []
    assert AuditEntry.objects.filter(action="analytics.sei_table_activate").count() == 3


def test_a_bad_line_refuses_the_whole_table(world):
    with pytest.raises(ValidationError) as err:
        load_sei_table(*files(extra_mapping=['{"ipcCode": "G06N3/08", "seiId": 77}']), name="坏表",
                       acting_user=world.users["city_staff"])
    assert "第 9 行引用了不存在的规则 77" in err.value.messages[0]
    assert not SeiTable.objects.exists()
    with pytest.raises(ValidationError, match="UTF-8"):
        load_sei_table("规则".encode("gbk"), b"", name="x", acting_user=None)


def _patent(number, **kw):
    base = dict(patent_type="发明", legal_status="有效", application_date=dt.date(2012, 3, 1),
                grant_date=dt.date(2015, 6, 1), title="一种测试方法", content_hash="x")
    return Patent.objects.create(application_number=number, **{**base, **kw})


def run(*argv) -> str:
    from ipcity.cli import main

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(list(argv)) == 0
    return out.getvalue()


def test_high_value_command_exports_every_invention_patent(world, tmp_path):
    load_sei_table(*files(), name="测试表", acting_user=None)
    _patent("CN201210000001.X", ipc=["G06N 3/08"], extra={"family_members": ["US9876543B2"]})
    _patent("CN202010000002.6", ipc=["A01B 1/00"], application_date=dt.date(2020, 1, 2))
    _patent("CN202310000003.1", ipc=["G06N 3/08"], legal_status="审中", grant_date=None,
            application_date=dt.date(2023, 1, 2))
    _patent("CN202320000004.0", patent_type="实用新型", ipc=["G06N 3/08"])
    PatentPledge.objects.create(registration_number="Y1", application_number="CN202010000002.6", pledgor_name="甲",
                                pledgee_name="乙", amount=Decimal("1200"), registered_on=dt.date(2024, 1, 1))
    PatentAward.objects.create(application_number="CN202010000002.6", award="cn_excellence", year=2026)
    payload = json.loads(run("analytics", "high-value", "--as-of", "2025-12-31", "--json"))
    assert payload["counts"] == {"invention_patents": 3, "valid": 2, "c1_sei": 1, "c2_overseas": 1,
                                 "c3_maintained": 1, "c4_pledge": 1, "c5_award": 0, "high_value": 2, "sei_all": 2}
    rows = {p["application_number"]: p for p in payload["patents"]}
    assert set(rows) == {"CN201210000001.X", "CN202010000002.6", "CN202310000003.1"}  # no utility model
    first = rows["CN201210000001.X"]
    assert first["sei_codes"] == "1.5" and first["c1_sei"] and first["c2_overseas"] and first["c3_maintained"]
    assert "海外同族授权 US9876543B2" in first["reasons"]
    assert rows["CN202310000003.1"]["c1_sei"] and not rows["CN202310000003.1"]["high_value"]
    assert payload["rules"]["质押融资"].endswith("1000 万元")

    out = tmp_path / "高价值.csv"
    run("analytics", "high-value", "--as-of", "2025-12-31", "--export", str(out))
    with out.open(encoding="utf-8-sig") as f:
        table = list(csv.DictReader(f))
    assert list(table[0]) == ["application_number", "valid", "sei_codes", "c1_sei", "c2_overseas", "c3_maintained",
                              "c4_pledge", "c5_award", "high_value", "reasons"]
    assert {r["application_number"]: r["high_value"] for r in table}["CN202010000002.6"] == "true"

    xlsx = tmp_path / "高价值.xlsx"
    run("analytics", "high-value", "--as-of", "2025-12-31", "--export", str(xlsx))
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["高价值发明专利", "口径说明"]
    header = [c.value for c in book["高价值发明专利"][1]]
    assert header[:3] == ["application_number", "valid", "sei_codes"] and book["高价值发明专利"].max_row == 4


def test_high_value_command_refuses_bad_input(world, tmp_path, capsys):
    from ipcity.cli import main

    assert main(["analytics", "high-value", "--as-of", "2025-13-01"]) == 2
    assert "日期格式错误" in capsys.readouterr().err
    assert main(["analytics", "high-value", "--export", str(tmp_path / "x.pdf")]) == 2
    assert main(["analytics", "load-sei", str(tmp_path)]) == 2
    assert "sei.jsonl" in capsys.readouterr().err


def test_patent_page_shows_the_evaluation_with_reasons(client, world):
    load_sei_table(*files(), name="测试表", acting_user=None)
    _patent("CN201210000001.X", ipc=["G06N 3/08"])
    _patent("CN202320000004.0", patent_type="实用新型", ipc=["G06N 3/08"])
    client.force_login(world.users["expert"])
    page = client.get("/data/patents/CN201210000001.X/").content.decode()
    assert "属于高价值发明专利" in page and "G06N3/08 → 1.5 人工智能，规则 1" in page
    assert "维持" in page  # filed 2012, valid: more than ten years
    assert 'id="high-value"' not in client.get("/data/patents/CN202320000004.0/").content.decode()


def test_demo_yields_high_value_flags_and_reruns_change_nothing(world):
    from ipcity.analytics.evaluate import evaluator, patent_facts
    from ipcity.analytics.high_value import summarise
    from ipcity.demo import generator
    from ipcity.regions.models import Population

    generator.run(city_code="371700", enterprises_per_district=2)
    table = SeiTable.objects.get()
    assert table.is_active and table.is_demo and "非官方" in table.name
    counts = summarise(evaluator().evaluate_all(patent_facts()))
    assert counts["high_value"] > 0 and counts["c1_sei"] > 0 and counts["c4_pledge"] > 0 and counts["c5_award"] > 0
    assert Population.objects.filter(region_id="371700", year=2024, kind="resident").exists()
    before = (PatentPledge.objects.count(), PatentAward.objects.count(), Population.objects.count())
    generator.run(city_code="371700", enterprises_per_district=2)
    assert (PatentPledge.objects.count(), PatentAward.objects.count(), Population.objects.count()) == before
    assert SeiTable.objects.count() == 1
