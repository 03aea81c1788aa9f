"""Writing imported plans: one file is one transaction, and a revised plan is updated in place."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction

from bureau.models import Bureau, Division, DivisionAlias
from tasks.attachments import safe_name
from tasks.models import Assignment, Duty, DutyItem, Milestone, Plan, Section, Target, Task, TaskEvent
from tasks.rules import default_deadline, default_start, falls_behind_on
from tasks.services import task_refresh

from .importers import ParsedPlan, PlanFileError, read_plans
from .importers.parsed import ParsedTask
from .importers.places import placement
from .importers.text import short_title
from .importers.vocabulary import ALL_DIVISIONS
from .revisions import CERTAIN, Revision, TaskMatch, match_tasks, revision_of


@dataclass
class TaskChange:
    number: str
    title: str
    fields: list[str]


@dataclass
class PlanDiff:
    added: list[ParsedTask] = field(default_factory=list)
    changed: list[TaskChange] = field(default_factory=list)
    removed: list[Task] = field(default_factory=list)
    matches: list[TaskMatch] = field(default_factory=list)

    @property
    def uncertain(self) -> list[TaskMatch]:
        """Matches the admin should look at: not certain, or a renumbered task."""
        return [m for m in self.matches if m.task and (m.confidence < CERTAIN or m.task.number != m.parsed.number)]


@dataclass
class PlanPreview:
    parsed: ParsedPlan
    existing: Plan | None  # the stored plan this document may be a new version of
    diff: PlanDiff | None
    unknown_units: list[str]
    unit_problems: list[str]
    # False when only the titles' likeness suggests a new version: the admin chooses.
    revision_certain: bool = True

    @property
    def kind_label(self) -> str:
        return Plan.Kind(self.parsed.kind).label

    @property
    def leaf_count(self) -> int:
        return len(self.parsed.leaf_tasks)

    @property
    def unassigned_count(self) -> int:
        return len(self.parsed.unassigned_tasks)

    @property
    def rows(self) -> list:
        return self.parsed.outline()


@dataclass
class ImportPreview:
    sha256: str
    bureau_name: str
    bureau: Bureau | None  # None: the bureau will be created on confirm
    plans: list[PlanPreview]
    already_imported: list[Plan]

    @property
    def unknown_units(self) -> list[str]:
        names: list[str] = []
        for plan in self.plans:
            names += [n for n in plan.unknown_units if n not in names]
        return names


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bureau_for_name(name: str) -> Bureau | None:
    """The bureau a document names, also when it is written longer (温州市龙湾区教育局 for 龙湾区教育局)."""
    exact = Bureau.objects.filter(name=name).first()
    if exact or not name:
        return exact
    candidates = [b for b in Bureau.objects.all() if name.endswith(b.name) or b.name.endswith(name)]
    return max(candidates, key=lambda b: len(b.name), default=None)


def _plan_units(parsed: ParsedPlan) -> list[tuple[str, str]]:
    """(unit name, where it is used) for every unit the plan names."""
    used = []
    for task in parsed.tasks:
        for name in task.lead_units + task.responsible_units:
            used.append((name, f"第{task.number or task.id}项"))
    for duty in parsed.duties:
        for item in duty.work_items:
            used += [(name, f"职责{duty.number}“{item.text[:12]}”") for name in item.units]
    return [(name, where) for name, where in used if name != ALL_DIVISIONS]


def preview_file(data: bytes, *, bureau_name: str | None = None, year: int | None = None) -> ImportPreview:
    """Read a file and say what importing it would do, without writing anything."""
    return preview_plans(read_plans(data, bureau=bureau_name, year=year), sha=file_sha256(data))


def preview_plans(parsed_plans: list[ParsedPlan], *, sha: str) -> ImportPreview:
    """What importing plans already read from a file (of this SHA-256) would do; reads the database only."""
    for parsed in parsed_plans:
        if not parsed.bureau_name:
            # A government's document, or one that names no issuer: the admin says whose plan it is.
            issued_by = f"文件由{parsed.issuer}印发，未写明教育局" if parsed.issuer else "文件中没有写明印发的教育局"
            raise PlanFileError(
                f"无法从《{parsed.title}》中识别教育局名称（{issued_by}）："
                "请在“教育局”一栏填写或用 --bureau 指定要导入到的教育局。"
            )
    name = parsed_plans[0].bureau_name
    bureau = bureau_for_name(name)
    known = Division.objects.filter(bureau=bureau).lookup_table() if bureau else {}
    previews = []
    for parsed in parsed_plans:
        unknown: list[str] = []
        problems: list[str] = []
        for unit, where in _plan_units(parsed):
            if unit not in known:
                problems.append(f"{where}：无法识别的单位“{unit}”")
                if unit not in unknown:
                    unknown.append(unit)
        revision = _revision(parsed, bureau)
        diff = plan_diff(revision.plan, parsed, known) if revision.plan else None
        previews.append(PlanPreview(parsed, revision.plan, diff, unknown, problems, revision.certain))
    # Per bureau: another bureau's import of the same file neither blocks this one nor shows its title.
    already = list(Plan.objects.filter(source_sha256=sha, bureau=bureau)) if sha and bureau else []
    return ImportPreview(sha256=sha, bureau_name=name, bureau=bureau, plans=previews, already_imported=already)


def _revision(parsed: ParsedPlan, bureau: Bureau | None) -> Revision:
    if bureau is None:
        return Revision(None, True)
    candidates = Plan.objects.filter(
        bureau=bureau, kind=parsed.kind, year_start=parsed.year_start, year_end=parsed.year_end
    ).order_by("-created_at")
    return revision_of(parsed, list(candidates))


UPDATE, NEW = "update", "new"


def chosen_modes(preview: ImportPreview, modes: dict[int, str] | None) -> list[str]:
    """For each plan of the file: update the stored plan it revises, or create a new one. A document
    whose title only resembles a stored plan's needs the admin's choice."""
    chosen = []
    for index, item in enumerate(preview.plans):
        mode = (modes or {}).get(index)
        if item.existing is None:
            mode = NEW
        elif mode not in (UPDATE, NEW):
            if not item.revision_certain:
                raise PlanFileError(
                    f"《{item.parsed.title}》与已有计划《{item.existing.title}》相似："
                    "请选择作为其新版本更新，还是作为新计划导入。"
                )
            mode = UPDATE
        chosen.append(mode)
    return chosen


def import_file(
    *,
    data: bytes,
    filename: str,
    bureau_name: str | None = None,
    year: int | None = None,
    unit_mapping: dict[str, Division] | None = None,
    modes: dict[int, str] | None = None,
    overrides: dict[int, dict[int, int | None]] | None = None,
    default_lead: Division | None = None,
    parsed: list[ParsedPlan] | None = None,
) -> list[Plan]:
    """Import every plan in the file; a file already imported (same SHA-256) is refused. `modes` (plan
    index → "update" | "new") and `overrides` (plan index → parsed task id → stored task id or None)
    are the admin's choices in the preview; `parsed` is what the preview read, so the file is not
    read twice."""
    if parsed is None:
        parsed = read_plans_safely(data, bureau_name=bureau_name, year=year)
    # Reading happens before the transaction: on SQLite the write lock is held only while writing.
    with transaction.atomic():
        return _import_plans(parsed, data, filename, unit_mapping, modes, overrides, default_lead)


def _import_plans(parsed_plans, data, filename, unit_mapping, modes, overrides, default_lead) -> list[Plan]:
    preview = preview_plans(parsed_plans, sha=file_sha256(data))
    if preview.already_imported:
        titles = "、".join(f"《{p.title}》" for p in preview.already_imported)
        raise PlanFileError(f"该文件已导入过（{titles}），未重复导入。")
    chosen = chosen_modes(preview, modes)
    if default_lead is not None:
        # The lead the admin chose in the preview for the tasks the document names no unit for.
        for item in preview.plans:
            for task in item.parsed.unassigned_tasks:
                task.lead_units = [default_lead.name]
    bureau = preview.bureau or _create_bureau(preview.bureau_name)
    plans = []
    for index, item in enumerate(preview.plans):
        if chosen[index] == UPDATE:
            plan = plan_update(
                plan=item.existing,
                parsed=item.parsed,
                unit_mapping=unit_mapping,
                overrides=(overrides or {}).get(index),
            )
        else:
            plan = plan_create(parsed=item.parsed, bureau=bureau, unit_mapping=unit_mapping)
        plan.source_sha256 = preview.sha256
        # The uploader's name, without folders or control characters ("../x.docx", "a\x00.docx").
        plan.source_file.save(safe_name(filename, default="plan"), ContentFile(data), save=False)
        plan.save()
        plans.append(plan)
    return plans


def _create_bureau(name: str) -> Bureau:
    """A bureau the document names that is not here yet: at the level its name says, under the nearest
    bureau here that its name is written within (温州市龙湾区教育体育局 under 温州市教育局)."""
    where = placement(name)
    parent = None
    if where.level != Bureau.Level.PROVINCE:
        names = where.names_above()
        above = Bureau.objects.filter(name__in=names).exclude(level=Bureau.Level.DISTRICT)
        parent = min(above, key=lambda bureau: names[bureau.name], default=None)
    bureau = Bureau.objects.create(name=name, short_name=where.short_name, level=where.level, parent=parent)
    if bureau.level != Bureau.Level.DISTRICT:
        _adopt_written_within(bureau)
    return bureau


# Province above city above district.
_LEVEL_DEPTH = {Bureau.Level.PROVINCE: 0, Bureau.Level.CITY: 1, Bureau.Level.DISTRICT: 2}


def _adopt_written_within(bureau: Bureau) -> None:
    """Bureaus that came in before `bureau` and are written within it move under it when they hang higher up
    (under a province, or nowhere): 某某省安澜市龙泽区教育局, imported when only the province was here, went
    under the province; it now goes under 安澜市教育局, and 安澜市教育局, whose own name names no province,
    under that province. One under a city already stays (a second bureau for the same city does not take
    its districts), and so does a parent their names do not give (an admin's choice)."""
    place = bureau.short_name or placement(bureau.name).short_name
    depth = _LEVEL_DEPTH[bureau.level]
    adopted = []
    for other in Bureau.objects.filter(name__contains=place).exclude(pk=bureau.pk).select_related("parent"):
        names = placement(other.name).names_above()
        if bureau.name not in names:
            continue
        # Its parent is one its name gives (not an admin's choice), at a level above the new bureau's: being
        # further out, that name is written before the new bureau's in its own.
        if other.parent is None or (other.parent.name in names and _LEVEL_DEPTH[other.parent.level] < depth):
            adopted.append(other)
    provinces = {other.parent_id for other in adopted if other.parent is not None}
    if bureau.level == Bureau.Level.CITY and bureau.parent is None and len(provinces) == 1:
        # The new city slots in between: the bureaus written within it were written within this province.
        bureau.parent_id = provinces.pop()
        bureau.save(update_fields=["parent"])
    for other in adopted:
        # Never across provinces: a bureau of another province's 安澜市 stays where it is.
        if other.parent is None or other.parent_id == bureau.parent_id:
            other.parent = bureau
            other.save(update_fields=["parent"])


class _Units:
    """Turns unit names into divisions of one bureau, creating unconfirmed ones for unknown names."""

    def __init__(self, bureau: Bureau, mapping: dict[str, Division] | None) -> None:
        self.bureau = bureau
        self.table = Division.objects.filter(bureau=bureau).lookup_table()
        for name, division in (mapping or {}).items():
            if name not in self.table and division.bureau_id == bureau.id:
                DivisionAlias.objects.get_or_create(division=division, name=name)
                self.table[name] = division

    def get(self, name: str) -> Division:
        if name not in self.table:
            self.table[name] = Division.objects.create(bureau=self.bureau, name=name, confirmed=False)
        return self.table[name]

    def all_divisions(self) -> list[Division]:
        """Every confirmed division, for "各处室"; read once per import."""
        if not hasattr(self, "_all"):
            self._all = list(Division.objects.filter(bureau=self.bureau, confirmed=True))
        return self._all


def plan_create(*, parsed: ParsedPlan, bureau: Bureau, unit_mapping: dict[str, Division] | None = None) -> Plan:
    plan = Plan.objects.create(
        bureau=bureau,
        title=parsed.title,
        kind=parsed.kind,
        year_start=parsed.year_start,
        year_end=parsed.year_end,
        document_number=parsed.document_number,
        issued_on=parsed.issued_on,
    )
    units = _Units(bureau, unit_mapping)
    sections = _write_sections(plan, parsed)
    tasks: dict[int, Task] = {}
    order = {t.id: n for n, t in enumerate(parsed.tasks, start=1)}
    # Written a level at a time, so that a sub-task's parent has its id: queries do not grow with tasks.
    for level in _levels(parsed.tasks, lambda t: t.parent):
        batch = []
        for parsed_task in level:
            task = Task(plan=plan, order=order[parsed_task.id])
            _fill_task(task, parsed_task, parsed, sections, tasks)
            tasks[parsed_task.id] = task
            batch.append(task)
        Task.objects.bulk_create(batch)
    Assignment.objects.bulk_create(
        row for parsed_task in parsed.tasks for row in _assignment_rows(tasks[parsed_task.id], parsed_task, units)
    )
    _write_targets(parsed, tasks, {})
    TaskEvent.objects.bulk_create(TaskEvent(task=t, summary=f"由《{plan.title}》导入创建") for t in tasks.values())
    _write_milestones(parsed, tasks)
    _write_duties(plan, parsed, units)
    return plan


def _write_milestones(parsed: ParsedPlan, tasks: dict[int, Task]) -> None:
    """Quarterly columns (一季度…四季度) become the task's milestones; those a task has (and may have
    ticked off) are kept."""
    held = set(
        Milestone.objects.filter(task__in=[t for t in tasks.values() if t.pk]).values_list("task_id", "title", "due")
    )
    Milestone.objects.bulk_create(
        Milestone(task=tasks[p.id], title=m.title[:200], due=m.due)
        for p in parsed.tasks
        for m in p.milestones
        if (tasks[p.id].pk, m.title[:200], m.due) not in held
    )


def _levels(items: list, parent_of) -> list[list]:
    """`items` (parents listed before their children) grouped by depth, outermost first."""
    depth: dict[int, int] = {}
    levels: list[list] = []
    for item in items:
        parent = parent_of(item)
        depth[item.id] = depth[parent] + 1 if parent in depth else 0
        if depth[item.id] == len(levels):
            levels.append([])
        levels[depth[item.id]].append(item)
    return levels


def _write_sections(plan: Plan, parsed: ParsedPlan) -> dict[int, Section]:
    sections: dict[int, Section] = {}
    order = {s.id: n for n, s in enumerate(parsed.sections, start=1)}
    for level in _levels(parsed.sections, lambda s: s.parent):
        batch = [
            Section(
                plan=plan,
                parent=sections.get(s.parent),
                number=s.number,
                title=s.title[:300],
                order=order[s.id],
            )
            for s in level
        ]
        Section.objects.bulk_create(batch)
        sections.update({s.id: section for s, section in zip(level, batch, strict=True)})
    return sections


def _fill_task(
    task: Task, parsed_task: ParsedTask, parsed: ParsedPlan, sections: dict[int, Section], tasks: dict[int, Task]
) -> None:
    task.section = sections.get(parsed_task.section)
    task.parent = tasks.get(parsed_task.parent)
    task.number = parsed_task.number[:20]
    task.text = parsed_task.text
    task.title = short_title(parsed_task.text)[:120]
    task.deadline = parsed_task.deadline or default_deadline(parsed.year_end)
    task.deadline_text = parsed_task.deadline_text[:60]
    task.leader = parsed_task.leader[:100]
    task.all_divisions_role = (
        Assignment.Role.LEAD
        if ALL_DIVISIONS in parsed_task.lead_units
        else Assignment.Role.RESPONSIBLE
        if ALL_DIVISIONS in parsed_task.responsible_units
        else ""
    )
    task.target_text = parsed_task.target_text
    task.progress_text = parsed_task.progress_text
    task.archived = False
    task.falls_behind_on = falls_behind_on(
        starts_on=default_start(parsed.year_start), deadline=task.deadline, percent=task.percent
    )


def _assignment_rows(
    task: Task, parsed_task: ParsedTask, units: _Units, latest_reports: dict[int, int] | None = None
) -> list[Assignment]:
    """The task's assignments. `latest_reports` (division → report) carries a revised task's report history
    over to its rewritten assignments."""
    latest_reports = latest_reports or {}
    assigned: set[int] = set()
    rows = []
    for role, names in (
        (Assignment.Role.LEAD, parsed_task.lead_units),
        (Assignment.Role.RESPONSIBLE, parsed_task.responsible_units),
    ):
        for name in names:
            divisions, written_as = ([units.get(name)], "") if name != ALL_DIVISIONS else (units.all_divisions(), name)
            for division in divisions:
                if division.pk not in assigned:
                    assigned.add(division.pk)
                    rows.append(
                        Assignment(
                            task=task,
                            division=division,
                            role=role,
                            written_as=written_as,
                            latest_report_id=latest_reports.get(division.pk),
                        )
                    )
    return rows


def _write_duties(plan: Plan, parsed: ParsedPlan, units: _Units) -> None:
    plan.duties.all().delete()
    for parsed_duty in parsed.duties:
        duty = Duty.objects.create(bureau=plan.bureau, plan=plan, number=parsed_duty.number, text=parsed_duty.text)
        for order, parsed_item in enumerate(parsed_duty.work_items):
            item = DutyItem.objects.create(duty=duty, text=parsed_item.text, order=order)
            item.units.set([units.get(name) for name in parsed_item.units])


# ---------------------------------------------------------------- revising a plan


def _stored_tasks(plan: Plan) -> tuple[list[Task], dict[int, str], dict[int, tuple[str, ...]]]:
    """The plan's current tasks, each one's section path and its units as written, for matching."""
    sections = {s.pk: s for s in plan.sections.all()}

    def path(section_id: int | None) -> str:
        parts = []
        while section_id is not None:
            parts.insert(0, sections[section_id].number + sections[section_id].title)
            section_id = sections[section_id].parent_id
        return "".join(parts)

    tasks = list(plan.tasks.current().order_by("order").prefetch_related("assignments__division"))
    paths = {t.pk: path(t.section_id) for t in tasks}
    units = {t.pk: tuple(t.lead_labels + t.responsible_labels) for t in tasks}
    return tasks, paths, units


def _normalised(names: list[str], known: dict[str, Division]) -> list[str]:
    return [known[n].name if n in known else n for n in names]


def _changed_fields(task: Task, parsed_task: ParsedTask, parsed: ParsedPlan, known: dict[str, Division]) -> list[str]:
    changed = []
    if task.text != parsed_task.text:
        changed.append("内容")
    if task.lead_labels != _normalised(parsed_task.lead_units, known) or task.responsible_labels != _normalised(
        parsed_task.responsible_units, known
    ):
        changed.append("单位")
    # The date decides: a ledger writes an unworded deadline out as its date ("2019年12月31日").
    if task.deadline != (parsed_task.deadline or default_deadline(parsed.year_end)):
        changed.append("时限")
    return changed


def plan_diff(
    plan: Plan, parsed: ParsedPlan, known: dict[str, Division], overrides: dict[int, int | None] | None = None
) -> PlanDiff:
    """What a new version of `plan` adds, changes and removes, task by task, from one read of its tasks;
    `overrides` are the admin's corrections of the matches."""
    stored, paths, units = _stored_tasks(plan)
    matches = match_tasks(stored, parsed, stored_paths=paths, stored_units=units, overrides=overrides)
    diff = PlanDiff(matches=matches)
    kept = set()
    for match in matches:
        if match.task is None:
            diff.added.append(match.parsed)
            continue
        kept.add(match.task.pk)
        fields = _changed_fields(match.task, match.parsed, parsed, known)
        if fields:
            diff.changed.append(TaskChange(match.parsed.number, short_title(match.parsed.text), fields))
    diff.removed = [task for task in stored if task.pk not in kept]
    return diff


def plan_update(
    *,
    plan: Plan,
    parsed: ParsedPlan,
    unit_mapping: dict[str, Division] | None = None,
    overrides: dict[int, int | None] | None = None,
) -> Plan:
    """Bring `plan` in line with a revised document: each item continues the stored task it was matched
    to, with that task's reports; stored tasks no item continues are archived with theirs. Reads and
    writes are in bulk: the queries do not grow with the plan's tasks."""
    units = _Units(plan.bureau, unit_mapping)
    diff = plan_diff(plan, parsed, units.table, overrides)
    matches = diff.matches
    plan.title, plan.document_number, plan.issued_on = parsed.title, parsed.document_number, parsed.issued_on
    old_sections = list(plan.sections.all())
    sections = _write_sections(plan, parsed)
    by_parsed = {m.parsed.id: m for m in matches}
    order = {m.parsed.id: n for n, m in enumerate(matches, start=1)}
    kept_ids = [m.task.pk for m in matches if m.task]
    # Who reported last for each kept task, carried over to its rewritten assignments.
    latest: dict[int, dict[int, int]] = {}
    for task_id, division_id, report_id in Assignment.objects.filter(task_id__in=kept_ids).values_list(
        "task_id", "division_id", "latest_report_id"
    ):
        latest.setdefault(task_id, {})[division_id] = report_id
    stored_targets: dict[int, list[Target]] = {}
    for target in Target.objects.filter(task_id__in=kept_ids):
        stored_targets.setdefault(target.task_id, []).append(target)

    tasks: dict[int, Task] = {}
    kept: list[Task] = []
    events: list[TaskEvent] = []
    refresh: list[Task] = []
    for level in _levels(parsed.tasks, lambda t: t.parent):
        created = []
        for parsed_task in level:
            match = by_parsed[parsed_task.id]
            task = match.task or Task(plan=plan)
            fields = _changed_fields(task, parsed_task, parsed, units.table) if task.pk else []
            _fill_task(task, parsed_task, parsed, sections, tasks)
            task.order = order[parsed_task.id]
            tasks[parsed_task.id] = task
            if task.pk is None:
                created.append(task)
                continue
            kept.append(task)
            if fields:
                events.append(TaskEvent(task=task, summary=f"导入新版本，修改了{'、'.join(fields)}"))
            if "单位" in fields or "时限" in fields:
                refresh.append(task)  # its lead divisions or deadline changed: its state may too
        Task.objects.bulk_create(created)
        events += [TaskEvent(task=task, summary="导入新版本时新增") for task in created]
    Task.objects.bulk_update(kept, [*_FILLED_FIELDS, "order"])
    Assignment.objects.filter(task_id__in=kept_ids).delete()
    Assignment.objects.bulk_create(
        row
        for parsed_task in parsed.tasks
        for row in _assignment_rows(tasks[parsed_task.id], parsed_task, units, latest.get(tasks[parsed_task.id].pk))
    )
    _write_targets(parsed, tasks, stored_targets)
    TaskEvent.objects.bulk_create(events)
    _write_milestones(parsed, tasks)
    for task in refresh:
        task_refresh(task)
    removed = diff.removed
    plan.tasks.filter(pk__in=[t.pk for t in removed]).update(archived=True)
    TaskEvent.objects.bulk_create(TaskEvent(task=t, summary="导入新版本时移除，已归档") for t in removed)
    Section.objects.filter(pk__in=[s.pk for s in old_sections]).delete()
    _write_duties(plan, parsed, units)
    return plan


# What _fill_task sets on a task: the fields a revision rewrites.
_FILLED_FIELDS = [
    "section",
    "parent",
    "number",
    "text",
    "title",
    "deadline",
    "deadline_text",
    "leader",
    "all_divisions_role",
    "target_text",
    "progress_text",
    "archived",
    "falls_behind_on",
]


def _write_targets(parsed: ParsedPlan, tasks: dict[int, Task], stored: dict[int, list[Target]]) -> None:
    """Each task's targets as the document states them. A target the new version still commits to keeps
    the actual values reported against it; one it dropped goes."""
    new, moved, dropped = [], [], []
    for parsed_task in parsed.tasks:
        task = tasks[parsed_task.id]
        existing = {(t.metric, t.comparator, t.value, t.unit): t for t in stored.get(task.pk, [])}
        for order, parsed_target in enumerate(parsed_task.targets):
            key = (parsed_target.metric, parsed_target.comparator, parsed_target.value, parsed_target.unit)
            target = existing.pop(key, None)
            if target is None:
                new.append(Target(task=task, metric=key[0], comparator=key[1], value=key[2], unit=key[3], order=order))
            elif target.order != order:
                target.order = order
                moved.append(target)
        dropped += [t.pk for t in existing.values()]
    Target.objects.filter(pk__in=dropped).delete()
    Target.objects.bulk_update(moved, ["order"])
    Target.objects.bulk_create(new)


def read_plans_safely(data: bytes, *, bureau_name: str | None = None, year: int | None = None) -> list[ParsedPlan]:
    """read_plans for callers that must not see anything but PlanFileError."""
    try:
        return read_plans(data, bureau=bureau_name, year=year)
    except PlanFileError:
        raise
    except Exception as exc:  # a reader tripped on a layout it does not know
        raise PlanFileError("文件内容无法解析，请检查文件格式或联系管理员。") from exc


def preview_file_safely(data: bytes, *, bureau_name: str | None = None, year: int | None = None) -> ImportPreview:
    """preview_file for callers that must not see anything but PlanFileError."""
    return preview_plans(read_plans_safely(data, bureau_name=bureau_name, year=year), sha=file_sha256(data))
