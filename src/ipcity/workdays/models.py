"""The working-day table (holidays and 调休 make-up workdays) and deadlines computed from it."""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from ipcity.core.scoping import ScopedQuerySet
from ipcity.workdays.engine import Unit


class CalendarYear(models.Model):
    """Whether the State Council's 放假安排 for a year is known; unpublished years follow the configured policy."""

    year = models.PositiveSmallIntegerField("年份", primary_key=True)
    published = models.BooleanField("已公布", default=False)
    source = models.CharField("来源", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "年度放假安排"
        verbose_name_plural = "年度放假安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年（{'已公布' if self.published else '未公布'}）"


class CalendarDay(models.Model):
    """A day that differs from the weekend rule: a holiday on a weekday, or a make-up workday on a weekend."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否上班", help_text="勾选表示调休上班日；不勾选表示放假")
    name = models.CharField("名称", max_length=50, blank=True, help_text="如：国庆节、春节调休")
    source = models.CharField("来源", max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '放假'} {self.name}".strip()


class Deadline(models.Model):
    """A legal or administrative time limit on some object (a complaint, a task…), kept current.

    `due_at` is derived (by ipcity.workdays.actions.recompute) from start, amount, unit, pauses and approved
    extensions; it is stored so lists can sort and filter on it, and recomputed whenever the calendar changes.
    """

    class Status(models.TextChoices):
        OPEN = "open", "进行中"
        PAUSED = "paused", "已中止计时"
        MET = "met", "已按期完成"
        LATE = "late", "逾期完成"
        CANCELLED = "cancelled", "已撤销"

    OPEN_STATUSES = (Status.OPEN, Status.PAUSED)

    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    title = models.CharField("事项", max_length=200)
    rule = models.CharField("依据", max_length=200, blank=True, help_text="如：《市场监督管理投诉举报处理暂行办法》第十四条")
    unit = models.CharField("单位", max_length=20, choices=[(u.value, u.label) for u in Unit])
    amount = models.PositiveIntegerField("期限")
    start_at = models.DateTimeField("起算时间")
    due_at = models.DateTimeField("届满时间", db_index=True)
    provisional = models.BooleanField("暂定", default=False, help_text="跨越未公布放假安排的年份，按双休日暂算")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "期限"
        verbose_name_plural = "期限"
        ordering = ["due_at"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.title}（{self.amount}{Unit(self.unit).label}）"

    @property
    def unit_label(self) -> str:
        return Unit(self.unit).label


class DeadlinePause(models.Model):
    """A clock stop (中止、鉴定、公告…): time inside it does not count toward the deadline."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="pauses")
    start_at = models.DateTimeField("中止时间")
    end_at = models.DateTimeField("恢复时间", null=True, blank=True)
    reason = models.CharField("原因", max_length=200)

    class Meta:
        verbose_name = "计时中止"
        verbose_name_plural = "计时中止"
        ordering = ["start_at"]


class DeadlineExtension(models.Model):
    """An approved extension (延长) of the deadline, in the deadline's own unit."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    amount = models.PositiveIntegerField("延长")
    reason = models.CharField("理由", max_length=200)
    approved_by = models.CharField("批准人", max_length=100)
    approved_at = models.DateTimeField("批准时间")

    class Meta:
        verbose_name = "期限延长"
        verbose_name_plural = "期限延长"
        ordering = ["approved_at"]
