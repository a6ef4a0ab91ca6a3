"""The IP data hub: patents (one record per application, publications merged under it), their parties, and the
import batches that brought them in (raw rows kept, rejected rows with reasons, revisions on update)."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from ipcity.core.scoping import ScopedQuerySet


class ImportBatch(models.Model):
    """One file imported. Rows are committed in chunks with a checkpoint, so a crashed import resumes where the
    last committed chunk ended and reaches the same final state as one clean run."""

    class Status(models.TextChoices):
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    file = models.ForeignKey("core.StoredFile", verbose_name="文件", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("数据类型", max_length=20, default="patents")
    source_format = models.CharField("格式", max_length=20)
    mapping = models.JSONField("字段对应", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.RUNNING)
    checkpoint = models.PositiveIntegerField("已提交到第几行", default=0)
    read = models.PositiveIntegerField("读取", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变化", default=0)
    rejected = models.PositiveIntegerField("拒收", default=0)
    message = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    started_at = models.DateTimeField("开始", auto_now_add=True)
    finished_at = models.DateTimeField("结束", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.file} · {self.get_status_display()}"

    def summary(self) -> dict:
        return {"read": self.read, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": self.rejected, "batch": self.pk}


class RejectedRow(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rejected_rows")
    row_number = models.PositiveIntegerField("行号")
    reasons = models.JSONField("原因")
    raw = models.JSONField("原始数据")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "拒收行"
        verbose_name_plural = "拒收行"
        ordering = ["batch_id", "row_number"]
        constraints = [models.UniqueConstraint(fields=["batch", "row_number"], name="rejected_row_once")]


class Patent(models.Model):
    application_number = models.CharField("申请号", max_length=30, unique=True)
    application_number_raw = models.CharField("申请号（原文）", max_length=60, blank=True)
    office = models.CharField("受理局", max_length=10, default="CN", db_index=True)
    patent_type = models.CharField("专利类型", max_length=20, blank=True, db_index=True)
    title = models.TextField("名称", blank=True)
    abstract = models.TextField("摘要", blank=True)
    claims = models.TextField("权利要求", blank=True)
    description = models.TextField("说明书", blank=True)
    application_date = models.DateField("申请日", null=True, blank=True, db_index=True)
    publication_date = models.DateField("公开日", null=True, blank=True)
    grant_date = models.DateField("授权日", null=True, blank=True)
    priority_date = models.DateField("优先权日", null=True, blank=True)
    ipc_main = models.CharField("主分类号", max_length=30, blank=True, db_index=True)
    ipc = models.JSONField("IPC", default=list, blank=True)
    ipc_raw = models.TextField("IPC（原文）", blank=True)
    cpc = models.JSONField("CPC", default=list, blank=True)
    legal_status = models.CharField("法律状态", max_length=20, blank=True, db_index=True)
    legal_status_raw = models.CharField("法律状态（原文）", max_length=200, blank=True)
    legal_events = models.JSONField("法律事件", default=list, blank=True)
    family_id = models.CharField("同族编号", max_length=50, blank=True)
    family_size = models.PositiveIntegerField("同族数", null=True, blank=True)
    family_countries = models.JSONField("同族国家", default=list, blank=True)
    cited_count = models.PositiveIntegerField("被引用次数", null=True, blank=True)
    citing_count = models.PositiveIntegerField("引用次数", null=True, blank=True)
    citations = models.JSONField("引用文献", default=list, blank=True)
    sei_tags = models.JSONField("新兴产业分类（来源标注）", default=list, blank=True)
    extra = models.JSONField("其他字段", default=dict, blank=True)
    first_applicant = models.CharField("第一申请人", max_length=300, blank=True, db_index=True)
    region = models.ForeignKey("regions.Region", verbose_name="归属区划", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    region_evidence = models.JSONField("归属依据", default=dict, blank=True)
    content_hash = models.CharField(max_length=64, editable=False)
    is_demo = models.BooleanField("示例数据", default=False)
    created_at = models.DateTimeField("入库时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "专利"
        verbose_name_plural = "专利"
        ordering = ["-application_date", "application_number"]

    def __str__(self) -> str:
        return f"{self.application_number} {self.title[:40]}"


class Publication(models.Model):
    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="publications")
    number = models.CharField("公开（公告）号", max_length=30, unique=True)
    kind = models.CharField("文献种类", max_length=5)
    date = models.DateField("公开（公告）日", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "公开文献"
        verbose_name_plural = "公开文献"
        ordering = ["patent_id", "date", "number"]

    def __str__(self) -> str:
        return self.number


class PatentParty(models.Model):
    class Role(models.TextChoices):
        APPLICANT = "applicant", "申请人"
        PATENTEE = "patentee", "专利权人"
        INVENTOR = "inventor", "发明人"
        AGENCY = "agency", "代理机构"

    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField("身份", max_length=20, choices=Role.choices)
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("名称", max_length=300, db_index=True)
    raw = models.CharField("原文", max_length=300, blank=True)
    address = models.CharField("地址", max_length=300, blank=True)
    organisation = models.ForeignKey("orgs.Organisation", verbose_name="对应企业", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="patent_parties")
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "专利当事人"
        verbose_name_plural = "专利当事人"
        ordering = ["patent_id", "role", "order"]

    def __str__(self) -> str:
        return self.name


class PatentRevision(models.Model):
    """What a later import changed on a patent (field → [old, new]); the history of a record."""

    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="revisions")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="revisions")
    changes = models.JSONField("变更")
    at = models.DateTimeField("时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "专利变更记录"
        verbose_name_plural = "专利变更记录"
        ordering = ["patent_id", "at"]


class SourceRow(models.Model):
    """A raw row as read, with the batch that brought it: nothing imported is lost."""

    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="source_rows")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="source_rows")
    row_number = models.PositiveIntegerField("行号")
    row_hash = models.CharField(max_length=64)
    raw = models.JSONField("原始数据")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "原始记录"
        verbose_name_plural = "原始记录"
        constraints = [models.UniqueConstraint(fields=["batch", "row_number"], name="source_row_once")]
        indexes = [models.Index(fields=["row_hash"])]
