"""Section headings between and inside task tables: 一、 / 第一部分 open a chapter, （一） a sub-chapter."""

from __future__ import annotations

from .numbering import match_number
from .parsed import ParsedPlan, ParsedSection

_LEVELS = {"第一部分": 1, "一、": 1, "（一）": 2}


def heading_title(text: str) -> str | None:
    """The title when `text` is one line without a full stop inside it, as headings are."""
    title = text.strip()
    if not title or "\n" in title or "。" in title.rstrip("。") or len(title) > 80:
        return None
    return title.rstrip("。")


class SectionTracker:
    def __init__(self, plan: ParsedPlan) -> None:
        self.plan = plan
        self.chapter: ParsedSection | None = None
        self.current: ParsedSection | None = None

    def match(self, text: str) -> tuple[int, str, str] | None:
        """(level, number as printed, title) when `text` is a section heading."""
        found = match_number(text)
        if found is None or found.form not in _LEVELS:
            return None
        title = heading_title(found.body)
        if title is None:
            return None
        if not found.closed:
            self.plan.warnings.append(f"“{text[:20]}”的编号缺少右括号，已按{found.number}处理。")
        return _LEVELS[found.form], found.number, title

    def open(self, level: int, number: str, title: str) -> ParsedSection:
        parent = self.chapter.id if level == 2 and self.chapter else None
        section = self.plan.add_section(number, title, parent)
        if level == 1:
            self.chapter = section
        self.current = section
        return section

    @property
    def current_id(self) -> int | None:
        return self.current.id if self.current else None
