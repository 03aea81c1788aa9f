"""The task page says why its light is what it is, from the same triggers that light the lists."""

import datetime

import pytest
from django.urls import reverse

from tasks.models import Status
from tasks.services import report_submit
from tests.helpers import make_plan, make_task

D = datetime.date


def explanation(client, task) -> str:
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    return page.split('id="light-explanation">', 1)[1].split("</p>", 1)[0]


@pytest.fixture
def plan(personas, frozen_today):
    frozen_today(D(2026, 11, 30))
    return make_plan(personas.bureau, year=2026)


@pytest.mark.django_db
class TestLightExplanation:
    def test_a_task_behind_its_schedule_is_yellow_with_the_figures(self, client, personas, plan):
        task = make_task(plan, lead=[personas.division], deadline=D(2026, 12, 31))
        report_submit(task=task, division=personas.division, author=None, status=Status.IN_PROGRESS, percent=20,
                      progress="推进中", day=D(2026, 11, 10))  # fmt: skip
        client.force_login(personas.leader)
        assert (
            explanation(client, task) == "已过时间 91%，完成率 20%，落后 71 个百分点 → 黄灯：落后序时进度20个百分点以上"
        )

    def test_an_overdue_unreported_task_is_red_for_both_reasons_and_only_those(self, client, personas, plan):
        task = make_task(plan, lead=[personas.division], deadline=D(2026, 11, 1))
        client.force_login(personas.leader)
        assert (
            explanation(client, task)
            == "已过时间 100%，完成率 0%，落后 100 个百分点 → 红灯：已逾期；本期已过25日仍未报送"
        )

    def test_a_task_on_schedule_is_green_and_says_so(self, client, personas, plan):
        task = make_task(plan, lead=[personas.division], deadline=D(2027, 6, 30))
        report_submit(task=task, division=personas.division, author=None, status=Status.IN_PROGRESS, percent=80,
                      progress="推进中", day=D(2026, 11, 10))  # fmt: skip
        client.force_login(personas.leader)
        assert explanation(client, task).endswith("进度正常 → 绿灯：未逾期，本期已报送，未落后序时进度20个百分点")

    def test_a_green_task_not_yet_reported_this_month_says_so_before_the_due_day(self, client, personas, frozen_today):
        frozen_today(D(2026, 11, 10))
        task = make_task(make_plan(personas.bureau, year=2026), lead=[personas.division], deadline=D(2027, 6, 30))
        report_submit(task=task, division=personas.division, author=None, status=Status.IN_PROGRESS, percent=60,
                      progress="推进中", day=D(2026, 10, 10))  # fmt: skip
        client.force_login(personas.leader)
        assert explanation(client, task).endswith(
            "绿灯：未逾期，本期尚未报送（25日前报送即可），未落后序时进度20个百分点"
        )
