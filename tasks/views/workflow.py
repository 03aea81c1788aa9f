"""Milestones, completion review and extension requests, acted on from the task page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from bureau.access import is_leader

from ..forms import ExtensionDecisionForm, ExtensionRequestForm, MilestoneForm, ReviewForm
from ..models import ExtensionRequest, Milestone, Task
from ..workflow import (
    WorkflowError,
    extension_decide,
    extension_request,
    milestone_add,
    milestone_remove,
    review_decide,
)
from .access import (
    get_task_for_leader,
    get_task_for_planner,
    get_task_for_viewer,
    is_lead_head,
    refusal_if_read_only,
)


def _form_errors(form) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_list(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_planner(request, pk)
    if request.method == "POST" and (refusal := refusal_if_read_only(request, task)):
        return refusal
    form = MilestoneForm(request.POST or None)
    if form.is_valid():
        milestone_add(task=task, actor=request.user, **form.cleaned_data)
        messages.success(request, "时间节点已添加。")
        return redirect("tasks:milestones", pk=task.pk)
    status = 400 if request.method == "POST" else 200
    milestones = list(task.milestones.all())
    return render(
        request, "tasks/milestones.html", {"task": task, "form": form, "milestones": milestones}, status=status
    )


@login_required
@require_POST
def milestone_delete(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.filter(task__in=Task.objects.visible_to(request.user)), pk=pk)
    task = get_task_for_planner(request, milestone.task_id)
    if refusal := refusal_if_read_only(request, task):
        return refusal
    milestone_remove(milestone=milestone, actor=request.user)
    messages.success(request, "时间节点已删除。")
    return redirect("tasks:milestones", pk=task.pk)


@login_required
@require_POST
def review_create(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_leader(request, pk)
    if not task.awaits_review_after_close and (refusal := refusal_if_read_only(request, task)):
        return refusal
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(task)
    try:
        review_decide(task=task, actor=request.user, **form.cleaned_data)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return render(request, "tasks/action_refused.html", {"task": task, "message": str(exc)}, status=409)
    messages.success(request, "审核意见已保存并通知相关处室。")
    return redirect(task)


@login_required
@require_POST
def extension_create(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_viewer(request, pk)
    if not is_lead_head(request.user, task):
        raise PermissionDenied("只有牵头处室负责人可以申请延期。")
    if refusal := refusal_if_read_only(request, task):
        return refusal
    form = ExtensionRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(task)
    try:
        extension_request(task=task, actor=request.user, **form.cleaned_data)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(task)
    messages.success(request, "延期申请已提交，等待局领导或管理员审批。")
    return redirect(task)


@login_required
@require_POST
def extension_decision(request: HttpRequest, pk: int) -> HttpResponse:
    extension = get_object_or_404(
        ExtensionRequest.objects.filter(task__in=Task.objects.visible_to(request.user)).select_related("task"), pk=pk
    )
    if not is_leader(request.user):
        raise PermissionDenied("只有局领导和管理员可以审批延期申请。")
    if refusal := refusal_if_read_only(request, extension.task):
        return refusal
    form = ExtensionDecisionForm(request.POST)
    if form.is_valid():
        try:
            extension_decide(
                request=extension,
                actor=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "延期申请已审批。")
    else:
        messages.error(request, _form_errors(form))
    return redirect(extension.task)
