"""The outbox: every email and robot message is sent after its event commits, retried with backoff when
it fails, and kept with its last error for the admin when it cannot go; none is lost."""

import datetime

import pytest
from django.core import mail
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from bureau import outbox
from bureau.models import OutboxMessage, Robot
from tests.helpers import make_user


def email(personas, address="staff@example.gov.cn", **fields) -> OutboxMessage:
    fields.setdefault("recipient", personas.staff)
    (message,) = outbox.enqueue(
        [
            OutboxMessage(
                channel=OutboxMessage.Channel.EMAIL,
                bureau=personas.bureau,
                address=address,
                subject="【督办】催办",
                body="请报送进展",
                **fields,
            )
        ]
    )
    return message


def robot_post(personas, robot) -> OutboxMessage:
    (message,) = outbox.enqueue(
        [
            OutboxMessage(
                channel=robot.kind,
                bureau=robot.bureau,
                robot=robot,
                address=robot.webhook,
                subject="催办",
                body="**请报送**",
            )
        ]
    )
    return message


def later(minutes: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


@pytest.mark.django_db
class TestDelivery:
    def test_a_message_is_sent_once_and_marked_sent(self, personas):
        message = email(personas)
        assert outbox.deliver(message.pk) == "sent"
        assert [m.to for m in mail.outbox] == [["staff@example.gov.cn"]]
        message.refresh_from_db()
        assert (message.state, message.attempts, message.sent_at is not None) == ("sent", 1, True)
        assert outbox.deliver(message.pk) == "skipped"  # sent is sent: never twice
        assert len(mail.outbox) == 1

    @pytest.mark.django_db(transaction=True)  # as the worker does, outside any transaction
    def test_a_sent_message_is_recorded_sent_though_the_database_was_busy_a_moment(self, personas, monkeypatch):
        monkeypatch.setattr(outbox, "_dispatch", lambda ids: None)  # delivered here, not as it commits
        message = email(personas)
        real, busy = OutboxMessage.save, iter([True, True])

        def save(self, *args, **kwargs):
            if next(busy, False):
                raise OperationalError("database table is locked")
            real(self, *args, **kwargs)

        monkeypatch.setattr(OutboxMessage, "save", save)
        monkeypatch.setattr(outbox.time, "sleep", lambda seconds: None)
        assert outbox.deliver(message.pk) == "sent"
        message.refresh_from_db()
        assert (message.state, message.attempts, len(mail.outbox)) == ("sent", 1, 1)

    def test_a_message_another_worker_has_claimed_is_left_to_it(self, personas):
        message = email(personas)
        # Worker A claims the row (the lease moves its next attempt past now)...
        assert OutboxMessage.objects.due(timezone.now()).filter(pk=message.pk).update(next_attempt_at=later(5))
        assert outbox.deliver(message.pk) == "skipped"  # ...so worker B does not send it too.
        assert mail.outbox == []

    def test_an_smtp_timeout_is_retried_with_backoff_then_given_up_visibly(self, settings, personas, hanging_smtp):
        settings.OUTBOX_MAX_ATTEMPTS = 3
        message = email(personas)
        assert outbox.deliver(message.pk) == "retry"
        message.refresh_from_db()
        assert message.state == "pending" and message.attempts == 1
        assert "连接邮件服务器超时（1 秒）" in message.last_error
        assert later(0.9) < message.next_attempt_at < later(1.1)  # one minute
        assert outbox.deliver_due() == {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}  # not due yet
        assert outbox.deliver_due(later(1.5))["retry"] == 1
        message.refresh_from_db()
        assert later(1.9) < message.next_attempt_at < later(2.1)  # then two
        assert outbox.deliver_due(later(10))["failed"] == 1
        message.refresh_from_db()
        assert (message.state, message.attempts, message.next_attempt_at) == ("failed", 3, None)
        assert "超时" in message.last_error

    def test_backoff_doubles_up_to_six_hours(self):
        waits = [outbox.backoff(n) for n in (1, 2, 3, 10, 20)]
        assert [w.total_seconds() / 60 for w in waits] == [1, 2, 4, 360, 360]

    def test_a_dingtalk_error_reply_keeps_the_message_with_the_reason(self, personas, robot_server):
        robot = Robot.objects.create(
            bureau=personas.bureau,
            kind="dingtalk",
            name="基教处群",
            webhook=robot_server.dingtalk_url(),
            secret=robot_server.secret,
        )
        robot_server.answer_next(errcode=130101, errmsg="send too fast")  # DingTalk's rate limit: try again
        message = robot_post(personas, robot)
        assert outbox.deliver(message.pk) == "retry"
        message.refresh_from_db()
        assert "130101" in message.last_error and message.state == "pending"
        assert message.attempts == 0  # being asked to slow down is not the message's failure
        assert outbox.deliver_due(later(2))["sent"] == 1
        assert robot_server.received[-1].body["markdown"]["text"].startswith("**请报送**")

    def test_a_robot_deleted_since_fails_for_good(self, personas, robot_server):
        robot = Robot.objects.create(bureau=personas.bureau, kind="wecom", name="群", webhook=robot_server.wecom_url())
        message = robot_post(personas, robot)
        robot.delete()
        assert outbox.deliver(message.pk) == "failed"
        message.refresh_from_db()
        assert "已删除或已停用" in message.last_error

    def test_an_unexpected_fault_is_kept_with_its_reason_and_the_batch_goes_on(self, personas, monkeypatch):
        first, _ = email(personas), email(personas, address="head@example.gov.cn")
        real = outbox._send_email

        def broken_once(message):
            if message.pk == first.pk:
                raise ValueError("header injection")
            real(message)

        monkeypatch.setattr(outbox, "_send_email", broken_once)
        assert outbox.deliver_due() == {"sent": 1, "retry": 1, "failed": 0, "skipped": 0}
        first.refresh_from_db()
        assert first.state == "pending" and first.attempts == 1
        assert first.last_error == "发送出错：ValueError: header injection"
        assert [m.to for m in mail.outbox] == [["head@example.gov.cn"]]

    def test_the_claim_lasts_a_lease_from_when_it_is_taken_not_from_the_sweeps_start(self, personas, monkeypatch):
        message = email(personas)
        long_ago = timezone.now() - datetime.timedelta(minutes=20)
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=long_ago)
        seen = []
        monkeypatch.setattr(
            outbox, "_send_email", lambda m: seen.append(OutboxMessage.objects.get(pk=m.pk).next_attempt_at)
        )
        # A sweep that read its clock ten minutes ago, still working through its batch.
        assert outbox.deliver(message.pk, now=long_ago + datetime.timedelta(minutes=10)) == "sent"
        assert seen[0] > later(4)  # another worker cannot take it while it is being sent

    def test_a_message_whose_sends_never_came_back_is_failed_at_last(self, settings, personas):
        settings.OUTBOX_MAX_ATTEMPTS = 3
        message = email(personas)
        # Three workers died while sending it: each claim counted an attempt, none recorded an outcome.
        OutboxMessage.objects.filter(pk=message.pk).update(attempts=3)
        assert outbox.deliver(message.pk) == "failed"
        message.refresh_from_db()
        assert "中途中断" in message.last_error and mail.outbox == []

    def test_a_broker_that_is_down_loses_nothing(self, personas, monkeypatch, django_capture_on_commit_callbacks):
        from bureau import jobs

        def refuse(*args, **kwargs):
            raise ConnectionRefusedError("redis down")

        monkeypatch.setattr(jobs.deliver_messages, "delay", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            message = email(personas)
        message.refresh_from_db()
        assert message.state == "pending" and mail.outbox == []
        assert outbox.deliver_due()["sent"] == 1  # the minute's sweep sends it
        assert len(mail.outbox) == 1


@pytest.mark.django_db
class TestOutboxPage:
    def test_the_admin_sees_failures_with_reason_and_count_and_sends_again(self, client, personas):
        failed = email(personas)
        OutboxMessage.objects.filter(pk=failed.pk).update(state="failed", attempts=8, last_error="邮件服务器拒收该地址")
        email(personas, address="head@example.gov.cn")
        client.force_login(personas.admin)
        page = client.get(reverse("outbox_list"), {"state": "failed"}).content.decode()
        assert "邮件服务器拒收该地址" in page and "head@example.gov.cn" not in page
        assert "发送失败 1" in page and "待发送 1" in page

        response = client.post(reverse("outbox_retry", args=[failed.pk]))
        assert response.status_code == 302
        failed.refresh_from_db()
        # Attempts start afresh, so one more passing fault does not fail it again; the reason stays on show.
        assert failed.state == "pending" and failed.attempts == 0 and failed.last_error
        assert outbox.deliver_due()["sent"] == 2

    def test_another_bureaus_messages_are_out_of_reach(self, client, personas):
        theirs = email(personas)
        OutboxMessage.objects.filter(pk=theirs.pk).update(bureau=personas.other_bureau, state="failed")
        client.force_login(personas.admin)
        assert "staff@example.gov.cn" not in client.get(reverse("outbox_list")).content.decode()
        assert client.post(reverse("outbox_retry", args=[theirs.pk])).status_code == 404
        client.force_login(personas.staff)
        assert client.get(reverse("outbox_list")).status_code == 403

    @pytest.mark.parametrize("rows", [3, 60])
    def test_the_page_reads_a_bounded_number_of_queries(self, client, personas, rows, django_assert_max_num_queries):
        other = make_user(bureau=personas.bureau, role="staff", division=personas.division)
        robot = Robot.objects.create(
            bureau=personas.bureau, kind="wecom", name="群", webhook="https://qyapi.weixin.qq.com/x"
        )
        for n in range(rows):
            email(personas, address=f"p{n}@example.gov.cn", recipient=other) if n % 2 else robot_post(personas, robot)
        client.force_login(personas.admin)
        with django_assert_max_num_queries(8):
            assert client.get(reverse("outbox_list")).status_code == 200
