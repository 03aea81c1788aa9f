"""部门职责 tables: 序号 | 主要职责 | 具体工作事项 | 年度重点工作 | 备注."""

from __future__ import annotations

import re

from .numbering import match_number
from .parsed import Block, ParsedDuty, ParsedPlan, ParsedWorkItem, Table
from .text import find_targets, squash
from .units import split_units
from .vocabulary import CN_DIGITS

ORDINAL_ITEM = re.compile(rf"(?:(?<=[。；;！])|^)\s*([{CN_DIGITS}]+是)")

COLUMN_NAMES = {
    "number": ("序号", "编号"),
    "duty": ("主要职责", "部门职责", "职责"),
    "item": ("具体工作事项", "工作事项", "具体事项"),
    "annual": ("年度重点工作",),
    "note": ("备注", "承办单位", "责任单位"),
}


def duty_columns(row: list[str]) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for index, cell in enumerate(row):
        name = re.sub(r"[（(].*?[）)]", "", squash(cell))  # 年度重点工作（2017年度）
        for field, synonyms in COLUMN_NAMES.items():
            if name in synonyms and field not in columns:
                columns[field] = index
                break
    return columns if {"duty", "item"} <= columns.keys() else None


def is_duties_table(block: Block) -> bool:
    return isinstance(block, Table) and any(duty_columns(row) for row in block.rows[:5])


def header_text(blocks: list[Block]) -> str:
    """The header cells of the duties tables, where the year of the annual work is written."""
    return " ".join(" ".join(row) for b in blocks if isinstance(b, Table) for row in b.rows[:5] if duty_columns(row))


def read_duties(blocks: list[Block], plan: ParsedPlan) -> None:
    annual: list[str] = []
    for block in blocks:
        if not isinstance(block, Table):
            continue
        columns = None
        duty: ParsedDuty | None = None
        for row in block.rows:
            header = duty_columns(row)
            if header:
                columns = header
                continue
            if columns is None or len(row) <= max(columns.values()):
                continue
            number, text = row[columns.get("number", columns["duty"])].strip(), row[columns["duty"]].strip()
            # Word repeats a merged cell on every row; the text extraction leaves it empty instead.
            starts_duty = duty is None or (number and number != str(duty.number)) or (text and text != duty.text)
            if starts_duty and (number or text):
                duty = ParsedDuty(number=int(number) if number.isdecimal() else len(plan.duties) + 1, text=text)
                plan.duties.append(duty)
            item = row[columns["item"]].strip()
            if duty is not None and item and (not duty.work_items or duty.work_items[-1].text != item):
                units = split_units(row[columns["note"]]) if "note" in columns else []
                duty.work_items.append(ParsedWorkItem(text=item, units=units))
            if "annual" in columns:
                cell = row[columns["annual"]].strip()
                if cell and cell not in annual:
                    annual.append(cell)
    _read_annual_work("\n".join(annual), plan)


def _read_annual_work(text: str, plan: ParsedPlan) -> None:
    """（一）… projects, each split into 一是/二是 items: the projects group the items, the items are the tasks."""
    for paragraph in filter(None, (line.strip() for line in text.split("\n"))):
        found = match_number(paragraph)
        if not found or found.form != "（一）":
            continue  # the opening paragraph states the year's aims; it is not a task
        body = found.body
        starts = [m.start(1) for m in ORDINAL_ITEM.finditer(body)]
        heading = body[: starts[0]].strip() if starts else body
        project = plan.add_task(found.number, heading)
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(body)
            item = body[start:end].strip()
            ordinal = re.match(r"[一二三四五六七八九十]+是", item).group(0)
            plan.add_task(ordinal, item[len(ordinal) :].lstrip("，,："), parent=project.id, targets=find_targets(item))
