"""Analytics reference data: the strategic-emerging-industry ↔ IPC concordance as loaded (one row per version)."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from ipcity.core.scoping import ScopedQuerySet


class SeiTable(models.Model):
    """One loaded version of CNIPA's 战略性新兴产业分类与国际专利分类参照关系表 (sei.jsonl + ipc-sei.jsonl). The rules and
    the code → rule mapping are kept as loaded (JSON); exactly one version is active and classifies patents. A version
    is never edited: an updated table is loaded as a new version and activated."""

    name = models.CharField("名称", max_length=200)
    rules = models.JSONField("规则", help_text="[{id, seiCode, seiName, keywords}]")
    mapping = models.JSONField("分类号对应", help_text="{IPC 分类号: [规则编号]}")
    rules_sha256 = models.CharField(max_length=64)
    mapping_sha256 = models.CharField(max_length=64)
    rule_count = models.PositiveIntegerField("规则数")
    code_count = models.PositiveIntegerField("分类号数")
    is_active = models.BooleanField("当前使用", default=False)
    is_demo = models.BooleanField("示例数据", default=False)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    loaded_at = models.DateTimeField("载入时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "战略性新兴产业分类对照表"
        verbose_name_plural = "战略性新兴产业分类对照表"
        ordering = ["-loaded_at"]
        constraints = [models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True),
                                               name="one_active_sei_table")]

    def __str__(self) -> str:
        return f"{self.name}（{self.rule_count} 条规则，{self.code_count} 个分类号）"


class PatentFlag(models.Model):
    """What the indicators need of a patent that SQL cannot work out: its strategic-emerging-industry codes (keyword
    rules read the text) and whether its family holds an overseas grant or a PCT application (publication numbers).
    Derived data, one row per patent: `flags.ensure_flags()` recomputes the rows whose patent, SEI table or rules
    changed (`signature`, `content_hash`) before indicators are computed."""

    patent = models.OneToOneField("ipdata.Patent", primary_key=True, on_delete=models.CASCADE, related_name="flags")
    sei_codes = models.CharField("战略性新兴产业代码", max_length=200, blank=True)
    c1_sei = models.BooleanField("战略性新兴产业", default=False)
    c2_overseas = models.BooleanField("海外同族授权", default=False)
    pct = models.BooleanField("PCT 国际申请", default=False)
    content_hash = models.CharField(max_length=64)
    signature = models.CharField(max_length=64, help_text="对照表版本与判定规则的摘要")
    computed_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "专利统计标记"
        verbose_name_plural = "专利统计标记"
        # The indicator pages (values, drill-down, exports) are the offices' and the leading group's working view.
        permissions = [("view_indicators", "查看知识产权统计指标")]
