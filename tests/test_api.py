"""The JSON API under /api/v1: OpenAPI document, Chinese output, error bodies, authentication, CSRF, audit, privacy.

Every response these tests receive goes through `body()`, which also asserts that the API's JSON is served as
application/json with Chinese (any non-ASCII text) written as UTF-8, never as \\uXXXX escapes.
"""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.utils import timezone

from ipcity.accounts.actions import create_api_token, revoke_api_token, set_active
from ipcity.core.models import AuditEntry
from ipcity.core.testing import DISTRICT_A, DISTRICT_B
from ipcity.orgs.models import Organisation

# A \uXXXX escape of a character above U+007F (escapes of control characters are fine and unavoidable).
ESCAPED_NON_ASCII = re.compile(r"(?<!\\)\\u(?!00[0-7][0-9a-fA-F])[0-9a-fA-F]{4}")
CHINESE = re.compile(r"[\u4e00-\u9fff]")

ORGS = "/api/v1/orgs"


def body(response):
    """The decoded JSON body, after checking it is JSON with its non-ASCII text unescaped."""
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    text = response.content.decode("utf-8")
    assert not ESCAPED_NON_ASCII.search(text), f"escaped non-ASCII in {response.request['PATH_INFO']}: {text[:300]}"
    return json.loads(text)


def post_json(client, path, data, **extra):
    return client.post(path, data=json.dumps(data, ensure_ascii=False), content_type="application/json", **extra)


def error(response, status: int, code: str) -> dict:
    """Assert one of the API's error bodies: {"code", "message" (Chinese), "errors"?}."""
    assert response.status_code == status, (response.status_code, response.content.decode()[:500])
    data = body(response)
    assert data["code"] == code, data
    assert CHINESE.search(data["message"]), data
    assert set(data) <= {"code", "message", "errors"}, data
    return data


def field_errors(data: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in data.get("errors", []):
        found.setdefault(item["field"], []).append(item["message"])
    return found


def logged_in(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def bearer(user, **token_kwargs) -> dict:
    _token, secret = create_api_token(user, "测试令牌", acting_user=user, **token_kwargs)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def new_org(region: str = DISTRICT_A, **fields) -> dict:
    return {"name": "测试丙新材料有限公司", "kind": "enterprise", "region_code": region, **fields}


# --- the OpenAPI document -------------------------------------------------------------------------------------------


def test_openapi_document_is_served_valid_and_unescaped(client):
    from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "行政区划".encode() in response.content  # raw UTF-8 bytes, not \u884c\u653f...
    assert "知识产权强市一体化平台".encode() in response.content
    document = body(response)
    assert document["openapi"].startswith("3.")
    OPENAPI_31_VALIDATOR.validate(document)  # the official OpenAPI 3.1 meta-schema
    assert document["paths"] and all(path.startswith("/api/v1/") for path in document["paths"])


def test_openapi_declares_the_error_statuses(client):
    document = body(client.get("/api/v1/openapi.json"))
    error_ref = {"$ref": "#/components/schemas/ErrorOut"}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            declared = {code for code in responses if code.startswith(("4", "5"))}
            assert "422" in declared, f"{method} {path}"
            if operation.get("security"):
                assert {"401", "403"} <= declared, f"{method} {path}"
            if "{" in path:
                assert "404" in declared, f"{method} {path}"
            for code in declared:
                assert responses[code]["content"]["application/json"]["schema"] == error_ref, f"{method} {path} {code}"


# --- Chinese output and error bodies --------------------------------------------------------------------------------


def test_every_operation_answers_unescaped_chinese_json(world):
    """One call per operation (plus Django's own 404 under /api/): each body is UTF-8 JSON, Chinese unescaped."""
    staff = Client(**bearer(world.users["city_staff"]))
    org = world.orgs["enterprise_a"]
    contact = world.contacts["contact_a"]
    calls = [  # (method, path, status, whether the body carries Chinese text)
        ("get", "/api/v1/me", 200, True), ("post", "/api/v1/audit/verify", 403, True),
        ("get", "/api/v1/regions", 200, True), ("get", f"/api/v1/regions?parent={DISTRICT_A[:4]}00", 200, True),
        ("get", f"/api/v1/regions/{DISTRICT_A}", 200, True), ("get", ORGS, 200, True),
        ("get", f"{ORGS}/{org.pk}", 200, True), ("get", f"{ORGS}/{org.pk}/contacts", 200, True),
        ("post", f"{ORGS}/contacts/{contact.pk}/reveal/address", 200, True),
        ("get", "/api/v1/workdays/due?start=2025-09-28T10:00:00&amount=5&unit=working_days", 200, False),
        ("get", "/api/v1/workdays/days?year=2025", 200, True),
        ("get", "/api/v1/jobs/00000000-0000-0000-0000-000000000000", 404, True),
        ("get", "/api/v1/no-such-endpoint", 404, True),  # Django's handler404, not ninja
    ]
    for method, path, status, chinese in calls:
        response = getattr(staff, method)(path)
        assert response.status_code == status, (path, response.content.decode()[:300])
        body(response)
        assert bool(CHINESE.search(response.content.decode())) == chinese, path
    auditor = Client(**bearer(world.users["auditor"]))
    assert body(auditor.post("/api/v1/audit/verify"))["ok"] is True


def test_anonymous_request_is_401_unauthenticated(client, db):
    data = error(client.get(ORGS), 401, "unauthenticated")
    assert data["message"] == "请先登录或提供有效的 API 令牌"
    assert client.get("/api/v1/regions").status_code == 200  # the public operations stay public


def test_out_of_scope_organisation_is_404_not_found(world):
    enterprise = logged_in(world.users["enterprise_user"])
    error(enterprise.get(f"{ORGS}/{world.orgs['enterprise_b'].pk}"), 404, "not_found")
    error(enterprise.get(f"{ORGS}/{world.orgs['enterprise_b'].pk}/contacts"), 404, "not_found")
    assert body(enterprise.get(f"{ORGS}/{world.orgs['enterprise_a'].pk}"))["name"] == "测试甲科技有限公司"


def test_bad_query_parameters_are_422_with_field_errors(world):
    staff = logged_in(world.users["city_staff"])
    data = error(staff.get(f"{ORGS}?limit=0&region=abc"), 422, "invalid_input")
    assert set(field_errors(data)) == {"limit", "region"}
    assert "limit" in data["message"] and "region" in data["message"]
    assert set(field_errors(error(staff.get(f"{ORGS}?kind=castle"), 422, "invalid_input"))) == {"kind"}
    assert set(field_errors(error(staff.get(f"{ORGS}?offset=99999999999999999999"), 422, "invalid_input"))) == {
        "offset"}  # unbounded, it overflowed the SQL OFFSET (500)
    assert set(field_errors(error(staff.get("/api/v1/regions/37170"), 422, "invalid_input"))) == {"code"}


def test_post_with_invalid_uscc_is_422_with_the_validators_message(world):
    from stdnum.cn import uscc

    from ipcity.core.validators import validate_uscc

    partial = "91371702MA3C00009"  # 17 characters; the 18th is the check digit
    bad = partial + next(c for c in "0123456789" if c != uscc.calc_check_digit(partial))
    with pytest.raises(ValidationError) as raised:
        validate_uscc(bad)
    expected = raised.value.messages[0]
    assert expected.startswith("统一社会信用代码校验位错误")
    staff = Client(**bearer(world.users["city_staff"]))
    data = error(post_json(staff, ORGS, new_org(uscc=bad)), 422, "invalid_input")
    assert expected in data["message"]
    assert field_errors(data) == {"uscc": [expected]}
    data = error(post_json(staff, ORGS, new_org(uscc="123")), 422, "invalid_input")
    assert field_errors(data)["uscc"] == ["统一社会信用代码长度错误：应为 18 位，实际为 3 位"]
    assert not Organisation.objects.filter(name="测试丙新材料有限公司").exists()


def test_post_with_region_outside_the_jurisdiction_is_403_forbidden(world):
    city_staff = Client(**bearer(world.users["city_staff"]))
    data = error(post_json(city_staff, ORGS, new_org(region="370102")), 403, "forbidden")  # 济南市历下区
    assert data["message"] == "只能在本辖区内新增组织机构"
    district_staff = Client(**bearer(world.users["district_staff"]))  # 牡丹区 may not add to 定陶区
    error(post_json(district_staff, ORGS, new_org(region=DISTRICT_B)), 403, "forbidden")
    error(post_json(Client(**bearer(world.users["city_leader"])), ORGS, new_org()), 403, "forbidden")  # no permission
    assert not Organisation.objects.filter(name="测试丙新材料有限公司").exists()


def test_post_with_out_of_scope_parent_is_404(world):
    district_staff = Client(**bearer(world.users["district_staff"]))
    error(post_json(district_staff, ORGS, new_org(parent_id=world.orgs["enterprise_b"].pk)), 404, "not_found")


def test_malformed_and_nul_input_is_422_not_500(world):
    """NUL characters cannot be stored or even compared by PostgreSQL (DataError → 500 before the fix)."""
    staff = Client(**bearer(world.users["city_staff"]))
    contact = world.contacts["contact_a"]
    assert error(staff.post(ORGS, data="{不是 JSON", content_type="application/json"), 422, "invalid_input")[
        "message"] == "请求体不是有效的 JSON"
    assert set(field_errors(error(post_json(staff, ORGS, new_org(name="甲\x00乙")), 422, "invalid_input"))) == {"name"}
    assert set(field_errors(error(post_json(staff, ORGS, new_org(address="\x00")), 422, "invalid_input"))) == {
        "address"}
    assert set(field_errors(error(staff.get(f"{ORGS}?q=%E7%94%B2%00"), 422, "invalid_input"))) == {"q"}
    reveal = f"{ORGS}/contacts/{contact.pk}/reveal/phone?reason=%00"
    assert set(field_errors(error(staff.post(reveal), 422, "invalid_input"))) == {"reason"}
    assert set(field_errors(error(staff.post(f"{ORGS}/contacts/{contact.pk}/reveal/name"), 422,
                                  "invalid_input"))) == {"field"}
    due = "/api/v1/workdays/due?start=0730-11-17T07:41:17&amount=5&unit=days"  # LMT offsets before 1901
    assert set(field_errors(error(staff.get(due), 422, "invalid_input"))) == {"start"}


# --- Bearer tokens --------------------------------------------------------------------------------------------------


def test_bearer_token_authenticates_as_its_user(world):
    user = world.users["enterprise_user"]
    data = body(Client().get("/api/v1/me", **bearer(user)))
    assert data["username"] == user.username
    assert data["role"] == "enterprise_user"
    assert data["role_label"] == user.get_role_display() and CHINESE.search(data["role_label"])
    assert data["organisation"] == "测试甲科技有限公司"


def test_revoked_expired_unknown_or_inactive_tokens_are_401(world):
    user = world.users["enterprise_user"]
    token, secret = create_api_token(user, "将被吊销", acting_user=user)
    header = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert Client().get("/api/v1/me", **header).status_code == 200
    revoke_api_token(token, acting_user=user)
    error(Client().get("/api/v1/me", **header), 401, "unauthenticated")

    expired = bearer(user, expires_at=timezone.now() - dt.timedelta(minutes=1))
    error(Client().get("/api/v1/me", **expired), 401, "unauthenticated")
    assert Client().get("/api/v1/me", **bearer(user, expires_at=timezone.now() + dt.timedelta(days=1))
                        ).status_code == 200

    error(Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer ipc_not-a-real-token"), 401, "unauthenticated")
    error(Client().get("/api/v1/me", HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz"), 401, "unauthenticated")

    other = world.users["agency_user"]
    header = bearer(other)
    set_active(other, False, acting_user=world.users["sysadmin"])
    error(Client().get("/api/v1/me", **header), 401, "unauthenticated")


# --- CSRF -----------------------------------------------------------------------------------------------------------


def test_session_post_without_csrf_token_is_refused(world):
    user = world.users["city_staff"]
    client = logged_in(user, csrf=True)
    assert body(client.get("/api/v1/me"))["username"] == user.username  # safe methods need no token
    data = error(post_json(client, ORGS, new_org()), 403, "csrf_failed")
    assert "CSRF" in data["message"]
    error(client.post(f"{ORGS}/contacts/{world.contacts['contact_a'].pk}/reveal/phone"), 403, "csrf_failed")
    assert not Organisation.objects.filter(name="测试丙新材料有限公司").exists()
    assert not AuditEntry.objects.filter(action="privacy.reveal", actor=user).exists()

    # The same session with the token (cookie + X-CSRFToken header, as the browser's HTMX sends it) is accepted.
    request = RequestFactory().get("/")
    token = get_token(request)
    client.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
    assert post_json(client, ORGS, new_org(), HTTP_X_CSRFTOKEN=token).status_code == 201


def test_bearer_token_post_needs_no_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    response = post_json(client, ORGS, new_org(), **bearer(world.users["city_staff"]))
    assert response.status_code == 201, response.content.decode()
    assert body(response)["name"] == "测试丙新材料有限公司"


# --- writes are audited ---------------------------------------------------------------------------------------------


def test_creating_an_organisation_writes_an_audit_row(world):
    user = world.users["city_staff"]
    response = post_json(Client(enforce_csrf_checks=True), ORGS,
                         new_org(short_name="测试丙", uscc=None, in_leading_group=False), **bearer(user))
    assert response.status_code == 201
    data = body(response)
    assert data["kind_label"] == "企业" and data["region_code"] == DISTRICT_A and data["region_name"] == "牡丹区"
    org = Organisation.objects.get(pk=data["id"])
    entry = AuditEntry.objects.get(action="orgs.create_organisation", object_id=str(org.pk))
    assert entry.actor == user and entry.actor_role == "city_staff"
    assert entry.changes["name"] == "测试丙新材料有限公司"


# --- personal data: masked by default, reveal is permissioned, scoped and audited ------------------------------------


def test_contacts_are_masked(world):
    staff = Client(**bearer(world.users["city_staff"]))
    response = staff.get(f"{ORGS}/{world.orgs['enterprise_a'].pk}/contacts")
    [contact] = body(response)
    assert contact["name"] == "张三"
    assert contact["phone"] == "138****5678"
    assert contact["id_number"].startswith("371") and "*" in contact["id_number"]
    assert contact["address"].endswith("****") and "人民路" not in contact["address"]
    assert b"13812345678" not in response.content


def test_reveal_returns_the_phone_and_audits_the_read(world):
    user = world.users["city_staff"]
    contact = world.contacts["contact_a"]
    response = Client(**bearer(user)).post(f"{ORGS}/contacts/{contact.pk}/reveal/phone?reason=核实专利侵权投诉人身份")
    assert body(response) == {"field": "phone", "value": "13812345678"}
    entry = AuditEntry.objects.get(action="privacy.reveal", object_id=str(contact.pk))
    assert entry.actor == user and entry.actor_role == "city_staff"
    assert entry.changes == {"field": "phone", "reason": "核实专利侵权投诉人身份"}
    assert "13812345678" not in json.dumps(entry.changes)  # the audit row says what was read, never the value


def test_reveal_is_403_without_the_permission(world):
    contact = world.contacts["contact_a"]
    leader = Client(**bearer(world.users["city_leader"]))  # sees the contact (masked) but may not reveal it
    assert body(leader.get(f"{ORGS}/{world.orgs['enterprise_a'].pk}/contacts"))[0]["phone"] == "138****5678"
    data = error(leader.post(f"{ORGS}/contacts/{contact.pk}/reveal/phone"), 403, "forbidden")
    assert data["message"] == "您无权查看未脱敏的个人信息"
    assert not AuditEntry.objects.filter(action="privacy.reveal").exists()


def test_reveal_is_404_outside_scope(world):
    district_staff = Client(**bearer(world.users["district_staff"]))  # 牡丹区: 李四 belongs to 定陶区
    error(district_staff.post(f"{ORGS}/contacts/{world.contacts['contact_b'].pk}/reveal/phone"), 404, "not_found")
    error(district_staff.post(f"{ORGS}/contacts/987654321/reveal/phone"), 404, "not_found")
    error(Client().post(f"{ORGS}/contacts/{world.contacts['contact_b'].pk}/reveal/phone"), 401, "unauthenticated")
    assert not AuditEntry.objects.filter(action="privacy.reveal").exists()



def test_openapi_enum_components_do_not_collide():
    """ninja names enum schemas by class name; two modules' `Kind` enums must not overwrite each other."""
    import json

    from ipcity.api import openapi_view

    document = json.loads(openapi_view(None).content)
    kind_ref = document["components"]["schemas"]["OrganisationIn"]["properties"]["kind"]
    ref = kind_ref.get("$ref") or kind_ref["allOf"][0]["$ref"]
    enum = document["components"]["schemas"][ref.rsplit("/", 1)[1]]["enum"]
    assert "enterprise" in enum and "city_office" in enum
