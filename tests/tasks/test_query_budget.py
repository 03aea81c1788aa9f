"""Each list and task page runs the same small number of queries for 10 tasks and for 500."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks.models import (
    Assignment,
    Comment,
    ExtensionRequest,
    Milestone,
    ProgressReport,
    Review,
    Status,
    Target,
    Task,
    TaskEvent,
)
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


# Each of a task's lists, what its page then shows, and the queries reading it: a page of reports is
# counted and read (its files and figures only where the task has a file or a target, which these have
# not); every other list is one query.
LISTS = {
    "targets": (lambda task, p: Target.objects.create(task=task, metric="覆盖率", value=90, unit="%"), "覆盖率", 1),
    "reports": (
        lambda task, p: ProgressReport.objects.create(
            task=task, division=p.division, period=datetime.date(2026, 3, 1), status=Status.IN_PROGRESS,
            percent=40, progress="已启动",
        ),
        "已启动",
        2,
    ),
    "comments": (lambda task, p: Comment.objects.create(task=task, author=p.leader, text="抓紧推进"), "抓紧推进", 1),
    "events": (lambda task, p: TaskEvent.objects.create(task=task, actor=p.admin, summary="时限调整"), "时限调整", 1),
    "milestones": (
        lambda task, p: Milestone.objects.create(task=task, title="完成调研", due=datetime.date(2026, 6, 30)),
        "完成调研",
        1,
    ),
    "reviews": (
        lambda task, p: Review.objects.create(
            task=task, action=Review.Action.RETURN, comment="材料不全", decided_by=p.leader
        ),
        "材料不全",
        1,
    ),
    "extension_requests": (
        lambda task, p: ExtensionRequest.objects.create(
            task=task, requested_by=p.head, current_deadline=datetime.date(2026, 6, 30),
            new_deadline=datetime.date(2026, 9, 30), reason="待上级批复",
        ),
        "待上级批复",
        1,
    ),
}  # fmt: skip


def _task_page(client, task: Task) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("tasks:detail", args=[task.pk]))
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", LISTS)
def test_a_tasks_page_reads_only_the_lists_the_task_has(client, personas, name):
    """Most tasks have no 批示, review, milestone or extension: their page does not ask for each."""
    plan = make_plan(personas.bureau)
    bare, one = (Task.objects.create(plan=plan, number=str(n), text="任务", title="任务", order=n) for n in (1, 2))
    make, shown, queries = LISTS[name]
    make(one, personas)
    client.force_login(personas.leader)
    (bare_queries, bare_page), (one_queries, one_page) = _task_page(client, bare), _task_page(client, one)
    assert shown in one_page and shown not in bare_page
    assert "尚无报送。" in bare_page and "暂无批示。" in bare_page
    assert one_queries - bare_queries == queries
