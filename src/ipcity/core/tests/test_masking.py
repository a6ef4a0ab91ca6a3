"""Tests for ipcity.core.masking (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcity.core.masking import (
    COMPOUND_SURNAMES,
    mask_address,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_value,
)

# -- examples ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11010519491231002X", "110*************2X"),
        ("110105491231002", "110**********02"),  # 15-digit first-generation number
        ("123456789", "123****89"),  # shortest that keeps both ends
        ("12345678", "1*******"),  # too short: only the first character
        ("12345", "1****"),
        ("1", "*"),
    ],
)
def test_mask_id_number(value, expected):
    assert mask_id_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "138****5678"),
        ("010-12345678", "010*****5678"),
        ("+8613812345678", "+86*******5678"),
        ("12345678", "1*******"),  # an 8-digit landline would otherwise show 7 of 8 digits
        ("12345", "1****"),
        ("9", "*"),
    ],
)
def test_mask_phone(value, expected):
    assert mask_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("张三", "张*"),
        ("张三丰", "张**"),
        ("欧阳修", "欧阳*"),
        ("欧阳娜娜", "欧阳**"),
        ("司马相如", "司马**"),
        ("诸葛亮", "诸葛*"),
        ("上官婉儿", "上官**"),
        ("东方朔", "东方*"),
        ("皇甫谧", "皇甫*"),
        ("尉迟恭", "尉迟*"),
        ("公孙策", "公孙*"),
        ("慕容复", "慕容*"),
        ("长孙无忌", "长孙**"),
        ("宇文泰", "宇文*"),
        ("司徒雷登", "司徒**"),
        ("令狐冲", "令狐*"),
        ("夏侯惇", "夏侯*"),
        ("端木赐", "端木*"),
        ("欧阳", "欧*"),  # two characters: surname 欧 + given name 阳
        ("张", "*"),  # one character: nothing is revealed
        ("阿卜杜·热合曼", "阿******"),
        ("John Smith", "J*********"),
    ],
)
def test_mask_name(value, expected):
    assert mask_name(value) == expected


def test_compound_surnames_listed():
    required = "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 端木".split()
    assert set(required) <= COMPOUND_SURNAMES
    assert all(len(s) == 2 for s in COMPOUND_SURNAMES)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("北京市海淀区中关村大街27号", "北京市海淀区****"),
        ("上海市浦东新区张江路88弄3号", "上海市浦东新区****"),
        ("广东省深圳市南山区科技园南区8栋", "广东省深圳市南山区****"),
        ("浙江省杭州市西湖区文三路90号", "浙江省杭州市西湖区****"),
        ("江苏省苏州市昆山市玉山镇", "江苏省苏州市昆山市****"),
        ("江苏省昆山市玉山镇幸福小区5栋", "江苏省昆山市****"),  # 小区 is not a district
        ("北京市海淀区学院路市场3号", "北京市海淀区****"),  # a 市 in the street part
        ("新疆维吾尔自治区乌鲁木齐市天山区解放南路", "新疆维吾尔自治区乌鲁木齐市天山区****"),
        ("内蒙古自治区锡林郭勒盟锡林浩特市额尔敦路", "内蒙古自治区锡林郭勒盟锡林浩特市****"),
        ("吉林省延边朝鲜族自治州延吉市光明街", "吉林省延边朝鲜族自治州延吉市****"),
        ("湖南省永州市道县城关镇", "湖南省永州市道县****"),
        ("河北省唐山市路南区新华道", "河北省唐山市路南区****"),
        ("香港特别行政区中西区皇后大道中", "香港特别行政区中西区****"),
        ("深圳市南山区科技园", "深圳市南山区****"),
        ("北京朝阳区建国路", "北京朝阳区****"),
        ("广东省 深圳市 南山区 深南大道", "广东省 深圳市 南山区****"),
        ("北京市海淀区", "北京市海淀区****"),
        # no administrative prefix: first 6 characters, never more than half
        ("中关村大街27号院3号楼", "中关村大街2****"),
        ("中关村大街27号", "中关村大****"),
        ("幸福小区", "幸福****"),
        ("某", "****"),
    ],
)
def test_mask_address(value, expected):
    assert mask_address(value) == expected


@pytest.mark.parametrize("func", [mask_id_number, mask_phone, mask_name, mask_address])
@pytest.mark.parametrize("empty", [None, ""])
def test_empty_unchanged(func, empty):
    assert func(empty) == empty
    assert mask_value("id_number", empty) == empty
    assert mask_value("whatever", empty) == empty


def test_mask_value_dispatch():
    assert mask_value("id_number", "11010519491231002X") == "110*************2X"
    assert mask_value("phone", "13812345678") == "138****5678"
    assert mask_value("name", "欧阳修") == "欧阳*"
    assert mask_value("address", "北京市海淀区中关村大街27号") == "北京市海淀区****"
    assert mask_value("email", "someone@example.com") == "s" + "*" * 18
    assert mask_value("unknown", "a") == "*"
    assert mask_value("phone", 13812345678) == "138****5678"


# -- properties ---------------------------------------------------------------------

# Realistic alphabets; "*" itself is excluded (a value made of asterisks is its own mask).
ID_CHARS = st.sampled_from("0123456789Xx")
PHONE_CHARS = st.sampled_from("0123456789+- ")
NAME_CHARS = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.sampled_from("·欧阳司马诸葛上官东方 "),
    st.characters(whitelist_categories=("Lu", "Ll")),
)
LENGTH_PRESERVING = [
    (mask_id_number, ID_CHARS),
    (mask_phone, PHONE_CHARS),
    (mask_name, NAME_CHARS),
]


@pytest.mark.parametrize(("func", "alphabet"), LENGTH_PRESERVING, ids=["id_number", "phone", "name"])
@given(data=st.data())
def test_length_preserved_and_never_unmasked(func, alphabet, data):
    value = data.draw(st.text(alphabet=alphabet, min_size=1, max_size=30))
    masked = func(value)
    assert len(masked) == len(value)
    if len(value) >= 4:
        assert masked != value
    # never reveals a character the rule does not allow: every shown character is
    # at its original position, and something is always hidden
    assert "*" in masked
    assert all(m == "*" or m == v for m, v in zip(masked, value))


@given(st.text(alphabet=ID_CHARS, min_size=1, max_size=30))
def test_id_number_reveals_at_most_first3_last2(value):
    masked = mask_id_number(value)
    shown = [i for i, c in enumerate(masked) if c != "*"]
    n = len(value)
    assert all(i < 3 or i >= n - 2 for i in shown)
    assert len(shown) <= 5


@given(st.text(alphabet=PHONE_CHARS, min_size=1, max_size=30))
def test_phone_reveals_at_most_first3_last4(value):
    masked = mask_phone(value)
    shown = [i for i, c in enumerate(masked) if c != "*"]
    n = len(value)
    assert all(i < 3 or i >= n - 4 for i in shown)
    assert len(shown) <= 7


@given(st.text(alphabet=NAME_CHARS, min_size=1, max_size=20))
def test_name_reveals_at_most_surname(value):
    masked = mask_name(value)
    shown = len(masked.rstrip("*"))
    assert shown <= 2
    assert masked[shown:] == "*" * (len(value) - shown)
    if shown == 2:
        assert value[:2] in COMPOUND_SURNAMES and len(value) >= 3


@given(st.text(min_size=1, max_size=60))
def test_address_always_masks_a_tail(value):
    masked = mask_address(value)
    assert masked.endswith("****")
    kept = masked[: -len("****")]
    assert value.startswith(kept)
    if len(kept) == len(value):  # only a bare administrative name may be kept whole
        assert kept.endswith(tuple("省市区县旗盟州")) or kept.strip() in ("北京", "天津", "上海", "重庆")
