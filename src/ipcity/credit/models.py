"""信用监管: credit records of enterprises, agencies and natural persons; the 严重违法失信名单 with its approval chain;
credit-repair applications; the collection runs that turn protection decisions into records.

A `CreditRecord` is one fact about one subject — an `orgs.Organisation`, or a natural person (a party of a penalty
decision) whose name and ID number are stored encrypted and shown masked. Its source (a penalty decision, a 行政裁决,
an abnormal-filing flag, an inspection result…) is linked generically; (kind, source) is unique, so recording the same
source twice returns the existing record. Hand-entered records (court judgments, commitments, agency violations…)
have no source.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from ipcity.core.fields import EncryptedTextField
from ipcity.core.scoping import ScopedQuerySet


class CreditRecord(models.Model):
    class Kind(models.TextChoices):
        PENALTY = "penalty", "生效行政处罚"
        ADJUDICATION = "adjudication", "行政裁决（认定侵权）"
        JUDGMENT = "judgment", "法院生效判决"
        REPEAT_INFRINGEMENT = "repeat_infringement", "重复侵权"
        WILFUL_INFRINGEMENT = "wilful_infringement", "故意侵权"
        REFUSAL_TO_COMPLY = "refusal_to_comply", "拒不执行"
        ABNORMAL_FILING = "abnormal_filing", "非正常专利申请"
        BAD_FAITH_TRADEMARK = "bad_faith_trademark", "恶意商标注册申请"
        AGENCY_VIOLATION = "agency_violation", "代理机构违法违规"
        COMMITMENT = "commitment", "信用承诺"
        COMMITMENT_BROKEN = "commitment_broken", "违反信用承诺"
        INSPECTION_PROBLEM = "inspection_problem", "双随机抽查发现问题"
        INSPECTION_PASS = "inspection_pass", "双随机抽查未发现问题"

    # Kinds staff enter by hand on the form (the others come from the modules that establish them).
    MANUAL_KINDS = (Kind.JUDGMENT, Kind.WILFUL_INFRINGEMENT, Kind.REFUSAL_TO_COMPLY, Kind.BAD_FAITH_TRADEMARK,
                    Kind.AGENCY_VIOLATION, Kind.COMMITMENT, Kind.PENALTY)

    class Status(models.TextChoices):
        ACTIVE = "active", "有效"
        REPAIRED = "repaired", "已信用修复"
        REVOKED = "revoked", "已撤销（依据被变更或撤销）"

    subject = models.ForeignKey("orgs.Organisation", verbose_name="信用主体", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="credit_records")
    # A natural person (e.g. the party of a penalty decision): encrypted, shown masked; person_key (HMAC of the ID
    # number, else of the name) groups one person's records without storing anything readable.
    person_name = EncryptedTextField("自然人姓名", blank=True)
    person_id_number = EncryptedTextField("自然人身份证件号码", blank=True)
    person_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    region = models.ForeignKey("regions.Region", verbose_name="管辖区划", on_delete=models.PROTECT, related_name="+",
                               help_text="主体所在区划；自然人为作出决定的机关所在区划")
    kind = models.CharField("类型", max_length=30, choices=Kind.choices, db_index=True)
    occurred_on = models.DateField("行为（事实）发生日期")
    effective_on = models.DateField("生效日期", null=True, blank=True)
    decided_on = models.DateField("决定（判决）日期", null=True, blank=True)
    document_number = models.CharField("文书编号", max_length=80, blank=True)
    rights = models.JSONField("涉及权利", default=list, blank=True, help_text="如 patent:CN201310123456.2")
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    related = models.ForeignKey("self", verbose_name="关联记录", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="derived", help_text="如重复侵权所依据的在先生效决定")
    summary = models.TextField("摘要（内部）", blank=True)
    public_summary = models.TextField("公开摘要（已脱敏）", blank=True)
    is_public = models.BooleanField("向社会公开", default=False)
    issuer = models.ForeignKey("orgs.Organisation", verbose_name="认定（作出）单位", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    commitment_due_on = models.DateField("承诺履行期限", null=True, blank=True)
    commitment_kept = models.BooleanField("承诺已履行", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    status_changed_on = models.DateField("状态变更日期", null=True, blank=True)
    status_reason = models.CharField("状态变更原因", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "信用记录"
        verbose_name_plural = "信用记录"
        ordering = ["-occurred_on", "-pk"]
        permissions = [("collect_creditrecord", "从保护模块归集信用记录")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_type", "source_id"], condition=Q(source_id__isnull=False),
                                    name="credit_record_once_per_kind_source"),
            models.CheckConstraint(condition=Q(subject__isnull=False) | ~Q(person_key=""),
                                   name="credit_record_has_subject"),
        ]
        indexes = [models.Index(fields=["subject", "status"], name="credit_record_subject")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_number or self.occurred_on}"

    @property
    def is_person(self) -> bool:
        return self.subject_id is None

    @property
    def dated_on(self):
        """The date the fact counts from (scores, windows): its effective date, else the date it occurred."""
        return self.effective_on or self.occurred_on

    def subject_label(self) -> str:
        """Who the record is about, fit for any page: an organisation's name, a person's masked name."""
        if self.subject_id is not None:
            return self.subject.name
        from ipcity.core.masking import mask_name

        return f"{mask_name(self.person_name) or '（姓名未记录）'}（自然人）"


class SeriousListing(models.Model):
    """An entry of the 严重违法失信名单: proposed on records that meet a listing criterion, approved through the
    configured chain, listed for its period, removed early (repair) or at its end."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "审批中"
        REJECTED = "rejected", "未获批准"
        LISTED = "listed", "已列入"
        REMOVED = "removed", "已提前移出"
        EXPIRED = "expired", "期满移出"

    subject = models.ForeignKey("orgs.Organisation", verbose_name="列入主体", on_delete=models.PROTECT,
                                related_name="credit_listings")
    region = models.ForeignKey("regions.Region", verbose_name="管辖区划", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    reasons = models.JSONField("列入事由（满足的列入标准）", default=list)
    records = models.ManyToManyField(CreditRecord, verbose_name="依据的信用记录", related_name="listings")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField("提出时间")
    proposal = models.TextField("提出意见")
    listed_from = models.DateField("列入日期", null=True, blank=True)
    listed_until = models.DateField("列入期满日期", null=True, blank=True)
    ended_on = models.DateField("移出日期", null=True, blank=True)
    end_reason = models.CharField("移出原因", max_length=300, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "严重违法失信名单"
        verbose_name_plural = "严重违法失信名单"
        ordering = ["-proposed_at", "-pk"]
        permissions = [("export_seriouslisting", "导出联合惩戒名单")]

    def __str__(self) -> str:
        return f"{self.subject} 严重违法失信名单"


class ListingStep(models.Model):
    """One step of a listing's approval chain (copied from the rule when proposed, so a later rule change does not
    alter a chain under way)."""

    listing = models.ForeignKey(SeriousListing, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("顺序")
    label = models.CharField("环节", max_length=50)
    roles = models.JSONField("可办理的角色", default=list)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField("办理时间", null=True, blank=True)
    approved = models.BooleanField("同意", null=True, blank=True)
    opinion = models.TextField("意见", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "名单审批环节"
        verbose_name_plural = "名单审批环节"
        ordering = ["listing_id", "order"]
        constraints = [models.UniqueConstraint(fields=["listing", "order"], name="listing_step_order")]

    def __str__(self) -> str:
        return f"{self.listing_id} #{self.order} {self.label}"


class RepairApplication(models.Model):
    """信用修复: an enterprise asks, after the waiting period, to end the publication of a record or to be removed
    from the list early; staff decide."""

    class Kind(models.TextChoices):
        RECORD = "record", "信用记录修复（停止公示、不再计分）"
        LISTING = "listing", "提前移出严重违法失信名单"

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已准予修复"
        REJECTED = "rejected", "不予修复"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    subject = models.ForeignKey("orgs.Organisation", verbose_name="申请主体", on_delete=models.PROTECT,
                                related_name="credit_repairs")
    region = models.ForeignKey("regions.Region", verbose_name="管辖区划", on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey(CreditRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="repairs")
    listing = models.ForeignKey(SeriousListing, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="repairs")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("申请时间")
    reason = models.TextField("申请理由（已履行义务、纠正违法行为的情况）")
    pledge = models.TextField("信用承诺")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    opinion = models.TextField("审核意见", blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "信用修复申请"
        verbose_name_plural = "信用修复申请"
        ordering = ["-submitted_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(record__isnull=False) | Q(listing__isnull=False),
                                              name="credit_repair_has_target")]

    def __str__(self) -> str:
        return f"{self.subject} {self.get_kind_display()}"


class CollectionRun(models.Model):
    """One run of the collection from the protection module (background sweep or on demand): what it found, made
    and could not match — so nothing is collected silently."""

    class Trigger(models.TextChoices):
        SWEEP = "sweep", "后台定时归集"
        MANUAL = "manual", "手动归集"
        DEMO = "demo", "演示数据"

    trigger = models.CharField("方式", max_length=20, choices=Trigger.choices)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    at = models.DateTimeField("归集时间")
    as_of = models.DateField("截至日期")
    created = models.JSONField("新增记录（按类型）", default=dict)
    revoked = models.PositiveIntegerField("撤销记录", default=0)
    unmatched = models.JSONField("未能对应信用主体的决定", default=list)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "信用记录归集"
        verbose_name_plural = "信用记录归集"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"归集 {self.at:%Y-%m-%d %H:%M}"

    @property
    def total_created(self) -> int:
        return sum(self.created.values())
