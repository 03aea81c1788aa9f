"""The reporting rules, each defined once: periods, 未报送, 逾期 and the traffic light.

The light is a SQL expression so that lists can filter, count and sort by it; a single task
gets its light through the same expression (`Task.objects.with_light()`).
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    TextChoices,
    Value,
    When,
)
from django.utils import timezone

from .formats import MAX_YEAR, MIN_YEAR  # noqa: F401 - the rules' bounds, for views and filters

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


def light_key(day: datetime.date) -> str:
    """All that a light worked out on `day` reads besides the task: the day and two settings (for what is
    kept under it, such as a built query)."""
    return f"{day.isoformat()} due {due_day()} warn {warning_days()}"


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


def due_day() -> int:
    """The day of the month by which a period's report is due (settings.REPORT_DUE_DAY)."""
    return settings.REPORT_DUE_DAY


def due_day_passed(day: datetime.date) -> bool:
    return day.day > due_day()


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


def red_triggers(day: datetime.date, prefix: str = "") -> list[tuple[str, Q]]:
    """What turns a task red, each with the words the task page explains it in."""
    triggers = [("已逾期", overdue_q(day, prefix))]
    if due_day_passed(day):
        triggers.append((f"本期已过{due_day()}日仍未报送", not_reported_q(day, prefix)))
    return triggers


def yellow_triggers(day: datetime.date, prefix: str = "") -> list[tuple[str, Q]]:
    """What turns an unsettled task yellow when nothing turns it red."""
    p = prefix
    unsettled = ~Q(**{f"{p}status__in": SETTLED})
    return [
        ("状态为滞后/受阻", unsettled & Q(**{f"{p}status__in": LAGGING})),
        (f"落后序时进度{BEHIND_BY}个百分点以上", unsettled & Q(**{f"{p}falls_behind_on__lt": day})),
        ("有时间节点已过期", unsettled & Q(**{f"{p}next_milestone_due__lt": day})),
        (f"完成时限或时间节点在{warning_days()}天内", due_soon_q(day, p)),
    ]


def _any(triggers: list[tuple[str, Q]]) -> Q:
    combined = Q(pk__in=[])
    for _, condition in triggers:
        combined |= condition
    return combined


def red_q(day: datetime.date, prefix: str = "") -> Q:
    """Red: overdue, or not reported once the period's due day has passed."""
    return _any(red_triggers(day, prefix))


def yellow_q(day: datetime.date, prefix: str = "") -> Q:
    """Yellow (when not red): 滞后/受阻, BEHIND_BY points behind 序时进度, a missed milestone,
    or a deadline or milestone within the warning days."""
    return ~red_q(day, prefix) & _any(yellow_triggers(day, prefix))


def elapsed_percent(starts_on: datetime.date, deadline: datetime.date | None, day: datetime.date) -> int | None:
    """序时进度: the share of the time from start to deadline that has passed, 0–100."""
    if deadline is None or deadline <= starts_on:
        return None
    share = (day - starts_on).days * 100 // (deadline - starts_on).days
    return max(0, min(100, share))


def light_expression(day: datetime.date, prefix: str = "") -> Case:
    return Case(
        When(red_q(day, prefix), then=Value(Light.RED)),
        When(yellow_q(day, prefix), then=Value(Light.YELLOW)),
        default=Value(Light.GREEN),
        output_field=CharField(),
    )


def light_flags(day: datetime.date) -> dict:
    """Each trigger of the light as a boolean annotation (Task.objects.with_light_reasons)."""
    triggers = red_triggers(day) + yellow_triggers(day)
    flags = {f"light_trigger_{n}": q for n, (_, q) in enumerate(triggers)}
    # What a green light's words rest on, whatever the day of the month.
    flags |= {"light_unreported": not_reported_q(day), "light_unassigned": unassigned_q()}
    return {name: ExpressionWrapper(q, output_field=BooleanField()) for name, q in flags.items()}


def light_explanation(task, day: datetime.date) -> str:
    """Why the task's light is what it is, in the light's own terms, from the flags `with_light_reasons`
    annotated: "已过时间 92%，完成率 70%，落后 22 个百分点 → 黄灯：落后序时进度20个百分点以上"."""
    red, yellow = red_triggers(day), yellow_triggers(day)
    fired = [bool(getattr(task, f"light_trigger_{n}")) for n in range(len(red) + len(yellow))]
    labels = [label for label, _ in red + yellow]
    if any(fired[: len(red)]):
        light, reasons = Light.RED, [label for label, on in zip(labels[: len(red)], fired, strict=False) if on]
    else:
        reasons = [label for label, on in zip(labels, fired, strict=True) if on]
        light = Light.YELLOW if reasons else Light.GREEN
    schedule = ""
    elapsed = elapsed_percent(task.starts_on, task.deadline, day)
    if elapsed is not None and task.status not in SETTLED:
        gap = elapsed - task.percent
        standing = f"落后 {gap} 个百分点" if gap > 0 else "进度正常"
        schedule = f"已过时间 {elapsed}%，完成率 {task.percent}%，{standing} → "
    because = "；".join(reasons) if reasons else "，".join(_green_because(task))
    return f"{schedule}{Light(light).label}：{because}"


def _green_because(task) -> list[str]:
    if task.status in SETTLED:
        return ["已完成或待审核"]
    if task.light_unassigned:
        reported = "未分配承办单位"
    elif task.light_unreported:
        reported = f"本期尚未报送（{due_day()}日前报送即可）"
    else:
        reported = "本期已报送"
    return ["未逾期", reported, f"未落后序时进度{BEHIND_BY}个百分点"]
