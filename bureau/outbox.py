"""The outbox: messages leave through the worker, never through the request that caused them.

`enqueue()` writes OutboxMessage rows in the caller's transaction, so a message exists exactly when its
event does, and asks the worker to deliver them once that transaction commits. `deliver()` claims a row
with a lease (an UPDATE only one worker can win, on every database), sends it, and records the outcome:
sent, failed for good, or pending again after a backoff. A message is never dropped: one that fails is
kept with its last error and retry count for the admin's 发送记录 page (bureau/views/outbox.py), and
the sweep (`deliver_due`, every minute from beat) picks up anything a lost job or a dead worker left.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import time

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from . import robots
from .models import OutboxMessage

logger = logging.getLogger(__name__)

# Longer than any one attempt can take (the robots' and SMTP's timeouts), so a live worker's claim is
# never taken over, and short enough that a dead worker's claim comes back soon.
LEASE = datetime.timedelta(minutes=5)


class Undeliverable(Exception):
    """A send that failed; `permanent` when trying again cannot help (a refused address, a robot gone),
    `rate_limited` when the service only asked us to send more slowly."""

    def __init__(self, reason: str, *, permanent: bool = False, rate_limited: bool = False):
        super().__init__(reason)
        self.permanent = permanent
        self.rate_limited = rate_limited


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the `attempts`-th failure: one minute, doubling, at most six hours."""
    return datetime.timedelta(minutes=min(2 ** (attempts - 1), 6 * 60))


def enqueue(messages: list[OutboxMessage]) -> list[OutboxMessage]:
    """Write `messages` now and deliver them after the surrounding transaction commits."""
    if not messages:
        return []
    now = timezone.now()
    for message in messages:
        message.state, message.next_attempt_at = OutboxMessage.State.PENDING, now
    created = OutboxMessage.objects.bulk_create(messages)
    ids = [m.pk for m in created]
    if ids[0] is None:  # a database that does not return keys from bulk inserts: the sweep sends them
        return created
    transaction.on_commit(lambda: _dispatch(ids))
    return created


def _dispatch(ids: list[int]) -> None:
    from .jobs import deliver_messages  # the job module imports this one

    try:
        deliver_messages.delay(ids)
    except Exception:
        # A broker that is down delays the messages, it does not lose them: they are rows, and the sweep
        # sends them once a worker runs again.
        logger.warning("无法把待发消息 %s 交给后台任务，将由定时补发处理。", ids, exc_info=True)


def deliver_due(now: datetime.datetime | None = None, *, limit: int = 500) -> dict[str, int]:
    """Send every message whose attempt is due (at most `limit` a run); returns how many ended how."""
    now = now or timezone.now()
    ids = list(OutboxMessage.objects.due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    return deliver_many(ids, now=now)


def deliver_many(ids: list[int], *, now: datetime.datetime | None = None) -> dict[str, int]:
    """Deliver these messages in turn. A run that has taken half a lease stops and leaves the rest to the
    next sweep: a slow server must not make a batch outlive the claims it takes."""
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    started = time.monotonic()
    for pk in ids:
        if time.monotonic() - started > LEASE.total_seconds() / 2:
            break
        counts[deliver(pk, now=now)] += 1
    return counts


def deliver(pk: int, *, now: datetime.datetime | None = None) -> str:
    """Try to send one message; returns "sent", "retry", "failed" or "skipped" (not due, or claimed).

    The claim counts the attempt, so a message that kills the worker mid-send still runs out of attempts;
    its lease starts at the moment of the claim (not at `now`, which a sweep reads once for its batch)."""
    now = now or timezone.now()
    claimed = (
        OutboxMessage.objects.due(now)
        .filter(pk=pk)
        .update(next_attempt_at=max(now, timezone.now()) + LEASE, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"
    message = OutboxMessage.objects.select_related("robot").get(pk=pk)
    if message.attempts > settings.OUTBOX_MAX_ATTEMPTS:  # the previous claims never came back
        return _record_failure(message, "多次发送均中途中断，未能确认送达", permanent=True)
    try:
        _send(message)
    except Undeliverable as exc:
        return _record_failure(message, str(exc), permanent=exc.permanent, counted=not exc.rate_limited)
    except Exception as exc:
        # A fault of ours or of a library, not of the address: kept with its reason and tried again, never
        # left pending without one.
        logger.exception("发送待发消息 %s 时出错", pk)
        return _record_failure(message, f"发送出错：{type(exc).__name__}: {exc}", permanent=False)
    message.state, message.sent_at, message.next_attempt_at = OutboxMessage.State.SENT, timezone.now(), None
    message.last_error = ""
    _record_sent(message)
    return "sent"


def _record_sent(message: OutboxMessage, *, tries: int = 4) -> None:
    """The message has gone: a database busy for a moment must not keep that from being written, for the
    claim would then hold the message for a lease and the sweep send it a second time."""
    for attempt in range(1, tries + 1):
        try:
            message.save(update_fields=["state", "sent_at", "next_attempt_at", "last_error"])
            return
        except OperationalError:
            # Inside a transaction the failure has spoilt it: only its owner can try again.
            if attempt == tries or connection.in_atomic_block:
                raise
            logger.warning("已发送的消息 %s 暂时无法记为已发送，稍后重试", message.pk, exc_info=True)
            time.sleep(0.25 * attempt)
            connection.close_if_unusable_or_obsolete()  # a broken connection is opened afresh


def _record_failure(message: OutboxMessage, reason: str, *, permanent: bool, counted: bool = True) -> str:
    if not counted:  # the service asked us to slow down: the wait is its, not the message's fault
        message.attempts -= 1
    message.last_error = reason[:2000]
    if permanent or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        message.state, message.next_attempt_at = OutboxMessage.State.FAILED, None
        outcome = "failed"
    else:
        message.next_attempt_at = timezone.now() + backoff(max(message.attempts, 1))
        outcome = "retry"
    message.save(update_fields=["state", "attempts", "last_error", "next_attempt_at"])
    return outcome


def retry(message: OutboxMessage) -> None:
    """The admin's 重新发送: a failed message goes back in the queue with its attempts afresh; its last
    error stays on show until it is sent."""
    OutboxMessage.objects.filter(pk=message.pk, state=OutboxMessage.State.FAILED).update(
        state=OutboxMessage.State.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    transaction.on_commit(lambda: _dispatch([message.pk]))


def _send(message: OutboxMessage) -> None:
    if message.channel == OutboxMessage.Channel.EMAIL:
        _send_email(message)
    else:
        _send_robot(message)


def _send_email(message: OutboxMessage) -> None:
    body = message.body + (f"\n\n{message.link}" if message.link else "")
    email = EmailMessage(subject=message.subject, body=body, to=[message.address])
    try:
        email.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise Undeliverable(f"邮件服务器拒收该地址：{message.address}", permanent=True) from exc
    except smtplib.SMTPAuthenticationError as exc:
        raise Undeliverable("邮件服务器拒绝登录，请检查 EMAIL_HOST_USER / EMAIL_HOST_PASSWORD") from exc
    except (smtplib.SMTPException, OSError) as exc:
        # smtplib reports a server that stops answering as a disconnection, naming the timeout only in
        # its text.
        if isinstance(exc, TimeoutError) or "timed out" in str(exc):
            raise Undeliverable(f"连接邮件服务器超时（{settings.EMAIL_TIMEOUT} 秒）") from exc
        raise Undeliverable(f"邮件发送失败：{exc}") from exc


def _send_robot(message: OutboxMessage) -> None:
    robot = message.robot
    if robot is None or not robot.active:
        raise Undeliverable("群机器人已删除或已停用", permanent=True)
    try:
        robots.send_robot_message(robot, title=message.subject, text=message.body, mentions=message.mentions)
    except robots.DeliveryError as exc:
        raise Undeliverable(str(exc), permanent=exc.permanent, rate_limited=exc.rate_limited) from exc
