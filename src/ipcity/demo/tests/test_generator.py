"""The synthetic demo data: reproducible, idempotent, marked 示例数据, identifiers with valid check digits."""
from __future__ import annotations

import random

import pytest
from stdnum.cn import uscc

from ipcity.accounts.models import User
from ipcity.accounts.roles import Role
from ipcity.core.validators import validate_mobile, validate_resident_id, validate_uscc
from ipcity.demo import generator, synth
from ipcity.orgs.models import Contact, Organisation

pytestmark = pytest.mark.django_db


def _snapshot():
    return (sorted(Organisation.objects.filter(is_demo=True).values_list("name", "uscc", "region_id")),
            sorted(Contact.objects.filter(is_demo=True).values_list("name", "organisation__name")))


def test_demo_data_is_idempotent_and_marked(world):
    first = generator.run(city_code="371700", enterprises_per_district=2)
    # the login accounts, one per role, and the accounts later steps add (inspectors drawn in 双随机 without logins)
    assert first["created"]["organisations"] > 20 and first["created"]["users"] == User.objects.filter(is_demo=True).count()
    assert User.objects.filter(username__in=generator.DEMO_ACCOUNTS).count() == len(generator.DEMO_ACCOUNTS)
    snapshot = _snapshot()
    second = generator.run(city_code="371700", enterprises_per_district=2)
    assert second["created"] == {}
    assert _snapshot() == snapshot
    assert not Organisation.objects.filter(name__in=[n for n, *_ in snapshot[0]], is_demo=False).exists()
    users = User.objects.filter(username__in=generator.DEMO_ACCOUNTS)
    assert users.count() == len(Role) and all(u.is_demo for u in users)
    assert {u.role for u in users} == set(Role)


def test_every_district_and_county_of_the_city_is_covered(world):
    generator.run(city_code="371700", enterprises_per_district=1)
    districts = set(Organisation.objects.filter(is_demo=True, kind="district_office").values_list("region_id",
                                                                                                  flat=True))
    assert districts == {"371702", "371703", "371721", "371722", "371723", "371724", "371725", "371726", "371728"}


def test_identifiers_are_valid(world):
    generator.run(city_code="371700", enterprises_per_district=2)
    for code in Organisation.objects.filter(is_demo=True).exclude(uscc=None).values_list("uscc", flat=True):
        assert validate_uscc(code) == code
    for contact in Contact.objects.filter(is_demo=True):
        validate_mobile(contact.phone)
        validate_resident_id(contact.id_number)
        assert contact.id_number[:6] == contact.organisation.region_id


def test_same_seed_same_data():
    a, b = random.Random("1:x"), random.Random("1:x")
    assert synth.uscc_code(a, "371702") == synth.uscc_code(b, "371702")
    code = synth.uscc_code(random.Random(3), "371702")
    assert uscc.is_valid(code) and code[2:8] == "371702"
    assert validate_resident_id(synth.resident_id(random.Random(3), "371702"))


def test_a_county_is_refused_as_demo_city(world):
    with pytest.raises(ValueError, match="不是地级"):
        generator.run(city_code="371702")
