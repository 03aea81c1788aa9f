"""考核: a part with nothing to measure earns no free points, equal scores share a rank, and a target with
no reported value is 待填报."""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tasks.assessment import assess
from tasks.models import ActualValue, Status, Task
from tests.helpers import make_division, make_plan, make_report, make_target, make_task

D = datetime.date
TODAY = D(2026, 4, 1)  # January–March are due


def reported(task, division, day, *, status=Status.IN_PROGRESS, actuals=None):
    """A report for `day`'s month made on `day`, with values for some of the task's targets."""
    made = make_report(task, division, status=status, period=day.replace(day=1))
    type(made).objects.filter(pk=made.pk).update(
        created_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    )
    for target, value in (actuals or {}).items():
        ActualValue.objects.create(report=made, target=target, value=value)
    return made


def accepted(task, day):
    Task.objects.filter(pk=task.pk).update(
        status=Status.DONE, accepted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(15)))
    )


def rank_cells(page: str) -> list[tuple[str, str]]:
    """(名次, 单位) of each row of the page's assessment table."""
    table = page[page.index('id="assessment-table"') :]
    return re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td>", table[: table.index("</table>")])


@pytest.mark.django_db
class TestNothingToMeasure:
    def test_a_division_without_targets_gets_no_free_target_points(self, personas, frozen_today):
        frozen_today(TODAY)
        plan = make_plan(personas.bureau, year=2026)  # 40 / 30 / 30
        task = make_task(plan, lead=[personas.division], deadline=D(2026, 12, 31))
        reported(task, personas.division, D(2026, 1, 10))
        reported(task, personas.division, D(2026, 2, 27))  # after the due day
        reported(task, personas.division, D(2026, 3, 5), status=Status.DONE)
        accepted(task, D(2026, 3, 6))

        (score,) = assess(plan, TODAY)
        assert (score.targets_total, score.targets_rate) == (0, None)
        assert (score.on_time_rate, score.reporting_rate) == (1.0, pytest.approx(2 / 3))
        # Not 40 × 1 + 30 × 2/3 + 30 = 90: the targets' 30 go to the other two parts.
        assert score.score == round(40 / 70 * 100 * 1.0 + 30 / 70 * 100 * (2 / 3), 1) == 85.7

    def test_the_weights_scale_to_the_plans_own_total(self, personas, frozen_today):
        frozen_today(TODAY)
        plan = make_plan(personas.bureau, year=2026, weight_on_time=50, weight_reporting=30, weight_targets=20)
        task = make_task(plan, lead=[personas.division], deadline=D(2026, 3, 31))
        reported(task, personas.division, D(2026, 1, 10))  # on time; February and March missing

        (score,) = assess(plan, TODAY)
        # Past its deadline and not accepted: on time 0 of 1; reports 1 of 3; no targets.
        assert score.score == round(50 / 80 * 100 * 0 + 30 / 80 * 100 * (1 / 3), 1) == 12.5
        assert (score.tasks_due, score.on_time, score.reports_due, score.reports_on_time) == (1, 0, 3, 1)

    def test_a_task_not_due_yet_does_not_count_against_on_time(self, personas, frozen_today):
        frozen_today(TODAY)
        plan = make_plan(personas.bureau, year=2026)
        task = make_task(plan, lead=[personas.division], deadline=D(2026, 12, 31))
        for day in (D(2026, 1, 10), D(2026, 2, 10)):
            reported(task, personas.division, day)  # March missing

        (score,) = assess(plan, TODAY)
        # Only reporting has something to measure; it carries the whole 100.
        assert score.score == round(100 * (2 / 3), 1) == 66.7
        assert (score.tasks_due, score.on_time_rate) == (0, None)

    def test_a_returned_task_still_costs_its_penalty(self, personas, frozen_today):
        frozen_today(TODAY)
        plan = make_plan(personas.bureau, year=2026)
        task = make_task(plan, lead=[personas.division], deadline=D(2026, 12, 31))
        for day in (D(2026, 1, 10), D(2026, 2, 10), D(2026, 3, 10)):
            reported(task, personas.division, day)
        task.reviews.create(action="return", comment="不合格", decided_by=personas.leader)

        (score,) = assess(plan, TODAY)
        assert score.score == 100 - 5


@pytest.mark.django_db
class TestTiedScores:
    @pytest.fixture
    def plan(self, personas):
        """Four lead divisions: 办公室 reports every due month, 人事处 and 财务处 two of three, 宣传处 one."""
        plan = make_plan(personas.bureau, year=2026)
        months = {"办公室": 3, "人事处": 2, "财务处": 2, "宣传处": 1}
        for name, count in months.items():
            division = make_division(personas.bureau, name)
            task = make_task(plan, lead=[division], deadline=D(2026, 12, 31))
            for month in range(1, count + 1):
                reported(task, division, D(2026, month, 10))
        return plan

    def test_equal_scores_share_a_rank(self, plan, frozen_today):
        scores = assess(plan, frozen_today(TODAY))
        assert [(s.rank, s.name, s.score) for s in scores] == [
            (1, "办公室", 100.0),
            (2, "人事处", 66.7),
            (2, "财务处", 66.7),
            (4, "宣传处", 33.3),
        ]

    def test_the_page_shows_the_shared_rank(self, client, personas, plan, frozen_today, django_assert_num_queries):
        frozen_today(TODAY)
        client.force_login(personas.leader)
        with django_assert_num_queries(10):
            page = client.get(reverse("tasks:plan_assessment", args=[plan.pk])).content.decode()
        assert rank_cells(page) == [("1", "办公室"), ("2", "人事处"), ("2", "财务处"), ("4", "宣传处")]

    def test_the_workbook_shows_the_shared_rank(self, client, personas, plan, frozen_today):
        frozen_today(TODAY)
        client.force_login(personas.leader)
        content = client.get(reverse("tasks:plan_assessment_xlsx", args=[plan.pk])).content
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert sheet["A3"].value == "名次"
        rows = [(row[0].value, row[1].value) for row in sheet.iter_rows(min_row=4, max_row=7)]
        assert rows == [(1, "办公室"), (2, "人事处"), (2, "财务处"), (4, "宣传处")]


@pytest.mark.django_db
class TestTargetsNotReported:
    @pytest.fixture
    def plan(self, personas):
        """基教处's target has no reported value; 督导处 reported one that misses."""
        plan = make_plan(personas.bureau, year=2026)
        pending = make_task(plan, lead=[personas.division], deadline=D(2026, 12, 31))
        make_target(pending, metric="覆盖面", value="90", unit="%")
        missed = make_task(plan, lead=[personas.other_division], deadline=D(2026, 12, 31))
        target = make_target(missed, metric="达标率", value="95", unit="%")
        for day in (D(2026, 1, 10), D(2026, 2, 10), D(2026, 3, 10)):
            reported(pending, personas.division, day)
            reported(missed, personas.other_division, day, actuals={target: 80})
        return plan

    def test_a_target_without_a_value_is_pending_not_missed(self, plan, frozen_today):
        scores = {s.name: s for s in assess(plan, frozen_today(TODAY))}
        pending, missed = scores["基教处"], scores["督导处"]
        # Pending: only reporting is measured. Missed: reporting 30 of 60, targets 0 of 60.
        assert (pending.score, missed.score) == (100.0, 50.0)
        assert (pending.targets_total, pending.targets_pending, pending.targets_rate) == (1, 1, None)
        assert (missed.targets_total, missed.targets_pending, missed.targets_rate) == (1, 0, 0.0)

    def test_the_page_and_the_workbook_read_pending(self, client, personas, plan, frozen_today):
        frozen_today(TODAY)
        client.force_login(personas.leader)
        page = client.get(reverse("tasks:plan_assessment", args=[plan.pk])).content.decode()
        table = page[page.index('id="assessment-table"') :]
        rows = {name: row for row, name in re.findall(r"(<tr><td>\d+</td><td>([^<]+)</td>.*?</tr>)", table)}
        assert "待填报" in rows["基教处"] and "未达成" not in rows["基教处"]
        assert "待填报" not in rows["督导处"] and ">0%<" in rows["督导处"]

        content = client.get(reverse("tasks:plan_assessment_xlsx", args=[plan.pk])).content
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        header = [cell.value for cell in sheet[3]]
        by_name = {row[1]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=4, values_only=True)}
        assert (by_name["基教处"]["指标达成率"], by_name["基教处"]["待填报指标"]) == ("待填报", 1)
        assert (by_name["督导处"]["指标达成率"], by_name["督导处"]["待填报指标"]) == (0, 0)

    def test_the_dashboard_and_the_task_page_read_pending_too(self, client, personas, plan, frozen_today):
        frozen_today(TODAY)
        client.force_login(personas.leader)
        page = client.get(reverse("tasks:dashboard"), {"plan": plan.pk}).content.decode()
        rows = dict(re.findall(r"<td>(覆盖面|达标率)</td>.*?<td>(?:<span[^>]*>)([^<]+)</span></td></tr>", page))
        assert rows == {"覆盖面": "待填报", "达标率": "未达成"}
        pending = plan.tasks.get(targets__metric="覆盖面")
        detail = client.get(reverse("tasks:detail", args=[pending.pk])).content.decode()
        assert '<span class="text-muted">待填报</span>' in detail and "未达成" not in detail
