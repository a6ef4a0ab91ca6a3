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
