"""Made-up progress for the demo plans, so that a fresh `make run` shows a dashboard worth reading."""

from __future__ import annotations

import datetime
import itertools
import random
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from bureau.models import Membership

from . import rules
from .models import Assignment, Notification, Plan, ProgressReport, Review, Status, Task, TaskEvent
from .rules import BEHIND_BY, elapsed_percent, period_start
from .services import report_submit, task_refresh
from .workflow import review_decide

PROGRESS = [
    "已制定实施方案并召开部署会，各项工作按计划推进。",
    "完成前期调研，形成初步方案，正在征求意见。",
    "项目已进入实施阶段，阶段性目标基本完成。",
    "已完成年度目标任务，正在总结经验做法。",
]
PROBLEMS = ["", "资金和用地指标尚未完全落实。", "部分县（市、区）推进进度不平衡。"]
DONE = PROGRESS[3]


@transaction.atomic
def seed_reports(plan: Plan, *, seed: int = 0) -> int:
    """A few monthly reports per lead division over the plan's last year; nothing if it has reports."""
    if ProgressReport.objects.filter(task__plan=plan).exists():
        return 0
    rng = random.Random(f"{seed}-{plan.pk}")  # noqa: S311 - repeatable demo data, not secrets
    year = plan.year_end
    created = 0
    reporting = Assignment.objects.acting_leads().filter(
        task__plan=plan, task__archived=False, task__children__isnull=True
    )
    for assignment in reporting.select_related("task", "division").order_by("task__order", "pk"):
        months = sorted(rng.sample(range(1, 13), rng.randint(1, 4)))
        percent = 0
        for month in months:
            percent = min(100, percent + rng.randint(15, 45))
            ongoing = [Status.IN_PROGRESS] * 6 + [Status.BEHIND, Status.BLOCKED]
            status = Status.DONE if percent == 100 else rng.choice(ongoing)
            day = datetime.date(year, month, rng.randint(5, 25))
            report = report_submit(
                task=assignment.task,
                division=assignment.division,
                author=None,
                status=status,
                percent=percent,
                progress=rng.choice(PROGRESS),
                problems=rng.choice(PROBLEMS),
                day=day,
            )
            # Demo history only: date the report on the day it pretends to have been made.
            ProgressReport.objects.filter(pk=report.pk).update(created_at=_moment(day))
            created += 1
    for task in plan.tasks.filter(archived=False):
        task_refresh(task)
    return created


# ---------------------------------------------------------------- this year, up to today

# Where this year's tasks stand, dealt out in turn over the tasks in a shuffled order, so that even a
# small plan shows each kind. A task past its deadline is mostly done; a few are not (逾期, red).
PAST_DUE = ["accepted", "done", "accepted", "overdue", "accepted", "done", "accepted"]
# Under way: ahead of 序时进度, a little short of it, more than BEHIND_BY points short (yellow), 滞后/受阻
# reported (yellow), or finished early and awaiting review.
UNDER_WAY = ["ahead", "on_track", "behind", "ahead", "lagging", "on_track", "done", "behind", "ahead", "on_track"]


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _between(rng: random.Random, low: datetime.date, high: datetime.date) -> datetime.date:
    """A day from `low` to `high`; `high` when the range is empty."""
    if high <= low:
        return high
    return low + datetime.timedelta(days=rng.randint(0, (high - low).days))


def _in_month(rng: random.Random, year: int, month: int, last_day: int = 31) -> datetime.date:
    """A reporting day in the month: clerks report by the due day."""
    high = min(settings.REPORT_DUE_DAY, last_day)
    return datetime.date(year, month, rng.randint(min(5, high), high))


def _round5(value: float, *, up: bool) -> int:
    steps = -(-value // 5) if up else value // 5
    return int(max(0, min(95, steps * 5)))


@transaction.atomic
def seed_year_so_far(plan: Plan, *, day: datetime.date | None = None, seed: int = 0) -> int:
    """Monthly reports on this year's plan from January up to `day` (today): some tasks ahead, some
    behind 序时进度, a few overdue, some awaiting review and others accepted by the bureau's leader.
    Nothing if the plan has reports. Returns how many reports were made."""
    if ProgressReport.objects.filter(task__plan=plan).exists():
        return 0
    day = day or rules.today()
    rng = random.Random(f"{seed}-{plan.title}")  # noqa: S311 - repeatable demo data, not secrets
    reporting = (
        Assignment.objects.acting_leads()
        .filter(task__plan=plan, task__archived=False, task__children__isnull=True)
        .select_related("task__plan", "division")
        .prefetch_related("task__targets")
        .order_by("task__order", "pk")
    )
    by_task: dict[Task, list[Assignment]] = defaultdict(list)
    for assignment in reporting:
        by_task[assignment.task].append(assignment)
    tasks = list(by_task)
    rng.shuffle(tasks)
    past = itertools.cycle(PAST_DUE)
    ahead = itertools.cycle(UNDER_WAY)
    year = _YearSoFar(plan, day, rng)
    for task in tasks:
        year.play(task, by_task[task], next(past) if task.deadline < day else next(ahead))
    year.save_history()
    for task in plan.tasks.filter(archived=False):
        task_refresh(task)
    return year.created


class _YearSoFar:
    """The reports of one plan's year so far: history rows written together, each division's latest
    report through report_submit, so the task's state comes from the same service as a clerk's."""

    def __init__(self, plan: Plan, day: datetime.date, rng: random.Random) -> None:
        self.plan, self.day, self.rng = plan, day, rng
        # The texts come from their own stream, so the statuses and dates stay what they were.
        self.texts = random.Random(f"texts-{plan.pk}")  # noqa: S311 - repeatable demo data
        self.last_text: dict[int, str] = {}
        self.start = rules.default_start(plan.year_start)
        self.history: list[tuple[ProgressReport, datetime.date]] = []
        self.created = 0
        self.authors = {
            m.division_id: m.user
            for m in Membership.objects.filter(bureau=plan.bureau, division__isnull=False).select_related("user")
        }
        deciders = (
            get_user_model()
            .objects.filter(membership__bureau=plan.bureau, membership__role__in=Membership.BUREAU_WIDE_ROLES)
            .order_by("pk")
        )
        self.reviewer = deciders.filter(membership__role=Membership.Role.LEADER).first() or deciders.first()

    def play(self, task: Task, assignments: list[Assignment], how: str) -> None:
        rng, day = self.rng, self.day
        expected = elapsed_percent(self.start, task.deadline, day) or 0
        done_on = None
        if how == "accepted" and self.reviewer is None:
            how = "done"  # nobody in the bureau to accept it
        if how == "done" and day < self.start + datetime.timedelta(days=20):
            how = "on_track"  # nothing is finished in the year's first weeks
        if how == "accepted":
            high = min(task.deadline, day - datetime.timedelta(days=3))
            done_on = _between(
                rng, max(self.start + datetime.timedelta(days=20), high - datetime.timedelta(days=60)), high
            )
        elif how == "done":
            done_on = _between(rng, max(self.start, day - datetime.timedelta(days=25)), day)
        if done_on is not None:
            done_on = max(done_on, self.start)
            last, percent, status = done_on, 100, Status.DONE
        else:
            last, percent, status = self._under_way(task, how, expected)
        if last is None:
            return  # nothing reported yet (January, before anyone has)
        attained = rng.random() < 0.8
        for n, assignment in enumerate(assignments):
            # With several leads the task is as far as the slowest: the first keeps the figures chosen.
            share = percent if n == 0 or percent == 100 else min(95, percent + rng.randint(1, 10))
            self._report(assignment, last=last, percent=share, status=status, attained=attained)
        if how == "accepted":
            self._accept(
                task,
                _between(rng, done_on + datetime.timedelta(days=1), min(day, done_on + datetime.timedelta(days=6))),
            )

    def _under_way(self, task: Task, how: str, expected: int) -> tuple[datetime.date | None, int, str]:
        """The latest report of a task not done: its day, percent and status."""
        rng, day = self.rng, self.day
        if how == "overdue":
            month = min(task.deadline.month, day.month - 1) - rng.randint(0, 1)
            last = _in_month(rng, day.year, month) if month >= 1 else None
            return last, rng.randint(8, 17) * 5, rng.choice([Status.IN_PROGRESS, Status.BEHIND])
        # By the due day nearly every division has reported this month; on the 1st hardly any.
        reported_now = rng.random() < 0.9 * min(1, day.day / settings.REPORT_DUE_DAY)
        if reported_now:
            last = _in_month(rng, day.year, day.month, day.day)
        else:
            last = _in_month(rng, day.year, day.month - 1) if day.month > 1 else None
        status = Status.IN_PROGRESS
        if how == "ahead":
            percent = _round5(expected + rng.randint(3, 12), up=True)
        elif how == "on_track":
            percent = _round5(expected - rng.randint(0, 12), up=True)
        elif how == "behind":
            percent = max(5, _round5(expected - rng.randint(BEHIND_BY + 8, BEHIND_BY + 25), up=False))
            if percent + BEHIND_BY >= expected:
                status = Status.BEHIND  # too early in the year to be behind by the clock alone
        else:  # lagging
            percent = _round5(expected - rng.randint(5, 15), up=False)
            status = rng.choice([Status.BEHIND, Status.BLOCKED])
        return last, max(percent, 5), status

    def _report(
        self, assignment: Assignment, *, last: datetime.date, percent: int, status: str, attained: bool
    ) -> None:
        """Earlier months' reports leading up to the latest, then the latest itself; 已完成 gives the
        targets' values: met, or for some tasks just short of them."""
        rng = self.rng
        months = [m for m in range(rng.randint(1, min(3, last.month)), last.month) if rng.random() < 0.8]
        for n, month in enumerate(months, start=1):
            on = _in_month(rng, last.year, month)
            figure = _round5(percent * n / (len(months) + 1), up=False) or 5
            self.history.append((self._row(assignment, on, figure, Status.IN_PROGRESS), on))
        actuals = {}
        for target in assignment.task.targets.all() if status == Status.DONE else ():
            value = target.value
            if not attained:
                value = value * (Decimal("1.1") if target.comparator == target.Comparator.AT_MOST else Decimal("0.9"))
            actuals[target] = value.quantize(Decimal("0.01"))
        self._submit(assignment, last, percent, status, actuals=actuals)

    def _row(self, assignment: Assignment, on: datetime.date, percent: int, status: str) -> ProgressReport:
        return ProgressReport(
            task=assignment.task,
            division=assignment.division,
            author=self.authors.get(assignment.division_id),
            period=period_start(on, self.plan.reporting_cycle),
            status=status,
            percent=percent,
            progress=self._narrative(assignment),
        )

    def _narrative(self, assignment: Assignment) -> str:
        """Another text than last time, but now and then last month's again word for word, as some clerks
        send it: those are the reports the dashboard counts as 进展雷同."""
        last = self.last_text.get(assignment.pk)
        if last and self.texts.random() < 0.15:
            return last
        text = self.texts.choice([t for t in PROGRESS[:3] if t != last])
        self.last_text[assignment.pk] = text
        return text

    def _submit(self, assignment: Assignment, on: datetime.date, percent: int, status: str, actuals=None) -> None:
        lagging = status in rules.LAGGING
        report = report_submit(
            task=assignment.task,
            division=assignment.division,
            author=self.authors.get(assignment.division_id),
            status=status,
            percent=percent,
            progress=DONE if status == Status.DONE else self._narrative(assignment),
            problems=self.rng.choice(PROBLEMS[1:]) if lagging else "",
            actuals=actuals,
            day=on,
        )
        # Demo history only: date the report on the day it pretends to have been made.
        ProgressReport.objects.filter(pk=report.pk).update(created_at=_moment(on))
        self.created += 1

    def _accept(self, task: Task, on: datetime.date) -> None:
        """The leader's 已办结, dated on its day with its change-log entry and notices; the clerks have
        read the notices of all but the last week."""
        review = review_decide(task=task, actor=self.reviewer, action=Review.Action.ACCEPT, comment="同意办结。")
        moment = _moment(on, hour=16)
        Review.objects.filter(pk=review.pk).update(created_at=moment)
        TaskEvent.objects.filter(task=task, summary__startswith="办结审核").update(created_at=moment)
        read = moment if on < self.day - datetime.timedelta(days=7) else None
        Notification.objects.filter(task=task, kind=Notification.Kind.REVIEW).update(created_at=moment, read_at=read)

    def save_history(self) -> None:
        """The earlier months' reports in one insert, each dated on its day."""
        rows = ProgressReport.objects.bulk_create(row for row, _ in self.history)
        by_day: dict[datetime.date, list[int]] = defaultdict(list)
        for row, (_, on) in zip(rows, self.history, strict=True):
            by_day[on].append(row.pk)
        for on, pks in by_day.items():
            ProgressReport.objects.filter(pk__in=pks).update(created_at=_moment(on))
        self.created += len(rows)
