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
