"""The 督查通报: one period of a bureau's plans told as an official document (tasks/gbt9704.py lays it
out). Every figure is the dashboard's (tasks/dashboard.py) for the period, read as it stood at its end."""

from __future__ import annotations

import datetime
import io
from collections import Counter
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from . import gbt9704
from .dashboard import PlanActivity, by_division, headline_counts
from .formats import chinese_date, chinese_month
from .models import Assignment, Bulletin, Plan, ProgressReport, Review, Status, Task, slowest_report
from .models.bulletin import number_label
from .rules import behind_or_overdue_q, period_end, period_start


@dataclass
class PeriodFigures:
    """One plan over one period, as the dashboard counts it on the period's last day (or today)."""

    plan: Plan
    start: datetime.date
    day: datetime.date
    counts: dict  # headline_counts()
    divisions: list[dict]  # by_division()
    completed: int  # tasks accepted as 已办结 within the period
    became_overdue: int  # tasks whose deadline passed within the period, still not done
    repeats: list[ProgressReport]  # reports flagged 进展雷同 within the period, each named in the body
    repeat_counts: dict[int, int]  # division id → the dashboard's 进展雷同 count (repeats_by_division)

    @property
    def repeats_by_name(self) -> dict[str, int]:
        names = {report.division_id: report.division.name for report in self.repeats}
        return {names[pk]: count for pk, count in self.repeat_counts.items() if count}

    @property
    def not_reported_units(self) -> list[str]:
        return [row["name"] for row in self.divisions if row["not_reported"]]

    @classmethod
    def of(cls, plan: Plan, month: datetime.date, day: datetime.date) -> PeriodFigures:
        start = period_start(month, plan.reporting_cycle)
        end = period_end(start, plan.reporting_cycle)
        # A past period is told as it stood at its end, not as it stands today.
        day = min(day, end)
        activity = PlanActivity.of(plan, day)
        return cls(
            plan=plan,
            start=start,
            day=day,
            counts=headline_counts(activity.tasks),
            divisions=by_division(plan, activity),
            completed=_completed(activity, start, day),
            became_overdue=sum(bool(t.is_overdue) and t.deadline >= start for t in activity.tasks),
            repeats=list(
                ProgressReport.objects.repeats_between(start, day)
                .filter(task_id__in=activity.task_ids)
                .select_related("task", "division")
                .order_by("division__name", "created_at", "pk")
            ),
            repeat_counts=activity.repeats,
        )

    def previous(self) -> PeriodFigures:
        return PeriodFigures.of(self.plan, self.start - datetime.timedelta(days=1), self.start)


def _completed(activity: PlanActivity, start: datetime.date, day: datetime.date) -> int:
    """Done tasks whose last review, an acceptance, fell within [start, day]."""
    done = {t.pk for t in activity.tasks if t.status == Status.DONE}
    last: dict[int, tuple] = {}
    for created, task_id, action in activity.reviews:  # oldest first: the last one seen is the latest
        if timezone.localdate(created) <= day:
            last[task_id] = (timezone.localdate(created), action)
    return sum(
        task_id in done and action == Review.Action.ACCEPT and on >= start for task_id, (on, action) in last.items()
    )


def _compare(now: int, before: int, unit: str = "项") -> str:
    if now > before:
        return f"比上期多{now - before}{unit}"
    if now < before:
        return f"比上期少{before - now}{unit}"
    return "与上期持平"


def _names(rows: list[list[str]]) -> list[str]:
    seen: list[str] = []
    for names in rows:
        seen += [name for name in names if name not in seen]
    return seen


def _repeat_counts(periods: list[PeriodFigures]) -> Counter:
    total: Counter = Counter()
    for period in periods:
        total.update(period.repeats_by_name)
    return total


def opening(now: list[PeriodFigures], before: list[PeriodFigures], label: str) -> str:
    """The bulletin's first paragraph, from the data: completed, newly overdue, units that did not report
    and reports that repeat the previous one, each against the previous period."""
    completed, completed_before = sum(p.completed for p in now), sum(p.completed for p in before)
    overdue, overdue_before = sum(p.became_overdue for p in now), sum(p.became_overdue for p in before)
    parts = [
        f"本期（{label}）完成任务{completed}项，{_compare(completed, completed_before)}",
        f"新增逾期{overdue}项，{_compare(overdue, overdue_before)}",
    ]
    missing, missing_before = (
        _names([p.not_reported_units for p in now]),
        _names([p.not_reported_units for p in before]),
    )
    if missing:
        parts.append(f"{'、'.join(missing)}未按时报送（上期{len(missing_before)}个单位）")
    else:
        parts.append(f"各单位均按时报送（上期{len(missing_before)}个单位未按时报送）")
    repeats, repeats_before = _repeat_counts(now), _repeat_counts(before)
    if repeats:
        named = "、".join(f"{name}{count}项" for name, count in sorted(repeats.items()))
        parts.append(f"{named}报送与上期进展雷同（上期{sum(repeats_before.values())}项）")
    else:
        parts.append(f"未发现与上期进展雷同的报送（上期{sum(repeats_before.values())}项）")
    return "；".join(parts) + "。"


def _lagging(plan: Plan, day: datetime.date) -> list[Task]:
    return list(
        Task.objects.filter(plan=plan)
        .current()
        .leaves()
        .filter(behind_or_overdue_q(day))
        .order_by("order")
        .select_related("section")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("division", "latest_report"))
        )
    )


CHINESE_ORDINALS = "一二三四五六七八九十"


def _part(document, periods: list[PeriodFigures], index: int, period: PeriodFigures) -> None:
    """With more than one plan, each plan's part under a （一） heading of its own."""
    if len(periods) > 1:
        gbt9704.heading(document, f"（{CHINESE_ORDINALS[index % 10]}）《{period.plan.title}》", level=2)


def bulletin_document(
    *,
    plans: list[Plan],
    month: datetime.date,
    day: datetime.date,
    issued_on: datetime.date,
    sequence: int | None = None,
    red_header: bool = False,
) -> bytes:
    """The 督查通报 of `plans` (one bureau's) for the month `month`, figures as of `day`; `sequence` None is
    a draft whose 文号 the office fills in."""
    bureau = plans[0].bureau
    periods = [PeriodFigures.of(plan, month, day) for plan in plans]
    before = [period.previous() for period in periods]
    label = chinese_month(periods[0].start)
    document = gbt9704.new_document()
    number = number_label(issued_on.year, sequence)
    if red_header:
        gbt9704.red_header(document, bureau.name)
        gbt9704.blank(document)
        gbt9704.centred(document, number)
        gbt9704.red_rule(document)
        gbt9704.title(document, "重点工作督查通报")
    else:
        gbt9704.title(document, f"{bureau.name}\n重点工作督查通报")
        gbt9704.centred(document, number)
    gbt9704.centred(document, f"（{label}）", gbt9704.HEADING_FONTS[2])
    gbt9704.blank(document)

    gbt9704.body(document, opening(periods, before, label))
    titles = "".join(f"《{p.title}》" for p in plans)
    gbt9704.body(document, f"根据{titles}，现将截至{chinese_date(periods[0].day)}重点工作推进情况通报如下。")

    gbt9704.heading(document, "一、总体情况")
    for index, period in enumerate(periods):
        _part(document, periods, index, period)
        counts = period.counts
        gbt9704.body(
            document,
            f"纳入督查的重点任务共{counts['total']}项，其中已完成{counts['done']}项，推进中{counts['in_progress']}项，"
            f"滞后或受阻{counts['behind']}项，逾期未完成{counts['overdue']}项，本期未报送{counts['not_reported']}项；"
            f"总体完成率{round(counts['mean_percent'] or 0)}%。",
        )

    gbt9704.heading(document, "二、滞后和逾期任务")
    for index, period in enumerate(periods):
        _part(document, periods, index, period)
        lagging = _lagging(period.plan, period.day)
        if not lagging:
            gbt9704.body(document, "本期无滞后或逾期任务。")
            continue
        rows = []
        for task in lagging:
            report = slowest_report(task.assignments.all())
            overdue = task.deadline and task.deadline < period.day
            state = task.get_status_display() + ("（逾期）" if overdue else "")
            rows.append(
                [task.number, task.title, "、".join(task.lead_labels), state, report.progress if report else "未报送"]
            )
        gbt9704.table(document, ["序号", "任务", "牵头单位", "状态", "最新进展"], rows, [14, 52, 26, 24, 40])

    gbt9704.heading(document, "三、各单位推进情况")
    for index, period in enumerate(periods):
        _part(document, periods, index, period)
        for row in period.divisions:
            gbt9704.body(
                document,
                f"{row['name']}：牵头任务{row['led']}项，已完成{row['done']}项，滞后或受阻{row['behind']}项，"
                f"逾期{row['overdue']}项，本期未报送{row['not_reported']}项。",
            )

    gbt9704.heading(document, "四、本期未报送单位")
    missing = _names([p.not_reported_units for p in periods])
    gbt9704.body(document, "、".join(missing) + "。请以上单位抓紧报送。" if missing else "各单位均已按时报送。")

    gbt9704.heading(document, "五、进展雷同的报送")
    repeats = [report for period in periods for report in period.repeats]
    if repeats:
        gbt9704.body(document, "以下报送与本单位上期报送内容基本相同，请如实反映本期进展：")
        for report in repeats:
            gbt9704.body(
                document,
                f"{report.division.name}：{report.task.number}　{report.task.title}"
                f"（{chinese_date(timezone.localdate(report.created_at))}报送）。",
            )
    else:
        gbt9704.body(document, "本期未发现与上期进展雷同的报送。")

    gbt9704.signature(document, bureau.name, chinese_date(issued_on))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


NUMBER_ATTEMPTS = 5


class NumberBusy(Exception):
    """Every attempt met a number just taken by someone else: the leader is asked to try again."""


def issue_bulletin(*, plans: list[Plan], month: datetime.date, red_header: bool, user, day: datetime.date) -> Bulletin:
    """A numbered bulletin: the next 文号 of the bureau's year and the document as issued today. Two leaders
    issuing at once both get a number: the unique (bureau, year, sequence) refuses the second, who takes
    the next."""
    bureau = plans[0].bureau
    for _ in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                taken = Bulletin.objects.filter(bureau=bureau, year=day.year).aggregate(n=Max("sequence"))["n"]
                sequence = (taken or 0) + 1
                content = bulletin_document(
                    plans=plans, month=month, day=day, issued_on=day, sequence=sequence, red_header=red_header
                )
                bulletin = Bulletin(
                    bureau=bureau,
                    year=day.year,
                    sequence=sequence,
                    period=month,
                    issued_on=day,
                    red_header=red_header,
                    created_by=user,
                )
                bulletin.document.save(f"督办通报{day.year}-{sequence}.docx", ContentFile(content), save=False)
                bulletin.save()
                bulletin.plans.set(plans)
                return bulletin
        except IntegrityError:
            bulletin.document.delete(save=False)  # the file written for the number another took
            continue
    raise NumberBusy("多人同时印发，文号分配未成功，请稍后重试。")
