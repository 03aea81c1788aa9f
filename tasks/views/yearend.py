"""Closing a plan at year end, carrying its unfinished tasks into the next plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..forms import PlanCloseForm
from ..workflow import WorkflowError, plan_close
from .access import get_plan_for_admin


@login_required
@require_http_methods(["GET", "POST"])
def plan_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_admin(request, pk, "只有管理员可以关闭计划。")
    form = PlanCloseForm(request.POST or None, plan=plan)
    if form.is_valid():
        try:
            carried = plan_close(plan=plan, actor=request.user, carry_into=form.cleaned_data["carry_into"])
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"计划已关闭，结转未完成任务 {len(carried)} 项。")
            return redirect(plan)
    # The tasks the close carries over: a task awaiting review stays with its plan.
    unfinished = plan.tasks.current().leaves().unsettled().count()
    status = 400 if request.method == "POST" else 200
    context = {"plan": plan, "form": form, "unfinished": unfinished}
    return render(request, "tasks/plan_close.html", context, status=status)
