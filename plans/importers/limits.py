"""How much work one plan file may ask for, counted before python-docx or openpyxl build anything.

Bytes alone do not bound the work: a 1 KB sheet can merge a billion cells, a 600 KB docx can hold
100,000 paragraphs, a 3 MB xlsx a 190 MB shared-strings table. The counts below are read from the
checked XML with plain byte searches (fast, no tree), so a hostile file is refused in well under a
second, and a file within them is read, previewed and imported in a few seconds. The largest real
plans (a province's 任务分解表, a five-year plan) stay far below every limit.
"""

from __future__ import annotations

import re

from tasks.archives import OfficeArchive

from .parsed import Block, PlanFileError, Table

MAX_XML_PART_BYTES = 32 * 1024 * 1024
MAX_PARAGRAPHS = 20_000  # Word paragraphs, in the body and in table cells
MAX_CELLS = 100_000  # table cells, merged ranges counted by their area
MAX_ROWS = 20_000  # worksheet rows, all sheets together
MAX_SHARED_STRINGS = 100_000
MAX_CHARACTERS = 2_000_000  # about a thousand pages of text

_ANY_PREFIX = rb"<(?:\w+:)?"
_WORD_PARAGRAPH = re.compile(rb"<w:p[\s>/]")
_WORD_CELL = re.compile(rb"<w:tc[\s>/]")
_GRID_SPAN = re.compile(rb"<w:gridSpan\s+w:val=\"(\d+)\"")
_SHEET_ROW = re.compile(_ANY_PREFIX + rb"row[\s>/]")
_SHEET_CELL = re.compile(_ANY_PREFIX + rb"c[\s>/]")
_SHARED_STRING = re.compile(_ANY_PREFIX + rb"si[\s>/]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)\"")


def _too_much(what: str, count: int, limit: int) -> PlanFileError:
    return PlanFileError(f"文件内容过多（{what} {count:,} 个，上限 {limit:,} 个），请拆分后再导入。")


def _count(pattern: re.Pattern, data: bytes, what: str, limit: int, already: int = 0) -> int:
    count = already + len(pattern.findall(data))
    if count > limit:
        raise _too_much(what, count, limit)
    return count


def check_docx(archive: OfficeArchive) -> None:
    document = archive.read("word/document.xml")
    _count(_WORD_PARAGRAPH, document, "段落", MAX_PARAGRAPHS)
    cells = _count(_WORD_CELL, document, "表格单元格", MAX_CELLS)
    # python-docx repeats a cell once for each grid column it spans.
    spans = sum(int(span) - 1 for span in _GRID_SPAN.findall(document) if span.isdigit())
    if cells + spans > MAX_CELLS:
        raise _too_much("表格单元格", cells + spans, MAX_CELLS)


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def check_xlsx(archive: OfficeArchive) -> None:
    rows = cells = merged = 0
    for name in archive.names:
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            sheet = archive.read(name)
            rows = _count(_SHEET_ROW, sheet, "工作表行", MAX_ROWS, rows)
            cells = _count(_SHEET_CELL, sheet, "单元格", MAX_CELLS, cells)
            # openpyxl creates a cell object for every cell a merged range covers.
            for first_col, first_row, last_col, last_row in _MERGE.findall(sheet):
                width = _column(last_col) - _column(first_col) + 1
                height = int(last_row) - int(first_row) + 1
                merged += max(width, 1) * max(height, 1)
                if merged > MAX_CELLS:
                    raise _too_much("合并单元格", merged, MAX_CELLS)
    if "xl/sharedStrings.xml" in archive:
        _count(_SHARED_STRING, archive.read("xl/sharedStrings.xml"), "共享字符串", MAX_SHARED_STRINGS)


def check_text(text: str) -> None:
    if len(text) > MAX_CHARACTERS:
        raise PlanFileError(f"文件内容过多（{len(text):,} 个字符，上限 {MAX_CHARACTERS:,} 个），请拆分后再导入。")
    lines = text.count("\n") + 1
    if lines > MAX_PARAGRAPHS + MAX_CELLS:
        raise _too_much("文本行", lines, MAX_PARAGRAPHS + MAX_CELLS)


def check_blocks(blocks: list[Block]) -> None:
    """What every format comes to: paragraphs, cells and characters the readers would walk."""
    characters = paragraphs = cells = 0
    for block in blocks:
        if isinstance(block, Table):
            cells += sum(len(row) for row in block.rows)
            characters += sum(len(cell) for row in block.rows for cell in row)
        else:
            paragraphs += 1
            characters += len(block.text)
    if paragraphs > MAX_PARAGRAPHS:
        raise _too_much("段落", paragraphs, MAX_PARAGRAPHS)
    if cells > MAX_CELLS:
        raise _too_much("表格单元格", cells, MAX_CELLS)
    if characters > MAX_CHARACTERS:
        raise PlanFileError(f"文件内容过多（{characters:,} 个字符，上限 {MAX_CHARACTERS:,} 个），请拆分后再导入。")
