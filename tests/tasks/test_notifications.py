"""notify(): the bell at once; email and group robots through the outbox, sent after the event commits."""

import pytest
from django.core import mail
from django.db import transaction

from bureau import outbox
from bureau.models import OutboxMessage, Robot
from tasks.models import Notification
from tasks.notifications import Message
from tasks.services import comment_add
from tests.helpers import make_plan, make_task


class RecordingChannel:
    """A channel as any other would be one: a class with send(messages)."""

    sent: list[Message] = []

    def send(self, messages: list[Message]) -> None:
        RecordingChannel.sent += messages


@pytest.fixture
def task(personas):
    personas.staff.email = "staff@example.gov.cn"
    personas.staff.save()
    return make_task(make_plan(personas.bureau), lead=[personas.division])


def robot(personas, server, *, division=None, kind=Robot.Kind.DINGTALK, **fields):
    url = server.dingtalk_url() if kind == Robot.Kind.DINGTALK else server.wecom_url()
    fields.setdefault("secret", server.secret if kind == Robot.Kind.DINGTALK else "")
    return Robot.objects.create(
        bureau=personas.bureau, division=division, kind=kind, name="督办群", webhook=url, **fields
    )


@pytest.mark.django_db
def test_a_leaders_comment_reaches_the_division_through_every_channel(settings, personas, task):
    settings.NOTIFICATION_CHANNELS = [*settings.NOTIFICATION_CHANNELS, f"{__name__}.RecordingChannel"]
    RecordingChannel.sent = []
    comment_add(task=task, author=personas.leader, text="请加快进度")

    told = {personas.staff, personas.head}
    assert {n.recipient for n in Notification.objects.all()} == told
    assert {m.recipient for m in RecordingChannel.sent} == told
    assert all(m.task == task and "请加快进度" in m.text for m in RecordingChannel.sent)
    # Only who has an address gets an email; it waits in the outbox with a link to the task.
    mail_row = OutboxMessage.objects.get()
    assert (mail_row.channel, mail_row.address, mail_row.state) == ("email", "staff@example.gov.cn", "pending")
    assert mail_row.link.endswith(task.get_absolute_url()) and mail_row.bureau == personas.bureau


@pytest.mark.django_db
def test_the_email_goes_once_the_event_has_committed(personas, task, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment_add(task=task, author=personas.leader, text="请加快进度")
        assert mail.outbox == []  # nothing leaves inside the transaction
    assert [m.to for m in mail.outbox] == [["staff@example.gov.cn"]]
    assert "请加快进度" in mail.outbox[0].body and task.get_absolute_url() in mail.outbox[0].body
    assert OutboxMessage.objects.get().state == OutboxMessage.State.SENT


@pytest.mark.django_db
def test_an_event_rolled_back_leaves_no_message_behind(personas, task, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        comment_add(task=task, author=personas.leader, text="请加快进度")
        raise RuntimeError
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists() and mail.outbox == []


@pytest.mark.django_db
def test_who_turned_email_off_gets_the_bell_only(personas, task):
    personas.staff.membership.email_notifications = False
    personas.staff.membership.save()
    comment_add(task=task, author=personas.leader, text="请加快进度")
    assert Notification.objects.filter(recipient=personas.staff).exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_a_channel_left_out_of_the_settings_sends_nothing(settings, personas, task):
    settings.NOTIFICATION_CHANNELS = ["tasks.notifications.InAppChannel"]
    comment_add(task=task, author=personas.leader, text="请加快进度")
    assert Notification.objects.count() == 2
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
class TestRobots:
    def test_the_divisions_robot_and_the_bureaus_get_one_post_each_with_a_link_and_mentions(
        self, personas, task, robot_server
    ):
        personas.staff.membership.phone = "13800000001"
        personas.staff.membership.save()
        personas.head.membership.phone = "13800000002"
        personas.head.membership.robot_mentions = False  # does not want to be @-ed
        personas.head.membership.save()
        own = robot(personas, robot_server, division=personas.division)
        whole = robot(personas, robot_server, kind=Robot.Kind.WECOM)
        robot(personas, robot_server, division=personas.other_division)  # not the task's division
        robot(personas, robot_server, division=personas.division, active=False)

        comment_add(task=task, author=personas.leader, text="请加快进度")
        posts = OutboxMessage.objects.exclude(channel="email").order_by("robot_id")
        assert [(p.robot, p.channel) for p in posts] == [(own, "dingtalk"), (whole, "wecom")]
        assert posts[0].mentions == ["13800000001"]

        assert outbox.deliver_due() == {"sent": 3, "retry": 0, "failed": 0, "skipped": 0}  # with the email
        ding, wecom = sorted(robot_server.received, key=lambda r: r.kind)
        assert ding.kind == "dingtalk" and "请加快进度" in ding.body["markdown"]["text"]
        assert task.get_absolute_url() in ding.body["markdown"]["text"]
        assert ding.body["at"]["atMobiles"] == ["13800000001"]
        assert wecom.kind == "wecom" and "请加快进度" in wecom.body["markdown"]["content"]

    def test_a_robot_refusing_the_signature_is_recorded_as_failed_not_dropped(self, personas, task, robot_server):
        own = robot(personas, robot_server, division=personas.division, secret="SECwrong")
        comment_add(task=task, author=personas.leader, text="请加快进度")
        outbox.deliver_due()
        post = OutboxMessage.objects.get(robot=own)
        assert post.state == OutboxMessage.State.FAILED and post.attempts == 1
        assert "310000" in post.last_error
        assert Notification.objects.filter(recipient=personas.staff).exists()  # the bell still rang
