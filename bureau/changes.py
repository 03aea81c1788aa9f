"""Which data has changed: a version per bureau, and one for everything, that every write moves.

A cached page (tasks/page_cache.py) is keyed on the versions of the bureaus it can show. Writes are seen
where they are made, in the database connection (bureau/databases): every INSERT, UPDATE and DELETE through
Django, whatever made it (a form, `update()`, `bulk_create`, a command, raw SQL), marks its scopes
changed, and the connection moves their versions in the statement just before COMMIT, so a version and
the data it stands for commit together and no write is missed. A write is the whole site's change
unless the code around it says which bureaus it touches (`within()`, as a report does), so a forgotten
declaration costs hit rate, never a stale page. Tables no cached page shows are left out (IGNORED).

A report declares more than its bureaus: the divisions answering for its task and the task itself have
scopes too (`division_scope`, `task_scope`), so that a division's own list and a task's page, keyed on
those, stay kept while the other divisions of the bureau report on their own tasks.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import time
from collections.abc import Iterable

from django.db import connections, transaction
from django.db.models.signals import post_migrate, pre_migrate
from django.dispatch import receiver

EVERYTHING = 0  # the scope of a write no code has narrowed: every page is out of date
# Scopes at or above these are a division's and a task's, beside the bureaus' (their ids, far below).
DIVISIONS, TASKS = 1 << 48, 2 << 48
TABLE = "bureau_dataversion"

# Rows no cached page shows, written on nearly every request or by the worker: sessions, login throttling,
# the outbox, the bell (a page's key holds its unread count instead), export jobs' progress.
IGNORED = re.compile(
    r"django_session|axes_\w+|bureau_dataversion|bureau_outboxmessage|tasks_notification|tasks_exportjob"
)
# The tables a declared write may narrow to its scopes: those a report writes. A write to any other table,
# declared or not, moves everything's version, so what is drawn from the rest (bureaus, divisions, plans,
# sections: the list's filter form) may be kept under everything's version alone (`everything()`).
NARROWABLE = re.compile(r"tasks_(?:task|progressreport|actualvalue|attachment|milestone|assignment|reportdraft)")
WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.I)
# Signing in stamps last_login, which no cached page shows.
LAST_LOGIN = re.compile(r'^\s*UPDATE "auth_user" SET "last_login" = %s WHERE "auth_user"\."id" = %s$')

_declared: contextvars.ContextVar[frozenset[int] | None] = contextvars.ContextVar("changes_declared", default=None)
_paused = 0  # while positive (paused()), writes move no versions
_migrating = False


def division_scope(division_id: int) -> int:
    """The scope of what a division's own task list shows: its tasks and its reports on them."""
    return DIVISIONS + division_id


def task_scope(task_id: int) -> int:
    """The scope of what a task's page shows of it: its state, reports and their files."""
    return TASKS + task_id


@contextlib.contextmanager
def within(scopes: Iterable[int]):
    """The writes inside (to the tables a report writes, NARROWABLE) change only these scopes: bureaus'
    data (and what is rolled up from them), and divisions' and tasks' where given, which come with their
    bureaus': a superuser's pages read the bureaus' versions only. A declaration naming no bureau (or
    nothing) is refused."""
    scopes = frozenset(scopes)
    if not any(scope < DIVISIONS for scope in scopes):
        raise ValueError("A declaration names the bureaus its divisions' and tasks' scopes belong to.")
    token = _declared.set(scopes)
    try:
        yield
    finally:
        _declared.reset(token)


def written_table(sql: str) -> str | None:
    """The table `sql` writes to, if it writes data a cached page may show."""
    match = WRITE.match(sql)
    if match is None or IGNORED.fullmatch(match.group(1)) or LAST_LOGIN.match(sql):
        return None
    return match.group(1)


def track(execute, sql, params, many, context):
    """The connection's execute wrapper (bureau/databases): notes the scopes each data write changes."""
    table = None if _paused or _migrating else written_table(sql)
    if table is None:
        return execute(sql, params, many, context)
    scopes = (NARROWABLE.fullmatch(table) and _declared.get()) or {EVERYTHING}
    connection = context["connection"]
    if connection.get_autocommit():
        # A write that would commit on its own gets a transaction of its own, so that its version moves
        # in the same commit: never a committed write whose version has not moved, not even for a moment.
        with transaction.atomic(using=connection.alias):
            result = _noted(execute, sql, params, many, context, scopes)
            if read_ahead := getattr(context["cursor"].cursor, "read_ahead", None):
                with connection.wrap_database_errors:
                    read_ahead()  # SQLite: a statement with rows unread would keep the commit from happening
            return result
    return _noted(execute, sql, params, many, context, scopes)


def _noted(execute, sql, params, many, context, scopes):
    result = execute(sql, params, many, context)
    context["connection"].changed_scopes |= scopes
    return result


def flush(connection) -> None:
    """Moves the versions of the scopes changed, in one statement, in ascending order (two transactions
    never wait for each other's rows the other way round)."""
    scopes = sorted(connection.changed_scopes)
    connection.changed_scopes = set()
    if not scopes:
        return
    rows = ", ".join(["(%s, 1)"] * len(scopes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO bureau_dataversion (scope, version) VALUES {rows} "  # noqa: S608 -- placeholders only
            "ON CONFLICT (scope) DO UPDATE SET version = bureau_dataversion.version + 1",
            scopes,
        )


def settled(connection) -> bool:
    """Whether the connection has no write of its own waiting to commit: only then do the versions it
    reads describe the data it reads, for everyone."""
    return not connection.changed_scopes


def version(connection, scopes: list[int] | None) -> tuple[int, int]:
    """(sum, count) of the versions of `scopes` (bureau ids, or a division's or task's scope) and of
    everything; None means every bureau. Versions only grow, so any write among them changes the sum."""
    with connection.cursor() as cursor:
        if scopes is None:
            # A write that moves a division's or a task's scope moves its bureaus' too (within()).
            cursor.execute(
                "SELECT COALESCE(SUM(version), 0), COUNT(*) FROM bureau_dataversion WHERE scope < %s", [DIVISIONS]
            )
        else:
            scopes = [EVERYTHING, *scopes]
            marks = ", ".join(["%s"] * len(scopes))
            cursor.execute(
                f"SELECT COALESCE(SUM(version), 0), COUNT(*) FROM bureau_dataversion WHERE scope IN ({marks})",  # noqa: S608 -- placeholders only
                scopes,
            )
        total, rows = cursor.fetchone()
    return int(total), int(rows)


def versions(connection, bureau_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Each bureau's version (0 if none has moved yet), of `bureau_ids` or of every bureau, and
    everything's under EVERYTHING."""
    with connection.cursor() as cursor:
        if bureau_ids is None:
            cursor.execute(
                "SELECT b.id, COALESCE(v.version, 0) FROM bureau_bureau b "
                "LEFT JOIN bureau_dataversion v ON v.scope = b.id "
                "UNION ALL SELECT scope, version FROM bureau_dataversion WHERE scope = %s",
                [EVERYTHING],
            )
            found = dict(cursor.fetchall())
        else:
            scopes = [EVERYTHING, *bureau_ids]
            marks = ", ".join(["%s"] * len(scopes))
            cursor.execute(f"SELECT scope, version FROM bureau_dataversion WHERE scope IN ({marks})", scopes)  # noqa: S608 -- placeholders only
            found = {scope: 0 for scope in scopes} | dict(cursor.fetchall())
    found.setdefault(EVERYTHING, 0)
    return {int(scope): int(version) for scope, version in found.items()}


@contextlib.contextmanager
def paused():
    """No versions move inside: for a database whose layout may not have their table yet."""
    global _paused
    _paused += 1
    try:
        yield
    finally:
        _paused -= 1


def advance(connection, above: int = 0) -> None:
    """Moves everything's version past `above` and past every version there has been, for data changed
    where no write was seen: by a migration (its writes are not tracked), a flush or a restore (both
    bring back smaller versions than pages were kept under). A flush leaves nothing to read the old
    versions from, so the clock in microseconds is a floor too: it was one the last time the versions
    started afresh, and they have moved fewer times since than a million a second."""
    if _paused or TABLE not in connection.introspection.table_names():
        return
    floor = max(above + 1, time.time_ns() // 1000)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bureau_dataversion (scope, version) VALUES (%s, %s) ON CONFLICT (scope) DO UPDATE SET "
            "version = CASE WHEN bureau_dataversion.version >= %s THEN bureau_dataversion.version + 1 ELSE %s END",
            [EVERYTHING, floor, floor, floor],
        )


def everything(connection) -> int:
    """Everything's version alone: it moves with every write but a report's (NARROWABLE)."""
    return version(connection, [])[0]


def total(connection) -> int:
    """The sum of every version, of every scope, or 0 when there is no version table yet."""
    if TABLE not in connection.introspection.table_names():
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(version), 0) FROM bureau_dataversion")
        return int(cursor.fetchone()[0])


@receiver(pre_migrate)
def _pause(sender, **kwargs) -> None:
    # `migrate` runs before the version table exists, or while it is being made.
    global _migrating
    _migrating = True


@receiver(post_migrate)
def _resume(sender, using, **kwargs) -> None:
    # Sent once per app, after `migrate` and after `flush`: the versions move once, past what the
    # migrations or the flush may have changed unseen.
    global _migrating
    _migrating = False
    connection = connections[using]
    if sender.label == "bureau" and hasattr(connection, "changed_scopes"):
        advance(connection)
