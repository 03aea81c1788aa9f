"""催办 and the daily reminders: whom they reached, whom they could not, and never twice a day."""

import datetime
import io

import pytest
from django.contrib.messages import WARNING, get_messages
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from bureau.models import OutboxMessage, Robot
from tasks.models import Milestone, Notification, ReminderLog, Status
from tasks.services import report_submit
from tests.helpers import make_division, make_plan, make_task

D = datetime.date


@pytest.fixture
def task(personas):
    """Led by 基教处 (head and staff), with 督导处 (other_staff) responsible."""
    plan = make_plan(personas.bureau, year=2026)
    return make_task(plan, lead=[personas.division], responsible=[personas.other_division], deadline=D(2026, 12, 31))


def remind(client, name, pk):
    response = client.post(reverse(name, args=[pk]))
    assert response.status_code == 302
    return list(get_messages(response.wsgi_request))[-1]  # the redirect is not followed: earlier ones stay


def recipients():
    return sorted(Notification.objects.values_list("recipient__username", flat=True))


def report(task, division, day, status=Status.IN_PROGRESS):
    report_submit(task=task, division=division, author=None, status=status, percent=50, progress="进展", day=day)


@pytest.mark.django_db
class TestRemindOnATask:
    def test_it_names_whom_it_reached_and_the_division_it_could_not(self, client, personas, task, frozen_today):
        frozen_today(D(2026, 6, 10))
        personas.other_staff.is_active = False
        personas.other_staff.save()
        client.force_login(personas.leader)
        message = remind(client, "tasks:remind", task.pk)
        assert str(message) == "已向基教处 2 人发出催办；督导处 无账号，未能送达。"
        assert recipients() == ["head", "staff"]

    def test_a_second_reminder_the_same_day_sends_nothing_new(self, client, personas, task, frozen_today):
        frozen_today(D(2026, 6, 10))
        client.force_login(personas.leader)
        assert str(remind(client, "tasks:remind", task.pk)) == "已向基教处 2 人、督导处 1 人发出催办。"
        message = remind(client, "tasks:remind", task.pk)
        assert str(message) == "基教处今天已催办过，未重复发送；督导处今天已催办过，未重复发送。"
        assert message.level == WARNING
        assert recipients() == ["head", "other_staff", "staff"]
        frozen_today(D(2026, 6, 11))
        assert str(remind(client, "tasks:remind", task.pk)) == "已向基教处 2 人、督导处 1 人发出催办。"
        assert len(recipients()) == 6

    def test_a_division_chased_today_is_skipped_while_one_given_an_account_since_is_reached(
        self, client, personas, task, frozen_today
    ):
        frozen_today(D(2026, 6, 10))
        personas.other_staff.is_active = False
        personas.other_staff.save()
        client.force_login(personas.leader)
        remind(client, "tasks:remind", task.pk)
        personas.other_staff.is_active = True
        personas.other_staff.save()
        message = remind(client, "tasks:remind", task.pk)
        assert str(message) == "已向督导处 1 人发出催办；基教处今天已催办过，未重复发送。"
        assert recipients() == ["head", "other_staff", "staff"]

    @pytest.mark.parametrize(("first_name", "shown"), [("王明", "王明"), ("", "leader")])
    def test_the_message_names_the_leader_by_name(self, client, personas, task, frozen_today, first_name, shown):
        frozen_today(D(2026, 6, 10))
        personas.leader.first_name = first_name
        personas.leader.save()
        client.force_login(personas.leader)
        remind(client, "tasks:remind", task.pk)
        texts = set(Notification.objects.values_list("text", flat=True))
        assert texts == {f"{shown}催办：请抓紧推进并报送任务“{task.title}”的进展。"}


@pytest.mark.django_db
class TestRemindOnADivision:
    def test_a_second_reminder_the_same_day_sends_nothing_new(self, client, personas, frozen_today):
        frozen_today(D(2026, 6, 10))
        client.force_login(personas.leader)
        assert str(remind(client, "tasks:remind_division", personas.division.pk)) == "已向基教处 2 人发出催办。"
        message = remind(client, "tasks:remind_division", personas.division.pk)
        assert str(message) == "基教处今天已催办过，未重复发送。"
        assert recipients() == ["head", "staff"]

    def test_it_says_a_division_without_accounts_was_not_reached(self, client, personas, frozen_today):
        frozen_today(D(2026, 6, 10))
        empty = make_division(personas.bureau, "安全处")
        client.force_login(personas.leader)
        message = remind(client, "tasks:remind_division", empty.pk)
        assert str(message) == "安全处 无账号，未能送达。"
        assert message.level == WARNING
        assert recipients() == []

    def test_the_database_refuses_a_second_log_of_the_same_reminder(self, personas):
        # Two leaders pressing 催办 at once both pass get_or_create's read; the constraint decides, though the
        # log has no task.
        ReminderLog.objects.create(division=personas.division, sent_on=D(2026, 6, 10), reason="催办")
        with pytest.raises(IntegrityError), transaction.atomic():
            ReminderLog.objects.create(division=personas.division, sent_on=D(2026, 6, 10), reason="催办")


def send_reminders(day: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--date", day, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestSendReminders:
    @pytest.fixture(autouse=True)
    def _due_on_the_25th(self, settings):
        settings.REPORT_DUE_DAY = 25

    def test_it_chases_an_overdue_task_once_a_day(self, personas, task, frozen_today):
        frozen_today(D(2026, 7, 10))
        task.deadline = D(2026, 6, 30)
        task.save()
        assert "逾期催办 2 条" in send_reminders("2026-07-10")
        assert recipients() == ["head", "other_staff", "staff"]
        assert "已超过完成时限" in Notification.objects.first().text
        assert "逾期催办 0 条" in send_reminders("2026-07-10")
        assert len(recipients()) == 3
        assert "逾期催办 2 条" in send_reminders("2026-07-11")

    def test_it_reminds_the_lead_daily_in_the_days_before_the_due_day(self, settings, personas, task, frozen_today):
        settings.REPORT_REMINDER_DAYS = 3
        frozen_today(D(2026, 6, 21))
        report(task, personas.division, D(2026, 5, 10))
        assert "未报送提醒与催办 0 条" in send_reminders("2026-06-21")  # four days before: not yet
        assert "未报送提醒与催办 1 条" in send_reminders("2026-06-22")
        assert "本期进展请于6月25日前报送（还剩3天）" in Notification.objects.first().text
        assert recipients() == ["head", "staff"]  # the lead, whose report the period follows
        assert "未报送提醒与催办 0 条" in send_reminders("2026-06-22")  # once a day
        assert "未报送提醒与催办 1 条" in send_reminders("2026-06-25")
        assert "（今天）" in Notification.objects.order_by("-pk").first().text
        report(task, personas.division, D(2026, 6, 23))
        assert "未报送提醒与催办 0 条" in send_reminders("2026-06-24")  # reported: nothing more

    def test_it_chases_the_lead_of_an_unreported_task_once_the_due_day_has_passed(self, personas, task, frozen_today):
        frozen_today(D(2026, 6, 26))
        report(task, personas.division, D(2026, 5, 10))
        assert "未报送提醒与催办 1 条" in send_reminders("2026-06-26")
        # The lead's report is the one the task's period follows; the responsible division is not chased.
        assert recipients() == ["head", "staff"]
        assert "本期已过25日仍未报送" in Notification.objects.first().text
        assert "未报送提醒与催办 0 条" in send_reminders("2026-06-26")
        report(task, personas.division, D(2026, 6, 26))
        assert "未报送提醒与催办 0 条" in send_reminders("2026-06-27")
        assert len(recipients()) == 2

    def test_a_bureau_wide_robot_hears_an_overdue_task_once_whatever_its_divisions(
        self, personas, task, frozen_today, robot_server
    ):
        whole = Robot.objects.create(
            bureau=personas.bureau, kind=Robot.Kind.WECOM, name="局督办群", webhook=robot_server.wecom_url()
        )
        frozen_today(D(2026, 7, 10))
        task.deadline = D(2026, 6, 30)
        task.save()
        assert "逾期催办 2 条" in send_reminders("2026-07-10")  # 基教处 and 督导处 are each chased
        assert OutboxMessage.objects.filter(robot=whole).count() == 1  # one post in the bureau's group

    def test_a_milestone_past_its_day_is_chased_daily_until_done(self, personas, task, frozen_today):
        frozen_today(D(2026, 7, 10))
        milestone = Milestone.objects.create(task=task, title="出台实施方案", due=D(2026, 6, 30))
        assert "逾期催办 1 条" in send_reminders("2026-07-10")
        assert recipients() == ["head", "other_staff", "staff"]
        assert "节点“出台实施方案”已过节点日期（2026年6月30日）" in Notification.objects.first().text
        assert "逾期催办 0 条" in send_reminders("2026-07-10")  # once a day
        assert "逾期催办 1 条" in send_reminders("2026-07-11")
        milestone.done_at = datetime.datetime(2026, 7, 11, tzinfo=datetime.UTC)
        milestone.save()
        assert "逾期催办 0 条" in send_reminders("2026-07-12")

    def test_settled_tasks_and_closed_plans_are_not_chased(self, personas, task, frozen_today):
        frozen_today(D(2027, 1, 26))
        report(task, personas.division, D(2026, 12, 20), status=Status.DONE)  # awaiting review
        closed = make_task(make_plan(personas.bureau, year=2026), lead=[personas.division], deadline=D(2026, 6, 30))
        closed.plan.closed_at = datetime.datetime(2027, 1, 5, tzinfo=datetime.UTC)
        closed.plan.save()
        assert "逾期催办 0 条，未报送提醒与催办 0 条" in send_reminders("2027-01-26")
        assert recipients() == []


@pytest.mark.django_db
def test_a_closed_plans_task_is_not_chased(client, personas, task):
    from django.utils import timezone

    task.plan.closed_at = timezone.now()
    task.plan.save(update_fields=["closed_at"])
    client.force_login(personas.leader)
    response = client.post(reverse("tasks:remind", args=[task.pk]), {"text": "请加快"})
    assert response.status_code == 409
    assert not Notification.objects.exists() and not ReminderLog.objects.exists()
