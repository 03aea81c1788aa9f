from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from tasks.models import Assignment, Task

from ..models import Plan


def _get_plan_for_viewer(request: HttpRequest, pk: int) -> Plan:
    """A plan of a bureau the user may read; 404 for any other."""
    return get_object_or_404(Plan.objects.visible_to(request.user).select_related("bureau"), pk=pk)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = list(Plan.objects.visible_to(request.user).select_related("bureau").with_task_counts())
    return render(request, "plans/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan_for_viewer(request, pk)
    sections = list(plan.sections.all())
    tasks = list(
        plan.tasks.current()
        .select_related("section")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("division")),
            "targets",
        )
    )
    by_section: dict[int | None, list[Task]] = {}
    for task in tasks:
        by_section.setdefault(task.section_id, []).append(task)
    for section in sections:
        section.task_list = by_section.get(section.pk, [])
    duties = list(plan.duties.prefetch_related("items__units")) if plan.kind == Plan.Kind.DUTIES else []
    return render(
        request,
        "plans/plan_detail.html",
        {"plan": plan, "sections": sections, "loose_tasks": by_section.get(None, []), "duties": duties},
    )
