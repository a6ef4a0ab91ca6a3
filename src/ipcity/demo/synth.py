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
