"""The evidence log (存证) in the database: its head, its entries (the leaves) and its signed checkpoints.

The entries are the source of truth: each keeps the exact bytes its leaf hashes (canonical JSON: hashes, codes and
who/when/how — never personal data). The Merkle tree files under IPCITY_EVIDENCE_DIR (`tree.TreeStore`) are derived
from the entries' leaf hashes and brought back in line with them whenever they are read (`log.synced_tree`).
Entries and checkpoints are append-only: the ORM refuses update and delete, and database triggers refuse them too.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from ipcity.core.models import AppendOnlyQuerySet


class AppendOnly(models.Model):
    append_only_label = "存证记录"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("存证记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("存证记录只能追加，不能删除")


class LogHead(models.Model):
    """A single row: the log's origin and hash algorithm (fixed when the first entry is written), its size, and how
    far the foundation's audit chain is anchored. Locking it (SELECT … FOR UPDATE) serialises appends."""

    origin = models.CharField("日志标识", max_length=120)
    algorithm = models.CharField("哈希算法", max_length=10, default="sha256")
    size = models.BigIntegerField("记录数", default=0)
    audit_anchored_seq = models.BigIntegerField("已锚定的审计记录序号", default=0)

    class Meta:
        verbose_name = "存证日志"
        verbose_name_plural = "存证日志"
        default_permissions = ()


class EvidenceEntry(AppendOnly):
    """One leaf of the log. `leaf_data` is what was hashed (UTF-8 canonical JSON); `leaf_hash` = H(0x00 ‖ leaf_data)."""

    index = models.BigIntegerField("存证序号", unique=True, editable=False)
    kind = models.CharField("类别", max_length=60, db_index=True, editable=False)
    leaf_data = models.TextField("存证内容", editable=False)
    leaf_hash = models.CharField("叶子哈希", max_length=64, editable=False)
    recorded_at = models.DateTimeField("存证时间", editable=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+", db_constraint=False, editable=False)
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", db_constraint=False, editable=False)
    subject_id = models.CharField("对象编号", max_length=64, blank=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "存证记录"
        verbose_name_plural = "存证记录"
        ordering = ["-index"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="evidence_subject")]

    def __str__(self) -> str:
        return f"存证 #{self.index} {self.kind_label}"

    @property
    def number(self) -> int:
        """The entry's number as people read it (the first entry is 1)."""
        return self.index + 1

    @property
    def kind_label(self) -> str:
        from ipcity.evidence.kinds import label

        return label(self.kind)

    def content(self) -> dict:
        import json

        return json.loads(self.leaf_data)


class Checkpoint(AppendOnly):
    """A signed statement of the log's size and root (C2SP tlog-checkpoint in a signed note)."""

    class Reason(models.TextChoices):
        INTERVAL = "interval", "定时"
        MANUAL = "manual", "手动"
        EXPORT = "export", "导出证据包"

    size = models.BigIntegerField("记录数", editable=False, db_index=True)
    root_hash = models.CharField("根哈希", max_length=64, editable=False)
    note = models.TextField("签名检查点", editable=False)
    created_at = models.DateTimeField("签发时间", editable=False)
    reason = models.CharField("原因", max_length=20, choices=Reason.choices, editable=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+", db_constraint=False, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "签名检查点"
        verbose_name_plural = "签名检查点"
        ordering = ["-size", "-pk"]
        default_permissions = ("view", "add")

    def __str__(self) -> str:
        return f"检查点 {self.size}（{self.created_at:%Y-%m-%d %H:%M}）"


class CheckpointTimestamp(AppendOnly):
    """An RFC 3161 timestamp token over a checkpoint's note from the configured timestamp authority (TSA), taken
    after the checkpoint committed (a TSA round trip never holds the log's lock). The nonce sent was echoed."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="timestamps", editable=False)
    token = models.BinaryField("时间戳令牌（DER）", editable=False)
    gen_time = models.DateTimeField("时间戳时间", editable=False)
    authority = models.CharField("时间戳服务", max_length=300, editable=False)
    serial = models.CharField("序列号", max_length=80, blank=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "可信时间戳"
        verbose_name_plural = "可信时间戳"
        ordering = ["-pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.checkpoint} 的时间戳（{self.gen_time:%Y-%m-%d %H:%M:%S}）"
