"""Platform-wide models: the append-only audit log and the table of business rules."""
from __future__ import annotations

from django.conf import settings
from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses update and delete; the message names the model's records (`append_only_label`, default 审计日志)."""

    def _label(self) -> str:
        return getattr(self.model, "append_only_label", "审计日志")

    def update(self, **kwargs):
        raise PermissionError(f"{self._label()}只能追加，不能修改")

    def delete(self):
        raise PermissionError(f"{self._label()}只能追加，不能删除")

    def visible_to(self, user):
        from ipcity.core.scoping import visible

        return visible(self, user)


class AuditEntry(models.Model):
    """One state change (or sensitive read, or security event), chained to the previous row by hash.

    `entry_hash` = SHA-256 over the canonical JSON of this row's content and `prev_hash`; editing or
    deleting any row breaks the chain, which `ipcity check --audit` reports. The row hashes are the leaves a
    Merkle log can anchor later (the evidence module), so the content hashed must never change format.
    """

    seq = models.BigIntegerField("序号", unique=True, editable=False)
    at = models.DateTimeField("时间", editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", db_constraint=False,
    )
    actor_label = models.CharField("操作人名称", max_length=150, editable=False)
    actor_role = models.CharField("角色", max_length=40, blank=True, editable=False)
    action = models.CharField("事件", max_length=80, db_index=True, editable=False)
    object_type = models.CharField("对象类型", max_length=80, blank=True, editable=False)
    object_id = models.CharField("对象编号", max_length=64, blank=True, editable=False)
    object_repr = models.CharField("对象", max_length=200, blank=True, editable=False)
    changes = models.JSONField("内容", default=dict, blank=True, editable=False)
    outcome = models.CharField("结果", max_length=20, default="success", editable=False)
    ip = models.CharField("IP 地址", max_length=45, blank=True, editable=False)
    prev_hash = models.CharField("前一条哈希", max_length=64, editable=False)
    entry_hash = models.CharField("本条哈希", max_length=64, unique=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-seq"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除")


class AuditHead(models.Model):
    """A single row: the last sequence number and hash. Locking it serialises appends, and comparing it with
    the table detects a removed tail (deleting the newest rows leaves an otherwise consistent chain)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "审计链头"
        default_permissions = ()


class RuleQuerySet(models.QuerySet):
    def visible_to(self, user):
        from ipcity.core.scoping import visible

        return visible(self, user)


class Rule(models.Model):
    """A business rule that changes over time or between localities (limits, thresholds, policies).

    Code declares each rule with its default (ipcity.core.rules); a row here overrides the default.
    """

    key = models.CharField("规则", max_length=100, unique=True)
    value = models.JSONField("取值")
    note = models.CharField("说明", max_length=300, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = "业务规则"
        verbose_name_plural = "业务规则"
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class StoredFile(models.Model):
    """An uploaded file, stored once by its SHA-256 and immutable: records link to it, never copy or replace it
    (helpdesk systems lose attachments on edit/forward; content addressing cannot). Files are served only through
    views that check the linking record's scope; this table itself is visible to the uploader alone."""

    sha256 = models.CharField("SHA-256", max_length=64, unique=True, editable=False)
    size = models.PositiveBigIntegerField("大小（字节）", editable=False)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("类型", max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = "文件"
        verbose_name_plural = "文件"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def relative_path(self) -> str:
        return f"files/{self.sha256[:2]}/{self.sha256[2:4]}/{self.sha256}"
