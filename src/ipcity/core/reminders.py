"""In-app reminders on the home page. Modules register a source: `@reminder_source` on a function
(user, today) -> list[Reminder]; the home page shows them all, most urgent first."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Reminder:
    title: str
    detail: str
    url: str
    due: dt.datetime | None
    overdue: bool


_sources: list[Callable] = []


def reminder_source(func: Callable) -> Callable:
    _sources.append(func)
    return func


def reminders_for(user, today: dt.date, limit: int = 20) -> list[Reminder]:
    found: list[Reminder] = []
    for source in _sources:
        found.extend(source(user, today))
    far = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
    found.sort(key=lambda r: (not r.overdue, r.due or far))
    return found[:limit]
