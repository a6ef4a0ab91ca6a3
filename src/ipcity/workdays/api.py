from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field, field_validator

from ipcity.core.api_schemas import PUBLIC_ERRORS
from ipcity.core.scoping import visible
from ipcity.workdays.calendar import current_calendar
from ipcity.workdays.engine import CalendarNotPublished, Unit, compute_due
from ipcity.workdays.models import CalendarDay

router = Router(tags=["工作日与期限"])


class DueQuery(Schema):
    start: dt.datetime = Field(..., description="起算时间（收到之日），ISO 8601；不带时区按北京时间")
    amount: int = Field(..., ge=0, le=3650)
    unit: Unit

    @field_validator("start")
    @classmethod
    def _supported_years(cls, value: dt.datetime) -> dt.datetime:
        # Same range as YearQuery; outside it the zone has no sane offset (LMT +08:05:43) and dates can overflow.
        if not 1990 <= value.year <= 2100:
            raise ValueError("起算时间须在 1990 年至 2100 年之间")
        return value


class DueOut(Schema):
    start: dt.datetime
    amount: int
    unit: Unit
    due: dt.datetime
    due_date: dt.date
    provisional: bool


class DayOut(Schema):
    date: dt.date
    is_workday: bool
    name: str


class YearQuery(Schema):
    year: int = Field(..., ge=1990, le=2100)


@router.get("/due", response={200: DueOut, **PUBLIC_ERRORS}, auth=None, summary="计算期限届满时间（公开）")
def due(request, query: Query[DueQuery]):
    start = query.start if timezone.is_aware(query.start) else timezone.make_aware(query.start)
    try:
        result = compute_due(timezone.localtime(start), query.amount, query.unit, current_calendar())
    except CalendarNotPublished as exc:
        raise HttpError(422, str(exc)) from exc
    return DueOut(start=start, amount=query.amount, unit=query.unit, due=result.due, due_date=result.due_date,
                  provisional=result.provisional)


@router.get("/days", response={200: list[DayOut], **PUBLIC_ERRORS}, auth=None, summary="某年的节假日与调休（公开）")
def days(request, query: Query[YearQuery]):
    return list(visible(CalendarDay, request.user).filter(date__year=query.year))
