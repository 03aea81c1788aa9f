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


@pytest.mark.django_db
def test_a_revision_keeps_milestones_already_there_and_adds_new_ones():
    from plans.importers import read_plans
    from plans.importers.parsed import ParsedMilestone
    from plans.services import import_file, plan_update

    data = (DATA / "layouts" / "15-xlsx-quarter-header-rows.xlsx").read_bytes()
    (plan,) = import_file(data=data, filename="q.xlsx", bureau_name="安澜市教育局", year=2025)
    before = list(Milestone.objects.order_by("pk").values_list("pk", flat=True))
    (revised,) = read_plans(data, bureau="安澜市教育局", year=2025)
    revised.tasks[0].milestones.append(ParsedMilestone(title="补充节点", due=revised.tasks[0].milestones[0].due))
    plan_update(plan=plan, parsed=revised)
    after = list(Milestone.objects.order_by("pk").values_list("pk", flat=True))
    assert after[: len(before)] == before and len(after) == len(before) + 1
    assert Milestone.objects.get(pk=after[-1]).title == "补充节点"


@pytest.mark.django_db
def test_the_task_page_shows_the_target_and_progress_texts_the_document_gave(client, django_user_model):
    call_command("import_plan", str(DATA / "layouts" / "11-livelihood-target-and-progress.docx"))
    task = Task.objects.exclude(target_text="").exclude(progress_text="").first()
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    page = client.get(task.get_absolute_url()).content.decode()
    assert "年度目标" in page and task.target_text.splitlines()[0] in page
    assert "计划所列进展" in page and task.progress_text.splitlines()[0] in page
