"""The readers against the four real exports in ../shared/data/patents (skipped when ../shared is absent).

Every expected value here was read off the files by hand; the counts are recomputed independently with a plain
csv / openpyxl pass, not with the readers.
"""
from __future__ import annotations

import csv
import warnings
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from ipcity.ipdata.readers import PatentRecord, RowError, detect_format, read_records

SHARED = Path(__file__).resolve().parents[4].parent / "shared"
PATENTS = SHARED / "data" / "patents"

CSV_VR = "patentics-cn-virtual-reality-7805.csv"
XLSX_FULLTEXT = "patentics-cn-fulltext-thundersoft-511.xlsx"
XLSX_IFLYTEK = "incopat-iflytek-3816.xlsx"
XLSX_CHATBOT = "incopat-chatbot-2798.xlsx"

# file: (format, data rows, distinct CN applications, applications listed twice, non-CN records)
EXPECTED = {
    CSV_VR: ("patentics", 7805, 7805, 0, 0),
    XLSX_FULLTEXT: ("patentics", 511, 511, 0, 0),
    XLSX_IFLYTEK: ("incopat", 3816, 3813, 0, 3),
    XLSX_CHATBOT: ("incopat", 2798, 84, 4, 2714),
}


def _path(name: str) -> Path:
    path = PATENTS / name
    if not path.exists():
        pytest.skip(f"../shared is absent: {path} not found")
    return path


@lru_cache(maxsize=None)
def _items(name: str) -> tuple:
    return tuple(read_records(_path(name)))


def _records(name: str) -> dict[int, PatentRecord]:
    return {r.row_number: r for r in _items(name) if isinstance(r, PatentRecord)}


def _independent_rows(name: str) -> list[dict]:
    """The data rows as plain dicts (header → value), read without the readers."""
    path = _path(name)
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            return [row for row in csv.DictReader(f) if any((v or "").strip() for v in row.values() if isinstance(v, str))]
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(path, read_only=True)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    data = [dict(zip(header, row)) for row in rows if any(c not in (None, "") for c in row)]
    workbook.close()
    return data


@pytest.mark.parametrize("name", list(EXPECTED))
def test_format_detected(name):
    assert detect_format(_path(name)) == EXPECTED[name][0]


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_row_is_read_and_none_is_rejected(name):
    items = _items(name)
    records = [i for i in items if isinstance(i, PatentRecord)]
    errors = [i for i in items if isinstance(i, RowError)]
    data_rows = len(_independent_rows(name))
    assert data_rows == EXPECTED[name][1]
    assert len(records) + len(errors) == data_rows
    # the issue: all four files import with zero rejected CN application numbers (and no rejected rows at all)
    assert [e for e in errors if any("申请号" in reason for reason in e.reasons)] == []
    assert errors == []
    assert [r.row_number for r in items] == list(range(1, data_rows + 1))


@pytest.mark.parametrize("name", list(EXPECTED))
def test_distinct_cn_applications_match_an_independent_count(name):
    independent = {str(row["申请号"]).strip() for row in _independent_rows(name)
                   if str(row["申请号"]).strip().startswith("CN")}
    records = _records(name).values()
    cn = {r.application_number for r in records if r.office == "CN"}
    assert len(independent) == len(cn) == EXPECTED[name][2]
    assert cn == independent  # these exports already write the canonical form
    assert all(r.patent_type for r in records if r.office == "CN")


@pytest.mark.parametrize("name", list(EXPECTED))
def test_duplicates_and_foreign_records(name):
    records = list(_records(name).values())
    per_application = Counter(r.application_number for r in records)
    assert sum(1 for n in per_application.values() if n > 1) == EXPECTED[name][3]
    assert sum(1 for r in records if r.office != "CN") == EXPECTED[name][4]
    assert all(r.source_format == EXPECTED[name][0] for r in records)


# --- Patentics CSV --------------------------------------------------------------------------------------------------


def test_patentics_csv_rows():
    recs = _records(CSV_VR)
    first = recs[1]
    assert first.application_number == "CN202210016632.1"
    assert first.patent_type == "发明" and first.office == "CN"
    assert first.title == "一种基于虚拟现实的重睑成形手术训练系统、方法及存储介质"
    assert first.publications == [{"number": "CN114399933A", "kind": "A", "date": "2022-04-26", "raw": "CN114399933A"}]
    assert (first.application_date, first.publication_date, first.grant_date) == ("2022-01-07", "2022-04-26", None)
    assert first.ipc == ["G09B 9/00", "G06T 19/00"]
    assert first.ipc_raw == "G09B  9/00 | G06T 19/00"
    assert first.ipc_main == "G09B 9/00"  # 国际主分类 is only "G09B"
    assert [p.name for p in first.applicants] == ["广州雅妍时光医疗美容门诊部有限公司"]
    assert [p.name for p in first.inventors] == ["孙恺", "张福生"]
    assert (first.legal_status, first.legal_status_raw) == ("审中", "公开")
    assert first.raw["技术特征"] == "37" and first.extra["技术特征"] == "37"
    assert first.warnings == []

    utility = recs[2]
    assert utility.patent_type == "实用新型"
    assert utility.publications[0]["number"] == "CN216391212U" and utility.publications[0]["kind"] == "U"
    assert utility.grant_date == "2022-04-26"
    assert utility.ipc == ["H04N 5/225", "H04N 5/232", "F16M 11/04", "G03B 17/08"]
    assert (utility.legal_status, utility.legal_status_raw) == ("有效", "有效")

    persons = recs[4]
    assert [p.name for p in persons.applicants] == ["张成敏", "巩磊", "王京伟", "陈同乐"]

    pct = recs[6]
    assert (pct.application_number, pct.patent_type) == ("CN201980100026.4", "PCT发明")
    assert [p.name for p in pct.inventors] == ["I·O·洛博达", "K·Y·古尔布诺夫"]


def test_patentics_csv_old_number_lapsed_and_withheld_inventors():
    recs = _records(CSV_VR)
    old = next(r for r in recs.values() if r.application_number == "CN03826012.3")  # 8-digit form, type digit 8
    assert old.patent_type == "PCT发明"
    assert old.publications[0]["number"] == "CN1745360A"
    assert (old.application_date, old.publication_date, old.grant_date) == ("2003-04-17", "2006-03-08", "2007-08-22")
    assert (old.legal_status, old.legal_status_raw) == ("失效", "无效")
    assert (old.family_size, old.cited_count, old.citing_count) == (5, 5, 2)
    assert old.extra["us_classification"][:2] == ["A63B22/02", "A63B22/0242"]

    withheld = recs[53]
    assert withheld.publications[0]["number"] == "CN114339192A"
    assert withheld.inventors == [] and withheld.extra["inventors_note"] == "不公告发明人"

    two = recs[4786]
    assert two.publications[0]["number"] == "CN206741086U"
    assert [p.name for p in two.applicants] == ["乐视控股（北京）有限公司", "乐视致新电子科技（天津）有限公司"]
    assert two.extra["standardized_applicants"] == ["乐视网信息技术北京股份有限公司"]


def test_patentics_csv_status_vocabulary():
    counts = Counter((r.legal_status_raw, r.legal_status) for r in _records(CSV_VR).values())
    assert counts == {("有效", "有效"): 2989, ("公开", "审中"): 2215, ("驳回", "失效"): 960, ("无效", "失效"): 839,
                      ("撤回", "失效"): 802}


# --- Patentics full text ----------------------------------------------------------------------------------------------


def test_patentics_fulltext_first_row_and_address_split():
    first = _records(XLSX_FULLTEXT)[1]
    assert first.application_number == "CN202210836006.7"
    assert first.publications == [{"number": "CN115438209A", "kind": "A", "date": "2022-12-06", "raw": "CN115438209A"}]
    assert first.title == "一种主题推荐方法、装置、设备和系统"
    assert first.application_date == "2022-07-15"
    assert first.ipc == ["G06F 16/583", "G06F 16/535", "G06F 9/451"] and first.ipc_main == "G06F 16/583"
    assert first.claims.startswith("一种主题推荐方法，应用于服务器端")
    assert first.description.startswith("【技术领域】\n本发明涉及一种主题推荐方法、装置、设备和系统。")
    applicant = first.applicants[0]
    assert applicant.name == "西安中科创达软件有限公司"
    # 省市 = 陕西省, 地市 and 通信地址 both hold "710000 陕西省西安市高新区…"
    assert applicant.postcode == "710000"
    assert applicant.address == "陕西省西安市高新区软件新城天谷八路156号云汇谷C1楼701室"
    assert (applicant.province, applicant.city, applicant.county) == ("陕西省", "西安市", None)  # 高新区 is no county
    assert [a.name for a in first.agencies] == ["北京思格颂知识产权代理有限公司"] and first.agents == ["李中永"]
    assert (first.legal_status, first.legal_status_raw) == ("审中", "公开")
    assert first.legal_events == [{"date": "2022-12-06", "code": "公开", "description": "公开"}]
    assert first.extra["standardized_patentees"] == ["中科创达软件股份有限公司"]
    assert first.patentees == []


def test_patentics_fulltext_granted_row_with_b_publication_and_events():
    rec = _records(XLSX_FULLTEXT)[77]
    assert rec.application_number == "CN202110419942.3"
    assert [(p["number"], p["kind"], p["date"]) for p in rec.publications] == [
        ("CN113347225A", "A", "2021-09-03"), ("CN113347225B", "B", "2022-05-24")]
    assert (rec.publication_date, rec.grant_date) == ("2021-09-03", "2022-05-24")
    assert (rec.legal_status, rec.family_size, rec.family_countries) == ("有效", 1, ["CN"])
    assert [(e["date"], e["code"]) for e in rec.legal_events] == [
        ("2021-09-03", "公开"), ("2021-09-21", "实质审查的生效"), ("2022-05-24", "授权"), ("2022-11-11", "专利权的转移")]
    assert rec.legal_events[1]["detail"] == "申请日=2021.04.19"
    applicant = rec.applicants[0]
    assert (applicant.province, applicant.city, applicant.county, applicant.postcode) == ("北京市", "北京市", "海淀区", "100083")


def test_patentics_fulltext_priority_citations_and_agency_debris():
    rec = _records(XLSX_FULLTEXT)[226]
    assert rec.application_number == "CN201710513031.0"
    assert (rec.priority_date, rec.application_date) == ("2017-06-19", "2017-06-28")
    assert rec.extra["priorities"] == ["CN201710472509X 20170619"]
    assert rec.citations[:3] == ["CN106656513A", "CN106209379A", "CN105873030A"] and len(rec.citations) == 11
    assert (rec.citing_count, rec.cited_count) == (11, 8)
    assert rec.extra["cited_by"][0] == "CN109740305B"
    # the address repeats the province: the city is read, no county
    assert (rec.applicants[0].city, rec.applicants[0].county) == ("大连市", None)

    debris = _records(XLSX_FULLTEXT)[27]  # 律师、代理 ends in "]]&gt; &lt;/AAOFItem&gt;"
    assert debris.raw["律师、代理"] == "北京思格颂知识产权代理有限公司; 杨超]]&gt; &lt;/AAOFItem&gt;"
    assert [a.name for a in debris.agencies] == ["北京思格颂知识产权代理有限公司"] and debris.agents == ["杨超"]

    coded = next(r for r in _records(XLSX_FULLTEXT).values() if r.raw["律师、代理"] == "北京集佳知识产权代理有限公司11227; 王宝筠")
    assert [a.name for a in coded.agencies] == ["北京集佳知识产权代理有限公司"]
    assert coded.extra["agency_codes"] == ["11227"]


def test_patentics_fulltext_utility_model_events():
    rec = _records(XLSX_FULLTEXT)[502]
    assert (rec.application_number, rec.patent_type) == ("CN201220747533.2", "实用新型")
    assert rec.publications[0]["number"] == "CN203136309U" and rec.grant_date == "2013-08-14"
    assert rec.legal_events[0] == {"date": "2013-08-14", "code": "授权", "description": "授权",
                                   "publication_serial": "203136309"}
    assert rec.legal_events[1]["code"] == "专利申请权、专利权的转移"
    assert rec.legal_events[1]["description"] == "专利权的转移"
    assert rec.cpc == ["Y02B 20/00", "Y02B 20/202"]
    assert [a.name for a in rec.agencies] == ["北京华夏正合知识产权代理事务所（普通合伙）"]
    assert rec.agents == ["韩登营", "张焕亮"]


# --- incoPat -----------------------------------------------------------------------------------------------------------


def test_incopat_iflytek_rows():
    recs = _records(XLSX_IFLYTEK)
    first = recs[1]
    assert first.application_number == "CN201710667329.7"
    assert first.publications == [{"number": "CN107295441B", "kind": "B", "date": "2023-05-26", "raw": "CN107295441B"}]
    assert (first.application_date, first.grant_date) == ("2017-08-07", "2023-05-26")
    assert first.title == "音箱腔体及具有所述音箱腔体的音箱"
    assert [p.name for p in first.applicants] == ["北京京东尚科信息技术有限公司", "科大讯飞股份有限公司"]
    assert first.ipc == ["H04R 1/28"] and first.ipc_main == "H04R 1/28"
    assert first.sei_tags == ["8.1 (数字创意技术设备制造)"]
    assert (first.legal_status, first.legal_status_raw) == ("有效", "有效")

    second = recs[2]
    assert second.cpc == ["H04L 12/282", "G10L 15/22", "G10L 17/22", "G10L 2015/223"]
    assert second.extra["技术功效TRIZ参数"] == "39-生产率;37-控制与测量的复杂性;"
    assert second.extra["title_en"].startswith("Control method and device of smart home system")

    design = recs[13]
    assert (design.patent_type, design.publications[0]["number"], design.ipc) == ("外观设计", "CN308051751S", [])
    assert design.applicants[0].name == "科大讯飞（苏州）科技有限公司"  # the cell has ASCII brackets
    assert design.raw["申请人"] == "科大讯飞(苏州)科技有限公司"

    old = recs[3805]
    assert (old.application_number, old.patent_type, old.publications[0]["number"]) == (
        "CN02108890.X", "发明", "CN1384489A")

    wo = recs[2477]
    assert (wo.application_number, wo.office, wo.patent_type) == ("WOCN19082039", "WO", "发明")
    assert (wo.legal_status, wo.legal_status_raw) == ("失效", "PCT-有效期满")


def test_incopat_chatbot_foreign_rows_and_duplicates():
    recs = _records(XLSX_CHATBOT)
    first = recs[1]
    assert (first.application_number, first.office, first.patent_type) == ("DE202023000397", "DE", "实用新型")
    assert first.publications[0]["number"] == "DE202023000397U1" and first.publications[0]["kind"] == "U1"
    assert first.sei_tags == ["1.1 (下一代信息网络产业)", "8.4 (数字创意与融合服务)"]
    assert first.extra["国民经济分类"].startswith("I6490; C3912; C3913")
    assert first.extra["standardized_applicants"] == ["Buetema Ag"]

    cn = recs[2]
    assert (cn.application_number, cn.office) == ("CN202211542664.1", "CN")
    assert cn.ipc == ["H04W 12/065", "H04W 4/12", "H04L 67/06"]

    us = [r for r in recs.values() if r.application_number == "US17715764"]
    assert sorted((r.row_number, r.publications[0]["number"], r.grant_date) for r in us) == [
        (56, "US11627103B2", "2023-04-11"), (803, "US20220231975A1", None)]

    wo = recs[7]
    assert (wo.application_number, wo.office) == ("WOJP20033387", "WO")
    assert (wo.legal_status, wo.legal_status_raw) == ("失效", "未进入国家阶段-PCT有效期满")
    assert recs[11].legal_status == "审中"  # 未进入国家阶段-PCT有效期内

    subclass_only = recs[2486]
    assert subclass_only.ipc == [] and subclass_only.ipc_raw == "H04M"
    assert subclass_only.warnings == ["IPC 分类号「H04M」只到小类，未列入分类号列表"]


def test_incopat_chatbot_status_vocabulary():
    counts = Counter(r.legal_status for r in _records(XLSX_CHATBOT).values())
    assert counts == {"有效": 1163, "审中": 1137, "失效": 498}
