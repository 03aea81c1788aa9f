"""GET /tasks and /tasks/{id}: the task list with the web list's filters, and one task as its page shows it."""

from django.http import HttpRequest, QueryDict
from ninja import Path, Query, Router
from ninja.errors import ValidationError

from bureau.models import person_name

from .. import rules
from ..filters import filtered_rows
from ..models import Task
from ..rules import Light
from ..views.access import get_task_for_viewer
from .schemas import ID_MAX, REFUSALS, ErrorOut, Page, TaskDetail, TaskFilters, TaskPage

router = Router(tags=["任务"])


def task_row(task: Task) -> dict:
    return {
        "id": task.pk,
        "plan_id": task.plan_id,
        "section_id": task.section_id,
        "number": task.number,
        "title": task.title,
        "deadline": task.deadline,
        "deadline_text": task.deadline_text,
        "status": task.status,
        "status_label": task.get_status_display(),
        "percent": task.percent,
        "light": task.light,
        "light_label": Light(task.light).label,
        "lead_units": task.lead_labels,
        "responsible_units": task.responsible_labels,
        "reported_period": task.reported_period,
        "last_reported_at": task.last_reported_at,
        "url": task.get_absolute_url(),
    }


def report_out(report) -> dict | None:
    if report is None:
        return None
    return {
        "id": report.pk,
        "division_id": report.division_id,
        "division": report.division.name,
        "author": person_name(report.author),
        "period": report.period,
        "status": report.status,
        "status_label": report.get_status_display(),
        "percent": report.percent,
        "progress": report.progress,
        "problems": report.problems,
        "next_steps": report.next_steps,
        "created_at": report.created_at,
    }


def _as_query(filters: TaskFilters) -> QueryDict:
    """The validated parameters as the web list's form reads them (a checkbox is "on" or absent)."""
    query = QueryDict(mutable=True)
    for name, value in filters.dict(exclude_none=True).items():
        if isinstance(value, bool):
            if value:
                query[name] = "on"
        elif isinstance(value, list):
            query.setlist(name, [str(v) for v in value])
        else:
            query[name] = str(value)
    return query


@router.get("/tasks", response={200: TaskPage, **REFUSALS}, summary="任务列表")
def task_list(request: HttpRequest, filters: Query[TaskFilters], page: Query[Page]) -> dict:
    """Current leaf tasks the owner may read, filtered as the web list filters them (tasks/filters.py)."""
    rows, task_filter = filtered_rows(request.user, _as_query(filters))
    if task_filter.is_bound and not task_filter.is_valid():
        # A filter the list would set aside (a plan out of reach, a division of another bureau) is refused.
        raise ValidationError(
            [
                {"loc": ("query", name), "msg": " ".join(errors), "type": "invalid_choice"}
                for name, errors in task_filter.errors.items()
            ]
        )
    rows = rows.order_by(*rows.query.order_by, "pk")
    items = list(rows[page.offset : page.offset + page.limit])
    return {"count": rows.count(), "limit": page.limit, "offset": page.offset, "items": [task_row(t) for t in items]}


def task_detail_data(request: HttpRequest, task_id: int) -> dict:
    day = rules.today()  # one day for the light and its reasons, as the task page
    task = get_task_for_viewer(request, task_id, Task.objects.with_light_reasons(day).select_related("section"))
    assignments = list(task.assignments.select_related("division", "latest_report__division", "latest_report__author"))
    targets = list(task.targets.with_latest_actual())
    units = [
        {
            "division_id": a.division_id,
            "name": a.division.name,
            "role": a.role,
            "role_label": a.get_role_display(),
            "written_as": a.written_as,
            "latest_report": report_out(a.latest_report),
        }
        for a in assignments
    ]
    task.assignment_list = assignments  # the labels read them instead of querying again
    section = task.section
    return task_row(task) | {
        "text": task.text,
        "leader": task.leader,
        "section": section
        and {
            "id": section.pk,
            "number": section.number,
            "title": section.title,
            "heading": section.heading,
            "parent_id": section.parent_id,
        },
        "original_deadline": task.original_deadline,
        "light_reasons": rules.light_explanation(task, day),
        "read_only": task.read_only_reason,
        "units": units,
        "targets": [
            {
                "id": t.pk,
                "metric": t.metric,
                "comparator": t.comparator,
                "value": f"{t.value.normalize():f}",
                "unit": t.unit,
                "goal": t.goal,
                "latest_actual": None if t.latest_actual is None else f"{t.latest_actual.normalize():f}",
                "attained": t.is_attained(t.latest_actual),
            }
            for t in targets
        ],
        "milestones": [
            {"id": m.pk, "title": m.title, "due": m.due, "done_at": m.done_at} for m in task.milestones.all()
        ],
    }


@router.get("/tasks/{task_id}", response={200: TaskDetail, 404: ErrorOut, **REFUSALS}, summary="任务详情")
def task_detail(request: HttpRequest, task_id: int = Path(..., ge=1, le=ID_MAX)) -> dict:
    """Everything the task page shows of the task: its light and why, its units with their latest reports,
    its targets with their latest actual values, its milestones."""
    return task_detail_data(request, task_id)
