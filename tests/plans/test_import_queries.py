"""Confirming an import writes what the preview read in bulk: its queries do not grow with the plan."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans import hostile_files
from tasks.models import Plan, Task

from .test_import_views import admin_client, upload  # noqa: F401 - the fixture is used by name


def confirm_queries(client, personas, rows: int) -> tuple[int, int]:
    """(queries other than INSERT, INSERT statements) of confirming a `rows`-task decomposition table."""
    preview_url = upload(client, hostile_files.largest_plan_xlsx(rows), bureau=personas.bureau.name).url
    form = client.get(preview_url).context["mapping_form"]
    fields = {f"unit_{i}": str(personas.division.pk) for i, _ in enumerate(form.unknown_units)}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(preview_url, {"action": "confirm", **fields})
    assert response.status_code == 302
    assert Task.objects.filter(plan__title__contains="任务分解").count() == rows
    inserts = sum(q["sql"].startswith("INSERT") for q in queries.captured_queries)
    return len(queries.captured_queries) - inserts, inserts


@pytest.mark.django_db
def test_confirming_a_plan_ten_times_larger_runs_the_same_reads(admin_client, personas):  # noqa: F811
    small = confirm_queries(admin_client, personas, 40)
    Plan.objects.all().delete()  # so that the second is a new plan, not a revision of the first
    large = confirm_queries(admin_client, personas, 400)
    assert large[0] == small[0] < 30
    # Rows go in bulk: SQLite's statement size cuts them into batches, PostgreSQL takes one per table.
    assert large[1] <= 30
