"""The public intake API: create, idempotent replay, validation in Chinese, status lookup with the code."""
from __future__ import annotations

import pytest

from ipcity.core.audit import verify_chain
from ipcity.core.models import AuditEntry
from ipcity.protection.actions import lookup_code
from ipcity.protection.models import Matter, Submission, SubmissionAttachment
from ipcity.protection.registration import register_pending
from ipcity.protection.tests.helpers import example_body

URL = "/api/v1/public/submissions"


def post(client, body, **headers):
    return client.post(URL, body, content_type="application/json", **headers)


@pytest.mark.django_db
def test_the_documented_example_is_accepted_and_split_into_a_complaint_and_a_report(world, client):
    response = post(client, example_body())
    assert response.status_code == 201, response.content.decode()
    out = response.json()
    assert set(out) == {"tracking_number", "code", "received_at", "receipt_url"}
    submission = Submission.objects.get(tracking_number=out["tracking_number"])
    assert out["code"] == lookup_code(submission.tracking_number)
    assert submission.registered_at is None and not submission.matters.exists()  # durable; routing follows
    # The request wrote one row: its audit row waits with it and joins the chain when it is registered.
    assert not AuditEntry.objects.filter(action="protection.accept").exists()
    assert submission.pending_audit["action"] == "protection.accept" and submission.pending_audit["ip"] == "127.0.0.1"
    assert register_pending(acting_user=None) == 1
    submission.refresh_from_db()
    kinds = sorted(submission.matters.values_list("kind", flat=True))
    assert kinds == ["complaint", "report"]
    # Routed to district A's office (region 371702), each with its first statutory deadline running.
    assert set(submission.matters.values_list("assigned_org__name", flat=True)) == {"测试牡丹区市场监督管理局"}
    assert all(m.due_at is not None for m in submission.matters.all())
    attachment = SubmissionAttachment.objects.get(submission=submission)
    assert attachment.detected_type == "text" and len(attachment.sha256) == 64
    assert [r.number for r in submission.rights.all()] == ["CN201310123456.2", "12345678"]
    # Personal data is encrypted at rest and never in the audit row.
    entry = AuditEntry.objects.filter(action="protection.accept", object_id=str(submission.pk)).get()
    assert "13800000000" not in str(entry.changes) and "王五" not in str(entry.changes)
    assert entry.actor_role == "public" and entry.actor_label == "公众" and entry.ip == "127.0.0.1"
    assert entry.at == submission.received_at and entry.changes["receipt_digest"] == submission.receipt_digest
    assert submission.pending_audit is None and verify_chain().ok
    registered = AuditEntry.objects.filter(action="protection.register").latest("seq")
    assert submission.tracking_number in str(registered.changes)
    assert out["receipt_url"].endswith(f"?code={out['code']}")


@pytest.mark.django_db
def test_the_same_idempotency_key_returns_the_same_submission(world, client):
    first = post(client, example_body(), HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(client, example_body(), HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Submission.objects.count() == 1
    other = post(client, example_body(facts="另一件事情，与第一次提交不同的事实与理由。"), HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict"
    assert post(client, example_body(), HTTP_IDEMPOTENCY_KEY="k-2").status_code == 201
    assert Submission.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("change, field, words", [
    ({"rights": [{"kind": "patent", "number": "ZL201310123456.3"}]}, "rights.0", "校验位"),
    ({"rights": [{"kind": "trademark", "number": "商标ABC"}]}, "rights.0", "商标注册号"),
    ({"kinds": []}, "kinds", ""),
    ({"ip_type": "patent"}, "ip_type", ""),
    ({"facts": "太短"}, "facts", ""),
    ({"submitter": {"type": "anonymous"}}, "submitter.type", "实名"),
    ({"submitter": {"type": "person", "name": "赵六", "phone": "12345"}}, "submitter.phone", "手机"),
    ({"region_code": "110101"}, "region_code", "本市"),
    ({"attachments": [{"name": "a.exe", "content_base64": "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAA=="}]},
     "attachments.0.content_base64", "类型"),
    ({"respondent": {"kind": "online_shop", "name": "某店"}}, "respondent.shop_id", "店铺编号"),
])
def test_invalid_bodies_answer_422_with_a_chinese_message_per_field(world, client, change, field, words):
    response = post(client, example_body(**change))
    assert response.status_code == 422, response.content.decode()
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert field in errors, errors
    assert words in errors[field]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in errors[field]), errors[field]
    assert Submission.objects.count() == 0


@pytest.mark.django_db
def test_status_lookup_needs_the_code_and_shows_only_public_history(world, client):
    out = post(client, example_body()).json()
    number, code = out["tracking_number"], out["code"]
    pending = client.get(f"{URL}/{number}", {"code": code}).json()
    assert [m["status"] for m in pending["matters"]] == ["registering", "registering"]
    register_pending(acting_user=None)
    status = client.get(f"{URL}/{number}", {"code": code})
    assert status.status_code == 200
    body = status.json()
    assert [m["kind"] for m in body["matters"]] == ["complaint", "report"]
    assert body["history"] and "已收到" in body["history"][0]["note"]
    for wrong in ("", "WRONGCODE", code[:-1], "查询码"):
        assert client.get(f"{URL}/{number}", {"code": wrong}).status_code == 404
    assert client.get(f"{URL}/TS20260101ZZZZZZ", {"code": code}).status_code == 404


@pytest.mark.django_db
def test_an_intake_client_token_marks_the_channel_and_a_bad_token_is_refused(world, client):
    from ipcity.protection.clients import create_intake_client, revoke_intake_client

    platform, secret = create_intake_client(acting_user=None, organisation=world.orgs["enterprise_b"],
                                            kind="platform", name="示例电商平台")
    response = post(client, example_body(), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 201
    submission = Submission.objects.get(tracking_number=response.json()["tracking_number"])
    assert (submission.channel, submission.client) == ("platform", platform)
    assert post(client, example_body(), HTTP_AUTHORIZATION="Bearer ipt_wrong").status_code == 401
    revoke_intake_client(platform, acting_user=None)
    assert post(client, example_body(), HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    register_pending(acting_user=None)
    assert Matter.objects.count() == 2


@pytest.mark.django_db
def test_the_cli_issues_an_intake_token_that_the_api_accepts(world, client, capsys):
    from ipcity import cli

    assert cli.main(["intake-client", world.orgs["enterprise_b"].name, "--kind", "trade_fair",
                     "--name", "测试展会投诉站"]) == 0
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("ipt_")
    response = post(client, example_body(), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 201
    assert Submission.objects.get().channel == "trade_fair"
    assert cli.main(["intake-client", "不存在的单位"]) == 2


@pytest.mark.django_db
def test_the_receipt_reads_the_same_before_and_after_registration(world, client):
    from ipcity.protection.receipts import receipt_context

    out = post(client, example_body()).json()
    submission = Submission.objects.get(tracking_number=out["tracking_number"])
    before = receipt_context(submission)
    register_pending(acting_user=None)
    submission.refresh_from_db()
    after = receipt_context(submission)
    assert {k: v for k, v in before.items() if k != "s"} == {k: v for k, v in after.items() if k != "s"}
    assert [m["number"] for m in before["matters"]] == list(submission.matters.order_by("kind")
                                                            .values_list("number", flat=True))


@pytest.mark.django_db
def test_registration_in_batches_routes_each_submission_once(world, client):
    numbers = [post(client, example_body(region_code=code)).json()["tracking_number"]
               for code in ("371702", "371703", "371702")]
    assert register_pending(acting_user=None, limit=2) == 2
    assert register_pending(acting_user=None) == 1
    assert register_pending(acting_user=None) == 0
    offices = dict(Matter.objects.filter(kind="complaint").values_list("submission__tracking_number",
                                                                       "assigned_org__name"))
    assert offices == {numbers[0]: "测试牡丹区市场监督管理局", numbers[1]: "测试定陶区市场监督管理局",
                       numbers[2]: "测试牡丹区市场监督管理局"}
    assert Matter.objects.filter(due_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_the_background_worker_registers_what_the_api_accepted(world, client):
    from ipcity.jobs.runner import _sweeps
    from ipcity.protection.registration import register_in_background

    assert register_in_background in _sweeps  # the worker's turn runs it
    post(client, example_body())
    assert register_in_background() == 1
    assert Matter.objects.count() == 2 and register_in_background() == 0
