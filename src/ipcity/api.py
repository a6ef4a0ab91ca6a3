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
from ninja.parser import Parser
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

from ipcity.core.api_auth import BearerTokenAuth, SessionAuthWithCSRF


class ChineseJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False)


def _nul_errors(value, loc: tuple) -> list[dict]:
    if isinstance(value, str):
        return [{"loc": loc, "msg": "不能包含空字符（\\x00）"}] if "\x00" in value else []
    if isinstance(value, dict):
        return [e for key, item in value.items() for e in _nul_errors(item, (*loc, key))]
    if isinstance(value, list):
        return [e for i, item in enumerate(value) for e in _nul_errors(item, (*loc, i))]
    return []


class NulRefusingParser(Parser):
    """Refuses NUL characters in query strings and JSON bodies with 422 (as Django's form fields do): PostgreSQL
    text and jsonb cannot hold them, so they would otherwise end in a DataError (500) in a lookup, a save or the
    audit row. Text fields also declare this in the OpenAPI document (api_schemas.Text)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if errors := _nul_errors(data, ("body",)):
            raise NinjaValidationError(errors)  # ninja wraps this in HttpError(400); on_http_error unwraps it
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        if errors := _nul_errors(result, ("query",)):
            raise NinjaValidationError(errors)
        return result


api = NinjaAPI(
    title="ipcity 知识产权强市一体化平台 API",
    version="1",
    description="会话（浏览器）或 Bearer 令牌（机器客户端）认证。错误统一返回 {code, message}。",
    auth=[SessionAuthWithCSRF(), BearerTokenAuth()],
    renderer=ChineseJSONRenderer(),
    parser=NulRefusingParser(),
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


# Pydantic's messages are English: each error type gets a Chinese message (ctx values filled in).
_PYDANTIC_MESSAGES = {
    "missing": "此项必填",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "不能超过 {max_length} 个字符",
    "too_short": "至少 {min_length} 项",
    "too_long": "不能超过 {max_length} 项",
    "literal_error": "取值必须是 {expected} 之一",
    "enum": "取值必须是 {expected} 之一",
    "string_pattern_mismatch": "格式不正确",
    "string_type": "应为文本",
    "int_type": "应为整数", "int_parsing": "应为整数", "int_from_float": "应为整数",
    "float_type": "应为数字", "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false", "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表", "dict_type": "应为对象", "model_type": "应为对象", "model_attributes_type": "应为对象",
    "greater_than_equal": "不能小于 {ge}", "greater_than": "必须大于 {gt}",
    "less_than_equal": "不能大于 {le}", "less_than": "必须小于 {lt}",
    "date_parsing": "日期格式应为 YYYY-MM-DD", "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式应为 ISO 8601", "datetime_from_date_parsing": "时间格式应为 ISO 8601",
    "datetime_type": "时间格式应为 ISO 8601",
    "json_invalid": "不是有效的 JSON", "extra_forbidden": "不允许的字段", "url_parsing": "不是有效的网址",
}


def chinese_message(error: dict) -> str:
    """The Chinese message of one pydantic/ninja error: our own validators' text (ValueError) as it is."""
    kind = error.get("type", "")
    msg = error.get("msg", "")
    if kind in ("value_error", "assertion_error"):
        return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    template = _PYDANTIC_MESSAGES.get(kind)
    if template is None:
        return msg if any("\u4e00" <= ch <= "\u9fff" for ch in msg) else f"输入有误（{msg}）"
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return template


@api.exception_handler(NinjaValidationError)
def on_invalid_input(request, exc):
    errors = [{"field": _loc(e), "message": chinese_message(e)} for e in exc.errors]
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


# Stable codes for HttpErrors raised without one (by handlers or by ninja itself).
HTTP_ERROR_CODES = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 422: "invalid_input"}


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    if isinstance(exc.__cause__, NinjaValidationError):  # raised by NulRefusingParser.parse_body
        return on_invalid_input(request, exc.__cause__)
    if exc.status_code == 400:  # ninja: "Cannot parse request body" — input error like any other (422)
        return api.create_response(request, error_body("invalid_input", "请求体不是有效的 JSON"), status=422)
    code = getattr(exc, "code", None) or HTTP_ERROR_CODES.get(exc.status_code, "error")
    return api.create_response(request, error_body(code, str(exc.message)), status=exc.status_code)


def _register_routers() -> None:
    from ipcity.core.api import router as core_router
    from ipcity.jobs.api import router as jobs_router
    from ipcity.orgs.api import router as orgs_router
    from ipcity.plans.api import router as plans_router
    from ipcity.protection.api import router as protection_router
    from ipcity.regions.api import router as regions_router
    from ipcity.search.api import router as search_router
    from ipcity.workdays.api import router as workdays_router

    api.add_router("/", core_router)
    api.add_router("/regions", regions_router)
    api.add_router("/orgs", orgs_router)
    api.add_router("/workdays", workdays_router)
    api.add_router("/jobs", jobs_router)
    api.add_router("/", plans_router)
    api.add_router("/", search_router)
    api.add_router("/", protection_router)


_register_routers()
