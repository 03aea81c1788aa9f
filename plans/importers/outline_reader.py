"""Numbered prose: 工作要点, 实施方案, 规划任务分工 — any numbering forms, at any depth.

The numbered paragraphs are first laid out as a tree, each numbering form nesting under the form that
came before it; then an inner node numbered 一、/（一）/第一部分 (or a Word heading) is a section, and
every other node with text is a task. Units, leaders and deadlines come from tails and label lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .labels import UnitSpec, read_line, take_trailers
from .numbering import Numbered, match_number, split_ordinals
from .parsed import Block, Paragraph, ParsedPlan, ParsedTask
from .sections import heading_title
from .text import find_deadline_text, find_targets, parse_deadline
from .vocabulary import CLOSING_REMARK, FRAMING_TITLES, GROUP_HEADING

_SECTION_FORMS = ("第一部分", "一、", "（一）")


@dataclass
class _Node:
    number: Numbered | None
    lines: list[str] = field(default_factory=list)
    spec: UnitSpec = field(default_factory=UnitSpec)
    children: list[_Node] = field(default_factory=list)
    last_of_form: dict[str, _Node] = field(default_factory=dict)  # the latest child of each numbering form
    parent: _Node | None = None

    @property
    def form(self) -> str:
        return self.number.form if self.number else ""

    @property
    def is_section_form(self) -> bool:
        return self.form in _SECTION_FORMS or self.form.startswith("H")

    @property
    def heading(self) -> str | None:
        """The node's title when its first line is written as a heading: one short line."""
        return heading_title(self.lines[0]) if self.lines else None

    @property
    def is_group(self) -> bool:
        return bool(self.lines) and bool(GROUP_HEADING.match(self.lines[0]))


class _Outline:
    """Pass one: paragraphs into a tree of numbered nodes."""

    def __init__(self, plan: ParsedPlan) -> None:
        self.plan = plan
        self.root = _Node(None)
        self.current: _Node | None = None
        self.last_value: dict[str, int] = {}  # the latest value of each form anywhere, for run-on numbering

    def expected(self) -> dict[str, int]:
        expected = {}
        node = self.current
        while node is not None and node.number is not None:
            if node.number.value is not None:
                expected.setdefault(node.form, node.number.value + 1)
            node = node.parent
        return expected

    def feed(self, paragraph: Paragraph) -> None:
        text = paragraph.text
        if not text:
            return
        numbered = match_number(text, self.expected())
        if numbered is None and paragraph.level is not None:
            numbered = Numbered(f"H{paragraph.level}", None, "", text)
        if numbered is None:
            self.unnumbered(text)
            return
        self.place(numbered)

    def unnumbered(self, text: str) -> None:
        node = self.current
        if node is None:
            return  # the notice or an opening paragraph before the first numbered heading
        if CLOSING_REMARK.match(text):
            self.current = None  # "各股室、各学校要细化措施…": words to the readers, not the item above
            return
        labels = read_line(text)
        if labels is not None and not labels.empty:
            parent = node.parent
            shared = (
                parent is not None
                and parent.number is not None
                and not parent.is_section_form
                and len(parent.children) > 1
                and all(child.spec.empty for child in parent.children)
            )
            # "（1）…（2）…" then one "（责任单位：…）" line: the units are the item's, for all its parts.
            (parent if shared else node).spec.merge(labels)
            return
        group = node if node.is_group else node.parent if node.parent and node.parent.is_group else None
        if group is not None and (node is group or node.form == "group"):
            # A 重大项目 heading followed by unnumbered items: each paragraph is one project.
            child = _Node(Numbered("group", None, "", text), [text], parent=group)
            group.children.append(child)
            self.current = child
        elif not node.lines or (not node.lines[0] and len(node.lines) == 1):
            node.lines = [text]  # "3." alone, its text in the next paragraph
        else:
            node.lines.append(text)

    def place(self, numbered: Numbered) -> None:
        parent = self.current or self.root
        node = self.current
        while node is not None and node.number is not None:
            if node.form == numbered.form:
                parent = node.parent
                break
            node = node.parent
        if numbered.form.startswith("H") and node is None:
            # A heading style ranks by its level, whatever came before it.
            parent = self._heading_parent(int(numbered.form[1:]))
        if not numbered.closed:
            self.plan.warnings.append(
                f"“{numbered.number[:-1]}{numbered.body[:18]}”的编号缺少右括号，已按{numbered.number}处理。"
            )
        numbered = self._check_sequence(parent, numbered)
        child = _Node(numbered, [numbered.body], parent=parent)
        parent.children.append(child)
        parent.last_of_form[numbered.form] = child
        self.current = child
        if numbered.value is not None:
            self.last_value[numbered.form] = numbered.value

    def _heading_parent(self, level: int) -> _Node:
        node = self.current
        while node is not None and node.number is not None:
            if node.form.startswith("H") and int(node.form[1:]) < level:
                return node
            node = node.parent
        return self.root

    def _check_sequence(self, parent: _Node, numbered: Numbered) -> Numbered:
        sibling = parent.last_of_form.get(numbered.form)
        previous = sibling.number.value if sibling else None
        if numbered.form == "（1）" and numbered.value is None:
            expected = (previous or 0) + 1
            self.plan.warnings.append(f"“{numbered.number}{numbered.body[:18]}”缺少编号，已按（{expected}）处理。")
            return Numbered(numbered.form, expected, f"（{expected}）", numbered.body)
        if numbered.form != "1." or numbered.value is None:
            return numbered
        if previous is None:
            run_on = self.last_value.get("1.", 0) + 1
            fine = numbered.value in (1, run_on)
            previous = self.last_value.get("1.", 0)
        else:
            fine = numbered.value == previous + 1
        if not fine:
            where = self._where(parent)
            self.plan.warnings.append(f"{where}：编号从{previous}跳到{numbered.value}，请核对是否漏项。")
        return numbered

    def _where(self, node: _Node) -> str:
        while node is not None and node.number is not None:
            if node.is_section_form:
                return f"{node.number.number}{node.lines[0][:12]}"
            node = node.parent
        return ""


class _Writer:
    """Pass two: the tree into sections and tasks."""

    def __init__(self, plan: ParsedPlan, with_tasks: bool) -> None:
        self.plan = plan
        self.with_tasks = with_tasks
        self.single_year = plan.year_start == plan.year_end

    def write(self, root: _Node) -> None:
        self.document_names_units = _names_units(root)
        specs = [node.spec for node in _walk(root)]
        # A document that writes 责任单位 beside 配合单位 and never writes 牵头 means its lead by 责任单位,
        # also on the items that name no 配合单位.
        self.responsible_leads = any(s.responsible and s.co_named for s in specs) and not any(
            s.lead_named for s in specs
        )
        self.children(root, section=None, parent_task=None)

    def children(self, node: _Node, section: int | None, parent_task: ParsedTask | None) -> None:
        siblings_nest = any(child.children for child in node.children)
        for child in node.children:
            self.node(child, section, parent_task, siblings_nest)

    def node(self, node: _Node, section: int | None, parent_task: ParsedTask | None, siblings_nest: bool) -> None:
        if not any(line.strip() for line in node.lines):
            if node.children:
                self.children(node, section, parent_task)
            else:
                self.plan.warnings.append(f"第{node.number.number}项没有内容，已略过。")
            return
        ordinals = self._ordinals(node)
        if ordinals and node.is_section_form and parent_task is None:
            # "（三）深化课堂改革。一是…；二是…": the heading is a section, each 一是 a task.
            lead, items = ordinals
            opened = self.plan.add_section(node.number.number, _first_sentence(lead)[:300], section)
            if self.with_tasks:
                self.ordinal_tasks(node, items, node.spec, opened.id, None)
            return
        if node.is_section_form and parent_task is None and self._is_section(node, siblings_nest):
            title = node.heading or _first_sentence(node.lines[0])
            opened = self.plan.add_section(node.number.number, title[:300], section)
            with_tasks = self.with_tasks
            if self._frames(node, title):
                self.with_tasks = False  # 总体要求: 指导思想, 工作目标 … say why, not what to do
            self.children(node, opened.id, None)
            self.with_tasks = with_tasks
            return
        if not self.with_tasks:
            return
        task = self.task(node, section, parent_task)
        self.children(node, section, task)

    def _is_section(self, node: _Node, siblings_nest: bool) -> bool:
        if node.children or not self.with_tasks:
            return True
        title = node.heading
        if title is None:
            return False  # "（一）加强党建。全面落实…": an item with a body is a task
        # A bare heading is a task only in a flat list of headings; beside chapters that hold items it
        # frames the plan (总体思路) or is an empty chapter.
        return siblings_nest or title.endswith(FRAMING_TITLES)

    def _frames(self, node: _Node, title: str) -> bool:
        """A chapter that frames the plan (总体要求, 指导思想, 保障措施 …) whose items name no unit, in a plan
        whose other items do: it says why and how, not what to do."""
        framing = title.endswith(FRAMING_TITLES) or title.endswith(("保障措施", "组织保障", "工作保障"))
        # Only the contrast tells: in a plan that names no unit at all, no chapter's items are dropped.
        return framing and self.document_names_units and not _names_units(node)

    @staticmethod
    def _ordinals(node: _Node) -> tuple[str, list[str]] | None:
        if node.children or len([line for line in node.lines if line.strip()]) != 1:
            return None
        found = split_ordinals(node.lines[0])
        return found if found and found[0] else None

    def ordinal_tasks(
        self, node: _Node, items: list[str], spec: UnitSpec, section: int | None, parent: ParsedTask | None
    ) -> ParsedTask | None:
        last = None
        for index, item in enumerate(items, start=1):
            item_text, own = take_trailers(item)
            if not item_text:
                continue
            last = self.add(
                f"{node.number.number}.{index}", item_text, own if not own.empty else spec.copy_units(), section, parent
            )
        return last

    def task(self, node: _Node, section: int | None, parent_task: ParsedTask | None) -> ParsedTask | None:
        spec = UnitSpec()
        lines = []
        for line in node.lines:
            text, found = take_trailers(line)
            spec.merge(found)
            if text:
                lines.append(text)
        spec.merge(node.spec)
        text = "\n".join(lines)
        if not text.strip():
            return parent_task  # "1.（责任单位：…）" with no work written: no task
        ordinals = split_ordinals(text) if len(lines) == 1 and not node.children else None
        if ordinals:
            lead, items = ordinals
            parent = self.add(node.number.number, lead, spec, section, parent_task) if lead else parent_task
            last = self.ordinal_tasks(node, items, spec, section, parent)
            return parent or last
        return self.add(node.number.number, text, spec, section, parent_task)

    def add(self, number: str, text: str, spec: UnitSpec, section: int | None, parent: ParsedTask | None) -> ParsedTask:
        plan = self.plan
        if parent is not None and not (spec.lead or spec.co) and (parent.lead_units or parent.responsible_units):
            # A part that names no unit is answered for by its item's units.
            spec = replace(
                spec, lead_named=list(parent.lead_units), co_named=list(parent.responsible_units), responsible=[]
            )
        if self.responsible_leads and spec.responsible and not spec.lead_named:
            spec = replace(spec, lead_named=spec.responsible, responsible=[])
        deadline_text = spec.deadline_text
        if not deadline_text and self.single_year:
            deadline_text = find_deadline_text(text, plan.year_end)
        return plan.add_task(
            number,
            text.strip(),
            section=section,
            parent=parent.id if parent else None,
            lead_units=list(spec.lead),
            responsible_units=list(spec.co),
            leader=spec.leader,
            progress_text=spec.progress,
            deadline=parse_deadline(deadline_text, plan.year_end) if deadline_text else None,
            deadline_text=deadline_text,
            targets=find_targets(text),
        )


def _walk(node: _Node):
    yield node
    for child in node.children:
        yield from _walk(child)


def _names_units(node: _Node) -> bool:
    spec = UnitSpec()
    spec.merge(node.spec)
    for line in node.lines:
        spec.merge(take_trailers(line)[1])
    return bool(spec.lead or spec.co) or any(_names_units(child) for child in node.children)


def _first_sentence(text: str) -> str:
    return text.split("。", 1)[0].strip() or text


def read_outline(blocks: list[Block], plan: ParsedPlan, *, with_tasks: bool = True) -> None:
    """Fill `plan` with sections and, unless it is a summary, tasks."""
    outline = _Outline(plan)
    for block in blocks:
        if isinstance(block, Paragraph):
            outline.feed(block)
    _Writer(plan, with_tasks).write(outline.root)
