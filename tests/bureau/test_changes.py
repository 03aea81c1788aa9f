"""Data versions (bureau/changes.py): a write and its version commit together, and versions never go
back, so a page kept under one is never shown for other data.

These tests commit, as a server does."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection

from bureau import changes
from bureau.models import Division
from tasks.models import Task

from ..helpers import make_bureau, make_plan, make_task

pytestmark = pytest.mark.django_db(transaction=True)


def everything() -> int:
    return changes.version(connection, None)[0]


def test_a_write_made_on_its_own_moves_the_version_in_its_own_commit(personas):
    before = everything()
    division = Division.objects.create(bureau=personas.bureau, name="安全处")
    assert division.pk and Division.objects.filter(pk=division.pk, name="安全处").exists()
    assert everything() == before + 1
    assert changes.settled(connection)


def test_a_write_whose_version_cannot_move_is_not_made(personas, monkeypatch):
    def unwritable(connection):
        raise DatabaseError("版本表无法写入")

    monkeypatch.setattr(changes, "flush", unwritable)
    with pytest.raises(DatabaseError):
        Division.objects.filter(pk=personas.division.pk).update(name="改过的名字")
    monkeypatch.undo()

    personas.division.refresh_from_db()
    assert personas.division.name == "基教处"


def test_rows_a_write_returns_are_all_handed_to_the_caller(personas):
    before = everything()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bureau_division (bureau_id, name, kind, confirmed) "
            "VALUES (%s, %s, 'internal', %s), (%s, %s, 'internal', %s), (%s, %s, 'internal', %s) RETURNING name",
            [value for name in ("甲处", "乙处", "丙处") for value in (personas.bureau.pk, name, True)],
        )
        assert cursor.fetchone() == ("甲处",)
        assert list(cursor) == [("乙处",), ("丙处",)]
        assert cursor.fetchall() == []
    assert Division.objects.filter(name__in=["甲处", "乙处", "丙处"]).count() == 3
    assert everything() == before + 1


def test_migrate_moves_every_version_on(personas):
    """A migration's own writes are not seen one by one: the versions move once it has run."""
    bureau = make_bureau("丽水市教育局")
    before = changes.version(connection, [bureau.pk])
    call_command("migrate", verbosity=0)
    assert changes.version(connection, [bureau.pk])[0] > before[0]


def test_a_flush_leaves_versions_above_any_there_were(personas):
    before = everything()
    call_command("flush", interactive=False, verbosity=0)
    assert everything() > before


def test_after_a_restore_a_tasks_page_version_is_above_any_it_had(personas):
    """A restore brings back older versions of every scope, a task's too: everything's moves past them all."""
    task = make_task(make_plan(personas.other_bureau))
    task_scope = changes.task_scope(task.pk)
    with changes.within([personas.other_bureau.pk, task_scope]):
        for percent in (10, 20, 30):
            Task.objects.filter(pk=task.pk).update(percent=percent)
    kept_under = changes.version(connection, [task_scope])[0]
    before_restore = changes.total(connection)
    # A superuser's pages are keyed on the bureaus' versions alone; the task's scope is not among them.
    assert changes.version(connection, None)[0] == before_restore - 3
    with changes.paused(), connection.cursor() as cursor:  # the backup was taken before those writes
        cursor.execute(f"DELETE FROM {changes.TABLE} WHERE scope = %s", [task_scope])  # noqa: S608
    changes.advance(connection, above=before_restore)
    assert changes.version(connection, [task_scope])[0] > kept_under


def test_a_task_scope_is_never_declared_without_its_bureau():
    with pytest.raises(ValueError), changes.within([changes.task_scope(1)]):
        pass
