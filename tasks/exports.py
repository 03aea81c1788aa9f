"""The bureau's own tables: a plan as an xlsx decomposition table, a task list, the assessment."""

from __future__ import annotations

import contextlib
import io
from collections import defaultdict
from decimal import Decimal

import xlsxwriter
from django.db.models import Q
from django.utils import timezone

from . import rules
from .formats import chinese_date, chinese_month
from .models import ALL_DIVISIONS, Assignment, Plan, ProgressReport, Status, Target
from .rules import Light, period_start

# A 台账's columns: what the plan says, then where the work stands. The importers read the plan's back
# (and ignore the rest: plans/importers/vocabulary.LEDGER_HEADS), so a re-imported ledger changes nothing.
LEDGER_HEAD = [("序号", 7), ("主要工作", 48)]
LEDGER_TAIL = [
    ("牵头单位", 12),
    ("责任单位", 14),
    ("责任领导", 9),
    ("完成时限", 12),
    ("时限日期", 11),
    ("状态", 8),
    ("完成率", 7),
    ("红黄绿灯", 7),
    ("序时进度", 7),
    ("最新进展情况", 40),
    ("最新存在问题", 26),
    ("最新下步打算", 26),
    ("指标及实际值", 24),
    ("最近报送", 11),
]
PLAN_COLUMNS = LEDGER_HEAD + LEDGER_TAIL
TASK_LIST_COLUMNS = [*LEDGER_HEAD, ("计划", 20), *LEDGER_TAIL]
REPORT_COLUMNS = [
    ("序号", 6),
    ("任务", 36),
    ("报送单位", 12),
    ("报送人", 9),
    ("报送时间", 15),
    ("状态", 8),
    ("完成率", 7),
    ("进展情况", 46),
    ("存在问题", 30),
    ("下步打算", 30),
    ("进展雷同", 8),
]
PERCENT = '0"%"'
# Exports are written with xlsxwriter, which writes a sheet about 40% faster than openpyxl (ten
# thousand tasks in well under the 1.5 s budget); openpyxl stays the importers' reader.
HEADER = {
    "bold": True,
    "font_color": "#FFFFFF",
    "bg_color": "#1F4E79",
    "align": "center",
    "valign": "vcenter",
    "text_wrap": True,
    "border": 1,
    "border_color": "#A6A6A6",
}
BODY = {"text_wrap": True, "valign": "top", "border": 1, "border_color": "#A6A6A6"}
SECTION = {"bold": True, "bg_color": "#DDEBF7", "border": 1, "border_color": "#A6A6A6"}


@contextlib.contextmanager
def _workbook():
    """A workbook written to memory; yields it and then holds the file's bytes in `buffer`."""
    buffer = io.BytesIO()
    # Cell text stays text: a task that begins with "=" is not a formula, a web address not a link.
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    yield workbook, buffer
    workbook.close()


class _Formats:
    def __init__(self, workbook) -> None:
        self.header = workbook.add_format(HEADER)
        self.body = workbook.add_format(BODY)
        self.section = workbook.add_format(SECTION)
        self.date = workbook.add_format(BODY | {"num_format": "yyyy-mm-dd"})
        self.moment = workbook.add_format(BODY | {"num_format": "yyyy-mm-dd hh:mm"})
        self.percent = workbook.add_format(BODY | {"num_format": PERCENT})
        # Moments are written in local time; asked once, not per cell.
        self.zone = timezone.get_current_timezone()


def _lay_out(sheet, columns: list[tuple[str, int]], header_row: int, last_row: int, formats: _Formats) -> None:
    """The header with its widths, frozen and filtered, printed on A4 landscape one page wide, the header
    on every page."""
    sheet.write_row(header_row, 0, [name for name, _ in columns], formats.header)
    for index, (_, width) in enumerate(columns):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(header_row + 1, 0)
    sheet.autofilter(header_row, 0, max(last_row, header_row), len(columns) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)


def _deadline_text(deadline_text: str, deadline) -> str:
    return deadline_text or (chinese_date(deadline) if deadline else "")


def _by_unit(texts: list[tuple[str, str]], reporting: int) -> str:
    """One cell of the units' latest words: each prefixed with its unit when several units report."""
    if reporting > 1:
        return "\n".join(f"{unit}：{text}" for unit, text in texts if text)
    return "\n".join(text for _, text in texts if text)


def _target_text(metric: str, goal: str, actual: Decimal | None, unit: str) -> str:
    reached = "待填报" if actual is None else f"实际 {actual.normalize():f}{unit}"
    return f"{metric} {goal}（{reached}）"


class _Ledger:
    """What the ledger says of each task beyond its own columns, read in three queries whatever the
    number of tasks: unit labels and latest reports, targets with their latest actuals."""

    def __init__(self, task_ids) -> None:
        self.leads: dict[int, list[str]] = defaultdict(list)
        self.responsibles: dict[int, list[str]] = defaultdict(list)
        # task id → [(unit, progress, problems, next steps)] of the units that have reported
        self.latest: dict[int, list[tuple[str, str, str, str]]] = defaultdict(list)
        rows = (
            Assignment.objects.filter(task_id__in=task_ids)
            .order_by("task_id", "role", "id")  # lead before responsible
            .values_list(
                "task_id",
                "role",
                "written_as",
                "division__name",
                "latest_report_id",
                "latest_report__progress",
                "latest_report__problems",
                "latest_report__next_steps",
            )
        )
        for task_id, role, written_as, name, report_id, progress, problems, next_steps in rows:
            bucket = (self.leads if role == Assignment.Role.LEAD else self.responsibles)[task_id]
            label = written_as or name
            if label not in bucket:
                bucket.append(label)
            if report_id is not None:
                self.latest[task_id].append((name, progress, problems, next_steps))
        self.targets: dict[int, list[str]] = defaultdict(list)
        comparators = dict(Target.Comparator.choices)
        for task_id, metric, comparator, value, unit, actual in (
            Target.objects.filter(task_id__in=task_ids)
            .with_latest_actual()
            .order_by("task_id", "order", "pk")
            .values_list("task_id", "metric", "comparator", "value", "unit", "latest_actual")
        ):
            goal = f"{comparators[comparator]}{value.normalize():f}{unit}"
            self.targets[task_id].append(_target_text(metric, goal, actual, unit))

    def cells(self, pk: int, all_divisions_role: str) -> tuple[str, str, str, str, str, str]:
        """牵头单位, 责任单位, 最新进展情况, 最新存在问题, 最新下步打算, 指标及实际值."""
        leads, responsibles = self.leads.get(pk, []), self.responsibles.get(pk, [])
        # "各处室" stays one label, also before any division is confirmed (Task.unit_labels).
        if all_divisions_role == Assignment.Role.LEAD and ALL_DIVISIONS not in leads:
            leads = [*leads, ALL_DIVISIONS]
        elif all_divisions_role == Assignment.Role.RESPONSIBLE and ALL_DIVISIONS not in responsibles:
            responsibles = [*responsibles, ALL_DIVISIONS]
        latest = self.latest.get(pk, [])
        return (
            "、".join(leads),
            "、".join(responsibles),
            _by_unit([(unit, progress) for unit, progress, _, _ in latest], len(latest)),
            _by_unit([(unit, problems) for unit, _, problems, _ in latest], len(latest)),
            _by_unit([(unit, steps) for unit, _, _, steps in latest], len(latest)),
            "\n".join(self.targets.get(pk, [])),
        )


def _write_ledger_row(sheet, row: int, head: list, ledger: tuple, task: dict, formats: _Formats, day) -> None:
    """One task's ledger row: `head` (序号, 主要工作 and, on a task list, 计划), then the rest. Empty cells
    are left unwritten: at ten thousand rows every cell written counts."""
    text, date, number = formats.body, formats.date, formats.percent
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    lead, responsible, progress, problems, next_steps, targets = ledger
    deadline, reported = task["deadline"], task["last_reported_at"]
    for column, value in enumerate(head):
        if value:
            write_string(row, column, value, text)
    column = len(head)
    for offset, value in enumerate(
        (lead, responsible, task["leader"], _deadline_text(task["deadline_text"], deadline)), start=column
    ):
        if value:
            write_string(row, offset, value, text)
    if deadline:
        write_datetime(row, column + 4, deadline, date)
    write_string(row, column + 5, STATUS_LABELS[task["status"]], text)
    write_number(row, column + 6, task["percent"], number)
    if task["light"]:
        write_string(row, column + 7, LIGHT_LABELS[task["light"]], text)
    elapsed = rules.elapsed_percent(rules.default_start(task["plan__year_start"]), deadline, day)
    if elapsed is not None:
        write_number(row, column + 8, elapsed, number)
    for offset, value in enumerate((progress, problems, next_steps, targets), start=column + 9):
        if value:
            write_string(row, offset, value, text)
    if reported:
        write_datetime(row, column + 13, reported.astimezone(formats.zone).date(), date)


STATUS_LABELS = dict(Status.choices)
LIGHT_LABELS = dict(Light.choices)


TASK_FIELDS = (
    "pk",
    "number",
    "text",
    "leader",
    "deadline",
    "deadline_text",
    "status",
    "percent",
    "last_reported_at",
    "all_divisions_role",
    "plan__year_start",
)


def _report_sheet(workbook, formats: _Formats, reports, title: str) -> None:
    """The 报送记录 sheet: every report of the period, as `reports` (REPORT_FIELDS rows) orders them."""
    sheet = workbook.add_worksheet("报送记录")
    sheet.set_header(f"&C{title}")
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    text = formats.body
    row = 0
    for row, (_, number, title, unit, first, last, username, sent, status, percent, *words, repeats) in enumerate(
        reports, start=1
    ):
        author = f"{first or ''} {last or ''}".strip() or username  # person_name() without the user
        write_number(row, 0, row, text)
        write_string(row, 1, f"{number} {title}".strip(), text)
        write_string(row, 2, unit, text)
        if author:
            write_string(row, 3, author, text)
        write_datetime(row, 4, sent.astimezone(formats.zone).replace(tzinfo=None), formats.moment)
        write_string(row, 5, STATUS_LABELS[status], text)
        write_number(row, 6, percent, formats.percent)
        for column, value in enumerate(words, start=7):  # 进展情况, 存在问题, 下步打算
            if value:
                write_string(row, column, value, text)
        if repeats:
            write_string(row, 10, "是", text)
    _lay_out(sheet, REPORT_COLUMNS, 0, row, formats)


REPORT_FIELDS = (
    "task_id",
    "task__number",
    "task__title",
    "division__name",
    "author__first_name",
    "author__last_name",
    "author__username",
    "created_at",
    "status",
    "percent",
    "progress",
    "problems",
    "next_steps",
    "repeats_previous",
)


def plan_workbook(plan: Plan) -> bytes:
    """The plan as its 台账: a decomposition table that the importer reads back into the same tasks, with
    where each task stands, and a sheet of the current period's reports."""
    day = rules.today()
    period = period_start(day, plan.reporting_cycle)
    last_column = len(PLAN_COLUMNS) - 1
    with _workbook() as (workbook, buffer):
        formats = _Formats(workbook)
        sheet = workbook.add_worksheet("任务分解")
        title = workbook.add_format({"bold": True, "font_size": 16, "align": "center"})
        sheet.merge_range(0, 0, 0, last_column, plan.title, title)
        exported = f"{plan.bureau.name}（{chinese_date(day)}导出）"
        sheet.merge_range(1, 0, 1, last_column, exported, workbook.add_format({"align": "center"}))
        header_row = 2

        rows = list(
            plan.tasks.current().leaves().with_light(day).order_by("order").values("section_id", "light", *TASK_FIELDS)
        )
        ledger = _Ledger([t["pk"] for t in rows])
        by_section = defaultdict(list)
        for task in rows:
            by_section[task["section_id"]].append(task)
        row = header_row
        for section in [None, *plan.sections.order_by("order")]:
            section_tasks = by_section.get(section.pk if section else None, [])
            if section is not None and (section_tasks or section.parent_id is None):
                row += 1
                sheet.merge_range(row, 0, row, last_column, section.heading, formats.section)
            for task in section_tasks:
                row += 1
                cells = ledger.cells(task["pk"], task["all_divisions_role"])
                _write_ledger_row(sheet, row, [task["number"], task["text"]], cells, task, formats, day)
        _lay_out(sheet, PLAN_COLUMNS, header_row, row, formats)
        sheet.set_header(f"&C{plan.title}")
        reports = (
            ProgressReport.objects.filter(task__in=[t["pk"] for t in rows], period=period)
            .order_by("task__order", "created_at", "pk")
            .values_list(*REPORT_FIELDS)
        )
        _report_sheet(workbook, formats, reports, f"{plan.title} {chinese_month(period)}报送记录")
    return buffer.getvalue()


PROGRESS_EVERY = 1000  # rows between two progress reports of a background export


def _current_period_q(day) -> Q:
    """Reports of the period that contains `day`, in their task's plan's cycle."""
    q = Q()
    for cycle in rules.Cycle.values:
        q |= Q(task__plan__reporting_cycle=cycle, period=period_start(day, cycle))
    return q


def task_list_workbook(tasks, progress=None) -> bytes:
    """A filtered task list as a 台账, row for row, read as plain rows so that ten thousand tasks stay
    quick, with a sheet of the current period's reports on them. `progress(rows_written)`, when given,
    hears every PROGRESS_EVERY rows."""
    day = rules.today()
    task_ids = tasks.values("pk")
    ledger = _Ledger(task_ids)
    position: dict[int, int] = {}
    with _workbook() as (workbook, buffer):
        formats = _Formats(workbook)
        sheet = workbook.add_worksheet("任务清单")
        row = 0
        for row, task in enumerate(tasks.values("plan__title", "light", *TASK_FIELDS), start=1):
            position[task["pk"]] = row
            cells = ledger.cells(task["pk"], task["all_divisions_role"])
            head = [task["number"], task["text"], task["plan__title"]]
            _write_ledger_row(sheet, row, head, cells, task, formats, day)
            if progress is not None and row % PROGRESS_EVERY == 0:
                progress(row)
        _lay_out(sheet, TASK_LIST_COLUMNS, 0, row, formats)
        reports = list(
            ProgressReport.objects.filter(_current_period_q(day), task__in=task_ids).values_list(*REPORT_FIELDS)
        )
        reports.sort(key=lambda r: (position.get(r[0], 0), r[7]))  # in the list's order, then as sent
        _report_sheet(workbook, formats, reports, f"{chinese_month(period_start(day))}报送记录")
    return buffer.getvalue()


def assessment_workbook(plan: Plan, scores) -> bytes:
    """The ranked scores as on the page: equal scores share a 名次; a part with nothing to measure reads
    "—", targets with no reported value "待填报"."""
    header = [
        "名次",
        "单位",
        "牵头任务",
        "按时办结",
        "按时办结率",
        "按时报送率",
        "指标达成率",
        "待填报指标",
        "退回次数",
        "得分",
    ]

    def percent(rate: float | None, empty: str = "—") -> float | str:
        return empty if rate is None else round(rate * 100, 1)

    with _workbook() as (workbook, buffer):
        sheet = workbook.add_worksheet("考核结果")
        sheet.write(0, 0, f"{plan.title} 考核结果")
        sheet.write(
            1,
            0,
            f"权重：按时办结{plan.weight_on_time}，按时报送{plan.weight_reporting}，"
            f"指标达成{plan.weight_targets}；每次退回扣{plan.penalty_per_return}分；"
            "尚无可衡量内容的一项不计分，其权重按比例分给其余各项",
        )
        sheet.write_row(2, 0, header, workbook.add_format(HEADER))
        for row, score in enumerate(scores, start=3):
            sheet.write_row(
                row,
                0,
                [
                    score.rank,
                    score.name,
                    score.led,
                    score.on_time,
                    percent(score.on_time_rate),
                    percent(score.reporting_rate),
                    percent(score.targets_rate, "待填报" if score.targets_pending else "—"),
                    score.targets_pending,
                    score.returns,
                    score.score,
                ],
            )
        for index, width in enumerate((6, 18, 10, 10, 12, 12, 12, 12, 10, 8)):
            sheet.set_column(index, index, width)
        sheet.freeze_panes(3, 0)
    return buffer.getvalue()
