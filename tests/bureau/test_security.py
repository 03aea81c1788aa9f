"""Production settings, the Content-Security-Policy, login throttling and password rules."""

import os
import secrets
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from bureau.models import Membership
from bureau.security import client_ip
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

    def test_spraying_guesses_across_names_from_one_address_locks_the_address(self, client):
        names = [f"guess{n}" for n in range(10)]  # each gets fewer guesses than the name limit
        for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
            response = client.post(reverse("login"), {"username": names[n % 10], "password": "wrong"})
            assert response.status_code == 200
        response = client.post(reverse("login"), {"username": names[-1], "password": "wrong"})
        assert response.status_code == 429
        assert "从本机所在网络地址登录失败的次数过多" in response.content.decode()
        assert not log_in(client, "wang", "pw")
        assert log_in(Client(REMOTE_ADDR="198.51.100.7"), "wang", "pw")

    def test_a_success_does_not_clear_the_address_count(self, client):
        make_user("li", bureau=make_bureau(), role=Membership.Role.LEADER)
        for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
            client.post(reverse("login"), {"username": f"guess{n % 10}", "password": "wrong"})
        assert log_in(client, "li", "pw")
        client.post(reverse("logout"))
        response = client.post(reverse("login"), {"username": "guess0", "password": "wrong"})
        assert response.status_code == 429

    def test_a_forged_x_real_ip_from_a_client_not_in_the_proxy_list_is_ignored(self, client, settings):
        settings.BEHIND_PROXY = ["10.0.0.0/24"]
        for n in range(settings.AXES_FAILURE_LIMIT - 1):
            response = client.post(
                reverse("login"), {"username": "wang", "password": "wrong"},
                REMOTE_ADDR="203.0.113.5", HTTP_X_REAL_IP=f"192.0.2.{n + 1}",
            )  # fmt: skip
            assert response.status_code == 200
        response = client.post(
            reverse("login"), {"username": "wang", "password": "wrong"},
            REMOTE_ADDR="203.0.113.5", HTTP_X_REAL_IP="192.0.2.99",
        )  # fmt: skip
        assert response.status_code == 429
        assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}

    def test_behind_a_listed_proxy_each_client_counts_for_its_own_address(self, client, settings):
        settings.BEHIND_PROXY = ["10.0.0.0/24"]
        through_proxy = {"REMOTE_ADDR": "10.0.0.7"}
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(
                reverse("login"), {"username": "wang", "password": "wrong"},
                HTTP_X_REAL_IP="198.51.100.7", **through_proxy,
            )  # fmt: skip
        assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
        assert not log_in(Client(HTTP_X_REAL_IP="198.51.100.7", **through_proxy), "wang", "pw")
        assert log_in(Client(HTTP_X_REAL_IP="198.51.100.8", **through_proxy), "wang", "pw")


@pytest.mark.parametrize(
    ("remote_addr", "real_ip", "counted"),
    [
        ("10.0.0.7", "198.51.100.7", "198.51.100.7"),
        ("::ffff:10.0.0.7", "198.51.100.7", "198.51.100.7"),  # gunicorn listening on [::]
        ("10.0.1.7", "198.51.100.7", "10.0.1.7"),  # outside the listed range
        ("203.0.113.5", "198.51.100.7", "203.0.113.5"),
        ("10.0.0.7", "not-an-address", "10.0.0.7"),  # an address column refuses anything else
        ("10.0.0.7", "", "10.0.0.7"),
    ],
)
def test_x_real_ip_is_believed_only_from_a_listed_proxy(rf, settings, remote_addr, real_ip, counted):
    settings.BEHIND_PROXY = ["10.0.0.0/24"]
    request = rf.get("/", REMOTE_ADDR=remote_addr, HTTP_X_REAL_IP=real_ip)
    assert client_ip(request) == counted


def test_behind_proxy_is_a_list_of_proxy_addresses():
    code = "from django.conf import settings as s; print(s.BEHIND_PROXY, s.SECURE_PROXY_SSL_HEADER)"
    result = _manage("shell", "--no-imports", "-c", code, DEBUG="1", BEHIND_PROXY="127.0.0.1, 10.0.0.0/24")
    assert result.stdout.strip().splitlines()[-1:] == [
        "['127.0.0.1/32', '10.0.0.0/24'] ('HTTP_X_FORWARDED_PROTO', 'https')"
    ], result.stdout + result.stderr


@pytest.mark.parametrize("value", ["1", "true", "nginx"])
def test_behind_proxy_that_names_no_address_is_refused_in_chinese(value):
    result = _manage("check", DEBUG="1", BEHIND_PROXY=value)
    assert result.returncode != 0
    assert "BEHIND_PROXY" in result.stderr and "127.0.0.1" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("length", [151, 256, 10_000])
def test_a_too_long_user_name_is_a_form_error(client, length):
    response = client.post(reverse("login"), {"username": "a" * length, "password": "wrong"})
    assert response.status_code == 200
    assert "用户名最多 150 个字符" in response.content.decode()
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_a_too_long_user_name_at_the_admins_login_is_refused_not_a_500(client):
    response = client.post(reverse("admin:login"), {"username": "a" * 10_000, "password": "wrong"})
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "a" * 255


@pytest.mark.django_db
def test_a_nul_in_a_user_name_is_a_400(client):
    response = client.post(reverse("login"), {"username": "wa\x00ng", "password": "wrong"})
    assert response.status_code == 400


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
    response = client.get(reverse("tasks:plan_bulletin", args=[plan.pk]), {"period": period})
    assert response.status_code == 400 and "YYYY-MM" in response.content.decode()


@pytest.mark.django_db
def test_pages_and_downloads_for_a_signed_in_user_are_not_stored_in_caches(client, personas):
    from tests.helpers import make_plan

    plan = make_plan(personas.bureau)
    client.force_login(personas.leader)
    for url in (reverse("tasks:list"), plan.get_absolute_url(), reverse("tasks:plan_export", args=[plan.pk])):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_email_goes_over_smtp_once_a_host_is_configured():
    code = (
        "from django.conf import settings as s;"
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_TIMEOUT)"
    )
    configured = _manage(
        "shell", "--no-imports", "-c", code, DEBUG="1",
        EMAIL_HOST="smtp.example.gov.cn", EMAIL_PORT="587", EMAIL_USE_TLS="1",
    )  # fmt: skip
    assert configured.stdout.split()[-5:] == [
        "django.core.mail.backends.smtp.EmailBackend", "smtp.example.gov.cn", "587", "True", "10",
    ], configured.stderr  # fmt: skip
    unset = _manage("shell", "--no-imports", "-c", code, DEBUG="1")
    assert "django.core.mail.backends.console.EmailBackend" in unset.stdout
    both = _manage("check", DEBUG="1", EMAIL_HOST="smtp.example.gov.cn", EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")
    assert both.returncode != 0 and "只能设置其一" in both.stderr
