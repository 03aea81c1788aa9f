"""Data versions (bureau/changes.py): a write and its version commit together, and versions never go
back, so a page kept under one is never shown for other data.

These tests commit, as a server does."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection

from bureau import changes
from bureau.models import Division

from ..helpers import make_bureau

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
