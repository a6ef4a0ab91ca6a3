from __future__ import annotations

import uuid
from typing import Any

from ninja import Router, Schema

from ipcity.core.api_schemas import DETAIL_ERRORS
from ipcity.core.scoping import get_visible_or_404
from ipcity.jobs.models import Job

router = Router(tags=["后台任务"])


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    status: str
    percent: int
    progress_done: int
    progress_total: int
    message: str
    result: Any = None


@router.get("/{uuid:job_id}", response={200: JobOut, **DETAIL_ERRORS}, summary="任务进度")
def get_job(request, job_id: uuid.UUID):
    return get_visible_or_404(Job, request.auth, pk=job_id)
