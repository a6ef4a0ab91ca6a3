"""Administrative regions by GB/T 2260 code (province → city → district/county)."""
from __future__ import annotations

from django.db import models

from ipcity.core.scoping import ScopedQuerySet


class Region(models.Model):
    class Level(models.IntegerChoices):
        PROVINCE = 1, "省级"
        CITY = 2, "地级"
        COUNTY = 3, "县级"

    code = models.CharField("行政区划代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=50)
    level = models.PositiveSmallIntegerField("级别", choices=Level.choices)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        """The code prefix every region inside this one shares ("37", "3717", "371702")."""
        return self.code[: {1: 2, 2: 4, 3: 6}[self.level]]

    def contains(self, other: "Region | str | None") -> bool:
        code = other.code if isinstance(other, Region) else other
        return bool(code) and code.startswith(self.prefix)

    @property
    def full_name(self) -> str:
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))


class Population(models.Model):
    """A region's population at the end of a year, in 万人 (the denominator of the per-10,000-people indicators).
    Which count a report divides by — resident (常住) or registered (户籍) — is the rule analytics.population_kind."""

    class Kind(models.TextChoices):
        RESIDENT = "resident", "常住人口"
        REGISTERED = "registered", "户籍人口"

    region = models.ForeignKey(Region, verbose_name="区划", on_delete=models.PROTECT, related_name="populations")
    year = models.PositiveSmallIntegerField("年份（年末）")
    kind = models.CharField("口径", max_length=20, choices=Kind.choices, default=Kind.RESIDENT)
    value = models.DecimalField("人口（万人）", max_digits=10, decimal_places=2)
    source = models.CharField("来源", max_length=300, blank=True, help_text="如 统计年鉴、统计公报")
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "人口"
        verbose_name_plural = "人口"
        ordering = ["region_id", "-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "kind"], name="population_once")]

    def __str__(self) -> str:
        return f"{self.region} {self.year} {self.get_kind_display()} {self.value} 万人"
