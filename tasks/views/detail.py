"""/tasks/<id>/: everything about one task, and the actions taken from its page."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bureau.access import is_admin, is_leader

from .. import rules
from ..forms import CommentForm, ReminderForm, TaskEditForm
from ..models import ActualValue, Assignment, Attachment, ExtensionRequest, ProgressReport, Status, Task
from ..page_cache import cached_page, kept_object, kept_pieces, report_items_key, task_page_scopes
from ..rows import report_item_list, report_items
from ..rules import Light
from ..services import StaleEdit, comment_add, task_update
from ..workflow import reach_summary, remind
from .access import (
    get_division_for_leader,
    get_task_for_admin,
    get_task_for_leader,
    get_task_for_viewer,
    is_lead_head,
    refusal_if_read_only,
    reporting_divisions,
)

REPORTS_PER_PAGE = 20
# The task's lists the page shows, each read only when the task has any.
LISTS = ("reports", "targets", "comments", "events", "milestones", "reviews", "extension_requests")


def _report_item_list(task: Task, reports: list[ProgressReport]) -> list[str]:
    # Figures only where the task has targets, files only for the reports that have some (`has_files`,
    # read with the reports): most have neither, and an empty queryset reads nothing.
    figures = ActualValue.objects.select_related("target") if task.has_targets else ActualValue.objects.none()
    prefetch_related_objects(reports, Prefetch("actuals", queryset=figures))
    for with_files in (True, False):
        files = Attachment.objects.all() if with_files else Attachment.objects.none()
        chosen = [report for report in reports if report.has_files == with_files]
        prefetch_related_objects(chosen, Prefetch("attachments", queryset=files))
    return report_item_list(reports)


def _task_query(day):
    """What the page reads of its task: built once a day (its light and the light's reasons take 4 ms to
    build), kept as built. A sub-task's parent and a carried task's origin are read when there is one:
    joined in, they cost most tasks, which have neither, 2 ms of PostgreSQL's planning."""
    return Task.objects.with_light_reasons(day).with_presence(*LISTS).select_related("section__parent__parent")


@login_required
@require_safe
@cached_page(scopes=task_page_scopes)
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    day = rules.today()  # one day for the light, its reasons and the page
    reports_key = report_items_key(request)
    task = get_task_for_viewer(request, pk, kept_object(f"task page {rules.light_key(day)}", lambda: _task_query(day)))
    if task.carried_from_id:
        prefetch_related_objects([task], Prefetch("carried_from", queryset=Task.objects.select_related("plan")))
    # Plans nest sections two or three deep; the joins above fetch the whole path.
    section_path, section = [], task.section
    while section is not None:
        section_path.insert(0, section)
        section = section.parent
    assignments = list(task.assignments.select_related("division", "latest_report"))
    # A task reported on every month by several divisions gathers hundreds of reports over the years:
    # the page shows the newest ones and pages back through the rest.
    files = Attachment.objects.filter(report=OuterRef("pk"))
    reports = task.reports.select_related("division", "author").annotate(has_files=Exists(files))
    report_page = Paginator(reports if task.has_reports else reports.none(), REPORTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    # Reports are never changed: those drawn before are kept, the files and figures read for the rest.
    items = kept_pieces(reports_key, list(report_page), partial(_report_item_list, task))
    targets = list(task.targets.with_latest_actual()) if task.has_targets else []
    for target in targets:
        target.attained = target.is_attained(target.latest_actual)
    extensions = task.extension_requests.select_related("requested_by", "decided_by")
    return render(
        request,
        "tasks/task_detail.html",
        {
            "task": task,
            "section_path": section_path,
            "leads": [a for a in assignments if a.role == Assignment.Role.LEAD],
            "responsibles": [a for a in assignments if a.role == Assignment.Role.RESPONSIBLE],
            "all_divisions_label": next((a.written_as for a in assignments if a.written_as), ""),
            "targets": targets,
            "report_page": report_page,
            "report_items": report_items(items),
            "comments": list(task.comments.select_related("author")) if task.has_comments else [],
            "events": list(task.events.select_related("actor")) if task.has_events else [],
            "light_label": Light(task.light).label,
            "light_explanation": rules.light_explanation(task, day),
            "can_report": bool(reporting_divisions(request.user, task, assignments)) and not task.read_only_reason,
            "can_lead": is_leader(request.user),
            "can_edit": is_admin(request.user),
            "comment_form": CommentForm(),
            "reminder_form": ReminderForm(),
            "milestones": list(task.milestones.all()) if task.has_milestones else [],
            "reviews": list(task.reviews.select_related("decided_by")) if task.has_reviews else [],
            "extensions": list(extensions) if task.has_extension_requests else [],
            "can_review": is_leader(request.user) and task.status == Status.PENDING_REVIEW and not task.archived,
            # Only a closed plan's tasks are carried over.
            "successors": list(task.carried_into.select_related("plan")) if task.plan.closed_at else [],
            "can_plan": (is_admin(request.user) or is_lead_head(request.user, task, assignments))
            and not task.read_only_reason,
            "can_request_extension": is_lead_head(request.user, task, assignments)
            and task.status != Status.DONE
            and not task.read_only_reason,
            "pending_state": ExtensionRequest.State.PENDING,
            "today": day,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_admin(request, pk)
    initial = {
        "version": task.version,
        "deadline": task.deadline,
        "deadline_text": task.deadline_text,
        "lead": [a.division_id for a in task.assignments.all() if a.role == Assignment.Role.LEAD],
        "responsible": [a.division_id for a in task.assignments.all() if a.role == Assignment.Role.RESPONSIBLE],
    }
    form = TaskEditForm(request.POST or None, initial=initial, task=task)
    status = 200
    if form.is_valid():
        try:
            task_update(task=task, actor=request.user, **form.cleaned_data)
        except StaleEdit as exc:
            form.add_error(None, str(exc))
            status = 409
        else:
            messages.success(request, "任务已保存。")
            return redirect(task)
    elif request.method == "POST":
        status = 400
    return render(request, "tasks/task_edit.html", {"task": task, "form": form}, status=status)


@login_required
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_leader(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        comment_add(task=task, author=request.user, text=form.cleaned_data["text"])
        messages.success(request, "批示已发送给承担该任务的处室。")
    else:
        messages.error(request, "批示内容不能为空，且不超过2000字。")
    return redirect(task)


@login_required
@require_POST
def reminder_task(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_leader(request, pk)
    if refusal := refusal_if_read_only(request, task):
        return refusal  # nobody can report on it any more: nothing to chase
    form = ReminderForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    reaches = remind(sender=request.user, task=task, text=text)
    level = messages.SUCCESS if any(reach.people for reach in reaches) else messages.WARNING
    messages.add_message(request, level, reach_summary(reaches))
    return redirect(task)


@login_required
@require_POST
def reminder_division(request: HttpRequest, pk: int) -> HttpResponse:
    division = get_division_for_leader(request, pk)
    form = ReminderForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    reaches = remind(sender=request.user, division=division, text=text)
    level = messages.SUCCESS if any(reach.people for reach in reaches) else messages.WARNING
    messages.add_message(request, level, reach_summary(reaches))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("tasks:list")
