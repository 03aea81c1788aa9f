"""notify() hands every message to each channel the settings list: the bell, email, and any other."""

import pytest
from django.core import mail

from tasks.models import Notification
from tasks.notifications import Message
from tasks.services import comment_add
from tests.helpers import make_plan, make_task


class RecordingChannel:
    """A channel as a DingTalk robot would be one: a class with send(messages)."""

    sent: list[Message] = []

    def send(self, messages: list[Message]) -> None:
        RecordingChannel.sent += messages


@pytest.fixture
def task(personas):
    personas.staff.email = "staff@example.gov.cn"
    personas.staff.save()
    return make_task(make_plan(personas.bureau), lead=[personas.division])


@pytest.mark.django_db
def test_a_leaders_comment_reaches_the_division_through_every_channel(settings, personas, task):
    settings.NOTIFICATION_CHANNELS = [*settings.NOTIFICATION_CHANNELS, f"{__name__}.RecordingChannel"]
    RecordingChannel.sent = []
    comment_add(task=task, author=personas.leader, text="请加快进度")

    told = {personas.staff, personas.head}
    assert {n.recipient for n in Notification.objects.all()} == told
    assert [m.to for m in mail.outbox] == [["staff@example.gov.cn"]]  # only who has an address
    assert {m.recipient for m in RecordingChannel.sent} == told
    assert all(m.task == task and "请加快进度" in m.text for m in RecordingChannel.sent)


@pytest.mark.django_db
def test_a_channel_left_out_of_the_settings_sends_nothing(settings, personas, task):
    settings.NOTIFICATION_CHANNELS = ["tasks.notifications.InAppChannel"]
    comment_add(task=task, author=personas.leader, text="请加快进度")
    assert Notification.objects.count() == 2
    assert mail.outbox == []
