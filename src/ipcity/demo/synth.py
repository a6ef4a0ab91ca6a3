"""Synthetic identifiers with valid check characters: USCCs, resident ID numbers, phones, names, addresses.

Everything here is invented from a seeded random generator; nothing comes from a real register.
"""
from __future__ import annotations

import datetime as dt
import random

from stdnum.cn import ric, uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国立新志红梅海波晓东文斌宇浩然子涵欣怡雨萱梓轩佳琪思远俊杰嘉怡"
ENTERPRISE_WORDS = ["华鲁", "鲁西", "牡丹", "瑞丰", "恒信", "德润", "金泰", "宏达", "正和", "远航", "天宇", "博源", "嘉禾",
                    "中科", "百川", "润泽", "新元", "盛世", "丰源", "聚能", "睿达", "优创", "锦程", "安泰", "信诚"]
ENTERPRISE_TRADES = ["生物医药", "新材料", "机械制造", "电子科技", "农业科技", "食品", "化工", "纺织", "木业", "智能装备",
                     "信息技术", "新能源", "环保科技", "牡丹产业", "医疗器械", "汽车零部件"]
ENTERPRISE_FORMS = ["有限公司", "股份有限公司", "有限责任公司"]
STREETS = ["人民路", "中华路", "长江路", "黄河路", "和平路", "解放大街", "牡丹路", "南京路", "青年路", "丹阳路", "八一路"]


def uscc_code(rng: random.Random, region_code: str, kind: str = "enterprise") -> str:
    """A syntactically valid USCC: registration authority + type, region code, organisation code, check."""
    prefix = {"enterprise": "91", "government": "11", "institution": "12", "social": "52"}.get(kind, "91")
    body = "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    partial = prefix + region_code + body
    return partial + uscc.calc_check_digit(partial)


def resident_id(rng: random.Random, region_code: str) -> str:
    born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40))
    partial = f"{region_code}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return partial + ric.calc_check_digit(partial + "0")  # stdnum expects a placeholder check digit


def mobile(rng: random.Random) -> str:
    return rng.choice(["135", "136", "138", "139", "150", "152", "158", "166", "177", "186", "187", "189", "199"]) + \
        f"{rng.randrange(0, 10**8):08d}"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))


def enterprise_name(rng: random.Random, city: str, used: set[str]) -> str:
    for _ in range(1000):
        name = f"{city}{rng.choice(ENTERPRISE_WORDS)}{rng.choice(ENTERPRISE_TRADES)}{rng.choice(ENTERPRISE_FORMS)}"
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("ran out of synthetic enterprise names")


def street_address(rng: random.Random, province: str, city: str, district: str) -> str:
    return f"{province}{city}{district}{rng.choice(STREETS)}{rng.randrange(1, 999)}号"


# Patent-like Chinese text from technology vocabularies (synthetic; used by the demo and the benchmarks).
PATENT_SUBJECTS = ["牡丹籽油提取", "生物医药缓释制剂", "芦笋保鲜", "木材防腐处理", "数控机床主轴", "锂电池正极材料",
                   "虚拟现实头戴显示", "智能仓储机器人", "污水处理膜组件", "农业无人机喷洒", "纺织品阻燃整理",
                   "汽车制动片", "食品冷链监测", "中药饮片炮制", "光伏组件清洗", "工业视觉检测", "语音识别降噪",
                   "化工反应釜温控", "医用敷料", "智能电表数据采集"]
PATENT_FORMS = ["方法", "装置", "系统", "设备", "组合物", "工艺"]
PATENT_PHRASES = ["提高了生产效率", "降低了能耗", "结构简单、成本低", "检测精度高", "便于安装和维护",
                  "有效延长了使用寿命", "解决了现有技术中稳定性差的问题", "适用于大规模工业化生产",
                  "具有良好的市场应用前景", "减少了人工干预"]
PATENT_IPC = {"牡丹籽油提取": "C11B 1/10", "生物医药缓释制剂": "A61K 9/20", "芦笋保鲜": "A23B 7/148",
              "木材防腐处理": "B27K 3/34", "数控机床主轴": "B23Q 5/10", "锂电池正极材料": "H01M 4/525",
              "虚拟现实头戴显示": "G02B 27/01", "智能仓储机器人": "B65G 1/137", "污水处理膜组件": "C02F 1/44",
              "农业无人机喷洒": "B64D 1/18", "纺织品阻燃整理": "D06M 11/00", "汽车制动片": "F16D 69/02",
              "食品冷链监测": "G01K 1/02", "中药饮片炮制": "A61K 36/00", "光伏组件清洗": "H02S 40/10",
              "工业视觉检测": "G06T 7/00", "语音识别降噪": "G10L 21/02", "化工反应釜温控": "B01J 19/00",
              "医用敷料": "A61L 15/00", "智能电表数据采集": "G01R 22/00"}


def patent_text(rng: random.Random) -> tuple[str, str, str]:
    """(title, abstract of ~150–300 characters, IPC symbol)."""
    subject = rng.choice(PATENT_SUBJECTS)
    form = rng.choice(PATENT_FORMS)
    title = f"一种{subject}{form}"
    phrases = rng.sample(PATENT_PHRASES, 4)
    abstract = (f"本发明公开了{title}，包括主体、控制单元和检测模块，所述控制单元根据检测模块采集的数据调节工作参数。"
                f"与现有技术相比，本发明{phrases[0]}，{phrases[1]}，{phrases[2]}，并且{phrases[3]}。"
                f"该{form}可广泛应用于{subject}相关领域。")
    return title, abstract, PATENT_IPC[subject]


def application_number(rng: random.Random, year: int, type_digit: int) -> str:
    from ipcity.core.validators import compute_application_check_digit

    body = f"{year}{type_digit}{rng.randrange(0, 10**7):07d}"
    return f"CN{body}.{compute_application_check_digit(body)}"


# Longer, more varied patent text for the import and search benchmarks (issue 4): a title and an abstract of about
# 300 characters together, several IPC symbols, applicants with addresses in real GB/T 2260 regions.
BENCH_DOMAINS = [
    ("牡丹籽油", "C11B 1/10"), ("缓释制剂", "A61K 9/20"), ("果蔬保鲜", "A23B 7/148"), ("木材防腐", "B27K 3/34"),
    ("数控机床", "B23Q 5/10"), ("锂离子电池", "H01M 4/525"), ("头戴显示", "G02B 27/01"), ("仓储机器人", "B65G 1/137"),
    ("污水处理", "C02F 1/44"), ("植保无人机", "B64D 1/18"), ("阻燃织物", "D06M 11/00"), ("制动片", "F16D 69/02"),
    ("冷链物流", "G01K 1/02"), ("中药饮片", "A61K 36/00"), ("光伏组件", "H02S 40/10"), ("视觉检测", "G06T 7/00"),
    ("语音识别", "G10L 21/02"), ("反应釜", "B01J 19/00"), ("医用敷料", "A61L 15/00"), ("智能电表", "G01R 22/00"),
    ("图像识别", "G06V 10/82"), ("数据加密", "H04L 9/08"), ("区块链存证", "G06F 16/27"), ("风力发电机", "F03D 7/02"),
    ("混凝土外加剂", "C04B 24/26"), ("农作物育种", "A01H 1/02"), ("轴承密封", "F16C 33/72"), ("电机控制", "H02P 21/00"),
    ("空气净化", "B01D 46/00"), ("显示面板", "G09G 3/32"), ("导航定位", "G01S 19/42"), ("催化剂", "B01J 23/46"),
]
BENCH_FORMS = ["方法", "装置", "系统", "设备", "组合物", "工艺", "检测方法", "控制系统", "制备方法", "生产线"]
BENCH_QUALIFIERS = ["智能", "高效", "节能型", "便携式", "自动化", "多功能", "低成本", "模块化", "环保型", "一体化"]
BENCH_PARTS = ["壳体", "支撑架", "驱动电机", "传感器", "控制器", "传动机构", "过滤网", "加热模块", "冷却管路", "储液箱",
               "通信模块", "处理器", "存储单元", "摄像头", "电源组件", "密封圈", "导轨", "喷头", "阀门", "数据接口"]
BENCH_ACTIONS = ["采集运行数据并上传至服务器", "根据预设阈值自动调节工作参数", "对原料进行粉碎、混合和干燥",
                 "通过神经网络模型提取特征并分类", "实时监测温度、湿度和压力变化", "在故障发生时发出报警信号",
                 "按照预定顺序完成上料、加工和下料", "利用超声波对表面进行清洗", "将检测结果显示在人机界面上",
                 "在低温条件下进行萃取和分离", "对信号进行滤波、放大和模数转换", "采用闭环反馈控制输出功率"]


def patent_text_long(rng: random.Random) -> tuple[str, str, list[str]]:
    """(title, abstract, IPC symbols): title and abstract together about 300 characters, from a wide vocabulary."""
    domain, ipc = rng.choice(BENCH_DOMAINS)
    form = rng.choice(BENCH_FORMS)
    title = f"一种{rng.choice(BENCH_QUALIFIERS)}{domain}{form}"
    parts = rng.sample(BENCH_PARTS, 5)
    actions = rng.sample(BENCH_ACTIONS, 3)
    phrases = rng.sample(PATENT_PHRASES, 4)
    other = rng.choice(BENCH_DOMAINS)
    abstract = (f"本发明涉及{domain}技术领域，公开了{title}，包括{parts[0]}、{parts[1]}、{parts[2]}和{parts[3]}，"
                f"所述{parts[0]}上设有{parts[4]}，所述{parts[1]}与{parts[2]}连接。工作时，{parts[3]}{actions[0]}，"
                f"控制器{actions[1]}，并{actions[2]}。本发明还可与{other[0]}设备配合使用。与现有技术相比，本发明"
                f"{phrases[0]}，{phrases[1]}，{phrases[2]}，并且{phrases[3]}。经试验验证，采用本{form}后{domain}的"
                f"处理效率提高了{rng.randrange(10, 60)}%以上。该{form}结构合理、操作方便，"
                f"可广泛应用于{domain}及相关领域，具有较高的推广价值和良好的经济效益与社会效益。")
    ipcs = [ipc] + ([other[1]] if other[1] != ipc and rng.random() < 0.6 else [])
    return title, abstract, ipcs


def bench_applicants(rng: random.Random, counties: list[tuple[str, str, str, str]], size: int) -> list[tuple]:
    """A pool of `size` applicants: (name, province, postal address) with the address in a real county.

    counties: (code, province name, city name, county name) from the region table (ipcity.regions.loader).
    """
    pool, used = [], set()
    while len(pool) < size:
        code, province, city, county = rng.choice(counties)
        short = city[:2] if len(city) > 2 else city
        kind = rng.random()
        if kind < 0.8:
            name = (f"{short}{rng.choice(ENTERPRISE_WORDS)}{rng.choice(ENTERPRISE_WORDS)}"
                    f"{rng.choice(ENTERPRISE_TRADES)}{rng.choice(ENTERPRISE_FORMS)}")
        elif kind < 0.9:
            name = f"{short}{rng.choice(['理工', '农业', '科技', '医科', '师范', '工业'])}大学"
        else:
            name = person_name(rng)
        if name in used:
            continue
        used.add(name)
        address = f"{code[:2]}{rng.randrange(0, 10000):04d} {street_address(rng, province, city, county)}"
        pool.append((name, province, address))
    return pool
