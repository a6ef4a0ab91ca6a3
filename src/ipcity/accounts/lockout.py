"""Login lockout policy for django-axes, read from the Rule table (等保: lock after repeated failures)."""
from __future__ import annotations

import datetime as dt

from django.shortcuts import render

from ipcity.core.rules import declare

FAILURE_LIMIT = declare("accounts.login_failure_limit", 5, "连续登录失败多少次后锁定账户")
COOLOFF_MINUTES = declare("accounts.lockout_minutes", 30, "账户锁定时长（分钟）")


def failure_limit(request, credentials) -> int:
    return int(FAILURE_LIMIT.get())


def cooloff_time(request=None) -> dt.timedelta:
    return dt.timedelta(minutes=int(COOLOFF_MINUTES.get()))


def lockout_response(request, original_response=None, credentials=None, *args, **kwargs):
    minutes = int(COOLOFF_MINUTES.get())
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"code": "account_locked", "message": f"登录失败次数过多，账户已锁定 {minutes} 分钟"},
                            status=429, json_dumps_params={"ensure_ascii": False})
    return render(request, "accounts/locked.html", {"minutes": minutes}, status=429)
