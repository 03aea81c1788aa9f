"""What the settings alone cannot say: the Content-Security-Policy and Cache-Control headers, parameters no database can
store, and the client's address."""

import ipaddress

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
    the address nginx puts in X-Real-IP is used, but only when the request comes from an address in
    settings.BEHIND_PROXY: a client reaching gunicorn directly could otherwise choose its own."""
    remote = _ip_address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return ""
    if any(remote in ipaddress.ip_network(proxy, strict=False) for proxy in settings.BEHIND_PROXY):
        forwarded = _ip_address(request.META.get("HTTP_X_REAL_IP", ""))
        if forwarded is not None:
            return str(forwarded)
    return str(remote)


def _ip_address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """value as an address (an IPv4 address mapped into IPv6 as plain IPv4), or None if it is none: django-axes
    stores it in an address column, which PostgreSQL refuses anything else for."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
