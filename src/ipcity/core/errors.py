"""Error pages in Chinese; JSON for API paths."""
from django.http import JsonResponse
from django.shortcuts import render


def _json(code: str, message: str, status: int):
    return JsonResponse({"code": code, "message": message}, status=status, json_dumps_params={"ensure_ascii": False})


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return _json("not_found", "未找到该对象，或您无权查看", 404)
    return render(request, "error.html", {"title": "未找到", "message": "未找到该页面或对象，或您无权查看。"}, status=404)


def forbidden(request, exception=None):
    if request.path.startswith("/api/"):
        return _json("forbidden", "您没有执行此操作的权限", 403)
    return render(request, "error.html", {"title": "无权操作", "message": str(exception) if exception and str(exception) else "您没有执行此操作的权限。"}, status=403)


def server_error(request):
    if request.path.startswith("/api/"):
        return _json("server_error", "服务器内部错误，请稍后重试或联系系统管理员", 500)
    return render(request, "error.html", {"title": "服务器错误", "message": "服务器内部错误，请稍后重试或联系系统管理员。"}, status=500)


def csrf_failure(request, reason=""):
    return render(request, "error.html", {"title": "请求已过期", "message": "页面已过期或请求来源无法验证（CSRF 校验失败），请刷新页面后重试。"}, status=403)
