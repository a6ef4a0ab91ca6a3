"""Checks and normalisation shared by every intake channel (web form, staff entry, API, import): rights numbers,
contact details, attachment types. Pure functions raising Django ValidationError with Chinese messages."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from ipcity.core.validators import (
    normalize_application_number,
    validate_mobile,
    validate_uscc,
)

# 商标注册号: up to 9 digits; international registrations designating China carry a "G" prefix.
_TRADEMARK_RE = re.compile(r"G?\d{1,9}")
_LANDLINE_RE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def normalise_right(kind: str, raw: str) -> str:
    """The canonical number of a right: a patent's application number with a verified check digit (ZL/CN prefixes
    accepted), a trademark registration number; other kinds are kept as written (trimmed)."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text:
        raise ValidationError("请填写权利的号码", code="empty")
    if kind == "patent":
        return normalize_application_number(text)
    if kind == "trademark":
        compact = re.sub(r"[\s第号]", "", text).upper()
        if not _TRADEMARK_RE.fullmatch(compact):
            raise ValidationError(f"商标注册号格式错误：「{raw}」，应为 1–9 位数字（马德里国际注册可加前缀 G）",
                                  code="invalid_trademark")
        return compact
    return text[:60]


def normalise_phone(raw: str) -> str:
    """A mobile number (11 digits, +86 accepted) or a landline with its area code (0530-1234567)."""
    text = unicodedata.normalize("NFKC", raw or "").strip().replace(" ", "")
    if not text:
        return ""
    if text.startswith("0") and _LANDLINE_RE.fullmatch(text):
        return text
    return validate_mobile(text)


def normalise_email(raw: str) -> str:
    text = (raw or "").strip()
    if text and not _EMAIL_RE.fullmatch(text):
        raise ValidationError(f"电子邮箱格式错误：「{raw}」", code="invalid_email")
    return text


def normalise_uscc(raw: str) -> str:
    return validate_uscc(raw) if (raw or "").strip() else ""


def respondent_key(name: str, uscc: str = "", platform: str = "", shop_id: str = "") -> str:
    """One key per respondent for duplicate detection: the USCC when known, else platform + shop id, else the name
    without spaces, brackets or the common company suffixes."""
    if uscc:
        return f"uscc:{uscc}"
    if platform and shop_id:
        return f"shop:{_squash(platform)}:{_squash(shop_id)}"
    name = _squash(name)
    for suffix in ("有限责任公司", "股份有限公司", "有限公司", "公司", "旗舰店", "专营店", "专卖店"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return f"name:{name}"[:64]


def _squash(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return re.sub(r"[\s()（）【】\[\]·.\-_]", "", text)


# --- attachments -------------------------------------------------------------------------------------------------

# What evidence may be: documents, pictures, audio/video, archives. Decided from the content, never the name.
ALLOWED_TYPES = {
    "pdf": "PDF 文档", "jpeg": "JPEG 图片", "png": "PNG 图片", "gif": "GIF 图片", "webp": "WebP 图片",
    "zip": "ZIP/Office 文档", "mp4": "MP4 视频", "mp3": "MP3 音频", "text": "纯文本",
}
MAX_ATTACHMENTS = 10


def sniff_type(head: bytes) -> str | None:
    """The type of a file from its first bytes (magic numbers), or None when it is none of ALLOWED_TYPES."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "mp3"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # the head may end inside a multi-byte character
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return None
    if text and all(c.isprintable() or c in "\r\n\t" for c in text):
        return "text"
    return None


def check_attachment(name: str, content: bytes, max_bytes: int) -> str:
    """The detected type of an attachment, or a ValidationError saying why it is refused."""
    if not content:
        raise ValidationError(f"附件「{name}」是空文件", code="empty_file")
    if len(content) > max_bytes:
        raise ValidationError(f"附件「{name}」超过大小上限 {max_bytes // (1024 * 1024)} MB", code="file_too_large")
    kind = sniff_type(content[:512])
    if kind is None:
        raise ValidationError(f"附件「{name}」的文件类型不受支持（仅接受 {'、'.join(ALLOWED_TYPES.values())}）",
                              code="file_type")
    return kind


# --- validated input -----------------------------------------------------------------------------------------------


@dataclass
class RightInput:
    kind: str
    number: str  # normalised
    raw: str = ""


@dataclass
class AttachmentInput:
    name: str
    content: bytes
    detected_type: str


@dataclass
class SubmissionInput:
    """One submission as every channel hands it to `actions.submit`, already checked field by field."""

    kinds: list[str]  # "complaint" and/or "report"
    ip_type: str
    submitter_type: str
    respondent_kind: str
    respondent_name: str
    facts: str
    region_code: str = ""
    submitter_name: str = ""
    submitter_phone: str = ""
    submitter_id_number: str = ""
    submitter_email: str = ""
    submitter_address: str = ""
    submitter_org_name: str = ""
    submitter_uscc: str = ""
    respondent_uscc: str = ""
    respondent_platform: str = ""
    respondent_shop_id: str = ""
    respondent_shop_url: str = ""
    respondent_fair: str = ""
    respondent_booth: str = ""
    respondent_address: str = ""
    demands: str = ""
    external_reference: str = ""
    rights: list[RightInput] = field(default_factory=list)
    attachments: list[AttachmentInput] = field(default_factory=list)

    def problems(self) -> dict[str, str]:
        """Cross-field rules (第九、十条 of the complaint rules): a complaint names its complainant and how to reach
        them, and the right it relies on; only a report may be anonymous."""
        errors: dict[str, str] = {}
        if not self.kinds:
            errors["kinds"] = "请至少选择“投诉”或“举报”之一"
        if "complaint" in self.kinds:
            if self.submitter_type == "anonymous":
                errors["submitter.type"] = "投诉须实名提交（匿名只能举报）"
            if not self.submitter_name:
                errors["submitter.name"] = "投诉须填写投诉人（联系人）姓名"
            if not self.submitter_phone:
                errors["submitter.phone"] = "投诉须填写联系电话"
            if not self.rights:
                errors["rights"] = "投诉须写明所依据的知识产权（专利号、商标注册号等）"
        if self.submitter_type == "organisation" and not self.submitter_org_name:
            errors["submitter.organisation_name"] = "单位提交须填写单位名称"
        if self.respondent_kind == "online_shop" and not (self.respondent_platform and self.respondent_shop_id):
            errors["respondent.shop_id"] = "网店须填写所在电商平台和店铺编号"
        if self.respondent_kind == "trade_fair_booth" and not (self.respondent_fair and self.respondent_booth):
            errors["respondent.booth"] = "展会展位须填写展会名称和展位号"
        return errors
