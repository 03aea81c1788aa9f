"""/plans/ and /plans/<id>/: the plan as its document reads, and duties linked to tasks."""

import pytest
from django.urls import reverse

from plans.services import import_file
from tasks.models import DutyItem, Status, TaskEvent
from tasks.services import report_submit
from tests.helpers import make_division, make_plan, make_task
from tests.plans.seeds import WENZHOU_DUTIES, read


@pytest.mark.django_db
def test_plan_list_shows_tasks_and_completion_newest_first(client, personas):
    old = make_plan(personas.bureau, year=2019, title="2019年计划")
    new = make_plan(personas.bureau, year=2026, title="2026年计划")
    task = make_task(new, lead=[personas.division])
    make_task(new, lead=[personas.division])
    report_submit(task=task, division=personas.division, author=None, status=Status.DONE, percent=100, progress="完成")
    make_plan(personas.other_bureau, title="别的局的计划")
    client.force_login(personas.staff)
    page = client.get(reverse("tasks:plan_list")).content.decode()
    assert page.index(new.title) < page.index(old.title)
    assert "别的局的计划" not in page
    assert "50%" in page


@pytest.mark.django_db
class TestDuties:
    @pytest.fixture
    def duties_plan(self, personas):
        (plan,) = import_file(data=read(WENZHOU_DUTIES["docx"]), filename="d.docx", bureau_name="台州市教育局")
        return plan

    def test_the_duties_page_lists_work_items_and_counts_the_uncovered(self, client, personas, duties_plan):
        client.force_login(personas.leader)
        page = client.get(duties_plan.get_absolute_url()).content.decode()
        assert "12 项职责" in page and "<strong>99</strong> 项具体工作事项尚无当前任务对应" in page
        assert "组织全市教育重大课题的调查研究" in page and "市教研院" in page

    def test_an_admin_links_a_task_to_the_suggested_item(self, client, personas, duties_plan):
        task = make_task(
            make_plan(personas.bureau), lead=[personas.division], text="组织开展全市教育重大课题调查研究。"
        )
        client.force_login(personas.admin)
        page = client.get(reverse("tasks:duties", args=[task.pk]))
        best = page.context["suggestions"][0]
        assert best.text == "组织全市教育重大课题的调查研究"
        response = client.post(reverse("tasks:duties", args=[task.pk]), {"items": [best.pk]})
        assert response.status_code == 302
        assert list(task.duty_items.all()) == [best]
        assert TaskEvent.objects.filter(task=task, summary__contains="关联部门职责").exists()
        page = client.get(duties_plan.get_absolute_url()).content.decode()
        assert "<strong>98</strong>" in page and task.title in page

    def test_only_admins_link_duties(self, client, personas, duties_plan):
        task = make_task(make_plan(personas.bureau), lead=[personas.division])
        client.force_login(personas.leader)
        assert client.get(reverse("tasks:duties", args=[task.pk])).status_code == 403
        item = DutyItem.objects.first()
        assert client.post(reverse("tasks:duties", args=[task.pk]), {"items": [item.pk]}).status_code == 403
        assert not task.duty_items.exists()


@pytest.mark.django_db
def test_plan_page_shows_units_light_and_latest_progress(client, personas):
    plan = make_plan(personas.bureau)
    task = make_task(plan, lead=[make_division(personas.bureau, "办公室")])
    lead = task.assignments.get().division
    report_submit(task=task, division=lead, author=None, status=Status.IN_PROGRESS, percent=30, progress="召开了推进会")
    client.force_login(personas.staff)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "办公室" in page and "召开了推进会" in page and "light-" in page
