"""Small builders for test data; each returns the saved object."""

from __future__ import annotations

import datetime
import itertools
import tracemalloc

from django.contrib.auth import get_user_model
from django.urls import reverse

from bureau.models import Bureau, Division, Membership
from bureau.services import admin_group
from tasks.models import Assignment, Plan, ProgressReport, Section, Status, Target, Task

_counter = itertools.count(1)


def make_bureau(name: str = "", *, parent: Bureau | None = None, **fields) -> Bureau:
    name = name or f"测试{next(_counter)}市教育局"
    fields.setdefault("level", Bureau.Level.DISTRICT if parent else Bureau.Level.CITY)
    return Bureau.objects.create(name=name, short_name=name[:2], parent=parent, **fields)


def make_division(bureau: Bureau, name: str = "", **fields) -> Division:
    return Division.objects.create(bureau=bureau, name=name or f"第{next(_counter)}处", **fields)


def make_user(username: str = "", *, bureau: Bureau, role: str, division: Division | None = None):
    user = get_user_model().objects.create_user(username or f"user{next(_counter)}", password="pw")
    if role == Membership.Role.ADMIN:
        user.is_staff = True  # a bureau's admin, not the deployment's superuser
        user.save()
        user.groups.add(admin_group())
    Membership.objects.create(user=user, bureau=bureau, division=division, role=role)
    return user


def make_plan(bureau: Bureau, *, year: int = 2026, kind: str = Plan.Kind.DECOMPOSITION, **fields) -> Plan:
    fields.setdefault("title", f"{year}年工作任务分解方案{next(_counter)}")
    return Plan.objects.create(bureau=bureau, kind=kind, year_start=year, year_end=year, **fields)


def make_section(plan: Plan, title: str = "", **fields) -> Section:
    return Section.objects.create(plan=plan, title=title or f"第{next(_counter)}部分", **fields)


def make_task(
    plan: Plan,
    *,
    lead: list[Division] = (),
    responsible: list[Division] = (),
    deadline: datetime.date | None = None,
    **fields,
) -> Task:
    n = next(_counter)
    fields.setdefault("number", str(n))
    fields.setdefault("text", f"测试任务{n}：推进某项工作。")
    fields.setdefault("title", fields["text"][:20])
    fields.setdefault("order", n)
    task = Task.objects.create(plan=plan, deadline=deadline or datetime.date(plan.year_end, 12, 31), **fields)
    for division in lead:
        Assignment.objects.create(task=task, division=division, role=Assignment.Role.LEAD)
    for division in responsible:
        Assignment.objects.create(task=task, division=division, role=Assignment.Role.RESPONSIBLE)
    return task


def make_target(task: Task, metric: str = "覆盖面", value: str = "90", unit: str = "%", **fields) -> Target:
    return Target.objects.create(task=task, metric=metric, value=value, unit=unit, **fields)


def make_report(task: Task, division: Division, *, status: str = Status.IN_PROGRESS, percent: int = 50, **fields):
    fields.setdefault("period", datetime.date.today().replace(day=1))
    fields.setdefault("progress", "按计划推进。")
    return ProgressReport.objects.create(task=task, division=division, status=status, percent=percent, **fields)


def log_in(client, username: str, password: str) -> bool:
    """Signs in through the login page, as a person does (login throttling needs the request)."""
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302 and response["Location"] == reverse("home")


class PeakMemory:
    """`with PeakMemory() as peak: …` then `peak.bytes`: the most Python allocated inside the block."""

    bytes = 0

    def __enter__(self) -> PeakMemory:
        tracemalloc.start()
        return self

    def __exit__(self, *exc) -> None:
        self.bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
