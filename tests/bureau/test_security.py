"""Production settings, the Content-Security-Policy, login throttling and password rules."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from bureau.models import Membership
from tests.helpers import log_in, make_bureau, make_user


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A clean environment: not the test run's database, nor the browser tests' async switch.
    dropped = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_check_is_clean_in_production():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="duban.example.gov.cn",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_is_off_unless_the_environment_turns_it_on():
    code = "from django.conf import settings as s; print(s.DEBUG)"
    result = _manage("shell", "--no-imports", "-c", code, SECRET_KEY=secrets.token_urlsafe(50))
    assert result.stdout.split()[-1:] == ["False"], result.stdout + result.stderr


def test_production_settings_are_secure():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = _manage("shell", "--no-imports", "-c", code, DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50))
    assert result.stdout.split()[-4:] == ["True", "True", "True", "True"], result.stdout + result.stderr


@pytest.mark.django_db
def test_every_page_forbids_inline_scripts_and_styles(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_no_template_carries_inline_script_or_style():
    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "style=" not in text, path
        assert " on" + "click=" not in text, path
        for tag in text.split("<script")[1:]:
            assert "src=" in tag.split(">", 1)[0], f"{path}: inline <script>"


@pytest.mark.django_db
class TestLoginThrottling:
    def setup_method(self):
        self.user = make_user("wang", bureau=make_bureau(), role=Membership.Role.LEADER)

    def test_five_wrong_passwords_lock_the_name_even_for_the_right_one(self, client):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            response = client.post(reverse("login"), {"username": "wang", "password": "wrong"})
            assert response.status_code == 200
            assert "请输入一个正确的" in response.content.decode() or "不正确" in response.content.decode()
        response = client.post(reverse("login"), {"username": "wang", "password": "wrong"})
        assert response.status_code == 429
        assert "已暂停登录 15 分钟" in response.content.decode()
        assert not log_in(client, "wang", "pw")

    def test_a_success_clears_the_count(self, client):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            client.post(reverse("login"), {"username": "wang", "password": "wrong"})
        assert log_in(client, "wang", "pw")
        client.post(reverse("logout"))
        client.post(reverse("login"), {"username": "wang", "password": "wrong"})
        assert log_in(client, "wang", "pw")

    def test_another_name_is_not_locked(self, client):
        make_user("li", bureau=make_bureau(), role=Membership.Role.LEADER)
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("login"), {"username": "wang", "password": "wrong"})
        assert log_in(client, "li", "pw")


@pytest.mark.django_db
def test_a_weak_new_password_is_refused_in_chinese(client):
    user = make_user("zhao", bureau=make_bureau(), role=Membership.Role.LEADER)
    client.force_login(user)
    response = client.post(
        reverse("password_change"), {"old_password": "pw", "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "密码全是数字" in page or "过于常见" in page
    user.refresh_from_db()
    assert user.check_password("pw")


@pytest.mark.django_db
def test_a_strong_new_password_is_saved(client):
    user = make_user("zhao", bureau=make_bureau(), role=Membership.Role.LEADER)
    client.force_login(user)
    new = "督办-Strong-2026!"
    response = client.post(
        reverse("password_change"), {"old_password": "pw", "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["/tasks/", "/admin/tasks/task/"])
def test_a_nul_character_in_a_parameter_is_a_400_not_a_500(client, django_user_model, where):
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    response = client.get(where, {"q": "推进\x00工作"})
    assert response.status_code == 400 and "NUL" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("period", ["0000-01", "9999-12", "2024-13", "abc"])
def test_a_bulletin_period_outside_the_calendar_is_a_400(client, personas, period):
    from tests.helpers import make_plan

    plan = make_plan(personas.bureau)
    client.force_login(personas.leader)
    response = client.get(reverse("plans:bulletin", args=[plan.pk]), {"period": period})
    assert response.status_code == 400 and "YYYY-MM" in response.content.decode()


@pytest.mark.django_db
def test_pages_and_downloads_for_a_signed_in_user_are_not_stored_in_caches(client, personas):
    from tests.helpers import make_plan

    plan = make_plan(personas.bureau)
    client.force_login(personas.leader)
    for url in (reverse("tasks:list"), plan.get_absolute_url(), reverse("plans:export", args=[plan.pk])):
        assert "no-store" in client.get(url)["Cache-Control"]
