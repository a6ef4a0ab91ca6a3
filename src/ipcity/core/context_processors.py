from ipcity.core.navigation import sections_for


def platform(request):
    user = getattr(request, "user", None)
    return {
        "platform_name": "知识产权强市一体化平台",
        "nav_sections": sections_for(user) if user is not None and user.is_authenticated else [],
    }
