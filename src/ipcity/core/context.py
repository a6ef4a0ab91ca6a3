"""Per-request facts the audit log needs (client IP) without threading the request through every action."""
from __future__ import annotations

import contextvars

client_ip: contextvars.ContextVar[str] = contextvars.ContextVar("client_ip", default="")
