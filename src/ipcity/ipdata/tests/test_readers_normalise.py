"""The small normalisers the readers share (pure)."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcity.ipdata.readers.common import parse_agency_cell
from ipcity.ipdata.readers.normalise import (
    LEGAL_STATUSES,
    ValueProblem,
    normalise_legal_status,
    normalise_name,
    parse_date,
    parse_int,
    split_list,
    split_postcode,
    split_region,
)
from ipcity.ipdata.readers.numbers import parse_application_number, parse_classifications, parse_publication


@pytest.mark.parametrize(("raw", "name"), [
    ("科大讯飞(苏州)科技有限公司", "科大讯飞（苏州）科技有限公司"),
    ("ＡＢＣ（中国）有限公司", "ABC（中国）有限公司"),
    ("  中科创达软件　股份有限公司 ", "中科创达软件股份有限公司"),
    ("李 明", "李明"),
    ("约翰・史密斯", "约翰·史密斯"),
    ("Canon   Marketing Japan Inc", "Canon Marketing Japan Inc"),
    ("Foo (Pty) Ltd", "Foo (Pty) Ltd"),
    ("Ｓｏｎｙ　Corp", "Sony Corp"),
    ("华为技术有限公司 Huawei", "华为技术有限公司 Huawei"),
])
def test_normalise_name(raw, name):
    assert normalise_name(raw) == name


@pytest.mark.parametrize(("value", "iso"), [
    ("20220107", "2022-01-07"),
    (20220107, "2022-01-07"),
    ("2022/07/15", "2022-07-15"),
    ("2022.7.5", "2022-07-05"),
    ("2022年7月15日", "2022-07-15"),
    ("2022-07-15 00:00:00", "2022-07-15"),
    (dt.datetime(2023, 5, 11), "2023-05-11"),
    (dt.date(2023, 5, 11), "2023-05-11"),
    (44927, "2023-01-01"),  # an Excel day number
    ("", None),
    (None, None),
])
def test_parse_date(value, iso):
    assert parse_date(value) == iso


@pytest.mark.parametrize(("value", "message"), [
    ("20221345", "「20221345」不是有效日期"),
    ("2022-02-30", "「2022-02-30」不是有效日期"),
    ("2022/07", "「2022/07」不是可识别的日期"),
    ("明天", "「明天」不是可识别的日期"),
    ("17000101", "「17000101」早于 1790 年，不是有效日期"),
    (1.5, "「1.5」不是可识别的日期"),
])
def test_impossible_dates(value, message):
    with pytest.raises(ValueProblem) as exc:
        parse_date(value)
    assert str(exc.value) == message
    with pytest.raises(ValueProblem, match="晚于今天"):
        parse_date("20300101", today=dt.date(2029, 12, 31))


@pytest.mark.parametrize(("raw", "status"), [
    ("有效", "有效"), ("授权", "有效"), ("部分无效", "有效"),
    ("公开", "审中"), ("实质审查", "审中"), ("审中", "审中"), ("未进入国家阶段-PCT有效期内", "审中"),
    ("驳回", "失效"), ("撤回", "失效"), ("无效", "失效"), ("失效", "失效"), ("放弃", "失效"), ("期限届满", "失效"),
    ("未缴年费", "失效"), ("权利终止", "失效"), ("全部撤销", "失效"), ("PCT-有效期满", "失效"),
    ("进入国家阶段-PCT有效期满", "失效"), ("发明专利申请公布后的视为撤回", "失效"), ("Expired", "失效"),
])
def test_legal_status_vocabulary(raw, status):
    assert normalise_legal_status(raw) == (status, True)
    assert status in LEGAL_STATUSES


def test_unknown_and_empty_legal_status():
    assert normalise_legal_status("神秘") == ("未确认", False)
    assert normalise_legal_status("  ") == (None, True)


def test_postcode_and_region_split():
    assert split_postcode("710000 陕西省西安市高新区软件新城天谷八路156号") == ("710000", "陕西省西安市高新区软件新城天谷八路156号")
    assert split_postcode("100191北京市海淀区龙翔路甲1号") == ("100191", "北京市海淀区龙翔路甲1号")
    assert split_postcode("北京市海淀区") == (None, "北京市海淀区")
    assert split_postcode("") == (None, None)
    assert split_region("陕西省西安市高新区软件新城") == ("陕西省", "西安市", None)
    assert split_region("北京市海淀区清华东路9号") == ("北京市", "北京市", "海淀区")
    assert split_region("江苏省南京市雨花台区软件大道109号") == ("江苏省", "南京市", "雨花台区")
    assert split_region("四川省成都市中国（四川）自由贸易试验区成都高新区") == ("四川省", "成都市", None)
    assert split_region("湖北省武汉市武汉东湖新技术开发区高新大道999号") == ("湖北省", "武汉市", None)
    assert split_region("吉林省延边朝鲜族自治州延吉市") == ("吉林省", "延边朝鲜族自治州", "延吉市")
    assert split_region("新疆维吾尔自治区乌鲁木齐市天山区") == ("新疆维吾尔自治区", "乌鲁木齐市", "天山区")
    assert split_region("辽宁省大连高新技术产业园区") == ("辽宁省", None, None)
    assert split_region("日本东京都") == (None, None, None)


def test_agency_cells():
    agencies, agents, codes = parse_agency_cell("北京集佳知识产权代理有限公司11227; 王宝筠;罗满")
    assert [a.name for a in agencies] == ["北京集佳知识产权代理有限公司"]
    assert (agents, codes) == (["王宝筠", "罗满"], ["11227"])
    agencies, agents, _ = parse_agency_cell("北京润泽恒知识产权代理有限公司; 苏培华]]&gt; &lt;/AAOFItem&gt;")
    assert ([a.name for a in agencies], agents) == (["北京润泽恒知识产权代理有限公司"], ["苏培华"])
    agencies, agents, _ = parse_agency_cell("北京华夏正合知识产权代理事务所(普通合伙); 韩登营;张焕亮")
    assert [a.name for a in agencies] == ["北京华夏正合知识产权代理事务所（普通合伙）"]
    assert parse_agency_cell("") == ([], [], [])


def test_numbers():
    assert parse_application_number("ZL 2022 1083 6006.7") == ("CN202210836006.7", "CN", "发明")
    assert parse_application_number("CN200530081524.X") == ("CN200530081524.X", "CN", "外观设计")
    assert parse_application_number("02108890.X") == ("CN02108890.X", "CN", "发明")
    assert parse_application_number("KR1020207012345") == ("KR1020207012345", "KR", None)
    assert parse_application_number("PCT/CN2019/082039") == ("PCT/CN2019/082039", "WO", None)
    pub, problems = parse_publication("cn 114399933 a", "2022-04-26")
    assert (pub["number"], pub["kind"], problems) == ("CN114399933A", "A", [])
    pub, problems = parse_publication("US20220231975A1")
    assert (pub["number"], pub["kind"]) == ("US20220231975A1", "A1")
    pub, problems = parse_publication("TWI999999B")
    assert (pub["number"], pub["kind"]) == ("TWI999999B", "B")
    assert parse_publication("CN114399933X")[1] == [
        "公开（公告）号文献种类代码与专利类型不符：发明专利（序号首位为 1）不能使用 X，应为 A、B 或 C"]
    assert parse_publication("") == (None, [])
    assert parse_classifications("G09B  9/00 | G06T 19/00") == (["G09B 9/00", "G06T 19/00"], [])
    assert parse_classifications("G06F 16/583|G06F 16/535|G06F  9/451")[0] == ["G06F 16/583", "G06F 16/535", "G06F 9/451"]


def test_lists_and_ints():
    assert split_list("孙恺 | 张福生") == ["孙恺", "张福生"]
    assert split_list("田光亚 |\n朱勇") == ["田光亚", "朱勇"]
    assert split_list("甲；乙; 丙") == ["甲", "乙", "丙"]
    assert split_list("") == []
    assert (parse_int("3"), parse_int(3.0), parse_int(""), parse_int("1,234")) == (3, 3, None, 1234)
    with pytest.raises(ValueProblem):
        parse_int("three")


@given(st.text())
def test_normalisers_never_raise_unexpectedly(text):
    normalise_name(text)
    split_list(text)
    split_postcode(text)
    split_region(text)
    normalise_legal_status(text)
    parse_classifications(text)
    try:
        parse_date(text)
    except ValueProblem:
        pass
