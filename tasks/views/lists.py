"""/tasks/mine/ and /tasks/: sortable, filterable task tables."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from bureau.access import membership_of, visible_bureau_ids
from bureau.models import Division

from .. import rules
from ..filters import division_rows, filtered_rows
from ..page_cache import cached_page, fragment_key, kept_fragment, kept_object, my_division_scopes
from ..paging import PlanOrderPaginator
from ..rows import ROW_FIELDS
from ..tables import MyTaskTable, TaskTable

PER_PAGE = 50
# The tables' paging and sorting parameters (django-tables2's, with no prefix), which the filter form leaves out.
PAGING = ("page", "sort", "per_page")
CHOICE_FIELDS = {"plan", "section", "division"}
MAX_PER_PAGE = 200


def filtered_tasks(request: HttpRequest, queryset=None, *, with_role: bool = False) -> tuple:
    """The visible tasks narrowed by the request's filters, and the filter for the form."""
    return filtered_rows(request.user, request.GET, queryset, with_role=with_role)


def _paginate(request: HttpRequest, table, *, per_bureau: bool = False, bureau_ids: list[int] | None = None) -> None:
    """Sorting and paging from the address, as django-tables2's RequestConfig, but a sort by anything but a
    sortable column is dropped, and a page size outside 1–200 is the default's (0 or a negative size fails
    the paginator, a huge one is a LIMIT no database holds); a page past either end is the nearest."""
    table.request = request
    orderable = {column.name for column in table.columns if column.orderable}
    order_by = [o for o in request.GET.getlist(table.prefixed_order_by_field) if o.removeprefix("-") in orderable]
    if order_by:
        table.order_by = order_by
    try:
        per_page = int(request.GET.get(table.prefixed_per_page_field, PER_PAGE))
    except ValueError:
        per_page = PER_PAGE
    # In the list's own order a page is read from the few plans it falls in (tasks/paging.py).
    per_page = per_page if 1 <= per_page <= MAX_PER_PAGE else PER_PAGE
    if order_by:
        table.paginator = Paginator(table.rows, per_page)
    else:
        table.paginator = PlanOrderPaginator(table.rows, per_page, per_bureau=per_bureau, bureau_ids=bureau_ids)
    table.page = table.paginator.get_page(request.GET.get(table.prefixed_page_field))


def my_division(request: HttpRequest) -> Division:
    """The user's division (403 for someone of none)."""
    membership = membership_of(request.user)
    if membership is None or membership.division_id is None:
        raise PermissionDenied("您不属于任何处室，没有“我的任务”。")
    return membership.division


def my_tasks(request: HttpRequest):
    """The user's division and its current tasks, each with the division's role and latest report."""
    division = my_division(request)
    return division, division_rows(division)


def _filtered(request: HttpRequest, base, with_role: bool) -> tuple:
    """filtered_tasks() of `base()` (None: the tasks the reader sees), and why the filter was set aside
    (None: it was not)."""
    rows, task_filter = filtered_tasks(request, base() if base else None, with_role=with_role)
    refused = None
    if task_filter.is_bound and not task_filter.is_valid():
        # The whole filter is set aside (a refused plan must not read as "this plan's tasks"): say why.
        refused = "；".join(
            f"{task_filter.form[name].label}：{' '.join(errors)}" for name, errors in task_filter.errors.items()
        )
    return rows, task_filter, refused


def _render_table(
    request: HttpRequest,
    base: Callable[[], QuerySet] | None,
    table_class,
    *,
    title: str,
    with_role: bool,
    export: str = "tasks:export",
) -> HttpResponse:
    # The filter form shows plans, sections and divisions, which reports leave alone: a list drawn afresh
    # after a report takes the form as it was, whichever page or sort. Its version is read before they are.
    form_key = fragment_key(request, ignore=PAGING)
    # So does the filter's query (its rows not yet read), built from those and today's date (lights, 逾期):
    # kept, it spares a list drawn afresh 5 ms of checking and building.
    rows_key = form_key and f"{form_key} {rules.light_key(rules.today())}"
    built = None  # the filter built for this request, if it was

    def build() -> tuple:
        nonlocal built
        built = _filtered(request, base, with_role)
        rows, task_filter, refused = built
        return rows, task_filter.is_bound, refused

    rows, filtered, refused = kept_object(rows_key, build)
    if refused is not None:
        messages.warning(request, f"筛选条件有误，以下为未经筛选的列表。{refused}")
    # The table is given a copy: the kept query is never read, so it never keeps rows of its own. The rows'
    # lead units are read for the rows written afresh alone (TaskTable.write_rows).
    table = table_class(rows.only(*ROW_FIELDS).prefetch_related(None).with_data_version())
    # A list of many bureaus' tasks (a city's, a province's) counts its rows bureau by bureau; a division's
    # own tasks may come from any bureau's plans, and a district's list is one bureau's.
    reach = visible_bureau_ids(request.user)
    _paginate(request, table, per_bureau=not with_role and (reach is None or len(reach) > 1), bureau_ids=reach)
    export_url = reverse(export) + ("?" + request.GET.urlencode() if request.GET else "")

    def filter_form() -> str:
        # offer_choices() changes its filter: never the one kept, which other requests share.
        task_filter = (built or _filtered(request, base, with_role))[1]
        task_filter.offer_choices()
        return render_to_string("tasks/_filter_form.html", {"filter": task_filter}, request)

    context = {
        "title": title,
        "filtered": filtered,
        "filter_form": kept_fragment(form_key, filter_form),
        "table": table,
        "table_html": table.html(request, rows_key=rows_key),
        "export_url": export_url,
    }
    if with_role:  # 我的任务: the division's month at once
        context["month_url"] = reverse("tasks:mine_report")
    return render(request, "tasks/task_list.html", context)


@login_required
@require_safe
@cached_page(scopes=my_division_scopes)
def task_mine(request: HttpRequest) -> HttpResponse:
    division = my_division(request)
    title = f"我的任务 · {division.name}"

    def base():  # built only when the filter's query is not kept
        # Its rows show the division's own role, not the lead units: no need to read every task's units
        # (a 50-row page built some 200 assignments and divisions for nothing).
        return division_rows(division).prefetch_related(None)

    return _render_table(request, base, MyTaskTable, title=title, with_role=True, export="tasks:mine_export")


@login_required
@require_safe
@cached_page
def task_list(request: HttpRequest) -> HttpResponse:
    return _render_table(request, None, TaskTable, title="全部任务", with_role=False)


@login_required
@require_safe
def filter_choices(request: HttpRequest, field: str) -> HttpResponse:
    """One filter's choices for the words typed (or, for 部分, the plan chosen), as the list's form shows them."""
    _, task_filter = filtered_tasks(request)
    if field not in CHOICE_FIELDS or field not in task_filter.form.fields:
        raise Http404("没有这个筛选项。")
    task_filter.offer_choices()
    return render(request, "tasks/_filter_choices.html", {"field": task_filter.form[field]})
