"""An archived task and the tasks of a closed plan are read-only: seen, marked, never reported on again."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks.models import ProgressReport, Status
from tests.helpers import make_plan, make_task

REPORT = {"status": Status.IN_PROGRESS, "percent": 40, "progress": "按计划推进。"}


@pytest.fixture
def task(personas):
    plan = make_plan(personas.bureau)
    return make_task(plan, lead=[personas.division])


def make_read_only(task, how):
    if how == "archived":
        task.archived = True
        task.save(update_fields=["archived"])
    else:
        task.plan.closed_at = timezone.now()
        task.plan.save(update_fields=["closed_at"])


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["archived", "closed"])
class TestReadOnly:
    def test_a_report_is_refused_with_the_reason_and_nothing_is_written(self, client, personas, task, how):
        make_read_only(task, how)
        client.force_login(personas.staff)
        response = client.post(reverse("tasks:report", args=[task.pk]), REPORT)
        assert response.status_code == 409
        assert ("归档" if how == "archived" else "年度关闭") in response.content.decode()
        assert client.get(reverse("tasks:report", args=[task.pk])).status_code == 409
        assert ProgressReport.objects.count() == 0

    def test_the_task_page_says_so_and_offers_no_report_button(self, client, personas, task, how):
        make_read_only(task, how)
        client.force_login(personas.staff)
        page = client.get(task.get_absolute_url()).content.decode()
        assert "只能查看" in page and reverse("tasks:report", args=[task.pk]) not in page

    def test_extension_is_refused_too_and_review_only_after_a_revision(self, client, personas, task, how):
        task.status = Status.PENDING_REVIEW
        task.save(update_fields=["status"])
        make_read_only(task, how)
        client.force_login(personas.leader)
        review = client.post(reverse("tasks:review", args=[task.pk]), {"action": "return", "comment": "补充材料"})
        # A closed plan's task awaiting review stays with its plan for that review; an archived one does not.
        assert review.status_code == (409 if how == "archived" else 302)
        client.force_login(personas.head)
        response = client.post(
            reverse("tasks:extension", args=[task.pk]), {"new_deadline": "2030-01-01", "reason": "需要"}
        )
        assert response.status_code == 409
        assert task.reviews.exists() == (how == "closed")
        assert not task.extension_requests.exists()


@pytest.mark.django_db
def test_a_current_task_still_takes_reports(client, personas, task):
    client.force_login(personas.staff)
    assert client.post(reverse("tasks:report", args=[task.pk]), REPORT).status_code == 302
    assert ProgressReport.objects.count() == 1


@pytest.mark.django_db
def test_year_end_close_leaves_tasks_awaiting_review_with_their_plan_and_links_both_ways(client, personas):
    from tasks.workflow import plan_close

    old_plan, next_plan = make_plan(personas.bureau, year=2025), make_plan(personas.bureau, year=2026)
    waiting = make_task(old_plan, lead=[personas.division], status=Status.PENDING_REVIEW, percent=100)
    behind = make_task(old_plan, lead=[personas.division], status=Status.BEHIND, percent=30)
    (carried,) = plan_close(plan=old_plan, actor=personas.admin, carry_into=next_plan)
    assert carried.carried_from == behind and not waiting.carried_into.exists()
    client.force_login(personas.leader)
    assert carried.get_absolute_url() in client.get(behind.get_absolute_url()).content.decode()
    assert behind.get_absolute_url() in client.get(carried.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_dashboard_leaves_a_closed_plan_out_unless_asked_and_pages_mark_it(client, personas, frozen_today):
    import datetime

    frozen_today(datetime.date(2026, 5, 10))
    closed = make_plan(personas.bureau, year=2026, title="2026年已关闭的计划")
    running = make_plan(personas.bureau, year=2026, title="2026年正在执行的计划")
    for plan in (closed, running):
        make_task(plan, lead=[personas.division])
    closed.closed_at = timezone.now()
    closed.save(update_fields=["closed_at"])
    client.force_login(personas.leader)
    page = client.get(reverse("tasks:dashboard")).content.decode()
    assert "2026年已关闭的计划（已关闭）" in page  # offered in the selector, marked
    assert f'value="{running.pk}" selected' in page
    asked = client.get(reverse("tasks:dashboard"), {"plan": closed.pk})
    assert asked.status_code == 200 and f'value="{closed.pk}" selected' in asked.content.decode()
    assert "已关闭" in client.get(reverse("tasks:plan_list")).content.decode()
    assert "已关闭" in client.get(closed.get_absolute_url()).content.decode()
