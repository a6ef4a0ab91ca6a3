"""The fielded query syntax: operators, precedence, quoting, ranges, errors, and properties."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipcity.search.query import (FIELDS, TEXT_FIELDS, And, Not, Or, QuerySyntaxError, Range, Term, and_, or_, parse,
                                 positive_terms, to_query)


def T(text, field=None):
    return Term(field, text)


# --- operators and precedence -------------------------------------------------------------------------

def test_bare_term_searches_all_text_fields():
    assert parse("商标") == T("商标")


def test_fielded_terms_and_case_insensitive_field_names():
    assert parse("TI=商标") == T("商标", "TI")
    assert parse("ti=商标") == T("商标", "TI")
    assert parse("Ab = 图像识别") == T("图像识别", "AB")
    for code in TEXT_FIELDS:
        assert parse(f"{code.lower()}=专利") == T("专利", code)


@pytest.mark.parametrize("query", ["商标 AND 专利", "商标 and 专利", "商标 专利", "商标  \t专利"])
def test_and_explicit_and_implicit(query):
    assert parse(query) == And((T("商标"), T("专利")))


def test_or():
    assert parse("商标 OR 专利 or 版权") == Or((T("商标"), T("专利"), T("版权")))


def test_not_binary_and_unary():
    assert parse("商标 NOT 专利") == And((T("商标"), Not(T("专利"))))
    assert parse("商标 AND NOT 专利") == And((T("商标"), Not(T("专利"))))
    assert parse("NOT 专利") == Not(T("专利"))
    assert parse("NOT NOT 专利") == Not(Not(T("专利")))


def test_precedence_not_over_and_over_or():
    a, b, c, d = T("a"), T("b"), T("c"), T("d")
    assert parse("a OR b AND c") == Or((a, And((b, c))))
    assert parse("a AND b OR c") == Or((And((a, b)), c))
    assert parse("a OR b NOT c") == Or((a, And((b, Not(c)))))
    assert parse("a AND b NOT c OR d") == Or((And((a, b, Not(c))), d))
    assert parse("a b OR c d") == Or((And((a, b)), And((c, d))))
    assert parse("a NOT b NOT c") == And((a, Not(b), Not(c)))


def test_parentheses_override_precedence():
    a, b, c = T("a"), T("b"), T("c")
    assert parse("(a OR b) AND c") == And((Or((a, b)), c))
    assert parse("a AND (b OR c)") == And((a, Or((b, c))))
    assert parse("((a))") == a
    assert parse("NOT (a OR b)") == Not(Or((a, b)))
    assert parse("a NOT (b OR c)") == And((a, Not(Or((b, c)))))


def test_field_applies_to_a_parenthesized_group():
    assert parse("TI=(商标 OR 专利) AND AB=图像") == And((
        Or((T("商标", "TI"), T("专利", "TI"))), T("图像", "AB")))
    assert parse("PA=(华为 NOT 海尔)") == And((T("华为", "PA"), Not(T("海尔", "PA"))))


def test_quoted_phrases():
    node = parse('CL="特征 向量 AND (x)" OR "NOT"')
    assert node == Or((T("特征 向量 AND (x)", "CL"), T("NOT")))
    assert node.children[0].quoted and node.children[1].quoted
    assert parse('"  商标  "') == T("商标")


def test_full_width_operators_equals_parentheses_and_quotes():
    assert parse("ＴＩ＝商标 ＡＮＤ （专利 ＯＲ 版权）") == And((T("商标", "TI"), Or((T("专利"), T("版权")))))
    assert parse("AB＝“图像 识别”") == T("图像 识别", "AB")
    assert parse("商标　专利") == And((T("商标"), T("专利")))  # ideographic space


def test_date_ranges_and_single_dates():
    assert parse("AD=[20200101 TO 20231231]") == Range("AD", 20200101, 20231231)
    assert parse("pd=[20200101 to *]") == Range("PD", 20200101, None)
    assert parse("AD=[* TO 20231231]") == Range("AD", None, 20231231)
    assert parse("AD=20200229") == Range("AD", 20200229, 20200229)
    assert parse("AD=(20200101 OR 20210101)") == Or((Range("AD", 20200101, 20200101), Range("AD", 20210101, 20210101)))


def test_ipc_values_are_normalized_prefixes():
    assert parse("IC=G06F*") == T("G06F*", "IC")
    assert parse("ic=g06f") == T("G06F", "IC")
    assert parse('IC="G06F 16/35"') == T("G06F16/35", "IC")
    assert parse("IC=H04L9/3*") == T("H04L9/3*", "IC")


def test_region_and_keyword_fields():
    assert parse("RG=37") == T("370000", "RG")
    assert parse("RG=3717") == T("371700", "RG")
    assert parse("RG=371702") == T("371702", "RG")
    assert parse("LS=有效 PT=发明") == And((T("有效", "LS"), T("发明", "PT")))


def test_nesting_is_limited_with_a_syntax_error():
    assert parse("(" * 40 + "商标" + ")" * 40) == T("商标")
    with pytest.raises(QuerySyntaxError) as info:
        parse("(" * 41 + "商标" + ")" * 41)
    assert info.value.position == 40 and "嵌套过深" in info.value.message
    with pytest.raises(QuerySyntaxError) as info:
        parse("NOT " * 1000 + "商标")
    assert info.value.position == 160
    with pytest.raises(QuerySyntaxError):
        parse("(" * 5000)


def test_positive_terms_skip_negated_ones():
    node = parse("TI=商标 NOT (专利 NOT 版权) OR AB=图像")
    assert {(t.field, t.text) for t in positive_terms(node)} == {("TI", "商标"), (None, "版权"), ("AB", "图像")}


# --- errors: exact positions and Chinese messages ------------------------------------------------------

@pytest.mark.parametrize("query, message, position", [
    ("", "检索式为空", 0),
    ("   ", "检索式为空", 0),
    ("(商标 OR 专利", "括号不匹配：缺少右括号“)”", 0),
    ("商标 AND ((专利)", "括号不匹配：缺少右括号“)”", 7),
    ("商标)", "括号不匹配：多余的右括号“)”", 2),
    ("(商标)) OR 专利", "括号不匹配：多余的右括号“)”", 4),
    ("商标 ()", "括号内缺少检索词", 3),
    ("XX=商标", "未知字段“XX”，可用字段：TI AB CL PA IN IC AD PD LS PT RG AN", 0),
    ("商标 AND xx=1", "未知字段“xx”，可用字段：TI AB CL PA IN IC AD PD LS PT RG AN", 7),
    ("=商标", "“=”前缺少字段名", 0),
    ("商标=专利", "“=”前应为字段名，如 TI=", 2),
    ("TI=", "字段“TI”缺少检索值", 3),
    ("TI= OR 专利", "字段“TI”缺少检索值", 3),
    ("TI=(AB=商标)", "字段“TI”的括号内不能再指定字段“AB”", 4),
    ("商标 AND", "“AND”后缺少检索词", 3),
    ("商标 OR", "“OR”后缺少检索词", 3),
    ("商标 NOT", "“NOT”后缺少检索词", 3),
    ("商标 AND OR 专利", "“AND”后缺少检索词", 3),
    ("AND 商标", "“AND”前缺少检索词", 0),
    ("(OR 商标)", "“OR”前缺少检索词", 1),
    ("商标 (AND 专利)", "“AND”前缺少检索词", 4),
    ('TI="商标', "引号不匹配：缺少右引号", 3),
    ('商标 ""', "引号内缺少检索词", 3),
    ("AD=2020", "日期格式错误“2020”：应为8位数字，如 20200101", 3),
    ("AD=2020-01-01", "日期格式错误“2020-01-01”：应为8位数字，如 20200101", 3),
    ("AD=20201340", "日期无效“20201340”", 3),
    ("AD=[20200101 TO 2021]", "日期格式错误“2021”：应为8位数字，如 20200101", 16),
    ("AD=[20200230 TO 20211231]", "日期无效“20200230”", 4),
    ("AD=[20231231 TO 20200101]", "日期范围的起始日期晚于结束日期", 3),
    ("AD=[20200101 20231231]", "范围格式错误：应为 [起始日期 TO 结束日期]", 3),
    ("AD=[20200101 TO 20231231", "范围缺少右方括号“]”", 3),
    ("商标]", "多余的右方括号“]”", 2),
    ("TI=[20200101 TO 20231231]", "字段“TI”不支持范围检索", 3),
    ("[20200101 TO 20231231]", "范围检索须指定日期字段，如 AD=[20200101 TO 20231231]", 0),
    ("TI=商标*", "只有 IC 字段支持通配符“*”", 5),
    ("IC=G0*6F", "通配符“*”只能用在 IPC 分类号末尾", 5),
    ("IC=XYZ", "IPC分类号格式错误“XYZ”，应如 G06F、G06F16/35 或 G06F*", 3),
    ("RG=371", "地区代码格式错误“371”：应为2、4或6位数字", 3),
    ("ＴＩ＝（商标", "括号不匹配：缺少右括号“)”", 3),
])
def test_syntax_errors(query, message, position):
    with pytest.raises(QuerySyntaxError) as info:
        parse(query)
    assert (info.value.message, info.value.position) == (message, position)
    assert isinstance(info.value, ValueError)
    assert f"第 {position + 1} 个字符处" in str(info.value)


# --- properties ---------------------------------------------------------------------------------------

QUERY_CHARS = st.sampled_from(list('商标专利图像识别方法装置系统 ()（）"“”[]=＝*ANDORNOTandornotTIABCLPAICADPD12345678'
                                   '09/　\t-_:;，。') + ["AND", "OR", "NOT", "TI=", "AD=[", " TO ", "]"])


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(QUERY_CHARS, max_size=25).map("".join)))
def test_parse_raises_only_query_syntax_errors(text):
    try:
        node = parse(text)
    except QuerySyntaxError as error:
        assert 0 <= error.position <= len(text)
        assert error.message
    else:
        assert parse(to_query(node)) == node  # printing a parsed query reads back the same


WORD = st.text(alphabet=st.sampled_from(list("商标专利图像识别锂电池汽车装置方法数据abcXYZ0129-_.:")), min_size=1, max_size=6)
PHRASE = st.lists(WORD, min_size=2, max_size=3).map(" ".join)
DATE = st.dates(min_value=dt.date(1985, 1, 1)).map(lambda d: int(d.strftime("%Y%m%d")))


def _text_term():
    return st.builds(lambda f, w: Term(f, w), st.sampled_from([None, *TEXT_FIELDS]), WORD | PHRASE)


def _range():
    def build(field, a, b, open_start, open_end):
        lo, hi = min(a, b), max(a, b)
        return Range(field, None if open_start else lo, None if open_end else hi)
    return st.builds(build, st.sampled_from(["AD", "PD"]), DATE, DATE, st.booleans(), st.booleans())


LEAVES = st.one_of(
    _text_term(),
    _range(),
    st.builds(lambda v: Term("IC", v), st.sampled_from(["G", "G06", "G06F", "G06F16", "G06F16/35", "G06F*", "G0*",
                                                         "G06F1*", "H04L9/3*"])),
    st.builds(lambda v: Term("RG", v), st.sampled_from(["370000", "371700", "371702"])),
    st.builds(lambda f, v: Term(f, v), st.sampled_from(["LS", "PT", "AN"]),
              st.sampled_from(["有效", "发明", "CN202010001.X"])),
)


def _combine(children):
    pair = st.lists(children, min_size=2, max_size=3)
    return st.one_of(pair.map(lambda cs: and_(*cs)), pair.map(lambda cs: or_(*cs)), children.map(Not))


AST = st.recursive(LEAVES, _combine, max_leaves=8)


@settings(max_examples=400, deadline=None)
@given(AST)
def test_print_parse_round_trip(node):
    assert parse(to_query(node)) == node


def test_every_field_is_documented_with_a_kind():
    assert set(FIELDS) == {"TI", "AB", "CL", "PA", "IN", "IC", "AD", "PD", "LS", "PT", "RG", "AN"}
    assert all(kind in {"text", "ipc", "date", "region", "keyword"} for kind, _ in FIELDS.values())
