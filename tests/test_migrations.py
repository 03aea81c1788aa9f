"""A database made before plans and duties joined tasks/ migrates forward with every row it held."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bureau import changes
from bureau.models import Bureau
from tasks.models import Attachment, Duty, DutyItem, Plan, ProgressReport, Section, Task

BEFORE = [
    ("contenttypes", "0002_remove_content_type_name"),
    ("auth", "0012_alter_user_first_name_max_length"),
    ("bureau", "0004_orderings_by_column"),
    ("plans", "0003_orderings_by_column"),
    ("tasks", "0007_task_all_divisions_role"),
]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.fixture(autouse=True)
def _no_versions():
    # The previous layout has no table for the data versions (bureau/changes.py) that writes move.
    with changes.paused():
        yield


def _fill(apps) -> None:
    """What `make run` at the previous main would hold, written with that main's models."""
    bureau = apps.get_model("bureau", "Bureau").objects.create(name="台州市教育局", short_name="台州", level="city")
    division = apps.get_model("bureau", "Division").objects.create(bureau=bureau, name="基教处")
    plan = apps.get_model("plans", "Plan").objects.create(
        bureau=bureau, title="2026年工作要点", kind="work_points", year_start=2026, year_end=2026
    )
    section = apps.get_model("plans", "Section").objects.create(plan=plan, number="一", title="重点工作")
    tasks = apps.get_model("tasks", "Task")
    task = tasks.objects.create(plan=plan, section=section, number="1", text="推进工作。", title="推进工作", order=1)
    apps.get_model("tasks", "Assignment").objects.create(task=task, division=division, role="lead")
    report = apps.get_model("tasks", "ProgressReport").objects.create(
        task=task,
        division=division,
        period=datetime.date(2026, 5, 1),
        status="in_progress",
        percent=40,
        progress="推进中",
    )
    apps.get_model("tasks", "Attachment").objects.create(
        report=report, file="evidence/a.pdf", original_name="a.pdf", size=1
    )
    duty = apps.get_model("bureau", "Duty").objects.create(bureau=bureau, plan=plan, number=1, text="负责基础教育")
    item = apps.get_model("bureau", "DutyItem").objects.create(duty=duty, text="义务教育", order=1)
    item.units.add(division)
    item.tasks.add(task)
    content_types = apps.get_model("contenttypes", "ContentType")
    plan_type, _ = content_types.objects.get_or_create(app_label="plans", model="plan")
    permission, _ = apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=plan_type, codename="add_plan", defaults={"name": "Can add 工作计划"}
    )
    apps.get_model("auth", "Group").objects.create(name="管理员").permissions.add(permission)


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_previous_layout_keeps_every_row_and_permission():
    executor = _migrate(BEFORE)
    _fill(executor.loader.project_state(BEFORE).apps)

    executor = _migrate(executor.loader.graph.leaf_nodes())

    assert Bureau.objects.count() == 1
    assert (Plan.objects.count(), Section.objects.count(), Task.objects.count()) == (1, 1, 1)
    assert (ProgressReport.objects.count(), Attachment.objects.count()) == (1, 1)
    task = Task.objects.select_related("plan", "section").get()
    assert task.plan.title == "2026年工作要点" and task.section.heading == "一、重点工作"
    item = DutyItem.objects.get()
    assert Duty.objects.get().plan == task.plan
    assert list(item.tasks.all()) == [task] and [d.name for d in item.units.all()] == ["基教处"]
    from django.contrib.auth.models import Group

    assert list(Group.objects.get(name="管理员").permissions.values_list("content_type__app_label", "codename")) == [
        ("tasks", "add_plan")
    ]
