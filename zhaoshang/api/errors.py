"""The API's one error shape: ``{"code": …, "message": <Chinese>, "fields": {<field>: [<messages>]}}``."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError

from zhaoshang.core import parsers
from zhaoshang.core.errors import DATABASE_UNAVAILABLE, ApplicationError, database_unavailable

logger = logging.getLogger("zhaoshang.api")

# Chinese messages for pydantic's error types; the rest fall back to a generic message.
_MESSAGES = {
    "missing": "此项为必填项",
    "string_too_short": "长度不能少于 {min_length} 个字符",
    "string_too_long": "长度不能超过 {max_length} 个字符",
    "string_type": "应为文本",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_digits": "数字位数过多",
    "decimal_max_places": "小数位数不能超过 {decimal_places} 位",
    "bool_parsing": "应为是/否",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式应为 ISO 8601",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "greater_than": "必须大于 {gt}",
    "less_than": "必须小于 {lt}",
    "enum": "取值无效，可选：{expected}",
    "literal_error": "取值无效，可选：{expected}",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "请求体格式有误",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "value_error": "{error}",
    "uuid_parsing": "应为 UUID",
    "too_long": "条目过多",
    "extra_forbidden": "不允许的字段",
}


def _message(error: dict) -> str:
    if error.get("type") == "greater_than_equal" and (error.get("ctx") or {}).get("ge") == 0:
        return parsers.NEGATIVE  # amounts, areas, counts: the words of the forms and the importers
    template = _MESSAGES.get(error.get("type", ""))
    if template is None:
        return "取值无效"
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return "取值无效"


def _field_name(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "file", "header", "cookie")]
    # Ninja puts the schema parameter's name first for bodies (``payload``); users know fields only.
    if len(parts) > 1 and parts[0] in ("payload", "data", "filters"):
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def error_body(code: str, message: str, fields: dict | None = None, **extra) -> dict:
    return {"code": code, "message": message, "fields": fields or {}, **extra}


def install(api) -> None:
    @api.exception_handler(ApplicationError)
    def application_error(request, exc: ApplicationError):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(_field_name(error.get("loc", ())), []).append(_message(error))
        return api.create_response(request, error_body("invalid", "提交的数据有误", fields), status=422)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        return api.create_response(request, error_body("unauthenticated", "请先登录或提供有效的接口令牌"), status=401)

    @api.exception_handler(AuthorizationError)
    def authorization_error(request, exc):
        return api.create_response(request, error_body("forbidden", "您没有执行此操作的权限"), status=403)

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        response = api.create_response(request, error_body("rate_limited", "请求过于频繁，请稍后再试"), status=429)
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait))
        return response

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        message = f"请求体过大，上限为 {limit / (1024 * 1024):.1f} MB；文件请用导入接口上传"
        return api.create_response(request, error_body("too_large", message), status=413)

    @api.exception_handler(TooManyFieldsSent)
    def too_many_fields(request, exc):
        return api.create_response(request, error_body("bad_request", "请求中的字段过多"), status=400)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, error_body("not_found", "记录不存在或不在您的数据范围内"), status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        code = {400: "bad_request", 405: "method_not_allowed"}.get(exc.status_code, "error")
        message = {400: "请求格式有误", 405: "不支持该请求方法"}.get(exc.status_code, "请求无法处理")
        return api.create_response(request, error_body(code, message), status=exc.status_code)

    @api.exception_handler(Exception)
    def unexpected(request, exc: Exception):
        logger.exception("unhandled API error", exc_info=exc)
        if database_unavailable(exc):
            response = api.create_response(
                request, error_body("database_unavailable", DATABASE_UNAVAILABLE), status=503
            )
            response["Retry-After"] = "30"
            return response
        return api.create_response(
            request,
            error_body(
                "server_error",
                "服务器内部错误，已记录，请联系管理员",
                request_id=getattr(request, "request_id", ""),
            ),
            status=500,
        )
