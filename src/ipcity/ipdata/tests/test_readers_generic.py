"""Generic tables with a column mapping, rejected rows, file-level errors, and junk that must never raise."""
from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipcity.ipdata.readers import PatentRecord, ReaderError, RowError, detect_format, read_records

MAPPING = {
    "application_number": "申请号",
    "publication_number": "公开号",
    "application_date": "申请日",
    "publication_date": "公开日",
    "title": "专利名称",
    "applicants": "申请人",
    "applicant_address": "地址",
    "applicant_uscc": "信用代码",
    "inventors": "发明人",
    "ipc": "分类号",
    "legal_status": "状态",
}
HEADER = ["序号", "申请号", "公开号", "申请日", "公开日", "专利名称", "申请人", "地址", "信用代码", "发明人", "分类号",
          "状态", "备注"]
GOOD = ["1", "2022108360067", "CN115438209A", "2022/7/15", "2022-12-06", "一种主题推荐方法",
        "西安中科创达软件有限公司；中科创达软件股份有限公司", "710000 陕西省西安市高新区天谷八路156号", "91110000600037341L",
        "王子健 | 李 四", "G06F16/583; G06F  9/451", "实质审查", "示例"]


def _csv(path, rows, header=HEADER, encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_generic_csv_with_mapping_field_by_field(tmp_path):
    path = _csv(tmp_path / "list.csv", [GOOD])
    [rec] = list(read_records(path, mapping=MAPPING))
    assert isinstance(rec, PatentRecord) and rec.source_format == "generic" and rec.row_number == 1
    assert (rec.application_number, rec.application_number_raw) == ("CN202210836006.7", "2022108360067")
    assert (rec.patent_type, rec.office) == ("发明", "CN")
    assert rec.publications == [{"number": "CN115438209A", "kind": "A", "date": "2022-12-06", "raw": "CN115438209A"}]
    assert (rec.application_date, rec.publication_date) == ("2022-07-15", "2022-12-06")
    assert rec.title == "一种主题推荐方法"
    assert [p.name for p in rec.applicants] == ["西安中科创达软件有限公司", "中科创达软件股份有限公司"]
    first = rec.applicants[0]
    assert (first.postcode, first.address, first.uscc) == ("710000", "陕西省西安市高新区天谷八路156号", "91110000600037341L")
    assert [p.name for p in rec.inventors] == ["王子健", "李四"]
    assert rec.ipc == ["G06F 16/583", "G06F 9/451"] and rec.ipc_main == "G06F 16/583"
    assert (rec.legal_status, rec.legal_status_raw) == ("审中", "实质审查")
    assert rec.extra == {"序号": "1", "备注": "示例"}
    assert rec.raw == dict(zip(HEADER, GOOD))


def test_generic_xlsx_with_preamble_rows_and_typed_cells(tmp_path):
    path = tmp_path / "list.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["某数据库导出", None])
    sheet.append(["检索式：虚拟现实"])
    sheet.append(["申请号", "申请日", "名称", "申请人"])
    sheet.append(["CN202123402459.9", dt.datetime(2021, 12, 30), "一种全景摄像装置", "郑州科技学院"])
    sheet.append([None, None, None, None])
    sheet.append(["CN03826012.3", 20030417, "虚拟现实系统移动接口", "西南研究会"])
    workbook.save(path)
    mapping = {"application_number": "申请号", "application_date": "申请日", "title": "名称", "applicants": "申请人"}
    items = list(read_records(path, mapping=mapping))
    assert [(i.row_number, i.application_number, i.application_date, i.patent_type) for i in items] == [
        (1, "CN202123402459.9", "2021-12-30", "实用新型"), (3, "CN03826012.3", "2003-04-17", "PCT发明")]
    assert items[0].raw == {"申请号": "CN202123402459.9", "申请日": "2021-12-30", "名称": "一种全景摄像装置",
                            "申请人": "郑州科技学院"}


def test_gbk_csv_and_header_matching_ignores_width_and_spaces(tmp_path):
    path = _csv(tmp_path / "gbk.csv", [["CN202210836006.7", "（测试）名称"]], header=["申请号 ", "标题（中文）"],
                encoding="gb18030")
    [rec] = list(read_records(path, mapping={"application_number": "申请号", "title": "标题(中文)"}))
    assert (rec.application_number, rec.title) == ("CN202210836006.7", "（测试）名称")


def test_bad_rows_collect_every_reason_in_chinese_and_keep_the_raw_row(tmp_path):
    wrong_check = GOOD.copy()
    wrong_check[1] = "CN202210836006.5"
    missing = GOOD.copy()
    missing[1] = ""
    impossible = GOOD.copy()
    impossible[3], impossible[4] = "20221345", "2022-02-30"
    several = GOOD.copy()
    several[1], several[3], several[8], several[2] = "2022108360061", "20230101", "91110000600037341X", "CN115438209U"
    no_dot = GOOD.copy()
    no_dot[1] = "CN202210836006"
    path = _csv(tmp_path / "bad.csv", [GOOD, wrong_check, missing, impossible, several, no_dot])
    items = list(read_records(path, mapping=MAPPING))
    assert isinstance(items[0], PatentRecord)
    errors = {i.row_number: i for i in items if isinstance(i, RowError)}
    assert sorted(errors) == [2, 3, 4, 5, 6]
    assert errors[2].reasons == ["申请号校验位错误：应为 7，实际为 5"]
    assert errors[2].raw["申请号"] == "CN202210836006.5" and errors[2].raw["专利名称"] == "一种主题推荐方法"
    assert errors[3].reasons == ["申请号为空"]
    assert errors[4].reasons == ["申请日「20221345」不是有效日期", "公开（公告）日「2022-02-30」不是有效日期"]
    assert errors[5].reasons == [
        "申请号校验位错误：应为 7，实际为 1",
        "公开（公告）号文献种类代码与专利类型不符：发明专利（序号首位为 1）不能使用 U，应为 A、B 或 C",
        "第一申请人的统一社会信用代码校验位错误：应为 L，实际为 X",
        "公开（公告）日（2022-12-06）早于申请日（2023-01-01）",
    ]
    assert errors[6].reasons == ["申请号缺少校验位：「CN202210836006」后应有“.”和一位校验位（数字或 X）"]


def test_cn_dates_before_the_patent_law_and_in_the_future(tmp_path):
    future = (dt.date.today() + dt.timedelta(days=2)).strftime("%Y%m%d")
    rows = [["CN85100001.0", "19840101"], ["CN202210836006.7", future]]
    path = _csv(tmp_path / "dates.csv", rows, header=["申请号", "申请日"])
    items = list(read_records(path, mapping={"application_number": "申请号", "application_date": "申请日"}))
    assert all(isinstance(i, RowError) for i in items)
    assert items[0].reasons == ["申请日（1984-01-01）早于《专利法》施行日（1985-04-01），不可能是中国专利申请"]
    assert items[1].reasons == [f"申请日「{future}」晚于今天，不是有效日期"]


def test_patentics_csv_bad_rows(tmp_path):
    header = "公开号,申请号,标题,申请日,公开日,授权公告日,国际分类,国际主分类,申请人,发明人,法律状态,同族专利数,技术特征"
    lines = [
        '"CN114399933A","CN202210016632.1","好","20220107","20220426",,"G09B  9/00","G09B","甲公司","张三","公开","0","37",',
        '"CN114399933A","CN202210016632.9","坏","20220107","20220426",,"G09B  9/00","G09B","甲公司","张三","公开","0","37",',
        '"CN114399933A","","无号","20220107","20220126",,"G09B  9/00","G09B","甲公司","张三","公开","x","37",',
        '"CN114399933A","CN202210016632.1","日","20220230","20220426",,"XYZ","G09B","甲公司","张三","神秘","0","37",',
    ]
    path = tmp_path / "patentics.csv"
    path.write_text("\ufeff" + header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    assert detect_format(path) == "patentics"
    items = list(read_records(path))
    assert isinstance(items[0], PatentRecord)
    assert items[1].reasons == ["申请号校验位错误：应为 1，实际为 9"]
    assert items[1].raw["标题"] == "坏"
    assert items[2].reasons == ["申请号为空"]
    assert items[3].reasons == ["申请日「20220230」不是有效日期"]
    ok = [i for i in read_records(path) if isinstance(i, PatentRecord)]
    assert len(ok) == 1


def test_warnings_do_not_reject(tmp_path):
    path = _csv(tmp_path / "warn.csv", [["CN202210836006.7", "H04M; G06F 3/01", "神秘状态", "3.5"]],
                header=["申请号", "IPC", "状态", "同族数"])
    [rec] = list(read_records(path, mapping={"application_number": "申请号", "ipc": "IPC", "legal_status": "状态",
                                             "family_size": "同族数"}))
    assert isinstance(rec, PatentRecord)
    assert rec.ipc == ["G06F 3/01"] and rec.ipc_raw == "H04M; G06F 3/01"
    assert (rec.legal_status, rec.legal_status_raw) == ("未确认", "神秘状态")
    assert rec.family_size is None
    assert rec.warnings == ["IPC 分类号「H04M」只到小类，未列入分类号列表", "无法识别的法律状态「神秘状态」，已记为“未确认”",
                            "同族数「3.5」不是整数，已忽略"]


def test_foreign_numbers_are_not_check_digit_validated(tmp_path):
    rows = [["us 17/715,764", "US"], ["17715764", "US"], ["2019564191", "日本"], ["2019564191", "火星"], ["AA", ""]]
    path = _csv(tmp_path / "f.csv", rows, header=["申请号", "国别"])
    items = list(read_records(path, mapping={"application_number": "申请号", "office": "国别"}))
    assert [(i.application_number, i.office, i.patent_type) for i in items[:3]] == [
        ("US17715764", "US", None), ("US17715764", "US", None), ("JP2019564191", "JP", None)]
    assert items[3].reasons == ["无法识别的受理局（国别）「火星」，应为两位字母代码（如 CN、US）或中文国名",
                                "申请号格式错误：「2019564191」，应为 12 位（或 2003 年前的 8 位）数字加校验位，如 CN202210836006.7"]
    assert items[4].reasons == ["申请号格式错误：「AA」不是可识别的申请号（应含国别代码和至少 4 位数字）"]


def test_file_level_errors_name_the_file(tmp_path):
    path = _csv(tmp_path / "list.csv", [GOOD])
    with pytest.raises(ReaderError, match=r"文件「list.csv」：无法识别的专利导出格式"):
        detect_format(path)
    with pytest.raises(ReaderError, match="无法识别的专利导出格式"):
        list(read_records(path))
    with pytest.raises(ReaderError, match="找不到列映射指定的列：著录项目"):
        list(read_records(path, mapping={"application_number": "申请号", "title": "著录项目"}))
    with pytest.raises(ReaderError, match="未知的目标字段：名字"):
        read_records(path, mapping={"application_number": "申请号", "名字": "专利名称"})
    with pytest.raises(ReaderError, match="必须包含申请号"):
        read_records(path, mapping={"title": "专利名称"})
    with pytest.raises(ReaderError, match="列映射只用于通用表格"):
        read_records(path, format="patentics", mapping=MAPPING)
    with pytest.raises(ReaderError, match="未知的格式"):
        read_records(path, format="excel")
    header_only = _csv(tmp_path / "header.csv", [])
    with pytest.raises(ReaderError, match="header.csv.*没有数据行"):
        list(read_records(header_only, mapping=MAPPING))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ReaderError, match="empty.csv"):
        detect_format(empty)
    with pytest.raises(ReaderError, match="文件或目录不存在"):
        detect_format(tmp_path / "missing.csv")
    odd = tmp_path / "a.docx"
    odd.write_bytes(b"PK")
    with pytest.raises(ReaderError, match="不支持的文件类型"):
        detect_format(odd)
    not_xlsx = tmp_path / "fake.xlsx"
    not_xlsx.write_text("hello")
    with pytest.raises(ReaderError, match="不是有效的 XLSX 文件"):
        detect_format(not_xlsx)


_cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
_date_like = st.one_of(_cell, st.from_regex(r"\d{8}", fullmatch=True), st.from_regex(r"\d{4}-\d{1,2}-\d{1,2}", fullmatch=True))
_number_like = st.one_of(_cell, st.from_regex(r"(CN|ZL|cn)?\d{8,13}\.?[0-9Xx]?", fullmatch=True))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_number_like, _date_like, _cell, _cell, _cell, _date_like, _cell, _cell),
                     min_size=1, max_size=8))
def test_junk_rows_never_raise(tmp_path, rows):
    path = tmp_path / "junk.csv"
    header = ["申请号", "申请日", "名称", "申请人", "分类号", "公开日", "状态", "同族数"]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    mapping = {"application_number": "申请号", "application_date": "申请日", "title": "名称", "applicants": "申请人",
               "ipc": "分类号", "publication_date": "公开日", "legal_status": "状态", "family_size": "同族数",
               "publication_number": "名称"}
    non_empty = [r for r in rows if any(c.strip() for c in r)]
    try:
        items = list(read_records(path, mapping=mapping))
    except ReaderError as exc:  # only file-level: every row blank
        assert not non_empty and "没有数据行" in str(exc)
        return
    assert all(isinstance(i, (PatentRecord, RowError)) for i in items)
    assert len(items) <= len(rows)
    for item in items:
        if isinstance(item, RowError):
            assert item.reasons and all(isinstance(r, str) and r for r in item.reasons)
            assert "申请号" in item.raw
        elif item.office == "CN":
            assert item.application_number.startswith("CN") and item.patent_type
        else:
            assert item.application_number.startswith(item.office) and sum(c.isdigit() for c in item.application_number) >= 4
