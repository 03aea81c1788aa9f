"""Build a synthetic province with bulk inserts: bureaus, divisions, plans, tasks, assignments, reports."""

from __future__ import annotations

import contextlib
import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from bureau.models import Bureau, Division, Membership
from tasks.models import Assignment, Plan, ProgressReport, Section, Status, Target, Task
from tasks.rules import falls_behind_on

PREFIX = "基准"
CITIES, DISTRICTS_PER_CITY_AT_SCALE_1 = 11, 90 / 11
DIVISIONS_PER_BUREAU, PLANS_PER_BUREAU, TASKS_PER_PLAN, SECTIONS_PER_PLAN = 25, 3, 100, 7
PASSWORD = "bench-password-2026"  # noqa: S105 - synthetic accounts of a throwaway database
CLAUSES = [
    "深入推进义务教育优质均衡发展，完善集团化办学运行机制",
    "加快学前教育普及普惠，新增公办幼儿园学位",
    "实施教师队伍素质提升工程，健全教师培训体系",
    "推进教育数字化转型，建设智慧校园示范校",
    "深化产教融合，提升职业院校服务地方能力",
    "落实“双减”政策，规范校外培训机构管理",
    "加强学校安全风险防控，完善校园安全体系",
]


@dataclass
class Province:
    province: Bureau
    cities: list[Bureau]
    districts: list[Bureau]
    build_seconds: float = 0.0

    @property
    def bureaus(self) -> list[Bureau]:
        return [self.province, *self.cities, *self.districts]

    @classmethod
    def existing(cls) -> Province | None:
        """The province an earlier run built, to measure again without building it again."""
        bureaus = list(Bureau.objects.filter(name__startswith=PREFIX).order_by("pk"))
        by_level = {level: [b for b in bureaus if b.level == level] for level in Bureau.Level.values}
        cities, districts = by_level[Bureau.Level.CITY], by_level[Bureau.Level.DISTRICT]
        if not (cities and districts and by_level[Bureau.Level.PROVINCE]):
            return None
        return cls(province=by_level[Bureau.Level.PROVINCE][0], cities=cities, districts=districts)


def settle_statistics() -> None:
    """After build_province (outside its transaction): fresh statistics, or the planner guesses from an
    empty database; on PostgreSQL also the visibility map autovacuum keeps in a running database, without
    which no index-only scan is taken."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


@contextlib.contextmanager
def _keep_created_at():
    """Let bulk inserts write the report dates they were given (auto_now_add would stamp them now)."""
    field = ProgressReport._meta.get_field("created_at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


def _months(day: datetime.date, count: int = 12) -> list[datetime.date]:
    """The first days of the `count` months ending with the month of `day`."""
    months, year, month = [], day.year, day.month
    for _ in range(count):
        months.insert(0, datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months


@transaction.atomic
def build_province(scale: float, *, seed: int = 2026) -> Province:
    rng = random.Random(seed)  # noqa: S311 - repeatable synthetic data
    today = timezone.localdate()
    city_count = max(1, round(CITIES * scale))
    district_count = max(1, round(CITIES * DISTRICTS_PER_CITY_AT_SCALE_1 * scale))

    # The provincial department above the cities, whose leaders see the whole province.
    province = Bureau.objects.create(name=f"{PREFIX}省教育厅", short_name=f"{PREFIX}省", level=Bureau.Level.PROVINCE)
    cities = Bureau.objects.bulk_create(
        Bureau(
            name=f"{PREFIX}{n + 1}市教育局", short_name=f"{PREFIX}{n + 1}市", level=Bureau.Level.CITY, parent=province
        )
        for n in range(city_count)
    )
    districts = Bureau.objects.bulk_create(
        Bureau(
            name=f"{PREFIX}{n % city_count + 1}市{n + 1}区教育局",
            short_name=f"{n + 1}区",
            level=Bureau.Level.DISTRICT,
            parent=cities[n % city_count],
        )
        for n in range(district_count)
    )
    bureaus = [province, *cities, *districts]
    divisions = Division.objects.bulk_create(
        Division(bureau=b, name=f"第{d + 1}处", kind=Division.Kind.INTERNAL if d < 18 else Division.Kind.AFFILIATED)
        for b in bureaus
        for d in range(DIVISIONS_PER_BUREAU)
    )
    by_bureau: dict[int, list[Division]] = {}
    for division in divisions:
        by_bureau.setdefault(division.bureau_id, []).append(division)

    _users(bureaus, by_bureau)

    year = today.year
    plans = Plan.objects.bulk_create(
        Plan(
            bureau=b,
            title=f"{b.name}{year}年重点工作任务分解方案（{p + 1}）",
            kind=Plan.Kind.DECOMPOSITION,
            year_start=year,
            year_end=year,
        )
        for b in bureaus
        for p in range(PLANS_PER_BUREAU)
    )
    sections = Section.objects.bulk_create(
        Section(plan=plan, number="一二三四五六七"[s], title=CLAUSES[s][:12], order=s + 1)
        for plan in plans
        for s in range(SECTIONS_PER_PLAN)
    )
    plan_sections: dict[int, list[Section]] = {}
    for section in sections:
        plan_sections.setdefault(section.plan_id, []).append(section)

    months = _months(today)
    starts_on = datetime.date(year, 1, 1)
    tasks, task_units, task_history = [], [], []
    for plan in plans:
        for n in range(TASKS_PER_PLAN):
            text = "；".join(rng.sample(CLAUSES, rng.randint(2, 4))) + "。"
            deadline = datetime.date(year, rng.choice([6, 9, 12, 12, 12]), 28)
            units = rng.sample(by_bureau[plan.bureau_id], rng.randint(1, 4))
            # Each assigned division reports once a month; percent climbs towards the end of the year.
            history = []
            for _ in units:
                pace = rng.uniform(0.6, 1.2)
                series = []
                for index, month in enumerate(months):
                    percent = min(100, round((index + 1) / len(months) * 100 * pace))
                    status = (
                        Status.DONE
                        if percent == 100
                        else rng.choice([Status.IN_PROGRESS] * 7 + [Status.BEHIND, Status.BLOCKED, Status.NOT_STARTED])
                    )
                    series.append((month, status, percent))
                history.append(series)
            lead_last = history[0][-1]
            percent = lead_last[2]
            status = Status.PENDING_REVIEW if lead_last[1] == Status.DONE else lead_last[1]
            tasks.append(
                Task(
                    plan=plan,
                    section=plan_sections[plan.pk][n * SECTIONS_PER_PLAN // TASKS_PER_PLAN],
                    number=str(n + 1),
                    text=text,
                    title=text.split("，")[0][:60],
                    deadline=deadline,
                    order=n + 1,
                    status=status,
                    percent=percent,
                    reported_period=lead_last[0],
                    last_reported_at=timezone.make_aware(datetime.datetime.combine(lead_last[0], datetime.time(10))),
                    falls_behind_on=falls_behind_on(starts_on=starts_on, deadline=deadline, percent=percent),
                )
            )
            task_units.append(units)
            task_history.append(history)
    tasks = Task.objects.bulk_create(tasks, batch_size=2000)

    assignments = []
    for task, units in zip(tasks, task_units, strict=True):
        for index, division in enumerate(units):
            role = Assignment.Role.LEAD if index == 0 else Assignment.Role.RESPONSIBLE
            assignments.append(Assignment(task=task, division=division, role=role))
    assignments = Assignment.objects.bulk_create(assignments, batch_size=5000)

    Target.objects.bulk_create(
        (
            Target(task=task, metric="覆盖面", comparator=">=", value=rng.choice([85, 90, 95]), unit="%")
            for task in tasks
            if rng.random() < 0.3
        ),
        batch_size=5000,
    )

    _reports(assignments, task_history)
    return Province(province=province, cities=list(cities), districts=list(districts))


def _users(bureaus: list[Bureau], by_bureau: dict[int, list[Division]]) -> None:
    """One leader per bureau and one clerk per division, all with the same password."""
    password = make_password(PASSWORD)
    user_model = get_user_model()
    users, memberships = [], []
    for bureau in bureaus:
        users.append(user_model(username=f"bench-leader-{bureau.pk}", password=password))
        memberships.append((bureau, None, Membership.Role.LEADER))
        for division in by_bureau[bureau.pk]:
            users.append(user_model(username=f"bench-staff-{division.pk}", password=password))
            memberships.append((bureau, division, Membership.Role.STAFF))
    users = user_model.objects.bulk_create(users, batch_size=2000)
    Membership.objects.bulk_create(
        (Membership(user=u, bureau=b, division=d, role=r) for u, (b, d, r) in zip(users, memberships, strict=True)),
        batch_size=2000,
    )


def _reports(assignments: list[Assignment], task_history: list) -> None:
    """A report per assignment per month, inserted in batches; each assignment then points at its last."""
    by_task: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        by_task.setdefault(assignment.task_id, []).append(assignment)
    progress = "本月按计划推进，完成了阶段性任务，相关工作正在有序开展。" * 2
    batch, last_of = [], []
    with _keep_created_at():
        for history, task_assignments in zip(task_history, by_task.values(), strict=True):
            for assignment, series in zip(task_assignments, history, strict=True):
                for month, status, percent in series:
                    batch.append(
                        ProgressReport(
                            task_id=assignment.task_id,
                            division_id=assignment.division_id,
                            period=month,
                            status=status,
                            percent=percent,
                            progress=progress,
                            problems="部分项目进度偏慢。" if status != Status.DONE else "",
                            created_at=timezone.make_aware(datetime.datetime.combine(month, datetime.time(10))),
                        )
                    )
                last_of.append((assignment, len(batch) - 1))
            if len(batch) >= 20000:
                _flush(batch, last_of)
                batch, last_of = [], []
        _flush(batch, last_of)


def _flush(batch: list[ProgressReport], last_of: list) -> None:
    created = ProgressReport.objects.bulk_create(batch, batch_size=5000)
    for assignment, index in last_of:
        assignment.latest_report_id = created[index].pk
    Assignment.objects.bulk_update([a for a, _ in last_of], ["latest_report"], batch_size=5000)
