"""/tasks/mine/ and /tasks/: sortable, filterable task tables."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from bureau.access import membership_of, visible_bureau_ids
from bureau.models import Division
from plans.models import Plan

from ..filters import TaskFilter
from ..models import Task
from ..tables import MyTaskTable, TaskTable


def filtered_tasks(request: HttpRequest, queryset=None, *, with_role: bool = False) -> tuple:
    """The visible tasks narrowed by the request's filters, and the filter for the form."""
    if queryset is None:
        queryset = Task.objects.visible_to(request.user).current().leaves().with_light().for_list()
    plans = Plan.objects.visible_to(request.user).exclude(kind=Plan.Kind.SUMMARY)
    divisions = None
    if not with_role:
        bureau_ids = visible_bureau_ids(request.user)
        visible = Division.objects.all() if bureau_ids is None else Division.objects.filter(bureau_id__in=bureau_ids)
        divisions = visible.order_by("bureau__name", "name").values_list("pk", "name", "bureau__short_name")
    task_filter = TaskFilter(
        request.GET or None, queryset=queryset, plans=plans, with_role=with_role, divisions=divisions
    )
    rows = task_filter.qs if task_filter.is_bound and task_filter.is_valid() else queryset
    return rows.order_by("-plan__year_end", "plan_id", "order"), task_filter


def _render_table(request: HttpRequest, queryset, table_class, *, title: str, with_role: bool) -> HttpResponse:
    rows, task_filter = filtered_tasks(request, queryset, with_role=with_role)
    table = table_class(rows)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    export_url = reverse("tasks:export") + ("?" + request.GET.urlencode() if request.GET else "")
    context = {"title": title, "filter": task_filter, "table": table, "export_url": export_url}
    return render(request, "tasks/task_list.html", context)


@login_required
@require_safe
def task_mine(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    if membership is None or membership.division_id is None:
        raise PermissionDenied("您不属于任何处室，没有“我的任务”。")
    queryset = Task.objects.current().leaves().for_division(membership.division).with_light().for_list()
    return _render_table(request, queryset, MyTaskTable, title=f"我的任务 · {membership.division.name}", with_role=True)


@login_required
@require_safe
def task_list(request: HttpRequest) -> HttpResponse:
    return _render_table(request, None, TaskTable, title="全部任务", with_role=False)
