"""Upload → parse → draft, through the page: a generated document always, the five real plans when ../shared exists."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipcity.plans.models import Plan, PlanImport, TaskUnit

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[4].parent / "shared"

PLAN_TEXT = """测试市知识产权局关于印发《测试市专利转化运用专项行动方案》的通知
测知发〔2025〕3号
各县区市场监督管理局，市直有关部门：
现将《测试市专利转化运用专项行动方案》印发给你们，请认真贯彻落实。
测试市知识产权局
2025年3月1日
测试市专利转化运用专项行动方案（2025—2026年）
一、主要目标
到2026年，全市每万人口高价值发明专利拥有量达到3.5件，知识产权质押融资金额年均增长10%以上。
二、重点任务
（一）开展专利执法专项行动。加大对重点领域专利侵权行为的查处力度。（责任单位：测试市公安局、测试市知识产权局保护科）
（二）推进专利转化对接。每年组织专利转化对接活动不少于2场。（责任单位：测试市知识产权局）
（三）建设公共服务网点。在各县区布设知识产权公共服务网点。（责任单位：测试牡丹区市场监督管理局）
三、保障措施
加强组织领导，落实工作责任。
"""


def upload(client, name: str, content: bytes):
    return client.post("/plans/upload/", {"file": SimpleUploadedFile(name, content)}, follow=True)


def test_upload_parse_review_publish(client, world):
    client.force_login(world.users["city_staff"])
    response = upload(client, "方案.txt", PLAN_TEXT.encode())
    draft = PlanImport.objects.latest("created_at")
    assert response.redirect_chain[-1][0] == f"/plans/imports/{draft.pk}/"
    assert draft.data["title"] == "测试市专利转化运用专项行动方案"
    assert draft.data["doc_number"] == "测知发〔2025〕3号"
    assert len(draft.data["tasks"]) == 3
    assert draft.unit_mapping["测试市公安局"] == world.orgs["member"].pk
    client.post(f"/plans/imports/{draft.pk}/publish/", {"cadence": "quarterly", "report_due_working_days": "10"})
    plan = Plan.objects.get(source_import=draft)
    assert plan.period_start == 2025 and plan.period_end == 2026 and plan.indicators.count() >= 1
    assert TaskUnit.objects.filter(task__plan=plan, organisation=world.orgs["district_a"]).exists()
    # The same file again is detected and offered as a new version.
    response = upload(client, "方案（重发）.txt", PLAN_TEXT.encode())
    assert "作为新版本" in response.content.decode()
    assert PlanImport.objects.latest("created_at").replaces == plan


@pytest.mark.parametrize("name, content, message", [
    ("空文件.txt", b"", "空文件"),
    ("扫描件.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "扫描件.pdf"),
    ("旧格式.doc", b"\xd0\xcf\x11\xe0 binary", "只支持"),
])
def test_bad_files_get_a_clear_message_and_nothing_is_created(client, world, name, content, message):
    client.force_login(world.users["city_staff"])
    before = PlanImport.objects.count()
    response = upload(client, name, content)
    assert message in response.content.decode()
    assert PlanImport.objects.count() == before


def test_a_document_without_tasks_is_a_draft_with_a_warning(client, world):
    client.force_login(world.users["city_staff"])
    response = upload(client, "通知.txt", "关于召开会议的通知\n请各单位准时参加。\n".encode())
    assert "未识别出任何任务" in response.content.decode()
    assert PlanImport.objects.latest("created_at").status == PlanImport.Status.DRAFT


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_real_plans_import_as_drafts(client, world, name):
    files = sorted(SHARED.glob(f"plans/{name}_*.txt"))
    if not files:
        pytest.skip("../shared is absent: the real plans are not available")
    client.force_login(world.users["city_staff"])
    upload(client, files[0].name, files[0].read_bytes())
    draft = PlanImport.objects.latest("created_at")
    assert draft.data["title"] and draft.data["tasks"]


def test_cli_parse_prints_the_structure_as_json(tmp_path):
    import json
    import subprocess
    import sys

    path = tmp_path / "方案.txt"
    path.write_text(PLAN_TEXT, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "ipcity", "plan", "parse", str(path), "--json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    assert parsed["doc_number"] == "测知发〔2025〕3号" and len(parsed["tasks"]) == 3
    missing = subprocess.run([sys.executable, "-m", "ipcity", "plan", "parse", str(tmp_path / "无.txt")],
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1 and "无.txt" in missing.stderr
