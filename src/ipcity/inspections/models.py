"""双随机、一公开: "一单两库一细则" (the item list, the object and inspector pools, the rules), annual plans with their
batches, draws (frozen pools, commitment, announced value, selection — replayable), assignments and results.

The inspector pool is not stored: it is the officers of the owning office's jurisdiction holding an enforcement
credential (protection.EnforcementCredential) valid on the day of the draw; each draw freezes it in its record.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models

from ipcity.core.scoping import ScopedQuerySet


class ObjectKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    AGENCY = "agency", "知识产权服务机构"
    MARKET = "market", "商品交易市场"
    ONLINE_SHOP = "online_shop", "网店"


class InspectionItem(models.Model):
    """One entry of the 抽查事项清单: what is inspected, on what legal basis, which kinds of objects, by whom, how."""

    class Method(models.TextChoices):
        ON_SITE = "on_site", "现场检查"
        DOCUMENTS = "documents", "书面检查"
        ONLINE = "online", "网络监测"
        SAMPLING = "sampling", "抽样检验"

    owner = models.ForeignKey("orgs.Organisation", verbose_name="编制单位", on_delete=models.PROTECT,
                              related_name="inspection_items")
    code = models.CharField("事项编号", max_length=30)
    name = models.CharField("抽查事项", max_length=200)
    legal_basis = models.TextField("抽查依据")
    object_kinds = models.JSONField("抽查对象类型", default=list)
    department = models.CharField("检查实施部门", max_length=100)
    method = models.CharField("检查方式", max_length=20, choices=Method.choices)
    is_active = models.BooleanField("有效", default=True)
    is_demo = models.BooleanField("示例数据", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "抽查事项"
        verbose_name_plural = "抽查事项清单"
        ordering = ["owner_id", "code"]
        constraints = [models.UniqueConstraint(fields=["owner", "code"], name="inspection_item_code_unique",
                                               violation_error_message="该单位已有相同编号的抽查事项")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def object_kind_labels(self) -> str:
        return "、".join(ObjectKind(k).label for k in self.object_kinds if k in ObjectKind.values)


class InspectionObject(models.Model):
    """An entry of the 检查对象名录库: an enterprise or agency (an organisation), or a market or an online shop that
    is not an organisation of the platform (identified by name, or platform + shop id). An online shop may name the
    enterprise that runs it: its credit class and credit facts are then the enterprise's."""

    owner = models.ForeignKey("orgs.Organisation", verbose_name="名录所属单位", on_delete=models.PROTECT,
                              related_name="inspection_objects")
    kind = models.CharField("对象类型", max_length=20, choices=ObjectKind.choices, db_index=True)
    organisation = models.ForeignKey("orgs.Organisation", verbose_name="组织机构", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=200)
    platform = models.CharField("电商平台", max_length=100, blank=True)
    shop_id = models.CharField("店铺编号", max_length=100, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField("在营", default=True)
    is_demo = models.BooleanField("示例数据", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "检查对象"
        verbose_name_plural = "检查对象名录库"
        ordering = ["owner_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "kind", "organisation"],
                                    condition=models.Q(organisation__isnull=False),
                                    name="inspection_object_org_unique",
                                    violation_error_message="该组织机构已在检查对象名录库中"),
            models.UniqueConstraint(fields=["owner", "platform", "shop_id"], condition=~models.Q(shop_id=""),
                                    name="inspection_object_shop_unique",
                                    violation_error_message="该网店已在检查对象名录库中"),
        ]

    def __str__(self) -> str:
        if self.kind == ObjectKind.ONLINE_SHOP:
            return f"{self.name}（{self.platform} {self.shop_id}）"
        return self.name

    @property
    def code(self) -> str:
        """The id this object carries in published draw records."""
        return f"O{self.pk}"


class ConflictDeclaration(models.Model):
    """A declared conflict of interest (回避): the inspector is never drawn for this object."""

    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="执法检查人员", on_delete=models.PROTECT,
                                  related_name="inspection_conflicts")
    object = models.ForeignKey(InspectionObject, verbose_name="检查对象", on_delete=models.PROTECT,
                               related_name="conflicts")
    reason = models.CharField("回避理由", max_length=200)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")
    declared_at = models.DateTimeField("登记时间", auto_now_add=True)
    withdrawn_at = models.DateTimeField("撤销时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "回避声明"
        verbose_name_plural = "回避声明"
        ordering = ["-declared_at"]

    def __str__(self) -> str:
        return f"{self.inspector} 回避 {self.object}"


class AnnualPlan(models.Model):
    """The office's 年度抽查工作计划, filed with the level above (报上级部门备案) before its batches are drawn."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        FILED = "filed", "已备案"

    owner = models.ForeignKey("orgs.Organisation", verbose_name="制定单位", on_delete=models.PROTECT,
                              related_name="inspection_plans")
    year = models.PositiveIntegerField("年度")
    title = models.CharField("计划名称", max_length=200)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    filed_with = models.CharField("备案机关", max_length=100, blank=True)
    filing_reference = models.CharField("备案文号或回执", max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "年度抽查计划"
        verbose_name_plural = "年度抽查计划"
        ordering = ["-year", "owner_id"]
        constraints = [models.UniqueConstraint(fields=["owner", "year"], name="inspection_plan_owner_year",
                                               violation_error_message="该单位该年度已有抽查计划")]

    def __str__(self) -> str:
        return self.title


class Batch(models.Model):
    """A 抽查批次 of a plan: one item, the object kinds, and either a fixed count or a ratio per credit class."""

    class Mode(models.TextChoices):
        COUNT = "count", "按数量"
        RATIO = "ratio", "按信用风险分类比例"

    plan = models.ForeignKey(AnnualPlan, verbose_name="年度计划", on_delete=models.PROTECT, related_name="batches")
    item = models.ForeignKey(InspectionItem, verbose_name="抽查事项", on_delete=models.PROTECT, related_name="batches")
    name = models.CharField("批次名称", max_length=200)
    object_kinds = models.JSONField("抽查对象类型", default=list)
    mode = models.CharField("抽取方式", max_length=10, choices=Mode.choices, default=Mode.RATIO)
    count = models.PositiveIntegerField("抽取数量", null=True, blank=True)
    ratios = models.JSONField("各信用等级抽取比例（%）", default=dict, blank=True,
                              help_text="留空则按规则 inspections.class_ratios")
    planned_month = models.PositiveSmallIntegerField("计划月份", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "抽查批次"
        verbose_name_plural = "抽查批次"
        ordering = ["plan_id", "planned_month", "pk"]

    def __str__(self) -> str:
        return self.name

    def object_kind_labels(self) -> str:
        return "、".join(ObjectKind(k).label for k in self.object_kinds if k in ObjectKind.values)


class Draw(models.Model):
    """One draw of a batch. Made in two steps: the pools are frozen and their commitment published (and put in the
    evidence log) — state COMMITTED; then the value announced after it (or the committed secret, revealed) gives the
    seed and the selection — state DRAWN, the complete record published. A redraw is a new Draw that supersedes this
    one; nothing of a draw is edited after it is made."""

    class State(models.TextChoices):
        COMMITTED = "committed", "名录已冻结、摘要已公布"
        DRAWN = "drawn", "已抽取并公布"

    class SeedMode(models.TextChoices):
        LOTTERY = "lottery", "事后公布的开奖结果"
        SECRET = "secret", "事先提交摘要、事后揭示的随机数"

    batch = models.ForeignKey(Batch, verbose_name="抽查批次", on_delete=models.PROTECT, related_name="draws")
    number = models.CharField("抽取编号", max_length=40, unique=True)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.COMMITTED)
    seed_mode = models.CharField("随机数来源", max_length=10, choices=SeedMode.choices)
    pool_json = models.TextField("冻结的名录（公布原文）")
    commitment = models.CharField("名录摘要（SHA-256）", max_length=64)
    objects_hash = models.CharField("检查对象名录摘要", max_length=64)
    inspectors_hash = models.CharField("执法检查人员名录摘要", max_length=64)
    frozen_on = models.DateField("冻结日期")
    committed_at = models.DateTimeField("摘要公布时间")
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    announced_source = models.CharField("开奖结果来源", max_length=200, blank=True)
    announced_at = models.DateTimeField("开奖时间", null=True, blank=True)
    announced_value = models.CharField("开奖结果或揭示的随机数", max_length=200, blank=True)
    record_json = models.TextField("抽查记录（公布原文）", blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    supersedes = models.OneToOneField("self", verbose_name="重新抽取所替代的抽取", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="superseded_by")
    redraw_reason = models.CharField("重新抽取原因", max_length=300, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "抽取"
        verbose_name_plural = "抽取"
        ordering = ["-committed_at"]

    def __str__(self) -> str:
        return f"抽取 {self.number}"

    @property
    def is_superseded(self) -> bool:
        try:
            return self.superseded_by is not None
        except Draw.DoesNotExist:
            return False


class Assignment(models.Model):
    """A drawn object and its inspectors (≥ 2), in draw order; the result is due within the configured limit."""

    draw = models.ForeignKey(Draw, verbose_name="抽取", on_delete=models.PROTECT, related_name="assignments")
    position = models.PositiveIntegerField("序号")
    object = models.ForeignKey(InspectionObject, verbose_name="检查对象", on_delete=models.PROTECT,
                               related_name="assignments")
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="执法检查人员",
                                        related_name="inspection_assignments")
    credit_class = models.CharField("信用风险分类", max_length=2, blank=True)
    due_at = models.DateTimeField("结果录入期限", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "抽查任务"
        verbose_name_plural = "抽查任务"
        ordering = ["draw_id", "position"]
        constraints = [models.UniqueConstraint(fields=["draw", "object"], name="inspection_assignment_unique"),
                       models.UniqueConstraint(fields=["draw", "position"], name="inspection_assignment_position")]

    def __str__(self) -> str:
        return f"{self.draw.number} #{self.position} {self.object}"


class InspectionResult(models.Model):
    """The result of one assignment: entered by an inspector on it (or the office), then published by the office
    and sent to credit for organisation objects."""

    class Outcome(models.TextChoices):
        PASSED = "passed", "未发现问题"
        PROBLEM = "problem", "发现问题"
        RECTIFIED = "rectified", "发现问题已责令改正"
        UNREACHABLE = "unreachable", "通过登记的住所（经营场所）无法联系"
        REFUSED = "refused", "不配合检查"
        CLOSED = "closed", "已关闭或注销"

    assignment = models.OneToOneField(Assignment, verbose_name="抽查任务", on_delete=models.PROTECT,
                                      related_name="result")
    outcome = models.CharField("检查结果", max_length=20, choices=Outcome.choices)
    inspected_on = models.DateField("检查日期")
    finding = models.TextField("检查情况", blank=True)
    handling = models.TextField("处理情况", blank=True)
    # What the portal shows: the texts with personal data masked (names of the inspectors and of the organisation's
    # contacts included) when entered, masked again at publication; the publishing user reviews them first.
    public_finding = models.TextField("公示的检查情况（已脱敏）", blank=True)
    public_handling = models.TextField("公示的处理情况（已脱敏）", blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("录入时间")
    late = models.BooleanField("逾期录入", default=False)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "抽查结果"
        verbose_name_plural = "抽查结果"
        ordering = ["assignment_id"]

    def __str__(self) -> str:
        return f"{self.assignment}：{self.get_outcome_display()}"
