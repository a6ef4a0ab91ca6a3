"""维权援助: enterprises ask for help with an IP dispute (at home or abroad); assistance officers (维权援助专员) are
assigned to enterprises and take their requests to an outcome."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from ipcity.core.scoping import ScopedQuerySet


class AssistanceAssignment(models.Model):
    """An officer (维权援助专员) looking after an enterprise from a date (until another takes over)."""

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="维权援助专员", on_delete=models.PROTECT,
                                related_name="assisted_enterprises")
    enterprise = models.ForeignKey("orgs.Organisation", verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="assistance_assignments")
    since = models.DateField("起始日期")
    until = models.DateField("终止日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "维权援助专员分工"
        verbose_name_plural = "维权援助专员分工"
        ordering = ["enterprise_id", "-since"]

    def __str__(self) -> str:
        return f"{self.officer} → {self.enterprise}"


class AssistanceRequest(models.Model):
    class Kind(models.TextChoices):
        DOMESTIC = "domestic", "国内侵权纠纷"
        OVERSEAS = "overseas", "海外知识产权纠纷"
        LITIGATION = "litigation", "诉讼、仲裁应对"
        EXHIBITION = "exhibition", "展会知识产权纠纷"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待分派"
        IN_PROGRESS = "in_progress", "援助中"
        CLOSED = "closed", "已办结"

    number = models.CharField("编号", max_length=30, unique=True)
    enterprise = models.ForeignKey("orgs.Organisation", verbose_name="申请企业", on_delete=models.PROTECT,
                                   related_name="assistance_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT,
                                     related_name="+")
    kind = models.CharField("援助类型", max_length=20, choices=Kind.choices)
    country = models.CharField("涉及国家或地区", max_length=50, blank=True)
    rights = models.CharField("涉及的知识产权", max_length=300, blank=True)
    description = models.TextField("情况说明")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="维权援助专员", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="assistance_requests")
    progress = models.TextField("援助记录", blank=True)
    outcome = models.TextField("援助结果", blank=True)
    created_at = models.DateTimeField("申请时间")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "维权援助申请"
        verbose_name_plural = "维权援助申请"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number
