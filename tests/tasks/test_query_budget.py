"""Each list and task page runs the same small number of queries for 10 tasks and for 500."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks.models import Assignment, ProgressReport, Status, Target, Task
from tests.helpers import make_plan

BUDGET = 15


def build(personas, size: int) -> Task:
    plan = make_plan(personas.bureau)
    tasks = Task.objects.bulk_create(
        Task(plan=plan, number=str(n), text=f"任务{n}", title=f"任务{n}", order=n, deadline=datetime.date(2026, 12, 31))
        for n in range(size)
    )
    Assignment.objects.bulk_create(
        [Assignment(task=t, division=personas.division, role=Assignment.Role.LEAD) for t in tasks]
        + [Assignment(task=t, division=personas.other_division, role=Assignment.Role.RESPONSIBLE) for t in tasks]
    )
    first = tasks[0]
    Target.objects.bulk_create(Target(task=first, metric=f"指标{n}", value=n, unit="%") for n in range(3))
    reports = ProgressReport.objects.bulk_create(
        ProgressReport(
            task=first,
            division=personas.division,
            period=datetime.date(2026, 1 + n % 12, 1),
            status=Status.IN_PROGRESS,
            percent=n % 100,
            progress="进展",
        )
        for n in range(min(size, 60))
    )
    Assignment.objects.filter(task__in=tasks, division=personas.division).update(latest_report=reports[-1])
    return first


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page",
    ["mine", "list", "list_filtered", "detail"],
)
def test_pages_run_a_fixed_number_of_queries(client, personas, page):
    counts = []
    for size in (10, 500):
        first = build(personas, size)
        url = {
            "mine": reverse("tasks:mine"),
            "list": reverse("tasks:list"),
            "list_filtered": reverse("tasks:list") + "?status=in_progress&light=green&q=任务",
            "detail": reverse("tasks:detail", args=[first.pk]),
        }[page]
        client.force_login(personas.staff)
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1]
    assert counts[0] <= BUDGET
