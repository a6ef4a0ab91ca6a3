"""Accounts: users with one role and one organisation, and API tokens for machine clients."""
from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from ipcity.accounts.roles import ADMIN_SITE_ROLES, GOVERNMENT_ROLES, OFFICE_ROLES, Role
from ipcity.core.fields import EncryptedTextField
from ipcity.core.scoping import visible


class ScopedUserManager(UserManager):
    def visible_to(self, user):
        return visible(self.get_queryset(), user)


class User(AbstractUser):
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    organisation = models.ForeignKey("orgs.Organisation", verbose_name="所属单位", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="users")
    display_name = models.CharField("姓名", max_length=50, blank=True)
    phone = EncryptedTextField("手机号码", blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    objects = ScopedUserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_role_display_safe(self) -> str:
        return self.get_role_display() if self.role else "未分配角色"

    @property
    def is_office(self) -> bool:
        return self.role in OFFICE_ROLES

    @property
    def is_government(self) -> bool:
        return self.role in GOVERNMENT_ROLES

    @property
    def jurisdiction(self):
        """The region whose data an office user works on: their organisation's region (None if unknown)."""
        return self.organisation.region if self.organisation_id else None

    def save(self, *args, **kwargs):
        # Admin-site access follows the role; nobody flips is_staff by hand.
        self.is_staff = self.role in ADMIN_SITE_ROLES or self.is_superuser
        super().save(*args, **kwargs)


class APIToken(models.Model):
    """A bearer token for a machine client. Only a SHA-256 of the secret is stored; it is shown once."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("前缀", max_length=12, db_index=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return "ipc_" + secrets.token_urlsafe(32)
