"""Downloads: the plan's decomposition table round-trips through the importer; the bulletin carries the figures."""

import datetime
import io
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.importers import read_plans
from plans.services import import_file, preview_file
from tasks import rules
from tasks.models import Status
from tasks.services import report_submit
from tests.helpers import make_division, make_plan, make_target, make_task
from tests.plans.seeds import QUZHOU, TAIZHOU, read


@pytest.fixture
def taizhou_plan(personas):
    for name in ("办公室", "高教处", "职成教处", "计财处"):
        make_division(personas.bureau, name)
    (plan,) = import_file(data=read(TAIZHOU["docx"]), filename="t.docx", bureau_name="台州市教育局")
    return plan


LEDGER_HEADER = [
    "序号",
    "主要工作",
    "牵头单位",
    "责任单位",
    "责任领导",
    "完成时限",
    "时限日期",
    "状态",
    "完成率",
    "红黄绿灯",
    "序时进度",
    "最新进展情况",
    "最新存在问题",
    "最新下步打算",
    "指标及实际值",
    "最近报送",
]


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
        assert header == LEDGER_HEADER
        assert sheet.freeze_panes == "A4"
        assert sheet.auto_filter.ref.startswith("A3:P")
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


D = datetime.date
TODAY = D(2026, 5, 28)
REPORT_HEADER = [
    "序号",
    "任务",
    "报送单位",
    "报送人",
    "报送时间",
    "状态",
    "完成率",
    "进展情况",
    "存在问题",
    "下步打算",
    "进展雷同",
]


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def as_dicts(sheet, header_row: int) -> list[dict]:
    header = [c.value for c in sheet[header_row]]
    return [
        dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=header_row + 1, values_only=True)
        if row[1] and row[0] is not None and row[0] != row[1]  # section rows repeat their merged heading
    ]


@pytest.fixture
def ledger(personas, frozen_today):
    """One task led by 基教处 with 督导处 responsible, two targets, April and May reports."""
    frozen_today(TODAY)
    plan = make_plan(personas.bureau, year=2026, title="台州市教育局2026年重点工作任务分解表")
    d1, d2 = personas.division, personas.other_division
    personas.staff.first_name = "张明"
    personas.staff.save(update_fields=["first_name"])
    task = make_task(plan, lead=[d1], responsible=[d2], deadline=D(2026, 10, 31), deadline_text="10月底前")
    task.leader = "李副局长"
    task.save(update_fields=["leader"])
    coverage = make_target(task, "覆盖面", "90", "%")
    make_target(task, "示范校", "10", "所", order=1)
    quiet = make_task(plan, lead=[d2])  # never reported on
    old = "完成课后服务摸底，覆盖面达到80%，召开推进会两次，印发工作指引并指导各地制定实施方案。"

    def send(division, day, progress, author=None, **fields):
        return report_submit(task=task, division=division, author=author, status=Status.IN_PROGRESS,
                             percent=fields.pop("percent", 40), progress=progress, day=day, **fields)  # fmt: skip

    send(d1, D(2026, 4, 20), old, problems="师资不足", next_steps="扩面")
    send(d1, D(2026, 5, 20), old.replace("80%", "85%"), personas.staff, problems="师资不足", next_steps="扩面",
         actuals={coverage: Decimal("85")}, percent=60)  # fmt: skip
    send(d2, D(2026, 5, 21), "开展专项督查，抽查学校42所。")
    return plan, task, quiet


@pytest.mark.django_db
class TestLedger:
    def check_print_layout(self, sheet, header_row: int, last_column: str):
        assert sheet.freeze_panes == f"A{header_row + 1}"
        assert sheet.auto_filter.ref.startswith(f"A{header_row}:{last_column}")
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # One page wide (1 is the attribute's default, left unwritten), as many pages down as it takes.
        assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == f"${header_row}:${header_row}"

    def check_task_row(self, row: dict, task):
        assert row["序号"] == task.number and row["主要工作"] == task.text
        assert (row["牵头单位"], row["责任单位"], row["责任领导"]) == ("基教处", "督导处", "李副局长")
        assert row["完成时限"] == "10月底前"
        assert row["时限日期"] == datetime.datetime(2026, 10, 31)  # a date cell, not text
        assert (row["状态"], row["完成率"], row["红黄绿灯"]) == ("推进中", 60, "绿灯")
        assert row["序时进度"] == rules.elapsed_percent(D(2026, 1, 1), D(2026, 10, 31), TODAY)
        assert row["最新进展情况"] == (
            "基教处：完成课后服务摸底，覆盖面达到85%，召开推进会两次，印发工作指引并指导各地制定实施方案。\n"
            "督导处：开展专项督查，抽查学校42所。"
        )
        assert row["最新存在问题"] == "基教处：师资不足"
        assert row["最新下步打算"] == "基教处：扩面"
        assert row["指标及实际值"] == "覆盖面 ≥90%（实际 85%）\n示范校 ≥10所（待填报）"
        assert isinstance(row["最近报送"], datetime.datetime)

    def check_report_sheet(self, book, task):
        sheet = book["报送记录"]
        assert [c.value for c in sheet[1]] == REPORT_HEADER
        rows = as_dicts(sheet, 1)
        # The period's reports only: April's is not in May's record.
        assert [(r["报送单位"], r["报送人"], r["完成率"], r["进展雷同"]) for r in rows] == [
            ("基教处", "张明", 60, "是"),
            ("督导处", None, 40, None),  # sent by no one the system knows
        ]
        assert rows[0]["任务"] == f"{task.number} {task.title}"
        assert rows[0]["存在问题"] == "师资不足" and rows[1]["进展情况"] == "开展专项督查，抽查学校42所。"
        assert isinstance(rows[0]["报送时间"], datetime.datetime)
        self.check_print_layout(sheet, 1, "K")

    def test_the_plan_export_carries_every_column_of_a_ledger(self, client, personas, ledger):
        plan, task, quiet = ledger
        client.force_login(personas.leader)
        book = workbook(download(client, reverse("tasks:plan_export", args=[plan.pk])))
        sheet = book["任务分解"]
        assert [c.value for c in sheet[3]] == LEDGER_HEADER
        rows = {r["序号"]: r for r in as_dicts(sheet, 3)}
        self.check_task_row(rows[task.number], task)
        unreported = rows[quiet.number]
        assert (unreported["最新进展情况"], unreported["指标及实际值"], unreported["最近报送"]) == (None, None, None)
        self.check_print_layout(sheet, 3, "P")
        self.check_report_sheet(book, task)

    def test_the_task_list_export_carries_them_too_with_the_reports_of_its_rows(self, client, personas, ledger):
        plan, task, quiet = ledger
        client.force_login(personas.leader)
        book = workbook(download(client, reverse("tasks:export"), plan=plan.pk))
        sheet = book["任务清单"]
        header = [c.value for c in sheet[1]]
        assert header == [*LEDGER_HEADER[:2], "计划", *LEDGER_HEADER[2:]]
        rows = {r["序号"]: r for r in as_dicts(sheet, 1)}
        assert rows[task.number]["计划"] == plan.title
        self.check_task_row(rows[task.number], task)
        self.check_print_layout(sheet, 1, "Q")
        self.check_report_sheet(book, task)
        # Only the listed rows' reports: filtered to the task nobody reported on, the record is empty.
        only_quiet = workbook(download(client, reverse("tasks:export"), plan=plan.pk, q=quiet.number))
        assert only_quiet["报送记录"].max_row == 1

    def test_reimporting_a_reported_ledger_reads_the_plans_columns_only(self, client, personas, taizhou_plan):
        tasks = list(taizhou_plan.tasks.current().leaves().order_by("order")[:3])
        for task in tasks:
            lead = task.assignments.first().division
            make_target(task, "覆盖面", "90", "%")
            report_submit(
                task=task,
                division=lead,
                author=personas.staff,
                status=Status.IN_PROGRESS,
                percent=30,
                progress="进展情况：已完成全面摸底",
                problems="指标：经费不足",
                next_steps="下步打算",
            )
        client.force_login(personas.leader)
        content = download(client, reverse("tasks:plan_export", args=[taizhou_plan.pk]))
        (parsed,) = read_plans(content)
        stored = list(taizhou_plan.tasks.current().leaves().order_by("order"))
        # The 报送记录 sheet adds no task, the ledger's columns no 进展, target or second deadline.
        assert [(t.number, t.text, t.lead_labels, t.responsible_labels, t.deadline) for t in stored] == [
            (p.number, p.text, p.lead_units, p.responsible_units, p.deadline) for p in parsed.tasks
        ]
        assert all(p.progress_text == "" and p.target_text == "" for p in parsed.tasks)
        assert "最新进展情况" in parsed.ignored_columns and "指标及实际值" in parsed.ignored_columns
        (item,) = preview_file(content).plans
        assert item.existing == taizhou_plan
        assert (item.diff.added, item.diff.changed, item.diff.removed) == ([], [], [])

    @pytest.mark.parametrize("url_name", EXPORTS)
    def test_queries_do_not_grow_with_the_tasks(self, client, personas, frozen_today, url_name):
        frozen_today(TODAY)
        client.force_login(personas.leader)
        counts = []
        for size in (3, 30):
            plan = make_plan(personas.bureau, year=2026)
            for _ in range(size):
                task = make_task(plan, lead=[personas.division], responsible=[personas.other_division])
                target = make_target(task)
                for division in (personas.division, personas.other_division):
                    report_submit(task=task, division=division, author=personas.staff, status=Status.IN_PROGRESS,
                                  percent=50, progress="推进", actuals={target: Decimal("50")}, day=TODAY)  # fmt: skip
            url = reverse(url_name, args=[plan.pk]) if url_name == "tasks:plan_export" else reverse("tasks:export")
            with CaptureQueriesContext(connection) as captured:
                download(client, url, **({} if url_name == "tasks:plan_export" else {"plan": plan.pk}))
            counts.append(len(captured.captured_queries))
        assert counts[0] == counts[1] <= 16
