"""考核: the ranked scores of a plan's lead divisions, their weights, and the xlsx."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from bureau.access import is_admin

from .. import rules
from ..assessment import assess
from ..exports import assessment_workbook
from ..forms import WeightsForm
from .access import get_plan_for_leader
from .exports import XLSX, _download


@login_required
@require_http_methods(["GET", "POST"])
def plan_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_leader(request, pk, "考核结果仅对局领导和管理员开放。")
    if request.method == "POST" and not is_admin(request.user):
        raise PermissionDenied("只有管理员可以设置考核权重。")
    form = WeightsForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "考核权重已保存。")
        return redirect("tasks:plan_assessment", pk=plan.pk)
    scores = assess(plan, rules.today())
    status = 400 if request.method == "POST" else 200
    context = {"plan": plan, "scores": scores, "form": form, "can_edit": is_admin(request.user)}
    return render(request, "tasks/assessment.html", context, status=status)


@login_required
@require_safe
def plan_assessment_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_leader(request, pk, "考核结果仅对局领导和管理员开放。")
    return _download(assessment_workbook(plan, assess(plan, rules.today())), XLSX, f"{plan.title}考核结果.xlsx")
