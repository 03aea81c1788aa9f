"""Text that came from elsewhere: tables pasted from a web page, a terminal or a PDF, and PDF line wraps."""

from __future__ import annotations

import re

from .columns import column_role
from .labels import read_line
from .numbering import match_number
from .parsed import Table
from .text import clean

_BOX_BORDER = re.compile(r"^[\s┌┐└┘├┤┬┴┼─━┏┓┗┛┣┫┳┻╋═╔╗╚╝╠╣╦╩╬+\-=|:]+$")
_BOX_BAR = re.compile(r"[│┃║]")
_PIPE = re.compile(r"[|｜]")


def _pipe_cells(line: str) -> list[str]:
    cells = _PIPE.split(line.strip())
    if cells and not cells[0].strip():
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    return [cell.strip() for cell in cells]


def _is_pipe_row(line: str) -> bool:
    return len(_PIPE.findall(line)) >= 2


def _box_table(lines: list[str]) -> Table:
    """Rows between border lines; a cell wrapped onto a second line inside its box is joined up."""
    rows: list[list[str]] = []
    current: list[list[str]] | None = None
    for line in lines:
        if _BOX_BORDER.match(line) and not _BOX_BAR.search(line.strip("│┃║")):
            if current:
                rows.append(["".join(part) for part in current])
            current = None
            continue
        cells = [c.strip() for c in _BOX_BAR.split(line.strip())]
        cells = cells[1:-1] if len(cells) > 2 and not cells[0] and not cells[-1] else cells
        if current is None:
            current = [[c] for c in cells]
        else:
            for index, cell in enumerate(cells):
                if index < len(current):
                    current[index].append(cell)
    if current:
        rows.append(["".join(part) for part in current])
    return Table([[clean(c) for c in row] for row in rows])


def _one_cell_per_line(lines: list[str], start: int) -> tuple[Table, int] | None:
    """A header written one cell per line (序号 / 重点任务 / 牵头单位 …), then each row's cells one per
    line, every row starting with its number."""
    header: list[str] = []
    index = start
    while index < len(lines) and lines[index].strip() and column_role(lines[index].strip()):
        header.append(lines[index].strip())
        index += 1
    roles = [column_role(h) for h in header]
    if len(header) < 3 or "text" not in roles or roles[0] != "number":
        return None
    rows = [header]
    expected = 1
    while index < len(lines):
        line = lines[index].strip()
        if not line:
            index += 1
            continue
        if line == str(expected):
            rows.append([line])
            expected += 1
        elif len(rows) > 1 and len(rows[-1]) < len(header):
            rows[-1].append(line)
        elif len(rows) > 1 and match_number(line) and match_number(line).form in ("一、", "（一）"):
            rows.append([line])  # a section between rows
        else:
            break
        index += 1
    if len(rows) < 2:
        return None
    width = len(header)
    return Table([row + [""] * (width - len(row)) if len(row) > 1 else row for row in rows]), index


def pasted_tables(lines: list[str]) -> list[str | Table]:
    """The lines, with each pasted table replaced by a Table."""
    out: list[str | Table] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if _BOX_BAR.search(line) or (line.strip()[:1] in ("┌", "┏", "╔") and _BOX_BORDER.match(line)):
            end = index
            while end < len(lines) and (_BOX_BAR.search(lines[end]) or _BOX_BORDER.match(lines[end] or " ")):
                if not lines[end].strip():
                    break
                end += 1
            out.append(_box_table(lines[index:end]))
            index = max(end, index + 1)
            continue
        if _is_pipe_row(line) and index + 1 < len(lines) and _is_pipe_row(lines[index + 1]):
            end = index
            rows = []
            while end < len(lines) and _is_pipe_row(lines[end]):
                cells = _pipe_cells(lines[end])
                if not all(re.fullmatch(r":?-{2,}:?|", c) for c in cells):
                    rows.append([clean(c) for c in cells])
                end += 1
            out.append(Table(rows))
            index = end
            continue
        if not line.startswith("\t") and column_role(line.strip()) == "number":
            found = _one_cell_per_line(lines, index)
            if found:
                table, index = found
                out.append(table)
                continue
        out.append(line)
        index += 1
    return out


# ---------------------------------------------------------------- PDF line wraps

_ENDS_SENTENCE = tuple("。；;：:！!？?」』”）)】］")
_PAGE_NUMBER = re.compile(r"^[—\-–]\s*\d+\s*[—\-–]$")


def reflow(lines: list[str]) -> list[str]:
    """Join the lines a PDF wrapped: a line that fills the page's width and ends without punctuation
    continues on the next one, unless that one starts a numbered item or a label."""
    widths = sorted(len(line.strip()) for line in lines if len(line.strip()) >= 10 and not line.startswith("\t"))
    full = widths[int(len(widths) * 0.8)] if len(widths) >= 5 else 10**6
    # Only text wrapped at a fixed width: most long lines are about as long as the longest.
    if sum(1 for w in widths if w >= full - 2) < len(widths) * 0.4 or full > 60:
        full = 10**6  # not wrapped; still, a bracket left open at a line's end goes on in the next line
    out: list[str] = []
    joining = bracket_open = False
    for line in lines:
        text = line.strip()
        if joining and (not text or _PAGE_NUMBER.match(text)):
            continue  # a page break inside a wrapped paragraph
        continues = text and not line.startswith("\t") and not match_number(text) and not read_line(text)
        if joining and text and (bracket_open or continues):
            out[-1] = out[-1].rstrip() + text
        else:
            out.append(line)
        current = out[-1].strip()
        # A bracket left open at a line's end goes on in the next line, whatever that line starts with.
        bracket_open = sum(current.count(c) for c in "（(［【") > sum(current.count(c) for c in "）)］】")
        wrapped = len(text) >= full - 3 and not text.endswith(_ENDS_SENTENCE)
        joining = (wrapped or (bracket_open and len(text) >= 8)) and not line.startswith("\t")
    return out
