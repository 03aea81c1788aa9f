"""The reporting rules on constructed report histories."""

import datetime

import pytest

from tasks.models import Plan, Status, Task
from tasks.rules import Light, falls_behind_on, light_expression, period_start
from tasks.services import report_submit
from tests.helpers import make_bureau, make_division, make_plan, make_task

D = datetime.date


def light_of(task: Task, day: datetime.date) -> str:
    return Task.objects.annotate(light=light_expression(day)).get(pk=task.pk).light


def report(task, division, day, status=Status.IN_PROGRESS, percent=50):
    return report_submit(
        task=task, division=division, author=None, status=status, percent=percent, progress="进展", day=day
    )


@pytest.mark.django_db
class TestTaskState:
    def setup_method(self):
        bureau = make_bureau()
        self.lead = make_division(bureau, "基教处")
        self.second_lead = make_division(bureau, "职成教处")
        self.helper = make_division(bureau, "计财处")
        self.plan = make_plan(bureau, year=2026)

    def test_status_and_percent_come_from_the_lead_not_the_helper(self):
        task = make_task(self.plan, lead=[self.lead], responsible=[self.helper])
        report(task, self.helper, D(2026, 3, 5), Status.DONE, 100)
        report(task, self.lead, D(2026, 3, 6), Status.IN_PROGRESS, 30)
        task.refresh_from_db()
        assert (task.status, task.percent) == (Status.IN_PROGRESS, 30)

    def test_with_two_leads_the_task_is_as_far_as_the_slower(self):
        task = make_task(self.plan, lead=[self.lead, self.second_lead])
        report(task, self.lead, D(2026, 3, 5), Status.IN_PROGRESS, 80)
        report(task, self.second_lead, D(2026, 3, 6), Status.BEHIND, 20)
        task.refresh_from_db()
        assert (task.status, task.percent) == (Status.BEHIND, 20)

    def test_the_latest_report_of_a_division_counts_not_the_highest(self):
        task = make_task(self.plan, lead=[self.lead])
        report(task, self.lead, D(2026, 3, 5), percent=60)
        report(task, self.lead, D(2026, 3, 6), percent=40)
        task.refresh_from_db()
        assert task.percent == 40
        assert task.reports.count() == 2

    def test_reported_period_waits_for_every_lead(self):
        task = make_task(self.plan, lead=[self.lead, self.second_lead])
        report(task, self.lead, D(2026, 3, 5))
        task.refresh_from_db()
        assert task.reported_period is None
        report(task, self.second_lead, D(2026, 3, 9))
        task.refresh_from_db()
        assert task.reported_period == D(2026, 3, 1)


@pytest.mark.django_db
class TestLight:
    def setup_method(self):
        bureau = make_bureau()
        self.lead = make_division(bureau, "基教处")
        self.plan = make_plan(bureau, year=2026)

    def test_a_task_reported_this_month_and_on_schedule_is_green(self):
        task = make_task(self.plan, lead=[self.lead], deadline=D(2026, 12, 31))
        report(task, self.lead, D(2026, 3, 10), percent=30)
        assert light_of(task, D(2026, 3, 28)) == Light.GREEN

    def test_not_reported_is_red_only_after_the_due_day(self):
        task = make_task(self.plan, lead=[self.lead], deadline=D(2026, 12, 31))
        report(task, self.lead, D(2026, 2, 10), percent=20)
        assert light_of(task, D(2026, 3, 25)) == Light.GREEN
        assert light_of(task, D(2026, 3, 26)) == Light.RED

    def test_past_the_deadline_and_not_done_is_red(self):
        task = make_task(self.plan, lead=[self.lead], deadline=D(2026, 6, 30))
        report(task, self.lead, D(2026, 7, 2), percent=90)
        assert light_of(task, D(2026, 7, 2)) == Light.RED

    def test_done_is_never_red_even_past_the_deadline(self):
        task = make_task(self.plan, lead=[self.lead], deadline=D(2026, 6, 30))
        report(task, self.lead, D(2026, 6, 20), Status.DONE, 100)
        assert light_of(task, D(2026, 9, 30)) == Light.GREEN

    @pytest.mark.parametrize("status", [Status.BEHIND, Status.BLOCKED])
    def test_behind_or_blocked_is_yellow(self, status):
        task = make_task(self.plan, lead=[self.lead])
        report(task, self.lead, D(2026, 3, 5), status, 50)
        assert light_of(task, D(2026, 3, 10)) == Light.YELLOW

    def test_twenty_points_behind_the_expected_progress_is_yellow(self):
        # Half the year gone (expected ≈ 50%): 31% is 19 points behind, 29% is 21 behind.
        task = make_task(self.plan, lead=[self.lead], deadline=D(2026, 12, 31))
        report(task, self.lead, D(2026, 7, 1), percent=31)
        assert light_of(task, D(2026, 7, 2)) == Light.GREEN
        report(task, self.lead, D(2026, 7, 1), percent=29)
        assert light_of(task, D(2026, 7, 2)) == Light.YELLOW

    def test_an_imported_task_nobody_touched_turns_yellow_once_a_fifth_of_its_time_is_gone(self):
        task = make_task(self.plan, lead=[self.lead], deadline=D(2026, 12, 31))
        from tasks.services import task_refresh

        task_refresh(task)
        assert light_of(task, D(2026, 2, 1)) == Light.GREEN
        assert light_of(task, D(2026, 3, 20)) == Light.YELLOW


def test_falls_behind_on_is_where_percent_plus_20_meets_the_elapsed_share():
    # 364 days from 1 January to 31 December; 30% + 20 = half of them.
    assert falls_behind_on(starts_on=D(2026, 1, 1), deadline=D(2026, 12, 31), percent=30) == D(2026, 7, 2)
    assert falls_behind_on(starts_on=D(2026, 1, 1), deadline=D(2026, 12, 31), percent=85) is None


@pytest.mark.parametrize(
    ("day", "cycle", "start"),
    [
        (D(2026, 5, 17), Plan.Cycle.MONTHLY, D(2026, 5, 1)),
        (D(2026, 5, 17), Plan.Cycle.QUARTERLY, D(2026, 4, 1)),
        (D(2026, 12, 31), Plan.Cycle.QUARTERLY, D(2026, 10, 1)),
    ],
)
def test_period_start(day, cycle, start):
    assert period_start(day, cycle) == start
