"""Before any page: a person given a one-time password chooses their own first."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse

from .access import membership_of


class MustChangePasswordMiddleware:
    """Sends a user whose membership says must_change_password to the password change page, with a notice.
    The change page itself, signing out, static and media files pass; so does the API, which signs in with
    tokens, not this password."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        membership = membership_of(user) if user is not None else None
        if membership is not None and membership.must_change_password and not self._passes(request.path_info):
            messages.warning(request, "您正在使用管理员发放的一次性密码，请先设置自己的新密码。")
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _passes(path: str) -> bool:
        allowed = [reverse("password_change"), reverse("password_change_done"), reverse("logout"), "/api/"]
        allowed += [f"/{prefix.strip('/')}/" for prefix in (settings.STATIC_URL, settings.MEDIA_URL) if prefix]
        return any(path.startswith(prefix) for prefix in allowed)
