"""What the gallery's documents carry beyond tasks and units reaches the database and the command."""

import pytest
from django.core.management import call_command

from tasks.models import Milestone, Task

from .layouts import DATA


@pytest.mark.django_db
def test_quarterly_columns_become_milestones_and_leaders_are_kept(capsys):
    path = DATA / "layouts" / "15-xlsx-quarter-header-rows.xlsx"
    call_command("import_plan", str(path), "--bureau", "安澜市教育局", "--year", "2025")
    assert Milestone.objects.count() > 0
    first = Milestone.objects.order_by("due").first()
    assert first.due.month == 3 and first.due.day == 31


@pytest.mark.django_db
def test_the_dry_run_names_ignored_columns_and_tasks_without_units(capsys):
    path = DATA / "layouts" / "10-only-responsible-column.docx"
    call_command("import_plan", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "未识别的列：" in out and "联系人" in out
    assert Task.objects.count() == 0


@pytest.mark.django_db
def test_a_leader_column_reaches_the_task():
    path = DATA / "layouts" / "12-progress-report-leader-columns.docx"
    call_command("import_plan", str(path))
    assert Task.objects.exclude(leader="").count() == Task.objects.count() > 0
