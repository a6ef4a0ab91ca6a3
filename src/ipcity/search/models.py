"""Saved searches: a user's named query (later issues turn them into industries and watch lists)."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from ipcity.core.scoping import ScopedQuerySet


class SavedSearch(models.Model):
    class Sort(models.TextChoices):
        RELEVANCE = "relevance", "相关度"
        DATE_DESC = "date_desc", "申请日（新→旧）"
        DATE_ASC = "date_asc", "申请日（旧→新）"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="保存人", on_delete=models.CASCADE,
                              related_name="saved_searches")
    name = models.CharField("名称", max_length=100)
    query = models.TextField("检索式", max_length=2000)
    sort = models.CharField("排序", max_length=20, choices=Sort.choices, default=Sort.RELEVANCE)
    last_total = models.PositiveIntegerField("上次命中数", null=True, blank=True)
    created_at = models.DateTimeField("保存时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "保存的检索式"
        verbose_name_plural = "保存的检索式"
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_search_name_per_owner")]
        permissions = [("export_patents", "导出专利检索结果")]

    def __str__(self) -> str:
        return self.name
