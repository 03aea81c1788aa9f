"""Closing the loop: milestones, due reminders, extensions, completion review, assessment and year-end."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bureau.models import Membership
from tasks.assessment import assess
from tasks.models import ExtensionRequest, Milestone, Notification, ProgressReport, Review, Status, Task
from tasks.rules import Light, light_expression
from tasks.services import report_submit
from tasks.workflow import WorkflowError, plan_close, review_decide, send_due_reminders
from tests.helpers import make_plan, make_target, make_task

D = datetime.date


def light_of(task, day):
    return Task.objects.annotate(light=light_expression(day)).get(pk=task.pk).light


def report(task, division, day, status=Status.IN_PROGRESS, percent=50, **kwargs):
    """A report made on `day` (its period and its time stamp)."""
    made = report_submit(
        task=task, division=division, author=None, status=status, percent=percent, progress="进展", day=day, **kwargs
    )
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    ProgressReport.objects.filter(pk=made.pk).update(created_at=moment)
    return made


@pytest.fixture
def task(personas):
    plan = make_plan(personas.bureau, year=2026)
    return make_task(plan, lead=[personas.division], responsible=[personas.other_division], deadline=D(2026, 12, 31))


@pytest.mark.django_db
class TestMilestones:
    def test_a_missed_milestone_turns_the_task_yellow_until_ticked(self, personas, task):
        report(task, personas.division, D(2026, 5, 3), percent=40)
        milestone = Milestone.objects.create(task=task, title="6月底前出台文件", due=D(2026, 6, 30))
        report(task, personas.division, D(2026, 7, 3), percent=45)
        assert light_of(task, D(2026, 7, 10)) == Light.YELLOW
        report(task, personas.division, D(2026, 7, 12), percent=50, milestones=[milestone])
        milestone.refresh_from_db()
        assert milestone.done_at is not None
        assert light_of(task, D(2026, 7, 13)) == Light.GREEN

    def test_a_missed_final_deadline_is_red(self, personas, task):
        report(task, personas.division, D(2026, 12, 20), percent=90)
        assert light_of(task, D(2027, 1, 2)) == Light.RED

    @pytest.mark.parametrize(("who", "status"), [("admin", 302), ("head", 302), ("staff", 403), ("leader", 403)])
    def test_admins_and_the_lead_head_set_milestones(self, client, personas, task, who, status):
        client.force_login(getattr(personas, who))
        response = client.post(reverse("tasks:milestones", args=[task.pk]), {"title": "9月投用", "due": "2026-09-30"})
        assert response.status_code == status
        assert task.milestones.exists() == (status == 302)

    def test_the_head_of_a_responsible_division_cannot_set_milestones(self, client, personas, task):
        head = personas.head
        head.membership.division = personas.other_division
        head.membership.save()
        client.force_login(head)
        assert client.get(reverse("tasks:milestones", args=[task.pk])).status_code == 403

    def test_the_report_form_offers_open_milestones(self, client, personas, task):
        milestone = Milestone.objects.create(task=task, title="出台文件", due=D(2026, 6, 30))
        client.force_login(personas.staff)
        response = client.post(
            reverse("tasks:report", args=[task.pk]),
            {"status": Status.IN_PROGRESS, "percent": 30, "progress": "文件已出台", "milestones": [milestone.pk]},
        )
        assert response.status_code == 302
        milestone.refresh_from_db()
        assert milestone.done_in is not None


@pytest.mark.django_db
class TestDueSoon:
    def test_a_deadline_within_three_days_is_yellow(self, personas, task):
        Task.objects.filter(pk=task.pk).update(deadline=D(2026, 6, 12))
        report(task, personas.division, D(2026, 6, 1), percent=90)
        assert light_of(task, D(2026, 6, 8)) == Light.GREEN
        assert light_of(task, D(2026, 6, 9)) == Light.YELLOW

    def test_reminders_are_sent_once_a_day(self, personas, task):
        Task.objects.filter(pk=task.pk).update(deadline=D(2026, 6, 12))
        assert send_due_reminders(D(2026, 6, 10)) == 1
        assert send_due_reminders(D(2026, 6, 10)) == 0
        recipients = set(Notification.objects.values_list("recipient__username", flat=True))
        assert recipients == {"staff", "head", "other_staff"}
        assert send_due_reminders(D(2026, 6, 11)) == 1
        assert send_due_reminders(D(2026, 6, 1)) == 0

    def test_a_milestone_due_soon_is_reminded_too(self, personas, task):
        Milestone.objects.create(task=task, title="完成招标", due=D(2026, 4, 2))
        from tasks.services import task_refresh

        task_refresh(task)
        assert send_due_reminders(D(2026, 3, 31)) == 1
        assert "完成招标" in Notification.objects.first().text

    def test_the_command_is_idempotent(self, personas, task):
        Task.objects.filter(pk=task.pk).update(deadline=D(2026, 6, 12))
        out = io.StringIO()
        call_command("send_reminders", "--date", "2026-06-10", stdout=out)
        call_command("send_reminders", "--date", "2026-06-10", stdout=out)
        assert "1 条" in out.getvalue() and "0 条" in out.getvalue()


@pytest.mark.django_db
class TestExtensions:
    def request_extension(self, client, task, new_deadline="2027-03-31"):
        return client.post(
            reverse("tasks:extension", args=[task.pk]), {"new_deadline": new_deadline, "reason": "用地未落实"}
        )

    def test_the_lead_head_asks_and_a_leader_approves(self, client, personas, task):
        client.force_login(personas.head)
        assert self.request_extension(client, task).status_code == 302
        extension = ExtensionRequest.objects.get()
        assert Notification.objects.filter(recipient=personas.leader, kind="extension").exists()
        client.force_login(personas.leader)
        client.post(reverse("tasks:extension_decide", args=[extension.pk]), {"decision": "approve", "comment": "同意"})
        task.refresh_from_db()
        assert (task.deadline, task.original_deadline) == (D(2027, 3, 31), D(2026, 12, 31))
        page = client.get(task.get_absolute_url()).content.decode()
        assert "已批准延期" in page and "用地未落实" in page
        listed = client.get(reverse("tasks:list"), {"extended": "on"}).content.decode()
        assert task.title in listed

    def test_a_refusal_keeps_the_deadline(self, client, personas, task):
        client.force_login(personas.head)
        self.request_extension(client, task)
        client.force_login(personas.admin)
        extension = ExtensionRequest.objects.get()
        client.post(reverse("tasks:extension_decide", args=[extension.pk]), {"decision": "refuse", "comment": "不同意"})
        task.refresh_from_db()
        assert task.deadline == D(2026, 12, 31) and task.original_deadline is None
        assert ExtensionRequest.objects.get().state == ExtensionRequest.State.REFUSED

    @pytest.mark.parametrize("who", ["staff", "other_staff", "leader"])
    def test_only_the_lead_head_may_ask(self, client, personas, task, who):
        client.force_login(getattr(personas, who))
        assert self.request_extension(client, task).status_code == 403
        assert not ExtensionRequest.objects.exists()

    def test_a_division_cannot_approve_its_own_extension(self, client, personas, task):
        client.force_login(personas.head)
        self.request_extension(client, task)
        extension = ExtensionRequest.objects.get()
        response = client.post(reverse("tasks:extension_decide", args=[extension.pk]), {"decision": "approve"})
        assert response.status_code == 403
        task.refresh_from_db()
        assert task.deadline == D(2026, 12, 31)

    def test_an_earlier_date_is_refused(self, client, personas, task):
        client.force_login(personas.head)
        self.request_extension(client, task, new_deadline="2026-10-01")
        assert not ExtensionRequest.objects.exists()


@pytest.mark.django_db
class TestCompletionReview:
    def test_done_from_the_lead_waits_for_review(self, personas, task):
        report(task, personas.other_division, D(2026, 5, 3), Status.DONE, 100)
        task.refresh_from_db()
        assert task.status == Status.NOT_STARTED  # a responsible division's 已完成 settles nothing
        report(task, personas.division, D(2026, 5, 4), Status.DONE, 100)
        task.refresh_from_db()
        assert task.status == Status.PENDING_REVIEW

    def test_accept_makes_it_done(self, client, personas, task):
        report(task, personas.division, D(2026, 5, 4), Status.DONE, 100)
        client.force_login(personas.leader)
        response = client.post(reverse("tasks:review", args=[task.pk]), {"action": "accept", "comment": "同意办结"})
        assert response.status_code == 302
        task.refresh_from_db()
        assert task.status == Status.DONE and task.accepted_at is not None
        page = client.get(task.get_absolute_url()).content.decode()
        assert "已办结" in page and "同意办结" in page and "leader" in page

    def test_return_sends_it_back_with_a_reason_and_notifies(self, client, personas, task):
        report(task, personas.division, D(2026, 5, 4), Status.DONE, 100)
        client.force_login(personas.admin)
        client.post(reverse("tasks:review", args=[task.pk]), {"action": "return", "comment": "佐证材料不全"})
        task.refresh_from_db()
        assert task.status == Status.IN_PROGRESS
        assert Notification.objects.filter(
            recipient=personas.staff, kind="review", text__contains="佐证材料不全"
        ).exists()
        report(task, personas.division, D(2026, 5, 20), Status.DONE, 100)
        task.refresh_from_db()
        assert task.status == Status.PENDING_REVIEW

    def test_returning_needs_a_reason(self, personas, task):
        report(task, personas.division, D(2026, 5, 4), Status.DONE, 100)
        with pytest.raises(WorkflowError):
            review_decide(task=task, actor=personas.leader, action=Review.Action.RETURN, comment=" ")

    @pytest.mark.parametrize("who", ["staff", "head", "other_staff"])
    def test_a_division_cannot_accept_its_own_task(self, client, personas, task, who):
        report(task, personas.division, D(2026, 5, 4), Status.DONE, 100)
        client.force_login(getattr(personas, who))
        assert client.post(reverse("tasks:review", args=[task.pk]), {"action": "accept"}).status_code == 403
        task.refresh_from_db()
        assert task.status == Status.PENDING_REVIEW

    def test_a_task_not_in_review_cannot_be_reviewed(self, client, personas, task):
        client.force_login(personas.leader)
        response = client.post(reverse("tasks:review", args=[task.pk]), {"action": "accept"})
        assert response.status_code == 409
        assert not Review.objects.exists()

    def test_another_bureaus_leader_cannot_see_the_review_action(self, client, personas, task):
        report(task, personas.division, D(2026, 5, 4), Status.DONE, 100)
        client.force_login(personas.other_leader)
        assert client.post(reverse("tasks:review", args=[task.pk]), {"action": "accept"}).status_code == 404


@pytest.mark.django_db
class TestAssessment:
    def test_scores_follow_the_documented_formula(self, personas, frozen_today):
        frozen_today(D(2026, 4, 1))
        plan = make_plan(personas.bureau, year=2026)
        on_time = make_task(plan, lead=[personas.division], deadline=D(2026, 12, 31))
        returned = make_task(plan, lead=[personas.division], deadline=D(2026, 12, 31))
        make_target(on_time, metric="覆盖面", value="90", unit="%")
        # Reports in January (on time), February (late: after the 25th), none in March.
        report(on_time, personas.division, D(2026, 1, 10), percent=50, actuals=None)
        report(returned, personas.division, D(2026, 2, 27), percent=30)  # after the due day
        target = on_time.targets.get()
        report(on_time, personas.division, D(2026, 2, 5), Status.DONE, 100, actuals={target: 92})
        review_decide(task=on_time, actor=personas.leader, action="accept", comment="")
        report(returned, personas.division, D(2026, 3, 5), Status.DONE, 100)
        review_decide(task=returned, actor=personas.leader, action="return", comment="不合格")

        (score,) = assess(plan, D(2026, 4, 1))
        # Both tasks due January–March: 6 periods; on time: on_time Jan + Feb, returned Mar = 3.
        assert (score.led, score.on_time, score.reports_due, score.reports_on_time) == (2, 1, 6, 3)
        assert (score.targets_total, score.targets_attained, score.returns) == (1, 1, 1)
        assert score.score == round(40 * 1.0 + 30 * 0.5 + 30 * 1.0 - 5, 1)  # returned is not due yet: on time 1 of 1

    def test_weights_are_the_plans_and_only_admins_set_them(self, client, personas):
        plan = make_plan(personas.bureau, year=2026)
        make_task(plan, lead=[personas.division])
        client.force_login(personas.leader)
        url = reverse("tasks:plan_assessment", args=[plan.pk])
        assert client.get(url).status_code == 200
        data = {"weight_on_time": 50, "weight_reporting": 30, "weight_targets": 20, "penalty_per_return": 10}
        assert client.post(url, data).status_code == 403
        client.force_login(personas.admin)
        assert client.post(url, {**data, "weight_targets": 30}).status_code == 400
        assert client.post(url, data).status_code == 302
        plan.refresh_from_db()
        assert (plan.weight_on_time, plan.penalty_per_return) == (50, 10)

    def test_the_ranking_is_on_the_dashboard_and_in_xlsx(self, client, personas):
        plan = make_plan(personas.bureau, year=2026)
        make_task(plan, lead=[personas.division])
        make_task(plan, lead=[personas.other_division])
        client.force_login(personas.leader)
        page = client.get(reverse("tasks:dashboard"), {"plan": plan.pk}).content.decode()
        assert "考核排名" in page and 'id="assessment-table"' in page
        content = client.get(reverse("tasks:plan_assessment_xlsx", args=[plan.pk])).content
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert sheet["A3"].value == "名次" and {sheet["B4"].value, sheet["B5"].value} == {"基教处", "督导处"}

    def test_staff_cannot_see_the_assessment(self, client, personas):
        plan = make_plan(personas.bureau, year=2026)
        client.force_login(personas.staff)
        assert client.get(reverse("tasks:plan_assessment", args=[plan.pk])).status_code == 403


@pytest.mark.django_db
class TestYearEnd:
    def test_the_close_page_counts_exactly_the_tasks_the_close_carries(self, client, personas):
        old_plan = make_plan(personas.bureau, year=2025)
        new_plan = make_plan(personas.bureau, year=2026)
        awaiting = make_task(old_plan, lead=[personas.division])
        report(awaiting, personas.division, D(2025, 6, 1), Status.DONE, 100)  # 待审核: stays for its review
        report(make_task(old_plan, lead=[personas.division]), personas.division, D(2025, 6, 1), percent=60)
        make_task(old_plan, lead=[personas.division])

        client.force_login(personas.admin)
        page = client.get(reverse("tasks:plan_close", args=[old_plan.pk])).content.decode()
        shown = int(re.search(r"尚未办结的任务 <strong>(\d+)</strong> 项", page).group(1))
        client.post(reverse("tasks:plan_close", args=[old_plan.pk]), {"carry_into": new_plan.pk})
        assert shown == new_plan.tasks.count() == 2

    def test_unfinished_tasks_are_carried_into_next_years_plan(self, client, personas):
        old_plan = make_plan(personas.bureau, year=2025)
        new_plan = make_plan(personas.bureau, year=2026)
        done = make_task(old_plan, lead=[personas.division])
        open_task = make_task(old_plan, lead=[personas.division], responsible=[personas.other_division])
        make_target(open_task)
        report(done, personas.division, D(2025, 6, 1), Status.DONE, 100)
        review_decide(task=done, actor=personas.leader, action="accept", comment="")
        report(open_task, personas.division, D(2025, 6, 1), percent=60)

        client.force_login(personas.admin)
        response = client.post(reverse("tasks:plan_close", args=[old_plan.pk]), {"carry_into": new_plan.pk})
        assert response.status_code == 302
        old_plan.refresh_from_db()
        assert old_plan.closed_at is not None
        (carried,) = new_plan.tasks.all()
        assert carried.carried_from == open_task and carried.text == open_task.text
        assert carried.lead_labels == ["基教处"] and carried.targets.count() == 1
        assert carried.deadline == D(2026, 12, 31)
        page = client.get(carried.get_absolute_url()).content.decode()
        assert "结转自" in page and old_plan.title in page

    def test_a_closed_plan_cannot_be_closed_again(self, personas):
        plan = make_plan(personas.bureau, year=2025)
        plan_close(plan=plan, actor=personas.admin)
        with pytest.raises(WorkflowError):
            plan_close(plan=plan, actor=personas.admin)

    def test_only_admins_close_plans(self, client, personas):
        plan = make_plan(personas.bureau, year=2025)
        client.force_login(personas.leader)
        assert client.post(reverse("tasks:plan_close", args=[plan.pk])).status_code == 403


def test_membership_roles_cover_the_review_deciders():
    assert {Membership.Role.LEADER, Membership.Role.ADMIN} <= set(Membership.Role)
