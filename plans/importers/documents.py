"""Split a file into the documents it carries and read each one with the reader for its layout."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .duties_reader import header_text, is_duties_table, read_duties
from .loaders import load_blocks
from .outline_reader import read_outline
from .parsed import Block, Paragraph, ParsedPlan, PlanFileError, Table
from .table_reader import is_task_table, read_task_tables
from .text import BUREAU_NAME, CHAPTER, DOCUMENT_NUMBER, find_issue_date, find_years, squash

TITLE = re.compile(
    r"^(?:[一二三四五六七八九十]+、)?"
    r"([^，。：:；;《》]{2,50}?(?:工作总结|工作要点|任务分解方案|任务分解表|任务清单|任务分工方案|分工方案|部门职责|工作计划|实施方案|行动计划|行动方案))$"
)
NOT_A_TITLE = ("关于", "通知", "印发")
CLOSING = re.compile(r"^(抄送|主送|印发|附件[:：]?$)|印发$")
PAGE_NUMBER = re.compile(r"^[—\-–]\s*\d+\s*[—\-–]$")
SIGNATURE_DATE = re.compile(r"^.{0,30}?(20\d\d)\s*(?:年|-|\.|/)\s*\d{1,2}\s*(?:月|-|\.|/)\s*\d{1,2}\s*日?(印发)?$")


@dataclass
class _Segment:
    title: str
    blocks: list[Block]


def read_plans(data: bytes, *, bureau: str | None = None, year: int | None = None) -> list[ParsedPlan]:
    """Every plan in the file. Raises PlanFileError with a message for the user when there is none."""
    blocks = _lift_title_rows(load_blocks(data))
    blocks = [b for b in blocks if not (isinstance(b, Paragraph) and PAGE_NUMBER.match(b.text))]
    preamble, segments = _split(blocks)
    preamble_text = "\n".join(b.text for b in preamble if isinstance(b, Paragraph))
    # The issue date is under the notice, or in the closing "…2019年3月19日印发" line.
    closing = [b.text for b in blocks if isinstance(b, Paragraph) and squash(b.text).endswith("印发")]
    preamble_text += "\n" + "\n".join(closing)
    plans = []
    for segment in segments:
        plan = _read_segment(segment, preamble_text, bureau=bureau, year=year)
        if plan is not None:
            plans.append(plan)
    if not plans:
        raise PlanFileError(
            "文件中没有找到可识别的工作任务：请确认是工作要点、任务分解表、任务分工方案、部门职责表或工作总结。"
        )
    return plans


def _lift_title_rows(blocks: list[Block]) -> list[Block]:
    """A spreadsheet carries its title (and notes such as the bureau) in merged rows above the header;
    read them as paragraphs."""
    lifted: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and any(is_task_table(Table([row])) for row in block.rows[:10]):
            rows = list(block.rows)
            while rows and not is_task_table(Table([rows[0]])) and len({c for c in rows[0] if c}) <= 1:
                text = next((c for c in rows.pop(0) if c), "")
                if text:
                    lifted.append(Paragraph(text))
            block = Table(rows)
        lifted.append(block)
    return lifted


def _title_of(block: Block) -> str | None:
    if not isinstance(block, Paragraph):
        return None
    text = squash(block.text)
    match = TITLE.match(text)
    if match and not any(word in text for word in NOT_A_TITLE):
        return match.group(1)
    return None


def _split(blocks: list[Block]) -> tuple[list[Block], list[_Segment]]:
    """The covering notice, and each document that follows it under its own title."""
    starts = [i for i, block in enumerate(blocks) if _title_of(block)]
    if not starts:
        first_heading = next(
            (i for i, b in enumerate(blocks) if isinstance(b, Table) or CHAPTER.match(getattr(b, "text", ""))),
            len(blocks),
        )
        preamble = blocks[:first_heading]
        return preamble, [_Segment(_title_from_notice(preamble), _until_closing(blocks[first_heading:]))]
    segments = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(blocks)
        segments.append(_Segment(_title_of(blocks[start]), _until_closing(blocks[start + 1 : end])))
    return blocks[: starts[0]], segments


def _until_closing(blocks: list[Block]) -> list[Block]:
    """A document ends at its 抄送 line or its signature and date."""
    for index, block in enumerate(blocks):
        if isinstance(block, Paragraph) and (CLOSING.search(block.text) or SIGNATURE_DATE.match(squash(block.text))):
            return blocks[:index]
    return blocks


def _title_from_notice(preamble: list[Block]) -> str:
    text = "".join(squash(b.text) for b in preamble if isinstance(b, Paragraph))
    quoted = re.search(r"《([^》]{4,80})》", text)
    if quoted:
        return quoted.group(1)
    first = next((squash(b.text) for b in preamble if isinstance(b, Paragraph) and b.text), "")
    return first[:100] or "未命名计划"


def _read_segment(segment: _Segment, preamble: str, *, bureau: str | None, year: int | None) -> ParsedPlan | None:
    from plans.models import Plan

    blocks, title = segment.blocks, segment.title
    segment_text = "\n".join(b.text for b in blocks if isinstance(b, Paragraph))
    has_duties = any(is_duties_table(b) for b in blocks)
    has_task_table = not has_duties and any(is_task_table(b) for b in blocks)

    # The title says what the document is; the layout decides only where the title does not.
    if "总结" in title:
        kind = Plan.Kind.SUMMARY
    elif has_duties:
        kind = Plan.Kind.DUTIES
    elif "要点" in title:
        kind = Plan.Kind.WORK_POINTS
    elif "分工" in title or ("规划" in title and "分解" not in title):
        kind = Plan.Kind.DIVISION_OF_LABOUR
    elif "分解" in title or has_task_table:
        kind = Plan.Kind.DECOMPOSITION
    else:
        kind = Plan.Kind.WORK_POINTS

    years = (year, year) if year else None
    years = years or find_years(title) or (find_years(header_text(blocks)) if has_duties else None)
    years = years or find_years(preamble) or find_years(segment_text[:2000])

    bureau_match = BUREAU_NAME.search(title) or BUREAU_NAME.search(preamble) or BUREAU_NAME.search(segment_text)
    number = DOCUMENT_NUMBER.search(squash(preamble))
    plan = ParsedPlan(
        title=title,
        kind=kind,
        # Without a year the document is still read, to tell "no tasks" from "no year".
        year_start=years[0] if years else datetime.date.today().year,
        year_end=years[1] if years else datetime.date.today().year,
        bureau_name=bureau or (bureau_match.group(0) if bureau_match else ""),
        document_number=number.group(0) if number else "",
        issued_on=find_issue_date(preamble),
    )
    if has_duties:
        read_duties(blocks, plan)
    elif has_task_table:
        read_task_tables(blocks, plan)
    else:
        read_outline(blocks, plan, with_tasks=kind != Plan.Kind.SUMMARY)

    if kind != Plan.Kind.SUMMARY and not plan.tasks and not plan.duties:
        return None
    if kind == Plan.Kind.SUMMARY and not plan.sections:
        return None
    if years is None:
        raise PlanFileError(f"无法从《{title}》中确定计划年度，请指定年度后再导入。")
    if not plan.bureau_name:
        raise PlanFileError(f"无法从《{title}》中识别教育局名称，请指定教育局后再导入。")
    return plan
