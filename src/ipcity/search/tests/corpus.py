"""A seeded synthetic corpus of ~200 Chinese patent records for the index tests."""
from __future__ import annotations

import datetime as dt
import random

TECH = ["深度学习", "区块链", "物联网", "云计算", "图像识别", "语音识别", "边缘计算", "数字孪生", "大数据", "知识图谱"]
OBJECTS = ["锂电池", "新能源汽车", "注册商标", "专利文献", "光伏组件", "智能电网", "医疗影像", "农业机械", "无人机", "工业机器人"]
ACTIONS = ["检测", "管理", "控制", "检索", "预测", "监测", "评估", "分类"]
SUFFIXES = ["方法", "装置", "系统", "方法及装置", "系统及方法"]
EFFECTS = ["提高了检测精度", "降低了生产成本", "缩短了处理时间", "提升了用户体验", "增强了数据安全性"]
STEPS = ["获取待处理数据", "提取特征向量", "建立预测模型", "输出处理结果", "进行数据清洗", "计算相似度得分"]
APPLICANTS = ["华为技术有限公司", "山东大学", "海尔智家股份有限公司", "潍柴动力股份有限公司", "浪潮电子信息产业股份有限公司",
              "济南市知识产权服务中心", "菏泽市农业科学院", "青岛科技大学"]
INVENTORS = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "孙强"]
IPCS = ["G06F 16/35", "G06F 16/583", "G06N 3/04", "G06N 3/08", "G06Q 50/18", "H01M 10/42", "H01M 4/58", "B60L 58/12",
        "H02J 3/38", "A01B 79/00", "G06T 7/00", "B25J 9/16", "H04L 9/32"]
REGIONS = ["371702", "371721", "371722", "370102", "370212", "110108", "440305"]
TYPES = ["发明", "实用新型", "外观设计"]
STATUSES = ["有效", "审中", "失效"]


def make_corpus(n: int = 200, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        tech, obj, action, suffix = rng.choice(TECH), rng.choice(OBJECTS), rng.choice(ACTIONS), rng.choice(SUFFIXES)
        title = f"一种基于{tech}的{obj}{action}{suffix}"
        steps = "、".join(rng.sample(STEPS, 3))
        abstract = (f"本发明公开了一种{obj}{action}{suffix}，涉及{rng.choice(TECH)}技术领域。所述{suffix}包括：{steps}。"
                    f"本发明{rng.choice(EFFECTS)}，适用于{rng.choice(OBJECTS)}的{rng.choice(ACTIONS)}。")
        claims = f"1.一种{obj}{action}{suffix}，其特征在于，包括：{steps}。"
        applied = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 9 * 365))
        docs.append({
            "id": f"CN{applied.year}1{i:07d}.{i % 10}",
            "title": title,
            "abstract": abstract,
            "claims": claims,
            "applicants": rng.sample(APPLICANTS, rng.choice([1, 1, 2])),
            "inventors": rng.sample(INVENTORS, rng.choice([1, 2, 3])),
            "ipc": rng.sample(IPCS, rng.choice([1, 2])),
            "region": rng.choice(REGIONS),
            "patent_type": rng.choice(TYPES),
            "legal_status": rng.choice(STATUSES),
            "application_date": applied,
            "publication_date": applied + dt.timedelta(days=rng.randrange(90, 540)),
        })
    return docs
