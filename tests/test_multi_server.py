"""Two app servers on one PostgreSQL, one Redis and one media folder, as a province runs them behind nginx.

The test makes its own database, migrates it, loads a small demo (the organisation, its accounts and
温州's plan for this year), and starts two gunicorn processes on two ports and one Celery worker, all with
the same environment. Everything is checked over real HTTP, a person's cookies carried from one server
to the other: what one server writes, the other shows on its very next request, and the API's rate limit
counts the requests to both. Skipped without a
PostgreSQL or a Redis on 127.0.0.1; with REQUIRE_REDIS=1 (set by .ci/run) a missing Redis fails."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg2
import pytest
import redis
import requests
from django.conf import settings

from tests.tasks.test_dashboard import figures

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
# Redis databases of their own (flushed before and after): tests/test_worker.py uses 15.
CACHE_URL = os.environ.get("TEST_MULTI_CACHE_URL", "redis://127.0.0.1:6379/13")
BROKER_URL = os.environ.get("TEST_MULTI_BROKER_URL", "redis://127.0.0.1:6379/14")
# Only 温州's plan of this year: loading the whole demo takes about a minute.
DEMO_YEAR = {
    "plans": [
        {
            "bureau": "温州市教育局",
            "seed": "wenzhou-2023-summary-2024-points.docx",
            "title": "温州市教育局{year}年工作要点",
        }
    ]
}
PASSWORD = json.loads((FIXTURES / "organisation.json").read_text(encoding="utf-8"))["demo_password"]
# Variables of the test run that must not reach the servers.
NOT_PASSED = {"DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "BEHIND_PROXY"}
NOT_PASSED |= {"DJANGO_ALLOW_ASYNC_UNSAFE", "MEDIA_ROOT", "VAR_DIR", "STATIC_ROOT", "DATABASE_STATEMENT_TIMEOUT_MS"}


def _postgres_server() -> dict:
    """Where to create the test's database: the suite's PostgreSQL if it runs on one, else the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parsed = dj_database_url.parse(url)
    return {
        "host": parsed["HOST"] or "127.0.0.1",
        "port": parsed["PORT"] or 5432,
        "user": parsed["USER"] or "postgres",
        "password": parsed["PASSWORD"] or None,
    }


def _connect_or_skip(server: dict):
    try:
        connection = psycopg2.connect(dbname="postgres", connect_timeout=2, **server)
    except psycopg2.OperationalError as exc:
        pytest.skip(f"PostgreSQL 未运行（{server['host']}:{server['port']}）：{str(exc).strip()[:120]}")
    connection.autocommit = True
    return connection


def _redis_or_skip() -> list[redis.Redis]:
    databases = [redis.Redis.from_url(url, socket_connect_timeout=1) for url in (CACHE_URL, BROKER_URL)]
    try:
        for database in databases:
            database.ping()
    except redis.RedisError:
        if os.environ.get("REQUIRE_REDIS"):
            raise
        pytest.skip("Redis 未运行（127.0.0.1:6379）")
    return databases


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Deployment:
    a: str  # http://127.0.0.1:<port> of the first app server
    b: str  # … and of the second
    media: Path
    database: dict  # psycopg2.connect()'s arguments for the deployment's database

    def one(self, sql: str, *params):
        """One value read straight from the database, for choosing what to act on."""
        with psycopg2.connect(**self.database) as connection, connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        connection.close()
        assert row, sql
        return row[0]


def _run(args: list[str], env: dict, log: Path) -> None:
    with log.open("a") as output:
        result = subprocess.run(
            [sys.executable, *args], cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    assert result.returncode == 0, f"{' '.join(args)} 失败：\n{log.read_text()[-3000:]}"


def _start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(processes: list[subprocess.Popen]) -> None:
    """All at once: each takes a moment to finish its request or job."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{url} 未能启动：\n{log.read_text()[-3000:]}"
        try:
            if requests.get(url + "/accounts/login/", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} 在 30 秒内没有响应：\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Deployment:
    caches = _redis_or_skip()
    server = _postgres_server()
    admin = _connect_or_skip(server)
    root = tmp_path_factory.mktemp("two-servers")
    shared, logs = root / "shared", root / "logs"
    logs.mkdir()
    (root / "fixtures").mkdir()
    for name in ("organisation.json", DEMO_YEAR["plans"][0]["seed"]):
        (root / "fixtures" / name).write_bytes((FIXTURES / name).read_bytes())
    (root / "fixtures" / "demo_year.json").write_text(json.dumps(DEMO_YEAR, ensure_ascii=False), encoding="utf-8")

    name = f"duban_multi_{os.getpid()}_{secrets.token_hex(3)}"
    credentials = server["user"] + (f":{server['password']}" if server["password"] else "")
    # What every server of a deployment shares: the key, the database, Redis and the media folder.
    env = {
        **{k: v for k, v in os.environ.items() if k not in NOT_PASSED},
        "DJANGO_SETTINGS_MODULE": "bureau.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP between the test and gunicorn, as behind nginx
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"postgres://{credentials}@{server['host']}:{server['port']}/{name}",
        "CACHE_URL": CACHE_URL,
        "CELERY_BROKER_URL": BROKER_URL,
        "MEDIA_ROOT": str(shared / "media"),
        "VAR_DIR": str(shared / "var"),
        "STATIC_ROOT": str(root / "static"),
        "EXPORT_BACKGROUND_ROWS": "5",
        "API_RATE_LIMIT": "3/m",
    }
    for cache in caches:
        cache.flushdb()
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    processes: list[subprocess.Popen] = []
    try:
        # Both at once: the machine has two cores, and neither needs the other.
        static = _start(["manage.py", "collectstatic", "--noinput", "-v0"], env, logs / "collectstatic.log")
        processes.append(static)
        _run(["manage.py", "migrate", "--noinput", "-v0"], env, logs / "migrate.log")
        assert static.wait(timeout=60) == 0, (logs / "collectstatic.log").read_text()[-3000:]
        ports = [_free_port(), _free_port()]
        for port, label in zip(ports, "ab", strict=True):
            # Each its own control socket (or none): by default both would take ~/.gunicorn/gunicorn.ctl.
            command = ["-m", "gunicorn", "bureau.wsgi", "--bind", f"127.0.0.1:{port}", "--no-control-socket"]
            processes.append(_start(command, env, logs / f"gunicorn-{label}.log"))
        worker = ["-m", "celery", "-A", "bureau", "worker", "--pool=solo", "--loglevel=warning", "--without-heartbeat"]
        processes.append(_start(worker, env, logs / "worker.log"))
        _run(["manage.py", "load_demo", "--fixtures", str(root / "fixtures"), "-v0"], env, logs / "load_demo.log")
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, process, label in zip(urls, processes[1:3], "ab", strict=True):
            _wait_until_serving(url, process, logs / f"gunicorn-{label}.log")
        yield Deployment(a=urls[0], b=urls[1], media=shared / "media", database={"dbname": name, **server})
    finally:
        _stop(processes)
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        for cache in caches:
            cache.flushdb()


class Browser:
    """One person's browser: one cookie jar, whichever server answers (as behind nginx's round robin)."""

    def __init__(self) -> None:
        self.http = requests.Session()

    def get(self, server: str, path: str, **params) -> requests.Response:
        return self.http.get(server + path, params=params, allow_redirects=False, timeout=30)

    def post(self, server: str, path: str, data: dict | None = None, **kwargs) -> requests.Response:
        data = {"csrfmiddlewaretoken": self.http.cookies.get("csrftoken", ""), **(data or {})}
        return self.http.post(server + path, data=data, allow_redirects=False, timeout=30, **kwargs)

    def log_in(self, server: str, username: str, password: str = PASSWORD) -> requests.Response:
        self.get(server, "/accounts/login/")  # the CSRF cookie
        return self.post(server, "/accounts/login/", {"username": username, "password": password})


def signed_in(server: str, username: str) -> Browser:
    browser = Browser()
    response = browser.log_in(server, username)
    assert response.status_code == 302 and response.headers["Location"] == "/", response.text[:500]
    return browser


# A task of 温州's plan of this year that 市教研院 alone leads, in progress: a 已完成 report from that division
# puts it to 待审核.
LED_BY_JYY_IN_PROGRESS = """
    SELECT t.id FROM tasks_task t
    JOIN plans_plan p ON p.id = t.plan_id
    JOIN bureau_bureau b ON b.id = p.bureau_id
    JOIN tasks_assignment a ON a.task_id = t.id AND a.role = 'lead'
    JOIN bureau_division d ON d.id = a.division_id
    WHERE b.name = '温州市教育局' AND p.year_start = EXTRACT(YEAR FROM now() AT TIME ZONE 'Asia/Shanghai')
      AND d.name = '市教研院' AND t.status IN ('in_progress', 'not_started')
      AND NOT EXISTS (SELECT 1 FROM tasks_task c WHERE c.parent_id = t.id)
      AND (SELECT count(*) FROM tasks_assignment x WHERE x.task_id = t.id AND x.role = 'lead') = 1
    ORDER BY t.id LIMIT 1
"""


def test_a_session_begun_on_one_server_is_used_and_ended_on_the_other(deployment):
    leader = signed_in(deployment.a, "leader_wz")

    dashboard = leader.get(deployment.b, "/dashboard/")
    assert dashboard.status_code == 200, dashboard.headers.get("Location")
    assert "温州市教育局" in dashboard.text and "年工作要点" in dashboard.text

    assert leader.post(deployment.b, "/accounts/logout/").status_code == 302
    again = leader.get(deployment.a, "/dashboard/")
    assert again.status_code == 302 and again.headers["Location"].startswith("/accounts/login/")


def test_an_import_previewed_on_one_server_is_confirmed_on_the_other(deployment):
    admin = signed_in(deployment.a, "admin")
    seed = FIXTURES / "taizhou-2019-decomposition.docx"

    upload = admin.post(
        deployment.a, "/plans/import/", {"bureau": "", "year": ""}, files={"file": (seed.name, seed.read_bytes())}
    )
    assert upload.status_code == 302 and upload.headers["Location"].startswith("/plans/import/"), upload.text[-2000:]
    preview_path = upload.headers["Location"]
    preview = admin.get(deployment.a, preview_path)
    assert preview.status_code == 200 and "确认导入" in preview.text
    assert list((deployment.media / "imports").glob("*.bin")), "预览中的文件应在共用的 MEDIA_ROOT 中"

    confirm = admin.post(deployment.b, preview_path, {"action": "confirm"})
    assert confirm.status_code == 302 and re.fullmatch(r"/plans/\d+/", confirm.headers["Location"]), confirm.text[
        -2000:
    ]
    plan = admin.get(deployment.a, confirm.headers["Location"])
    assert plan.status_code == 200 and "2019年全市教育工作任务分解方案" in plan.text
    assert not list((deployment.media / "imports").glob("*")), "确认后预览文件应已删除"
    assert admin.get(deployment.a, preview_path).status_code == 404  # confirmed once, whichever server


def test_failed_logins_on_one_server_lock_the_account_on_the_other(deployment):
    for _ in range(int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))):
        assert Browser().log_in(deployment.a, "leader_qz", "not-the-password").status_code in {200, 429}

    refused = Browser().log_in(deployment.b, "leader_qz")
    assert refused.status_code == 429 and "登录已暂停" in refused.text
    assert Browser().log_in(deployment.b, "staff_qz_jjc").status_code == 302  # another name still signs in


def test_a_notification_written_on_one_server_is_listed_on_the_other(deployment):
    task_id = deployment.one(LED_BY_JYY_IN_PROGRESS)
    leader = signed_in(deployment.a, "leader_wz")
    staff = signed_in(deployment.b, "staff_wz_jyy")
    text = f"请于本周内报送进展（{secrets.token_hex(4)}）"

    assert leader.post(deployment.a, f"/tasks/{task_id}/comment/", {"text": text}).status_code == 302

    listed = staff.get(deployment.b, "/notifications/")
    assert listed.status_code == 200 and f"批示：{text}" in listed.text


def test_an_export_asked_for_on_one_server_is_built_by_the_worker_and_downloaded_from_the_other(deployment):
    leader = signed_in(deployment.a, "leader_wz")
    offer = leader.get(deployment.a, "/tasks/export.xlsx")
    assert offer.status_code == 200 and "开始生成" in offer.text  # more rows than EXPORT_BACKGROUND_ROWS
    started = leader.post(deployment.a, "/tasks/exports/", {"kind": "tasks", "query": ""})
    assert started.status_code == 302
    job_path = started.headers["Location"]

    deadline = time.monotonic() + 30
    while True:
        page = leader.get(deployment.b, job_path)
        assert page.status_code == 200 and "导出失败" not in page.text, page.text[-1500:]
        if "文件已生成" in page.text:
            break
        assert time.monotonic() < deadline, "后台导出 30 秒内没有完成（worker 是否在运行？）"
        time.sleep(0.3)
    download = leader.get(deployment.b, job_path + "file/")
    assert download.status_code == 200 and download.content[:2] == b"PK"  # an .xlsx is a zip


def test_a_report_posted_on_one_server_changes_the_others_dashboard_on_its_next_request(deployment):
    task_id = deployment.one(LED_BY_JYY_IN_PROGRESS)
    staff = signed_in(deployment.a, "staff_wz_jyy")
    leader = signed_in(deployment.b, "leader_wz")
    newest = rf'<a href="/tasks/{task_id}/">[^<]*</a>：已完成 100%</li>'
    before_page = leader.get(deployment.b, "/dashboard/").text
    before = {label: value for label, (value, _) in figures(before_page).items()}
    assert not re.search(newest, before_page)

    report = {"status": "done", "percent": "100", "progress": "已全部完成，佐证材料另附。"}
    assert staff.post(deployment.a, f"/tasks/{task_id}/report/", report).status_code == 302

    after_page = leader.get(deployment.b, "/dashboard/").text
    after = {label: value for label, (value, _) in figures(after_page).items()}
    assert (int(after["待审核"]), int(after["推进中"])) == (int(before["待审核"]) + 1, int(before["推进中"]) - 1)
    assert re.search(newest, after_page), "最新报送中应有这条报送"


def test_the_api_rate_limit_counts_requests_to_either_server_in_the_shared_cache(deployment):
    leader = signed_in(deployment.a, "leader_wz")
    created = leader.post(deployment.a, "/account/tokens/", {"name": "省平台对接", "expires_in_days": ""})
    key = re.search(r'id="token-key">(dbn_[^<]+)<', created.text).group(1)
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {key}"

    answers = [api.get(server + "/api/v1/plans", timeout=30).status_code for server in [deployment.a, deployment.b] * 2]

    assert answers == [200, 200, 200, 429]  # API_RATE_LIMIT=3/m, counted in Redis whichever server answers


def test_an_upload_does_not_fail_when_another_server_removes_a_pending_file_meanwhile(settings, tmp_path, monkeypatch):
    """Each upload sweeps the shared imports folder; a file listed there may be gone before it is looked at."""
    from plans import pending

    settings.MEDIA_ROOT = tmp_path
    confirmed_elsewhere = tmp_path / "imports" / f"{secrets.token_urlsafe(24)}.bin"
    listed = Path.glob
    monkeypatch.setattr(Path, "glob", lambda folder, pattern: [*listed(folder, pattern), confirmed_elsewhere])

    token = pending.pending_save(data=b"x", filename="a.txt", bureau=None, year=None, sha256="0" * 64, parsed=[])

    assert pending.pending_load(token).filename == "a.txt"
