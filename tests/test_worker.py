"""A real Celery worker against Redis: what the pages queue, the worker does, and the database shows.

The worker runs in a thread of the test process (celery.contrib.testing), consuming from a real Redis
broker, with committed data (transaction=True) so that it sees what the test wrote. Skipped without a
Redis on 127.0.0.1:6379 locally; CI starts one (.ci/run) and sets REQUIRE_REDIS=1."""

from __future__ import annotations

import os
import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection
from django.urls import reverse
from kombu import pools

from bureau.celery import app as celery_app
from bureau.models import OutboxMessage, Robot
from tasks.models import ExportJob
from tasks.services import comment_add
from tests.helpers import make_plan, make_task

BROKER = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker(monkeypatch):
    try:
        broker = redis.Redis.from_url(BROKER, socket_connect_timeout=1)
        broker.ping()
    except redis.RedisError:
        if os.environ.get("REQUIRE_REDIS"):
            raise
        pytest.skip("Redis 未运行（127.0.0.1:6379）")
    broker.flushdb()
    # The worker thread opens its own connection; closing it after each job leaves none behind for the
    # test database's teardown.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager", "broker_transport_options")}
    celery_app.conf.update(broker_url=BROKER, task_always_eager=False, broker_transport_options={})
    _forget_connections()
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            yield
    finally:
        celery_app.conf.update(saved)
        _forget_connections()
        broker.flushdb()


def _forget_connections() -> None:
    """Connections are pooled per broker address: a changed broker_url needs fresh pools."""
    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def wait_for(condition, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.5)  # few reads: on SQLite's shared in-memory test database a read locks the table
    raise AssertionError("后台任务在限定时间内没有完成")


def test_the_worker_delivers_the_outbox_to_email_and_a_signed_robot(personas, worker, robot_server):
    personas.staff.email = "staff@example.gov.cn"
    personas.staff.save()
    Robot.objects.create(
        bureau=personas.bureau,
        division=personas.division,
        kind=Robot.Kind.DINGTALK,
        name="基教处督办群",
        webhook=robot_server.dingtalk_url(),
        secret=robot_server.secret,
    )
    task = make_task(make_plan(personas.bureau), lead=[personas.division])

    comment_add(task=task, author=personas.leader, text="请本周内报送进展")

    wait_for(lambda: not OutboxMessage.objects.exclude(state=OutboxMessage.State.SENT).exists())
    assert [m.to for m in mail.outbox] == [["staff@example.gov.cn"]]
    (post,) = robot_server.received  # the test server checked the 加签 signature: it answered errcode 0
    assert "请本周内报送进展" in post.body["markdown"]["text"]
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}


def test_the_worker_builds_a_large_export_the_page_then_offers(client, personas, settings, worker):
    settings.EXPORT_BACKGROUND_ROWS = 10
    plan = make_plan(personas.bureau)
    for _ in range(25):
        make_task(plan, lead=[personas.division])
    client.force_login(personas.leader)

    response = client.post(reverse("tasks:export_job_start"), {"kind": "tasks", "query": ""})
    job = ExportJob.objects.get()
    assert response.url == reverse("tasks:export_job", args=[job.pk])

    wait_for(lambda: ExportJob.objects.filter(pk=job.pk, state=ExportJob.State.DONE).exists())
    job.refresh_from_db()
    assert (job.total, job.done) == (25, 25)
    download = client.get(reverse("tasks:export_job_file", args=[job.pk]))
    assert download.status_code == 200 and len(b"".join(download.streaming_content)) > 1000


def test_a_mail_server_that_hangs_slows_the_worker_not_the_page(client, personas, settings, worker, hanging_smtp):
    settings.EMAIL_TIMEOUT = 3
    personas.staff.email = "staff@example.gov.cn"
    personas.staff.save()
    task = make_task(make_plan(personas.bureau), lead=[personas.division])
    client.force_login(personas.leader)

    started = time.monotonic()
    response = client.post(reverse("tasks:comment", args=[task.pk]), {"text": "请加快进度"})
    assert response.status_code == 302 and time.monotonic() - started < 1.5

    message = wait_for(lambda: OutboxMessage.objects.exclude(last_error="").first())
    assert message.state == OutboxMessage.State.PENDING and message.attempts == 1
    assert "连接邮件服务器超时（3 秒）" in message.last_error
