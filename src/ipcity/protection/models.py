"""Protection (知识产权保护): one-stop intake of complaints and reports, and their handling.

A `Submission` is what one person or organisation handed in once (one tracking number, one receipt). It becomes one
`Matter` per kind — 投诉 (a dispute between parties) and/or 举报 (a violation lead) — because a submission that is
both is handled as two (投诉举报处理暂行办法 第七条). Matters are what offices accept, assign, mediate, refer and
close; every step is a `MatterEvent`, some of which the submitter may see.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models

from ipcity.core.fields import EncryptedTextField
from ipcity.core.scoping import ScopedQuerySet
from ipcity.protection.deadlines import STEP_CHOICES
from ipcity.workdays.engine import Unit


class IpType(models.TextChoices):
    PATENT_INFRINGEMENT = "patent_infringement", "专利侵权"
    COUNTERFEIT_PATENT = "counterfeit_patent", "假冒专利"
    TRADEMARK = "trademark", "商标侵权"
    GEOGRAPHICAL_INDICATION = "geographical_indication", "地理标志侵权"
    COPYRIGHT = "copyright", "著作权侵权"
    TRADE_SECRET = "trade_secret", "商业秘密"
    OTHER = "other", "其他"


class Channel(models.TextChoices):
    WEB = "web", "网上提交"
    API = "api", "接口提交"
    PLATFORM = "platform", "电商平台转送"
    TRADE_FAIR = "trade_fair", "展会投诉站转送"
    PHONE = "phone", "电话"
    WALK_IN = "walk_in", "来访"
    LETTER = "letter", "信函"
    IMPORT = "import", "批量导入"


class DeadlineRule(models.Model):
    """A jurisdiction's own limit for one step, overriding the statutory default (deadlines.DEFAULTS)."""

    step = models.CharField("环节", max_length=40, choices=STEP_CHOICES)
    region = models.ForeignKey("regions.Region", verbose_name="适用区划", on_delete=models.PROTECT,
                               related_name="+", help_text="本区划及其下级适用；下级区划可另设")
    amount = models.PositiveIntegerField("期限")
    unit = models.CharField("单位", max_length=20, choices=Unit.choices())
    extension = models.PositiveIntegerField("可延长", default=0, help_text="经批准可延长的期限（同一单位），0 表示不可延长")
    source = models.CharField("依据", max_length=200)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "办理期限规则"
        verbose_name_plural = "办理期限规则"
        ordering = ["step", "region_id"]
        constraints = [models.UniqueConstraint(fields=["step", "region"], name="deadline_rule_unique_step_region",
                                               violation_error_message="该区划已设置此环节的期限")]

    def __str__(self) -> str:
        return f"{self.get_step_display()}：{self.amount}{Unit(self.unit).label}（{self.region_id}）"


class IntakeClient(models.Model):
    """An organisation that forwards complaints through the API (an e-commerce platform, a trade-fair complaint
    desk, an integrator), with its own bearer token. Only a SHA-256 of the secret is stored."""

    class Kind(models.TextChoices):
        PLATFORM = "platform", "电子商务平台"
        TRADE_FAIR = "trade_fair", "展会投诉站"
        INTEGRATOR = "integrator", "其他对接单位"

    organisation = models.ForeignKey("orgs.Organisation", verbose_name="对接单位", on_delete=models.PROTECT,
                                     related_name="intake_clients")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    name = models.CharField("名称", max_length=100)
    prefix = models.CharField("令牌前缀", max_length=12, db_index=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "投诉转送对接单位"
        verbose_name_plural = "投诉转送对接单位"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def channel(self) -> str:
        return {self.Kind.PLATFORM: Channel.PLATFORM, self.Kind.TRADE_FAIR: Channel.TRADE_FAIR}.get(
            self.kind, Channel.API)


class Submission(models.Model):
    """One hand-in: who, against whom, which rights, what happened, with evidence; a tracking number and a receipt.

    The submitter's personal data is encrypted at rest (EncryptedTextField) with keyed digests for duplicate
    matching; it never leaves the server unmasked except through an audited reveal, and never to the respondent's
    side."""

    class SubmitterType(models.TextChoices):
        PERSON = "person", "自然人"
        ORGANISATION = "organisation", "法人或其他组织"
        ANONYMOUS = "anonymous", "匿名（仅举报）"

    class RespondentKind(models.TextChoices):
        ENTERPRISE = "enterprise", "企业或其他组织"
        ONLINE_SHOP = "online_shop", "网店"
        TRADE_FAIR_BOOTH = "trade_fair_booth", "展会展位"
        PERSON = "person", "个人"
        UNKNOWN = "unknown", "不详"

    tracking_number = models.CharField("受理编号", max_length=24)  # unique: Meta (no pattern index)
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    # No database-level constraint on the two references every public submission carries (as AuditEntry.actor):
    # on PostgreSQL each INSERT would take a KEY SHARE lock on the same region or platform row, and concurrent
    # requests sharing a row lock it through a MultiXact — the intake's worst contention under load. The rows are
    # reference data checked before the INSERT (jurisdiction_region, authenticate_client); PROTECT still holds for
    # deletes through Django.
    client = models.ForeignKey(IntakeClient, verbose_name="转送单位", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="submissions", db_index=False,
                               db_constraint=False)
    external_reference = models.CharField("转送单位的编号", max_length=100, blank=True)
    # Idempotency: one submission per (scope, key); the request digest tells a retry from a different request.
    idempotency_scope = models.CharField(max_length=40, blank=True, editable=False)
    idempotency_key = models.CharField(max_length=200, blank=True, editable=False)
    request_digest = models.CharField(max_length=64, blank=True, editable=False)

    submitter_type = models.CharField("提交人类型", max_length=20, choices=SubmitterType.choices)
    submitter_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交账户", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="protection_submissions")
    submitter_org_name = models.CharField("提交单位", max_length=200, blank=True)
    submitter_uscc = models.CharField("提交单位统一社会信用代码", max_length=18, blank=True)
    submitter_name = EncryptedTextField("联系人姓名", blank=True)
    submitter_name_digest = models.CharField(max_length=64, blank=True, editable=False)
    submitter_phone = EncryptedTextField("联系电话", blank=True)
    submitter_phone_digest = models.CharField(max_length=64, blank=True, editable=False)
    submitter_id_number = EncryptedTextField("身份证件号码", blank=True)
    submitter_id_number_digest = models.CharField(max_length=64, blank=True, editable=False)
    submitter_email = EncryptedTextField("电子邮箱", blank=True)
    submitter_address = EncryptedTextField("通讯地址", blank=True)

    ip_type = models.CharField("知识产权类型", max_length=30, choices=IpType.choices)
    respondent_kind = models.CharField("被投诉（举报）对象类型", max_length=20, choices=RespondentKind.choices)
    respondent_name = models.CharField("被投诉（举报）对象", max_length=200)
    respondent_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    respondent_platform = models.CharField("电商平台", max_length=100, blank=True)
    respondent_shop_id = models.CharField("店铺编号", max_length=100, blank=True)
    respondent_shop_url = models.URLField("店铺网址", max_length=500, blank=True)
    respondent_fair = models.CharField("展会名称", max_length=200, blank=True)
    respondent_booth = models.CharField("展位号", max_length=50, blank=True)
    respondent_address = models.CharField("地址", max_length=300, blank=True)
    respondent_org = models.ForeignKey("orgs.Organisation", verbose_name="对应企业", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+", db_index=False)
    respondent_key = models.CharField(max_length=64, editable=False,
                                      help_text="同一被投诉对象的归一化键（查重用）")
    region = models.ForeignKey("regions.Region", verbose_name="管辖区划", on_delete=models.PROTECT,
                               related_name="+", db_index=False, db_constraint=False)  # see `client`
    facts = models.TextField("事实与理由")
    demands = models.TextField("请求事项", blank=True)
    received_at = models.DateTimeField("收到时间", db_index=True)
    # What was handed in besides the fields above: the kinds, the rights as written and normalised, the evidence
    # files (name, SHA-256, type). The receipt is built from it; registration turns it into rows.
    received = models.JSONField("收到的内容", default=dict, editable=False)
    registered_at = models.DateTimeField("登记时间", null=True, blank=True,
                                         help_text="为空表示已收到、尚待登记（分办、起算期限）")
    receipt_digest = models.CharField("回执摘要（SHA-256）", max_length=64, editable=False)
    # The acceptance's audit row while it waits for registration (public API only; see registration.receive).
    pending_audit = models.JSONField(null=True, blank=True, editable=False)
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    SENSITIVE_FIELDS = {"submitter_name": "name", "submitter_phone": "phone", "submitter_id_number": "id_number",
                        "submitter_email": "other", "submitter_address": "address"}

    class Meta:
        verbose_name = "投诉举报登记"
        verbose_name_plural = "投诉举报登记"
        ordering = ["-received_at"]
        permissions = [("reveal_submitter", "查看投诉举报人未脱敏的个人信息")]
        constraints = [models.UniqueConstraint(fields=["tracking_number"], name="submission_unique_tracking_number"),
                       models.UniqueConstraint(fields=["idempotency_scope", "idempotency_key"],
                                               condition=~models.Q(idempotency_key=""),
                                               name="submission_unique_idempotency_key")]
        # Every public submission is one INSERT that waits for these: only what is read is indexed (the
        # tracking number by equality, so without the pattern index unique=True adds on PostgreSQL). The digests
        # are compared in memory among one respondent's submissions (duplicates), never looked up; the pending
        # ones are found through a partial index that holds only them; submissions are not looked up by intake
        # client or matched enterprise (index those when something reads them).
        indexes = [models.Index(fields=["respondent_key"], name="submission_respondent_key"),
                   models.Index(fields=["received_at"], condition=models.Q(registered_at__isnull=True),
                                name="submission_pending")]

    def __str__(self) -> str:
        return self.tracking_number


class SubmissionRight(models.Model):
    """A right the submission relies on (patent, trademark registration, copyright registration, GI…)."""

    class Kind(models.TextChoices):
        PATENT = "patent", "专利"
        TRADEMARK = "trademark", "注册商标"
        COPYRIGHT = "copyright", "著作权登记"
        GEOGRAPHICAL_INDICATION = "geographical_indication", "地理标志"
        OTHER = "other", "其他"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="rights")
    kind = models.CharField("权利类型", max_length=30, choices=Kind.choices)
    number = models.CharField("号码", max_length=60, db_index=True, help_text="专利为规范化申请号")
    raw = models.CharField("原始填写", max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "涉及权利"
        verbose_name_plural = "涉及权利"
        ordering = ["submission_id", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class SubmissionAttachment(models.Model):
    """Evidence handed in with a submission: the stored file (by content hash, immutable) and how it was captured."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="attachments")
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("文件名", max_length=255)
    detected_type = models.CharField("文件类型", max_length=50)
    sha256 = models.CharField("SHA-256", max_length=64)
    captured_at = models.DateTimeField("收到时间")
    capture_method = models.CharField("收集方式", max_length=50)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "证据材料"
        verbose_name_plural = "证据材料"
        ordering = ["submission_id", "pk"]

    def __str__(self) -> str:
        return self.name


class Matter(models.Model):
    """投诉件 or 举报件: the unit an office handles, with its own status, assignee and deadlines."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", "投诉"
        REPORT = "report", "举报"

    class Status(models.TextChoices):
        RECEIVED = "received", "待处理"
        ACCEPTED = "accepted", "已受理"
        NOT_ACCEPTED = "not_accepted", "不予受理"
        MEDIATING = "mediating", "调解中"
        CHECKING = "checking", "核查中"
        FILED = "filed", "已立案"
        NOT_FILED = "not_filed", "不予立案"
        REFERRED = "referred", "已移送"
        CLOSED = "closed", "已办结"

    OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.MEDIATING, Status.CHECKING, Status.FILED,
                     Status.REFERRED)

    class Track(models.TextChoices):
        SIMPLE = "simple", "简易"
        COMPLEX = "complex", "普通"

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="matters")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    number = models.CharField("编号", max_length=30, unique=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    track = models.CharField("繁简分流", max_length=20, choices=Track.choices, blank=True)
    assigned_org = models.ForeignKey("orgs.Organisation", verbose_name="承办单位", on_delete=models.PROTECT,
                                     related_name="protection_matters")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="protection_matters")
    # Denormalised from the submission so that an organisation's list sorts and pages on one table.
    received_at = models.DateTimeField("收到时间", db_index=True)
    ip_type = models.CharField("知识产权类型", max_length=30, choices=IpType.choices)
    respondent_name = models.CharField("被投诉（举报）对象", max_length=200)
    due_at = models.DateTimeField("当前期限", null=True, blank=True, db_index=True)
    decision_ground = models.CharField("不予受理（立案）理由", max_length=40, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    outcome = models.TextField("办理结果", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "投诉举报件"
        verbose_name_plural = "投诉举报件"
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["assigned_org", "-received_at", "-id"], name="matter_org_received")]

    def __str__(self) -> str:
        return f"{self.number}（{self.get_kind_display()}）"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class MatterEvent(models.Model):
    """One step in a matter's (or a submission's) history: who did what, when. `public` steps are what the
    submitter sees when they look their submission up."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="events")
    matter = models.ForeignKey(Matter, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    kind = models.CharField("环节", max_length=40)
    note = models.TextField("说明", blank=True)
    public = models.BooleanField("提交人可见", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


from ipcity.protection.models_assistance import AssistanceAssignment, AssistanceRequest  # noqa: E402,F401
from ipcity.protection.models_handling import (  # noqa: E402,F401  (one models module for Django)
    Adjudication,
    Case,
    CaseOfficer,
    CaseRecord,
    Disclosure,
    DuplicateLink,
    EnforcementCredential,
    LegalReview,
    Mediation,
    PenaltyDecision,
    Referral,
)
