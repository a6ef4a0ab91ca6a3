"""Patent search benchmark: PatentIndex end to end against the bare tantivy searcher, same run, same data.

    python bench/bench_search.py                   # 200 000 synthetic documents
    python bench/bench_search.py --docs 1000000    # the full run
    python bench/bench_search.py --dir /tmp/idx --keep   # keep the index; --reuse searches it again

Standalone (no Django). Generates N synthetic patent records with realistic Chinese titles and
abstracts (~300 characters together, from vocabulary lists of IP and technology words) plus short
claims, applicants, inventors, IPC codes, region codes and dates; indexes them with PatentIndex;
then over 40 fixed 1–3-term queries (some fielded, some with common words such as 方法/装置/系统)
measures:

1. end to end: parse + compile + top 20 + load + highlight (PatentIndex.search), p50/p95;
2. facet counts (6 facets over all matches; PatentIndex.facet_counts on the compiled query), p50/p95;
3. the bare engine: searcher.search(pre-compiled query, 20) with the count, no loading, no highlight
   (and the ratio of 1. to it);

plus index time and size, and segmentation speed of rjieba vs jieba in characters per second.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

# --- vocabulary --------------------------------------------------------------------------------------

DOMAINS = {
    "新能源": dict(
        field="新能源", objects=["锂电池", "动力电池", "燃料电池", "光伏组件", "储能系统", "充电桩", "风力发电机", "逆变器",
                                "电池管理系统", "固态电池"],
        parts=["电芯", "电池模组", "液冷板", "温度传感器", "控制器", "散热风扇", "汇流排", "绝缘垫", "电解液", "正极材料",
               "负极材料", "隔膜", "光伏面板", "逆变模块", "储能单元"],
        tech=["热管理", "均衡控制", "荷电状态估计", "最大功率点跟踪", "快速充电", "梯次利用"],
        effects=["提高了电池的循环寿命", "降低了热失控风险", "提升了能量密度", "缩短了充电时间"]),
    "人工智能": dict(
        field="人工智能", objects=["图像识别", "语音识别", "目标检测", "自然语言处理", "推荐系统", "知识图谱", "人脸识别",
                                  "机器翻译", "智能客服", "行人重识别"],
        parts=["卷积神经网络", "特征提取模块", "注意力机制", "损失函数", "训练样本", "预测模型", "特征向量", "分类器",
               "编码器", "解码器", "数据集", "预训练模型"],
        tech=["深度学习", "迁移学习", "强化学习", "联邦学习", "图神经网络", "对比学习"],
        effects=["提高了识别准确率", "降低了模型的计算量", "提升了推理速度", "增强了模型的泛化能力"]),
    "知识产权": dict(
        field="知识产权服务", objects=["商标检索", "专利检索", "商标近似判断", "专利价值评估", "侵权监测", "专利文献分类",
                                      "商标注册申请", "版权登记", "知识产权交易", "专利导航"],
        parts=["商标图像", "专利文本", "权利要求", "引证关系", "分类号", "申请人信息", "法律状态", "相似度得分",
               "检索式", "标引数据"],
        tech=["区块链存证", "语义检索", "文本聚类", "图像比对", "大数据分析", "知识图谱"],
        effects=["提高了检索的查全率和查准率", "降低了人工审查成本", "缩短了审查周期", "增强了权利的稳定性"]),
    "智能制造": dict(
        field="智能制造", objects=["工业机器人", "数控机床", "自动化生产线", "焊接装置", "装配系统", "视觉检测设备",
                                  "物料搬运小车", "减速器", "机械臂", "数字孪生系统"],
        parts=["伺服电机", "减速机构", "末端执行器", "夹爪", "导轨", "丝杠", "视觉传感器", "控制柜", "工装夹具",
               "齿轮", "轴承", "机架"],
        tech=["运动控制", "路径规划", "故障诊断", "视觉定位", "力控", "预测性维护"],
        effects=["提高了加工精度", "降低了生产成本", "提升了生产效率", "减少了设备停机时间"]),
    "农业": dict(
        field="农业机械", objects=["播种机", "收获机", "植保无人机", "灌溉系统", "温室大棚", "施肥装置", "秸秆还田机",
                                  "育苗装置", "农产品分拣设备", "土壤检测仪"],
        parts=["排种器", "开沟器", "喷头", "水泵", "湿度传感器", "输送带", "筛网", "刀盘", "支架", "电磁阀"],
        tech=["精准施肥", "变量喷洒", "墒情监测", "智能灌溉", "病虫害识别", "产量预测"],
        effects=["提高了播种均匀性", "节约了灌溉用水", "降低了农药用量", "减轻了劳动强度"]),
    "生物医药": dict(
        field="生物医药", objects=["中药组合物", "抗体药物", "疫苗", "检测试剂盒", "医疗影像设备", "手术机器人",
                                  "药物缓释制剂", "基因检测方法", "细胞培养装置", "血糖监测仪"],
        parts=["有效成分", "辅料", "提取物", "载体", "引物", "探针", "培养基", "导管", "成像探头", "微流控芯片"],
        tech=["基因编辑", "高通量测序", "靶向递送", "冷冻干燥", "免疫层析", "医学影像分割"],
        effects=["提高了治疗效果", "降低了毒副作用", "提高了检测灵敏度", "延长了保质期"]),
    "通信电子": dict(
        field="通信", objects=["基站天线", "射频前端", "物联网终端", "光模块", "显示面板", "芯片封装结构", "无线充电装置",
                              "路由器", "传感器网络", "卫星通信终端"],
        parts=["天线阵列", "滤波器", "功率放大器", "基板", "封装层", "发光层", "驱动电路", "通信模块", "处理器",
               "存储器", "电源模块"],
        tech=["5G通信", "边缘计算", "低功耗广域网", "波束成形", "信道估计", "时间同步"],
        effects=["提高了信号覆盖范围", "降低了功耗", "提升了数据传输速率", "增强了抗干扰能力"]),
    "交通": dict(
        field="交通运输", objects=["新能源汽车", "自动驾驶系统", "高速列车", "制动装置", "车载雷达", "转向系统",
                                  "车身结构", "轮胎", "交通信号控制系统", "停车管理系统"],
        parts=["激光雷达", "毫米波雷达", "摄像头", "制动盘", "悬架", "车架", "电机控制器", "受电弓", "转向节",
               "车载终端"],
        tech=["环境感知", "路径规划", "车路协同", "能量回收", "轻量化设计", "多传感器融合"],
        effects=["提高了行车安全性", "降低了整车能耗", "提升了乘坐舒适性", "减少了交通拥堵"]),
}
DOMAIN_IPC = {
    "新能源": ["H01M 10/42", "H01M 10/613", "H01M 4/58", "H02J 7/00", "H02J 3/38", "H02S 40/10", "B60L 58/12",
            "F03D 7/00"],
    "人工智能": ["G06N 3/04", "G06N 3/08", "G06V 10/82", "G06V 40/16", "G06F 40/30", "G10L 15/16", "G06F 16/36"],
    "知识产权": ["G06Q 50/18", "G06F 16/35", "G06F 16/583", "G06F 16/33", "G06Q 10/10", "H04L 9/32"],
    "智能制造": ["B25J 9/16", "B25J 15/08", "G05B 19/418", "B23K 37/04", "F16H 1/32", "G01N 21/88", "B23Q 3/06"],
    "农业": ["A01C 7/20", "A01D 41/12", "A01G 25/16", "A01G 9/14", "B64D 1/18", "A01B 79/00", "A01C 21/00"],
    "生物医药": ["A61K 36/899", "A61K 39/395", "C12Q 1/6883", "G01N 33/558", "A61B 6/03", "A61B 34/30", "A61K 9/22"],
    "通信电子": ["H04W 24/02", "H01Q 1/24", "H04B 7/06", "H01L 23/31", "H10K 59/12", "H02J 50/10", "H04L 67/12"],
    "交通": ["B60W 60/00", "G01S 17/931", "B61L 23/00", "B60T 13/74", "B62D 5/04", "G08G 1/07", "B60L 5/24"],
}
TITLE_PATTERNS = ["一种{tech}的{obj}{suffix}", "一种基于{tech}的{obj}{suffix}", "{obj}{suffix}", "一种{part}及{obj}",
                  "一种用于{obj}的{part}", "{tech}{obj}{suffix}", "一种{obj}的{act}{suffix}"]
SUFFIXES = ["方法", "装置", "系统", "方法及装置", "系统及方法", "设备", "方法、装置、设备及存储介质", "组件"]
ACTIONS = ["控制", "检测", "监测", "管理", "制备", "调节", "识别", "评估", "优化", "标定"]
CONNECT = ["固定连接", "电性连接", "通信连接", "可拆卸连接", "转动连接", "滑动连接"]
CITIES = ["济南", "青岛", "淄博", "烟台", "潍坊", "济宁", "菏泽", "临沂", "北京", "上海", "深圳", "杭州", "苏州", "成都", "武汉"]
CORES = ["华瑞", "鲁能", "恒信", "泰山", "齐鲁", "海川", "中科", "博远", "金宇", "天诚", "新华", "东方", "创新", "宏达",
         "联合", "智汇", "远航", "盛世", "龙腾", "光明"]
TRADES = ["科技", "电子", "新能源", "智能装备", "生物医药", "农业科技", "信息技术", "汽车零部件", "机械制造", "通信技术"]
FORMS = ["有限公司", "股份有限公司", "集团有限公司"]
FAMOUS = ["华为技术有限公司", "山东大学", "海尔智家股份有限公司", "潍柴动力股份有限公司", "浪潮电子信息产业股份有限公司",
          "青岛科技大学", "菏泽市农业科学院", "中国石油大学（华东）", "济南市知识产权服务中心", "比亚迪股份有限公司"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文辉鹏飞"
REGIONS = ["371702", "371721", "371722", "371723", "371724", "371725", "371726", "371728", "370102", "370103",
           "370112", "370202", "370203", "370212", "370302", "370602", "370702", "370811", "371302", "110108",
           "310115", "440305", "330106", "320505", "510107", "420111"]
TYPES = ["发明"] * 5 + ["实用新型"] * 4 + ["外观设计"]
STATUSES = ["有效"] * 5 + ["审中"] * 3 + ["失效"] * 2


class Generator:
    def __init__(self, seed: int = 20240601):
        self.rng = random.Random(seed)
        rng = self.rng
        self.companies = [f"{rng.choice(CITIES)}{rng.choice(CORES)}{rng.choice(TRADES)}{rng.choice(FORMS)}"
                          for _ in range(6000)]
        self.companies = list(dict.fromkeys(self.companies)) + [f"{c}大学" for c in CITIES] + FAMOUS * 20
        self.people = [rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2]))) for _ in range(20000)]
        self.domains = list(DOMAINS)

    def doc(self, i: int) -> dict:
        rng = self.rng
        name = rng.choice(self.domains)
        d = DOMAINS[name]
        obj, tech, suffix = rng.choice(d["objects"]), rng.choice(d["tech"]), rng.choice(SUFFIXES)
        parts = rng.sample(d["parts"], 4)
        title = rng.choice(TITLE_PATTERNS).format(tech=tech, obj=obj, suffix=suffix, part=parts[0],
                                                  act=rng.choice(ACTIONS))
        other = DOMAINS[rng.choice(self.domains)]
        e1, e2 = rng.sample(d["effects"], 2)
        abstract = (
            f"本发明公开了一种{obj}{suffix}，属于{d['field']}技术领域。所述{suffix[:2]}包括{parts[0]}、{parts[1]}、"
            f"{parts[2]}和{parts[3]}，所述{parts[0]}与{parts[1]}{rng.choice(CONNECT)}，所述{parts[2]}用于"
            f"{rng.choice(ACTIONS)}所述{parts[3]}的工作状态。本发明采用{tech}技术，通过{rng.choice(other['tech'])}"
            f"对采集的数据进行{rng.choice(ACTIONS)}，并根据{rng.choice(ACTIONS)}结果{rng.choice(ACTIONS)}"
            f"{rng.choice(d['parts'])}的运行参数。在一个实施例中，所述{parts[1]}采用{rng.choice(d['tech'])}方法实现"
            f"{rng.choice(ACTIONS)}，所述{parts[3]}设置于所述{parts[0]}的一侧，便于安装和维护，所述{obj}还包括用于"
            f"{rng.choice(ACTIONS)}{rng.choice(d['parts'])}的{rng.choice(d['parts'])}。与现有技术相比，本发明{e1}，{e2}，"
            f"结构简单，成本较低，"
            f"适用于{rng.choice(other['objects'])}及{rng.choice(d['objects'])}等场景，具有良好的推广应用价值。")
        claims = (f"1.一种{obj}{suffix}，其特征在于，包括{parts[0]}、{parts[1]}和{parts[2]}，"
                  f"所述{parts[0]}与所述{parts[1]}{rng.choice(CONNECT)}。")
        applied = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(0, 20 * 365))
        ipc = DOMAIN_IPC[name]
        return {
            "id": f"CN{applied.year}1{i:07d}.{i % 10}",
            "title": title,
            "abstract": abstract,
            "claims": claims,
            "applicants": rng.sample(self.companies, rng.choice([1, 1, 1, 2])),
            "inventors": rng.sample(self.people, rng.choice([1, 2, 3, 4])),
            "ipc": rng.sample(ipc, rng.choice([1, 2, 3])),
            "region": rng.choice(REGIONS),
            "patent_type": rng.choice(TYPES),
            "legal_status": rng.choice(STATUSES),
            "application_date": applied,
            "publication_date": applied + dt.timedelta(days=rng.randrange(90, 720)),
        }


QUERIES = [
    # bare terms, common and rare, including 2-character words and words common to every domain
    "锂电池", "商标", "图像识别", "无人机", "方法", "装置", "系统", "区块链", "传感器", "新能源汽车",
    # two or three terms
    "锂电池 热管理", "深度学习 图像识别", "植保无人机 喷头", "方法 装置", "控制 方法 系统", "中药组合物 提取物",
    "商标 检索", "齿轮 减速机构 伺服电机", "5G通信 天线", "专利 价值评估",
    # fielded
    "TI=锂电池", "TI=方法 AND PA=大学", "AB=深度学习 AND IC=G06N", "IC=G06F*", "PA=华为", "IN=王伟",
    "TI=电池 AND AD=[20200101 TO 20231231]", "TI=系统 AND RG=3717", "PT=发明 AND TI=控制", "LS=有效 AND AB=传感器",
    "CL=齿轮", "TI=(无人机 OR 机器人)", "TI=装置 NOT AB=电机", '"预测模型"', "TI=商标 OR TI=专利",
    "IC=H01M AND AB=热管理", "AB=提高了检测灵敏度", "PA=股份有限公司 AND TI=芯片", "RG=37 AND TI=播种机",
    "AD=[20230101 TO *] AND 知识图谱",
]
assert len(QUERIES) == 40


def pct(samples: list[float], q: float) -> float:
    samples = sorted(samples)
    return samples[min(len(samples) - 1, int(round(q * (len(samples) - 1))))]


def measure(func, items, repeat: int) -> list[float]:
    for item in items:  # warm-up
        func(item)
    out = []
    for _ in range(repeat):
        for item in items:
            start = time.perf_counter()
            func(item)
            out.append((time.perf_counter() - start) * 1000)
    return out


def du(path: Path, pattern: str = "*") -> int:
    return sum(p.stat().st_size for p in path.rglob(pattern) if p.is_file())


def segmentation_speed(texts: list[str]) -> dict:
    """Characters per second: precise mode and full mode of each library (what analyze runs), and analyze."""
    from ipcity.search import segment

    out = {}
    for lib in ("rjieba", "jieba"):
        sample = texts if lib == "rjieba" else texts[: max(1, len(texts) // 10)]
        n = sum(map(len, sample))
        segment.raw_tokenize("预热", "default", lib)
        start = time.perf_counter()
        for text in sample:
            segment.raw_tokenize(text, "default", lib)
            segment.dictionary_words(text, lib)
        out[lib] = n / (time.perf_counter() - start)
    chars = sum(map(len, texts))
    start = time.perf_counter()
    for text in texts:
        segment.analyze(text)
    out["analyze"] = chars / (time.perf_counter() - start)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=20_000, help="documents per add_or_update call")
    parser.add_argument("--dir", help="index directory (default: a temporary one, removed at the end)")
    parser.add_argument("--keep", action="store_true", help="keep the index directory")
    parser.add_argument("--reuse", action="store_true", help="search an index --dir already holds")
    parser.add_argument("--heap", type=int, default=256_000_000, help="tantivy writer heap (bytes)")
    args = parser.parse_args()

    from ipcity.search.index import PatentIndex

    directory = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="ipcity-search-bench-"))
    gen = Generator()
    sample_docs = [gen.doc(i) for i in range(2000)]
    avg_chars = statistics.mean(len(d["title"]) + len(d["abstract"]) for d in sample_docs)
    all_chars = statistics.mean(len(d["title"]) + len(d["abstract"]) + len(d["claims"]) + sum(map(len, d["applicants"]))
                                + sum(map(len, d["inventors"])) for d in sample_docs)

    index = PatentIndex(directory, heap_size=args.heap)
    gen_s = index_s = 0.0
    if not args.reuse:
        gen = Generator()
        done = 0
        started = time.perf_counter()
        while done < args.docs:
            t0 = time.perf_counter()
            batch = [gen.doc(i) for i in range(done, min(args.docs, done + args.batch))]
            t1 = time.perf_counter()
            index.add_or_update(batch)
            index_s += time.perf_counter() - t1
            gen_s += t1 - t0
            done += len(batch)
            print(f"  indexed {done:,} docs ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
        t1 = time.perf_counter()
        index.commit()
        index_s += time.perf_counter() - t1
    size, stored = du(directory), du(directory, "*.store")
    n = index.count()
    print(f"  {n:,} docs, {size / 1e6:.0f} MB; measuring", file=sys.stderr, flush=True)

    load_before = os.getloadavg()
    searcher = index.searcher()
    compiled = {q: index.compile(q) for q in QUERIES}
    totals = {q: searcher.search(compiled[q], 1).count for q in QUERIES}

    def bare(q):
        s = index.searcher()
        s.search(compiled[q], 20, count=True)

    def end_to_end(q):
        index.search(q, limit=20)

    def facets(q):
        index.facet_counts(index.compile(q))

    def end_to_end_date(q):
        index.search(q, limit=20, sort="date_desc")

    rows = [
        ("top 20 + highlight, relevance (PatentIndex.search) vs bare searcher.search",
         measure(end_to_end, QUERIES, args.repeat), measure(bare, QUERIES, args.repeat)),
        ("top 20 + highlight, application date desc", measure(end_to_end_date, QUERIES, args.repeat), None),
        ("facet counts (6 facets over all matches)", measure(facets, QUERIES, args.repeat), None),
    ]
    load_after = os.getloadavg()
    seg = segmentation_speed([d["title"] + d["abstract"] for d in sample_docs])

    print(f"\n{n:,} synthetic documents (title + abstract {avg_chars:.0f} chars on average, all text fields "
          f"{all_chars:.0f}); 40 queries × {args.repeat} runs; matches per query: median "
          f"{int(statistics.median(totals.values())):,}, max {max(totals.values()):,}; load average (1/5/15 min) "
          f"before measuring {'/'.join(f'{x:.2f}' for x in load_before)}, after "
          f"{'/'.join(f'{x:.2f}' for x in load_after)} on {os.cpu_count()} cores\n")
    print("| benchmark | ipcity p50 (ms) | ipcity p95 (ms) | bare tantivy p50 (ms) | bare tantivy p95 (ms) "
          "| ratio p50 / p95 |")
    print("|---|---|---|---|---|---|")
    for name, ours, raw in rows:
        raw_cells = (f"{pct(raw, .5):.2f} | {pct(raw, .95):.2f} | {pct(ours, .5) / pct(raw, .5):.2f} / "
                     f"{pct(ours, .95) / pct(raw, .95):.2f}") if raw else "– | – | –"
        print(f"| {name} | {pct(ours, .5):.2f} | {pct(ours, .95):.2f} | {raw_cells} |")
    print()
    print("| indexing and segmentation | value |")
    print("|---|---|")
    if not args.reuse:
        print(f"| index {args.docs:,} docs (segmentation + tantivy, commit included) | {index_s:.0f} s "
              f"({args.docs / index_s:,.0f} docs/s; generating them took another {gen_s:.0f} s) |")
    print(f"| index size on disk | {size / 1e6:.0f} MB, of which {stored / 1e6:.0f} MB doc store (original title, "
          f"abstract, applicants, inventors for highlighting) |")
    print(f"| segmentation (precise + full mode with offsets), rjieba | {seg['rjieba'] / 1e6:.2f} M chars/s |")
    print(f"| segmentation (precise + full mode with offsets), jieba | {seg['jieba'] / 1e6:.2f} M chars/s |")
    print(f"| segment.analyze (rjieba, positions, stop characters: the index tokens) | "
          f"{seg['analyze'] / 1e6:.2f} M chars/s |")

    slow = sorted(QUERIES, key=lambda q: -statistics.median(measure(end_to_end, [q], 1)))[:5]
    print("\nslowest end-to-end queries: " + "; ".join(f"`{q}` ({totals[q]:,} hits)" for q in slow))
    if not (args.dir and (args.keep or args.reuse)):
        index.close()
        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
