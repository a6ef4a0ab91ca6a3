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
    # What the reader noticed but did not reject for (an unreadable IPC symbol left out, an unknown legal status
    # recorded as 未确认, a type that disagrees with the application number): shown with the batch.
    warnings = models.JSONField("提示", default=list, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "原始记录"
        verbose_name_plural = "原始记录"
        constraints = [models.UniqueConstraint(fields=["batch", "row_number"], name="source_row_once")]
        indexes = [models.Index(fields=["row_hash"])]


class Trademark(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", "申请中"
        REGISTERED = "registered", "已注册"
        EXPIRED = "expired", "已失效"
        INVALIDATED = "invalidated", "已无效"

    class MarkType(models.TextChoices):
        ORDINARY = "ordinary", "普通商标"
        COLLECTIVE = "collective", "集体商标"
        CERTIFICATION = "certification", "证明商标"

    registration_number = models.CharField("注册号", max_length=20, unique=True)
    name = models.CharField("商标名称", max_length=200)
    nice_classes = models.JSONField("尼斯分类", default=list)
    owner_name = models.CharField("注册人", max_length=300)
    owner = models.ForeignKey("orgs.Organisation", verbose_name="对应企业", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="trademarks")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.REGISTERED)
    mark_type = models.CharField("商标类型", max_length=20, choices=MarkType.choices, default=MarkType.ORDINARY)
    is_geographical_indication = models.BooleanField("地理标志商标", default=False)
    well_known = models.BooleanField("驰名商标", default=False)
    madrid = models.BooleanField("马德里国际注册", default=False)
    application_date = models.DateField("申请日", null=True, blank=True)
    registration_date = models.DateField("注册日", null=True, blank=True)
    expiry_date = models.DateField("专用权期限至", null=True, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name="所在区划", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "商标"
        verbose_name_plural = "商标"
        ordering = ["-registration_date", "registration_number"]

    def __str__(self) -> str:
        return f"{self.name}（{self.registration_number}）"


class GeographicalIndication(models.Model):
    class Kind(models.TextChoices):
        PRODUCT = "product", "地理标志产品"
        CERTIFICATION_MARK = "certification_mark", "地理标志证明商标"
        COLLECTIVE_MARK = "collective_mark", "地理标志集体商标"
        AGRICULTURAL = "agricultural", "农产品地理标志"

    name = models.CharField("产品名称", max_length=100)
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    approval_number = models.CharField("批准文号/注册号", max_length=50, unique=True)
    approval_date = models.DateField("批准日期", null=True, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name="保护区域", on_delete=models.PROTECT, related_name="+")
    authorised_users = models.ManyToManyField("orgs.Organisation", verbose_name="授权使用企业", blank=True,
                                              related_name="geographical_indications")
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "地理标志"
        verbose_name_plural = "地理标志"
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class CopyrightRegistration(models.Model):
    class Kind(models.TextChoices):
        WORK = "work", "作品登记"
        SOFTWARE = "software", "计算机软件著作权登记"

    registration_number = models.CharField("登记号", max_length=50, unique=True)
    title = models.CharField("作品/软件名称", max_length=300)
    kind = models.CharField("登记类型", max_length=20, choices=Kind.choices)
    work_category = models.CharField("作品类别", max_length=50, blank=True)
    owner_name = models.CharField("著作权人", max_length=300)
    owner = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="copyrights")
    registration_date = models.DateField("登记日期", null=True, blank=True)
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "著作权登记"
        verbose_name_plural = "著作权登记"
        ordering = ["-registration_date"]

    def __str__(self) -> str:
        return self.title


class PlantVariety(models.Model):
    right_number = models.CharField("品种权号", max_length=50, unique=True)
    name = models.CharField("品种名称", max_length=100)
    species = models.CharField("属或种", max_length=100, blank=True)
    owner_name = models.CharField("品种权人", max_length=300)
    owner = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="plant_varieties")
    grant_date = models.DateField("授权日", null=True, blank=True)
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "植物新品种"
        verbose_name_plural = "植物新品种"
        ordering = ["-grant_date"]

    def __str__(self) -> str:
        return self.name


class LayoutDesign(models.Model):
    registration_number = models.CharField("登记号", max_length=50, unique=True)
    name = models.CharField("布图设计名称", max_length=300)
    owner_name = models.CharField("权利人", max_length=300)
    owner = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="layout_designs")
    application_date = models.DateField("申请日", null=True, blank=True)
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "集成电路布图设计"
        verbose_name_plural = "集成电路布图设计"
        ordering = ["-application_date"]

    def __str__(self) -> str:
        return self.name


class EnterpriseFlag(models.Model):
    """A recognition an enterprise holds for a period (高新技术企业, 专精特新, 规上工业, 知识产权优势/示范企业)."""

    class Flag(models.TextChoices):
        HIGH_TECH = "high_tech", "高新技术企业"
        SPECIALISED = "specialised", "专精特新企业"
        ABOVE_SCALE = "above_scale", "规模以上工业企业"
        IP_ADVANTAGE = "ip_advantage", "国家知识产权优势企业"
        IP_DEMONSTRATION = "ip_demonstration", "国家知识产权示范企业"

    organisation = models.ForeignKey("orgs.Organisation", verbose_name="企业", on_delete=models.CASCADE,
                                     related_name="flags")
    flag = models.CharField("认定", max_length=30, choices=Flag.choices)
    valid_from = models.DateField("有效期自")
    valid_to = models.DateField("有效期至", null=True, blank=True)
    certificate = models.CharField("证书编号", max_length=100, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "企业认定"
        verbose_name_plural = "企业认定"
        ordering = ["organisation_id", "flag", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["organisation", "flag", "valid_from"], name="flag_once")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_flag_display()}"


class ColumnMapping(models.Model):
    """A saved mapping for generic CSV/XLSX patent files: target field → the source file's column header."""

    name = models.CharField("名称", max_length=100, unique=True)
    mapping = models.JSONField("字段对应", help_text='如 {"application_number": "申请号", "title": "发明名称"}')
    note = models.CharField("说明", max_length=300, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "字段对应方案"
        verbose_name_plural = "字段对应方案"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EnterpriseMerge(models.Model):
    """One applicant name, exactly as the parties carry it, resolved to an enterprise: how, and whether staff have
    reviewed it. The merge list is reviewable and reversible: rejecting a name unlinks its parties and later imports
    leave it unlinked (enterprises.EnterpriseMatcher reads this table); restoring links them again."""

    class Method(models.TextChoices):
        USCC = "uscc", "统一社会信用代码"
        EXACT = "exact", "名称完全相同"
        VARIANT = "variant", "名称变体（规范化后相同）"
        MANUAL = "manual", "人工指定"

    class Status(models.TextChoices):
        AUTOMATIC = "automatic", "自动合并，待确认"
        CONFIRMED = "confirmed", "已确认"
        REJECTED = "rejected", "已拒绝"

    name = models.CharField("申请人名称（原样）", max_length=300, unique=True)
    organisation = models.ForeignKey("orgs.Organisation", verbose_name="合并到企业", on_delete=models.CASCADE,
                                     related_name="merged_names")
    method = models.CharField("匹配方式", max_length=20, choices=Method.choices)
    status = models.CharField("审核状态", max_length=20, choices=Status.choices, default=Status.AUTOMATIC,
                              db_index=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "申请人合并"
        verbose_name_plural = "申请人合并"
        ordering = ["organisation_id", "name"]

    def __str__(self) -> str:
        return f"{self.name} → {self.organisation_id}"


class PatentPledge(models.Model):
    """A patent-right pledge registration (专利权质押登记): who pledged which patent to whom, for how much. The amount is
    the guaranteed claim in 万元 (what 知识产权质押融资金额 adds up). Linked to the patent when it is in the data hub."""

    registration_number = models.CharField("登记号", max_length=60, unique=True)
    application_number = models.CharField("申请号", max_length=30, db_index=True)
    patent = models.ForeignKey(Patent, verbose_name="专利", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="pledges")
    pledgor_name = models.CharField("出质人", max_length=300)
    pledgor = models.ForeignKey("orgs.Organisation", verbose_name="出质企业", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    pledgee_name = models.CharField("质权人", max_length=300)
    amount = models.DecimalField("质押金额（万元）", max_digits=14, decimal_places=2)
    registered_on = models.DateField("登记日")
    released_on = models.DateField("注销日", null=True, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name="所在区划", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "专利权质押登记"
        verbose_name_plural = "专利权质押登记"
        ordering = ["-registered_on", "registration_number"]

    def __str__(self) -> str:
        return f"{self.registration_number} {self.application_number} {self.amount} 万元"


class PatentAward(models.Model):
    """A China Patent Award (中国专利奖) or a national science and technology award (国家科学技术奖) won with a patent."""

    class Award(models.TextChoices):
        CN_GOLD = "cn_gold", "中国专利金奖"
        CN_SILVER = "cn_silver", "中国专利银奖"
        CN_EXCELLENCE = "cn_excellence", "中国专利优秀奖"
        CN_DESIGN_GOLD = "cn_design_gold", "中国外观设计金奖"
        CN_DESIGN_SILVER = "cn_design_silver", "中国外观设计银奖"
        CN_DESIGN_EXCELLENCE = "cn_design_excellence", "中国外观设计优秀奖"
        NATIONAL_NATURAL = "national_natural", "国家自然科学奖"
        NATIONAL_INVENTION = "national_invention", "国家技术发明奖"
        NATIONAL_PROGRESS = "national_progress", "国家科学技术进步奖"

    application_number = models.CharField("申请号", max_length=30, db_index=True)
    patent = models.ForeignKey(Patent, verbose_name="专利", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="awards")
    award = models.CharField("奖项", max_length=30, choices=Award.choices)
    year = models.PositiveSmallIntegerField("届次年份")
    project = models.CharField("项目名称", max_length=300, blank=True)
    holder_name = models.CharField("获奖单位", max_length=300, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "专利奖与科技奖"
        verbose_name_plural = "专利奖与科技奖"
        ordering = ["-year", "award", "application_number"]
        constraints = [models.UniqueConstraint(fields=["application_number", "award", "year"], name="award_once")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_award_display()} {self.application_number}"
