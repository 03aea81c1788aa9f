"""`load_demo`: the seed documents, this year's plans and the demo accounts, again and again without loss."""

import datetime
import json
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from bureau.models import Bureau, Division, Membership
from tasks.dashboard import rollup
from tasks.models import Assignment, Notification, Plan, ProgressReport, Review, Status, Task
from tests.helpers import log_in

TODAY = datetime.date(2026, 12, 1)
DATA = json.loads((settings.BASE_DIR / "fixtures" / "organisation.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("tasks.rules.today", lambda: TODAY)


def counts() -> tuple[int, ...]:
    models = [Bureau, Division, Membership, Plan, Task, Assignment, ProgressReport, Review, Notification]
    return tuple(model.objects.count() for model in models)


def this_years_tasks():
    return Task.objects.filter(plan__in=Plan.objects.running_in(TODAY.year)).current().leaves()


@pytest.mark.django_db
def test_load_demo_twice_keeps_the_data_and_prints_working_accounts(client):
    """One test for the whole data step of `make run`: it imports the seeds once, however often it runs."""
    first = StringIO()
    call_command("load_demo", stdout=first)
    before = counts()
    reports = ProgressReport.objects.count()
    changed = get_user_model().objects.get(username="staff_tz_jjc")
    changed.set_password("my-own-secret")
    changed.save()
    second = StringIO()
    call_command("load_demo", stdout=second)

    assert counts() == before
    assert ProgressReport.objects.count() == reports > 0
    assert "新建教育局 0 个" in second.getvalue() and "已导入过，跳过" in second.getvalue()
    # The five seed documents' six plans, and one plan of this year per demo bureau.
    assert Plan.objects.filter(year_end__lt=TODAY.year).count() == 6
    assert Plan.objects.count() == 6 + 4
    assert Bureau.objects.get(name="龙湾区教育局").parent.name == "温州市教育局"

    assert DATA["demo_password"] in second.getvalue()
    for account in DATA["accounts"]:
        assert account["username"] in second.getvalue()
        password = "my-own-secret" if account["username"] == "staff_tz_jjc" else DATA["demo_password"]
        assert log_in(client, account["username"], password)
    assert not log_in(client, "staff_tz_jjc", DATA["demo_password"])


@pytest.mark.django_db
def test_load_demo_builds_this_years_plans_from_the_seeds_with_work_for_every_account(client):
    call_command("load_demo", stdout=StringIO())

    running = Plan.objects.running_in(TODAY.year)
    assert sorted(running.values_list("bureau__name", flat=True)) == [
        "台州市教育局",
        "温州市教育局",
        "衢州市教育局",
        "龙湾区教育局",
    ]
    # Imported from the Taizhou seed read for this year: the same tasks, sections and units.
    taizhou = running.get(bureau__name="台州市教育局")
    seed = Plan.objects.get(bureau=taizhou.bureau, year_end=2019)
    assert taizhou.title == "台州市教育局2026年工作任务分解方案"
    assert taizhou.tasks.leaves().count() == seed.tasks.leaves().count() == 100
    assert taizhou.sections.count() == seed.sections.count()

    tasks = this_years_tasks().filter(plan=taizhou).with_light()
    assert {"red", "yellow", "green"} <= set(tasks.values_list("light", flat=True))
    assert tasks.filter(status=Status.PENDING_REVIEW).exists() and tasks.filter(accepted_at__isnull=False).exists()
    assert tasks.filter(falls_behind_on__lt=TODAY).exists()  # behind 序时进度, not only by its status
    # Reports spread over the months so far, none after today.
    months = set(ProgressReport.objects.filter(task__plan=taizhou).values_list("period__month", flat=True))
    assert months >= set(range(1, 12)) and not ProgressReport.objects.filter(created_at__date__gt=TODAY).exists()

    for membership in Membership.objects.select_related("user", "division"):
        if membership.division:
            assert this_years_tasks().for_division(membership.division).exists(), membership.user.username
        else:  # a leader or admin: tasks of the bureau's to review
            pending = this_years_tasks().filter(plan__bureau=membership.bureau, status=Status.PENDING_REVIEW)
            assert pending.exists(), membership.user.username

    wenzhou = Bureau.objects.get(name="温州市教育局")
    assert all(row["total"] and row["sum_percent"] for row in rollup(wenzhou, TODAY))  # 全市对比 has figures

    assert log_in(client, "staff_wz_jyy", DATA["demo_password"])
    assert "温州市教育局2026年工作要点" in client.get(reverse("tasks:mine")).content.decode()
