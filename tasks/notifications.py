"""Outgoing messages: one service, pluggable channels.

`notify()` turns an event into one message per recipient and hands the batch to every channel in
settings.NOTIFICATION_CHANNELS. A channel is one class with `send(messages)`: the bell in the page
header and email today; a DingTalk or WeCom robot is one more class and one more line of settings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils.module_loading import import_string

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
    def body(self) -> str:
        return self.text + (f"\n\n任务：{self.task}" if self.task else "")


class InAppChannel:
    """The notification list and the unread badge: a row per recipient."""

    def send(self, messages: list[Message]) -> None:
        Notification.objects.bulk_create(
            Notification(recipient=m.recipient, kind=m.kind, task=m.task, text=m.text[:500], sender=m.sender)
            for m in messages
        )


class EmailChannel:
    """The same message by email, to those who have an address (EMAIL_BACKEND and friends)."""

    def send(self, messages: list[Message]) -> None:
        mails = [(m.subject, m.body, None, [m.recipient.email]) for m in messages if m.recipient.email]
        if mails:
            send_mass_mail(mails, fail_silently=True)


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
