"""Content-addressed file storage: `store_file` (an action) and reading a stored file back."""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ipcity.core.actions import action, record
from ipcity.core.models import StoredFile


def _root() -> Path:
    return Path(settings.MEDIA_ROOT)


def file_path(stored: StoredFile) -> Path:
    return _root() / stored.relative_path


def write_blob(uploaded, *, name: str, max_bytes: int | None = None) -> tuple[str, int]:
    """Write a file's bytes to its content-addressed place (files/ab/cd/<sha256>) and return (sha256, size), without
    a StoredFile row: the caller records one (store_file does; a batch registers many at once). `uploaded` is a file
    object or bytes. The bytes go to a temporary name first and are renamed, so a failure leaves nothing behind."""
    limit = max_bytes or settings.IPCITY_UPLOAD_MAX_BYTES
    if isinstance(uploaded, bytes | bytearray):
        if len(uploaded) > limit:
            raise ValidationError(f"文件「{name}」超过大小上限 {limit // (1024 * 1024)} MB", code="file_too_large")
        sha = hashlib.sha256(uploaded).hexdigest()
        if (_root() / StoredFile(sha256=sha).relative_path).exists():
            return sha, len(uploaded)  # the same bytes are already there
        uploaded = io.BytesIO(uploaded)
    digest, size = hashlib.sha256(), 0
    _root().mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=_root(), prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            chunks = uploaded.chunks() if hasattr(uploaded, "chunks") else iter(lambda: uploaded.read(1 << 20), b"")
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise ValidationError(f"文件「{name}」超过大小上限 {limit // (1024 * 1024)} MB",
                                          code="file_too_large")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ValidationError(f"文件「{name}」是空文件", code="empty_file")
        sha = digest.hexdigest()
        target = _root() / StoredFile(sha256=sha).relative_path
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
        tmp = None
        return sha, size
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


@action
def store_file(uploaded, *, acting_user, name: str | None = None, content_type: str = "",
               max_bytes: int | None = None) -> StoredFile:
    """Save an uploaded file (a Django UploadedFile or any binary file object) by content hash.

    The same bytes uploaded twice give the same StoredFile (the first name is kept). Size is limited by
    settings.IPCITY_UPLOAD_MAX_BYTES (files the platform generates itself may pass their own `max_bytes`).
    """
    name = (name or getattr(uploaded, "name", "") or "未命名文件")[:255]
    sha, size = write_blob(uploaded, name=name, max_bytes=max_bytes)
    existing = StoredFile.objects.filter(sha256=sha).first()
    if existing is not None:
        return existing
    stored = StoredFile(sha256=sha, size=size, original_name=name,
                        content_type=content_type or getattr(uploaded, "content_type", "") or "",
                        uploaded_by=acting_user if getattr(acting_user, "pk", None) else None)
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:
        # The same bytes stored by a concurrent request that committed first: same content, same file.
        return StoredFile.objects.get(sha256=sha)
    record("files.store", acting_user=acting_user, obj=stored, changes={"sha256": sha, "size": size})
    return stored


def read_bytes(stored: StoredFile) -> bytes:
    return file_path(stored).read_bytes()
