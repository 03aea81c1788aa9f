"""A database that cannot answer in time gives the Chinese busy page with 503, never a bare 500."""

import os
import secrets
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.helpers import make_bureau, make_user

_SIGN_IN_WHILE_LOCKED = textwrap.dedent(
    """
    import sqlite3
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client

    User.objects.create_user("clerk", password="a-long-pass-phrase")
    holder = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    holder.execute("BEGIN IMMEDIATE")  # an import or a backup holding the write lock
    client = Client(raise_request_exception=False)
    response = client.post("/accounts/login/", {"username": "clerk", "password": "a-long-pass-phrase"})
    print("STATUS", response.status_code, response.get("Retry-After"))
    print(response.content.decode())
    holder.rollback()
    """
)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite 的写锁")
def test_a_write_that_waits_too_long_for_sqlites_lock_gets_the_busy_page(tmp_path):
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SQLITE_LOCK_TIMEOUT": "1",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )

    assert manage("migrate", "--noinput").returncode == 0
    result = manage("shell", "--no-imports", "-c", _SIGN_IN_WHILE_LOCKED)
    assert "STATUS 503 5" in result.stdout, result.stdout + result.stderr
    assert "系统繁忙，请稍后重试" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL 的语句超时")
@pytest.mark.django_db(transaction=True)
def test_a_statement_stuck_behind_a_lock_on_postgresql_gets_the_busy_page():
    import psycopg2

    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "5s"  # what a page gets by default
        cursor.execute("SET statement_timeout = 300")  # the same path, without waiting five seconds
    leader = make_user("leader", bureau=make_bureau(), role="leader")
    client = Client(raise_request_exception=False)
    client.force_login(leader)
    db = connection.settings_dict
    holder = psycopg2.connect(
        dbname=db["NAME"], host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"] or None
    )
    try:
        with holder.cursor() as cursor:
            cursor.execute("LOCK TABLE tasks_task IN ACCESS EXCLUSIVE MODE")
            response = client.get(reverse("tasks:list"))
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 503
    assert "系统繁忙，请稍后重试" in response.content.decode()


@pytest.mark.django_db
def test_any_other_failure_is_the_chinese_error_page(monkeypatch):
    from tasks import filters

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    leader = make_user("leader", bureau=make_bureau(), role="leader")
    client = Client(raise_request_exception=False)
    client.force_login(leader)
    monkeypatch.setattr(filters, "TaskFilter", broken)
    response = client.get(reverse("tasks:list"))
    assert response.status_code == 500
    assert "系统出错" in response.content.decode()


@pytest.mark.django_db
def test_a_bad_request_gets_the_chinese_400_page(client):
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
