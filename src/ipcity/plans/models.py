"""Plans (规划/方案), their sections, tasks with responsible units, progress reports, and indicators.

Lifecycle: an uploaded document (PlanDocument, stored by hash) is parsed into a PlanImport — a draft that staff
review and correct; publishing it creates the Plan with its sections, tasks and indicators. Nothing parsed is
live before it is published. Re-importing a document with the same hash is offered as a new version.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models

from ipcity.core.scoping import ScopedQuerySet


class Cadence(models.TextChoices):
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    HALF_YEARLY = "half_yearly", "每半年"
    YEARLY = "yearly", "每年"


class PlanDocument(models.Model):
    """An uploaded plan file and what the parser read from it (kept so the review screen shows the source)."""

    file = models.ForeignKey("core.StoredFile", verbose_name="文件", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("正文（解析用）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "规划文件"
        verbose_name_plural = "规划文件"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.file.original_name


class PlanImport(models.Model):
    """A parsed document under review. `data` is the parser's JSON, edited by staff until published."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待审核"
        PUBLISHED = "published", "已发布"
        DISCARDED = "discarded", "已放弃"

    document = models.ForeignKey(PlanDocument, on_delete=models.PROTECT, related_name="imports")
    owner = models.ForeignKey("orgs.Organisation", verbose_name="编制单位", on_delete=models.PROTECT, related_name="+")
    data = models.JSONField("解析结果")
    unit_mapping = models.JSONField("责任单位对应", default=dict, blank=True,
                                    help_text="原文单位名称 → 组织机构编号")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    replaces = models.ForeignKey("Plan", verbose_name="新版本替代", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    plan = models.OneToOneField("Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="source_import")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "规划导入"
        verbose_name_plural = "规划导入"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.data.get("title") or str(self.document)


class Plan(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "执行中"
        SUPERSEDED = "superseded", "已被新版本替代"
        CLOSED = "closed", "已结束"

    title = models.CharField("标题", max_length=300)
    issuer = models.JSONField("发文机关", default=list, blank=True)
    doc_number = models.CharField("发文字号", max_length=100, blank=True)
    issued_on = models.DateField("成文日期", null=True, blank=True)
    period_start = models.PositiveSmallIntegerField("起始年", null=True, blank=True)
    period_end = models.PositiveSmallIntegerField("截止年", null=True, blank=True)
    owner = models.ForeignKey("orgs.Organisation", verbose_name="编制单位", on_delete=models.PROTECT,
                              related_name="plans")
    region = models.ForeignKey("regions.Region", verbose_name="适用区划", on_delete=models.PROTECT, related_name="+")
    cadence = models.CharField("报送周期", max_length=20, choices=Cadence.choices, default=Cadence.QUARTERLY)
    report_due_working_days = models.PositiveSmallIntegerField(
        "报送期限（工作日）", default=10, help_text="每个报送周期结束后多少个工作日内报送进展")
    version = models.PositiveSmallIntegerField("版本", default=1)
    previous = models.ForeignKey("self", verbose_name="上一版本", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    is_demo = models.BooleanField("示例数据", default=False)
    published_at = models.DateTimeField("发布时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "规划"
        verbose_name_plural = "规划"
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    number = models.CharField("序号", max_length=20, blank=True)
    title = models.CharField("标题", max_length=300)
    level = models.PositiveSmallIntegerField("层级")
    order = models.PositiveIntegerField("顺序")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "章节"
        verbose_name_plural = "章节"
        ordering = ["plan_id", "order"]

    def __str__(self) -> str:
        return f"{self.number}{'、' if self.level == 1 and self.number else ''}{self.title}"


class Task(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "未开始"
        IN_PROGRESS = "in_progress", "推进中"
        COMPLETED = "completed", "已完成"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    code = models.CharField("编号", max_length=30)
    number = models.CharField("序号", max_length=20, blank=True)
    title = models.CharField("任务", max_length=300)
    text = models.TextField("内容", blank=True)
    source_start = models.PositiveIntegerField(null=True, blank=True)
    source_end = models.PositiveIntegerField(null=True, blank=True)
    due_date = models.DateField("完成时限", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["plan_id", "source_start", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="task_code_unique_in_plan")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class TaskUnit(models.Model):
    """A unit named responsible for a task, as written in the document (raw) and resolved to an organisation."""

    class Role(models.TextChoices):
        LEAD = "lead", "牵头"
        SUPPORT = "support", "配合"
        RESPONSIBLE = "responsible", "责任单位"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="units")
    organisation = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="plan_tasks")
    raw_name = models.CharField("原文名称", max_length=200)
    role = models.CharField("职责", max_length=20, choices=Role.choices, default=Role.RESPONSIBLE)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "任务责任单位"
        verbose_name_plural = "任务责任单位"
        ordering = ["task_id", "pk"]

    def __str__(self) -> str:
        return str(self.organisation or self.raw_name)


class ProgressReport(models.Model):
    """A unit's report on a task for one period (or an ad-hoc 速报/即报); the city office accepts or returns it."""

    class Kind(models.TextChoices):
        REGULAR = "regular", "定期报送"
        FLASH = "flash", "速报"
        IMMEDIATE = "immediate", "即报"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "已报送"
        ACCEPTED = "accepted", "已采纳"
        RETURNED = "returned", "已退回"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey("orgs.Organisation", verbose_name="报送单位", on_delete=models.PROTECT,
                             related_name="progress_reports")
    period = models.CharField("报送期", max_length=10, help_text="如 2025Q3、2025-07、2025H1、2025；速报/即报可留空")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    text = models.TextField("进展情况")
    figures = models.JSONField("数据", default=dict, blank=True)
    attachments = models.ManyToManyField("core.StoredFile", blank=True, related_name="+")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "进展报送"
        verbose_name_plural = "进展报送"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.task} · {self.period or self.get_kind_display()}"


class Indicator(models.Model):
    class TargetKind(models.TextChoices):
        LEVEL = "level", "达到水平"
        ANNUAL_GROWTH_PCT = "annual_growth_pct", "年均增长率"
        CUMULATIVE = "cumulative", "累计"
        INCREASE = "increase", "年均新增"
        BREAKTHROUGH = "breakthrough", "实现突破"
        QUALITATIVE = "qualitative", "定性"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField("指标", max_length=200)
    unit = models.CharField("单位", max_length=20, blank=True)
    baseline_year = models.PositiveSmallIntegerField("基期年", null=True, blank=True)
    baseline_value = models.FloatField("基期值", null=True, blank=True)
    target_year = models.PositiveSmallIntegerField("目标年", null=True, blank=True)
    target_value = models.FloatField("目标值", null=True, blank=True)
    target_kind = models.CharField("目标类型", max_length=20, choices=TargetKind.choices, default=TargetKind.LEVEL)
    nature = models.CharField("属性", max_length=10, blank=True, help_text="预期性 / 约束性")
    source_text = models.TextField("原文", blank=True)
    computed_key = models.CharField("计算指标", max_length=100, blank=True,
                                    help_text="绑定由统计分析模块自动计算的指标（留空则手工填报）")
    order = models.PositiveIntegerField("顺序", default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["plan_id", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """An actual value of an indicator for a region and a period, with where it came from."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    region = models.ForeignKey("regions.Region", verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    period = models.CharField("期间", max_length=10, help_text="2025、2025H1、2025Q3 或 2025-07")
    value = models.FloatField("数值")
    source = models.CharField("数据来源", max_length=300)
    attachment = models.ForeignKey("core.StoredFile", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    entered_at = models.DateTimeField("填报时间", auto_now=True)
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "指标值"
        verbose_name_plural = "指标值"
        ordering = ["indicator_id", "region_id", "period"]
        constraints = [models.UniqueConstraint(fields=["indicator", "region", "period"],
                                               name="indicator_value_unique_period")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period}: {self.value:g}"


class Milestone(models.Model):
    """A dated step of a task (节点), set by the city office; overdue when past due and not done."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=200)
    due_date = models.DateField("计划完成日期")
    done_on = models.DateField("实际完成日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "任务节点"
        verbose_name_plural = "任务节点"
        ordering = ["task_id", "due_date"]

    def __str__(self) -> str:
        return f"{self.title}（{self.due_date:%Y-%m-%d}）"
