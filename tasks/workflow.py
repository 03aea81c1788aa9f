"""Closing the loop: milestones, completion review, extensions, automatic reminders and year-end."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from bureau.models import Division, Membership

from .formats import chinese_date
from .models import (
    Assignment,
    ExtensionRequest,
    Milestone,
    Notification,
    Plan,
    ReminderLog,
    Review,
    Section,
    Status,
    Target,
    Task,
    TaskEvent,
)
from .notifications import notify
from .rules import default_deadline, default_start, falls_behind_on, warning_days
from .services import members, task_refresh


class WorkflowError(ValueError):
    """An action that the task's present state does not allow; the message is for the user."""


def _divisions(task: Task) -> list[Division]:
    return list(Division.objects.filter(assignments__task=task))


def _bureau_deciders(task: Task):
    """Leaders and admins of the task's bureau, who decide reviews and extensions."""
    return get_user_model().objects.filter(
        membership__bureau_id=task.plan.bureau_id,
        membership__role__in=Membership.BUREAU_WIDE_ROLES,
        is_active=True,
    )


# ---------------------------------------------------------------- milestones


@transaction.atomic
def milestone_add(*, task: Task, actor, title: str, due: datetime.date) -> Milestone:
    milestone = Milestone.objects.create(task=task, title=title, due=due)
    TaskEvent.objects.create(task=task, actor=actor, summary=f"新增时间节点：{chinese_date(due)} {title}")
    task_refresh(task)
    return milestone


@transaction.atomic
def milestone_remove(*, milestone: Milestone, actor) -> None:
    task = milestone.task
    TaskEvent.objects.create(task=task, actor=actor, summary=f"删除时间节点：{milestone}")
    milestone.delete()
    task_refresh(task)


# ---------------------------------------------------------------- completion review


@transaction.atomic
def review_decide(*, task: Task, actor, action: str, comment: str) -> Review:
    """Accept (已办结) or send back (退回) a task its lead division reported 已完成."""
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    if task.status != Status.PENDING_REVIEW:
        raise WorkflowError("该任务不在待审核状态，无法审核。")
    if action == Review.Action.RETURN and not comment.strip():
        raise WorkflowError("退回时请写明理由。")
    review = Review.objects.create(task=task, action=action, comment=comment, decided_by=actor)
    label = Review.Action(action).label
    TaskEvent.objects.create(task=task, actor=actor, summary=f"办结审核：{label}。{comment}".strip())
    task_refresh(task)
    notify(
        recipients=members(_divisions(task)),
        kind=Notification.Kind.REVIEW,
        text=f"任务“{task.title}”{label}。{comment}".strip(),
        task=task,
        sender=actor,
    )
    return review


# ---------------------------------------------------------------- extensions


@transaction.atomic
def extension_request(*, task: Task, actor, new_deadline: datetime.date, reason: str) -> ExtensionRequest:
    if task.extension_requests.filter(state=ExtensionRequest.State.PENDING).exists():
        raise WorkflowError("该任务已有待审批的延期申请。")
    if task.deadline and new_deadline <= task.deadline:
        raise WorkflowError("申请延至的日期应晚于现在的完成时限。")
    request = ExtensionRequest.objects.create(
        task=task, requested_by=actor, current_deadline=task.deadline, new_deadline=new_deadline, reason=reason
    )
    TaskEvent.objects.create(task=task, actor=actor, summary=f"申请延期至{chinese_date(new_deadline)}：{reason}")
    notify(
        recipients=_bureau_deciders(task),
        kind=Notification.Kind.EXTENSION,
        text=f"任务“{task.title}”申请延期至{chinese_date(new_deadline)}：{reason}",
        task=task,
        sender=actor,
    )
    return request


@transaction.atomic
def extension_decide(*, request: ExtensionRequest, actor, approve: bool, comment: str = "") -> ExtensionRequest:
    request = ExtensionRequest.objects.select_for_update().select_related("task", "task__plan").get(pk=request.pk)
    if request.state != ExtensionRequest.State.PENDING:
        raise WorkflowError("该延期申请已经审批过。")
    task = request.task
    request.state = ExtensionRequest.State.APPROVED if approve else ExtensionRequest.State.REFUSED
    request.decided_by, request.decided_at, request.decision_comment = actor, timezone.now(), comment
    request.save()
    if approve:
        task.original_deadline = task.original_deadline or task.deadline
        task.deadline = request.new_deadline
        task.deadline_text = f"延期至{chinese_date(request.new_deadline)}"
        task.save(update_fields=["original_deadline", "deadline", "deadline_text"])
        task_refresh(task)
    verdict = "批准" if approve else "不批准"
    TaskEvent.objects.create(
        task=task, actor=actor, summary=f"{verdict}延期至{chinese_date(request.new_deadline)}。{comment}".strip()
    )
    notify(
        recipients=members(_divisions(task)),
        kind=Notification.Kind.EXTENSION,
        text=f"任务“{task.title}”的延期申请{verdict}。{comment}".strip(),
        task=task,
        sender=actor,
    )
    return request


# ---------------------------------------------------------------- automatic reminders


def send_due_reminders(day: datetime.date) -> int:
    """Remind the divisions of every unsettled task whose deadline or open milestone falls within the
    warning days; each task and reason at most once a day."""
    horizon = day + datetime.timedelta(days=warning_days())
    sent = 0
    tasks = (
        Task.objects.current()
        .leaves()
        .unsettled()
        .filter(Q(deadline__range=(day, horizon)) | Q(next_milestone_due__range=(day, horizon)))
        .select_related("plan")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.filter(done_at__isnull=True, due__range=(day, horizon)))
        )
    )
    for task in tasks:
        reasons = []
        if task.deadline and day <= task.deadline <= horizon:
            reasons.append(("deadline", f"任务“{task.title}”将于{chinese_date(task.deadline)}到期，请抓紧完成并报送。"))
        for milestone in task.milestones.all():  # the open ones due soon, prefetched above
            reasons.append(
                (
                    f"milestone-{milestone.pk}",
                    f"任务“{task.title}”的节点“{milestone.title}”将于{chinese_date(milestone.due)}到期。",
                )
            )
        for reason, text in reasons:
            with transaction.atomic():
                _, created = ReminderLog.objects.get_or_create(task=task, sent_on=day, reason=reason[:20])
                if created:
                    notify(recipients=members(_divisions(task)), kind=Notification.Kind.DUE, text=text, task=task)
                    sent += 1
    return sent


# ---------------------------------------------------------------- year-end


@transaction.atomic
def plan_close(*, plan: Plan, actor, carry_into: Plan | None = None) -> list[Task]:
    """Close a plan; unfinished tasks are carried into `carry_into` as new tasks linked to the old."""
    if plan.closed_at is not None:
        raise WorkflowError("该计划已经关闭。")
    if carry_into is not None and (carry_into.bureau_id != plan.bureau_id or carry_into.pk == plan.pk):
        raise WorkflowError("只能结转到本教育局的另一份计划。")
    plan.closed_at = timezone.now()
    plan.save(update_fields=["closed_at"])
    carried = []
    if carry_into is not None:
        unfinished = list(
            # A task awaiting review stays with its plan for the review, not carried over as a new 0% task.
            plan.tasks.current().leaves().unsettled().prefetch_related("assignments", "targets")
        )
        if unfinished:
            section, _ = Section.objects.get_or_create(
                plan=carry_into,
                parent=None,
                title=f"{plan.year_end}年度结转任务",
                defaults={"order": 0, "number": ""},
            )
            start = (carry_into.tasks.order_by("-order").values_list("order", flat=True).first() or 0) + 1
            deadline = default_deadline(carry_into.year_end)
            for offset, old in enumerate(unfinished):
                new = Task.objects.create(
                    plan=carry_into,
                    section=section,
                    number=old.number,
                    text=old.text,
                    title=old.title,
                    deadline=deadline,
                    order=start + offset,
                    carried_from=old,
                    falls_behind_on=falls_behind_on(
                        starts_on=default_start(carry_into.year_start), deadline=deadline, percent=0
                    ),
                )
                Assignment.objects.bulk_create(
                    Assignment(task=new, division_id=a.division_id, role=a.role, written_as=a.written_as)
                    for a in old.assignments.all()
                )
                Target.objects.bulk_create(
                    Target(
                        task=new, metric=t.metric, comparator=t.comparator, value=t.value, unit=t.unit, order=t.order
                    )
                    for t in old.targets.all()
                )
                TaskEvent.objects.create(
                    task=new,
                    actor=actor,
                    summary=f"由《{plan.title}》结转（原状态：{old.get_status_display()} {old.percent}%）",
                )
                TaskEvent.objects.create(task=old, actor=actor, summary=f"年度关闭，结转至《{carry_into.title}》")
                carried.append(new)
    return carried
