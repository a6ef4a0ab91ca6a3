"""The JSON API under /api/v1 (django-ninja). Each app contributes a router in its api.py.

Conventions: Chinese is not escaped; every error is {"code": stable_code, "message": 中文说明, "errors": [...]};
every endpoint declares the error statuses it can return (tests/test_api_contract.py runs schemathesis).
"""
from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

from ipcity.core.api_auth import BearerTokenAuth, SessionAuthWithCSRF


class ChineseJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False)


api = NinjaAPI(
    title="ipcity 知识产权强市一体化平台 API",
    version="1",
    description="会话（浏览器）或 Bearer 令牌（机器客户端）认证。错误统一返回 {code, message}。",
    auth=[SessionAuthWithCSRF(), BearerTokenAuth()],
    renderer=ChineseJSONRenderer(),
    urls_namespace="api-v1",
    openapi_url=None,  # served by openapi_view below, with Chinese unescaped
    docs_url=None,
)


def openapi_view(request):
    from django.http import JsonResponse

    return JsonResponse(api.get_openapi_schema(path_prefix="/api/v1/"), json_dumps_params={"ensure_ascii": False})


def error_body(code: str, message: str, errors: list | None = None) -> dict:
    body = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return body


def _loc(err: dict) -> str:
    return ".".join(str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload"))


@api.exception_handler(NinjaValidationError)
def on_invalid_input(request, exc):
    errors = [{"field": _loc(e), "message": e.get("msg", "")} for e in exc.errors]
    fields = "、".join(sorted({e["field"] for e in errors if e["field"]})) or "请求"
    return api.create_response(request, error_body("invalid_input", f"输入有误：{fields}", errors), status=422)


@api.exception_handler(DjangoValidationError)
def on_rule_violation(request, exc):
    if hasattr(exc, "message_dict"):
        errors = [{"field": f, "message": m} for f, ms in exc.message_dict.items() for m in ms]
    else:
        errors = [{"field": "", "message": m} for m in exc.messages]
    return api.create_response(request, error_body("invalid_input", "；".join(e["message"] for e in errors), errors),
                               status=422)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, error_body("unauthenticated", "请先登录或提供有效的 API 令牌"), status=401)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return api.create_response(request, error_body("forbidden", str(exc) or "您没有执行此操作的权限"), status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, error_body("not_found", "未找到该对象，或您无权查看"), status=404)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return api.create_response(request, error_body(getattr(exc, "code", "error"), str(exc.message)),
                               status=exc.status_code)


def _register_routers() -> None:
    from ipcity.core.api import router as core_router
    from ipcity.jobs.api import router as jobs_router
    from ipcity.orgs.api import router as orgs_router
    from ipcity.regions.api import router as regions_router
    from ipcity.workdays.api import router as workdays_router

    api.add_router("/", core_router)
    api.add_router("/regions", regions_router)
    api.add_router("/orgs", orgs_router)
    api.add_router("/workdays", workdays_router)
    api.add_router("/jobs", jobs_router)


_register_routers()
