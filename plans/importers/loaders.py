"""Turn an uploaded file into blocks (paragraphs and tables), whatever its format, refusing hostile files."""

from __future__ import annotations

import datetime
import io
import re

from tasks.archives import ArchiveRefused, open_office_archive
from tasks.formats import chinese_date

from . import limits
from .parsed import Block, Paragraph, PlanFileError, Table
from .pasted import pasted_tables, reflow
from .text import clean
from .word import docx_blocks

MAX_FILE_BYTES = 20 * 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def load_blocks(data: bytes) -> list[Block]:
    """The file's paragraphs and tables in reading order; the format comes from the content, not the name."""
    if not data:
        raise PlanFileError("文件为空。")
    if len(data) > MAX_FILE_BYTES:
        raise PlanFileError(f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，请拆分后再导入。")
    if data.startswith(_OLE_MAGIC):
        raise PlanFileError("这是旧版 Word/Excel 文件（.doc/.xls），请在 Office 中另存为 .docx 或 .xlsx 后再导入。")
    blocks = _office_blocks(data) if data.startswith(b"PK") else _text_blocks(data)
    limits.check_blocks(blocks)
    return blocks


def _office_blocks(data: bytes) -> list[Block]:
    # The readers parse the archive as checked, not the bytes as uploaded, and only once its
    # counts say the work is bounded.
    try:
        archive = open_office_archive(data, max_xml_part=limits.MAX_XML_PART_BYTES)
    except ArchiveRefused as exc:
        raise PlanFileError(str(exc)) from exc
    if "word/document.xml" in archive:
        limits.check_docx(archive)
        return docx_blocks(archive.data)
    if "xl/workbook.xml" in archive:
        limits.check_xlsx(archive)
        return _xlsx_blocks(archive.data)
    raise PlanFileError("无法识别的压缩文件：既不是 Word（.docx）也不是 Excel（.xlsx）文件。")


def _xlsx_blocks(data: bytes) -> list[Block]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:
        raise PlanFileError("Excel 文件已损坏，无法读取。") from exc
    blocks: list[Block] = []
    for sheet in workbook.worksheets:
        # A cell far out (XFD1048576) would make every row that wide.
        if sheet.max_row * sheet.max_column > limits.MAX_CELLS:
            raise PlanFileError(f"工作表“{sheet.title}”过大（{sheet.max_row} 行 × {sheet.max_column} 列），已拒绝。")
        rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        # Like Word, give every cell of a merged range the range's value.
        for merged in sheet.merged_cells.ranges:
            value = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(rows) else ""
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                    rows[r][c] = value
        blocks.append(Table(rows, name=sheet.title))
    return blocks


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return chinese_date(value)  # a deadline typed as a date cell
    return clean(str(value))


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlanFileError("无法识别的文件格式：请上传 .docx、.xlsx 或 .txt 文件。")
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise PlanFileError("无法识别的文件格式：请上传 .docx、.xlsx 或 .txt 文件。")


def _text_blocks(data: bytes) -> list[Block]:
    """Text: tables pasted with | or box-drawing lines or one cell per line, the rest read as below."""
    text = _decode(data)
    limits.check_text(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    run: list[str] = []
    for piece in pasted_tables(lines):
        if isinstance(piece, Table):
            blocks += _extraction_blocks(run)
            blocks.append(piece)
            run = []
        else:
            run.append(piece)
    return blocks + _extraction_blocks(run)


def _extraction_blocks(lines: list[str]) -> list[Block]:
    """The plain-text extraction format: a table cell starts with a tab, rows are separated by a blank line.
    Lines wrapped as a PDF wraps them are joined first."""
    lines = reflow(lines)
    blocks: list[Block] = []
    rows: list[list[str]] = []
    blank_run = 0
    width = 0  # cells in the current table's first row

    def finish_table() -> None:
        nonlocal rows, width
        if rows:
            blocks.append(Table([[clean(cell) for cell in row] for row in rows]))
        rows, width = [], 0

    for line in lines:
        if not line.strip() and not line.startswith("\t"):
            blank_run += 1
            continue
        if line.startswith("\t"):
            content = line[1:]
            starts_row = not rows or (blank_run > 0 and (width == 0 or len(rows[-1]) >= width))
            if starts_row:
                if len(rows) == 1:
                    width = len(rows[0])
                rows.append([content])
            else:
                rows[-1].append(content)
        elif rows and blank_run < 2:
            rows[-1][-1] += "\n" + line
        else:
            finish_table()
            text = clean(line)
            if text:
                blocks.append(Paragraph(text))
        blank_run = 0
    finish_table()
    return [b for b in blocks if not isinstance(b, Paragraph) or re.search(r"\S", b.text)]
