"""Section numbering shared by the readers: 一、 opens a chapter, （一） a sub-chapter."""

from __future__ import annotations

from .parsed import ParsedPlan, ParsedSection
from .text import CHAPTER, SUBCHAPTER, cn_number


class SectionTracker:
    def __init__(self, plan: ParsedPlan) -> None:
        self.plan = plan
        self.chapter: ParsedSection | None = None
        self.current: ParsedSection | None = None

    def match(self, text: str) -> tuple[int, str, str] | None:
        """(level, number as printed, title) when `text` is a section heading."""
        for level, pattern in ((1, CHAPTER), (2, SUBCHAPTER)):
            found = pattern.match(text)
            if found and cn_number(found.group(1)) is not None:
                title = found.group(2).strip()
                # A heading is one line without a full stop inside it.
                if "\n" in title or "。" in title.rstrip("。") or len(title) > 80:
                    return None
                number = found.group(1) if level == 1 else f"（{found.group(1)}）"
                if level == 2 and not text.lstrip("（(").lstrip("一二三四五六七八九十 ").startswith(("）", ")")):
                    self.plan.warnings.append(f"“{text[:20]}”的编号缺少右括号，已按{number}处理。")
                return level, number, title.rstrip("。")
        return None

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
