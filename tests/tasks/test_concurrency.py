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
