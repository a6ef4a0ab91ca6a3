"""Django glue for :mod:`ipcity.core.crypto`: encrypted model field and keyed digests.

Settings (keys are base64 text of 32 bytes; make one with
``python -c "from ipcity.core.crypto import generate_key_text as g; print(g())"``):

``IPCITY_FIELD_KEYS``
    ``{"2025a": "<base64>", ...}`` — every key that may still appear in stored tokens.
``IPCITY_FIELD_KEY_ACTIVE``
    key id used for new encryptions (may be omitted when there is exactly one key).
``IPCITY_FIELD_CIPHER``
    ``"aes-gcm"`` (default) or ``"sm4-gcm"``; changing it only affects new writes.
``IPCITY_DIGEST_KEY``
    base64 key for :func:`digest_for` (separate from the field keys, never rotated
    casually: rotating it means recomputing every stored digest).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.core.signals import setting_changed
from django.db import models
from django.db.models.lookups import Exact, IsNull

from .crypto import (
    ALGORITHMS,
    DecryptionError,
    FieldCipher,
    is_token,
    keyed_digest,
    parse_key,
)

__all__ = [
    "DIGEST_KINDS",
    "DIGEST_LENGTH",
    "EncryptedTextField",
    "digest_for",
    "get_digest_key",
    "get_field_cipher",
    "normalise_for_digest",
]

_CIPHER_SETTINGS = frozenset(
    {"IPCITY_FIELD_KEYS", "IPCITY_FIELD_KEY_ACTIVE", "IPCITY_FIELD_CIPHER"}
)
_DIGEST_SETTINGS = frozenset({"IPCITY_DIGEST_KEY"})

DIGEST_LENGTH = 64  # hex characters of HMAC-SHA256: use CharField(max_length=DIGEST_LENGTH)


# -- cipher from settings -----------------------------------------------------------


@functools.cache
def get_field_cipher() -> FieldCipher:
    """The process-wide :class:`FieldCipher` built from settings (cached; reset on setting_changed)."""
    raw_keys = getattr(settings, "IPCITY_FIELD_KEYS", None)
    if not raw_keys or not isinstance(raw_keys, dict):
        raise ImproperlyConfigured(
            "未配置 IPCITY_FIELD_KEYS：应为 {密钥标识: 32 字节密钥的 base64 编码} 字典"
        )
    keys: dict[str, bytes] = {}
    for key_id, text in raw_keys.items():
        try:
            keys[str(key_id)] = parse_key(text)
        except ValueError as exc:
            raise ImproperlyConfigured(f"IPCITY_FIELD_KEYS[{key_id!r}] 无效：{exc}") from None
    active = getattr(settings, "IPCITY_FIELD_KEY_ACTIVE", None)
    if not active:
        if len(keys) != 1:
            raise ImproperlyConfigured("配置了多个字段加密密钥时必须设置 IPCITY_FIELD_KEY_ACTIVE")
        (active,) = keys
    algorithm = getattr(settings, "IPCITY_FIELD_CIPHER", None) or "aes-gcm"
    if algorithm not in ALGORITHMS:
        raise ImproperlyConfigured(
            f"IPCITY_FIELD_CIPHER 无效：{algorithm!r}（可选：{'、'.join(ALGORITHMS)}）"
        )
    try:
        return FieldCipher(keys, active_key_id=active, algorithm=algorithm)
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from None


@functools.cache
def get_digest_key() -> bytes:
    text = getattr(settings, "IPCITY_DIGEST_KEY", None)
    if not text:
        raise ImproperlyConfigured("未配置 IPCITY_DIGEST_KEY（32 字节密钥的 base64 编码）")
    try:
        return parse_key(text)
    except ValueError as exc:
        raise ImproperlyConfigured(f"IPCITY_DIGEST_KEY 无效：{exc}") from None


def _reset_caches(*, setting: str, **kwargs: Any) -> None:
    if setting in _CIPHER_SETTINGS:
        get_field_cipher.cache_clear()
    if setting in _DIGEST_SETTINGS:
        get_digest_key.cache_clear()


setting_changed.connect(_reset_caches, dispatch_uid="ipcity.core.fields.reset_caches")


# -- keyed digests for duplicate matching ----------------------------------------------

_WHITESPACE_RE = re.compile(r"\s+")
_NON_DIGIT_RE = re.compile(r"[^0-9]")
# Separators in transliterated names (阿卜杜·热合曼) typed in many ways.
_NAME_DOTS = str.maketrans({c: "·" for c in "•‧∙⋅・･.．"})


def _normalise_id_number(value: str) -> str:
    return _WHITESPACE_RE.sub("", unicodedata.normalize("NFKC", value)).upper()


def _normalise_phone(value: str) -> str:
    digits = _NON_DIGIT_RE.sub("", unicodedata.normalize("NFKC", value))
    if digits.startswith("0086"):
        digits = digits[2:]
    if digits.startswith("86") and len(digits) >= 12:
        digits = digits[2:]
        # +86 10 1234 5678 is dialled 010-1234-5678 at home: restore the trunk 0
        # for landlines so both spellings match; mobiles (1xx, 11 digits) stay.
        if not (digits.startswith("1") and len(digits) == 11) and not digits.startswith("0"):
            digits = "0" + digits
    return digits


def _normalise_name(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).translate(_NAME_DOTS)
    return _WHITESPACE_RE.sub("", value).casefold()


DIGEST_KINDS = {
    "id_number": _normalise_id_number,
    "phone": _normalise_phone,
    "name": _normalise_name,
}


def normalise_for_digest(value: str, kind: str) -> str:
    """The normal form :func:`digest_for` hashes (exposed for tests and data checks)."""
    try:
        normalise = DIGEST_KINDS[kind]
    except KeyError:
        raise ValueError(f"未知的摘要类型：{kind!r}（可选：{'、'.join(DIGEST_KINDS)}）") from None
    return normalise(value)


def digest_for(value: str | None, kind: str) -> str:
    """HMAC-SHA256 hex of the normalised value, keyed by ``IPCITY_DIGEST_KEY``.

    ``kind`` is ``"id_number"`` (whitespace removed, upper case), ``"phone"`` (digits
    only, country code 86 removed) or ``"name"`` (whitespace removed). Returns ``""``
    when the value is empty after normalisation, so blank values never "match".
    """
    normalised = normalise_for_digest(value or "", kind)
    if not normalised:
        return ""
    return keyed_digest(normalised, get_digest_key())


# -- the model field ----------------------------------------------------------------------

_LOOKUP_ERROR = (
    "加密字段 {field} 不支持 {lookup!r} 查询：密文每次加密都不同，比较密文没有意义；"
    "请按对应的摘要字段（digest_for）查询，只有 isnull 可用"
)


class _EncryptedExact(Exact):
    """``field=None`` (→ IS NULL) and ``field=""`` work; any other value raises FieldError."""

    def __init__(self, lhs: Any, rhs: Any) -> None:
        if rhs is not None and rhs != "":
            raise FieldError(_LOOKUP_ERROR.format(field=_field_label(lhs), lookup="exact"))
        super().__init__(lhs, rhs)


def _field_label(lhs: Any) -> str:
    field = getattr(lhs, "target", None) or getattr(lhs, "output_field", None)
    model = getattr(field, "model", None)
    if model is not None:
        return f"{model._meta.label}.{field.name}"
    return getattr(field, "name", None) or "?"


class EncryptedTextField(models.TextField):
    """A text column holding a :class:`~ipcity.core.crypto.FieldCipher` token.

    The attribute on instances is plaintext; the database (and ``dumpdata``, via
    :meth:`value_to_string`) only ever sees the token. ``None`` and ``""`` are stored
    as they are. The GCM context is ``"<app_label>.<ModelName>.<field_name>"``
    (``Model._meta.label`` + field name); pass ``context=`` to pin it, e.g. after
    renaming a model or field whose rows must stay readable.

    Only ``isnull`` (and ``=None`` / ``=""``) lookups are allowed: search on a
    companion digest column filled with :func:`digest_for` instead.

    ``cipher=`` injects a :class:`FieldCipher` (tests); it is not part of migrations.
    """

    description = "加密文本"

    def __init__(
        self,
        *args: Any,
        context: str | None = None,
        cipher: FieldCipher | None = None,
        **kwargs: Any,
    ) -> None:
        self.context = context
        self._cipher = cipher
        super().__init__(*args, **kwargs)

    # -- configuration ---------------------------------------------------------------

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.context is not None:
            kwargs["context"] = self.context
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *self._check_encrypted_options()]

    def _check_encrypted_options(self) -> list[checks.CheckMessage]:
        errors = []
        for option in ("primary_key", "unique", "db_index"):
            if getattr(self, option):
                errors.append(
                    checks.Error(
                        f"EncryptedTextField 不能设置 {option}=True：密文随机，唯一性和索引没有意义。",
                        hint="在摘要字段（digest_for 的结果）上建唯一约束或索引。",
                        obj=self,
                        id="ipcity.fields.E001",
                    )
                )
        return errors

    def get_cipher(self) -> FieldCipher:
        return self._cipher if self._cipher is not None else get_field_cipher()

    def get_context(self) -> bytes:
        if self.context is not None:
            return self.context.encode("utf-8")
        model = getattr(self, "model", None)
        if model is None or not self.name:
            raise ImproperlyConfigured("EncryptedTextField 尚未绑定到模型，无法确定加密上下文")
        return f"{model._meta.label}.{self.name}".encode()

    # -- value conversion ----------------------------------------------------------------

    def _decrypt(self, token: str) -> str:
        return self.get_cipher().decrypt(token, context=self.get_context())

    def _encrypt(self, value: Any) -> Any:
        if value is None or value == "":
            return value
        return self.get_cipher().encrypt(str(value), context=self.get_context())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return self._decrypt(value)  # DecryptionError propagates: never hand out garbage

    def to_python(self, value: Any) -> Any:
        """Plaintext stays plaintext; a token (e.g. from ``loaddata``) is decrypted."""
        if value is None or value == "":
            return value
        if not isinstance(value, str):
            return str(value)
        if is_token(value):
            try:
                return self._decrypt(value)
            except DecryptionError as exc:
                raise ValidationError(str(exc), code="decryption_failed") from None
        return value

    def get_prep_value(self, value: Any) -> Any:
        # Deliberately not TextField.get_prep_value: that calls to_python, which would
        # decrypt a token-shaped input instead of storing what the caller assigned.
        value = models.Field.get_prep_value(self, value)
        return self._encrypt(value)

    def value_to_string(self, obj: Any) -> str:
        """Serialisation (dumpdata, backups) writes the token, never the plaintext."""
        value = self.value_from_object(obj)
        if value is None or value == "":
            return value
        return self._encrypt(value)

    # -- lookups -------------------------------------------------------------------------

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return _EncryptedExact
        if super().get_lookup(lookup_name) is not None:
            # A real lookup (contains, in, startswith, gt, ...): say why it is refused.
            raise FieldError(_LOOKUP_ERROR.format(field=self._label(), lookup=lookup_name))
        return None  # unknown name: Django reports "Unsupported lookup" itself

    def get_transform(self, lookup_name: str) -> Any:
        return None  # lower, trim, ... on ciphertext are as meaningless as comparisons

    def _label(self) -> str:
        model = getattr(self, "model", None)
        return f"{model._meta.label}.{self.name}" if model is not None else (self.name or "?")
