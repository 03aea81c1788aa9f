"""What a table column holds, read from the words of its header (one or two header rows)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .labels import label_role
from .text import squash
from .vocabulary import (
    DEADLINE_HEADS,
    HALF_YEAR_HEADER,
    LEDGER_HEADS,
    MONTH_HEADER,
    NUMBER_HEADS,
    PROGRESS_HEADS,
    QUARTER_HEADER,
    QUARTERS,
    REPORT_RECORD_HEADS,
    SECTION_HEADS,
    TARGET_HEADS,
    TEXT_HEADS,
)

UNIT_ROLES = ("lead", "co", "responsible")


def column_role(header: str) -> str | None:
    """number, text, target, lead, co, responsible, leader, deadline, progress, section, q1…q4, m1…m12,
    h1/h2 (half years), or None when the header's words say nothing the readers use."""
    name = squash(header).strip("：:*＊")
    if not name or len(name) > 24:
        return None
    bare = re.sub(r"[（(][^）)]*[）)]", "", name) or name  # 年度重点工作（2017年度）, 责任处室（科室）
    if name in LEDGER_HEADS:
        return None
    if bare in NUMBER_HEADS or bare.endswith("序号"):
        return "number"
    quarter = QUARTER_HEADER.match(bare)
    if quarter:
        return f"q{QUARTERS[quarter.group(1) or quarter.group(2)]}"
    month = MONTH_HEADER.match(bare)
    if month and 1 <= int(month.group(1)) <= 12:
        return f"m{int(month.group(1))}"
    half = HALF_YEAR_HEADER.match(bare)
    if half:
        return "h1" if half.group(1) == "上" else "h2"
    role = label_role(name) or label_role(bare)
    if role:
        return role
    if bare in PROGRESS_HEADS:
        return "progress"
    if bare.endswith(DEADLINE_HEADS):
        return "deadline"
    if bare in SECTION_HEADS:
        return "section"
    # Head-final: the longest head word the header ends with decides between a task and a target.
    text_head = max((h for h in TEXT_HEADS if bare.endswith(h)), key=len, default="")
    target_head = max((h for h in TARGET_HEADS if bare.endswith(h)), key=len, default="")
    if target_head and len(target_head) >= len(text_head):
        return "target"
    if text_head:
        return "text"
    return None


@dataclass
class Columns:
    """Each role's column indexes, and the headers of the columns no role claimed."""

    roles: dict[str, list[int]] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def first(self, role: str) -> int | None:
        found = self.roles.get(role)
        return found[0] if found else None

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def width(self) -> int:
        return len(self.headers)


def _combined(top: list[str], sub: list[str] | None) -> list[str]:
    if sub is None:
        return top
    return [
        s if t == s or not t else (f"{t}{s}" if s and column_role(s) is None else (s or t))
        for t, s in zip(top, sub + [""] * (len(top) - len(sub)), strict=False)
    ]


def read_header(top: list[str], sub: list[str] | None = None) -> Columns | None:
    """The columns of a task table when `top` (with `sub` under it, for two header rows) is its header."""
    headers = _combined(top, sub)
    columns = Columns(headers=headers)
    for index, header in enumerate(headers):
        role = column_role(header) if header else None
        if role is None:
            if header and header not in columns.ignored and not (index and header == headers[index - 1]):
                columns.ignored.append(header)
            continue
        # A cell merged across columns repeats its header; its role has one column.
        if index and header == headers[index - 1] and role in columns.roles:
            continue
        columns.roles.setdefault(role, []).append(index)
    for index in columns.roles.get("text", [])[1:]:
        if "目标" in headers[index]:  # 项目名称 | 年度目标任务: the second says what the work must reach
            columns.roles["text"].remove(index)
            columns.roles.setdefault("target", []).append(index)
    if "text" not in columns.roles and "target" in columns.roles and len(columns.roles["target"]) > 1:
        # 工作目标 | 年度目标值: the first target column is what the work is.
        columns.roles["text"] = [columns.roles["target"].pop(0)]
    elif "text" not in columns.roles and "target" in columns.roles and columns.has(*UNIT_ROLES):
        columns.roles["text"] = columns.roles.pop("target")
    if "text" not in columns.roles:
        return None
    if not columns.has(*UNIT_ROLES, "leader", "deadline", "number", "target", "progress", "q1", "q2", "q3", "q4"):
        return None
    return columns


def lists_reports(rows: list[list[str]]) -> bool:
    """Whether a table is a record of reports (a 台账's 报送记录): a header among its first rows names
    both who sent them and when (a plan's table may have a 报送时间 for when reports are due)."""
    return any({squash(cell) for cell in row} >= REPORT_RECORD_HEADS for row in rows[:10])


def header_roles_found(row: list[str]) -> int:
    """How many cells of `row` read as column headers."""
    return sum(1 for cell in row if cell and column_role(cell))


def looks_like_header(row: list[str]) -> bool:
    """Short cells only, one at least naming a role the readers know: a header that may lack its task column."""
    cells = [squash(c) for c in row if c.strip()]
    return len(cells) >= 2 and all(len(c) <= 12 for c in cells) and header_roles_found(row) >= 1
