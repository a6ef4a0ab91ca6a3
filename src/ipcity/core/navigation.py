"""The main navigation. Sections whose module is not built yet say so on their page (no fake content)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    summary: str
    planned: tuple[str, ...] = field(default_factory=tuple)
    url_name: str | None = None  # a built module's landing page; None = not built yet
    also: tuple[str, ...] = field(default_factory=tuple)  # other URL prefixes whose pages belong to the section

    @property
    def href(self) -> str:
        from django.urls import reverse

        return reverse(self.url_name) if self.url_name else reverse("core:section", args=[self.slug])

    @property
    def built(self) -> bool:
        return self.url_name is not None


SECTIONS: tuple[Section, ...] = (
    Section("plans", "规划与指标", "导入规划文件，跟踪目标、指标和任务的责任单位与进度，按季报、速报、即报要求报送。",
            ("规划文件解析与导入", "指标与任务台账", "责任单位报送与督办", "成效监测评价"), url_name="plans:list"),
    Section("data", "数据中心", "专利、商标、地理标志、著作权和企业数据的汇聚与互联互通。",
            ("专利数据导入（CNIPA、incoPat、Patentics 导出文件）", "商标、地理标志、版权登记台账", "企业与申请人归并"),
            url_name="ipdata:index"),
    Section("analytics", "检索分析", "专利检索、知识产权指标（每万人口高价值发明专利拥有量等）与专利导航。",
            ("中文全文检索", "知识产权指标与明细", "高价值发明专利", "专利导航报告"), url_name="analytics:index"),
    Section("protection", "保护", "侵权投诉举报一站式受理、案件办理期限、移送、调解、维权援助与公示。",
            ("投诉举报受理", "案件期限管理", "线索移送与调解", "行政处罚信息公示"), url_name="protection:list"),
    Section("utilisation", "运用", "专利开放许可、质押融资与专利密集型产品。",
            ("开放许可", "质押融资登记", "专利密集型产品")),
    Section("supervision", "信用与监管", "电子存证、信用记录与严重违法失信名单、非正常专利申请筛查、“双随机、一公开”抽查。",
            ("区块链式存证与证据包", "信用记录、分类监管与信用修复", "非正常专利申请筛查", "双随机、一公开"),
            url_name="credit:index", also=("/evidence/", "/abnormal/", "/inspections/")),
    Section("services", "服务", "知识产权服务机构、人才与专家库。",
            ("服务机构名录", "专家库", "人才库")),
    Section("reports", "报表", "按公文格式生成 Word 报告、Excel 报表与图表。",
            ("公文格式 Word 报告", "Excel 报表", "统计图表")),
)


def sections_for(user) -> list[Section]:
    return list(SECTIONS)


def get_section(slug: str) -> Section | None:
    return next((s for s in SECTIONS if s.slug == slug), None)
