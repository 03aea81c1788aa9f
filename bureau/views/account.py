"""/account/: one's own name, phone, email and which channels notify; the password change that ends a
one-time password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..access import membership_of
from ..forms import OneTimePasswordChangeForm, ProfileForm
from ..models import Membership


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, user=user)
    if form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            user.first_name, user.email = data["name"], data["email"]
            user.save(update_fields=["first_name", "email"])
            membership = membership_of(user)
            if membership is not None:
                membership.phone = data["phone"]
                membership.email_notifications = data["email_notifications"]
                membership.robot_mentions = data["robot_mentions"]
                membership.save(update_fields=["phone", "email_notifications", "robot_mentions"])
        messages.success(request, "个人设置已保存。")
        return redirect("account")
    status = 400 if request.method == "POST" else 200
    return render(request, "bureau/account.html", {"form": form}, status=status)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own, and a password chosen this way ends the one-time one: the flag is cleared. While
    the flag is set, the one-time password itself is refused as the new one."""

    form_class = OneTimePasswordChangeForm

    def get_form_kwargs(self):
        membership = membership_of(self.request.user)
        return {**super().get_form_kwargs(), "one_time": membership is not None and membership.must_change_password}

    def form_valid(self, form):
        response = super().form_valid(form)
        Membership.objects.filter(user=self.request.user, must_change_password=True).update(must_change_password=False)
        return response


password_change = PasswordChangeView.as_view()
