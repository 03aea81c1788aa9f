"""The planner finds an index for the queries every page runs, even with fresh statistics."""

import datetime
import re

import pytest
from django.db import connection, transaction
from django.http import QueryDict

from bureau import changes
from bureau.models import DataVersion
from tasks.filters import filtered_rows
from tasks.models import Task
from tasks.paging import plan_count_query
from tests.helpers import make_plan


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite 的查询计划")
def test_leaf_tasks_of_a_plan_are_found_by_index_when_most_tasks_have_no_parent(personas):
    plan = make_plan(personas.bureau)
    tasks = Task.objects.bulk_create(
        Task(plan=plan, number=str(n), text=f"任务{n}", title=f"任务{n}", order=n, deadline=datetime.date(2026, 12, 31))
        for n in range(300)
    )
    with connection.cursor() as cursor:
        # Statistics taken while no task had sub-tasks, as at a province where few plans have any.
        cursor.execute("ANALYZE")
        Task.objects.filter(pk__in=[t.pk for t in tasks[1:3]]).update(parent=tasks[0])
        sql, params = Task.objects.filter(plan=plan).leaves().values_list("pk").query.sql_with_params()
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan_text = " ".join(str(row[-1]) for row in cursor.fetchall())
    # Not "AUTOMATIC ... INDEX": a temporary index over every task, built again for each query.
    assert "AUTOMATIC" not in plan_text
    assert re.search(r"\btask_parent\b", plan_text)
    assert set(Task.objects.filter(plan=plan).leaves()) == set(tasks) - {tasks[0]}


@pytest.mark.django_db
def test_leaf_tasks_are_asked_for_as_not_exists_not_as_an_outer_join():
    # PostgreSQL estimated LEFT JOIN … IS NULL at one row at province scale and looped over every task.
    sql = str(Task.objects.leaves().query).upper()
    assert "NOT EXISTS(" in sql and "LEFT OUTER JOIN" not in sql


def _query_plan(cursor, queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    if connection.vendor == "postgresql":
        cursor.execute("EXPLAIN " + sql, params)
        return " ".join(row[0] for row in cursor.fetchall())
    cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
    return " ".join(str(row[-1]) for row in cursor.fetchall())


def _query_plan_at_scale(queryset, table: str) -> str:
    """The plan of `queryset` with fresh statistics, as if `table` were a province's size: PostgreSQL
    reads a table this small whole anyway, so it is told not to (and given the visibility map a running
    database has). The setting holds for one transaction, whose statements PgBouncer sends down one
    server connection."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
            return _query_plan(cursor, queryset)
        cursor.execute(f"VACUUM ANALYZE {table}")
        with transaction.atomic():
            cursor.execute("SET LOCAL enable_seqscan = off")
            return _query_plan(cursor, queryset)


@pytest.mark.django_db(transaction=True)  # VACUUM runs outside a transaction only
def test_a_lists_rows_are_counted_plan_by_plan_from_the_index_alone(personas):
    # A province's list first counts its 30,000 current tasks per plan (tasks/paging.py): read from the
    # table, each count walked some 11 MB of task text.
    plan = make_plan(personas.bureau)
    Task.objects.bulk_create(
        Task(
            plan=plan,
            number=str(n),
            text=f"任务{n}" * 50,
            title=f"任务{n}",
            order=n,
            archived=n % 10 == 0,
            status=("in_progress", "not_started")[n % 2],
        )
        for n in range(400)
    )
    rows, _ = filtered_rows(personas.leader, QueryDict("status=in_progress"))
    plan_text = _query_plan_at_scale(plan_count_query(rows), "tasks_task")
    assert re.search(r"(Index Only Scan using|COVERING INDEX) task_current_plan_status\b", plan_text), plan_text


@pytest.mark.django_db(transaction=True)  # VACUUM runs outside a transaction only
def test_a_rows_version_is_read_by_its_key(personas):
    # Each row of a list reads its task's version (TaskQuerySet.with_data_version): at a province's scale
    # the table holds a version for every task reported on, which no row should scan.
    plan = make_plan(personas.bureau)
    tasks = Task.objects.bulk_create(
        Task(plan=plan, number=str(n), text=f"任务{n}", title=f"任务{n}", order=n) for n in range(300)
    )
    DataVersion.objects.bulk_create(DataVersion(scope=changes.task_scope(task.pk), version=1) for task in tasks)
    plan_text = _query_plan_at_scale(Task.objects.filter(plan=plan).with_data_version()[:50], "bureau_dataversion")
    by_key = r"Index Scan using bureau_dataversion_pkey|SEARCH \w+ USING INDEX sqlite_autoindex_bureau_dataversion_1"
    assert re.search(by_key, plan_text), plan_text
    assert {task.data_version for task in Task.objects.filter(plan=plan).with_data_version()} == {1}
