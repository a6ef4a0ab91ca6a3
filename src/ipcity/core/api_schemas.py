"""Schemas shared by every router: the error body and the declared error statuses."""
from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import StringConstraints

# Text input, declared NUL-free in the OpenAPI document; ipcity.api.NulRefusingParser enforces it for every query
# string and JSON body (with a Chinese message) because PostgreSQL text cannot hold NUL characters.
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[FieldError] | None = None


# Every authenticated endpoint can answer these.
AUTH_ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
DETAIL_ERRORS = {**AUTH_ERRORS, 404: ErrorOut}
PUBLIC_ERRORS = {422: ErrorOut}


