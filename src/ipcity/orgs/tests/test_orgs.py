"""Organisations and contacts: validation, encryption at rest, server-side masking, audited reveals."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from ipcity.core.fields import digest_for
from ipcity.core.models import AuditEntry
from ipcity.core.testing import CITY
from ipcity.orgs.actions import create_organisation
from ipcity.orgs.models import Contact, Organisation
from ipcity.regions.models import Region

pytestmark = pytest.mark.django_db


def test_contact_personal_data_is_encrypted_at_rest(world):
    contact = world.contacts["contact_a"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, id_number, address FROM orgs_contact WHERE id = %s", [contact.pk])
        raw = cursor.fetchone()
    assert all(value.startswith("v1$") for value in raw)
    assert "13812345678" not in "".join(raw)
    assert Contact.objects.get(pk=contact.pk).phone == "13812345678"
    assert contact.phone_digest == digest_for("+86 138-1234-5678", "phone")


def test_duplicate_matching_uses_the_keyed_digest(world):
    digest = digest_for("13812345678", "phone")
    assert list(Contact.objects.filter(phone_digest=digest)) == [world.contacts["contact_a"]]


def test_detail_page_masks_on_the_server(client, world):
    client.force_login(world.users["city_staff"])
    html = client.get(f"/orgs/{world.orgs['enterprise_a'].pk}/").content.decode()
    assert "138****5678" in html
    assert "13812345678" not in html
    assert world.contacts["contact_a"].id_number not in html
    assert "查看" in html  # city staff may reveal


def test_leader_sees_masked_values_without_reveal_button(client, world):
    client.force_login(world.users["city_leader"])
    html = client.get(f"/orgs/{world.orgs['enterprise_a'].pk}/").content.decode()
    assert "138****5678" in html and "hx-post" not in html


def test_reveal_returns_value_and_is_audited(client, world):
    client.force_login(world.users["city_staff"])
    contact = world.contacts["contact_a"]
    response = client.post(f"/orgs/contacts/{contact.pk}/reveal/phone/", {"reason": "核实投诉人身份"})
    assert response.status_code == 200 and "13812345678" in response.content.decode()
    entry = AuditEntry.objects.filter(action="privacy.reveal").latest("seq")
    assert entry.actor == world.users["city_staff"] and entry.changes == {"field": "phone", "reason": "核实投诉人身份"}
    assert "13812345678" not in str(entry.changes) + entry.object_repr  # the audit log never holds the value


@pytest.mark.parametrize("role, status", [("city_leader", 403), ("enterprise_user", 403), ("agency_user", 404),
                                          ("member_liaison", 404)])
def test_reveal_refused_outside_permission_or_scope(client, world, role, status):
    client.force_login(world.users[role])
    before = AuditEntry.objects.filter(action="privacy.reveal").count()
    response = client.post(f"/orgs/contacts/{world.contacts['contact_a'].pk}/reveal/phone/")
    assert response.status_code == status
    assert AuditEntry.objects.filter(action="privacy.reveal").count() == before


def test_reveal_needs_post_and_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["city_staff"])
    url = f"/orgs/contacts/{world.contacts['contact_a'].pk}/reveal/phone/"
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403


def test_invalid_uscc_is_a_chinese_field_error(client, world):
    client.force_login(world.users["city_staff"])
    from stdnum.cn import uscc

    valid = "91371702MA3C00001" + uscc.calc_check_digit("91371702MA3C00001")
    wrong_check = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    response = client.post("/orgs/new/", {"name": "某某有限公司", "kind": "enterprise", "uscc": wrong_check,
                                          "region": "371702"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "统一社会信用代码校验" in html, html[html.find("errorlist"):][:300]
    assert not Organisation.objects.filter(name="某某有限公司").exists()


def test_contact_form_rejects_bad_id_and_phone_in_chinese(client, world):
    client.force_login(world.users["city_staff"])
    response = client.post(f"/orgs/{world.orgs['enterprise_a'].pk}/contacts/new/",
                           {"name": "王五", "phone": "12345", "id_number": "371702199001011235"})
    html = response.content.decode()
    assert response.status_code == 200 and "手机号" in html and "身份证" in html
    assert not Contact.objects.filter(name="王五").exists()


def test_create_organisation_through_the_page_is_audited(client, world):
    client.force_login(world.users["district_staff"])
    response = client.post("/orgs/new/", {"name": "牡丹区新设企业有限公司", "kind": "enterprise", "region": "371702"})
    assert response.status_code == 302
    org = Organisation.objects.get(name="牡丹区新设企业有限公司")
    assert AuditEntry.objects.filter(action="orgs.create_organisation", object_id=str(org.pk)).exists()


def test_district_staff_cannot_create_outside_their_district(client, world):
    client.force_login(world.users["district_staff"])
    response = client.post("/orgs/new/", {"name": "越权企业有限公司", "kind": "enterprise", "region": "371703"})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not Organisation.objects.filter(name="越权企业有限公司").exists()


def test_roles_without_add_permission_get_403(client, world):
    client.force_login(world.users["enterprise_user"])
    assert client.get("/orgs/new/").status_code == 403


def test_forms_carry_csrf_protection(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["city_staff"])
    assert client.post("/orgs/new/", {"name": "x", "kind": "enterprise", "region": "371702"}).status_code == 403


def test_list_view_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    client.force_login(world.users["city_staff"])
    city = Region.objects.get(code=CITY)
    client.get("/orgs/")  # warm caches (content types, permissions)
    with django_assert_max_num_queries(12) as few:
        client.get("/orgs/")
    for i in range(30):
        create_organisation(acting_user=None, name=f"批量企业{i}有限公司", kind="enterprise", region=city)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/orgs/")
    assert "批量企业0有限公司" in response.content.decode()


def test_request_size_limit_is_enforced(client, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(world.users["city_staff"])
    response = client.post("/orgs/new/", {"name": "x" * 5000, "kind": "enterprise", "region": "371702"})
    assert response.status_code == 400


def test_district_staff_edit_only_their_own_district(client, world):
    client.force_login(world.users["district_staff"])
    other = world.orgs["district_b"]
    assert client.get(f"/orgs/{other.pk}/").status_code == 200  # visible (government directory)
    assert "编辑" not in client.get(f"/orgs/{other.pk}/").content.decode()
    assert client.get(f"/orgs/{other.pk}/edit/").status_code == 403
    assert client.get(f"/orgs/{other.pk}/contacts/new/").status_code == 403
    own = world.orgs["enterprise_a"]
    assert client.get(f"/orgs/{own.pk}/edit/").status_code == 200
