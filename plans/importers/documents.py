"""Split a file into the documents it carries and read each one with the reader for its layout."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .columns import header_roles_found, looks_like_header
from .duties_reader import header_text, is_duties_table, read_duties
from .loaders import load_blocks
from .numbering import match_number
from .outline_reader import read_outline
from .parsed import Block, Paragraph, ParsedPlan, PlanFileError, Table
from .table_reader import find_header, is_task_table, read_task_tables
from .text import DOCUMENT_NUMBER, MAX_YEAR, MIN_YEAR, find_issue_date, find_years, squash
from .vocabulary import BUREAU_NAME, FIRST_LEADS, GOVERNMENT_ISSUER

# What a plan calls itself. A numbered line ("二、实施六大人才行动计划") is a chapter, never a title.
TITLE = re.compile(
    r"^([^，。：:；;、]{2,60}?(?:工作总结|工作要点|任务分解方案|任务分解表|分解表|任务清单|工作清单|事项清单|项目清单"
    r"|任务分工方案|分工方案|任务分工|责任分工|分工表|部门职责|工作计划|实施方案|工作方案|行动计划|行动方案|推进方案"
    r"|实事项目|督查事项|进展情况表|进展情况公示|任务表|重点工作|责任分解|任务分解))$"
)
NOT_A_TITLE = ("关于", "通知", "印发", "根据", "按照", "现将")
# The name a covering notice gives the document it issues: 关于印发《…》的通知, 现将《…》印发给你们.
ISSUED_TITLE = re.compile(r"印发\s*[《<]([^》>]{4,80})[》>]|[《<]([^》>]{4,80})[》>]\s*(?:印发|予以印发)")
NOTICE_TITLE = re.compile(r"关于印发(.{4,80}?)的通知")
# A document ends at its 抄送 line, or where a web page's furniture begins.
CLOSING = re.compile(
    r"^(抄送|主送|印发|附件[:：]?$)|印发$|^【?(?:打印本页|关闭窗口|打印|关闭)】|^(?:主办|网站标识码|扫一扫)"
)
PAGE_NUMBER = re.compile(r"^[—\-–]\s*\d+\s*[—\-–]$")
SIGNATURE_DATE = re.compile(r"^.{0,30}?(20\d\d)\s*(?:年|-|\.|/)\s*\d{1,2}\s*(?:月|-|\.|/)\s*\d{1,2}\s*日?(印发)?$")
_DEFAULT_SHEET_NAME = re.compile(r"^(?:sheet|工作表|表)\s*\d*$", re.I)
NO_TASKS = "文件中没有找到可识别的工作任务：请确认是工作要点、任务分解表、任务分工方案、部门职责表或工作总结。"


@dataclass
class _Segment:
    title: str
    blocks: list[Block]


def read_plans(data: bytes, *, bureau: str | None = None, year: int | None = None) -> list[ParsedPlan]:
    """Every plan in the file. Raises PlanFileError with a message for the user when there is none."""
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise PlanFileError(f"年度应在 {MIN_YEAR}—{MAX_YEAR} 之间。")
    blocks = _lift_title_rows(load_blocks(data))
    blocks = [b for b in blocks if not (isinstance(b, Paragraph) and PAGE_NUMBER.match(b.text))]
    preamble, segments = _split(blocks)
    preamble_text = "\n".join(b.text for b in preamble if isinstance(b, Paragraph))
    # The issue date is under the notice, or in the closing "…2019年3月19日印发" line.
    closing = [b.text for b in blocks if isinstance(b, Paragraph) and squash(b.text).endswith("印发")]
    preamble_text += "\n" + "\n".join(closing)
    issuer_lines = _issuer_lines(preamble) + _issuer_lines(blocks[-8:])
    plans = []
    for segment in segments:
        plan = _read_segment(segment, preamble_text, issuer_lines, bureau=bureau, year=year)
        if plan is not None:
            plans.append(plan)
    if not plans:
        raise PlanFileError(_why_nothing_was_found(blocks))
    return plans


def _why_nothing_was_found(blocks: list[Block]) -> str:
    """Name what a table was missing when its header reads as one."""
    for block in blocks:
        if not isinstance(block, Table):
            continue
        for row in block.rows[:5]:
            if looks_like_header(row) and find_header([row]) is None:
                cells = " / ".join(dict.fromkeys(c.replace("\n", "") for c in row if c.strip()))
                return f"表头中没有找到任务内容列：{cells}。请确认表格有“工作任务”“主要内容”一类的列。"
    return NO_TASKS


def _lift_title_rows(blocks: list[Block]) -> list[Block]:
    """A spreadsheet carries its title (and notes such as the bureau) in merged rows above the header;
    read them as paragraphs."""
    lifted: list[Block] = []
    for block in blocks:
        header = find_header(block.rows) if isinstance(block, Table) else None
        if header and header[0] == 0 and not _DEFAULT_SHEET_NAME.match(block.name or "Sheet"):
            lifted.append(Paragraph(block.name))  # a sheet with no title rows: its name is the title
        if header:
            rows = list(block.rows)
            for _ in range(header[0]):
                if len({c for c in rows[0] if c}) > 1 or header_roles_found(rows[0]) > 1:
                    break
                text = next((c for c in rows.pop(0) if c), "")
                if text:
                    lifted.append(Paragraph(text))
            block = Table(rows, name=block.name)
        lifted.append(block)
    return lifted


def _title_of(block: Block) -> str | None:
    if not isinstance(block, Paragraph) or block.level not in (None, 1):
        return None
    text = squash(block.text)
    numbered = match_number(text)
    if numbered:
        # "二、实施六大人才行动计划" is a chapter; "一、温州市教育局部门职责" names who issues it.
        text = numbered.body
        if not (BUREAU_NAME.search(text) or GOVERNMENT_ISSUER.search(text) or re.search(r"20\d\d年", text)):
            return None
    match = TITLE.match(text)
    if match and not any(word in text for word in NOT_A_TITLE):
        return match.group(1)
    return None


def _starts_body(block: Block) -> bool:
    if isinstance(block, Table):
        return True
    found = match_number(block.text)
    return bool(found and found.form != "•") or block.level is not None


def _split(blocks: list[Block]) -> tuple[list[Block], list[_Segment]]:
    """The covering notice, and each document that follows it under its own title."""
    starts = [i for i, block in enumerate(blocks) if _title_of(block)]
    if not starts:
        first_heading = next((i for i, b in enumerate(blocks) if _starts_body(b)), len(blocks))
        preamble = blocks[:first_heading]
        return preamble, [_Segment(_title_from_notice(preamble), _until_closing(blocks[first_heading:]))]
    segments = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(blocks)
        title = _title_of(blocks[start])
        # A title set on two lines: "南湖区2024年重点工作" / "任务分解和责任分工方案".
        if start and _is_title_line(blocks[start - 1]):
            title = squash(blocks[start - 1].text) + title
        segments.append(_Segment(title, _until_closing(blocks[start + 1 : end])))
    return blocks[: starts[0]], segments


def _is_title_line(block: Block) -> bool:
    if not isinstance(block, Paragraph) or match_number(block.text):
        return False
    text = squash(block.text)
    return 2 <= len(text) <= 30 and not re.search(r"[，。：:；;、《》（）()>＞|]|附件|文件$|〔|\d{4}年\d{1,2}月", text)


def _until_closing(blocks: list[Block]) -> list[Block]:
    """A document ends at its 抄送 line or its signature and date, once its body has begun (a
    spreadsheet may carry its 印发 line above the table)."""
    started = False
    for index, block in enumerate(blocks):
        started = started or _starts_body(block)
        if (
            started
            and isinstance(block, Paragraph)
            and (CLOSING.search(block.text) or SIGNATURE_DATE.match(squash(block.text)))
        ):
            end = index
            while end and isinstance(blocks[end - 1], Paragraph) and _is_signature(blocks[end - 1].text):
                end -= 1
            return blocks[:end]
    return blocks


def _is_signature(text: str) -> bool:
    """A line that only names who signs: 安澜市教育局, 安澜市人民政府办公室, 中共某某区教育局党组."""
    text = _PARTY_ORGAN.sub("", squash(text))
    return bool(text) and bool(BUREAU_NAME.fullmatch(text) or GOVERNMENT_ISSUER.fullmatch(text))


_PARTY_ORGAN = re.compile(r"^中共|(?:党组|党委|党工委|机关党委)$")


def _title_from_notice(preamble: list[Block]) -> str:
    text = "".join(squash(b.text) for b in preamble if isinstance(b, Paragraph))
    issued = ISSUED_TITLE.search(text)
    if issued:
        return issued.group(1) or issued.group(2)
    notice = NOTICE_TITLE.search(text)
    if notice:
        return notice.group(1).strip("《》")
    quoted = re.search(r"《([^》]{4,80})》", text)
    if quoted:
        return quoted.group(1)
    first = next((squash(b.text) for b in preamble if isinstance(b, Paragraph) and b.text), "")
    return first[:100] or "未命名计划"


def _issuer_lines(blocks: list[Block]) -> list[str]:
    """Where a document names who issues it: short lines (the issuer, 某某局文件, the signature) and the
    notice's own title (某某局关于印发…的通知) — never running text, which cites other offices."""
    lines = []
    for block in blocks:
        if not isinstance(block, Paragraph):
            continue
        text = squash(block.text)
        if len(text) <= 30 or ("关于" in text and text.endswith("通知") and len(text) <= 80):
            lines.append(text.split("关于", 1)[0] if "关于" in text else text)
    return lines


def _bureau_name(title: str, issuer_lines: list[str]) -> tuple[str, str]:
    """(bureau, issuer): the education bureau the title or issuer names, else the government that issued it."""
    for pattern in (BUREAU_NAME, GOVERNMENT_ISSUER):
        for text in [title, *issuer_lines]:
            found = pattern.search(text)
            if found:
                # "2025年度龙泽区教育局…": the year is not part of the name.
                name = _YEAR_WORDS.sub("", found.group(0))
                return (name, "") if pattern is BUREAU_NAME else ("", name)
    return "", ""


_YEAR_WORDS = re.compile(r"^(?:年度|年|度)")


def _read_segment(
    segment: _Segment, preamble: str, issuer_lines: list[str], *, bureau: str | None, year: int | None
) -> ParsedPlan | None:
    blocks, title = segment.blocks, segment.title
    segment_text = "\n".join(b.text for b in blocks if isinstance(b, Paragraph))
    has_duties = any(is_duties_table(b) for b in blocks)
    has_task_table = not has_duties and any(is_task_table(b) for b in blocks)

    # The title says what the document is; the layout decides only where the title does not.
    if "总结" in title:
        kind = "summary"
    elif has_duties:
        kind = "duties"
    elif "要点" in title:
        kind = "work_points"
    elif "分工" in title or ("规划" in title and "分解" not in title):
        kind = "division_of_labour"
    elif "分解" in title or "清单" in title or has_task_table:
        kind = "decomposition"
    else:
        kind = "work_points"

    years = (year, year) if year else None
    years = years or find_years(title) or (find_years(header_text(blocks)) if has_duties else None)
    years = years or find_years(preamble) or find_years(segment_text[:2000])

    # The segment's own title line and signature count as issuer lines too.
    own_lines = _issuer_lines([b for b in blocks[-6:] if isinstance(b, Paragraph)])
    bureau_name, issuer = _bureau_name(title, issuer_lines + own_lines)
    number = DOCUMENT_NUMBER.search(squash(preamble))
    plan = ParsedPlan(
        title=title,
        kind=kind,
        # Without a year the document is still read, to tell "no tasks" from "no year".
        year_start=years[0] if years else datetime.date.today().year,
        year_end=years[1] if years else datetime.date.today().year,
        bureau_name=bureau or bureau_name,
        issuer="" if bureau else issuer,
        document_number=number.group(0) if number else "",
        issued_on=find_issue_date(preamble),
    )
    if has_duties:
        read_duties(blocks, plan)
    elif has_task_table:
        read_task_tables(blocks, plan)
    else:
        read_outline(blocks, plan, with_tasks=kind != "summary")

    # "排名第一位的为牵头单位", said once for the document: its unit lists lead with their first unit
    # (a table's rows only where no column names a lead).
    lead_columns = has_task_table and any(task.lead_units for task in plan.tasks)
    if FIRST_LEADS.search(preamble + segment_text) and not lead_columns:
        for task in plan.tasks:
            if not task.lead_units and task.responsible_units:
                task.lead_units, task.responsible_units = task.responsible_units[:1], task.responsible_units[1:]
    if kind != "summary" and not plan.tasks and not plan.duties:
        return None
    if kind == "summary" and not plan.sections:
        return None
    if years is None:
        raise PlanFileError(f"无法从《{title}》中确定计划年度，请指定年度后再导入。")
    return plan
