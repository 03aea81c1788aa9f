"""Downloads: the plan's decomposition table, the filtered task list, the period's 督查通报."""

import datetime
import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_safe

from .. import rules
from ..bulletin import bulletin_document
from ..exports import plan_workbook, task_list_workbook
from ..models import ExportJob
from .access import get_plan_for_viewer
from .export_jobs import offer_background_export
from .lists import filtered_tasks, my_tasks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


@login_required
@require_safe
def plan_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_viewer(request, pk)
    return _download(plan_workbook(plan), XLSX, f"{plan.title}.xlsx")


@login_required
@require_safe
def plan_bulletin_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_viewer(request, pk)
    day = rules.today()
    raw = request.GET.get("period") or f"{day:%Y-%m}"
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", raw)
    if not match or not 1 <= int(match.group(2)) <= 12 or not rules.MIN_YEAR <= int(match.group(1)) <= rules.MAX_YEAR:
        years = f"{rules.MIN_YEAR}—{rules.MAX_YEAR}"
        return HttpResponseBadRequest(f"报送周期格式应为 YYYY-MM（{years} 年），如 2024-05。".encode())
    month = datetime.date(int(match.group(1)), int(match.group(2)), 1)
    # A draft: the 文号 is left blank for the office; a numbered one is issued at tasks:bulletin_new.
    content = bulletin_document(plans=[plan], month=month, day=day, issued_on=day)
    return _download(content, DOCX, f"{plan.title}督查通报{raw}.docx")


def _task_list_download(request: HttpRequest, tasks, kind: str, filename: str) -> HttpResponse:
    """The file at once, or, for a list longer than EXPORT_BACKGROUND_ROWS, the offer to build it in the
    background (tasks/views/export_jobs.py)."""
    count = tasks.count()
    if count > settings.EXPORT_BACKGROUND_ROWS:
        return offer_background_export(request, kind, count, filename)
    return _download(task_list_workbook(tasks), XLSX, filename)


@login_required
@require_safe
def task_export_xlsx(request: HttpRequest) -> HttpResponse:
    tasks, _ = filtered_tasks(request)
    return _task_list_download(request, tasks, ExportJob.Kind.TASKS, "任务清单.xlsx")


@login_required
@require_safe
def task_mine_export_xlsx(request: HttpRequest) -> HttpResponse:
    """ "我的任务" as the page lists it: the division's tasks, not the bureau's."""
    division, queryset = my_tasks(request)
    tasks, _ = filtered_tasks(request, queryset, with_role=True)
    return _task_list_download(request, tasks, ExportJob.Kind.MINE, f"我的任务-{division.name}.xlsx")
