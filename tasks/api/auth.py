"""Personal access tokens (`Authorization: Bearer dbn_…`), a rate limit per user, and the API's errors in
Chinese."""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.security import HttpBearer
from ninja.throttling import UserRateThrottle

from bureau.tokens import token_expired_at, token_for_key

NOT_ACCEPTED = "访问令牌无效或已撤销"
EXPIRED = "访问令牌已过期（到期时间 {at:%Y-%m-%d %H:%M}）"
NOT_GIVEN = "缺少访问令牌：请在请求头中提供 Authorization: Bearer <令牌>（在“访问令牌”页面创建）。"


class TokenAuth(HttpBearer):
    """A usable token's owner becomes `request.user` for the access checks; sessions are not accepted, so
    the API has no CSRF to ask about."""

    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header, "")
        scheme, _, key = header.partition(" ")
        if not header:
            raise AuthenticationError(401, NOT_GIVEN)
        if scheme.lower() != "bearer" or not key.strip():
            raise AuthenticationError(401, NOT_ACCEPTED)
        return self.authenticate(request, key.strip())

    def authenticate(self, request: HttpRequest, token: str):
        access_token = token_for_key(token)
        if access_token is None:
            expired_at = token_expired_at(token)
            if expired_at is not None:
                raise AuthenticationError(401, EXPIRED.format(at=timezone.localtime(expired_at)))
            raise AuthenticationError(401, NOT_ACCEPTED)
        request.user = access_token.user
        return access_token


def _per_thread(name: str) -> property:
    return property(lambda self: getattr(self._state, name), lambda self, value: setattr(self._state, name, value))


class UserRate(UserRateThrottle):
    """settings.API_RATE_LIMIT per user, all their tokens together, counted in the shared cache (Redis when
    CACHE_URL is set, so every app server counts the same requests). Read per request, so that a changed
    setting (or a test's) applies at once."""

    # ninja keeps one throttle for every request and notes the request's count on it: per thread, so that
    # a threaded server's requests do not count against each other's users.
    _state = threading.local()
    key, history, now = _per_thread("key"), _per_thread("history"), _per_thread("now")

    def __init__(self) -> None:
        super().__init__(rate=settings.API_RATE_LIMIT)

    def allow_request(self, request: HttpRequest) -> bool:
        if self.rate != settings.API_RATE_LIMIT:
            self.rate = settings.API_RATE_LIMIT
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


# Pydantic's messages are English: the common ones in Chinese, the rest as pydantic words them.
MESSAGES = {
    "missing": "必填",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为字符串",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "list_type": "应为数组",
    "model_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "json_invalid": "不是有效的 JSON",
    "literal_error": "不在可选值之内：{expected}",
    "enum": "不在可选值之内：{expected}",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}",
    "string_too_long": "最多 {max_length} 个字符",
    "string_too_short": "至少 {min_length} 个字符",
    "too_long": "最多 {max_length} 项",
    "finite_number": "应为有限的数字",
}
NINJA_MESSAGES = {"Cannot parse request body": "请求体不是有效的 JSON，无法解析。"}
PLACES = {"query": "查询参数", "path": "路径参数", "body": "请求体", "header": "请求头", "form": "表单"}


def chinese_errors(errors: list[dict]) -> list[dict]:
    """Each error's place, field and message in Chinese; pydantic's type kept for programs."""
    result = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        template = MESSAGES.get(error.get("type", ""))
        try:
            message = template.format(**(error.get("ctx") or {})) if template else str(error.get("msg", ""))
        except (KeyError, IndexError):
            message = str(error.get("msg", ""))
        # ninja puts the parameters' schema in the place ("query", "filters", "plan"): the schema's name is noise.
        place = PLACES.get(loc[0], loc[0]) if loc else ""
        fields = [part for part in loc[1:] if part not in {"filters", "page", "payload"}]
        result.append({"location": place, "field": ".".join(fields), "message": message, "type": error.get("type")})
    return result


def install_error_handlers(api: NinjaAPI) -> None:
    """Every refusal as JSON with a Chinese `detail`, never a 500 for bad input."""

    def respond(request, detail: str, status: int, **extra) -> HttpResponse:
        return api.create_response(request, {"detail": detail, **extra}, status=status)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc):
        response = respond(request, exc.message if exc.message != "Unauthorized" else NOT_GIVEN, 401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        wait = f"请 {int(exc.wait) + 1} 秒后再试" if exc.wait is not None else "请稍后再试"
        return respond(request, f"请求过于频繁，已超过每个用户 {settings.API_RATE_LIMIT} 的限制，{wait}。", 429)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        # ninja's own refusals are English; ours (409) are Chinese already.
        message = next((zh for en, zh in NINJA_MESSAGES.items() if exc.message.startswith(en)), exc.message)
        return respond(request, message, exc.status_code)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        errors = chinese_errors(exc.errors)
        summary = "；".join(f"{e['field'] or e['location']}：{e['message']}" for e in errors)
        return respond(request, f"参数不正确：{summary}", 422, errors=errors)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, "对象不存在或不在您的查看范围内。", 404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return respond(request, str(exc) or "您没有权限进行此操作。", 403)
