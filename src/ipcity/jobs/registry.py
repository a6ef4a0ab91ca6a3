"""Job kinds: `@job_kind("workdays.recompute", "重新计算未届满期限")` on a function `(job, progress, **params)`."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class JobKind:
    name: str
    title: str
    func: Callable


_kinds: dict[str, JobKind] = {}


def job_kind(name: str, title: str):
    def decorator(func):
        _kinds[name] = JobKind(name, title, func)
        return func

    return decorator


def get_kind(name: str) -> JobKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"未知的任务类型：{name}") from None


def kinds() -> dict[str, JobKind]:
    return dict(_kinds)
