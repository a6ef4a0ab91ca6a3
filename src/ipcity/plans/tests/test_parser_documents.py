"""The five real plans in ../shared/plans: every expected value here was checked by reading the document."""

from pathlib import Path

import pytest

from ipcity.plans.parser import KEYS, parse_file, read_text

SHARED = Path(__file__).resolve().parents[4].parent / "shared"
PLANS = SHARED / "plans"


def _plan(prefix: str) -> Path:
    if not PLANS.is_dir():
        pytest.skip(f"../shared is absent: {PLANS} not found (a fresh clone has no ../shared)")
    matches = sorted(PLANS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"../shared is absent: no {prefix}_*.txt in {PLANS}")
    return matches[0]


_cache: dict[str, tuple[dict, str]] = {}


def load(prefix: str) -> tuple[dict, str]:
    if prefix not in _cache:
        path = _plan(prefix)
        _cache[prefix] = parse_file(path), read_text(path)
    return _cache[prefix]


def tops(result):
    return [(s["number"], s["title"]) for s in result["sections"]]


def task(result, number):
    [found] = [t for t in result["tasks"] if t["number"] == number]
    return found


def indicator(result, name):
    [found] = [i for i in result["indicators"] if i["name"] == name]
    return found


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_key_set_and_spans(prefix):
    result, text = load(prefix)
    assert tuple(result) == KEYS
    for t in result["tasks"]:
        start, end = t["source_span"]
        assert 0 <= start < end <= len(text)
        assert text[start:end].startswith(t["number"]) or text[start:end][1:].startswith(t["number"])
        assert text[start:end] == text[start:end].strip()


# ----------------------------------------------------------------------------- 000 洛龙区

def test_000_metadata():
    r, _ = load("000")
    assert r["title"] == "洛龙区知识产权强区行动方案"
    assert r["doc_number"] is None  # the numbers in the text are cited documents (中发〔2021〕32号 …)
    assert r["date"] is None
    assert r["period"] is None
    assert r["issuer"] == []
    assert "未识别出成文日期" in r["warnings"]


def test_000_headings():
    r, _ = load("000")
    assert tops(r) == [("一", "总体要求"), ("二", "重点任务和重大工程"), ("三", "保障措施")]
    chapter2 = r["sections"][1]
    assert [(c["number"], c["title"]) for c in chapter2["children"]] == [
        ("一", "建设特色知识产权制度体系"), ("二", "构建知识产权大保护格局"), ("三", "推动高效益知识产权运用机制建设"),
        ("四", "强化知识产权高质量创造"), ("五", "打造高水平知识产权服务体系"), ("六", "培育高品质知识产权人文环境"),
    ]
    assert [c["title"] for c in r["sections"][0]["children"]] == ["指导思想", "基本原则", "主要目标"]
    # the numbered items run on across the （一）…（六） groups: 1–3, 4–8, 9–12, 13–18, 19–20, 21–23
    assert [len(c["children"]) for c in chapter2["children"]] == [3, 5, 4, 6, 2, 3]
    item7 = chapter2["children"][1]["children"][3]
    assert item7["title"] == "健全知识产权快保护机制" and item7["level"] == 3
    # its two paragraphs open with lead sentences: an unnumbered third level
    assert [(c["number"], c["title"], c["level"]) for c in item7["children"]] == [
        ("", "加强协同合作，健全公共服务体系，推动纠纷快速处理", 4), ("", "健全知识产权维权援助工作制度", 4)]
    assert not [w for w in r["warnings"] if "编号不连续" in w]


def test_000_tasks():
    r, text = load("000")
    assert [t["number"] for t in r["tasks"]] == [str(n) for n in range(1, 24)]
    assert all(t["responsible"] for t in r["tasks"])
    assert [t["id"] for t in r["tasks"]][:4] == ["2.1.1", "2.1.2", "2.1.3", "2.2.4"]
    assert r["tasks"][-1]["id"] == "2.6.23"
    t1 = task(r, "1")
    assert t1["title"] == "探索新业态新领域保护制度"
    assert t1["responsible"] == ["区市场监管局", "商务局"]
    assert t1["lead"] == [] and t1["support"] == []
    assert task(r, "2")["responsible"] == ["区市场监管局", "文广旅局", "农业农村局"]
    assert task(r, "5")["responsible"] == ["区市场监管局", "公安分局", "农业农村局", "文广旅局", "卫健委"]
    assert task(r, "6")["responsible"] == ["区市场监管局", "司法局", "文广旅局", "商务局", "农业农村局", "公安分局"]
    assert task(r, "18")["responsible"] == ["区市场监管局", "文广旅局", "文物局"]
    assert task(r, "23")["responsible"] == ["区市场监管局", "教育局", "科技局"]
    t7 = task(r, "7")  # two paragraphs, the note after the second
    assert t7["responsible"] == ["区市场监管局", "工信局", "商务局", "司法局", "公安分局"]
    assert t7["text"].startswith("加强协同合作,健全公共服务体系")
    assert "健全知识产权维权援助工作制度。" in t7["text"] and "责任单位" not in t7["text"]
    start, end = t1["source_span"]
    assert text[start:end].startswith("1. 探索新业态新领域保护制度") and text[start:end].endswith("(责任单位:区市场监管局、商务局)")
    start, end = task(r, "2")["source_span"]
    assert text[start:end].startswith("2.健全特色领域知识产权保护制度")  # the NBSP before "2." is not part of it
    assert all(t["deadline"] is None for t in r["tasks"])


def test_000_indicators():
    r, _ = load("000")
    trained = indicator(r, "培训各类知识产权人才")
    assert trained["target_kind"] == "cumulative"
    assert trained["unit"] == "人次"
    assert trained["target"] == {"year": 2025, "value": 200.0}
    assert trained["baseline"] is None
    qualitative = [i["name"] for i in r["indicators"] if i["target_kind"] == "qualitative"]
    assert qualitative == ["知识产权制度体系健全", "知识产权大保护格局基本形成", "知识产权运用效益显著提升",
                           "知识产权创造能力明显增强", "知识产权公共服务水平显著提高", "知识产权助推区域协调发展"]
    assert len(r["indicators"]) == 7


# ----------------------------------------------------------------------------- 001 菏泽市

def test_001_metadata():
    r, _ = load("001")
    assert r["title"] == "菏泽市“十四五”知识产权保护和运用规划"
    assert r["issuer"] == ["菏泽市人民政府办公室"]
    assert r["doc_number"] == "菏政办字〔2022〕52号"
    assert r["date"] == "2022-10-31"
    assert r["period"] == {"start": 2021, "end": 2025}


def test_001_indicator_table():
    r, _ = load("001")
    table = [i for i in r["indicators"] if "|" in i["source_text"]]
    got = [(i["name"], i["unit"], i["baseline"], i["target"], i["target_kind"], i["nature"]) for i in table]
    assert got == [
        ("每万人口高价值发明专利拥有量", "件", {"year": 2020, "value": 0.87}, {"year": 2025, "value": 1.75}, "level", "预期性"),
        ("海外发明专利授权量", "件", {"year": 2020, "value": 9.0}, {"year": 2025, "value": 18.0}, "level", "预期性"),
        ("知识产权质押融资金额", "亿元", {"year": 2020, "value": 0.5}, {"year": 2025, "value": 3.0}, "level", "预期性"),
        ("知识产权保护社会满意度", "%", {"year": 2020, "value": 80.0}, {"year": 2025, "value": 85.0}, "level", "预期性"),
        ("著作权作品登记数量", "件", {"year": 2020, "value": 200.0}, {"year": 2025, "value": 10000.0}, "level", "预期性"),
        ("有效注册商标量", "件", {"year": 2020, "value": 69000.0}, {"year": 2025, "value": 120000.0}, "level", "预期性"),
    ]
    assert len(r["indicators"]) == 6


def test_001_headings_lost_first_level():
    """The 一、二、三、四、 lines were lost in copying: four runs of （一）… become four untitled parts."""
    r, _ = load("001")
    assert tops(r) == [("", "")] * 4
    assert [[c["title"] for c in part["children"]] for part in r["sections"]] == [
        ["指导思想", "基本原则", "主要目标"],
        ["加强知识产权保护", "提高知识产权创造质量", "增强知识产权运用能力", "提升知识产权服务水平", "夯实知识产权发展基础"],
        ["实施知识产权保护提升工程", "实施重点产业专利导航试点工程", "实施专利密集型产业培育工程", "实施商标品牌建设工程",
         "实施地理标志保护运用工程", "实施版权创新发展工程"],
        ["加强组织领导", "加强经费保障", "加强监测评估"],
    ]
    assert any(w.startswith("一级标题缺失") for w in r["warnings"])


def test_001_tasks():
    r, _ = load("001")
    ids = [t["id"] for t in r["tasks"]]
    assert len(ids) == 20
    assert ids[:5] == ["2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.2.1"]
    assert ids[-6:] == ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6"]
    assert r["tasks"][0]["title"] == "加强知识产权行政保护"
    assert r["tasks"][0]["text"].startswith("进一步加大知识产权行政执法力度")
    assert r["tasks"][-1]["title"] == "实施版权创新发展工程"
    assert all(t["responsible"] == [] for t in r["tasks"])
    assert "所有任务都未识别出责任单位" in r["warnings"]


# ----------------------------------------------------------------------------- 002 玉溪市

def test_002_metadata():
    r, _ = load("002")
    assert r["title"] == "玉溪市强化知识产权保护的实施意见"
    assert r["issuer"] == ["中共玉溪市委办公室", "玉溪市人民政府办公室"]
    assert r["doc_number"] is None
    assert r["date"] == "2021-11-19"  # the signature, not the portal's 2021-11-20 10:14:00
    assert r["period"] == {"start": 2021, "end": 2025}  # inferred: no period is written
    assert any("实施期限未写明" in w for w in r["warnings"])


def test_002_headings_and_tasks():
    r, _ = load("002")
    assert tops(r) == [("一", "指导思想和主要目标"), ("二", "工作重点"), ("三", "加大组织实施力度")]
    assert [c["title"] for c in r["sections"][1]["children"]] == [
        "推进知识产权保护体系建设", "构建知识产权大保护工作格局", "突破知识产权快保护关键环节",
        "营造知识产权同保护优越环境", "强化知识产权管理服务支撑", "着力强化知识产权高质量前瞻布局"]
    # 1–29 are the work items; 30–34 (加强组织领导 …) belong to the implementation chapter
    assert [t["number"] for t in r["tasks"]] == [str(n) for n in range(1, 30)]
    assert task(r, "16")["title"] == "强化高校、科研院所、医疗卫生机构和国有企业知识产权管理"
    assert task(r, "29")["id"] == "2.6.29"
    assert [c["number"] for c in r["sections"][2]["children"]] == ["30", "31", "32", "33", "34"]


def test_002_prose_indicators():
    r, _ = load("002")
    got = [(i["name"], i["unit"], i["target"], i["target_kind"]) for i in r["indicators"]]
    assert got == [
        ("每万人口发明专利拥有量", "件", {"year": 2025, "value": 3.9}, "level"),
        ("有效注册商标量", "万件", {"year": 2025, "value": 3.2}, "level"),
        ("中国地理标志保护产品数量", "项", {"year": 2025, "value": 31.0}, "level"),
    ]


# ----------------------------------------------------------------------------- 003 焦作市

def test_003_metadata():
    r, _ = load("003")
    # the file has no title line: inferred from its 领导小组 annex and "制定本实施方案"
    assert r["title"] == "焦作市国家知识产权试点城市建设实施方案"
    assert any("标题系根据正文推断" in w for w in r["warnings"])
    assert r["doc_number"] is None  # 国知发管字〔2012〕116号 is cited, not this document's number
    assert r["date"] == "2014-01-22"
    assert r["period"] == {"start": 2014, "end": 2015}
    assert r["groups"] == []  # the annex listing the group members is not in the file


def test_003_headings_and_tasks():
    r, _ = load("003")
    assert tops(r) == [("一", "指导思想"), ("二", "工作目标"), ("三", "重点任务"), ("四", "保障措施")]
    goals = r["sections"][1]["children"][1]
    assert goals["title"] == "具体目标"
    assert [c["number"] for c in goals["children"]] == ["1", "2", "3", "4", "5", "6"]
    ids = [t["id"] for t in r["tasks"]]
    assert ids == ["3.1.1", "3.1.2", "3.2.1", "3.2.2", "3.2.3", "3.3", "3.4.1", "3.4.2", "3.4.3", "3.4.4",
                   "3.4.5", "3.4.6", "3.4.7", "3.4.8", "3.5.1", "3.5.2", "3.5.3"]
    policy = r["tasks"][5]
    assert (policy["number"], policy["title"]) == ("三", "完善知识产权政策体系")
    assert policy["text"].startswith("认真贯彻落实知识产权方面的法律法规")
    assert r["tasks"][0]["title"] == "优化资源配置，建立协调机制，形成“政府主导、部门联动、整体推进”的工作格局"


def test_003_prose_indicators():
    r, _ = load("003")
    got = {i["name"]: (i["unit"], i["target"], i["target_kind"]) for i in r["indicators"]}
    assert got["专利申请量"] == ("件", {"year": 2015, "value": 2500.0}, "level")
    assert got["每万人发明专利拥有量"] == ("件", {"year": 2015, "value": 3.3}, "level")  # 突破3.3件
    assert got["专利保护重点企业"] == ("家", {"year": 2015, "value": 30.0}, "level")
    assert got["培训人员"] == ("人次", {"year": 2015, "value": 3000.0}, "level")  # 不低于3000人次
    assert got["通过《企业知识产权管理规范》国家标准认证企业"] == ("家", {"year": 2015, "value": 10.0}, "level")
    assert got["消零专项行动深入开展"] == (None, None, "qualitative")
    assert len(r["indicators"]) == 8


# ----------------------------------------------------------------------------- 004 朝阳市

def test_004_metadata():
    r, _ = load("004")
    assert r["title"] == "朝阳市国家知识产权强市建设试点城市工作方案（2024—2026年）"
    assert r["issuer"] == ["朝阳市人民政府办公室"]
    assert r["doc_number"] == "朝政办发〔2024〕13号"
    assert r["date"] == "2024-04-10"
    assert r["period"] == {"start": 2024, "end": 2026}
    assert r["warnings"] == []


def test_004_headings():
    r, _ = load("004")
    assert tops(r) == [("一", "总体要求"), ("二", "主要任务"), ("三", "保障措施")]
    assert [c["title"] for c in r["sections"][1]["children"]] == [
        "激励高质量的知识产权创造", "推进高效的知识产权运用", "营造严格的知识产权保护环境",
        "构建便捷的知识产权管理和服务体系", "优化有利的知识产权人才发展环境"]


def test_004_tasks():
    r, _ = load("004")
    assert [t["number"] for t in r["tasks"]] == [str(n) for n in range(1, 17)]
    assert all(t["responsible"] for t in r["tasks"])
    assert task(r, "1")["responsible"] == ["市市场监管局", "各县（市）区政府"]
    assert task(r, "2")["responsible"] == ["市市场监管局", "财政局", "工业信息化局", "龙城区政府"]
    assert task(r, "8")["responsible"] == ["市市场监管局", "国家金融监管总局朝阳分局", "金融发展局",
                                           "人民银行朝阳市分行", "各县（市）区政府"]
    assert task(r, "10")["responsible"] == ["市市场监管局", "市委宣传部", "农业农村局", "自然资源局", "商务局",
                                            "贸促会", "朝阳海关", "各县（市）区政府"]
    assert task(r, "11")["responsible"][:2] == ["市法院", "检察院"]
    assert task(r, "14")["responsible"] == ["市市场监管局"]
    assert task(r, "16")["title"] == "强化知识产权人才支撑"
    assert task(r, "9")["deadline"] == "2024-12-31"  # "2024年底前完成…宣传、展示投放"
    assert task(r, "5")["id"] == "2.2.5"


def test_004_leading_group():
    r, _ = load("004")
    groups = r["groups"]
    assert len(groups) == 31
    assert groups[0] == {"role": "组长", "name": "老颜武", "position": "市长"}
    assert groups[1] == {"role": "副组长", "name": "高宇恒", "position": "副市长"}
    assert [g["role"] for g in groups[2:]] == ["成员"] * 29
    assert groups[2] == {"role": "成员", "name": "钱锋", "position": "市委宣传部分管日常工作的副部长"}
    assert {"role": "成员", "name": "高鹏", "position": "市科技局局长"} in groups
    assert {"role": "成员", "name": "刘利民", "position": "市市场监管局（知识产权局）局长"} in groups
    assert {"role": "成员", "name": "郑大勇", "position": "国家金融监管总局朝阳监管分局局长"} in groups
    assert groups[-1] == {"role": "成员", "name": "李大为", "position": "龙城区政府区长"}


def test_004_prose_indicators():
    r, _ = load("004")
    got = {i["name"]: (i["unit"], i["target"], i["target_kind"]) for i in r["indicators"]}
    assert got["每万人口高价值发明专利拥有量"] == ("%", {"year": 2026, "value": 8.0}, "annual_growth_pct")
    assert got["国内商标有效注册量"] == ("%", {"year": 2026, "value": 8.0}, "annual_growth_pct")
    assert got["PCT申请"] == (None, {"year": 2026, "value": 1.0}, "breakthrough")
    assert got["专利开放许可"] == (None, None, "breakthrough")
    assert got["备案专利密集型产品"] == ("件", {"year": 2026, "value": 200.0}, "level")
    assert got["各类执法案件结案率"] == ("%", {"year": 2026, "value": 90.0}, "level")
    assert got["知识产权优势企业"] == ("家", {"year": 2026, "value": 3.0}, "increase")
    assert got["知识产权维权、指导和服务机构"] == ("家", {"year": 2026, "value": 25.0}, "level")
    assert got["培育知识产权服务业集聚区"] == ("个", {"year": 2026, "value": 1.0}, "level")
    assert len(r["indicators"]) == 12
