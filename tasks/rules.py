"""The reporting rules, each defined once: periods, 未报送, 逾期 and the traffic light.

The light is a SQL expression so that lists can filter, count and sort by it; a single task
gets its light through the same expression (`Task.objects.with_light()`).
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.conf import settings
from django.db.models import Case, CharField, Exists, OuterRef, Q, TextChoices, Value, When
from django.utils import timezone

# The rules sit below the models, which use them in their querysets: they name models, never import them.


class Cycle(TextChoices):
    """How often a plan's tasks are reported on (Plan.reporting_cycle)."""

    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"


class Light(TextChoices):
    RED = "red", "红灯"
    YELLOW = "yellow", "黄灯"
    GREEN = "green", "绿灯"


BEHIND_BY = 20  # percentage points behind 序时进度 that turn a task yellow
# Statuses in which the division's part is done: nothing to chase, nothing overdue.
SETTLED = ["done", "pending_review"]
# 滞后/受阻: the statuses a division reports when its task lags or is stuck.
LAGGING = ["behind", "blocked"]


def warning_days() -> int:
    return settings.DEADLINE_WARNING_DAYS


def today() -> datetime.date:
    return timezone.localdate()


def default_deadline(year_end: int) -> datetime.date:
    """A task whose plan gives no deadline is due on the last day of the plan's last year."""
    return datetime.date(year_end, 12, 31)


def period_start(day: datetime.date, cycle: str = Cycle.MONTHLY) -> datetime.date:
    """The first day of the reporting period that contains `day`."""
    if cycle == Cycle.QUARTERLY:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(day=1)


def period_end(start: datetime.date, cycle: str = Cycle.MONTHLY) -> datetime.date:
    """The last day of the reporting period that begins on `start`."""
    months = 3 if cycle == Cycle.QUARTERLY else 1
    month = start.month - 1 + months
    return datetime.date(start.year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)


def default_start(year_start: int) -> datetime.date:
    """A plan's tasks start on the first day of its first year (序时进度 counts from here)."""
    return datetime.date(year_start, 1, 1)


def due_day_passed(day: datetime.date) -> bool:
    return day.day > settings.REPORT_DUE_DAY


def falls_behind_on(*, starts_on: datetime.date, deadline: datetime.date | None, percent: int) -> datetime.date | None:
    """The day after which `percent` is BEHIND_BY points behind the time-based expected progress."""
    if deadline is None or percent + BEHIND_BY >= 100 or deadline <= starts_on:
        return None
    span = (deadline - starts_on).days
    return starts_on + datetime.timedelta(days=span * (percent + BEHIND_BY) // 100)


def unassigned_q(prefix: str = "") -> Q:
    """Tasks no division answers for (未分配): the plan named no unit. They are counted apart, never as
    本期未报送, since nobody could have reported them."""
    assigned = Exists(apps.get_model("tasks", "Assignment").objects.filter(task=OuterRef(f"{prefix}pk")))
    return Q(**{f"{prefix}all_divisions_role": ""}) & ~assigned


def not_reported_q(day: datetime.date, prefix: str = "", field: str = "reported_period") -> Q:
    """Unfinished tasks someone answers for, not reported in the current period: by their leads, or by
    the division whose latest period `field` names."""
    p = prefix
    stale = Q(**{f"{p}{field}__isnull": True})
    for cycle in Cycle.values:
        stale |= Q(**{f"{p}plan__reporting_cycle": cycle, f"{p}{field}__lt": period_start(day, cycle)})
    return stale & ~Q(**{f"{p}status__in": SETTLED}) & ~unassigned_q(prefix)


def overdue_q(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}deadline__lt": day}) & ~Q(**{f"{prefix}status__in": SETTLED})


def due_soon_q(day: datetime.date, prefix: str = "") -> Q:
    """Unsettled tasks whose deadline or next milestone falls within the warning days."""
    p = prefix
    horizon = day + datetime.timedelta(days=warning_days())
    return ~Q(**{f"{p}status__in": SETTLED}) & (
        Q(**{f"{p}deadline__gte": day, f"{p}deadline__lte": horizon})
        | Q(**{f"{p}next_milestone_due__gte": day, f"{p}next_milestone_due__lte": horizon})
    )


def behind_or_overdue_q(day: datetime.date, prefix: str = "") -> Q:
    """Tasks a bulletin names: 滞后/受阻, or past the deadline and not done."""
    return Q(**{f"{prefix}status__in": LAGGING}) | overdue_q(day, prefix)


def red_q(day: datetime.date, prefix: str = "") -> Q:
    """Red: overdue, or not reported once the period's due day has passed."""
    red = overdue_q(day, prefix)
    if due_day_passed(day):
        red |= not_reported_q(day, prefix)
    return red


def yellow_q(day: datetime.date, prefix: str = "") -> Q:
    """Yellow (when not red): 滞后/受阻, BEHIND_BY points behind 序时进度, a missed milestone,
    or a deadline or milestone within the warning days."""
    p = prefix
    return (
        ~red_q(day, p)
        & ~Q(**{f"{p}status__in": SETTLED})
        & (
            Q(**{f"{p}status__in": LAGGING})
            | Q(**{f"{p}falls_behind_on__lt": day})
            | Q(**{f"{p}next_milestone_due__lt": day})
            | due_soon_q(day, p)
        )
    )


def light_expression(day: datetime.date, prefix: str = "") -> Case:
    return Case(
        When(red_q(day, prefix), then=Value(Light.RED)),
        When(yellow_q(day, prefix), then=Value(Light.YELLOW)),
        default=Value(Light.GREEN),
        output_field=CharField(),
    )
