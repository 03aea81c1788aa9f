"""Multi-step writes about tasks: reports, the task's maintained state, comments, reminders, edits."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from bureau import changes
from bureau.models import Division, person_name

from . import rules
from .attachments import safe_name
from .models import (
    ActualValue,
    Assignment,
    Attachment,
    Comment,
    Milestone,
    Notification,
    ProgressReport,
    ReportDraft,
    Review,
    Status,
    Target,
    Task,
    TaskEvent,
    answering,
    slowest_report,
)
from .notifications import notify
from .rules import falls_behind_on, period_start
from .similarity import narrative, nearly_same


class StaleEdit(Exception):
    """Someone else changed the task after the form was opened."""


def task_refresh(task: Task) -> None:
    """Recompute the task's maintained state from its divisions' latest reports, its latest review and
    its open milestones."""
    assignments = list(task.assignments.select_related("latest_report"))
    lead_reports = [a.latest_report for a in answering(assignments)]
    reported = [r for r in lead_reports if r is not None]
    all_reports = [a.latest_report for a in assignments if a.latest_report]
    task.accepted_at = None
    # With several lead divisions the task is as far as the one furthest behind.
    slowest = slowest_report(assignments)
    if slowest is not None:
        task.status, task.percent = slowest.status, slowest.percent
        if slowest.status == Status.DONE:
            # 已完成 is the division's word; the bureau's review after it decides.
            review = task.reviews.order_by("-created_at", "-pk").first()
            if review is None or review.created_at < max(r.created_at for r in reported):
                task.status = Status.PENDING_REVIEW
            elif review.action == Review.Action.ACCEPT:
                task.accepted_at = review.created_at
            else:
                task.status = Status.IN_PROGRESS
    task.reported_period = min(r.period for r in reported) if len(reported) == len(lead_reports) and reported else None
    task.last_reported_at = max((r.created_at for r in all_reports), default=None)
    task.falls_behind_on = falls_behind_on(starts_on=task.starts_on, deadline=task.deadline, percent=task.percent)
    task.next_milestone_due = (
        task.milestones.filter(done_at__isnull=True).order_by("due").values_list("due", flat=True).first()
    )
    Task.objects.filter(pk=task.pk).update(
        status=task.status,
        percent=task.percent,
        reported_period=task.reported_period,
        last_reported_at=task.last_reported_at,
        falls_behind_on=task.falls_behind_on,
        next_milestone_due=task.next_milestone_due,
        accepted_at=task.accepted_at,
    )


def repeats(previous: ProgressReport, progress: str, problems: str, next_steps: str) -> bool:
    """Whether a new narrative is nearly the same as the previous report's (进展雷同)."""
    return nearly_same(
        narrative(previous.progress, previous.problems, previous.next_steps),
        narrative(progress, problems, next_steps),
        settings.REPEAT_SIMILARITY,
    )


@transaction.atomic
def report_submit(
    *,
    task: Task,
    division: Division,
    author,
    status: str,
    percent: int,
    progress: str,
    problems: str = "",
    next_steps: str = "",
    actuals: dict[Target, Decimal] | None = None,
    files: Iterable = (),
    milestones: Iterable = (),
    day: datetime.date | None = None,
) -> ProgressReport:
    """Append a report and bring the task's maintained state up to date, in one transaction."""
    # Lock the task so that two reports arriving together both count in its state.
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    # The task shows on its page, in its plan's bureau and in each assigned division's 我的任务 (the divisions'
    # bureaus too), and in their leaders' lists.
    # Read under the task's lock: a division given the task meanwhile commits only after this report does
    # (PostgreSQL checks its assignment's key against the locked row), so none slips in unseen.
    divisions = {division.pk: division.bureau_id}
    divisions.update(Assignment.objects.filter(task=task).values_list("division_id", "division__bureau_id"))
    scopes = {task.plan.bureau_id, *divisions.values(), changes.task_scope(task.pk)}
    scopes.update(changes.division_scope(pk) for pk in divisions)
    with changes.within(scopes):
        return _report_write(
            task=task, division=division, author=author, status=status, percent=percent, progress=progress,
            problems=problems, next_steps=next_steps, actuals=actuals, files=files, milestones=milestones,
            day=day or rules.today(),
        )  # fmt: skip


def _report_write(
    *, task, division, author, status, percent, progress, problems, next_steps, actuals, files, milestones, day
) -> ProgressReport:
    # A report sent from anywhere supersedes the division's draft: the month page must not send it later.
    ReportDraft.objects.filter(task=task, division=division).delete()
    period = period_start(day, task.plan.reporting_cycle)
    # Compared with the division's last report of an earlier period: a correction sent in the same period
    # naturally repeats the report it corrects and is no 进展雷同.
    previous = (
        ProgressReport.objects.filter(task=task, division=division, period__lt=period)
        .order_by("-period", "-created_at", "-pk")
        .only("progress", "problems", "next_steps")
        .first()
    )
    report = ProgressReport.objects.create(
        task=task,
        division=division,
        author=author,
        period=period,
        status=status,
        percent=percent,
        progress=progress,
        problems=problems,
        next_steps=next_steps,
        repeats_previous=previous is not None and repeats(previous, progress, problems, next_steps),
    )
    ActualValue.objects.bulk_create(
        ActualValue(report=report, target=target, value=value)
        for target, value in (actuals or {}).items()
        if value is not None
    )
    for upload in files:
        Attachment.objects.create(report=report, file=upload, original_name=safe_name(upload.name), size=upload.size)
    Milestone.objects.filter(task=task, pk__in=[m.pk for m in milestones], done_at__isnull=True).update(
        done_at=report.created_at, done_in=report
    )
    Assignment.objects.filter(task=task, division=division).update(latest_report=report)
    task_refresh(task)
    return report


def members(divisions: Iterable[Division]):
    return get_user_model().objects.filter(membership__division__in=list(divisions), is_active=True)


@transaction.atomic
def comment_add(*, task: Task, author, text: str) -> Comment:
    comment = Comment.objects.create(task=task, author=author, text=text)
    divisions = Division.objects.filter(assignments__task=task)
    name = person_name(author)
    notify(
        recipients=members(divisions),
        kind=Notification.Kind.COMMENT,
        text=f"{name}批示：{text}",
        task=task,
        sender=author,
    )
    return comment


@transaction.atomic
def task_update(
    *,
    task: Task,
    actor,
    version: int,
    deadline: datetime.date | None,
    deadline_text: str,
    lead: list[Division],
    responsible: list[Division],
) -> Task:
    """Edit a task's deadline and units if nobody changed it since `version`; records what changed."""
    updated = Task.objects.filter(pk=task.pk, version=version).update(version=version + 1)
    if not updated:
        raise StaleEdit("该任务已被他人修改，请刷新页面后重新编辑。")
    task.refresh_from_db()
    changes = []
    if task.deadline != deadline or task.deadline_text != deadline_text:
        changes.append(f"完成时限：{task.deadline_text or task.deadline} → {deadline_text or deadline}")
        task.deadline, task.deadline_text = deadline, deadline_text
        task.save(update_fields=["deadline", "deadline_text"])
    old = {a.division_id: a for a in task.assignments.all()}
    wanted = {d.pk: Assignment.Role.LEAD for d in lead}
    wanted.update({d.pk: Assignment.Role.RESPONSIBLE for d in responsible if d.pk not in wanted})
    if {k: a.role for k, a in old.items()} != wanted:
        before = "、".join(task.lead_labels) + " / " + "、".join(task.responsible_labels)
        task.assignments.exclude(division_id__in=wanted).delete()
        for division_id, role in wanted.items():
            if division_id in old:
                if old[division_id].role != role:
                    Assignment.objects.filter(pk=old[division_id].pk).update(role=role, written_as="")
            else:
                Assignment.objects.create(task=task, division_id=division_id, role=role)
        task = Task.objects.prefetch_related("assignments__division").get(pk=task.pk)
        after = "、".join(task.lead_labels) + " / " + "、".join(task.responsible_labels)
        changes.append(f"牵头/责任单位：{before} → {after}")
    if changes:
        TaskEvent.objects.create(task=task, actor=actor, summary="；".join(changes))
    task_refresh(task)
    return task


@transaction.atomic
def tasks_assign(*, tasks: list[Task], lead: Division, co: Iterable[Division] = (), actor=None) -> int:
    """Give tasks that name no unit a lead and co-units, in one write."""
    co = [division for division in co if division.pk != lead.pk]
    rows = []
    for task in tasks:
        rows.append(Assignment(task=task, division=lead, role=Assignment.Role.LEAD))
        rows += [Assignment(task=task, division=d, role=Assignment.Role.RESPONSIBLE) for d in co]
    Assignment.objects.bulk_create(rows)
    summary = f"分配单位：牵头 {lead.name}" + (f"；责任 {'、'.join(d.name for d in co)}" if co else "")
    TaskEvent.objects.bulk_create(TaskEvent(task=task, actor=actor, summary=summary) for task in tasks)
    return len(tasks)
