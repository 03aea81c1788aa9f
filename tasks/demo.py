"""Made-up progress for the demo plans, so that a fresh `make run` shows a dashboard worth reading."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from .models import Assignment, Plan, ProgressReport, Status
from .services import report_submit, task_refresh

PROGRESS = [
    "已制定实施方案并召开部署会，各项工作按计划推进。",
    "完成前期调研，形成初步方案，正在征求意见。",
    "项目已进入实施阶段，阶段性目标基本完成。",
    "已完成年度目标任务，正在总结经验做法。",
]
PROBLEMS = ["", "资金和用地指标尚未完全落实。", "部分县（市、区）推进进度不平衡。"]


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
            moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
            ProgressReport.objects.filter(pk=report.pk).update(created_at=moment)
            created += 1
    for task in plan.tasks.filter(archived=False):
        task_refresh(task)
    return created
