"""What the settings alone cannot say: the Content-Security-Policy and Cache-Control headers, parameters no database can
store, and the client's address."""

from django.conf import settings
from django.http import HttpRequest, HttpResponseBadRequest


class RefuseNulMiddleware:
    """A NUL character in a query or form parameter is answered with 400: PostgreSQL refuses it in any
    text it is asked to compare or store, and the request would end in a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        for params in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
            if any("\x00" in key or "\x00" in value for key, values in params.lists() for value in values):
                return HttpResponseBadRequest("请求中含有不允许的字符（NUL），请检查后重试。".encode())
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Sends settings.CONTENT_SECURITY_POLICY with every response (Django 5.2 has no CSP of its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # Task data and downloads stay out of shared and browser caches (a clerk's PC is shared).
            response.headers["Cache-Control"] = "no-store, private"
        return response


def client_ip(request: HttpRequest) -> str:
    """The address login throttling counts failures for. Behind nginx every request comes from nginx, so
    the address nginx puts in X-Real-IP is used, and only then: otherwise a client could choose its own."""
    if settings.BEHIND_PROXY and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"]
    return request.META.get("REMOTE_ADDR", "")
