"""Time left on a deadline, as staff read it: 剩余 3 天 / 已逾期 2 天 / 今日到期."""
from __future__ import annotations

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def time_left(due, now=None):
    if due is None:
        return "—"
    now = now or timezone.now()
    days = (timezone.localtime(due).date() - timezone.localtime(now).date()).days
    if due < now:
        return f"已逾期 {-days} 天" if days < 0 else "已逾期"
    if days == 0:
        return "今日到期"
    return f"剩余 {days} 天"
