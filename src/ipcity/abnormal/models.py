"""非正常专利申请筛查: screening runs over the data hub's patents and the flags they raise for human review.

A flag is a proposal, never a finding of fact: a reviewer confirms (确认) or excludes (排除) it with a reason, and only
a confirmed flag goes to the credit records (credit.record_fact(kind="abnormal_filing")). A rerun matches each
finding to the flags already raised for the same kind and subject (a burst by its episode's start, any kind by at
least half of its patents): a pending flag is updated in place, a decided one keeps its decision and only patents
that no earlier flag holds are raised again, as a follow-up flag that refers to that decision (`follows`)."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from ipcity.core.scoping import ScopedQuerySet


class ScreeningRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "运行中"
        FINISHED = "finished", "已完成"
        FAILED = "failed", "失败"

    region = models.ForeignKey("regions.Region", verbose_name="筛查范围", on_delete=models.PROTECT, related_name="+",
                               help_text="只对申请人（代理机构）专利归属于本区划的主体提出疑点；比对使用全部专利")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.RUNNING)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    job = models.ForeignKey("jobs.Job", verbose_name="后台任务", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    patents = models.PositiveIntegerField("筛查专利数", default=0)
    settings_used = models.JSONField("使用的规则", default=dict, blank=True)
    statistics = models.JSONField("统计", default=dict, blank=True)
    new_flags = models.PositiveIntegerField("新提出疑点", default=0)
    seen_flags = models.PositiveIntegerField("已有疑点", default=0)
    message = models.CharField("说明", max_length=300, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "非正常申请筛查"
        verbose_name_plural = "非正常申请筛查"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"筛查 #{self.pk}（{self.region}）"


class AbnormalFlag(models.Model):
    class Kind(models.TextChoices):
        BURST = "burst", "短期集中申请"
        DUPLICATE = "duplicate", "内容近似重复"
        OFF_BUSINESS = "off_business", "偏离主营业务"

    class SubjectRole(models.TextChoices):
        APPLICANT = "applicant", "申请人"
        AGENCY = "agency", "代理机构"

    class State(models.TextChoices):
        PENDING = "pending", "待复核"
        CONFIRMED = "confirmed", "确认"
        EXCLUDED = "excluded", "排除"

    kind = models.CharField("疑点类型", max_length=20, choices=Kind.choices, db_index=True)
    subject_role = models.CharField("主体身份", max_length=20, choices=SubjectRole.choices)
    subject_name = models.CharField("主体名称", max_length=300, db_index=True)
    organisation = models.ForeignKey("orgs.Organisation", verbose_name="对应组织机构", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="abnormal_flags")
    region = models.ForeignKey("regions.Region", verbose_name="归属区划", on_delete=models.PROTECT, related_name="+")
    patents = models.ManyToManyField("ipdata.Patent", verbose_name="涉及专利", related_name="abnormal_flags")
    application_numbers = models.JSONField("涉及申请号", default=list)
    patent_count = models.PositiveIntegerField("涉及专利数", default=0)
    evidence = models.JSONField("依据", default=dict)
    score = models.FloatField("疑点分值", default=0)
    natural_key = models.CharField(max_length=64, unique=True, editable=False)
    state = models.CharField("复核状态", max_length=20, choices=State.choices, default=State.PENDING, db_index=True)
    first_run = models.ForeignKey(ScreeningRun, verbose_name="首次提出", on_delete=models.PROTECT, related_name="+")
    last_run = models.ForeignKey(ScreeningRun, verbose_name="最近一次筛查", on_delete=models.PROTECT,
                                 related_name="+")
    runs = models.ManyToManyField(ScreeningRun, verbose_name="提出或更新该疑点的筛查", blank=True,
                                  related_name="raised_flags")
    follows = models.ForeignKey("self", verbose_name="接续的已复核疑点", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="follow_ups",
                                help_text="同一主体、同类疑点此前已复核；本疑点只含其后新增的申请")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="复核人", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    review_reason = models.TextField("复核意见", blank=True)
    reviewed_at = models.DateTimeField("复核时间", null=True, blank=True)
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "非正常申请疑点"
        verbose_name_plural = "非正常申请疑点"
        ordering = ["-score", "-pk"]
        indexes = [models.Index(fields=["state", "kind"], name="abnormal_flag_state_kind")]
        permissions = [("review_abnormalflag", "复核非正常申请疑点"), ("run_screening", "发起非正常申请筛查")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject_name}"
