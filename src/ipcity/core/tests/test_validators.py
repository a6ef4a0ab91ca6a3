"""Tests for ipcity.core.validators (pure functions, no database)."""
from __future__ import annotations

import csv
import dataclasses
import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ipcity.core import validators as v

# test file: <repo>/src/ipcity/core/tests/test_validators.py -> parents[4] is the repository root
REPO_ROOT = Path(__file__).resolve().parents[4]
SHARED = REPO_ROOT.parent / "shared"
PATENTICS_CSV = SHARED / "data" / "patents" / "patentics-cn-virtual-reality-7805.csv"


def raises(func, raw, code=None) -> ValidationError:
    """Call func(raw), expect a ValidationError (with `code` if given), return it."""
    with pytest.raises(ValidationError) as info:
        func(raw)
    if code is not None:
        assert info.value.code == code, info.value.messages
    return info.value


def message(func, raw, code=None) -> str:
    return " ".join(raises(func, raw, code).messages)


# --- helpers computing check characters independently of the module under test ----------------------------------


def app_check(body: str) -> str:
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    r = sum(int(d) * w for d, w in zip(body, weights)) % 11
    return "X" if r == 10 else str(r)


def make_application(body: str) -> str:
    return f"CN{body}.{app_check(body)}"


def ric_check(first17: str) -> str:
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    r = (12 - sum(int(d) * w for d, w in zip(first17, weights)) % 11) % 11
    return "X" if r == 10 else str(r)


def make_resident_id(region: str = "110101", birth: str = "19900307", seq: str = "001") -> str:
    first17 = region + birth + seq
    return first17 + ric_check(first17)


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_uscc(first17: str) -> str:
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, weights))
    return first17 + USCC_ALPHABET[(31 - total) % 31]


def test_helpers_agree_with_known_numbers():
    assert make_application("202210836006") == "CN202210836006.7"
    assert make_application("200530081524") == "CN200530081524.X"
    assert make_resident_id("360426", "19910101", "007") == "360426199101010071"  # python-stdnum's example
    assert make_uscc("91110000600037341") == "91110000600037341L"


# --- application numbers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("CN202210836006.7", "CN202210836006.7"),
        ("202210836006.7", "CN202210836006.7"),
        ("2022108360067", "CN202210836006.7"),  # dot dropped
        ("cn202210836006.7", "CN202210836006.7"),
        ("Cn 2022 1 0836006.7 ", "CN202210836006.7"),
        ("ＣＮ２０２２１０８３６００６．７", "CN202210836006.7"),  # full-width
        ("CN202210836006。7", "CN202210836006.7"),
        ("ZL202210836006.7", "CN202210836006.7"),  # 专利号 prefix
        ("CN200530081524.X", "CN200530081524.X"),
        ("200530081524x", "CN200530081524.X"),
        ("CN200530081524.Ｘ", "CN200530081524.X"),
        # 8-digit (pre-2003) form, real numbers from the Patentics sample, including X checks
        ("CN02134647.X", "CN02134647.X"),
        ("98107782x", "CN98107782.X"),
        ("CN00131465.3", "CN00131465.3"),
        ("001314653", "CN00131465.3"),
    ],
)
def test_normalize_application_number_valid(raw, expected):
    assert v.normalize_application_number(raw) == expected


@pytest.mark.parametrize(
    "digits, check",
    [("202210836006", "7"), ("200530081524", "X"), ("202210016632", "1"), ("02134647", "X"), ("00131465", "3")],
)
def test_compute_application_check_digit(digits, check):
    assert v.compute_application_check_digit(digits) == check


@pytest.mark.parametrize("digits", ["", "2022108360", "20221083600a", "2022108360067", "０２１３４６４７", None])
def test_compute_application_check_digit_rejects_bad_bodies(digits):
    raises(v.compute_application_check_digit, digits, "invalid_format")


def test_application_wrong_check_digit_message():
    assert message(v.normalize_application_number, "CN202210836006.5", "invalid_check_digit") == (
        "申请号校验位错误：应为 7，实际为 5"
    )
    assert message(v.normalize_application_number, "CN02134647.1", "invalid_check_digit") == (
        "申请号校验位错误：应为 X，实际为 1"
    )


@pytest.mark.parametrize("raw", ["CN202210836006", "202210836006.", "02134647"])
def test_application_missing_check_digit(raw):
    assert "缺少校验位" in message(v.normalize_application_number, raw, "missing_check_digit")


@pytest.mark.parametrize(
    "raw",
    ["CN2022108360.7", "CN20221083600611.7", "CN202210836006.77", "US202210836006.7", "申请号", "CN202210836006-7"],
)
def test_application_invalid_format(raw):
    text = message(v.normalize_application_number, raw, "invalid_format")
    assert "申请号格式错误" in text and "CN202210836006.7" in text


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_application_empty(raw):
    assert message(v.normalize_application_number, raw, "empty") == "申请号为空"


def test_application_invalid_type_digit():
    text = message(v.normalize_application_number, make_application("202240836006"), "invalid_type")
    assert "类型位" in text and "第 5 位" in text and "实际为 4" in text
    text = message(v.normalize_application_number, make_application("02534647"), "invalid_type")
    assert "第 3 位" in text and "实际为 5" in text


@pytest.mark.parametrize(
    "body, kind",
    [
        ("202210836006", "发明"),
        ("202220836006", "实用新型"),
        ("200530081524", "外观设计"),
        ("202080012345", "PCT发明"),
        ("202090012345", "PCT实用新型"),
        ("02134647", "发明"),
        ("98207782", "实用新型"),
        ("98307782", "外观设计"),
        ("00804119", "PCT发明"),
        ("01912345", "PCT实用新型"),
    ],
)
def test_application_type(body, kind):
    assert v.application_type(make_application(body)) == kind
    assert v.application_type(make_application(body)[2:].replace(".", "")) == kind


def test_application_type_rejects_invalid_number():
    raises(v.application_type, "CN202210836006.5", "invalid_check_digit")


_digit = st.sampled_from("0123456789")
_bodies_12 = st.builds(
    lambda year, type_digit, serial: year + type_digit + serial,
    st.text(_digit, min_size=4, max_size=4),
    st.sampled_from("12389"),
    st.text(_digit, min_size=7, max_size=7),
)


@given(body=_bodies_12, position=st.integers(0, 11), delta=st.integers(1, 9))
def test_application_check_digit_round_trip_and_single_digit_errors(body, position, delta):
    check = v.compute_application_check_digit(body)
    canonical = f"CN{body}.{check}"
    assert v.normalize_application_number(canonical) == canonical
    assert v.normalize_application_number(body + check) == canonical
    assert v.normalize_application_number(f"cn {body}.{check.lower()}") == canonical

    changed = body[:position] + str((int(body[position]) + delta) % 10) + body[position + 1 :]
    assert changed != body
    with pytest.raises(ValidationError):
        v.normalize_application_number(f"CN{changed}.{check}")


# --- publication numbers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, serial, kind, document_type",
    [
        ("CN114399933A", "114399933", "A", "发明公布"),
        ("CN107295441B", "107295441", "B", "发明授权"),
        ("CN216391212U", "216391212", "U", "实用新型"),
        ("CN308051751S", "308051751", "S", "外观设计"),
        ("CN201364657Y", "201364657", "Y", "实用新型"),  # transitional 9-digit with old code
        ("CN301097661D", "301097661", "D", "外观设计"),
        ("CN100411212C", "100411212", "C", "发明授权"),
        ("CN1530884A", "1530884", "A", "发明公布"),
        ("CN2587021Y", "2587021", "Y", "实用新型"),
        ("CN3247966D", "3247966", "D", "外观设计"),
        ("CN1056789C", "1056789", "C", "发明授权"),
        ("CN1003456B", "1003456", "B", None),  # 审定 (pre-1993): type not derivable
    ],
)
def test_parse_publication_number_valid(raw, serial, kind, document_type):
    pub = v.parse_publication_number(raw)
    assert pub == v.PublicationNumber(country="CN", serial=serial, kind=kind, document_type=document_type)
    assert str(pub) == raw


@pytest.mark.parametrize("raw", ["cn114399933a", " CN 114399933 A ", "114399933A", "ＣＮ１１４３９９９３３Ａ"])
def test_parse_publication_number_normalises(raw):
    assert str(v.parse_publication_number(raw)) == "CN114399933A"


def test_publication_number_is_frozen():
    pub = v.parse_publication_number("CN114399933A")
    with pytest.raises(dataclasses.FrozenInstanceError):
        pub.kind = "B"


@pytest.mark.parametrize(
    "raw, words",
    [
        ("CN114399933U", ["文献种类代码与专利类型不符", "发明专利", "不能使用 U", "A、B 或 C"]),
        ("CN216391212A", ["实用新型专利", "不能使用 A", "U 或 Y"]),
        ("CN308051751B", ["外观设计专利", "不能使用 B", "D 或 S"]),
        ("CN2587021S", ["实用新型专利", "不能使用 S"]),
        ("CN3247966A", ["外观设计专利", "不能使用 A"]),
    ],
)
def test_publication_kind_must_fit_type(raw, words):
    text = message(v.parse_publication_number, raw, "invalid_kind")
    for word in words:
        assert word in text


@pytest.mark.parametrize(
    "raw, code, word",
    [
        ("CN514399933A", "invalid_type", "序号首位应为 1（发明）、2（实用新型）或 3（外观设计）"),
        ("CN4530884A", "invalid_type", "实际为 4"),
        ("US114399933A", "invalid_country", "仅支持中国"),
        ("CN11439993A", "invalid_format", "格式错误"),
        ("CN114399933", "invalid_format", "格式错误"),
        ("CN114399933AB", "invalid_format", "格式错误"),
        ("CN202210836006.7", "invalid_format", "格式错误"),
        ("", "empty", "公开号为空"),
    ],
)
def test_publication_invalid(raw, code, word):
    assert word in message(v.parse_publication_number, raw, code)


# --- USCC ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "91110000600037341L",
        "91110000600037341l",
        " 9111 0000 6000 3734 1L ",
        "911100-006000373-41L",
        "９１１１００００６０００３７３４１Ｌ",
    ],
)
def test_validate_uscc_valid(raw):
    assert v.validate_uscc(raw) == "91110000600037341L"


def test_validate_uscc_accepts_letter_registration_authority():
    # 登记管理部门 N (农业) — synthetic code with a computed check character
    code = make_uscc("N2330102MA2ABCDE0")
    assert v.validate_uscc(code) == code
    assert v.uscc_region_code(code) == "330102"


def test_uscc_region_code():
    assert v.uscc_region_code("91110000600037341L") == "110000"
    assert v.uscc_region_code(make_uscc("91410300MA44ABCD1")) == "410300"
    raises(v.uscc_region_code, "91110000600037341M", "invalid_check_digit")


@pytest.mark.parametrize("raw, length", [("9111000060003734", 16), ("91110000600037341L1", 19), ("91", 2)])
def test_uscc_wrong_length(raw, length):
    text = message(v.validate_uscc, raw, "invalid_length")
    assert "长度错误" in text and "应为 18 位" in text and f"实际为 {length} 位" in text


@pytest.mark.parametrize("char", ["I", "O", "S", "V", "Z"])
def test_uscc_forbidden_letters(char):
    raw = "911100006000373" + char + "1L"
    text = message(v.validate_uscc, raw, "invalid_characters")
    assert "非法字符" in text and f"：{char}（" in text and "I、O、S、V、Z" in text


def test_uscc_other_illegal_characters():
    assert "非法字符：*、甲" in message(v.validate_uscc, "9111000060003734甲*", "invalid_characters")


def test_uscc_wrong_check_character():
    assert message(v.validate_uscc, "91110000600037341M", "invalid_check_digit") == (
        "统一社会信用代码校验位错误：应为 L，实际为 M"
    )


def test_uscc_region_must_be_digits():
    text = message(v.validate_uscc, make_uscc("911A0000600037341"), "invalid_region_code")
    assert "行政区划代码" in text and "1A0000" in text


def test_uscc_empty():
    raises(v.validate_uscc, "", "empty")


# --- IPC -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("G09B  9/00", "G09B 9/00"),
        ("G09B9/00", "G09B 9/00"),
        ("g06q30/01", "G06Q 30/01"),
        ("H04R1/28", "H04R 1/28"),
        ("H04N  5/225", "H04N 5/225"),
        ("G06F  3/0346", "G06F 3/0346"),
        ("Ｇ０６Ｆ　３／０１", "G06F 3/01"),
        ("G09G 5/10 (2006.01)", "G09G 5/10"),
        ("G09G5/10(2006.01)", "G09G 5/10"),
        ("G09G 5/10 （2006.01）", "G09G 5/10"),
        ("G06Q 0030/01", "G06Q 30/01"),
        ("H10B 10/00", "H10B 10/00"),
        ("  A61B 5/00  ", "A61B 5/00"),
        ("Y02P90/02", "Y02P 90/02"),  # CPC Y tag, found in the Patentics 国际分类 column
    ],
)
def test_normalize_ipc(raw, expected):
    assert v.normalize_ipc(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "G09B", "G09B 9", "G09B 9/0", "G09B 9/", "I09B 9/00", "Z02P 90/02", "G9B 9/00", "G09B 12345/00", "G09B 0/00",
     "G09B 9/00 x", "G09B 9/00 (2006)", "G09B 9/00; G06T 19/00"],
)
def test_normalize_ipc_invalid(raw):
    text = message(v.normalize_ipc, raw, "invalid_ipc")
    assert "IPC 分类号格式错误" in text and "G09B 9/00" in text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("G09B  9/00 | G06T 19/00", ["G09B 9/00", "G06T 19/00"]),
        ("G09B9/00;G06T19/00", ["G09B 9/00", "G06T 19/00"]),
        ("G09B 9/00；G06T 19/00", ["G09B 9/00", "G06T 19/00"]),
        ("G09B 9/00, G06T 19/00，h04r1/28", ["G09B 9/00", "G06T 19/00", "H04R 1/28"]),
        ("G09B 9/00 G06T 19/00", ["G09B 9/00", "G06T 19/00"]),  # whitespace-separated
        ("G09B  9/00  H04N  5/225", ["G09B 9/00", "H04N 5/225"]),
        ("G09G 5/10 (2006.01); G06F 3/01 (2006.01)", ["G09G 5/10", "G06F 3/01"]),
        ("G09G 5/10 (2006.01) G06F 3/01 (2006.01)", ["G09G 5/10", "G06F 3/01"]),
        ("G05B 19/418 | Y02P 90/02", ["G05B 19/418", "Y02P 90/02"]),
        ("G09B 9/00;; | ；", ["G09B 9/00"]),
        ("", []),
        ("  ", []),
    ],
)
def test_split_ipc_list(raw, expected):
    assert v.split_ipc_list(raw) == expected


def test_split_ipc_list_reports_every_bad_item():
    error = raises(v.split_ipc_list, "G09B 9/00; X1 | G06T 19/00, G06F 3/1; G09B 9/00 19/00")
    assert len(error.messages) == 3
    assert "第 2 项" in error.messages[0] and "X1" in error.messages[0]
    assert "第 4 项" in error.messages[1] and "G06F 3/1" in error.messages[1]
    assert "第 5 项" in error.messages[2] and "G09B 9/00 19/00" in error.messages[2]  # ambiguous: not split
    assert all(e.code == "invalid_ipc" for e in error.error_list)


# --- resident ID number --------------------------------------------------------------------------------------------


def _resident_id_with_x() -> str:
    for seq in range(1000):
        number = make_resident_id("440305", "19851231", f"{seq:03d}")
        if number.endswith("X"):
            return number
    raise AssertionError("no X check digit found")


def test_validate_resident_id_valid():
    number = make_resident_id()
    assert v.validate_resident_id(number) == number
    assert v.validate_resident_id(f" {number[:6]} {number[6:14]} {number[14:]} ") == number
    with_x = _resident_id_with_x()
    assert v.validate_resident_id(with_x.lower()) == with_x
    assert v.validate_resident_id(with_x[:-1] + "ｘ") == with_x
    leap_day = make_resident_id("650102", "20000229", "124")
    assert v.validate_resident_id(leap_day) == leap_day


@pytest.mark.parametrize(
    "raw, length", [("11010119900307001", 17), ("110101900307001", 15), ("1101011990030700111", 19)]
)
def test_resident_id_wrong_length(raw, length):
    text = message(v.validate_resident_id, raw, "invalid_length")
    assert "身份证号码长度错误" in text and "应为 18 位" in text and f"实际为 {length} 位" in text


@pytest.mark.parametrize("raw", ["11010119900307A011", "X10101199003070011", "11010119900307001Y"])
def test_resident_id_invalid_format(raw):
    assert "末位应为数字或 X" in message(v.validate_resident_id, raw, "invalid_format")


@pytest.mark.parametrize("birth", ["19900230", "19901301", "19900000", "18991231"])
def test_resident_id_invalid_birth_date(birth):
    text = message(v.validate_resident_id, make_resident_id(birth=birth), "invalid_birth_date")
    assert "出生日期无效" in text and f"{birth[:4]}-{birth[4:6]}-{birth[6:]}" in text


def test_resident_id_birth_date_in_future():
    future = (datetime.date.today() + datetime.timedelta(days=400)).strftime("%Y%m%d")
    raises(v.validate_resident_id, make_resident_id(birth=future), "invalid_birth_date")


def test_resident_id_wrong_check_digit():
    number = make_resident_id()
    wrong = "0" if number[-1] != "0" else "1"
    assert message(v.validate_resident_id, number[:-1] + wrong, "invalid_check_digit") == (
        f"身份证号码校验位错误：应为 {number[-1]}，实际为 {wrong}"
    )


def test_resident_id_empty():
    raises(v.validate_resident_id, "", "empty")


# --- mobile numbers ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "+8613800138000", "86 13800138000",
     "8613800138000", "0086-138-0013-8000", "１３８００１３８０００", "＋８６ １３８－００１３－８０００"],
)
def test_validate_mobile_valid(raw):
    assert v.validate_mobile(raw) == "13800138000"


@pytest.mark.parametrize("second", "3456789")
def test_validate_mobile_second_digits(second):
    assert v.validate_mobile(f"1{second}912345678") == f"1{second}912345678"


@pytest.mark.parametrize("raw, length", [("1380013800", 10), ("138001380001", 12), ("+86 1380013800", 10)])
def test_mobile_wrong_length(raw, length):
    text = message(v.validate_mobile, raw, "invalid_length")
    assert "应为 11 位数字" in text and f"实际为 {length} 位" in text


@pytest.mark.parametrize("raw, prefix", [("12800138000", "12"), ("10800138000", "10"), ("23800138000", "23")])
def test_mobile_wrong_prefix(raw, prefix):
    text = message(v.validate_mobile, raw, "invalid_prefix")
    assert "号段错误" in text and f"实际为 {prefix}" in text


@pytest.mark.parametrize("raw", ["1380013800a", "138.0013.8000", "(010)13800138000", "电话13800138000"])
def test_mobile_illegal_characters(raw):
    assert "手机号码含非法字符" in message(v.validate_mobile, raw, "invalid_format")


def test_mobile_empty():
    raises(v.validate_mobile, " ", "empty")


# --- Django field validators ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "validator, good, bad",
    [
        (v.uscc_validator, "91110000600037341L", "91110000600037341M"),
        (v.resident_id_validator, make_resident_id(), make_resident_id()[:-1] + "Y"),
        (v.mobile_validator, "13800138000", "12800138000"),
        (v.ipc_validator, "G09B 9/00", "G09B"),
        (v.ipc_list_validator, "G09B 9/00 | G06T 19/00", "G09B 9/00 | X"),
        (v.application_number_validator, "CN202210836006.7", "CN202210836006.5"),
    ],
)
def test_field_validators(validator, good, bad):
    assert validator(good) is None
    with pytest.raises(ValidationError):
        validator(bad)


# --- real data (../shared; skipped when absent) --------------------------------------------------------------------


def _patentics_rows() -> tuple[list[str], list[list[str]]]:
    if not PATENTICS_CSV.is_file():
        pytest.skip(f"../shared is absent: {PATENTICS_CSV} not found")
    with PATENTICS_CSV.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [row for row in reader if row]


def test_every_application_number_in_patentics_sample_is_valid():
    header, rows = _patentics_rows()
    column = header.index("申请号")
    assert len(rows) == 7805
    failures = []
    for row in rows:
        try:
            canonical = v.normalize_application_number(row[column])
        except ValidationError as error:
            failures.append((row[column], error.messages))
        else:
            assert canonical == row[column]
    assert failures == []


def test_every_publication_number_and_ipc_in_patentics_sample_parses():
    header, rows = _patentics_rows()
    pub_column, ipc_column = header.index("公开号"), header.index("国际分类")
    failures = []
    for row in rows:
        try:
            assert str(v.parse_publication_number(row[pub_column])) == row[pub_column]
            assert v.split_ipc_list(row[ipc_column])
        except ValidationError as error:
            failures.append((row[pub_column], row[ipc_column], error.messages))
    assert failures == []
