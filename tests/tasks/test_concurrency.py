"""Reports arriving at the same moment are all kept (PostgreSQL only: SQLite serialises writers)."""

import threading

import pytest
from django.db import connection, connections

from tasks.models import ProgressReport, Status, Task
from tasks.services import report_submit
from tests.helpers import make_plan, make_task

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="需要 PostgreSQL 才能测试真正的并发写入")


@pytest.mark.django_db(transaction=True)
def test_simultaneous_reports_on_one_task_are_all_kept(personas):
    task = make_task(make_plan(personas.bureau), lead=[personas.division], responsible=[personas.other_division])
    start = threading.Barrier(8)
    errors = []

    def submit(n: int) -> None:
        division = personas.division if n % 2 else personas.other_division
        try:
            start.wait()
            report_submit(
                task=task,
                division=division,
                author=None,
                status=Status.IN_PROGRESS,
                percent=10 + n,
                progress=f"第{n}次",
            )
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert ProgressReport.objects.filter(task=task).count() == 8
    task = Task.objects.get(pk=task.pk)
    lead_reports = ProgressReport.objects.filter(task=task, division=personas.division)
    assert task.percent == lead_reports.order_by("-created_at", "-id").first().percent


@pytest.mark.django_db(transaction=True)
def test_month_end_rush_keeps_every_report_and_refuses_every_stale_edit(personas):
    """20 people report on one task while 5 admins save the same edit form: all 20 reports are kept,
    one edit wins, and the other four are told, in Chinese, that someone changed the task first."""
    from django.test import Client
    from django.urls import reverse

    from bureau.models import Membership
    from tasks.models import TaskEvent
    from tests.helpers import make_user

    task = make_task(make_plan(personas.bureau), lead=[personas.division], responsible=[personas.other_division])
    reporters = [
        make_user(f"clerk{n}", bureau=personas.bureau, role=Membership.Role.STAFF,
                  division=personas.division if n % 2 else personas.other_division)
        for n in range(20)
    ]  # fmt: skip
    admins = [make_user(f"admin{n}", bureau=personas.bureau, role=Membership.Role.ADMIN) for n in range(5)]
    version = Task.objects.get(pk=task.pk).version
    start = threading.Barrier(len(reporters) + len(admins))
    answers: dict[str, list] = {"report": [], "edit": []}
    lock = threading.Lock()

    def act(user, kind: str, n: int) -> None:
        client = Client()
        client.force_login(user)
        try:
            start.wait()
            if kind == "report":
                data = {"status": Status.IN_PROGRESS, "percent": n, "progress": f"第{n}位报送"}
                response = client.post(reverse("tasks:report", args=[task.pk]), data)
            else:
                data = {
                    "version": version,
                    "deadline": f"2026-12-{10 + n}",
                    "deadline_text": "",
                    "lead": [personas.division.pk],
                    "responsible": [personas.other_division.pk],
                }
                response = client.post(reverse("tasks:edit", args=[task.pk]), data)
            with lock:
                answers[kind].append((response.status_code, response.content.decode()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(u, "report", n)) for n, u in enumerate(reporters)]
    threads += [threading.Thread(target=act, args=(u, "edit", n)) for n, u in enumerate(admins)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(code for code, _ in answers["report"]) == [302] * 20
    assert ProgressReport.objects.filter(task=task).count() == 20
    edits = sorted(code for code, _ in answers["edit"])
    assert edits == [302, 409, 409, 409, 409]
    assert all("已被他人修改" in page for code, page in answers["edit"] if code == 409)
    task = Task.objects.get(pk=task.pk)
    assert task.version == version + 1
    assert TaskEvent.objects.filter(task=task, summary__startswith="完成时限").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_division_joining_a_task_waits_for_a_report_on_it_to_commit(personas):
    """The report reads who answers for the task under the task's lock and moves those divisions' pages
    (tasks/page_cache.py): a division given the task meanwhile must not slip in unseen."""
    from django.db import transaction

    from tasks.services import tasks_assign
    from tests.helpers import make_division

    task = make_task(make_plan(personas.bureau), lead=[personas.division])
    joining = make_division(personas.bureau, "安全处")
    reported, release, joined = threading.Event(), threading.Event(), threading.Event()

    def report() -> None:
        try:
            with transaction.atomic():
                report_submit(task=task, division=personas.division, author=None, status=Status.IN_PROGRESS,
                              percent=30, progress="推进。")  # fmt: skip
                reported.set()
                release.wait(10)
        finally:
            connections.close_all()

    def join() -> None:
        try:
            reported.wait(10)
            tasks_assign(tasks=[task], lead=joining)
            joined.set()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=report), threading.Thread(target=join)]
    for thread in threads:
        thread.start()
    assert reported.wait(10)
    assert not joined.wait(0.5)  # held while the report is open
    release.set()
    for thread in threads:
        thread.join(10)
    assert joined.is_set()
    assert task.assignments.filter(division=joining).exists()
