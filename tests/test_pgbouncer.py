"""Behind PgBouncer in transaction mode (docs/deployment.md): the suite's queries really pass through it,
and a page's statements still have a time limit, the role's, since PgBouncer refuses the `options` that
carry it otherwise. Runs when PGBOUNCER_URL names PgBouncer's admin console (.ci/run sets it)."""

import os

import psycopg2
import pytest
from django.db import connection

PGBOUNCER_URL = os.environ.get("PGBOUNCER_URL", "")
pytestmark = [
    pytest.mark.skipif(not PGBOUNCER_URL, reason="未设置 PGBOUNCER_URL（PgBouncer 管理库地址），.ci/run 会设置"),
    pytest.mark.django_db,
]


def test_the_suites_queries_pass_through_pgbouncer():
    with connection.cursor() as cursor:
        cursor.execute("SELECT inet_server_port(), current_database()")
        server_port, database = cursor.fetchone()
    # PostgreSQL answers on its own port, not the one Django connected to.
    assert str(server_port) != str(connection.settings_dict["PORT"])

    console = psycopg2.connect(PGBOUNCER_URL)
    console.autocommit = True  # the admin console takes no transactions
    try:
        with console.cursor() as cursor:
            cursor.execute("SHOW POOLS")
            columns = [c.name for c in cursor.description]
            pools = {row[columns.index("database")]: row[columns.index("pool_mode")] for row in cursor.fetchall()}
    finally:
        console.close()
    assert pools[database] == "transaction"


def test_a_page_keeps_its_statement_timeout_behind_pgbouncer():
    assert "options" not in connection.settings_dict["OPTIONS"]  # DATABASE_PGBOUNCER=1
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] != "0", "请在数据库角色上设置 statement_timeout（见 docs/deployment.md）"
