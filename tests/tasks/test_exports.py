"""Downloads: the plan's decomposition table round-trips through the importer; the bulletin carries the figures."""

import datetime
import io

import docx
import openpyxl
import pytest
from django.urls import reverse

from plans.importers import read_plans
from plans.services import import_file
from tasks.models import Status
from tasks.services import report_submit
from tests.helpers import make_division, make_plan, make_task
from tests.plans.seeds import QUZHOU, TAIZHOU, read


@pytest.fixture
def taizhou_plan(personas):
    for name in ("办公室", "高教处", "职成教处", "计财处"):
        make_division(personas.bureau, name)
    (plan,) = import_file(data=read(TAIZHOU["docx"]), filename="t.docx", bureau_name="台州市教育局")
    return plan


def download(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return response.content


@pytest.mark.django_db
class TestPlanWorkbook:
    def test_reimporting_the_export_gives_the_same_tasks_units_and_deadlines(self, client, personas, taizhou_plan):
        client.force_login(personas.leader)
        content = download(client, reverse("tasks:plan_export", args=[taizhou_plan.pk]))
        (parsed,) = read_plans(content)
        stored = list(taizhou_plan.tasks.current().leaves().order_by("order"))
        assert parsed.bureau_name == "台州市教育局"
        assert [(t.number, t.text, t.lead_labels, t.responsible_labels, t.deadline) for t in stored] == [
            (p.number, p.text, p.lead_units, p.responsible_units, p.deadline) for p in parsed.tasks
        ]
        assert [s.heading for s in parsed.sections] == [s.heading for s in taizhou_plan.sections.all()]

    def test_the_leader_the_plan_names_is_exported_and_read_back(self, client, personas, taizhou_plan):
        task = taizhou_plan.tasks.current().leaves().order_by("order").first()
        task.leader = "王副局长"
        task.save(update_fields=["leader"])
        client.force_login(personas.leader)
        (parsed,) = read_plans(download(client, reverse("tasks:plan_export", args=[taizhou_plan.pk])))
        assert parsed.tasks[0].leader == "王副局长"
        assert [t.leader for t in parsed.tasks[1:]] == [""] * (len(parsed.tasks) - 1)
        sheet = openpyxl.load_workbook(io.BytesIO(download(client, reverse("tasks:export")))).active
        leader_column = [c.value for c in sheet[1]].index("责任领导")
        assert "王副局长" in [row[leader_column] for row in sheet.iter_rows(min_row=2, values_only=True)]

    def test_a_prose_plan_with_nested_sections_round_trips_too(self, client, personas):
        (plan,) = import_file(data=read(QUZHOU["docx"]), filename="q.docx", bureau_name="台州市教育局")
        client.force_login(personas.leader)
        (parsed,) = read_plans(download(client, reverse("tasks:plan_export", args=[plan.pk])))
        assert len(parsed.tasks) == 82
        assert parsed.tasks[0].responsible_units == ["基教处", "督导处"]
        assert (parsed.year_start, parsed.year_end) == (2016, 2020)

    def test_the_sheet_is_laid_out_like_the_bureaus_tables(self, client, personas, taizhou_plan):
        client.force_login(personas.leader)
        sheet = openpyxl.load_workbook(
            io.BytesIO(download(client, reverse("tasks:plan_export", args=[taizhou_plan.pk])))
        ).active
        header = [c.value for c in sheet[3]]
        assert header == [
            "序号",
            "主要工作",
            "牵头单位",
            "责任单位",
            "责任领导",
            "完成时限",
            "状态",
            "完成率",
            "最新进展",
            "最近报送",
        ]
        assert sheet.freeze_panes == "A4"
        assert sheet.auto_filter.ref.startswith("A3:J")
        assert sheet["A4"].value == "一、全面推进“两个战略”"
        assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width
        assert sheet["B5"].alignment.wrap_text

    def test_another_bureaus_plan_cannot_be_exported(self, client, personas, taizhou_plan):
        client.force_login(personas.other_leader)
        assert client.get(reverse("tasks:plan_export", args=[taizhou_plan.pk])).status_code == 404


@pytest.mark.django_db
def test_my_tasks_export_holds_the_divisions_tasks_not_the_bureaus(client, personas):
    plan = make_plan(personas.bureau)
    mine = [make_task(plan, lead=[personas.division]), make_task(plan, responsible=[personas.division])]
    make_task(plan, lead=[personas.other_division])
    client.force_login(personas.staff)
    page = client.get(reverse("tasks:mine")).content.decode()
    assert reverse("tasks:mine_export") in page
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, reverse("tasks:mine_export")))).active
    assert sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True)) == sorted(t.number for t in mine)


@pytest.mark.django_db
def test_task_list_export_is_exactly_the_filtered_list(client, personas, taizhou_plan):
    behind = taizhou_plan.tasks.get(number="13")
    lead = behind.assignments.filter(role="lead").first().division
    report_submit(task=behind, division=lead, author=None, status=Status.BEHIND, percent=10, progress="慢")
    client.force_login(personas.leader)
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, reverse("tasks:export"), status=Status.BEHIND))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "主要工作", "计划")
    assert [r[0] for r in rows[1:]] == ["13"]
    everything = openpyxl.load_workbook(io.BytesIO(download(client, reverse("tasks:export")))).active
    assert everything.max_row == 1 + 100


@pytest.mark.django_db
class TestBulletin:
    def test_the_bulletin_opens_and_carries_the_figures(self, client, personas, taizhou_plan):
        task = taizhou_plan.tasks.get(number="13")
        lead = task.assignments.filter(role="lead").first().division
        report_submit(
            task=task,
            division=lead,
            author=None,
            status=Status.BEHIND,
            percent=10,
            progress="用地指标未落实",
            day=datetime.date(2019, 5, 10),
        )
        client.force_login(personas.leader)
        content = download(client, reverse("tasks:plan_bulletin", args=[taizhou_plan.pk]), period="2019-05")
        document = docx.Document(io.BytesIO(content))
        text = "\n".join(p.text for p in document.paragraphs)
        assert "督查通报" in text and "2019年5月" in text
        assert "重点任务共100项" in text and "滞后或受阻1项" in text
        cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
        assert "用地指标未落实" in cells
        assert document.styles["Normal"].font.name == "仿宋_GB2312"  # GB/T 9704: tests/tasks/test_bulletin.py
        missing = next(p.text for p in document.paragraphs if "请以上单位抓紧报送" in p.text).split("。")[0]
        assert "督导处" in missing.split("、")

    def test_a_malformed_period_is_a_400(self, client, personas, taizhou_plan):
        client.force_login(personas.leader)
        response = client.get(reverse("tasks:plan_bulletin", args=[taizhou_plan.pk]), {"period": "2019-13"})
        assert response.status_code == 400


EXPORTS = ["tasks:plan_export", "tasks:export"]


def exported_cells(client, personas, plan, url_name: str, first_task_text: str) -> list:
    """Every cell of the plan's or the task list's export, once the plan's first task reads `first_task_text`."""
    plan.tasks.filter(number="1").update(text=first_task_text)
    client.force_login(personas.leader)
    url = reverse(url_name, args=[plan.pk]) if url_name == "tasks:plan_export" else reverse("tasks:export")
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, url))).active
    return [c for row in sheet.iter_rows() for c in row]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", EXPORTS)
def test_exported_text_that_looks_like_a_formula_or_a_link_stays_text(client, personas, taizhou_plan, url_name):
    text = '=HYPERLINK("http://example.com") 推进义务教育优质均衡'
    cells = exported_cells(client, personas, taizhou_plan, url_name, text)
    cell = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"
    assert cell.hyperlink is None


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", EXPORTS)
def test_a_task_with_control_characters_still_exports(client, personas, taizhou_plan, url_name):
    # Word's manual line break arrives as a vertical tab; XML cannot hold it as it is.
    cells = exported_cells(client, personas, taizhou_plan, url_name, "推进义务教育\x0b优质均衡\x1f发展")
    assert any(str(c.value).startswith("推进义务教育") for c in cells)
