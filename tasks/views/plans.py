from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from bureau.access import is_admin, is_leader

from ..forms import AssignUnitsForm
from ..models import Assignment, DutyItem, Plan, Task, slowest_report
from ..rules import Light
from ..services import tasks_assign
from .access import get_plan_for_admin, get_plan_for_viewer


@login_required
@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = list(
        Plan.objects.visible_to(request.user)
        .select_related("bureau")
        .with_task_counts()
        .order_by("-year_end", "-year_start", "-created_at")
    )
    return render(request, "tasks/plan_list.html", {"plans": plans})


@login_required
@require_safe
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as its document reads: sections and tasks in order, each with units, light and progress."""
    plan = get_plan_for_viewer(request, pk)
    sections = list(plan.sections.all())
    tasks = list(
        plan.tasks.current()
        .with_light()
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("division", "latest_report")),
            "targets",
        )
        .order_by("order")
    )
    parents = {t.parent_id for t in tasks}
    by_section: dict[int | None, list[Task]] = {}
    for task in tasks:
        task.is_group = task.pk in parents
        task.light_label = Light(task.light).label
        # The progress of the report the task's state comes from, as in the exports.
        report = slowest_report(task.assignments.all())
        task.latest_progress = report.progress if report else ""
        by_section.setdefault(task.section_id, []).append(task)
    for section in sections:
        section.task_list = by_section.get(section.pk, [])
    # Read from the prefetched assignments: the same rule as Task.objects.unassigned().
    unassigned = [t for t in tasks if not t.is_group and not t.assignments.all() and not t.all_divisions_role]
    duties = []
    if plan.kind == Plan.Kind.DUTIES:
        items = Prefetch(
            "items",
            queryset=DutyItem.objects.prefetch_related(
                "units", Prefetch("tasks", queryset=Task.objects.current().select_related("plan"))
            ),
        )
        duties = list(plan.duties.prefetch_related(items))
    uncovered = sum(1 for duty in duties for item in duty.items.all() if not item.tasks.all())
    return render(
        request,
        "tasks/plan_detail.html",
        {
            "plan": plan,
            "sections": sections,
            "loose_tasks": by_section.get(None, []),
            "duties": duties,
            "uncovered": uncovered,
            "can_link": is_admin(request.user),
            "can_issue_bulletin": is_leader(request.user),
            "unassigned": unassigned,
            "assign_form": AssignUnitsForm(plan=plan) if unassigned and is_admin(request.user) else None,
        },
    )


@login_required
@require_POST
def plan_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the plan's tasks that name no unit their lead and co-units, several at once (admins)."""
    plan = get_plan_for_admin(request, pk, "只有管理员可以分配任务。")
    if plan.closed_at:
        return render(request, "tasks/plan_assign.html", {"plan": plan, "closed": True}, status=409)
    form = AssignUnitsForm(request.POST, plan=plan)
    if not form.is_valid():
        return render(request, "tasks/plan_assign.html", {"plan": plan, "form": form}, status=400)
    count = tasks_assign(
        tasks=list(form.cleaned_data["tasks"]),
        lead=form.cleaned_data["lead"],
        co=form.cleaned_data["co"],
        actor=request.user,
    )
    messages.success(request, f"已为 {count} 项任务分配牵头单位“{form.cleaned_data['lead'].name}”。")
    return redirect(plan)
