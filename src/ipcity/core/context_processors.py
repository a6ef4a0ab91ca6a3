import time

from ipcity.core.navigation import sections_for

_demo_cache = {"at": 0.0, "value": False}


def _demo_mode() -> bool:
    """Whether this installation holds generated demo data (checked at most once a minute per process)."""
    now = time.monotonic()
    if now - _demo_cache["at"] > 60:
        from ipcity.orgs.models import Organisation

        _demo_cache.update(at=now, value=Organisation.objects.filter(is_demo=True).exists())
    return _demo_cache["value"]


def _active(sections, path: str) -> str | None:
    """The section whose page the request is in (longest matching URL prefix)."""
    matches = [(len(prefix), s.slug) for s in sections for prefix in (s.href, *s.also) if path.startswith(prefix)]
    return max(matches)[1] if matches else None


def platform(request):
    user = getattr(request, "user", None)
    sections = sections_for(user) if user is not None and user.is_authenticated else []
    return {
        "platform_name": "知识产权强市一体化平台",
        "nav_sections": sections,
        "nav_active": _active(sections, request.path),
        "demo_mode": _demo_mode(),
    }
