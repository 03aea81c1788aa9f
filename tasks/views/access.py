"""Who may see a plan or a task and who may act on it: 404 outside the user's reach, 403 when seen but not
allowed. Every view gets its plan, task or division through one of these."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from bureau.access import is_admin, is_leader, membership_of, visible_divisions
from bureau.models import Division

from ..models import Assignment, Plan, Task


def refusal_if_read_only(request: HttpRequest, task: Task) -> HttpResponse | None:
    """409 with the reason for an archived task or a task of a closed plan: seen, no longer acted on."""
    if not task.read_only_reason:
        return None
    return render(request, "tasks/action_refused.html", {"task": task, "message": task.read_only_reason}, status=409)


def get_plan_for_viewer(request: HttpRequest, pk: int) -> Plan:
    """A plan of a bureau the user may read; 404 for any other."""
    return get_object_or_404(Plan.objects.visible_to(request.user).select_related("bureau"), pk=pk)


def get_plan_for_leader(request: HttpRequest, pk: int, refusal: str) -> Plan:
    plan = get_plan_for_viewer(request, pk)
    if not is_leader(request.user):
        raise PermissionDenied(refusal)
    return plan


def get_plan_for_admin(request: HttpRequest, pk: int, refusal: str) -> Plan:
    plan = get_plan_for_viewer(request, pk)
    if not is_admin(request.user):
        raise PermissionDenied(refusal)
    return plan


def get_task_for_viewer(request: HttpRequest, pk: int, queryset=None) -> Task:
    """A task of a bureau the user may read (visibility already limits leaders to their bureau and districts)."""
    queryset = (queryset if queryset is not None else Task.objects).visible_to(request.user)
    return get_object_or_404(queryset.select_related("plan", "plan__bureau"), pk=pk)


def reporting_divisions(user, task: Task, assignments: list | None = None) -> list[Division]:
    """The divisions on whose behalf `user` may report on `task`: their own if assigned; any assigned for admins.
    `assignments` saves a query where the page has them already (with their divisions)."""
    if assignments is None:
        assignments = list(task.assignments.select_related("division"))
    if is_admin(user):
        return [a.division for a in assignments]
    membership = membership_of(user)
    if membership and any(a.division_id == membership.division_id for a in assignments):
        return [membership.division]
    return []


def may_read_evidence(user, task_id: int) -> bool:
    """Evidence files: the task's assigned divisions, the bureau's leaders and admins. Other staff see the
    task in the ledger, not its evidence."""
    if is_leader(user) or is_admin(user):
        return True
    membership = membership_of(user)
    return bool(membership) and Assignment.objects.filter(task_id=task_id, division_id=membership.division_id).exists()


def get_task_for_reporter(request: HttpRequest, pk: int) -> tuple[Task, list[Division]]:
    task = get_task_for_viewer(request, pk)
    divisions = reporting_divisions(request.user, task)
    if not divisions:
        raise PermissionDenied("只有承担该任务的处室人员可以报送进展。")
    return task, divisions


def get_task_for_leader(request: HttpRequest, pk: int) -> Task:
    task = get_task_for_viewer(request, pk)
    if not is_leader(request.user):
        raise PermissionDenied("只有局领导和管理员可以批示或催办。")
    return task


def get_task_for_admin(request: HttpRequest, pk: int) -> Task:
    task = get_task_for_viewer(request, pk)
    if not is_admin(request.user):
        raise PermissionDenied("只有管理员可以修改任务。")
    return task


def get_division_for_leader(request: HttpRequest, pk: int) -> Division:
    division = get_object_or_404(visible_divisions(request.user).select_related("bureau"), pk=pk)
    if not is_leader(request.user):
        raise PermissionDenied("只有局领导和管理员可以催办。")
    return division


def is_lead_head(user, task: Task, assignments: list | None = None) -> bool:
    """The head (处室负责人) of one of the task's lead divisions."""
    membership = membership_of(user)
    if membership is None or membership.role != "head":
        return False
    if assignments is None:
        assignments = list(task.assignments.all())
    return any(a.division_id == membership.division_id and a.role == "lead" for a in assignments)


def get_task_for_planner(request: HttpRequest, pk: int) -> Task:
    """Milestones are set by an admin or by the head of the lead division."""
    task = get_task_for_viewer(request, pk)
    if not (is_admin(request.user) or is_lead_head(request.user, task)):
        raise PermissionDenied("只有管理员或牵头处室负责人可以设置时间节点。")
    return task
