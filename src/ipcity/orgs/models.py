"""Organisations (government bodies, enterprises, agencies, courts) and their natural-person contacts."""
from __future__ import annotations

from django.db import models

from ipcity.core.fields import EncryptedTextField
from ipcity.core.scoping import ScopedQuerySet
from ipcity.core.validators import uscc_validator


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CITY_OFFICE = "city_office", "市知识产权局（市场监管局）"
        CITY_SECTION = "city_section", "市局内设科室"
        MEMBER_DEPARTMENT = "member_department", "领导小组成员单位"
        DISTRICT_OFFICE = "district_office", "县区知识产权管理部门"
        ENTERPRISE = "enterprise", "企业"
        SERVICE_AGENCY = "service_agency", "知识产权服务机构"
        COURT = "court", "法院"
        MEDIATION_BODY = "mediation_body", "调解组织"
        RESEARCH_INSTITUTE = "research_institute", "高校及科研院所"
        OTHER = "other", "其他"

    GOVERNMENT_KINDS = (Kind.CITY_OFFICE, Kind.CITY_SECTION, Kind.MEMBER_DEPARTMENT, Kind.DISTRICT_OFFICE)

    name = models.CharField("名称", max_length=200)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("类型", max_length=30, choices=Kind.choices, db_index=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, null=True, unique=True,
                            validators=[uscc_validator])
    region = models.ForeignKey("regions.Region", verbose_name="所在区划", on_delete=models.PROTECT,
                               related_name="organisations")
    parent = models.ForeignKey("self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    in_leading_group = models.BooleanField("领导小组成员单位", default=False)
    address = models.CharField("地址", max_length=300, blank=True)
    is_active = models.BooleanField("有效", default=True)
    is_demo = models.BooleanField("示例数据", default=False, help_text="由演示数据生成器创建的虚构记录")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        ordering = ["kind", "region_id", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "region"], name="org_unique_name_in_region",
                                               violation_error_message="该区划内已有同名的组织机构")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_government(self) -> bool:
        return self.kind in self.GOVERNMENT_KINDS


class Contact(models.Model):
    """A natural person who acts for an organisation. Personal data is encrypted at rest and masked on output."""

    organisation = models.ForeignKey(Organisation, verbose_name="所属单位", on_delete=models.CASCADE,
                                     related_name="contacts")
    name = models.CharField("姓名", max_length=50)
    position = models.CharField("职务", max_length=50, blank=True)
    phone = EncryptedTextField("手机号码", blank=True)
    phone_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number = EncryptedTextField("身份证号码", blank=True)
    id_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address = EncryptedTextField("住址", blank=True)
    is_demo = models.BooleanField("示例数据", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    # field name → masking kind; the only fields that ever leave the server masked
    SENSITIVE_FIELDS = {"phone": "phone", "id_number": "id_number", "address": "address"}

    class Meta:
        verbose_name = "联系人"
        verbose_name_plural = "联系人"
        ordering = ["organisation_id", "name"]
        permissions = [("reveal_contact", "查看联系人未脱敏的个人信息")]

    def __str__(self) -> str:
        from ipcity.core.masking import mask_name

        return f"{mask_name(self.name)}（{self.organisation}）"
