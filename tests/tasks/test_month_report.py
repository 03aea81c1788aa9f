"""/tasks/mine/report/: the clerk's month in one list, filled from the last report, saved as drafts the
head sees, sent at once with a bad row refused alone."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks.models import ProgressReport, ReportDraft, Status
from tasks.services import report_submit
from tests.helpers import make_plan, make_target, make_task

D = datetime.date
URL = "tasks:mine_report"


@pytest.fixture
def month(personas, frozen_today):
    frozen_today(D(2026, 5, 22))
    plan = make_plan(personas.bureau, year=2026)
    reported = make_task(plan, lead=[personas.division])
    report_submit(task=reported, division=personas.division, author=personas.staff, status=Status.IN_PROGRESS,
                  percent=40, progress="四月已完成调研", problems="经费未到位", day=D(2026, 4, 20))  # fmt: skip
    with_target = make_task(plan, responsible=[personas.division])
    target = make_target(with_target, metric="覆盖率", value="90", unit="%")
    make_task(plan, lead=[personas.other_division])  # another division's: not on this page
    return reported, with_target, target


def fields(task, **values) -> dict:
    base = {"send": "1", "status": Status.IN_PROGRESS, "percent": "50", "progress": "按计划推进"}
    return {f"t{task.pk}-{name}": value for name, value in {**base, **values}.items()}


@pytest.mark.django_db
class TestMonthReport:
    def test_the_page_lists_the_divisions_tasks_filled_from_its_last_report(self, client, personas, month):
        reported, with_target, _ = month
        client.force_login(personas.staff)
        page = client.get(reverse(URL)).content.decode()
        assert "本月25日前报送，还剩3天" in page
        assert f'id="row-{reported.pk}"' in page and f'id="row-{with_target.pk}"' in page
        assert page.count('<section class="card') == 2
        assert "四月已完成调研" in page and "经费未到位" in page and 'value="40"' in page
        assert "实际值：覆盖率" in page

    def test_good_rows_become_reports_and_a_bad_row_is_marked_and_writes_nothing(self, client, personas, month):
        reported, with_target, target = month
        client.force_login(personas.staff)
        data = {
            "action": "submit",
            **fields(reported, percent="60", progress="五月完成方案"),
            **fields(with_target, percent="120", **{f"target_{target.pk}": "85"}),  # percent out of range
        }
        response = client.post(reverse(URL), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert "已报送 1 项；1 项有误" in page and f'id="row-{with_target.pk}"' in page
        assert list(ProgressReport.objects.filter(period=D(2026, 5, 1)).values_list("task_id", "percent")) == [
            (reported.pk, 60)
        ]
        assert not target.actuals.exists()  # nothing of the bad row, its value included

    def test_a_draft_is_kept_unsent_and_the_head_sees_it(self, client, personas, month):
        reported, _, _ = month
        client.force_login(personas.staff)
        response = client.post(reverse(URL), {"action": "draft", **fields(reported, progress="草拟：五月进展")})
        assert response.status_code == 302
        assert ReportDraft.objects.get().fields["progress"] == "草拟：五月进展"
        assert not ProgressReport.objects.filter(period=D(2026, 5, 1)).exists()
        client.force_login(personas.head)
        page = client.get(reverse(URL)).content.decode()
        assert "草拟：五月进展" in page and "草稿由" in page
        client.post(reverse(URL), {"action": "submit", **fields(reported, progress="草拟：五月进展")})
        assert ProgressReport.objects.get(period=D(2026, 5, 1)).author == personas.head
        assert not ReportDraft.objects.exists()

    def test_someone_of_no_division_has_no_month_page(self, client, personas, month):
        client.force_login(personas.leader)
        assert client.get(reverse(URL)).status_code == 403


@pytest.mark.django_db
def test_the_page_runs_the_same_queries_for_10_and_60_tasks(client, personas, frozen_today):
    frozen_today(D(2026, 5, 22))
    client.force_login(personas.staff)
    counts = []
    for size in (10, 60):
        plan = make_plan(personas.bureau, year=2026)
        for _ in range(size):
            task = make_task(plan, lead=[personas.division])
            make_target(task)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(URL)).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_a_post_that_names_no_action_writes_nothing(client, personas, month):
    reported, _, _ = month
    client.force_login(personas.staff)
    response = client.post(reverse(URL), fields(reported, progress="五月"))
    assert response.status_code == 400
    assert not ProgressReport.objects.filter(period=D(2026, 5, 1)).exists() and not ReportDraft.objects.exists()


@pytest.mark.django_db
def test_a_report_sent_from_the_task_page_supersedes_the_draft(client, personas, month):
    reported, _, _ = month
    client.force_login(personas.staff)
    client.post(reverse(URL), {"action": "draft", **fields(reported, percent="10", progress="旧草稿")})
    client.post(reverse("tasks:report", args=[reported.pk]), {"status": Status.IN_PROGRESS, "percent": "70",
                                                              "progress": "在任务页报送"})  # fmt: skip
    assert not ReportDraft.objects.exists()
    page = client.get(reverse(URL)).content.decode()
    assert "旧草稿" not in page and "在任务页报送" in page


@pytest.mark.django_db
def test_only_rows_with_something_to_send_start_ticked_and_old_years_stay_out(client, personas, month):
    reported, with_target, _ = month  # one reported last month, one never reported
    old = make_task(make_plan(personas.bureau, year=2019), lead=[personas.division])  # a past year left open
    client.force_login(personas.staff)
    page = client.get(reverse(URL)).content.decode()
    assert f'id="send-{reported.pk}" checked' in page
    assert f'id="send-{with_target.pk}">' in page  # not ticked: it would go up empty
    assert f'id="row-{old.pk}"' not in page


@pytest.mark.django_db
def test_a_rows_target_value_is_the_divisions_own_not_another_divisions(client, personas, month):
    _, with_target, target = month  # 基教处 answers for it; 督导处 leads nothing here but reports a value
    from tasks.models import Assignment

    Assignment.objects.create(task=with_target, division=personas.other_division, role=Assignment.Role.LEAD)
    report_submit(task=with_target, division=personas.division, author=None, status=Status.IN_PROGRESS,
                  percent=30, progress="本处室", actuals={target: 40}, day=D(2026, 4, 10))  # fmt: skip
    report_submit(task=with_target, division=personas.other_division, author=None, status=Status.IN_PROGRESS,
                  percent=50, progress="他处室", actuals={target: 77}, day=D(2026, 5, 10))  # fmt: skip
    client.force_login(personas.staff)
    page = client.get(reverse(URL)).content.decode()
    field = page.split(f'name="t{with_target.pk}-target_{target.pk}"', 1)[1].split(">", 1)[0]
    value = field.split('value="', 1)[1].split('"', 1)[0]  # not the whole tag: its id holds the pk's digits
    assert value == "40.00"
