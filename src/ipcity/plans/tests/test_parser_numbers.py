"""Numerals, dates, year ranges and 发文字号."""

import pytest

from ipcity.plans.parser.docnumber import find_doc_numbers, normalize_doc_number, standalone_doc_number
from ipcity.plans.parser.numbers import (cn_int, find_year_ranges, five_year_plan, is_date_line, parse_date,
                                         parse_year_range, period_end, to_number)


@pytest.mark.parametrize("text,value", [("一", 1), ("十", 10), ("十三", 13), ("二十", 20), ("二十三", 23),
                                        ("一百零五", 105), ("17", 17), ("二〇二二", 2022), ("二OO九", 2009)])
def test_cn_int(text, value):
    assert cn_int(text) == value


def test_cn_int_rejects_words():
    assert cn_int("批") is None and cn_int("") is None


def test_to_number():
    assert to_number("3.9") == 3.9 and to_number("1,200") == 1200.0 and to_number("两") == 2.0
    assert to_number("三十") == 30.0 and to_number("abc") is None


@pytest.mark.parametrize("text,iso", [
    ("2022年11月21日", "2022-11-21"),
    ("2022 年 10 月 31 日", "2022-10-31"),
    ("2023-02-17", "2023-02-17"),
    ("2023/2/7", "2023-02-07"),
    ("二〇二二年十一月二十一日", "2022-11-21"),
    ("二OO九年九月二十一日", "2009-09-21"),     # the letter O for 〇
    ("二○一四年一月二十二日", "2014-01-22"),     # ○ (U+25CB)
    ("二零二四年四月十日", "2024-04-10"),
])
def test_dates(text, iso):
    assert parse_date(text) == iso
    assert is_date_line(f"  {text} ") == iso


def test_invalid_and_embedded_dates():
    assert parse_date("2022年2月30日") is None
    assert is_date_line("已经2022年10月31日市政府第13次常务会议通过") is None
    assert is_date_line("2021-11-20 10:14:00") is None


@pytest.mark.parametrize("text", ["2022—2025年", "2022–2025年", "2022-2025年", "2022～2025年", "2022~2025",
                                  "2022至2025年", "2022年—2025年", "2022 — 2025 年", "（2022——2025年）",
                                  "20222025年", "二〇二二—二〇二五年"])
def test_year_ranges(text):
    assert parse_year_range(text) == (2022, 2025)


def test_year_range_rejects_implausible():
    assert parse_year_range("20252022年") is None        # end before start
    assert parse_year_range("2022年11月21日") is None
    assert find_year_ranges("专利20001件，2025年") == []


def test_five_year_plan():
    assert five_year_plan("菏泽市“十四五”知识产权保护和运用规划") == (2021, 2025)
    assert five_year_plan("“十三五”时期") == (2016, 2020)
    assert five_year_plan("二十四五") is None and five_year_plan("第十五条") is None


def test_period_end():
    assert period_end(2024) == "2024-12-31"
    assert period_end(2025, 6) == "2025-06-30"
    assert period_end(2024, 2) == "2024-02-29"
    assert period_end(2025, 3, 15) == "2025-03-15"
    assert period_end(2025, qualifier="上半年") == "2025-06-30"


@pytest.mark.parametrize("raw,normalised", [
    ("菏政办字〔2022〕52号", "菏政办字〔2022〕52号"),
    ("国发[2008]18号", "国发〔2008〕18号"),
    ("国发［2008］18号", "国发〔2008〕18号"),
    ("京政办发【2020】7号", "京政办发〔2020〕7号"),
    ("呼政字 〔2019〕 84号", "呼政字〔2019〕84号"),
    ("朝政办发〔2024〕4 号", "朝政办发〔2024〕4号"),
    ("某政发(2022)第033号", "某政发〔2022〕33号"),
    ("某政发(202233号", "某政发〔2022〕33号"),        # closing bracket lost
    ("(202233号", "〔2022〕33号"),
    ("菏政办字2022〕52号", "菏政办字〔2022〕52号"),    # opening bracket lost
])
def test_doc_number_variants(raw, normalised):
    assert normalize_doc_number(raw) == normalised
    assert standalone_doc_number(raw) == normalised


def test_doc_number_in_text_and_fields():
    found = find_doc_numbers("根据《通知》(国知发运字〔2024〕2号)和国发〔2021〕20号")
    assert [n for _, _, n in found] == ["国知发运字〔2024〕2号", "国发〔2021〕20号"]
    assert standalone_doc_number("文 号: | 菏政办字〔2022〕52号 |") == "菏政办字〔2022〕52号"
    assert standalone_doc_number("朝政办发〔2024〕13号     签发人：张三") == "朝政办发〔2024〕13号"
    assert standalone_doc_number("依据国发〔2021〕20号文件精神") is None
    assert normalize_doc_number("2022—2025年") is None
