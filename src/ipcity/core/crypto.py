"""Personal-data protection primitives (pure; no Django imports).

* :class:`FieldCipher` — authenticated field encryption (AES-256-GCM or SM4-GCM)
  producing self-describing tokens ``v1$<alg>$<keyid>$<base64url(nonce‖ct‖tag)>``
  so that keys and algorithms can rotate: :meth:`FieldCipher.decrypt` picks both
  from the token, :meth:`FieldCipher.encrypt` always uses the active ones.
* :func:`keyed_digest` — HMAC-SHA256 of an already normalised value, for
  duplicate matching on encrypted columns (equality on ciphertext is meaningless
  because every encryption uses a fresh random nonce).
* :func:`sm3_hexdigest` / :func:`sm3_self_test` — SM3 (GB/T 32905).
* :func:`parse_key` / :func:`generate_key_text` — key text as kept in settings.

The Django model field built on these lives in :mod:`ipcity.core.fields`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Mapping
from typing import Final, Literal

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = [
    "ALGORITHMS",
    "DecryptionError",
    "FieldCipher",
    "KEY_LENGTH",
    "SM3_ABC_HEXDIGEST",
    "TOKEN_VERSION",
    "generate_key_text",
    "is_token",
    "keyed_digest",
    "parse_key",
    "sm3_hexdigest",
    "sm3_self_test",
]

Algorithm = Literal["aes-gcm", "sm4-gcm"]

ALGORITHMS: Final = ("aes-gcm", "sm4-gcm")
TOKEN_VERSION: Final = "v1"
KEY_LENGTH: Final = 32  # bytes; AES-256 key, and the HKDF input for the SM4 key
NONCE_LENGTH: Final = 12
TAG_LENGTH: Final = 16
SM4_KEY_LENGTH: Final = 16
SM4_HKDF_INFO: Final = b"ipcity-sm4"
SM3_ABC_HEXDIGEST: Final = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"

DECRYPTION_ERROR_MESSAGE: Final = "数据解密失败：密钥不匹配或数据已被篡改"

_KEY_ID_RE = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
_B64URL_RE = re.compile(r"[A-Za-z0-9_\-]+={0,2}")
_B64_ANY_RE = re.compile(r"[A-Za-z0-9+/_\-]+={0,2}")


class DecryptionError(Exception):
    """A token could not be decrypted (unknown key, wrong context, tampering, garbage).

    The message is always the same Chinese sentence so nothing about the data leaks
    into logs or pages; ``reason`` is a short, non-sensitive code for operators
    (``"malformed"``, ``"unknown_algorithm"``, ``"unknown_key"``, ``"authentication"``,
    ``"encoding"``).
    """

    def __init__(self, reason: str = "authentication") -> None:
        super().__init__(DECRYPTION_ERROR_MESSAGE)
        self.reason = reason


def is_token(value: object) -> bool:
    """Whether ``value`` has the shape of a :class:`FieldCipher` token (not whether it decrypts)."""
    if not isinstance(value, str):
        return False
    parts = value.split("$")
    return (
        len(parts) == 4
        and parts[0] == TOKEN_VERSION
        and parts[1] in ALGORITHMS
        and _KEY_ID_RE.fullmatch(parts[2]) is not None
        and _B64URL_RE.fullmatch(parts[3]) is not None
    )


def _b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64_decode_any(text: str) -> bytes:
    """Decode standard or url-safe base64, padded or not; raise ValueError otherwise."""
    if not _B64_ANY_RE.fullmatch(text):
        raise ValueError("not base64")
    text = text.rstrip("=").replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64") from exc


def _derive_sm4_key(key: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=SM4_KEY_LENGTH, salt=None, info=SM4_HKDF_INFO
    ).derive(key)


class FieldCipher:
    """Authenticated encryption of single text values with rotatable keys.

    ``keys`` maps key ids (``[A-Za-z0-9_.-]{1,64}``) to 32-byte keys. The same key
    serves both algorithms: used directly for AES-256-GCM, and through
    HKDF-SHA256 (info ``b"ipcity-sm4"``) to a 16-byte key for SM4-GCM.

    The GCM associated data is the token header (``v1$<alg>$<keyid>$``) followed by
    ``context`` (e.g. ``b"orgs.Contact.id_number"``), so a ciphertext can neither be
    moved to another field nor relabelled with another algorithm or key id.
    """

    __slots__ = ("_keys", "_sm4_keys", "_aes", "active_key_id", "algorithm")

    def __init__(
        self,
        keys: Mapping[str, bytes],
        active_key_id: str,
        algorithm: Algorithm = "aes-gcm",
    ) -> None:
        if algorithm not in ALGORITHMS:
            raise ValueError(f"不支持的加密算法：{algorithm!r}（可选：{'、'.join(ALGORITHMS)}）")
        if not keys:
            raise ValueError("未配置字段加密密钥")
        checked: dict[str, bytes] = {}
        for key_id, key in keys.items():
            if not isinstance(key_id, str) or not _KEY_ID_RE.fullmatch(key_id):
                raise ValueError(f"密钥标识无效：{key_id!r}（只能包含字母、数字、_ . -，最长 64 个字符）")
            if not isinstance(key, (bytes, bytearray)) or len(key) != KEY_LENGTH:
                raise ValueError(f"密钥 {key_id} 长度无效：应为 {KEY_LENGTH} 字节")
            checked[key_id] = bytes(key)
        if active_key_id not in checked:
            raise ValueError(f"当前密钥标识 {active_key_id!r} 不在已配置的密钥中")
        self._keys: dict[str, bytes] = checked
        self._sm4_keys: dict[str, bytes] = {}
        self._aes: dict[str, AESGCM] = {}
        self.active_key_id = active_key_id
        self.algorithm: Algorithm = algorithm

    def __repr__(self) -> str:  # never show key material
        return (
            f"<FieldCipher algorithm={self.algorithm} active={self.active_key_id} "
            f"keys={sorted(self._keys)}>"
        )

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self._keys)

    # -- primitives -------------------------------------------------------------

    def _aesgcm(self, key_id: str) -> AESGCM:
        aes = self._aes.get(key_id)
        if aes is None:
            aes = self._aes[key_id] = AESGCM(self._keys[key_id])
        return aes

    def _sm4_key(self, key_id: str) -> bytes:
        key = self._sm4_keys.get(key_id)
        if key is None:
            key = self._sm4_keys[key_id] = _derive_sm4_key(self._keys[key_id])
        return key

    def _seal(self, algorithm: str, key_id: str, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        if algorithm == "aes-gcm":
            return self._aesgcm(key_id).encrypt(nonce, data, aad)
        encryptor = Cipher(algorithms.SM4(self._sm4_key(key_id)), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(aad)
        body = encryptor.update(data) + encryptor.finalize()
        return body + encryptor.tag

    def _open(self, algorithm: str, key_id: str, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
        if algorithm == "aes-gcm":
            return self._aesgcm(key_id).decrypt(nonce, sealed, aad)
        body, tag = sealed[:-TAG_LENGTH], sealed[-TAG_LENGTH:]
        decryptor = Cipher(
            algorithms.SM4(self._sm4_key(key_id)), modes.GCM(nonce, tag, min_tag_length=TAG_LENGTH)
        ).decryptor()
        decryptor.authenticate_additional_data(aad)
        return decryptor.update(body) + decryptor.finalize()

    @staticmethod
    def _aad(algorithm: str, key_id: str, context: bytes | str) -> bytes:
        if isinstance(context, str):
            context = context.encode("utf-8")
        if not isinstance(context, (bytes, bytearray)):
            raise TypeError("context 必须是 bytes")
        return f"{TOKEN_VERSION}${algorithm}${key_id}$".encode("ascii") + bytes(context)

    # -- public API -------------------------------------------------------------

    def encrypt(self, plaintext: str, *, context: bytes) -> str:
        """Encrypt ``plaintext`` with the active algorithm and key; return a token."""
        if not isinstance(plaintext, str):
            raise TypeError("只能加密字符串")
        algorithm, key_id = self.algorithm, self.active_key_id
        nonce = os.urandom(NONCE_LENGTH)
        sealed = self._seal(
            algorithm, key_id, nonce, plaintext.encode("utf-8"), self._aad(algorithm, key_id, context)
        )
        return f"{TOKEN_VERSION}${algorithm}${key_id}${_b64url_encode(nonce + sealed)}"

    def decrypt(self, token: str, *, context: bytes) -> str:
        """Decrypt a token made by :meth:`encrypt` (with any configured key / algorithm).

        Raises :class:`DecryptionError` on any failure.
        """
        if not isinstance(token, str):
            raise DecryptionError("malformed")
        parts = token.split("$")
        if len(parts) != 4 or parts[0] != TOKEN_VERSION:
            raise DecryptionError("malformed")
        _, algorithm, key_id, payload = parts
        if algorithm not in ALGORITHMS:
            raise DecryptionError("unknown_algorithm")
        if key_id not in self._keys:
            raise DecryptionError("unknown_key")
        if not _B64URL_RE.fullmatch(payload):
            raise DecryptionError("malformed")
        try:
            raw = _b64_decode_any(payload)
        except ValueError:
            raise DecryptionError("malformed") from None
        if len(raw) < NONCE_LENGTH + TAG_LENGTH:
            raise DecryptionError("malformed")
        nonce, sealed = raw[:NONCE_LENGTH], raw[NONCE_LENGTH:]
        aad = self._aad(algorithm, key_id, context)
        try:
            data = self._open(algorithm, key_id, nonce, sealed, aad)
        except (InvalidTag, ValueError):
            raise DecryptionError("authentication") from None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise DecryptionError("encoding") from None

    def needs_rekey(self, token: str) -> bool:
        """True if ``token`` was not made with the active algorithm and key (re-encrypt it)."""
        parts = token.split("$") if isinstance(token, str) else []
        return len(parts) != 4 or (parts[1], parts[2]) != (self.algorithm, self.active_key_id)


def keyed_digest(value: str, key: bytes) -> str:
    """HMAC-SHA256 (hex) of ``value``; normalise ``value`` before calling."""
    if not isinstance(value, str):
        raise TypeError("只能计算字符串的摘要")
    if not key:
        raise ValueError("摘要密钥不能为空")
    return hmac.new(bytes(key), value.encode("utf-8"), hashlib.sha256).hexdigest()


def sm3_hexdigest(data: bytes) -> str:
    """SM3 (GB/T 32905) hex digest; cryptography first, hashlib's "sm3" as fallback."""
    try:
        h = hashes.Hash(hashes.SM3())
    except UnsupportedAlgorithm:
        try:
            return hashlib.new("sm3", bytes(data)).hexdigest()
        except ValueError as exc:
            raise RuntimeError("当前环境不支持 SM3 杂凑算法") from exc
    h.update(bytes(data))
    return h.finalize().hex()


def sm3_self_test() -> None:
    """Raise RuntimeError unless SM3 gives the GB/T 32905 vector for b"abc"."""
    try:
        got = sm3_hexdigest(b"abc")
    except Exception as exc:  # noqa: BLE001 - any failure means the self-test failed
        raise RuntimeError(f"SM3 自检失败：{exc}") from exc
    if got != SM3_ABC_HEXDIGEST:
        raise RuntimeError(f"SM3 自检失败：sm3(b'abc') = {got}，应为 {SM3_ABC_HEXDIGEST}")


def parse_key(text: str) -> bytes:
    """Decode key text from settings: base64 (standard or url-safe, padding optional) of 32 bytes."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("ascii")
        except UnicodeDecodeError:
            raise ValueError("密钥格式无效：应为 32 字节密钥的 base64 编码") from None
    if not isinstance(text, str):
        raise ValueError("密钥格式无效：应为 32 字节密钥的 base64 编码")
    try:
        key = _b64_decode_any(text.strip())
    except ValueError:
        raise ValueError("密钥格式无效：应为 32 字节密钥的 base64 编码") from None
    if len(key) != KEY_LENGTH:
        raise ValueError(f"密钥长度无效：解码后为 {len(key)} 字节，应为 {KEY_LENGTH} 字节")
    return key


def generate_key_text() -> str:
    """A new random 32-byte key as url-safe base64 text, for settings / environment."""
    return base64.urlsafe_b64encode(os.urandom(KEY_LENGTH)).decode("ascii")
