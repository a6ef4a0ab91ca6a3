"""Handling records: mediation (with 司法确认), referrals to other departments, administrative penalty cases with
their officers, full-process record and legal review, penalty decisions and their public disclosure, and the
enforcement credentials officers hold."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from ipcity.core.fields import EncryptedTextField
from ipcity.core.models import AppendOnlyQuerySet
from ipcity.core.scoping import ScopedQuerySet


class EnforcementCredential(models.Model):
    """An officer's 行政执法证: a case is opened only with two officers whose credentials are valid that day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="执法人员", on_delete=models.PROTECT,
                             related_name="enforcement_credentials")
    number = models.CharField("执法证号", max_length=40, unique=True)
    issuer = models.CharField("发证机关", max_length=100)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至")
    revoked = models.BooleanField("已注销", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "行政执法证"
        verbose_name_plural = "行政执法证"
        ordering = ["user_id", "-valid_until"]

    def __str__(self) -> str:
        return f"{self.user}（{self.number}）"

    def valid_on(self, day) -> bool:
        return not self.revoked and self.valid_from <= day <= self.valid_until


class Mediation(models.Model):
    """Mediation of an accepted complaint: its result and, for an agreement, the 司法确认 that follows."""

    class Result(models.TextChoices):
        ONGOING = "ongoing", "调解中"
        AGREED = "agreed", "达成调解协议"
        FAILED = "failed", "调解不成"
        WITHDRAWN = "withdrawn", "撤回投诉"

    class Confirmation(models.TextChoices):
        NONE = "", "未申请"
        APPLIED = "applied", "已申请"
        ACCEPTED = "accepted", "法院已受理"
        CONFIRMED = "confirmed", "裁定确认有效"
        REJECTED = "rejected", "裁定驳回申请"

    matter = models.OneToOneField("protection.Matter", on_delete=models.PROTECT, related_name="mediation")
    mediator = models.CharField("调解人员或组织", max_length=100)
    started_at = models.DateTimeField("开始时间")
    result = models.CharField("结果", max_length=20, choices=Result.choices, default=Result.ONGOING)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    agreement = models.TextField("调解协议主要内容", blank=True)
    confirmation = models.CharField("司法确认", max_length=20, choices=Confirmation.choices, blank=True)
    court = models.CharField("受理法院", max_length=100, blank=True)
    applied_at = models.DateField("申请日期", null=True, blank=True)
    court_accepted_at = models.DateField("法院受理日期", null=True, blank=True)
    court_decided_at = models.DateField("裁定日期", null=True, blank=True)
    court_number = models.CharField("司法确认案号", max_length=60, blank=True, help_text="如（2026）鲁1702民特12号 或 调确字第12号")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "调解"
        verbose_name_plural = "调解"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.matter.number} 调解"


class Referral(models.Model):
    """线索移送: a matter (or the lead in it) sent to another department, which acknowledges it and reports back."""

    class Status(models.TextChoices):
        SENT = "sent", "已移送"
        ACKNOWLEDGED = "acknowledged", "已接收"
        REPLIED = "replied", "已反馈"

    matter = models.ForeignKey("protection.Matter", on_delete=models.PROTECT, related_name="referrals")
    to_org = models.ForeignKey("orgs.Organisation", verbose_name="接收单位", on_delete=models.PROTECT,
                               related_name="protection_referrals")
    reason = models.TextField("移送理由")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField("移送时间")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField("接收时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    replied_at = models.DateTimeField("反馈时间", null=True, blank=True)
    reply = models.TextField("办理反馈", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "线索移送"
        verbose_name_plural = "线索移送"
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.matter.number} → {self.to_org}"


class Case(models.Model):
    """An administrative penalty case (行政处罚案件, 普通程序), opened on a report's lead."""

    class Status(models.TextChoices):
        INVESTIGATING = "investigating", "调查取证"
        LEGAL_REVIEW = "legal_review", "法制审核"
        DECIDED = "decided", "已作出决定"
        CLOSED = "closed", "已结案"

    matter = models.OneToOneField("protection.Matter", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="case")
    number = models.CharField("立案编号", max_length=40, unique=True)
    organisation = models.ForeignKey("orgs.Organisation", verbose_name="办案单位", on_delete=models.PROTECT,
                                     related_name="protection_cases")
    party_name = models.CharField("当事人", max_length=200)
    cause = models.CharField("案由", max_length=200)
    filed_at = models.DateTimeField("立案时间")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.INVESTIGATING)
    major = models.BooleanField("重大执法决定", default=False, help_text="须经法制审核")
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "行政处罚案件"
        verbose_name_plural = "行政处罚案件"
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return self.number


class CaseOfficer(models.Model):
    """An officer on a case, with the credential used and their recusal declaration (回避)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="officers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    credential = models.ForeignKey(EnforcementCredential, on_delete=models.PROTECT, related_name="+")
    no_conflict_declared_at = models.DateTimeField("无需回避声明时间")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "承办执法人员"
        verbose_name_plural = "承办执法人员"
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_officer_once")]

    def __str__(self) -> str:
        return f"{self.case} {self.user}"


class CaseRecord(models.Model):
    """One step of the full-process record (执法全过程记录): append-only, content-hashed, chained per case."""

    class Kind(models.TextChoices):
        FILING = "filing", "立案"
        INVESTIGATION = "investigation", "调查取证"
        INQUIRY = "inquiry", "询问笔录"
        INSPECTION = "inspection", "现场检查"
        TECHNICAL = "technical", "技术调查官/专家意见"
        CLOCK_STOP = "clock_stop", "中止计时（检测、检验、鉴定等）"
        EXTENSION = "extension", "延长期限"
        LEGAL_REVIEW = "legal_review", "法制审核"
        NOTICE = "notice", "告知"
        DECISION = "decision", "处理决定"
        SERVICE = "service", "送达"
        EXECUTION = "execution", "执行"
        CLOSURE = "closure", "结案"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="records")
    seq = models.PositiveIntegerField("序号")
    kind = models.CharField("环节", max_length=20, choices=Kind.choices)
    at = models.DateTimeField("时间")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("内容")
    file = models.ForeignKey("core.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    prev_hash = models.CharField(max_length=64)
    content_hash = models.CharField("内容哈希", max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "执法全过程记录"
        verbose_name_plural = "执法全过程记录"
        ordering = ["case_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="case_record_seq")]

    def __str__(self) -> str:
        return f"{self.case} #{self.seq} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("执法全过程记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("执法全过程记录只能追加，不能删除")


class LegalReview(models.Model):
    """法制审核 of a major decision before it is made (行政处罚法 第五十八条)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="legal_reviews")
    requested_at = models.DateTimeField("提交审核时间")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    passed = models.BooleanField("审核通过", null=True)
    opinion = models.TextField("审核意见", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "法制审核"
        verbose_name_plural = "法制审核"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.case} 法制审核"


class PenaltyDecision(models.Model):
    """行政处罚决定书: what was decided, against whom; the public sees it only through a signed-off Disclosure."""

    class PartyKind(models.TextChoices):
        LEGAL_PERSON = "legal_person", "法人或其他组织"
        NATURAL_PERSON = "natural_person", "自然人"
        INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="decision")
    document_number = models.CharField("决定书文号", max_length=60, unique=True)
    party_kind = models.CharField("当事人类型", max_length=30, choices=PartyKind.choices)
    party_name = models.CharField("当事人名称（姓名）", max_length=200)
    party_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    party_id_number = EncryptedTextField("身份证件号码", blank=True)
    violation = models.CharField("违法行为类型", max_length=200)
    basis = models.CharField("处罚依据", max_length=300)
    penalty = models.CharField("处罚内容", max_length=300)
    fine = models.DecimalField("罚没款（元）", max_digits=14, decimal_places=2, default=0)
    warning_only = models.BooleanField("仅警告", default=False, help_text="仅警告的决定不公示")
    decided_at = models.DateField("决定日期")
    text = models.TextField("决定书全文")
    served_at = models.DateField("送达日期", null=True, blank=True)
    executed_at = models.DateField("执行完毕日期", null=True, blank=True)
    overturned_at = models.DateField("被变更、撤销或确认无效日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "行政处罚决定"
        verbose_name_plural = "行政处罚决定"
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return self.document_number


class Disclosure(models.Model):
    """执法公示 of one decision: entered by the case officer, signed off by a reviewer, published masked, withdrawn when
    the decision is overturned, taken down at its end date."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待审核"
        PUBLISHED = "published", "已公示"
        WITHDRAWN = "withdrawn", "已撤下"

    class Period(models.TextChoices):
        SHORT = "3m", "3 个月（通报批评或较低数额罚款）"
        LONG = "3y", "3 年"

    decision = models.OneToOneField(PenaltyDecision, on_delete=models.PROTECT, related_name="disclosure")
    summary = models.TextField("摘要（已脱敏）")
    masked_text = models.TextField("公示全文（已脱敏）")
    extra_names = models.CharField("另需遮蔽的自然人姓名", max_length=300, blank=True,
                                   help_text="当事人以外的自然人姓名，以逗号分隔")
    period = models.CharField("公示期限", max_length=5, choices=Period.choices, default=Period.LONG)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("录入时间")
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    published_at = models.DateTimeField("公示时间", null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField("公示截止", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤下时间", null=True, blank=True)
    withdraw_reason = models.CharField("撤下原因", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "行政处罚信息公示"
        verbose_name_plural = "行政处罚信息公示"
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.decision} 公示"


class DuplicateLink(models.Model):
    """A proposed link between two matters that look like the same complaint or report (same respondent and right,
    similar text, the same submitter — within a window). Staff confirm or reject it; nothing is merged silently, and
    both submitters stay attached to their own matters and are told when the link is confirmed."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待确认"
        CONFIRMED = "confirmed", "已确认关联"
        REJECTED = "rejected", "不属重复"

    matter = models.ForeignKey("protection.Matter", verbose_name="新收到的件", on_delete=models.PROTECT,
                               related_name="duplicate_links")
    earlier = models.ForeignKey("protection.Matter", verbose_name="此前的件", on_delete=models.PROTECT,
                                related_name="later_duplicate_links")
    score = models.FloatField("相似度")
    reasons = models.JSONField("依据", default=list)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "疑似重复"
        verbose_name_plural = "疑似重复"
        ordering = ["-score"]
        constraints = [models.UniqueConstraint(fields=["matter", "earlier"], name="duplicate_link_once")]

    def __str__(self) -> str:
        return f"{self.matter} ≈ {self.earlier}"


class Adjudication(models.Model):
    """专利侵权纠纷行政裁决 (专利法 第六十五条): a patent holder's complaint handled as a dispute the office decides —
    copy to the respondent, answer, technical investigators, suspension while an invalidation is pending, decision."""

    class Outcome(models.TextChoices):
        INFRINGEMENT = "infringement", "认定侵权，责令立即停止侵权行为"
        NO_INFRINGEMENT = "no_infringement", "侵权不成立，驳回请求"
        WITHDRAWN = "withdrawn", "请求人撤回请求"
        SETTLED = "settled", "调解结案"

    matter = models.OneToOneField("protection.Matter", on_delete=models.PROTECT, related_name="adjudication")
    accepted_at = models.DateTimeField("受理时间")
    copy_served_at = models.DateTimeField("副本送达时间", null=True, blank=True)
    answer_received_at = models.DateTimeField("收到答辩时间", null=True, blank=True)
    technical_investigator = models.CharField("技术调查官", max_length=100, blank=True)
    outcome = models.CharField("结果", max_length=20, choices=Outcome.choices, blank=True)
    document_number = models.CharField("裁决书文号", max_length=60, blank=True)
    decided_at = models.DateTimeField("裁决时间", null=True, blank=True)
    reasons = models.TextField("裁决理由", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "专利侵权纠纷行政裁决"
        verbose_name_plural = "专利侵权纠纷行政裁决"
        ordering = ["-accepted_at"]

    def __str__(self) -> str:
        return f"{self.matter.number} 行政裁决"
