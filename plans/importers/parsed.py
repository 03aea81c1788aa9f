"""Plain dataclasses that readers produce and the import service writes."""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from tasks.formats import heading


class PlanFileError(ValueError):
    """A file that cannot be imported; the message is shown to the user as is."""


@dataclass
class Paragraph:
    text: str
    # The outline level of a Word heading style (标题 1 → 1), for headings that carry no typed number.
    level: int | None = None


@dataclass
class Table:
    rows: list[list[str]]
    name: str = ""  # a worksheet's name, which often is the document's title


Block = Paragraph | Table


@dataclass
class ParsedMilestone:
    title: str
    due: datetime.date


@dataclass
class ParsedTarget:
    metric: str
    comparator: str  # ">=", "<=" or "="
    value: Decimal
    unit: str


@dataclass
class ParsedSection:
    id: int
    number: str
    title: str
    parent: int | None = None

    @property
    def heading(self) -> str:
        return heading(self.number, self.title)


@dataclass
class ParsedTask:
    id: int
    number: str
    text: str
    section: int | None = None
    parent: int | None = None
    lead_units: list[str] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)
    deadline: datetime.date | None = None
    deadline_text: str = ""
    targets: list[ParsedTarget] = field(default_factory=list)
    leader: str = ""  # 责任领导: a person or a post, never a unit
    milestones: list[ParsedMilestone] = field(default_factory=list)
    target_text: str = ""  # 年度任务目标 as the document writes it
    progress_text: str = ""  # 推进情况 as the document writes it

    @property
    def names_no_unit(self) -> bool:
        return not self.lead_units and not self.responsible_units


@dataclass
class ParsedWorkItem:
    text: str
    units: list[str] = field(default_factory=list)


@dataclass
class ParsedDuty:
    number: int
    text: str
    work_items: list[ParsedWorkItem] = field(default_factory=list)


@dataclass
class ParsedPlan:
    title: str
    kind: str
    year_start: int
    year_end: int
    bureau_name: str = ""
    document_number: str = ""
    issued_on: datetime.date | None = None
    sections: list[ParsedSection] = field(default_factory=list)
    tasks: list[ParsedTask] = field(default_factory=list)
    duties: list[ParsedDuty] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Table columns the readers did not understand, by their header text: shown, never dropped in silence.
    ignored_columns: list[str] = field(default_factory=list)
    # Who issued the document when that is not an education bureau (市人民政府办公室).
    issuer: str = ""

    def add_section(self, number: str, title: str, parent: int | None = None) -> ParsedSection:
        section = ParsedSection(id=len(self.sections) + 1, number=number, title=title, parent=parent)
        self.sections.append(section)
        return section

    def add_task(self, number: str, text: str, **fields) -> ParsedTask:
        task = ParsedTask(id=len(self.tasks) + 1, number=number, text=text, **fields)
        self.tasks.append(task)
        return task

    @property
    def leaf_tasks(self) -> list[ParsedTask]:
        parents = {task.parent for task in self.tasks}
        return [task for task in self.tasks if task.id not in parents]

    @property
    def unassigned_tasks(self) -> list[ParsedTask]:
        """Leaf tasks that name no unit, and whose parents name none either."""
        by_id = {task.id: task for task in self.tasks}

        def named(task: ParsedTask | None) -> bool:
            return task is not None and (not task.names_no_unit or named(by_id.get(task.parent)))

        return [task for task in self.leaf_tasks if not named(task)]

    def outline(self) -> list[tuple[str, int, ParsedSection | ParsedTask]]:
        """Sections and tasks in reading order as ("section" | "task", depth, item)."""
        rows: list[tuple[str, int, ParsedSection | ParsedTask]] = []
        depth_of: dict[int, int] = {}
        by_section: dict[int | None, list[ParsedTask]] = {}
        for task in self.tasks:
            by_section.setdefault(task.section, []).append(task)

        def tasks_of(section_id: int | None, base: int) -> None:
            for task in by_section.get(section_id, []):
                depth_of[task.id] = depth_of.get(task.parent, base - 1) + 1 if task.parent else base
                rows.append(("task", depth_of[task.id], task))

        tasks_of(None, 0)
        for section in self.sections:
            depth = len(self.section_path(section.id)) - 1
            rows.append(("section", depth, section))
            tasks_of(section.id, depth + 1)
        return rows

    def section_path(self, section_id: int | None) -> list[ParsedSection]:
        # Sections are numbered from 1 in the order they were added.
        by_id = self.sections
        path = []
        while section_id is not None:
            section = by_id[section_id - 1]
            path.insert(0, section)
            section_id = section.parent
        return path

    def as_json(self) -> dict:
        return {
            "bureau": self.bureau_name,
            "title": self.title,
            "kind": self.kind,
            "year_start": self.year_start,
            "year_end": self.year_end,
            "document_number": self.document_number,
            "issuer": self.issuer,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "sections": [{"id": s.id, "parent": s.parent, "number": s.number, "title": s.title} for s in self.sections],
            "tasks": [
                {
                    "id": t.id,
                    "parent": t.parent,
                    "section": t.section,
                    "number": t.number,
                    "text": t.text,
                    "lead_units": t.lead_units,
                    "responsible_units": t.responsible_units,
                    "deadline": t.deadline.isoformat() if t.deadline else None,
                    "deadline_text": t.deadline_text,
                    "leader": t.leader,
                    "milestones": [{"title": m.title, "due": m.due.isoformat()} for m in t.milestones],
                    "target_text": t.target_text,
                    "progress_text": t.progress_text,
                    "targets": [
                        {"metric": g.metric, "comparator": g.comparator, "value": float(g.value), "unit": g.unit}
                        for g in t.targets
                    ],
                }
                for t in self.tasks
            ],
            "duties": [
                {
                    "number": d.number,
                    "text": d.text,
                    "work_items": [{"text": w.text, "units": w.units} for w in d.work_items],
                }
                for d in self.duties
            ],
            "warnings": self.warnings,
            "ignored_columns": self.ignored_columns,
            "unassigned_count": len(self.unassigned_tasks),
        }


def plans_dump(plans: list[ParsedPlan]) -> str:
    """The parsed plans as JSON, so that a file read at upload is not read again at confirm."""

    def encode(value):
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        raise TypeError(type(value))

    return json.dumps([asdict(plan) for plan in plans], ensure_ascii=False, default=encode)


def plans_load(text: str) -> list[ParsedPlan]:
    """The inverse of plans_dump."""

    def day(value: str | None) -> datetime.date | None:
        return datetime.date.fromisoformat(value) if value else None

    def task(fields: dict) -> ParsedTask:
        return ParsedTask(
            **{
                **fields,
                "deadline": day(fields["deadline"]),
                "targets": [ParsedTarget(**{**t, "value": Decimal(t["value"])}) for t in fields["targets"]],
                "milestones": [ParsedMilestone(m["title"], day(m["due"])) for m in fields["milestones"]],
            }
        )

    def duty(fields: dict) -> ParsedDuty:
        return ParsedDuty(**{**fields, "work_items": [ParsedWorkItem(**w) for w in fields["work_items"]]})

    return [
        ParsedPlan(
            **{
                **fields,
                "issued_on": day(fields["issued_on"]),
                "sections": [ParsedSection(**s) for s in fields["sections"]],
                "tasks": [task(t) for t in fields["tasks"]],
                "duties": [duty(d) for d in fields["duties"]],
            }
        )
        for fields in json.loads(text)
    ]
