"""The report form, and evidence files sent only to those who may see their task."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from ..forms import ReportForm
from ..models import Attachment, ProgressReport, Task
from ..services import report_submit
from .access import get_task_for_reporter, may_read_evidence, refusal_if_read_only


def report_form(task: Task, divisions: list, data=None, files=None) -> ReportForm:
    """The report form of the page and of the API: an admin reporting on behalf of one of several assigned
    divisions picks it."""
    form = ReportForm(data, files, task=task)
    if len(divisions) > 1:
        form.fields["division"] = forms.ChoiceField(label="报送单位", choices=[(d.pk, d.name) for d in divisions])
    return form


def report_from_form(form: ReportForm, *, task: Task, divisions: list, author, files=()) -> ProgressReport:
    """Write the valid form's report, for the division picked (the only one when there is no choice)."""
    chosen = form.cleaned_data.get("division")
    division = next((d for d in divisions if str(d.pk) == chosen), divisions[0])
    report = report_submit(
        task=task,
        division=division,
        author=author,
        status=form.cleaned_data["status"],
        percent=form.cleaned_data["percent"],
        progress=form.cleaned_data["progress"],
        problems=form.cleaned_data["problems"],
        next_steps=form.cleaned_data["next_steps"],
        actuals=form.actuals(),
        files=files,
        milestones=form.ticked_milestones(),
    )
    report.division = division
    return report


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    task, divisions = get_task_for_reporter(request, pk)
    if refusal := refusal_if_read_only(request, task):
        return refusal
    form = report_form(task, divisions, request.POST or None, request.FILES or None)
    if form.is_valid():
        report_from_form(
            form, task=task, divisions=divisions, author=request.user, files=form.cleaned_data["attachments"]
        )
        messages.success(request, "进展已报送。")
        return redirect(task)
    latest = next(
        (a.latest_report for a in task.assignments.select_related("latest_report") if a.division_id == divisions[0].pk),
        None,
    )
    if not form.is_bound and latest is not None:
        form.initial.update({"status": latest.status, "percent": latest.percent})
    status = 400 if request.method == "POST" else 200
    return render(
        request, "tasks/report_form.html", {"task": task, "form": form, "division": divisions[0]}, status=status
    )


@login_required
@require_safe
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(
        Attachment.objects.filter(report__task__in=Task.objects.visible_to(request.user)).select_related("report"),
        pk=pk,
    )
    if not may_read_evidence(request.user, attachment.report.task_id):
        raise PermissionDenied("佐证材料仅限承担该任务的处室、局领导和管理员查看。")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在。") from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)
