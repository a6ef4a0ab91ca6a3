"""Synthetic filings with planted abnormal cases, and precision/recall of the detectors against them (no Django).

`generate(n, seed)` makes about `n` realistic normal filings — applicants of very different sizes filing at their own
steady rate (some with a year-end rush), one to two technology domains each with an occasional filing elsewhere,
agencies, invention + utility-model twins filed the same day (一案双申, lawful), Chinese titles, abstracts and claims
assembled from a wide vocabulary so that two normal filings of one domain still differ — and plants among them:

- bursts: a new shell applicant filing dozens of applications within days; an established applicant filing many
  times its usual rate; an agency filing for many small applicants within weeks;
- near-duplicate families: one text paraphrased (synonyms, clauses reordered, numbers and title changed, a claim
  added or dropped) and filed two to five times, by one applicant or by several sharing an agency;
- off-business filings: an established applicant filing a few applications in a section of the IPC far from
  everything it filed before.

`evaluate(findings, cases)` scores flags against the planted cases, per detector and overall: a flag is right when
most of its filings belong to one planted case of its kind (off-business: of the same applicant; bursts: planted
burst filings of any case, since the agency that filed an applicant's burst bursts with it); a case is found when a
flag of its kind (bursts and off-business: of its subject) covers most of its filings (near-duplicates: the flags of
its applicants, one each, together). Filing-level figures too.
"""
from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from ipcity.abnormal.detect import AGENCY, APPLICANT, BURST, DUPLICATE, KINDS, OFF_BUSINESS, Filing, Finding

# (domain, IPC symbols, domain-specific terms)
DOMAINS = [
    ("牡丹籽油", ["C11B 1/10", "A23D 9/00"], ["压榨", "浸出", "脱胶", "脱酸", "籽仁", "油脂", "冷榨"]),
    ("缓释制剂", ["A61K 9/20", "A61P 29/00"], ["骨架材料", "包衣", "释放度", "辅料", "片芯", "崩解剂"]),
    ("果蔬保鲜", ["A23B 7/148", "A23B 7/04"], ["气调", "预冷", "保鲜膜", "乙烯吸收", "贮藏", "冷库"]),
    ("木材防腐", ["B27K 3/34", "B27K 5/00"], ["防腐剂", "浸渍", "真空加压", "含水率", "板材", "木纤维"]),
    ("数控机床", ["B23Q 5/10", "B23B 31/00"], ["主轴", "刀库", "进给", "卡盘", "工件", "夹具", "切削"]),
    ("锂离子电池", ["H01M 4/525", "H01M 10/0525"], ["正极", "负极", "电解液", "隔膜", "极片", "浆料", "涂布"]),
    ("头戴显示", ["G02B 27/01", "G06F 3/01"], ["镜片", "光机", "瞳距", "视场角", "显示屏", "佩戴"]),
    ("仓储机器人", ["B65G 1/137", "B25J 5/00"], ["货架", "料箱", "导航", "搬运", "调度", "托盘"]),
    ("污水处理", ["C02F 1/44", "C02F 3/30"], ["膜组件", "曝气", "污泥", "出水", "絮凝剂", "沉淀池"]),
    ("植保无人机", ["B64D 1/18", "A01M 7/00"], ["药箱", "旋翼", "喷洒", "航线", "雾化", "机臂"]),
    ("阻燃织物", ["D06M 11/00", "D06M 15/00"], ["整理剂", "坯布", "浸轧", "烘焙", "极限氧指数", "纤维"]),
    ("制动片", ["F16D 69/02", "F16D 65/00"], ["摩擦材料", "钢背", "磨损", "热压", "树脂", "刹车"]),
    ("冷链物流", ["G01K 1/02", "G06Q 10/08"], ["温度记录", "冷藏车", "货物", "追溯", "配送", "标签"]),
    ("中药饮片", ["A61K 36/00", "A61K 36/18"], ["炮制", "切片", "润药", "药材", "干燥", "酒炙"]),
    ("光伏组件", ["H02S 40/10", "H01L 31/048"], ["电池片", "背板", "边框", "清洗刷", "接线盒", "封装"]),
    ("视觉检测", ["G06T 7/00", "G01N 21/88"], ["相机", "光源", "缺陷", "图像", "标定", "工位"]),
    ("语音识别", ["G10L 21/02", "G10L 15/06"], ["麦克风阵列", "声学模型", "降噪", "唤醒词", "语音信号", "声纹"]),
    ("反应釜", ["B01J 19/00", "B01J 19/18"], ["釜体", "搅拌桨", "夹套", "物料", "温控", "冷凝器"]),
    ("医用敷料", ["A61L 15/00", "A61F 13/00"], ["创面", "吸液层", "水凝胶", "透气膜", "抗菌", "渗液"]),
    ("智能电表", ["G01R 22/00", "H04Q 9/00"], ["计量芯片", "采集终端", "电能", "载波", "费控", "抄表"]),
    ("图像识别", ["G06V 10/82", "G06N 3/04"], ["卷积层", "训练集", "特征图", "标注", "目标框", "置信度"]),
    ("数据加密", ["H04L 9/08", "H04L 9/32"], ["密钥", "密文", "签名", "随机数", "哈希", "证书"]),
    ("风力发电机", ["F03D 7/02", "F03D 80/00"], ["叶片", "轮毂", "偏航", "变桨", "塔筒", "齿轮箱"]),
    ("混凝土外加剂", ["C04B 24/26", "C04B 28/04"], ["减水剂", "坍落度", "水泥", "骨料", "缓凝", "掺量"]),
    ("农作物育种", ["A01H 1/02", "A01H 6/46"], ["亲本", "杂交", "选育", "株系", "抗病性", "种子"]),
    ("轴承密封", ["F16C 33/72", "F16J 15/32"], ["内圈", "外圈", "唇口", "滚动体", "润滑脂", "保持架"]),
    ("电机控制", ["H02P 21/00", "H02P 27/08"], ["逆变器", "转子", "定子", "电流环", "转速", "编码器"]),
    ("空气净化", ["B01D 46/00", "F24F 8/10"], ["滤芯", "风道", "颗粒物", "负离子", "甲醛", "进风口"]),
    ("显示面板", ["G09G 3/32", "H10K 59/00"], ["像素", "驱动电路", "背光", "薄膜晶体管", "阵列基板", "亮度"]),
    ("导航定位", ["G01S 19/42", "G01C 21/20"], ["卫星信号", "惯性", "基站", "定位精度", "差分", "轨迹"]),
    ("催化剂", ["B01J 23/46", "B01J 37/02"], ["载体", "活性组分", "焙烧", "浸渍液", "比表面积", "转化率"]),
    ("食用菌栽培", ["A01G 18/00", "A01G 18/20"], ["菌棒", "培养料", "接种", "出菇", "菌丝", "棚室"]),
]
FORMS = ["方法", "装置", "系统", "设备", "组合物", "工艺", "检测方法", "控制系统", "制备方法", "生产线", "机构", "组件"]
QUALIFIERS = ["智能", "高效", "节能型", "便携式", "自动化", "多功能", "低成本", "模块化", "环保型", "一体化", "新型",
              "可调式", "双层", "快速", "在线"]
PARTS = ["壳体", "支撑架", "驱动电机", "传感器", "控制器", "传动机构", "过滤网", "加热模块", "冷却管路", "储液箱",
         "通信模块", "处理器", "存储单元", "摄像头", "电源组件", "密封圈", "导轨", "喷头", "阀门", "数据接口", "底座",
         "顶盖", "连接杆", "调节螺栓", "输送带", "转轴", "齿轮", "弹簧", "卡扣", "支撑板", "导向套", "缓冲垫",
         "压力表", "流量计", "温度探头", "显示单元", "报警器", "风机", "水泵", "电磁阀", "机架", "挡板", "进料斗",
         "出料口", "排气管", "散热片", "电路板", "触摸屏", "限位开关", "气缸", "液压缸", "丝杠", "滑块", "轴承座",
         "联轴器", "减速器", "链轮", "皮带轮", "夹爪", "吸盘", "刮板", "搅拌轴", "喷嘴", "集尘箱", "隔热层", "保温套",
         "观察窗", "把手", "万向轮", "锁紧螺母", "定位销", "导流板"]
FEATURES = ["采用不锈钢材料制成", "呈圆柱形结构", "通过螺栓固定连接", "设有{n}个均匀分布的通孔", "的厚度为{n}毫米",
            "与所述{p}之间设有密封垫", "内部设有加强筋", "表面涂覆有防腐涂层", "可沿竖直方向往复移动",
            "的转速为每分钟{n}转", "通过无线方式与服务器通信", "由聚四氟乙烯制成", "的截面呈梯形",
            "与所述{p}可拆卸连接", "设置在所述{p}的上方", "的工作温度为{n}摄氏度", "外侧套设有保护罩",
            "包括{n}个相互平行的隔板", "采用铝合金压铸成型", "通过导线与所述{p}电连接"]
ACTIONS = ["采集运行数据并上传至服务器", "根据预设阈值自动调节工作参数", "对原料进行粉碎、混合和干燥",
           "通过神经网络模型提取特征并分类", "实时监测温度、湿度和压力变化", "在故障发生时发出报警信号",
           "按照预定顺序完成上料、加工和下料", "利用超声波对表面进行清洗", "将检测结果显示在人机界面上",
           "在低温条件下进行萃取和分离", "对信号进行滤波、放大和模数转换", "采用闭环反馈控制输出功率",
           "依次进行预处理、反应和后处理", "对物料进行称量、配比和搅拌", "记录每一批次的生产信息"]
EFFECTS = ["提高了生产效率", "降低了能耗", "结构简单、成本低", "检测精度高", "便于安装和维护", "有效延长了使用寿命",
           "解决了现有技术中稳定性差的问题", "适用于大规模工业化生产", "具有良好的市场应用前景", "减少了人工干预",
           "降低了废品率", "提升了用户体验", "缩短了加工周期", "减少了环境污染"]
SYNONYMS = {"所述": "该", "设有": "设置有", "连接": "相连", "提高": "提升", "降低": "减少", "采用": "使用",
            "包括": "包含", "实时": "即时", "自动": "自行", "结构简单": "构造简洁", "便于": "方便", "有效": "显著",
            "工作参数": "运行参数", "服务器": "云端平台", "检测": "检验", "固定": "紧固", "均匀": "均衡",
            "上方": "顶部", "制成": "制得", "通过": "经由", "进行": "开展", "根据": "依据"}
NAME_CITIES = ["菏泽", "济宁", "临沂", "潍坊", "淄博", "烟台", "德州", "聊城", "枣庄", "泰安", "滨州", "东营"]
NAME_WORDS = ["华鲁", "鲁西", "牡丹", "瑞丰", "恒信", "德润", "金泰", "宏达", "正和", "远航", "天宇", "博源", "嘉禾",
              "中科", "百川", "润泽", "新元", "盛世", "丰源", "聚能", "睿达", "优创", "锦程", "安泰", "信诚", "华信",
              "同创", "永盛", "泰和", "鼎盛", "汇通", "合力", "光明", "科瑞", "海诺", "凯达", "明德", "宇航"]
NAME_TRADES = ["生物医药", "新材料", "机械制造", "电子科技", "农业科技", "食品", "化工", "纺织", "木业", "智能装备",
               "信息技术", "新能源", "环保科技", "医疗器械", "汽车零部件", "精密仪器"]
START, END = dt.date(2019, 1, 1), dt.date(2025, 12, 31)


@dataclass(frozen=True)
class PlantedCase:
    kind: str
    subject_role: str
    subject: str
    numbers: frozenset[str]
    note: str = ""


@dataclass
class Dataset:
    filings: list[Filing]
    cases: list[PlantedCase]


class _Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.serial = 0
        self.names: set[str] = set()
        self.filings: list[Filing] = []
        self.cases: list[PlantedCase] = []

    # identifiers --------------------------------------------------------------------------------------------------
    def number(self, year: int, type_digit: int) -> str:
        from ipcity.core.validators import compute_application_check_digit

        self.serial += 1
        body = f"{year}{type_digit}{self.serial:07d}"
        return f"CN{body}.{compute_application_check_digit(body)}"

    def company(self) -> str:
        rng = self.rng
        while True:
            name = (f"{rng.choice(NAME_CITIES)}{rng.choice(NAME_WORDS)}{rng.choice(NAME_WORDS)}"
                    f"{rng.choice(NAME_TRADES)}{rng.choice(['有限公司', '股份有限公司', '有限责任公司'])}")
            if name not in self.names:
                self.names.add(name)
                return name

    def agency_name(self) -> str:
        rng = self.rng
        while True:
            form = rng.choice(["专利代理事务所（普通合伙）", "知识产权代理有限公司", "专利商标代理有限公司"])
            name = f"{rng.choice(NAME_CITIES)}{rng.choice(NAME_WORDS)}{form}"
            if name not in self.names:
                self.names.add(name)
                return name

    # text ---------------------------------------------------------------------------------------------------------
    def text(self, domain: int) -> tuple[str, str, str]:
        rng = self.rng
        name, _, terms = DOMAINS[domain]
        form = rng.choice(FORMS)
        title = f"一种{rng.choice(QUALIFIERS)}{name}{form}" + ("及其应用" if rng.random() < 0.1 else "")
        parts = rng.sample(PARTS, 6)
        term = rng.sample(terms, 3)
        effects = rng.sample(EFFECTS, 3)
        acts = rng.sample(ACTIONS, 3)
        sentences = [
            f"所述{parts[0]}上设有{parts[4]}，所述{parts[1]}与{parts[2]}连接",
            f"工作时，{parts[3]}{acts[0]}，{parts[5]}{acts[1]}",
            f"所述{term[0]}经{parts[2]}输送至{term[1]}区域，并{acts[2]}",
            f"通过调节{term[2]}的参数，使{parts[1]}保持在{rng.randrange(5, 95)}%的工作状态",
            f"所述{parts[4]}的一端与{parts[5]}铰接，另一端延伸至{term[0]}处",
            f"{parts[5]}在{rng.randrange(20, 300)}秒内将{term[1]}送入{parts[3]}，并由{parts[0]}回收余料",
        ]
        rng.shuffle(sentences)
        abstract = (f"本发明涉及{name}技术领域，公开了{title}，包括{parts[0]}、{parts[1]}、{parts[2]}和{parts[3]}。"
                    + "。".join(sentences[: rng.randrange(3, 6)])
                    + f"。与现有技术相比，本发明{effects[0]}，{effects[1]}，并且{effects[2]}。")
        claims = [f"1.{title}，其特征在于，包括{parts[0]}、{parts[1]}、{parts[2]}和{parts[3]}，所述{parts[0]}上设有"
                  f"{parts[4]}，所述{parts[1]}与{parts[2]}连接。"]
        for k in range(2, rng.randrange(4, 8)):
            feature = rng.choice(FEATURES).format(n=rng.randrange(2, 400), p=rng.choice(parts))
            claims.append(f"{k}.根据权利要求{rng.randrange(1, k)}所述的{name}{form}，其特征在于，所述"
                          f"{rng.choice(parts + term)}{feature}。")
        return title, abstract, "".join(claims)

    def paraphrase(self, title: str, abstract: str, claims: str, strength: float) -> tuple[str, str, str]:
        rng = self.rng

        def swap_words(text: str) -> str:
            for word, other in SYNONYMS.items():
                if word in text and rng.random() < strength:
                    text = text.replace(word, other)
            return text

        def renumber(text: str) -> str:
            import re

            return re.sub(r"\d{2,}", lambda m: str(int(m.group()) + rng.randrange(1, 9)) if rng.random() < 0.5
                          else m.group(), text)

        sentences = abstract.rstrip("。").split("。")
        if len(sentences) > 3:
            i = rng.randrange(1, len(sentences) - 1)
            sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
        abstract = "。".join(sentences) + "。"
        items = [c for c in claims.split("。") if c]
        if len(items) > 3 and rng.random() < 0.5:
            items.pop(rng.randrange(2, len(items)))
        elif rng.random() < 0.5:
            feature = rng.choice(FEATURES).format(n=rng.randrange(2, 400), p=rng.choice(PARTS))
            items.append(f"{len(items) + 1}.根据权利要求1所述的装置，其特征在于，所述{rng.choice(PARTS)}{feature}")
        claims = "。".join(items) + "。"
        for form in FORMS:
            if title.endswith(form):
                title = title[: -len(form)] + rng.choice([f for f in FORMS if f != form])
                break
        for q in QUALIFIERS:
            if q in title and rng.random() < 0.5:
                title = title.replace(q, rng.choice(QUALIFIERS), 1)
                break
        return swap_words(title), renumber(swap_words(abstract)), renumber(swap_words(claims))

    # filings ------------------------------------------------------------------------------------------------------
    def add(self, date: dt.date, domain: int, applicants: tuple[str, ...], agencies: tuple[str, ...],
            texts=None, ptype: str | None = None) -> Filing:
        rng = self.rng
        ptype = ptype or rng.choices(["发明", "实用新型", "外观设计"], [55, 40, 5])[0]
        title, abstract, claims = texts or self.text(domain)
        ipcs = list(DOMAINS[domain][1])
        ipc = (ipcs[0],) if rng.random() < 0.5 else tuple(ipcs)
        f = Filing(self.number(date.year, {"发明": 1, "实用新型": 2, "外观设计": 3}[ptype]), date, title, abstract,
                   claims, ipc, applicants, agencies, ptype)
        self.filings.append(f)
        return f

    def day(self, lo: dt.date = START, hi: dt.date = END) -> dt.date:
        return lo + dt.timedelta(days=self.rng.randrange(0, (hi - lo).days + 1))


def _related(domain: int, rng: random.Random) -> int:
    section = DOMAINS[domain][1][0][0]
    near = [i for i, d in enumerate(DOMAINS) if d[1][0][0] == section and i != domain]
    return rng.choice(near) if near else rng.randrange(len(DOMAINS))


def generate(n: int = 5000, seed: int = 7, planted_share: float = 0.04) -> Dataset:
    """About `n` filings, `planted_share` of them in planted cases (bursts, near-duplicate families, off-business)."""
    g = _Generator(seed)
    rng = g.rng
    n_agencies = max(3, n // 400)
    agencies = [g.agency_name() for _ in range(n_agencies)]
    n_applicants = max(20, n // 25)
    applicants = []  # (name, domains, agency or None, year-end rush)
    for _ in range(n_applicants):
        main = rng.randrange(len(DOMAINS))
        domains = [main] + ([_related(main, rng)] if rng.random() < 0.35 else [])
        agency = rng.choice(agencies) if rng.random() < 0.8 else None
        applicants.append((g.company(), domains, agency, rng.random() < 0.2))
    weights = [1 / (i + 1) ** 0.9 for i in range(n_applicants)]
    normal = int(n * (1 - planted_share))
    for who in rng.choices(range(n_applicants), weights, k=normal):
        name, domains, agency, rush = applicants[who]
        date = g.day()
        if rush and rng.random() < 0.3:
            date = dt.date(date.year, 12, rng.randrange(1, 29))
        domain = rng.choice(domains) if rng.random() > 0.01 else rng.randrange(len(DOMAINS))
        f = g.add(date, domain, (name,), (agency,) if agency else ())
        if f.patent_type == "发明" and rng.random() < 0.03:  # 一案双申: lawful twin
            g.add(date, domain, (name,), f.agencies, texts=(f.title, f.abstract, f.claims), ptype="实用新型")
    budget = n - len(g.filings)
    counts = defaultdict(int)
    for f in g.filings:
        counts[f.applicants[0]] += 1
    # Established mid-size applicants (25–300 filings): the ones planted bursts and off-business filings go to.
    established = [a for a in applicants if 25 <= counts[a[0]] <= 300]
    plans = [_plant_shell_burst, _plant_applicant_burst, _plant_agency_burst, _plant_family, _plant_family,
             _plant_family, _plant_off_business, _plant_off_business]
    k = 0
    while budget > 0 or k < 2 * len(plans):
        before = len(g.filings)
        plans[k % len(plans)](g, applicants, established, agencies)
        budget -= len(g.filings) - before
        k += 1
    return Dataset(g.filings, g.cases)


def _plant_shell_burst(g: _Generator, applicants, established, agencies) -> None:
    rng = g.rng
    name, domain, agency = g.company(), rng.randrange(len(DOMAINS)), rng.choice(agencies)
    start = g.day(dt.date(2021, 1, 1), dt.date(2025, 10, 31))
    span = rng.randrange(4, 25)
    numbers = [g.add(start + dt.timedelta(days=rng.randrange(0, span)), domain, (name,), (agency,)).number
               for _ in range(rng.randrange(15, 50))]
    g.cases.append(PlantedCase(BURST, APPLICANT, name, frozenset(numbers), "新设主体短期集中申请"))


def _plant_applicant_burst(g: _Generator, applicants, established, agencies) -> None:
    rng = g.rng
    name, domains, agency, _ = rng.choice(established or applicants)
    start = g.day(dt.date(2022, 1, 1), dt.date(2025, 10, 31))
    numbers = [g.add(start + dt.timedelta(days=rng.randrange(0, 20)), rng.choice(domains), (name,),
                     (agency,) if agency else ()).number for _ in range(rng.randrange(20, 45))]
    g.cases.append(PlantedCase(BURST, APPLICANT, name, frozenset(numbers), "已有申请人申请量骤增"))


def _plant_agency_burst(g: _Generator, applicants, established, agencies) -> None:
    rng = g.rng
    agency = rng.choice(agencies)
    start = g.day(dt.date(2022, 1, 1), dt.date(2025, 10, 31))
    numbers = []
    clients = [g.company() for _ in range(rng.randrange(10, 25))]
    for _ in range(rng.randrange(40, 80)):
        numbers.append(g.add(start + dt.timedelta(days=rng.randrange(0, 20)), rng.randrange(len(DOMAINS)),
                             (rng.choice(clients),), (agency,)).number)
    g.cases.append(PlantedCase(BURST, AGENCY, agency, frozenset(numbers), "代理机构短期集中代理大量申请"))


def _plant_family(g: _Generator, applicants, established, agencies) -> None:
    rng = g.rng
    owner = rng.choice(applicants)
    domain = rng.choice(owner[1])
    base = g.text(domain)
    start = g.day(dt.date(2020, 1, 1), dt.date(2025, 9, 30))
    size = rng.randrange(2, 6)
    if rng.random() < 0.4:
        who = [(owner[0], owner[2])] * size
    else:
        agency = rng.choice(agencies)
        others = [g.company() for _ in range(rng.randrange(1, 3))]
        who = [(owner[0], agency)] + [(rng.choice(others), agency) for _ in range(size - 1)]
    numbers = []
    for k, (name, agency) in enumerate(who):
        texts = base if k == 0 else g.paraphrase(*base, strength=rng.uniform(0.15, 0.45))
        numbers.append(g.add(start + dt.timedelta(days=rng.randrange(0, 90)), domain, (name,),
                             (agency,) if agency else (), texts=texts).number)
    g.cases.append(PlantedCase(DUPLICATE, APPLICANT, owner[0], frozenset(numbers), "同一文本改写后重复申请"))


def _plant_off_business(g: _Generator, applicants, established, agencies) -> None:
    rng = g.rng
    name, domains, agency, _ = rng.choice(established or applicants)
    sections = {DOMAINS[d][1][0][0] for d in domains}
    far = [i for i, d in enumerate(DOMAINS) if d[1][0][0] not in sections]
    domain = rng.choice(far)
    start = g.day(dt.date(2025, 1, 1), dt.date(2025, 10, 31))
    numbers = [g.add(start + dt.timedelta(days=rng.randrange(0, 60)), domain, (name,),
                     (agency,) if agency else ()).number for _ in range(rng.randrange(2, 6))]
    g.cases.append(PlantedCase(OFF_BUSINESS, APPLICANT, name, frozenset(numbers), "与既往业务领域无关的申请"))


# --- scoring --------------------------------------------------------------------------------------------------------

def _matches(flag: Finding, case: PlantedCase, *, same_subject: bool) -> int:
    if flag.kind != case.kind:
        return 0
    if same_subject and case.kind != DUPLICATE and (flag.subject_role, flag.subject) != (case.subject_role,
                                                                                          case.subject):
        return 0
    return len(case.numbers.intersection(flag.numbers))


def _correct(flag: Finding, cases: list[PlantedCase]) -> bool:
    """Most of the flag's filings are planted filings of its kind — of one case, and for off-business filings of the
    same applicant; for a burst, planted burst filings of any case (the agency that filed an applicant's burst
    bursts with it, and its flag points at the same filings)."""
    if flag.kind == BURST:
        planted = {n for c in cases if c.kind == BURST for n in c.numbers}
        return 2 * len(planted.intersection(flag.numbers)) >= len(flag.numbers)
    return any(2 * _matches(flag, c, same_subject=True) >= len(flag.numbers) for c in cases)


def _found(case: PlantedCase, flags: list[Finding]) -> bool:
    """A flag of the case's kind (and subject) covers most of the case's filings; a near-duplicate family, whose
    applicants are flagged one by one, is found when its applicants' flags together cover most of it."""
    if case.kind == DUPLICATE:
        covered = {n for f in flags if f.kind == DUPLICATE for n in case.numbers.intersection(f.numbers)}
        return 2 * len(covered) >= len(case.numbers)
    return any(2 * _matches(f, case, same_subject=True) >= len(case.numbers) for f in flags)


def evaluate(findings: list[Finding], cases: list[PlantedCase]) -> dict:
    """Precision and recall per detector and overall (flags and cases), and the same at the level of filings."""
    out = {}
    totals = {"flags": 0, "correct_flags": 0, "cases": 0, "found_cases": 0}
    for kind in KINDS:
        flags = [f for f in findings if f.kind == kind]
        kind_cases = [c for c in cases if c.kind == kind]
        correct = sum(1 for f in flags if _correct(f, kind_cases))
        found = sum(1 for c in kind_cases if _found(c, flags))
        flagged = {n for f in flags for n in f.numbers}
        planted = {n for c in kind_cases for n in c.numbers}
        both = len(flagged & planted)
        out[kind] = {"flags": len(flags), "correct_flags": correct, "cases": len(kind_cases), "found_cases": found,
                     "precision": correct / len(flags) if flags else 1.0,
                     "recall": found / len(kind_cases) if kind_cases else 1.0,
                     "filing_precision": both / len(flagged) if flagged else 1.0,
                     "filing_recall": both / len(planted) if planted else 1.0}
        for key in totals:
            totals[key] += out[kind][key]
    out["overall"] = {**totals,
                      "precision": totals["correct_flags"] / totals["flags"] if totals["flags"] else 1.0,
                      "recall": totals["found_cases"] / totals["cases"] if totals["cases"] else 1.0}
    return out


def format_report(scores: dict) -> str:
    labels = {BURST: "集中申请 bursts", DUPLICATE: "近似重复 near-duplicates", OFF_BUSINESS: "偏离主业 off-business",
              "overall": "合计 overall"}
    lines = [f"{'detector':<28} {'flags':>6} {'right':>6} {'cases':>6} {'found':>6} {'precision':>9} {'recall':>7}"
             f" {'filing P':>9} {'filing R':>9}"]
    for key, label in labels.items():
        s = scores[key]
        fp = f"{s['filing_precision']:.3f}" if "filing_precision" in s else "—"
        fr = f"{s['filing_recall']:.3f}" if "filing_recall" in s else "—"
        lines.append(f"{label:<28} {s['flags']:>6} {s['correct_flags']:>6} {s['cases']:>6} {s['found_cases']:>6} "
                     f"{s['precision']:>9.3f} {s['recall']:>7.3f} {fp:>9} {fr:>9}")
    return "\n".join(lines)
