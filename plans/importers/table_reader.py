"""Task decomposition tables: 序号 | 主要工作 | 牵头单位 | 责任单位 | 完成时限, in any column order."""

from __future__ import annotations

from .parsed import Block, Paragraph, ParsedPlan, Table
from .sections import SectionTracker
from .text import find_targets, parse_deadline, split_units, squash

COLUMN_NAMES = {
    "lead": ("牵头单位", "牵头处室", "责任处室（牵头）", "责任处室(牵头)", "牵头部门", "牵头领导单位"),
    "number": ("序号", "编号"),
    "text": (
        "主要工作",
        "重点任务",
        "工作任务",
        "任务内容",
        "主要任务",
        "工作内容",
        "具体任务",
        "重点工作",
        "工作事项",
    ),
    "responsible": ("责任单位", "配合单位", "协办单位", "参与单位", "责任处室", "配合处室", "责任部门", "配合部门"),
    "deadline": ("完成时限", "时间节点", "完成时间", "时限要求", "时限"),
}


def task_columns(row: list[str]) -> dict[str, int] | None:
    """The column of each field when `row` is a task table's header row."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(row):
        name = squash(cell)
        for field, synonyms in COLUMN_NAMES.items():
            if name in synonyms and field not in columns:
                columns[field] = index
                break
    if "text" in columns and ("lead" in columns or "responsible" in columns):
        return columns
    return None


def is_task_table(block: Block) -> bool:
    return isinstance(block, Table) and any(task_columns(row) for row in block.rows[:10])


def _single_value(row: list[str]) -> str | None:
    values = {cell for cell in row if cell}
    return values.pop() if len(values) == 1 else None


def read_task_tables(blocks: list[Block], plan: ParsedPlan) -> None:
    sections = SectionTracker(plan)
    columns: dict[str, int] | None = None
    previous_number: int | None = None

    def heading(text: str) -> None:
        found = sections.match(text)
        if found:
            sections.open(*found)

    for block in blocks:
        if isinstance(block, Paragraph):
            heading(block.text)
            continue
        in_body = False
        for row in block.rows:
            header = task_columns(row)
            if header:
                columns, in_body = header, True
                continue
            single = _single_value(row)
            number_at = columns.get("number", 0) if columns else 0
            numbered = columns is not None and len(row) > number_at and row[number_at].isdecimal()
            if single is not None and (not in_body or not numbered):
                heading(single)  # a title or section row merged across the table
                continue
            if columns is None or len(row) <= max(columns.values()):
                continue
            text = row[columns["text"]].strip()
            if not text:
                continue
            number = row[columns["number"]].strip() if "number" in columns else ""
            if number.isdecimal():
                # Numbers run on through the table or restart at 1 in each part; anything else is a gap.
                if previous_number is not None and int(number) not in (1, previous_number + 1):
                    plan.warnings.append(f"第{number}项：序号不连续（上一项为第{previous_number}项）。")
                previous_number = int(number)
            deadline_text = row[columns["deadline"]].strip() if "deadline" in columns else ""
            task = plan.add_task(
                number,
                text,
                section=sections.current_id,
                lead_units=split_units(row[columns["lead"]]) if "lead" in columns else [],
                responsible_units=split_units(row[columns["responsible"]]) if "responsible" in columns else [],
                deadline=parse_deadline(deadline_text, plan.year_end) if deadline_text else None,
                deadline_text=deadline_text,
                targets=find_targets(text),
            )
            if not task.lead_units and not task.responsible_units:
                plan.warnings.append(f"第{number or task.id}项：未写明牵头单位或责任单位。")
