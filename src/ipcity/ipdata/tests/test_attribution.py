import pytest

from ipcity.core.models import Rule
from ipcity.ipdata.attribution import attribute, region_from_text
from ipcity.ipdata.enterprises import EnterpriseMatcher, normalise_company_name

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text, code", [
    ("274000 山东省菏泽市牡丹区中华路1号", "371702"),
    ("山东菏泽曹县普连集镇", "371721"),
    ("菏泽市定陶区某路", "371703"),
    ("山东省济南市高新区", "370100"),   # 高新区 is no county: the city is as far as the address goes
    ("北京市海淀区", None),            # the test world loads Shandong only
    ("", None),
])
def test_region_from_address(world, text, code):
    assert region_from_text(text)[0] == code


def test_split_fields_win_and_evidence_is_kept(world):
    code, evidence = attribute([{"name": "甲公司", "province": "山东省", "city": "菏泽市", "county": "单县",
                                 "address": "济南市历下区"}])
    assert code == "371722"
    assert evidence["parties"][0]["source"] == "split_fields" and evidence["rule"] == "first_applicant"


def test_every_applicant_rule_uses_the_shared_region(world):
    parties = [{"name": "甲", "address": "山东省菏泽市牡丹区"}, {"name": "乙", "address": "山东省菏泽市曹县"}]
    assert attribute(parties)[0] == "371702"
    Rule.objects.create(key="ipdata.attribution_rule", value="every_applicant")
    assert attribute(parties)[0] == "371700"


def test_company_name_variants_match(world):
    assert normalise_company_name("测试甲科技有限责任公司 ") == normalise_company_name("测试甲科技有限公司")
    assert normalise_company_name("ＡＢＣ(中国)有限公司") == "ABC（中国）有限公司"
    matcher = EnterpriseMatcher()
    assert matcher.match("测试甲科技有限责任公司") == world.orgs["enterprise_a"].pk
    assert matcher.match("某某", uscc=world.orgs["enterprise_b"].uscc) == world.orgs["enterprise_b"].pk
