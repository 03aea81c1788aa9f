"""What the settings alone cannot say: the Content-Security-Policy header, and the client's address."""

from django.conf import settings
from django.http import HttpRequest


class ContentSecurityPolicyMiddleware:
    """Sends settings.CONTENT_SECURITY_POLICY with every response (Django 5.2 has no CSP of its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


def client_ip(request: HttpRequest) -> str:
    """The address login throttling counts failures for. Behind nginx every request comes from nginx, so
    the address nginx puts in X-Real-IP is used, and only then: otherwise a client could choose its own."""
    if settings.BEHIND_PROXY and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"]
    return request.META.get("REMOTE_ADDR", "")
