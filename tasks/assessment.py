"""考核: a score per lead division for one plan, and its rank.

score = total × (Σ weight × share over the parts with something to measure) ÷ (Σ their weights)
      − penalty_per_return × tasks sent back in review
where total = weight_on_time + weight_reporting + weight_targets and the parts are
  on time:   share of the led tasks due (accepted, or past their deadline) accepted (已办结) by it
  reporting: share of due monthly reports made by the due day
  targets:   share of the led tasks' targets with a reported value that are attained
A part with nothing to measure (no targets, none reported yet, no task or period due) earns no points:
its weight goes to the others in proportion, so 40 / 30 / 30 without targets scores on time × 40/70 × 100
+ reporting × 30/70 × 100. With nothing to measure at all the score is the total less the penalties. A
target with no reported value is 待填报, neither attained nor missed. Equal scores share a rank (1, 2, 2,
4). The weights are the plan's own (defaults 40 / 30 / 30, 5 points per return), set by an admin.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from .dashboard import PlanActivity, task_list_url
from .models import Plan, Review
from .rules import default_deadline, default_start, period_start


@dataclass
class DivisionScore:
    division_id: int
    name: str
    tasks: set[int] = field(default_factory=set)
    tasks_due: int = 0  # led tasks accepted or past their deadline: what on time measures
    on_time: int = 0
    reports_due: int = 0
    reports_on_time: int = 0
    targets_total: int = 0
    targets_pending: int = 0  # no reported value yet: 待填报, left out of the share
    targets_attained: int = 0
    returns: int = 0
    score: float = 0.0
    rank: int = 0
    url: str = ""

    @property
    def led(self) -> int:
        return len(self.tasks)

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        """The share met, or None when there is nothing to measure."""
        return part / whole if whole else None

    @property
    def on_time_rate(self) -> float | None:
        return self._share(self.on_time, self.tasks_due)

    @property
    def reporting_rate(self) -> float | None:
        return self._share(self.reports_on_time, self.reports_due)

    @property
    def targets_rate(self) -> float | None:
        return self._share(self.targets_attained, self.targets_total - self.targets_pending)


def _due_periods(plan: Plan, deadline: datetime.date | None, day: datetime.date) -> list[datetime.date]:
    """The reporting periods whose due day has passed, from the plan's start to the deadline or today."""
    start = default_start(plan.year_start)
    end = min(day, deadline or default_deadline(plan.year_end), default_deadline(plan.year_end))
    periods, current = [], period_start(start, plan.reporting_cycle)
    while current <= end:
        due = current.replace(day=min(settings.REPORT_DUE_DAY, 28))
        if due < day:
            periods.append(current)
        months = 3 if plan.reporting_cycle == Plan.Cycle.QUARTERLY else 1
        year, month = divmod(current.month - 1 + months, 12)
        current = datetime.date(current.year + year, month + 1, 1)
    return periods


def _end_of_due_day(period: datetime.date) -> datetime.datetime:
    """The moment a period's reports stop being on time: midnight after its due day, local time."""
    due = period.replace(day=min(settings.REPORT_DUE_DAY, 28)) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(due, datetime.time()))


def assess(plan: Plan, day: datetime.date, activity: PlanActivity | None = None) -> list[DivisionScore]:
    activity = activity or PlanActivity.of(plan, day)
    leads = activity.leads
    tasks = {t.pk: t for t in activity.tasks}
    scores: dict[int, DivisionScore] = {}
    for division_id, name, task_id in leads:
        score = scores.setdefault(division_id, DivisionScore(division_id, name))
        score.tasks.add(task_id)
        deadline, accepted_at = tasks[task_id].deadline, tasks[task_id].accepted_at
        if accepted_at:
            score.tasks_due += 1
            score.on_time += deadline is None or timezone.localdate(accepted_at) <= deadline
        elif (deadline or default_deadline(plan.year_end)) < day:
            score.tasks_due += 1

    on_time_reports = defaultdict(set)
    closes: dict[datetime.date, datetime.datetime] = {}
    for created_at, task_id, division_id, period, _ in activity.reports:
        if period not in closes:
            closes[period] = _end_of_due_day(period)
        if created_at < closes[period]:
            on_time_reports[(task_id, division_id)].add(period)
    due_by_deadline: dict[datetime.date | None, set] = {}
    for score in scores.values():
        for task_id in score.tasks:
            deadline = tasks[task_id].deadline
            if deadline not in due_by_deadline:
                due_by_deadline[deadline] = set(_due_periods(plan, deadline, day))
            due = due_by_deadline[deadline]
            score.reports_due += len(due)
            score.reports_on_time += len(on_time_reports[(task_id, score.division_id)] & due)

    task_owner = defaultdict(list)
    for division_id, _, task_id in leads:
        task_owner[task_id].append(division_id)
    for target in activity.targets:
        for division_id in task_owner[target.task_id]:
            scores[division_id].targets_total += 1
            if target.latest_actual is None:
                scores[division_id].targets_pending += 1
            else:
                scores[division_id].targets_attained += target.is_attained(target.latest_actual)
    for _, task_id, action in activity.reviews:
        if action == Review.Action.RETURN:
            for division_id in task_owner[task_id]:
                scores[division_id].returns += 1

    for score in scores.values():
        total = _weighted(plan, score) - plan.penalty_per_return * score.returns
        score.score = round(max(total, 0.0), 1)
        score.url = task_list_url(plan=plan.pk, division=score.division_id)
    ranked = sorted(scores.values(), key=lambda s: (-s.score, s.name))
    for index, score in enumerate(ranked):
        tied = index and score.score == ranked[index - 1].score
        score.rank = ranked[index - 1].rank if tied else index + 1
    return ranked


def _weighted(plan: Plan, score: DivisionScore) -> float:
    """The parts' weighted shares, the weights of those with nothing to measure spread over the rest."""
    parts = [
        (plan.weight_on_time, score.on_time_rate),
        (plan.weight_reporting, score.reporting_rate),
        (plan.weight_targets, score.targets_rate),
    ]
    total = sum(weight for weight, _ in parts)
    measured = sum(weight for weight, rate in parts if rate is not None)
    if not measured:
        return float(total)
    return total * sum(weight * rate for weight, rate in parts if rate is not None) / measured
