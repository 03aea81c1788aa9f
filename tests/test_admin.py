import pytest
from django.contrib import admin
from django.urls import reverse

MODEL_ADMINS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in {"bureau", "plans", "tasks"}
)


def test_every_domain_model_is_registered():
    registered = {name for _, name in MODEL_ADMINS}
    assert {
        "bureau",
        "division",
        "duty",
        "dutyitem",
        "membership",
        "plan",
        "section",
        "task",
        "assignment",
        "target",
        "progressreport",
        "attachment",
    } <= registered


@pytest.mark.django_db
@pytest.mark.parametrize(("app_label", "model_name"), MODEL_ADMINS)
@pytest.mark.parametrize("page", ["changelist", "add"])
def test_admin_pages_answer_for_a_superuser(admin_client, app_label, model_name, page):
    response = admin_client.get(reverse(f"admin:{app_label}_{model_name}_{page}"))
    assert response.status_code == 200
    assert "管理" in response.content.decode()


@pytest.mark.django_db
def test_a_district_admin_cannot_detach_their_bureau_from_its_city(client, personas):
    from bureau.models import Membership
    from tests.helpers import make_user

    district_admin = make_user("district_admin", bureau=personas.district, role=Membership.Role.ADMIN)
    client.force_login(district_admin)
    url = reverse("admin:bureau_bureau_change", args=[personas.district.pk])
    client.post(url, {"name": personas.district.name, "short_name": "椒江", "parent": "", "level": "city"})
    personas.district.refresh_from_db()
    assert personas.district.parent == personas.bureau
    # The city's admin, the level above, may move it.
    client.force_login(personas.admin)
    page = client.get(url).content.decode()
    assert 'name="parent"' in page


@pytest.mark.django_db
def test_a_bureau_admin_cannot_take_an_account_that_belongs_to_no_bureau(client, personas, django_user_model):
    from bureau.models import Membership

    root = django_user_model.objects.create_superuser("root", password="x")
    stray = django_user_model.objects.create_user("stray", password="x")
    client.force_login(personas.admin)
    for user in (root, stray):
        client.post(
            reverse("admin:bureau_membership_add"),
            {"user": user.pk, "bureau": personas.bureau.pk, "division": personas.division.pk, "role": "staff"},
        )
        assert not Membership.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_a_report_added_in_the_admin_is_written_under_the_adders_name(client, personas):
    from tasks.models import ProgressReport
    from tests.helpers import make_plan, make_task

    task = make_task(make_plan(personas.bureau), lead=[personas.division])
    client.force_login(personas.admin)
    response = client.post(
        reverse("admin:tasks_progressreport_add"),
        {
            "task": task.pk,
            "division": personas.division.pk,
            "author": personas.staff.pk,  # a name the admin may not write under
            "period": "2026-05-01",
            "status": "in_progress",
            "percent": 30,
            "progress": "补录进展",
            "actuals-TOTAL_FORMS": 0,
            "actuals-INITIAL_FORMS": 0,
            "attachments-TOTAL_FORMS": 0,
            "attachments-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ProgressReport.objects.get().author == personas.admin
