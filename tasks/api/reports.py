"""POST /tasks/{id}/reports: a progress report, through the report page's form and service."""

from collections import Counter

from django.http import HttpRequest
from ninja import Path, Router, Status
from ninja.errors import HttpError, ValidationError

from ..forms import ReportForm
from ..models import Task
from ..views.access import get_task_for_reporter
from ..views.reporting import report_form, report_from_form
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


def _named_wrongly(payload: ReportIn, task: Task, divisions: list, form: ReportForm) -> list[dict]:
    """What the payload names that the page could not have sent: a division the user does not report for,
    a milestone not among the task's open ones, a target not the task's or given twice. The page offers
    only the right choices; ignored here, they would write a report other than the one asked for."""
    problems = []
    if payload.division is not None and payload.division not in {d.pk for d in divisions}:
        names = "、".join(d.name for d in divisions)
        problems.append(
            {"loc": ("body", "division"), "msg": f"您不能代该单位报送：报送单位应为{names}。", "type": "invalid"}
        )
    open_ids = {m.pk for m in form.open_milestones}
    for pk in dict.fromkeys(payload.milestones):
        if pk not in open_ids:
            msg = "该任务没有这个未完成的时间节点。"
            problems.append({"loc": ("body", "milestones", str(pk)), "msg": msg, "type": "invalid"})
    target_ids = {t.pk for t in form.targets}
    counts = Counter(a.target for a in payload.actuals)
    for pk, count in counts.items():
        if pk not in target_ids:
            problems.append({"loc": ("body", "actuals", str(pk)), "msg": "该任务没有这个指标。", "type": "invalid"})
        elif count > 1:
            msg = f"同一指标重复填写了 {count} 次，请只填一次。"
            problems.append({"loc": ("body", "actuals", str(pk)), "msg": msg, "type": "invalid"})
    return problems


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
    form = report_form(task, divisions, _form_data(payload))
    if problems := _named_wrongly(payload, task, divisions, form):
        raise ValidationError(problems)
    if not form.is_valid():
        raise _refused(form, payload)
    report = report_from_form(form, task=task, divisions=divisions, author=request.user)
    report.author = request.user
    refreshed = Task.objects.with_light().for_list().get(pk=task.pk)
    return Status(201, {"report": report_out(report), "task": task_row(refreshed)})
