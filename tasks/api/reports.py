"""POST /tasks/{id}/reports: a progress report, through the report page's form and service."""

from django import forms
from django.http import HttpRequest
from ninja import Path, Router, Status
from ninja.errors import HttpError, ValidationError

from ..forms import ReportForm
from ..models import Task
from ..services import report_submit
from ..views.access import get_task_for_reporter
from .schemas import ID_MAX, REFUSALS, ErrorOut, ReportCreated, ReportIn
from .tasks import report_out, task_row

router = Router(tags=["报送"])


def _form_data(payload: ReportIn) -> dict:
    """The payload as the report page posts it, so that the form checks it the same way."""
    data = {
        "status": payload.status,
        "percent": str(payload.percent),
        "progress": payload.progress,
        "problems": payload.problems,
        "next_steps": payload.next_steps,
    }
    for actual in payload.actuals:
        data[f"target_{actual.target}"] = "" if actual.value is None else str(actual.value)
    if payload.milestones:
        data["milestones"] = [str(pk) for pk in payload.milestones]
    if payload.division is not None:
        data["division"] = str(payload.division)
    return data


def _refused(form: ReportForm, payload: ReportIn) -> ValidationError:
    """The form's own (Chinese) messages, each under the payload's name for the field."""
    errors = []
    for name, messages in form.errors.items():
        if name.startswith("target_"):
            loc = ("body", "actuals", name.removeprefix("target_"))
        elif name == "__all__":
            loc = ("body",)
        else:
            loc = ("body", name)
        errors.append({"loc": loc, "msg": " ".join(messages), "type": "invalid"})
    return ValidationError(errors)


@router.post(
    "/tasks/{task_id}/reports",
    response={201: ReportCreated, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, **REFUSALS},
    summary="报送进展",
)
def report_create(request: HttpRequest, payload: ReportIn, task_id: int = Path(..., ge=1, le=ID_MAX)):
    """A report of the owner's division on the task, checked as the report page checks it (attachments are
    sent on the page). An admin names the division when several are assigned."""
    task, divisions = get_task_for_reporter(request, task_id)
    if task.read_only_reason:
        raise HttpError(409, task.read_only_reason)
    unknown = {a.target for a in payload.actuals} - set(task.targets.values_list("pk", flat=True))
    if unknown:
        raise ValidationError(
            [{"loc": ("body", "actuals", str(pk)), "msg": "该任务没有这个指标。", "type": "invalid"} for pk in unknown]
        )
    form = ReportForm(_form_data(payload), task=task)
    if len(divisions) > 1:
        form.fields["division"] = forms.ChoiceField(label="报送单位", choices=[(d.pk, d.name) for d in divisions])
    if not form.is_valid():
        raise _refused(form, payload)
    chosen = form.cleaned_data.get("division")
    division = next((d for d in divisions if str(d.pk) == chosen), divisions[0])
    report = report_submit(
        task=task,
        division=division,
        author=request.user,
        status=form.cleaned_data["status"],
        percent=form.cleaned_data["percent"],
        progress=form.cleaned_data["progress"],
        problems=form.cleaned_data["problems"],
        next_steps=form.cleaned_data["next_steps"],
        actuals=form.actuals(),
        files=[],
        milestones=form.ticked_milestones(),
    )
    report.division, report.author = division, request.user
    refreshed = Task.objects.with_light().for_list().get(pk=task.pk)
    return Status(201, {"report": report_out(report), "task": task_row(refreshed)})
