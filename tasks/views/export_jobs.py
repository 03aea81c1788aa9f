"""Task-list exports too large for a request: a confirmation, then a job page with its progress and the
file when it is ready. Only the person who asked sees a job (another's is 404)."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_POST, require_safe

from ..models import ExportJob
from .lists import my_division

logger = logging.getLogger(__name__)
QUERY_MAX_LENGTH = 4000


def _get_own_job(request: HttpRequest, pk: int) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, user=request.user)


def offer_background_export(request: HttpRequest, kind: str, rows_count: int, filename: str) -> HttpResponse:
    """The page an export link leads to when its list is too long for one request."""
    context = {"kind": kind, "count": rows_count, "filename": filename, "query": request.GET.urlencode()}
    return render(request, "tasks/export_offer.html", context)


def _queue(job: ExportJob) -> None:
    from ..jobs import build_export

    try:
        build_export.delay(job.pk)
    except Exception:
        logger.exception("导出任务 %s 无法交给后台任务", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED, error="后台任务服务暂不可用，请稍后重新导出，或联系管理员。"
        )


@login_required
@require_POST
def export_job_start(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    query = request.POST.get("query", "")
    if kind not in ExportJob.Kind.values or len(query) > QUERY_MAX_LENGTH:
        return HttpResponseBadRequest("导出请求不完整，请回到列表重新导出。".encode())
    if kind == ExportJob.Kind.MINE:
        division = my_division(request)  # 403 for someone of no division
        filename = f"我的任务-{division.name}.xlsx"
    else:
        filename = "任务清单.xlsx"
    job = ExportJob.objects.create(user=request.user, kind=kind, query=query, filename=filename)
    transaction.on_commit(lambda: _queue(job))
    return redirect("tasks:export_job", pk=job.pk)


@login_required
@require_safe
def export_job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _get_own_job(request, pk)
    template = "tasks/_export_job_status.html" if request.htmx else "tasks/export_job.html"
    return render(request, template, {"job": job})


@login_required
@require_safe
def export_job_file(request: HttpRequest, pk: int) -> HttpResponse:
    job = _get_own_job(request, pk)
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404("文件尚未生成。")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已清理，请重新导出。") from None
    response = FileResponse(handle, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(job.filename)}"
    return response
