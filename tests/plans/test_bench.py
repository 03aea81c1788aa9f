"""The bench command runs end to end on a tiny province, so that it cannot rot."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from bureau.models import Bureau
from plans.bench.measure import measure_load, pick_actors
from plans.bench.province import build_province
from tasks.models import Assignment, ProgressReport, Task
from tests.helpers import make_bureau

PAGES = {
    "tasks_mine",
    "tasks_filtered",
    "task_detail",
    "tasks_mine_kept",
    "tasks_filtered_kept",
    "task_detail_kept",
    "tasks_mine_nearby",
    "tasks_filtered_nearby",
    "task_detail_nearby",
    "tasks_mine_own",
    "tasks_filtered_own",
    "task_detail_own",
    "report_post",
    "month_report_page",
    "month_report_submit",
    "dashboard_district",
    "dashboard_city_rollup",
    "tasks_province",
    "tasks_province_filtered",
    "tasks_root",
    "dashboard_province_rollup",
    "dashboard_root",
    "plan_export_xlsx",
    "floor",
    "task_export_xlsx",
    "task_export_province",
    "task_export_background",
    "import_five_seeds",
}


@pytest.mark.django_db(transaction=True)
def test_bench_at_scale_001_prints_the_contracted_json():
    out = StringIO()
    call_command(
        "bench", "--scale", "0.01", "--json", "--samples", "2", "--import-runs", "1", "--load-seconds", "0", stdout=out
    )
    result = json.loads(out.getvalue())
    assert {"scale", "database", "build_s", "pages"} <= result.keys()
    assert result["scale"] == 0.01
    assert set(result["pages"]) == PAGES
    for name, page in result["pages"].items():
        assert page["p50_ms"] > 0 and page["p95_ms"] >= page["p50_ms"], name
        assert page["queries"] > 0 or name == "task_export_background", name
    # The floor sends as many bytes as the list it is read against, behind the same login.
    assert result["pages"]["floor"]["bytes"] == result["pages"]["tasks_filtered"]["bytes"] > 0
    assert result["pages"]["floor"]["queries"] <= 3
    assert result["pages"]["task_export_province"]["rows"] == result["pages"]["task_export_background"]["rows"] > 0
    assert result["pages"]["tasks_mine"]["queries"] <= 15
    # A typical page seen again with nothing changed comes from the page cache, the same bytes for less.
    for name in ("tasks_mine", "tasks_filtered", "task_detail"):
        drawn, kept = result["pages"][name], result["pages"][f"{name}_kept"]
        assert kept["bytes"] == drawn["bytes"] and kept["queries"] < drawn["queries"], name
    # Another division's report leaves the clerk's own list and task page kept; the leader's list shows it.
    for name in ("tasks_mine", "task_detail"):
        assert result["pages"][f"{name}_nearby"]["queries"] == result["pages"][f"{name}_kept"]["queries"], name
    assert result["pages"]["tasks_filtered_nearby"]["queries"] > result["pages"]["tasks_filtered_kept"]["queries"]
    # The clerk's own report is drawn on each of them, with fewer queries than from nothing kept.
    for name in ("tasks_mine", "tasks_filtered", "task_detail"):
        own, kept = result["pages"][f"{name}_own"], result["pages"][f"{name}_kept"]
        assert kept["queries"] < own["queries"] <= result["pages"][name]["queries"], name
    assert result["pages"]["dashboard_district"]["queries"] <= 20
    assert result["pages"]["month_report_submit"]["rows"] > 0  # the clerk's month sent at once
    # The 教育厅, a city and a district, each with three plans of a hundred tasks.
    assert result["counts"]["bureaus"] == 3 and result["counts"]["tasks"] == 900


@pytest.mark.django_db(transaction=True)
def test_bench_measures_again_a_province_built_earlier_without_rebuilding_it():
    call_command("bench", "--scale", "0.01", "--db-only", stdout=StringIO())
    tasks = list(Task.objects.order_by("pk").values_list("pk", flat=True))
    out = StringIO()
    call_command(
        "bench", "--reuse", "--json", "--samples", "1", "--import-runs", "1", "--load-seconds", "0", stdout=out
    )
    result = json.loads(out.getvalue())
    assert result["build_s"] is None
    assert set(result["pages"]) == PAGES
    assert list(Task.objects.order_by("pk").values_list("pk", flat=True)) == tasks


@pytest.mark.django_db
def test_bench_reuse_refuses_an_empty_database():
    with pytest.raises(CommandError, match="没有可复用的模拟数据") as error:
        call_command("bench", "--reuse", stdout=StringIO())
    assert error.value.returncode == 2


@pytest.mark.django_db
def test_the_province_keeps_its_maintained_state_consistent():
    build_province(0.01)
    assignment = Assignment.objects.select_related("latest_report").order_by("pk").first()
    newest = ProgressReport.objects.filter(task=assignment.task, division=assignment.division).order_by("-created_at")
    assert assignment.latest_report == newest.first()
    assert ProgressReport.objects.filter(task=assignment.task, division=assignment.division).count() == 12
    task = Task.objects.get(pk=assignment.task_id)
    assert task.percent == newest.first().percent


@pytest.mark.django_db
def test_bench_refuses_a_database_with_real_bureaus():
    make_bureau("台州市教育局")
    with pytest.raises(CommandError, match="单独的空数据库") as error:
        call_command("bench", "--scale", "0.01", "--db-only", stdout=StringIO())
    assert error.value.returncode == 2
    assert Bureau.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_month_end_load_counts_requests_and_errors(live_server):
    province = build_province(0.01)
    # The live server shares one in-memory SQLite connection between its
    # request threads, so concurrent clients there would collide inside that
    # one connection; a real deployment gives each worker its own.
    clients = 1 if connection.vendor == "sqlite" and connection.is_in_memory_db() else 3
    result = measure_load(pick_actors(province), live_server.url, seconds=2, clients=clients)
    assert result["requests"] > 0 and result["errors"] == 0, result["first_errors"]
    assert result["rps"] > 0 and result["p95_ms"] > 0


@pytest.mark.django_db(transaction=True)
def test_the_bench_table_reads_each_typical_page_against_the_floor():
    call_command("bench", "--scale", "0.01", "--db-only", stdout=StringIO())
    out = StringIO()
    call_command("bench", "--reuse", "--samples", "1", "--import-runs", "1", "--load-seconds", "0", stdout=out)
    table = out.getvalue()
    for name in ("tasks_mine", "tasks_filtered", "task_detail"):
        line = next(line for line in table.splitlines() if line.startswith(f"{name} ÷ 地板（p50，预算 5 倍）："))
        assert all(f"{words} " in line for words in ("再次打开", "其他处室报送后", "本处室报送后", "首次打开")), line
    assert "tasks_province_filtered" in table and "后台" in table
