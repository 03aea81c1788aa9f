"""Outgoing messages: one service, pluggable channels.

`notify()` turns an event into one message per recipient and hands the batch to every channel in
settings.NOTIFICATION_CHANNELS. A channel is one class with `send(messages)`: the bell in the page
header, email, and the divisions' group robots (DingTalk / 浙政钉, WeCom). Email and robots only write
to the outbox (bureau/outbox.py) inside the event's transaction; the worker sends them afterwards, so
a slow or broken mail server or robot never slows or breaks the page that caused the message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.module_loading import import_string

from bureau import outbox
from bureau.models import Membership, OutboxMessage, Robot
from bureau.robots import masked_webhook

from .models import Notification, Task


@dataclass(frozen=True)
class Message:
    recipient: object  # a User
    kind: str  # Notification.Kind
    text: str
    task: Task | None = None
    sender: object | None = None

    @property
    def subject(self) -> str:
        return f"【督办】{Notification.Kind(self.kind).label}"

    @property
    def link(self) -> str:
        return settings.SITE_URL + reverse("tasks:detail", args=[self.task.pk]) if self.task else ""

    @property
    def body(self) -> str:
        return self.text + (f"\n\n任务：{self.task}" if self.task else "")


class InAppChannel:
    """The notification list and the unread badge: a row per recipient."""

    def send(self, messages: list[Message]) -> None:
        Notification.objects.bulk_create(
            Notification(recipient=m.recipient, kind=m.kind, task=m.task, text=m.text[:500], sender=m.sender)
            for m in messages
        )


def _memberships(messages: list[Message]) -> dict[int, Membership]:
    ids = {m.recipient.pk for m in messages}
    return {m.user_id: m for m in Membership.objects.filter(user_id__in=ids)}


class EmailChannel:
    """The same message by email, to those who have an address and have not turned email off."""

    def send(self, messages: list[Message]) -> None:
        memberships = _memberships(messages)
        mails = []
        for m in messages:
            membership = memberships.get(m.recipient.pk)
            if not m.recipient.email or (membership is not None and not membership.email_notifications):
                continue
            mails.append(
                OutboxMessage(
                    channel=OutboxMessage.Channel.EMAIL,
                    bureau_id=membership.bureau_id if membership else None,
                    recipient=m.recipient,
                    address=m.recipient.email,
                    subject=m.subject,
                    body=m.body,
                    link=m.link,
                )
            )
        outbox.enqueue(mails)


class RobotChannel:
    """One post per event to each group robot that speaks for a recipient: their division's robot, and
    their bureau's 全局 robot. Recipients who allow it are @-mentioned by their phone."""

    def send(self, messages: list[Message]) -> None:
        memberships = list(_memberships(messages).values())
        if not memberships:
            return
        divisions = {m.division_id for m in memberships if m.division_id}
        bureaus = {m.bureau_id for m in memberships}
        robots = Robot.objects.filter(active=True).filter(
            Q(division_id__in=divisions) | Q(division__isnull=True, bureau_id__in=bureaus)
        )
        # Every message of a batch is the same event told to different people.
        first = messages[0]
        rows = []
        for robot in robots:
            reached = [
                m
                for m in memberships
                if (m.division_id == robot.division_id if robot.division_id else m.bureau_id == robot.bureau_id)
            ]
            mentions = sorted({m.phone for m in reached if m.robot_mentions and m.phone})
            rows.append(
                OutboxMessage(
                    channel=robot.kind,
                    bureau_id=robot.bureau_id,
                    robot=robot,
                    # For the record only: the token alone lets anyone post to the group, and the message is
                    # sent to the robot's webhook as it is when it goes.
                    address=masked_webhook(robot.webhook),
                    subject=first.subject,
                    body=robot_markdown(first),
                    link=first.link,
                    mentions=mentions,
                )
            )
        outbox.enqueue(rows)


def robot_markdown(message: Message) -> str:
    lines = [f"#### {message.subject}", "", message.text]
    if message.task:
        lines += ["", f"[查看任务：{message.task.title[:60]}]({message.link})"]
    return "\n".join(lines)


@cache
def _channel(path: str):
    return import_string(path)()


def channels() -> list:
    return [_channel(path) for path in settings.NOTIFICATION_CHANNELS]


def notify(*, recipients: Iterable, kind: str, text: str, task: Task | None = None, sender=None) -> int:
    """Tell each recipient through every channel; returns how many were told."""
    messages = [Message(recipient=user, kind=kind, text=text, task=task, sender=sender) for user in recipients]
    if messages:
        for channel in channels():
            channel.send(messages)
    return len(messages)
