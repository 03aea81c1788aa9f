"""Closing the loop: milestones, completion review, extensions, automatic reminders and year-end."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from bureau.models import Division, Membership, person_name

from . import rules
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
from .rules import (
    default_deadline,
    default_start,
    due_day,
    due_day_passed,
    falls_behind_on,
    not_reported_q,
    overdue_q,
    warning_days,
)
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


# ---------------------------------------------------------------- 催办 and automatic reminders

MANUAL = "催办"  # ReminderLog.reason of a leader's 催办
OVERDUE = "overdue"
UNREPORTED = "unreported"
UNREPORTED_SOON = "unreported-soon"


@dataclass(frozen=True)
class Reach:
    """What a 催办 did in one division: whom it told, or why it told nobody."""

    division: Division
    people: tuple = ()
    already: bool = False  # chased earlier the same day by the same kind of 催办: not sent again

    def __str__(self) -> str:
        if self.already:
            return f"{self.division.name}今天已催办过，未重复发送"
        if not self.people:
            return f"{self.division.name} 无账号，未能送达"
        return f"{self.division.name} {len(self.people)} 人"


def reach_summary(reaches: list[Reach]) -> str:
    """The leader's account of a 催办: "已向基教处 2 人发出催办；督导处 无账号，未能送达。"."""
    told = [r for r in reaches if r.people]
    parts = [f"已向{'、'.join(map(str, told))}发出催办"] if told else []
    parts += [str(r) for r in reaches if r.already]
    parts += [str(r) for r in reaches if not r.people and not r.already]
    return "；".join(parts) + "。" if parts else "该任务没有承办处室，未发出催办。"


def _members_by_division(divisions) -> dict[int, list]:
    people: dict[int, list] = defaultdict(list)
    for user in members(divisions).select_related("membership").order_by("pk"):
        people[user.membership.division_id].append(user)
    return people


@transaction.atomic
def remind(*, sender, task: Task | None = None, division: Division | None = None, text: str = "") -> list[Reach]:
    """催办 on a task (each of its divisions) or on a division (its members). A division chased today on
    the same task, or as a whole when the 催办 is on the division, is not chased again; one without active
    accounts is left unlogged, so a 催办 once its accounts exist reaches them."""
    day = rules.today()
    if task is not None:
        divisions = _divisions(task)
        text = text or f"请抓紧推进并报送任务“{task.title}”的进展。"
    else:
        divisions = [division]
        text = text or f"请{division.name}抓紧报送本期任务进展。"
    people = _members_by_division(divisions)
    reaches = []
    for unit in divisions:
        if not people[unit.pk]:
            reaches.append(Reach(unit))
            continue
        _, created = ReminderLog.objects.get_or_create(task=task, division=unit, sent_on=day, reason=MANUAL)
        reaches.append(Reach(unit, tuple(people[unit.pk])) if created else Reach(unit, already=True))
    notify(
        recipients=[user for reach in reaches for user in reach.people],
        kind=Notification.Kind.REMINDER,
        text=f"{person_name(sender)}催办：{text}",
        task=task,
        sender=sender,
    )
    return reaches


def send_due_reminders(day: datetime.date) -> int:
    """Remind the divisions of every unsettled task whose deadline or open milestone falls within the
    warning days; each task and reason at most once a day."""
    horizon = day + datetime.timedelta(days=warning_days())
    sent = 0
    tasks = (
        Task.objects.in_work(day)
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


def _chased_tasks(day: datetime.date):
    return Task.objects.in_work(day)


def _chase(rows, *, day: datetime.date, reason: str, text) -> int:
    """Tell each (task, division) row's members `text(task)`, each pair at most once a day; returns how many
    pairs were told. `rows` are tasks annotated with the division to tell as `unit_id`, ordered by task.
    A task's divisions are told in one message, so a bureau-wide robot posts it once, not once a division."""
    rows = list(rows)
    people = _members_by_division({row.unit_id for row in rows})
    sent = 0
    for _, same_task in groupby(rows, key=lambda row: row.pk):
        units = [row for row in same_task if people[row.unit_id]]
        if not units:
            continue
        task = units[0]
        with transaction.atomic():
            told = [
                row
                for row in units
                if ReminderLog.objects.get_or_create(task=task, division_id=row.unit_id, sent_on=day, reason=reason)[1]
            ]
            if told:
                recipients = [user for row in told for user in people[row.unit_id]]
                notify(recipients=recipients, kind=Notification.Kind.REMINDER, text=text(task), task=task)
                sent += len(told)
    return sent


def send_overdue_reminders(day: datetime.date) -> int:
    """Chase every division of each task past its deadline and not settled (rules.overdue_q), daily."""
    rows = (
        _chased_tasks(day)
        .filter(overdue_q(day))
        .annotate(unit_id=F("assignments__division_id"))
        .filter(unit_id__isnull=False)
        .order_by("pk", "unit_id")
    )
    return _chase(
        rows,
        day=day,
        reason=OVERDUE,
        text=lambda task: (
            f"任务“{task.title}”已超过完成时限（{chinese_date(task.deadline)}），尚未完成，请抓紧推进并报送进展。"
        ),
    )


def send_late_milestone_reminders(day: datetime.date) -> int:
    """Chase the divisions of each open milestone past its day, daily, on tasks not themselves overdue (those
    are chased as a whole); each milestone at most once a day."""
    late = (
        Milestone.objects.filter(done_at__isnull=True, due__lt=day, task__in=_chased_tasks(day).exclude(overdue_q(day)))
        .select_related("task")
        .order_by("task_id", "due", "pk")
    )
    sent = 0
    for milestone in late:
        task = milestone.task
        with transaction.atomic():
            _, created = ReminderLog.objects.get_or_create(
                task=task, sent_on=day, reason=f"ms-late-{milestone.pk}", defaults={"milestone": milestone}
            )
            if created:
                text = (
                    f"任务“{task.title}”的节点“{milestone.title}”已过节点日期（{chinese_date(milestone.due)}），"
                    "请抓紧完成并报送。"
                )
                notify(recipients=members(_divisions(task)), kind=Notification.Kind.REMINDER, text=text, task=task)
                sent += 1
    return sent


def send_unreported_reminders(day: datetime.date) -> int:
    """本期未报送: in the last REPORT_REMINDER_DAYS days up to the period's due day, remind, and once the
    due day has passed, chase, daily, each division that answers for a task (its acting leads, whose
    reports the task's period follows) and has not reported on it this period (rules.not_reported_q, by
    the division's own latest report)."""
    days_left = due_day() - day.day
    if due_day_passed(day):
        reason = UNREPORTED

        def text(task):
            return f"任务“{task.title}”本期已过{due_day()}日仍未报送，请尽快报送进展。"

    elif days_left <= settings.REPORT_REMINDER_DAYS:
        reason = UNREPORTED_SOON
        when = "今天" if days_left == 0 else f"还剩{days_left}天"

        def text(task):
            return f"任务“{task.title}”本期进展请于{day.month}月{due_day()}日前报送（{when}）。"

    else:
        return 0
    rows = (
        _chased_tasks(day)
        .annotate(
            unit_assignment=F("assignments__pk"),
            unit_id=F("assignments__division_id"),
            unit_period=F("assignments__latest_report__period"),
        )
        .filter(not_reported_q(day, field="unit_period"), unit_assignment__in=Assignment.objects.acting_leads())
        .order_by("pk", "unit_id")
    )
    return _chase(rows, day=day, reason=reason, text=text)


def send_all_reminders(day: datetime.date) -> dict[str, int]:
    """The day's automatic reminders (send_reminders, and beat each morning); running twice sends nothing
    more."""
    return {
        "due": send_due_reminders(day),
        "overdue": send_overdue_reminders(day) + send_late_milestone_reminders(day),
        "unreported": send_unreported_reminders(day),
    }


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
