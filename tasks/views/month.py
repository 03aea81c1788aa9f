"""/tasks/mine/report/: the clerk's month — every task of the division due a report, in one list,
each row filled from the division's last report (or its draft), saved as drafts or sent at once."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from bureau.models import Division, person_name

from .. import rules
from ..forms import ReportForm
from ..models import ActualValue, Assignment, ReportDraft, Target, Task
from ..services import report_submit
from .lists import my_tasks

# What a row carries from the last report or the draft; evidence and milestones stay on the task's own form.
_FIELDS = ("status", "percent", "progress", "problems", "next_steps")


@dataclass
class MonthRow:
    task: Task
    form: ReportForm
    draft: ReportDraft | None
    reported_this_period: bool
    checked: bool  # ticked to be sent
    sent: bool = False  # written in this submission


def due_banner(day: datetime.date) -> tuple[str, str]:
    """("本月25日前报送，还剩3天", tone) for the month's due day (rules.due_day)."""
    due_day = rules.due_day()
    left = due_day - day.day
    if left > 0:
        return f"本月{due_day}日前报送，还剩{left}天。", "info"
    if left == 0:
        return f"今天（{due_day}日）是本月报送截止日。", "warning"
    return f"本月报送截止日（{due_day}日）已过{-left}天，请尽快报送。", "danger"


def _rows(division: Division, queryset, data=None, *, day: datetime.date) -> list[MonthRow]:
    """The division's unsettled tasks as rows, in a fixed number of queries whatever their number."""
    tasks = list(queryset.in_work(day).order_by("-plan__year_end", "plan_id", "order"))
    ids = [t.pk for t in tasks]
    # Through the division's assignments, each pointing at its latest report: filtering the reports by the
    # assignments' ids instead made PostgreSQL loop over every report the division ever sent (0.4 s at
    # bench scale 1 once a division had a few thousand).
    latest = {
        a.task_id: a.latest_report
        for a in Assignment.objects.filter(
            division=division, task_id__in=ids, latest_report__isnull=False
        ).select_related("latest_report")
    }
    targets: dict[int, list[Target]] = {}
    for target in Target.objects.filter(task_id__in=ids).order_by("order"):
        targets.setdefault(target.task_id, []).append(target)
    # The values the division itself gave in its last report, not another division's.
    own_values = dict(ActualValue.objects.filter(report__in=list(latest.values())).values_list("target_id", "value"))
    drafts = {
        d.task_id: d for d in ReportDraft.objects.filter(task_id__in=ids, division=division).select_related("saved_by")
    }
    rows = []
    for task in tasks:
        form = ReportForm(data, prefix=f"t{task.pk}", task=task, targets=targets.get(task.pk, []), open_milestones=[])
        del form.fields["attachments"]
        for name in ("progress", "problems", "next_steps"):  # a month of rows: short boxes that grow as typed
            form.fields[name].widget.attrs["rows"] = 2
        report, draft = latest.get(task.pk), drafts.get(task.pk)
        if draft is not None:
            form.initial.update(draft.fields)
        elif report is not None:
            form.initial.update({name: getattr(report, name) for name in _FIELDS})
            form.initial.update({f"target_{t.pk}": own_values[t.pk] for t in form.targets if t.pk in own_values})
        reported = report is not None and report.period >= rules.period_start(day, task.plan.reporting_cycle)
        # Ticked to start with: a draft, or a row filled from an earlier period's report. A row never reported
        # would be sent empty and refused.
        ticked = draft is not None or (report is not None and not reported)
        if data is not None:
            ticked = bool(data.get(f"{form.prefix}-send"))
        rows.append(MonthRow(task, form, draft, reported, ticked))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def month_report(request: HttpRequest) -> HttpResponse:
    division, queryset = my_tasks(request)
    day = rules.today()
    data = request.POST if request.method == "POST" else None
    rows = _rows(division, queryset, data, day=day)
    status = 200
    if request.method == "POST":
        chosen = [row for row in rows if row.checked]
        action = request.POST.get("action")
        if action not in ("draft", "submit"):
            # Never guess: a draft sent by mistake could not be taken back.
            messages.error(request, "请点击“报送勾选的任务”或“保存为草稿”。")
            status = 400
        elif not chosen:
            messages.warning(request, "请勾选要保存或报送的任务。")
            status = 400
        elif action == "draft":
            _save_drafts(request, division, chosen)
            messages.success(request, f"已保存 {len(chosen)} 项任务的草稿，尚未报送。")
            return redirect("tasks:mine_report")
        else:
            sent = _submit(request, division, chosen, day)
            refused = [row.task.number or str(row.task.pk) for row in chosen if not row.sent]
            if not refused:
                messages.success(request, f"已报送 {sent} 项任务的进展。")
                return redirect("tasks:mine_report")
            which = "、".join(refused)
            messages.error(
                request, f"已报送 {sent} 项；{len(refused)} 项有误（第{which}项），未写入，请按提示修改后再报送。"
            )
            status = 400
    banner, tone = due_banner(day)
    context = {
        "division": division,
        "rows": rows,
        "banner": banner,
        "banner_tone": tone,
        "drafts_by": sorted({person_name(r.draft.saved_by) for r in rows if r.draft and r.draft.saved_by}),
    }
    return render(request, "tasks/month_report.html", context, status=status)


def _save_drafts(request: HttpRequest, division: Division, rows: list[MonthRow]) -> None:
    for row in rows:
        # As typed, within the form's own bounds: a draft need not be valid, but it is no larger than a report.
        fields = {name: request.POST.get(f"{row.form.prefix}-{name}", "")[:5000] for name in row.form.fields}
        ReportDraft.objects.update_or_create(
            task=row.task, division=division, defaults={"fields": fields, "saved_by": request.user}
        )


def _submit(request: HttpRequest, division: Division, rows: list[MonthRow], day: datetime.date) -> int:
    """Each valid row becomes an ordinary report (its draft gone); an invalid one is left as typed."""
    sent = 0
    for row in rows:
        if row.task.read_only_reason or not row.form.is_valid():
            if row.task.read_only_reason:
                row.form.add_error(None, row.task.read_only_reason)
            continue
        report_submit(
            task=row.task,
            division=division,
            author=request.user,
            status=row.form.cleaned_data["status"],
            percent=row.form.cleaned_data["percent"],
            progress=row.form.cleaned_data["progress"],
            problems=row.form.cleaned_data["problems"],
            next_steps=row.form.cleaned_data["next_steps"],
            actuals=row.form.actuals(),
            day=day,
        )
        row.sent, row.checked = True, False
        sent += 1
    return sent
