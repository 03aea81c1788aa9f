"""Task tables: 任务分解表, 重点工作任务清单, 民生实事表, 督查进展表 — whatever their headers say.

A header (one or two rows) gives each column a role (columns.py). Rows below it are tasks; a row
merged across the table, or a new value in a 类别 column, opens a section; bullets in one cell are
tasks of their own, carrying the row's units.
"""

from __future__ import annotations

import calendar
import datetime
import re

from .columns import UNIT_ROLES, Columns, header_roles_found, lists_reports, read_header
from .labels import UnitSpec, take_trailers
from .numbering import match_number, split_ordinals
from .parsed import Block, Paragraph, ParsedMilestone, ParsedPlan, ParsedTask, Table
from .sections import SectionTracker, heading_title
from .text import find_deadline_text, find_targets, parse_deadline
from .units import split_units
from .vocabulary import BULLETS, EMPTY_MARKS

_HEADER_SEARCH_ROWS = 10


def find_header(rows: list[list[str]]) -> tuple[int, int, Columns] | None:
    """(first row, rows used, columns) of the first header among a table's first rows."""
    if lists_reports(rows):
        return None
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        single = read_header(row)
        # Two header rows: 时间节点 over 一季度…四季度, 责任单位 over 牵头单位 / 配合单位.
        if index + 1 < len(rows) and _is_sub_header(row) and _is_sub_header(rows[index + 1]):
            double = read_header(row, rows[index + 1])
            if double and (single is None or len(double.roles) > len(single.roles)):
                return index, 2, double
        if single:
            return index, 1, single
    return None


def _is_sub_header(row: list[str]) -> bool:
    cells = [c for c in row if c.strip()]
    return len(set(cells)) > 1 and all(len(c) <= 12 for c in cells) and header_roles_found(row) >= 1


def is_task_table(block: Block) -> bool:
    return isinstance(block, Table) and find_header(block.rows) is not None


def _single_value(row: list[str]) -> str | None:
    values = {cell for cell in row if cell}
    return values.pop() if len(values) == 1 else None


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    value = row[index].strip()
    return "" if value in EMPTY_MARKS else value


def _units(row: list[str], columns: Columns, role: str) -> list[str]:
    names: list[str] = []
    for index in columns.roles.get(role, []):
        names += [n for n in split_units(_cell(row, index)) if n not in names]
    return names


def _row_units(row: list[str], columns: Columns) -> UnitSpec:
    """The row's units. The columns, not one row's cells, say what a 责任单位 column holds: the lead
    beside a 配合 column, co-units beside a 牵头 one (or alone)."""
    lead, co, responsible = (_units(row, columns, role) for role in UNIT_ROLES)
    if columns.has("lead"):
        return UnitSpec(lead_named=lead, co_named=responsible + co)
    if columns.has("co"):
        return UnitSpec(lead_named=responsible, co_named=co)
    return UnitSpec(responsible=responsible)


def _quarter_end(year: int, quarter: int) -> datetime.date:
    month = quarter * 3
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _milestones(row: list[str], columns: Columns, year: int) -> list[ParsedMilestone]:
    milestones = []
    for role, indexes in columns.roles.items():
        if role[0] not in "qmh" or not role[1:].isdecimal():
            continue
        number = int(role[1:])
        if role[0] == "q":
            due = _quarter_end(year, number)
        elif role[0] == "h":
            due = _quarter_end(year, 2 * number)
        else:
            due = datetime.date(year, number, calendar.monthrange(year, number)[1])
        for index in indexes:
            text = _cell(row, index)
            if text:
                milestones.append(ParsedMilestone(title=text[:200], due=due))
    return sorted(milestones, key=lambda m: m.due)


# Bullets in one cell: "△…", "●…", "①…②…", "1）…2）…" each on its line or run together in one line.
_INLINE_ITEM = re.compile(r"(?=[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮])")


def _bullets(text: str) -> tuple[str, list[str]]:
    """The lead text of a cell and its bulleted items (empty when it has fewer than two)."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) == 1 and len(_INLINE_ITEM.split(lines[0])) > 2:
        lines = [part for part in _INLINE_ITEM.split(lines[0]) if part.strip()]
    lead: list[str] = []
    items: list[str] = []
    forms = set()
    for line in lines:
        found = match_number(line)
        if found and found.form in ("•", "①", "1）", "（1）", "1.") and found.body:
            forms.add(found.form)
            items.append(found.body.rstrip("；;，,、"))  # the separator between items belongs to neither
        elif items:
            items[-1] += "\n" + line
        else:
            lead.append(line)
    if len(items) < 2 or len(forms) > 1:
        ordinals = split_ordinals(text) if "\n" not in text.strip() else None
        if ordinals and len(ordinals[1]) >= 2:
            return ordinals
        return text, []
    return "\n".join(lead), items


class _TableReader:
    def __init__(self, plan: ParsedPlan) -> None:
        self.plan = plan
        self.sections = SectionTracker(plan)
        self.columns: Columns | None = None
        self.previous_number: int | None = None
        self.last_task: ParsedTask | None = None
        self.category = ""
        self.group: ParsedTask | None = None  # the row group a first task column (项目名称) opens
        self.group_size = 0
        self.single_year = plan.year_start == plan.year_end

    def heading(self, text: str) -> bool:
        found = self.sections.match(text)
        if found:
            self.sections.open(*found)
        return bool(found)

    def read(self, blocks: list[Block]) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                self.heading(block.text)
            else:
                self.table(block)

    def table(self, table: Table) -> None:
        if lists_reports(table.rows):
            # Its rows are reports on the tasks above, not more tasks under the last table's header.
            self.columns = None
            return
        header = find_header(table.rows)
        body = table.rows
        if header:
            start, used, self.columns = header
            body = table.rows[start + used :]
            for name in self.columns.ignored:
                if name not in self.plan.ignored_columns:
                    self.plan.ignored_columns.append(name)
            self.category = ""
            # Rows above the header are the table's title rows.
            for row in table.rows[:start]:
                single = _single_value(row)
                if single:
                    self.heading(single)
        if self.columns is None:
            return
        for row in body:
            self.row(row)

    def row(self, row: list[str]) -> None:
        columns = self.columns
        if not any(cell.strip() for cell in row):
            return
        if [c.strip() for c in row] == columns.headers or read_header(row):
            return  # the header again, repeated at a page break
        single = _single_value(row)
        number = _cell(row, columns.first("number"))
        if single is not None and not number.isdecimal():
            if not self.heading(single) and heading_title(single) and len(single) <= 30:
                self.sections.open(1, "", single)  # 教育民生 merged across the table
            return
        category = _cell(row, columns.first("section"))
        if category and category != self.category:
            self.category = category
            if not self.heading(category):
                self.sections.open(1, "", category.split("\n")[0][:300])
        text_columns = columns.roles["text"]
        text = _cell(row, text_columns[-1])
        if len(text_columns) > 1:
            # 项目名称 merged over its 主要内容 rows: the first task column groups the rows under it.
            group = _cell(row, text_columns[0])
            if group and text and (self.group is None or self.group.text != group):
                self.group = self.plan.add_task(number, group, section=self.sections.current_id)
                self.group_size = 0
                number = ""
            text = text or group
        if not text:
            self.continue_row(row)
            return
        if not number:
            typed = match_number(text, {"1.": (self.previous_number or 0) + 1})
            if typed and typed.form in ("1.", "1）", "（1）") and typed.body:
                number, text = typed.number.strip("（）)"), typed.body
        if number.isdecimal():
            # Numbers run on through the table or restart at 1 in each part; anything else is a gap.
            if self.previous_number is not None and int(number) not in (1, self.previous_number + 1):
                self.plan.warnings.append(f"第{number}项：序号不连续（上一项为第{self.previous_number}项）。")
            self.previous_number = int(number)
        self.add_row_tasks(row, number, text)

    def add_row_tasks(self, row: list[str], number: str, text: str) -> None:
        columns, plan = self.columns, self.plan
        units = _row_units(row, columns)
        lead_text, items = _bullets(text)
        lead_text, inline = take_trailers(lead_text)
        units.merge(inline)
        deadline_text = _cell(row, columns.first("deadline")).replace("\n", " ") or units.deadline_text
        target_text = "\n".join(_cell(row, i) for i in columns.roles.get("target", []) if _cell(row, i))
        fields = {
            "section": self.sections.current_id,
            "leader": "、".join(
                _cell(row, i).replace("\n", "、") for i in columns.roles.get("leader", []) if _cell(row, i)
            )
            or units.leader,
            "milestones": _milestones(row, columns, plan.year_end),
            "target_text": target_text,
            "progress_text": "\n".join(_cell(row, i) for i in columns.roles.get("progress", []) if _cell(row, i))
            or units.progress,
        }
        if self.group is not None and len(columns.roles["text"]) > 1 and lead_text != self.group.text:
            fields["parent"] = self.group.id
            self.group_size += 1
            number = number or f"{self.group.number}.{self.group_size}"
        if not items:
            if lead_text.strip():  # "（单位：…）" alone is no task
                self.last_task = self.add(number, lead_text, units, deadline_text, **fields)
            return
        parent = None
        if lead_text.strip():
            parent = self.add(number, lead_text, units, deadline_text, **fields)
        for index, item in enumerate(items, start=1):
            item_text, item_units = take_trailers(item)
            if not item_text:
                continue
            own = item_units if not item_units.empty else units.copy_units()
            item_number = f"{number}.{index}" if number else str(index)
            self.last_task = self.add(
                item_number,
                item_text,
                own,
                item_units.deadline_text or deadline_text,
                **{
                    **fields,
                    "parent": parent.id if parent else fields.get("parent"),
                    "target_text": "" if parent else target_text,
                },
            )

    def add(self, number: str, text: str, units: UnitSpec, deadline_text: str, **fields) -> ParsedTask:
        plan = self.plan
        if not deadline_text and self.single_year:
            deadline_text = find_deadline_text(text, plan.year_end)
        task = plan.add_task(
            number,
            text.strip().lstrip(BULLETS).strip(),
            lead_units=units.lead,
            responsible_units=units.co,
            deadline=parse_deadline(deadline_text, plan.year_end) if deadline_text else None,
            deadline_text=deadline_text,
            targets=find_targets(text) + find_targets(fields.get("target_text", "")),
            **fields,
        )
        if task.names_no_unit and (fields.get("parent") is None or self.group is not None):
            plan.warnings.append(f"第{number or task.id}项：未写明牵头单位或责任单位。")
        return task

    def continue_row(self, row: list[str]) -> None:
        """A row with units but no text: the task above spans it (two lead units in merged rows)."""
        task = self.last_task
        if task is None or _cell(row, self.columns.first("number")):
            return
        units = _row_units(row, self.columns)
        task.lead_units += [u for u in units.lead if u not in task.lead_units]
        task.responsible_units += [u for u in units.co if u not in task.responsible_units + task.lead_units]


def read_task_tables(blocks: list[Block], plan: ParsedPlan) -> None:
    _TableReader(plan).read(blocks)
