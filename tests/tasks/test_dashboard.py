"""The leaders' dashboard: every figure against an independent count, its drill-down, and its query budget."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks.models import Assignment, Status, Task
from tasks.services import report_submit
from tasks.workflow import review_decide
from tests.helpers import make_division, make_plan, make_task

D = datetime.date
TODAY = D(2026, 5, 28)  # after the due day: not reported means red

# A number cell of a dashboard table: a figure, linked to its tasks.
FIGURE_CELL = r'<td class="text-end[^"]*">(?:<a href="[^"]+">)?\d+(?:</a>)?</td>'


@pytest.fixture
def data(personas, frozen_today):
    """A plan whose tasks cover every state, with reports made on known days."""
    frozen_today(TODAY)
    plan = make_plan(personas.bureau, year=2026)
    d1, d2 = personas.division, personas.other_division
    build = [
        # (lead, deadline, report day, status, percent)
        (d1, D(2026, 12, 31), D(2026, 5, 10), Status.DONE, 100),  # accepted below
        (d1, D(2026, 12, 31), D(2026, 5, 11), Status.DONE, 100),  # awaiting review
        (d1, D(2026, 12, 31), D(2026, 5, 12), Status.IN_PROGRESS, 60),
        (d1, D(2026, 3, 31), D(2026, 5, 12), Status.IN_PROGRESS, 80),  # overdue
        (d2, D(2026, 12, 31), D(2026, 4, 20), Status.IN_PROGRESS, 50),  # not reported in May
        (d2, D(2026, 12, 31), D(2026, 5, 3), Status.BEHIND, 20),
        (d2, D(2026, 12, 31), D(2026, 5, 3), Status.BLOCKED, 30),
        (d2, D(2026, 12, 31), None, None, None),  # never reported
    ]
    tasks = []
    for lead, deadline, day, status, percent in build:
        task = make_task(plan, lead=[lead], deadline=deadline)
        if day:
            report_submit(
                task=task, division=lead, author=None, status=status, percent=percent, progress="进展", day=day
            )
        tasks.append(task)
    review_decide(task=tasks[0], actor=personas.leader, action="accept", comment="同意办结")
    make_task(make_plan(personas.bureau, year=2026), lead=[d1])  # another plan: never counted
    return plan, tasks


def independent_counts(plan):
    tasks = list(Task.objects.filter(plan=plan))
    period = TODAY.replace(day=1)
    return {
        "任务总数": len(tasks),
        "已完成": sum(t.status == Status.DONE for t in tasks),
        "待审核": sum(t.status == Status.PENDING_REVIEW for t in tasks),
        "推进中": sum(t.status in (Status.IN_PROGRESS, Status.NOT_STARTED) for t in tasks),
        "滞后/受阻": sum(t.status in (Status.BEHIND, Status.BLOCKED) for t in tasks),
        "逾期": sum(t.deadline < TODAY and t.status != Status.DONE for t in tasks),
        "本期未报送": sum(
            t.status != Status.DONE and (t.reported_period is None or t.reported_period < period) for t in tasks
        ),
        "已延期": sum(t.original_deadline is not None for t in tasks),
        "总体完成率": f"{round(sum(t.percent for t in tasks) / len(tasks))}%",
    }


def figures(page: str) -> dict:
    pattern = (
        r'<a class="card[^"]*" href="([^"]+)">\s*<div class="card-body py-2">'
        r'<div class="small text-muted">([^<]+)</div><div[^>]*>([^<]+)</div>'
    )
    return {label: (value, url.replace("&amp;", "&")) for url, label, value in re.findall(pattern, page)}


def titles_listed(page: str) -> set[str]:
    return set(re.findall(r'<a href="/tasks/\d+/">([^<]+)</a>', page))


@pytest.mark.django_db
class TestFigures:
    def test_every_figure_equals_an_independent_count(self, client, data, personas):
        plan, _ = data
        client.force_login(personas.leader)
        shown = figures(client.get(reverse("tasks:dashboard"), {"plan": plan.pk}).content.decode())
        expected = independent_counts(plan)
        assert {label: value for label, (value, _) in shown.items()} == {k: str(v) for k, v in expected.items()}
        assert expected["逾期"] == 1 and expected["本期未报送"] == 2 and expected["滞后/受阻"] == 2
        assert expected["已完成"] == 1 and expected["待审核"] == 1

    def test_each_figure_links_to_exactly_its_tasks(self, client, data, personas):
        plan, _ = data
        client.force_login(personas.leader)
        shown = figures(client.get(reverse("tasks:dashboard"), {"plan": plan.pk}).content.decode())
        for label, (value, url) in shown.items():
            if label == "总体完成率":
                continue
            listed = titles_listed(client.get(url).content.decode())
            assert len(listed) == int(value), label

    def test_division_table_counts_and_light(self, client, data, personas):
        plan, _ = data
        client.force_login(personas.leader)
        page = client.get(reverse("tasks:dashboard"), {"plan": plan.pk}).content.decode()
        rows = re.findall(
            rf'<td><a href="([^"]+)">([^<]+)</a></td>((?:{FIGURE_CELL})+)',
            page,
        )
        table = {name: [int(n) for n in re.findall(r">(\d+)<", cells)] for _, name, cells in rows}
        # 牵头任务, 已完成, 待审核, 滞后/受阻, 逾期, 本期未报送, 本期进展雷同
        assert table["基教处"] == [4, 1, 1, 0, 1, 0, 0]
        assert table["督导处"] == [4, 0, 0, 2, 0, 2, 0]
        link = next(url for url, name, _ in rows if name == "督导处").replace("&amp;", "&")
        assert len(titles_listed(client.get(link).content.decode())) == 4
        # Every figure of the table links to exactly its tasks.
        for _, name, cells in rows:
            for url, value in re.findall(r'<a href="([^"]+)">(\d+)</a>', cells):
                listed = titles_listed(client.get(url.replace("&amp;", "&")).content.decode())
                assert len(listed) == int(value), (name, url)

    def test_the_newest_ten_reports_of_the_plan_are_listed_newest_first(self, client, data, personas):
        plan, tasks = data
        task = tasks[2]
        for n in range(12):
            report_submit(
                task=task,
                division=personas.division,
                author=None,
                status=Status.IN_PROGRESS,
                percent=61 + n,
                progress="进展",
                day=D(2026, 5, 13),
            )
        other_plan_task = make_task(make_plan(personas.bureau, year=2026), lead=[personas.division])
        report_submit(
            task=other_plan_task,
            division=personas.division,
            author=None,
            status=Status.IN_PROGRESS,
            percent=99,
            progress="进展",
            day=D(2026, 5, 20),
        )
        client.force_login(personas.leader)
        page = client.get(reverse("tasks:dashboard"), {"plan": plan.pk}).content.decode()
        listed = re.findall(r"：推进中 (\d+)%</li>", page)
        assert listed == [str(p) for p in range(72, 62, -1)]

    def test_staff_cannot_open_the_dashboard(self, client, data, personas):
        client.force_login(personas.staff)
        assert client.get(reverse("tasks:dashboard")).status_code == 403

    def test_a_city_leader_compares_its_districts(self, client, data, personas):
        district_division = make_division(personas.district, "基教科")
        make_task(make_plan(personas.district, year=2026), lead=[district_division])
        client.force_login(personas.leader)
        page = client.get(reverse("tasks:dashboard"), {"view": "rollup"}).content.decode()
        assert "台州市教育局" in page and "椒江区教育局" in page

    def test_the_page_reads_without_javascript(self, client, data, personas):
        plan, _ = data
        client.force_login(personas.leader)
        page = client.get(reverse("tasks:dashboard"), {"plan": plan.pk}).content.decode()
        assert "<table" in page and "各部分进度" in page and "按周趋势" in page and "红灯" in page


def bulk_plan(personas, size: int):
    plan = make_plan(personas.bureau, year=2026)
    tasks = Task.objects.bulk_create(
        Task(plan=plan, number=str(n), text=f"任务{n}", title=f"任务{n}", order=n, deadline=D(2026, 12, 31))
        for n in range(size)
    )
    Assignment.objects.bulk_create(Assignment(task=t, division=personas.division, role="lead") for t in tasks)
    return plan


@pytest.mark.django_db
def test_dashboard_query_budget_for_10_and_2000_tasks(client, personas):
    client.force_login(personas.leader)
    counts = []
    for size in (10, 2000):
        plan = bulk_plan(personas, size)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("tasks:dashboard"), {"plan": plan.pk}).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1] <= 20


@pytest.mark.django_db
def test_a_plan_that_names_only_responsible_units_counts_them_as_leads(client, personas):
    plan = make_plan(personas.bureau, year=2026)
    make_task(plan, responsible=[personas.division, personas.other_division])
    make_task(plan, lead=[personas.other_division], responsible=[personas.division])
    client.force_login(personas.leader)
    page = client.get(reverse("tasks:dashboard"), {"plan": plan.pk}).content.decode()
    division_table = page[page.index('id="division-table"') :]
    rows = dict(
        re.findall(
            r'<td><a href="[^"]+">([^<]+)</a></td><td class="text-end[^"]*"><a href="[^"]+">(\d+)</a></td>',
            division_table,
        )
    )
    assert rows == {"基教处": "1", "督导处": "2"}


@pytest.mark.django_db
def test_tasks_that_name_no_unit_are_counted_apart_not_as_unreported(client, data, personas):
    plan, _ = data
    orphan = make_task(plan)  # the plan named no unit for it
    client.force_login(personas.leader)
    shown = figures(client.get(reverse("tasks:dashboard"), {"plan": plan.pk}).content.decode())
    assert shown["未分配"][0] == "1"
    assert shown["本期未报送"][0] == "2"  # as before: the task nobody answers for is not among them
    listed = titles_listed(client.get(shown["未分配"][1]).content.decode())
    assert listed == {orphan.title}
    assert orphan.title not in titles_listed(client.get(shown["本期未报送"][1]).content.decode())
