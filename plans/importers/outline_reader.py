"""Prose plans numbered 一、/（一）/1./（1）, with units inline ("（责任单位：A、B）") or none at all."""

from __future__ import annotations

import re

from .parsed import Block, Paragraph, ParsedPlan, ParsedTask
from .sections import SectionTracker
from .text import ITEM, SUBITEM, find_targets, parse_deadline, take_inline_units

INLINE_DEADLINE = re.compile(r"[（(]\s*(?:完成时限|时间节点|完成时间)\s*[:：]\s*([^（）()]+)[）)]\s*[。.]?\s*$")
GROUP_HEADING = re.compile(r"^(重大项目|重点项目|重大工程|重点工程)[:：。]?$")


def read_outline(blocks: list[Block], plan: ParsedPlan, *, with_tasks: bool = True) -> None:
    """Fill `plan` with sections and, unless it is a summary, tasks."""
    sections = SectionTracker(plan)
    top: ParsedTask | None = None  # the latest 1. item
    last: ParsedTask | None = None  # the latest task of any level, for continued paragraphs
    expected_sub = 1

    for block in blocks:
        if not isinstance(block, Paragraph) or not block.text:
            continue
        text = block.text
        heading = sections.match(text)
        if heading:
            sections.open(*heading)
            top = last = None
            continue
        if not with_tasks or sections.current is None:
            continue  # narrative of a summary, or prose before the first heading (a notice, 总体思路)

        item, sub = ITEM.match(text), SUBITEM.match(text)
        if item:
            _check_sequence(plan, sections, top, item.group(1))
            top = last = _add_task(plan, item.group(1), item.group(2), section=sections.current_id)
            expected_sub = 1
        elif sub:
            number = sub.group(1)
            if not number:
                plan.warnings.append(f"“{text[:20]}”缺少编号，已按（{expected_sub}）处理。")
                number = str(expected_sub)
            expected_sub = int(number) + 1
            parent = top.id if top else None
            last = _add_task(plan, f"（{number}）", sub.group(2), section=sections.current_id, parent=parent)
        elif top is not None and GROUP_HEADING.match(top.text) and (last is top or last.parent == top.id):
            # A 重大项目 heading followed by unnumbered items: each paragraph is one project.
            last = _add_task(plan, "", text, section=sections.current_id, parent=top.id)
        elif last is not None:
            _continue_task(plan, last, text)


def _check_sequence(plan: ParsedPlan, sections: SectionTracker, top: ParsedTask | None, number: str) -> None:
    """Items either restart at 1 in each section or run on through the document; anything else is a gap."""
    if top is None:
        previous = max((int(t.number) for t in plan.tasks if t.parent is None and t.number.isdecimal()), default=0)
        fine = int(number) in (1, previous + 1)
    else:
        previous = int(top.number) if top.number.isdecimal() else 0
        fine = int(number) == previous + 1
    if not fine:
        where = f"{sections.current.number}{sections.current.title[:12]}" if sections.current else ""
        plan.warnings.append(f"{where}：编号从{previous}跳到{number}，请核对是否漏项。")


def _split_trailers(text: str) -> tuple[str, list[str], list[str], str]:
    lead: list[str] = []
    responsible: list[str] = []
    deadline_text = ""
    for _ in range(2):  # units and a deadline may both trail the text, in either order
        units = take_inline_units(text)
        if units:
            text, more_lead, more_responsible = units
            lead += more_lead
            responsible += more_responsible
        deadline = INLINE_DEADLINE.search(text)
        if deadline:
            deadline_text = deadline.group(1).strip()
            text = text[: deadline.start()].rstrip()
    return text.strip(), lead, responsible, deadline_text


def _add_task(plan: ParsedPlan, number: str, body: str, **fields) -> ParsedTask:
    text, lead, responsible, deadline_text = _split_trailers(body)
    return plan.add_task(
        number,
        text,
        lead_units=lead,
        responsible_units=responsible,
        deadline=parse_deadline(deadline_text, plan.year_end) if deadline_text else None,
        deadline_text=deadline_text,
        targets=find_targets(text),
        **fields,
    )


def _continue_task(plan: ParsedPlan, task: ParsedTask, paragraph: str) -> None:
    text, lead, responsible, deadline_text = _split_trailers(paragraph)
    task.text = f"{task.text}\n{text}".strip()
    task.lead_units += [u for u in lead if u not in task.lead_units]
    task.responsible_units += [u for u in responsible if u not in task.responsible_units]
    task.targets += find_targets(text)
    if deadline_text:
        task.deadline_text = deadline_text
        task.deadline = parse_deadline(deadline_text, plan.year_end)
