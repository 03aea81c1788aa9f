"""The figures of the leaders' dashboard, each one aggregate query over a plan's current tasks."""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from dataclasses import dataclass

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Sum
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.http import urlencode

from bureau.models import BUREAU_MAX_DEPTH, Bureau

from . import figures_cache
from .filters import NO_SECTION
from .models import Assignment, Plan, ProgressReport, Review, Section, Status, Target, Task, answering
from .rules import (
    LAGGING,
    Light,
    default_deadline,
    light_expression,
    not_reported_q,
    overdue_q,
    period_end,
    period_start,
    red_q,
    unassigned_q,
)


@functools.cache
def _task_list_path(script_prefix: str) -> str:
    # A dashboard links some sixty figures and rows to the list; reversing the URL for each cost more
    # than building their queries. The prefix is the cache key because reverse() depends on it.
    return reverse("tasks:list")


def task_list_url(**params) -> str:
    pairs = [(k, v) for k, values in params.items() for v in (values if isinstance(values, list | tuple) else [values])]
    return _task_list_path(get_script_prefix()) + "?" + urlencode(pairs)


def task_states(plan: Plan, day: datetime.date) -> list:
    """Each current task of the plan with what the dashboard counts: its status, light, whether it is
    overdue or not reported on `day`. One query; the rules stay the SQL expressions of `rules`."""
    return list(
        Task.objects.filter(plan=plan)
        .current()
        .leaves()
        .annotate(
            light=light_expression(day),
            is_overdue=ExpressionWrapper(overdue_q(day), output_field=BooleanField()),
            is_not_reported=ExpressionWrapper(not_reported_q(day), output_field=BooleanField()),
            is_unassigned=ExpressionWrapper(unassigned_q(), output_field=BooleanField()),
        )
        .order_by()
        .values_list(
            "pk",
            "section_id",
            "deadline",
            "accepted_at",
            "original_deadline",
            "status",
            "percent",
            "light",
            "is_overdue",
            "is_not_reported",
            "is_unassigned",
            named=True,
        )
    )


@dataclass
class PlanActivity:
    """A plan's current tasks, who answers for them and what they reported, read once for every part
    of the dashboard."""

    tasks: list  # task_states()
    leads: list[tuple]  # (division_id, division name, task_id)
    lead_assignment_ids: list[int]
    reports: list[tuple]  # the answering divisions': (created_at, task_id, division_id, period, percent)
    reviews: list[tuple]  # (created_at, task_id, action)
    targets: list[Target]  # of every current task, each with `latest_actual`, in document order
    period: tuple[datetime.date, datetime.date] | None = None  # the plan's current reporting period

    @property
    def task_ids(self) -> list[int]:
        return [t.pk for t in self.tasks]

    @functools.cached_property
    def repeats(self) -> dict[int, int]:
        """repeats_by_division() in the current period, read only by the parts that show it."""
        return repeats_by_division(self.task_ids, *self.period) if self.period else {}

    @classmethod
    def of(cls, plan: Plan, day: datetime.date) -> PlanActivity:
        states = task_states(plan, day)
        task_ids = [t.pk for t in states]
        # Who answers for each task, worked out from the plan's few hundred assignments rather than by
        # acting_leads()' subquery over every assignment of the province.
        by_task: dict[int, list[tuple]] = {}
        for row in Assignment.objects.filter(task_id__in=task_ids).values_list(
            "pk", "task_id", "division_id", "division__name", "role"
        ):
            by_task.setdefault(row[1], []).append(row)
        leads, lead_ids = [], []
        for task_id, rows in by_task.items():
            for pk, _, division_id, name, _ in answering(rows, role=lambda r: r[4]):
                leads.append((division_id, name, task_id))
                lead_ids.append(pk)
        return cls(
            tasks=states,
            leads=leads,
            lead_assignment_ids=lead_ids,
            # Only the answering divisions' reports count here; at a province's scale they are a third
            # of a plan's reports, and reading rows is most of the dashboard's time.
            reports=list(
                ProgressReport.objects.filter(task_id__in=task_ids)
                .filter(
                    Exists(
                        Assignment.objects.filter(
                            pk__in=lead_ids, task_id=OuterRef("task_id"), division_id=OuterRef("division_id")
                        )
                    )
                )
                .order_by("created_at", "pk")
                .values_list("created_at", "task_id", "division_id", "period", "percent")
            ),
            reviews=list(
                Review.objects.filter(task_id__in=task_ids)
                .order_by("created_at", "pk")
                .values_list("created_at", "task_id", "action")
            ),
            targets=list(
                Target.objects.filter(task__plan=plan, task__archived=False)
                .select_related("task")
                .only("task_id", "metric", "comparator", "value", "unit", "order", "task__number", "task__order")
                .with_latest_actual()
                .order_by("task__order", "order")
            ),
            period=current_period(plan, day),
        )


def current_period(plan: Plan, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = period_start(day, plan.reporting_cycle)
    return start, period_end(start, plan.reporting_cycle)


def repeats_by_division(tasks, start: datetime.date, end: datetime.date) -> dict[int, int]:
    """Division id → how many of its reports on `tasks` (tasks, ids or a queryset) of a period in [start, end]
    are flagged 进展雷同. One query."""
    return dict(
        ProgressReport.objects.repeats_between(start, end)
        .filter(task__in=tasks)
        .order_by()
        .values("division_id")
        .annotate(n=Count("pk"))
        .values_list("division_id", "n")
    )


def headline_counts(tasks: list) -> dict:
    """Counts of the headline figures over `task_states()`."""
    statuses = Counter(t.status for t in tasks)
    return {
        "total": len(tasks),
        "done": statuses[Status.DONE],
        "pending_review": statuses[Status.PENDING_REVIEW],
        "in_progress": statuses[Status.IN_PROGRESS] + statuses[Status.NOT_STARTED],
        "behind": sum(statuses[status] for status in LAGGING),
        "overdue": sum(bool(t.is_overdue) for t in tasks),
        "not_reported": sum(bool(t.is_not_reported) for t in tasks),
        "unassigned": sum(bool(t.is_unassigned) for t in tasks),
        "extended": sum(t.original_deadline is not None for t in tasks),
        "mean_percent": sum(t.percent for t in tasks) / len(tasks) if tasks else None,
    }


@dataclass
class Figure:
    label: str
    value: int | str
    url: str
    tone: str = "secondary"


def headline(plan: Plan, activity: PlanActivity) -> list[Figure]:
    counts = headline_counts(activity.tasks)
    p = plan.pk
    return [
        Figure("任务总数", counts["total"], task_list_url(plan=p), "primary"),
        Figure("已完成", counts["done"], task_list_url(plan=p, status=Status.DONE), "success"),
        Figure("待审核", counts["pending_review"], task_list_url(plan=p, status=Status.PENDING_REVIEW), "info"),
        Figure("推进中", counts["in_progress"], task_list_url(plan=p, status=[Status.IN_PROGRESS, Status.NOT_STARTED])),
        Figure("滞后/受阻", counts["behind"], task_list_url(plan=p, status=LAGGING), "warning"),
        Figure("逾期", counts["overdue"], task_list_url(plan=p, overdue="on"), "danger"),
        Figure("本期未报送", counts["not_reported"], task_list_url(plan=p, not_reported="on"), "danger"),
        # Tasks the plan names no unit for are counted apart, shown only when there are any.
        *(
            [Figure("未分配", counts["unassigned"], task_list_url(plan=p, unassigned="on"), "warning")]
            if counts["unassigned"]
            else []
        ),
        Figure("已延期", counts["extended"], task_list_url(plan=p, extended="on")),
        Figure("总体完成率", f"{round(counts['mean_percent'] or 0)}%", task_list_url(plan=p), "info"),
    ]


def by_section(plan: Plan, activity: PlanActivity) -> list[dict]:
    """Tasks, completed and mean percent for each top-level section, each with its second-level
    sections as `children`; every row links to exactly its tasks (a section's include its sub-sections')."""
    sections = {s.pk: s for s in plan.sections.all()}
    totals: dict[int | None, dict] = {}

    def add(key: int | None, task) -> None:
        entry = totals.setdefault(key, {"total": 0, "done": 0, "sum": 0})
        entry["total"] += 1
        entry["done"] += task.status == Status.DONE
        entry["sum"] += task.percent

    for task in activity.tasks:
        path = []
        section = sections.get(task.section_id)
        while section is not None:
            path.insert(0, section.pk)
            section = sections.get(section.parent_id)
        add(path[0] if path else None, task)
        if len(path) > 1:
            add(path[1], task)

    def row(section: Section | None) -> dict | None:
        entry = totals.get(section.pk if section else None)
        if not entry:
            return None
        return {
            "label": section.heading if section else "未分部分",
            "total": entry["total"],
            "done": entry["done"],
            "percent": round(entry["sum"] / entry["total"]),
            "url": task_list_url(plan=plan.pk, section=section.pk if section else NO_SECTION),
        }

    result = []
    for section in [s for s in sections.values() if s.parent_id is None] + [None]:
        if (top := row(section)) is None:
            continue
        children = [s for s in sections.values() if section and s.parent_id == section.pk]
        top["children"] = [child for child in map(row, children) if child]
        result.append(top)
    return result


# Each figure a table counts, as the list filters that show exactly its tasks (within the row's scope).
FIGURE_FILTERS = {
    "all": {},
    "done": {"status": Status.DONE},
    "pending_review": {"status": Status.PENDING_REVIEW},
    "behind": {"status": LAGGING},
    "overdue": {"overdue": "on"},
    "not_reported": {"not_reported": "on"},
    "red": {"light": Light.RED},
}
DIVISION_FIGURES = {"led": "all", "done": "done", "pending_review": "pending_review", "behind": "behind",
                    "overdue": "overdue", "not_reported": "not_reported"}  # fmt: skip
ROLLUP_FIGURES = {"total": "all", "done": "done", "behind": "behind", "overdue": "overdue",
                  "not_reported": "not_reported", "red": "red"}  # fmt: skip
# The division table's columns, in order: each one sorts it; those with a figure link to its tasks.
DIVISION_COLUMNS = [
    ("name", "单位"),
    ("led", "牵头任务"),
    ("done", "已完成"),
    ("pending_review", "待审核"),
    ("behind", "滞后/受阻"),
    ("overdue", "逾期"),
    ("not_reported", "本期未报送"),
    ("repeated", "本期进展雷同"),
    ("last_report", "最近报送"),
    ("light", "灯"),
]
DIVISION_SORTS = {key for key, _ in DIVISION_COLUMNS}
# Left out on a phone.
DIVISION_WIDE_ONLY = {"pending_review", "last_report"}


def by_division(plan: Plan, activity: PlanActivity, sort: str = "") -> list[dict]:
    """For each lead division: tasks led, completed, behind, overdue, not reported, its reports of the
    period flagged 进展雷同, last report, light."""
    states = {t.pk: t for t in activity.tasks}
    # Reports come oldest first, so the last one seen for a task and division is its latest.
    latest = {(task_id, division_id): created for created, task_id, division_id, _, _ in activity.reports}
    by_id: dict[int, dict] = {}
    for division_id, name, task_id in activity.leads:
        task = states[task_id]
        row = by_id.setdefault(
            division_id,
            dict.fromkeys(("led", "done", "pending_review", "behind", "overdue", "not_reported", "red", "yellow"), 0)
            | {"division_id": division_id, "name": name, "last_report": None},
        )
        row["led"] += 1
        row["done"] += task.status == Status.DONE
        row["pending_review"] += task.status == Status.PENDING_REVIEW
        row["behind"] += task.status in LAGGING
        row["overdue"] += bool(task.is_overdue)
        row["not_reported"] += bool(task.is_not_reported)
        row["red"] += task.light == Light.RED
        row["yellow"] += task.light == Light.YELLOW
        reported = latest.get((task_id, division_id))
        if reported and (row["last_report"] is None or reported > row["last_report"]):
            row["last_report"] = reported
    rows = list(by_id.values())
    for row in rows:
        row["light"] = Light.RED if row["red"] else Light.YELLOW if row["yellow"] else Light.GREEN
        row["light_label"] = Light(row["light"]).label
        scope = {"plan": plan.pk, "division": row["division_id"]}
        row["url"] = task_list_url(**scope)
        row["urls"] = {name: task_list_url(**scope, **FIGURE_FILTERS[f]) for name, f in DIVISION_FIGURES.items()}
        row["repeated"] = activity.repeats.get(row["division_id"], 0)
        # Its repeats are on any task it reports on, not only those it leads: the list filter by the
        # reporting division, not by the lead.
        row["urls"]["repeated"] = task_list_url(plan=plan.pk, repeated=row["division_id"])
    key = sort.lstrip("-")
    if key in DIVISION_SORTS:
        severity = {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2}
        rows.sort(
            key=lambda r: severity[r["light"]] if key == "light" else (r[key] is None, r[key] or 0),
            reverse=sort.startswith("-"),
        )
    else:
        rows.sort(key=lambda r: (-r["red"], -r["yellow"], r["name"]))
    return rows


def targets(activity: PlanActivity) -> list[dict]:
    """Each target with its latest actual value and whether it is attained."""
    return [
        {"target": t, "actual": t.latest_actual, "attained": t.is_attained(t.latest_actual)} for t in activity.targets
    ]


def trend(plan: Plan, day: datetime.date, activity: PlanActivity, weeks: int = 26) -> list[dict]:
    """Accepted tasks and mean percent at the end of each of the last `weeks` weeks, replayed from the
    answering divisions' reports and the bureau's reviews."""
    task_count = len(activity.task_ids)
    lead_pairs = {(task_id, division_id) for division_id, _, task_id in activity.leads}
    events = sorted(
        [
            ("report", created, task_id, division_id, percent)
            for created, task_id, division_id, _, percent in activity.reports
        ]
        + [("review", created, task_id, action, None) for created, task_id, action in activity.reviews],
        key=lambda e: e[1],
    )
    # A plan that has ended is shown over its last weeks, not over the empty weeks since.
    day = min(day, default_deadline(plan.year_end))
    week_end = day + datetime.timedelta(days=6 - day.weekday())
    points = [week_end - datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    percents: dict[int, dict[int, int]] = {}
    accepted: dict[int, bool] = {}
    result, index = [], 0
    for point in points:
        # Comparing aware moments: converting every event to a local date costs more than the rest.
        point_end = timezone.make_aware(datetime.datetime.combine(point + datetime.timedelta(days=1), datetime.time()))
        while index < len(events) and events[index][1] < point_end:
            kind, _, task_id, value, percent = events[index]
            if kind == "review":
                accepted[task_id] = value == Review.Action.ACCEPT
            elif (task_id, value) in lead_pairs:
                percents.setdefault(task_id, {})[value] = percent
                accepted[task_id] = False  # a new report waits for a new review
            index += 1
        slowest = [min(by_division.values()) for by_division in percents.values()]
        result.append(
            {
                "week": point.strftime("%m-%d"),
                "done": sum(accepted.values()),
                "percent": round(sum(slowest) / task_count) if task_count else 0,
            }
        )
    return result


def latest_reports(activity: PlanActivity, limit: int = 10) -> list[ProgressReport]:
    """The newest reports on the plan's current tasks."""
    # Ten ids first, then their rows: joining tasks and divisions to all of the plan's reports before
    # keeping ten cost more than the rest of the query. (Filtering by plan instead of task ids made
    # PostgreSQL walk the province's reports newest first.)
    newest = ProgressReport.objects.filter(task_id__in=activity.task_ids).order_by("-created_at", "-pk")
    return list(
        ProgressReport.objects.filter(pk__in=newest.values("pk")[:limit])
        .select_related("task", "division")
        # What the page shows of them: not the reports' narratives nor the tasks' whole text.
        .only("created_at", "status", "percent", "task__number", "task__title", "division__name")
        .order_by("-created_at", "-pk")
    )


def rollup_areas(bureau: Bureau | None) -> tuple[list[Bureau], dict[int, int], set[int]]:
    """The bureaus a roll-up compares: `bureau` itself, then each bureau directly under it (or, for the
    superuser's province-wide view, each bureau under none); for every bureau at or under those, the one
    of them whose row counts its tasks; and the ids of the bureaus that have bureaus under them."""
    children = Bureau.objects.filter(parent=bureau).order_by("name")
    areas = [*([bureau] if bureau else []), *children]
    row_of, parents = {area.pk: area.pk for area in areas}, set()
    level = [area.pk for area in areas if area is not bureau]
    # The children are the first level: the walk stops where Bureau.objects.below() does, so a roll-up never
    # counts a bureau whose tasks the leader's list leaves out.
    for _ in range(BUREAU_MAX_DEPTH - 1):
        below = list(Bureau.objects.filter(parent_id__in=level).values_list("pk", "parent_id"))
        row_of.update((pk, row_of[parent]) for pk, parent in below)
        parents.update(parent for _, parent in below)
        level = [pk for pk, _ in below]
        if not level:
            break
    return areas, row_of, parents


def rollup(bureau: Bureau | None, day: datetime.date, year: int | None = None) -> list[dict]:
    """The bureau (its own plans) and each bureau under it with everything under that — a city beside
    its districts, a province beside its cities — over the plans running in `year` (工作总结 left out),
    then their total; every figure links to the list of exactly its tasks. With no bureau (the
    superuser), the bureaus under none side by side."""
    year = year or day.year
    areas, row_of, parents = rollup_areas(bureau)
    figures = [*ROLLUP_FIGURES, "sum_percent"]
    counted = {area.pk: dict.fromkeys(figures, 0) for area in areas}

    def counting(bureau_ids: list[int]):
        return (
            Task.objects.filter(plan__bureau_id__in=bureau_ids, plan__in=Plan.objects.running_in(year))
            .current()
            .leaves()
            .values("plan__bureau_id")
            .annotate(
                total=Count("pk"),
                done=Count("pk", filter=Q(status=Status.DONE)),
                behind=Count("pk", filter=Q(status__in=LAGGING)),
                overdue=Count("pk", filter=overdue_q(day)),
                not_reported=Count("pk", filter=not_reported_q(day)),
                red=Count("pk", filter=red_q(day)),
                sum_percent=Sum("percent"),
            )
        )

    def count(bureau_ids: list[int]) -> dict[int, dict]:
        return {row.pop("plan__bureau_id"): {key: row[key] or 0 for key in figures} for row in counting(bureau_ids)}

    # The question is the counting query itself, for no bureau in particular: its year, day and rules.
    asked = f"rollup {counting([0]).query.sql_with_params()!r}"
    by_bureau = figures_cache.per_bureau(asked, row_of, count, dict.fromkeys(figures, 0))
    for bureau_id, row in by_bureau.items():
        area = counted[row_of[bureau_id]]
        for key in figures:
            area[key] += row[key]
    # The bureau's own row is its own plans; a row under it holds everything under that bureau too.
    table = [
        {"bureau": area, "scope": {"bureau" if area is bureau else "area": area.pk}, **counted[area.pk]}
        for area in areas
    ]
    total = {key: sum(row[key] for row in table) for key in figures}
    label = f"{bureau.short_name or bureau.name}合计" if bureau else "全部合计"
    # The total is what the roll-up is about: the bureau and everything under it (all, for the superuser).
    table.append({"bureau": None, "label": label, "scope": {"area": bureau.pk} if bureau else {}, **total})
    dashboard = reverse("tasks:dashboard")
    for row in table:
        row["mean_percent"] = row["sum_percent"] / row["total"] if row["total"] else None
        row["urls"] = {
            name: task_list_url(year=year, **row["scope"], **FIGURE_FILTERS[f]) for name, f in ROLLUP_FIGURES.items()
        }
        row["url"] = row["urls"]["total"]
        # A bureau's name opens its own dashboard: its roll-up when bureaus sit under it (a province's city,
        # a city's districts), else its plans.
        area = row["bureau"]
        row["drill_url"] = ""
        if area and area is not bureau:
            view = "view=rollup&" if area.pk in parents else ""
            row["drill_url"] = f"{dashboard}?{view}bureau={area.pk}&year={year}"
    return table
