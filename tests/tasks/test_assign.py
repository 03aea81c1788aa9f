"""Tasks a plan names no unit for are listed as 未分配 and given their units several at once."""

import pytest
from django.urls import reverse

from plans.services import import_file
from tasks.models import Task
from tests.helpers import make_division
from tests.plans.test_importers import docx_bytes

NO_UNITS = ["某某市教育局2025年工作要点", "一、重点工作", "1.推进集团化办学。", "2.完善评价制度。", "3.加强队伍建设。"]


@pytest.fixture
def plan(personas):
    (plan,) = import_file(data=docx_bytes(NO_UNITS), filename="p.docx", bureau_name=personas.bureau.name)
    return plan


@pytest.mark.django_db
class TestUnassigned:
    def test_the_plan_page_lists_them_with_a_form_for_admins(self, client, personas, plan):
        client.force_login(personas.admin)
        page = client.get(plan.get_absolute_url()).content.decode()
        assert "未分配：3 项任务未写明责任单位" in page and 'name="tasks"' in page
        client.force_login(personas.leader)
        page = client.get(plan.get_absolute_url()).content.decode()
        assert "未分配：3 项任务" in page and 'name="tasks"' not in page

    def test_chosen_tasks_get_their_lead_and_co_units_in_one_save(self, client, personas, plan):
        first, second, third = plan.tasks.order_by("order")
        co = make_division(personas.bureau, "督导室")
        client.force_login(personas.admin)
        response = client.post(
            reverse("tasks:plan_assign", args=[plan.pk]),
            {"tasks": [first.pk, third.pk], "lead": personas.division.pk, "co": [co.pk]},
        )
        assert response.status_code == 302
        for task in (first, third):
            assert task.lead_labels == [personas.division.name] and task.responsible_labels == ["督导室"]
        assert list(Task.objects.filter(plan=plan).unassigned()) == [second]
        page = client.get(plan.get_absolute_url()).content.decode()
        assert "未分配：1 项任务" in page

    def test_a_task_that_has_units_already_cannot_be_chosen(self, client, personas, plan):
        first = plan.tasks.order_by("order").first()
        client.force_login(personas.admin)
        client.post(reverse("tasks:plan_assign", args=[plan.pk]), {"tasks": [first.pk], "lead": personas.division.pk})
        response = client.post(
            reverse("tasks:plan_assign", args=[plan.pk]), {"tasks": [first.pk], "lead": personas.other_division.pk}
        )
        assert response.status_code == 400
        assert first.lead_labels == [personas.division.name]

    def test_a_missing_lead_is_a_form_error_and_writes_nothing(self, client, personas, plan):
        first = plan.tasks.order_by("order").first()
        client.force_login(personas.admin)
        response = client.post(reverse("tasks:plan_assign", args=[plan.pk]), {"tasks": [first.pk]})
        assert response.status_code == 400 and "请选择牵头单位" in response.content.decode()
        assert not first.assignments.exists()

    def test_the_plan_page_reads_the_same_number_of_queries_with_more_unassigned_tasks(
        self, client, personas, django_assert_max_num_queries
    ):
        client.force_login(personas.admin)
        for size in (3, 30):
            items = [f"{n}.推进第{n}项工作。" for n in range(1, size + 1)]
            (plan,) = import_file(
                data=docx_bytes([f"某某市教育局2025年专项{size}工作要点", "一、重点工作", *items]),
                filename=f"p{size}.docx",
                bureau_name=personas.bureau.name,
                modes={0: "new"},
            )
            with django_assert_max_num_queries(14):
                assert client.get(plan.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_the_preview_offers_a_lead_for_the_tasks_that_name_none(client, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin_client = client
    admin_client.force_login(personas.admin)  # a bureau admin, not the superuser
    upload = SimpleUploadedFile("p.docx", docx_bytes(NO_UNITS))
    response = admin_client.post(reverse("plans:import"), {"file": upload, "bureau": personas.bureau.name})
    preview = response["Location"]
    page = admin_client.get(preview).content.decode()
    assert "未写明单位的 3 项任务的牵头单位" in page
    response = admin_client.post(preview, {"action": "confirm", "default_lead": personas.division.pk})
    assert response.status_code == 302
    plan = Task.objects.first().plan
    assert [t.lead_labels for t in plan.tasks.order_by("order")] == [[personas.division.name]] * 3
    assert not plan.tasks.unassigned().exists()
