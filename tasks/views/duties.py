"""Linking a task to the duty work items it serves (admins), with the likeliest items suggested."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..models import DutyItem, TaskEvent
from ..similarity import rank
from .access import get_task_for_admin


@login_required
@require_http_methods(["GET", "POST"])
def task_duties(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_admin(request, pk)
    items = list(
        DutyItem.objects.filter(duty__bureau_id=task.plan.bureau_id)
        .select_related("duty")
        .order_by("duty__number", "order")
    )
    linked = set(task.duty_items.values_list("pk", flat=True))
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("items") if v.isdecimal()} & {i.pk for i in items}
        task.duty_items.set(chosen)
        if chosen != linked:
            names = "、".join(i.text[:20] for i in items if i.pk in chosen) or "无"
            TaskEvent.objects.create(task=task, actor=request.user, summary=f"关联部门职责：{names}")
        messages.success(request, "已保存关联的部门职责。")
        return redirect(task)
    suggestions = rank(task.text, items, key=lambda i: f"{i.text}{i.duty.text}")
    return render(
        request,
        "tasks/task_duties.html",
        {"task": task, "items": items, "linked": linked, "suggestions": suggestions},
    )
