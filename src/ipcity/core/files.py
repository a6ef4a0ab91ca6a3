"""Content-addressed file storage: `store_file` (an action) and reading a stored file back."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from ipcity.core.actions import action, record
from ipcity.core.models import StoredFile


def _root() -> Path:
    return Path(settings.MEDIA_ROOT)


def file_path(stored: StoredFile) -> Path:
    return _root() / stored.relative_path


@action
def store_file(uploaded, *, acting_user, name: str | None = None, content_type: str = "",
               max_bytes: int | None = None) -> StoredFile:
    """Save an uploaded file (a Django UploadedFile or any binary file object) by content hash.

    The same bytes uploaded twice give the same StoredFile (the first name is kept). Size is limited by
    settings.IPCITY_UPLOAD_MAX_BYTES (files the platform generates itself may pass their own `max_bytes`); the file
    is written to a temporary name and renamed, so a failed upload leaves nothing behind.
    """
    limit = max_bytes or settings.IPCITY_UPLOAD_MAX_BYTES
    name = (name or getattr(uploaded, "name", "") or "未命名文件")[:255]
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
        existing = StoredFile.objects.filter(sha256=sha).first()
        if existing is not None:
            return existing
        stored = StoredFile(sha256=sha, size=size, original_name=name,
                            content_type=content_type or getattr(uploaded, "content_type", "") or "",
                            uploaded_by=acting_user if getattr(acting_user, "pk", None) else None)
        target = file_path(stored)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
        tmp = None
        stored.save()
        record("files.store", acting_user=acting_user, obj=stored, changes={"sha256": sha, "size": size})
        return stored
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def read_bytes(stored: StoredFile) -> bytes:
    return file_path(stored).read_bytes()
