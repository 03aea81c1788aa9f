"""Key tasks, who carries them out, their targets and the progress reported on them."""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Exists, F, FilteredRelation, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from bureau import changes
from bureau.access import visible_bureau_ids
from bureau.models import DataVersion, Division

from .. import rules
from ..formats import chinese_date, chinese_month
from ..rules import light_expression, unassigned_q
from .plan import Plan, Section

# "各处室" in a plan: every division of the bureau, those confirmed later included.
ALL_DIVISIONS = "各处室"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "未启动"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"
    BEHIND = "behind", "滞后"
    BLOCKED = "blocked", "受阻"
    # Only a task is ever in review: its lead reported 已完成 and the bureau has not yet accepted it.
    PENDING_REVIEW = "pending_review", "待审核"


REPORT_STATUSES = [choice for choice in Status.choices if choice[0] != Status.PENDING_REVIEW]


class TaskQuerySet(models.QuerySet):
    def current(self) -> TaskQuerySet:
        """Tasks that are not archived by a later version of their plan."""
        return self.filter(archived=False)

    def leaves(self) -> TaskQuerySet:
        """Tasks that are reported on: not mere groups of sub-tasks (重大项目, a project's 一是/二是).

        NOT EXISTS, not `children__isnull=True`: PostgreSQL estimated the LEFT JOIN … IS NULL at one row and
        ran a nested loop over the province's 30,300 tasks (the whole-province list: 784 ms → 56 ms)."""
        return self.filter(~Exists(Task.objects.filter(parent=OuterRef("pk"))))

    def unsettled(self) -> TaskQuerySet:
        """Tasks still to be done: not done and not awaiting review (rules.SETTLED)."""
        return self.exclude(status__in=rules.SETTLED)

    def in_work(self, day: datetime.date) -> TaskQuerySet:
        """The year's open work: current leaf tasks, unsettled, of plans running in `day`'s year and not
        closed. What the month page lists and the reminders chase (a past year's plan left open is not)."""
        return (
            self.current()
            .leaves()
            .unsettled()
            .filter(plan__closed_at__isnull=True, plan__year_start__lte=day.year, plan__year_end__gte=day.year)
        )

    def unassigned(self) -> TaskQuerySet:
        """Leaf tasks no division answers for: the plan named no unit (未分配)."""
        return self.leaves().filter(unassigned_q())

    def visible_to(self, user) -> TaskQuerySet:
        bureau_ids = visible_bureau_ids(user)
        return self if bureau_ids is None else self.filter(plan__bureau_id__in=bureau_ids)

    def for_division(self, division: Division) -> TaskQuerySet:
        """Tasks assigned to `division`, each with the division's role and latest report as `mine_*`."""
        return (
            self.alias(mine=FilteredRelation("assignments", condition=Q(assignments__division=division)))
            .filter(mine__isnull=False)
            .annotate(
                mine_role=F("mine__role"),
                mine_status=F("mine__latest_report__status"),
                mine_percent=F("mine__latest_report__percent"),
                mine_reported_at=F("mine__latest_report__created_at"),
                mine_period=F("mine__latest_report__period"),
            )
        )

    def with_light(self, day: datetime.date | None = None) -> TaskQuerySet:
        return self.annotate(light=light_expression(day or rules.today()))

    def with_light_reasons(self, day: datetime.date | None = None) -> TaskQuerySet:
        """The light and which of its triggers fired, for rules.light_explanation."""
        day = day or rules.today()
        return self.with_light(day).annotate(**rules.light_flags(day))

    def with_data_version(self) -> TaskQuerySet:
        """`data_version`: the version of the task's scope (bureau/changes.py), read in the same statement as
        its row, so that what is drawn from the row may be kept under it (None: never written since)."""
        scope = DataVersion.objects.filter(scope=OuterRef("pk") + changes.TASKS)
        return self.annotate(data_version=Subquery(scope.values("version")))

    def with_presence(self, *relations: str) -> TaskQuerySet:
        """`has_<relation>` for each of the task's reverse relations named: whether it has any, one EXISTS
        each, so that a page reads only the lists a task has (most have no review, milestone or 批示)."""
        presence = {}
        for name in relations:
            relation = self.model._meta.get_field(name)
            rows = relation.related_model._base_manager.filter(**{relation.field.name: OuterRef("pk")})
            presence[f"has_{name}"] = Exists(rows)
        return self.annotate(**presence)

    def for_list(self) -> TaskQuerySet:
        """What a task table shows, in a fixed number of queries, reading only the columns it shows."""
        units = Assignment.objects.select_related("division").only("task_id", "role", "written_as", "division__name")
        # A list, not the related manager: Django clones the prefetch queryset for every task it fills a
        # manager's cache on, which cost a 50-row page more time than its SQL.
        return (
            self.select_related("plan")
            .defer("text", "plan__source_file", "plan__source_sha256")
            .prefetch_related(Prefetch("assignments", queryset=units, to_attr="assignment_list"))
        )


class Task(models.Model):
    plan = models.ForeignKey(Plan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        Section, verbose_name="所属部分", null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级任务",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        # Indexed by the partial index below: most tasks have no parent, and SQLite, told by ANALYZE
        # that the full index holds one value (NULL) for every row, built a temporary index over all
        # tasks for each leaves() query instead (10 ms at a province's scale).
        db_index=False,
        help_text="一是/二是 分项或重大项目分组所属的任务",
    )
    number = models.CharField("编号", max_length=20, blank=True, help_text="按原文")
    text = models.TextField("任务内容")
    title = models.CharField("简称", max_length=120, help_text="任务内容的第一句")
    deadline = models.DateField("完成时限", null=True, blank=True)
    deadline_text = models.CharField("时限原文", max_length=60, blank=True, help_text="如 全年、6月底前、持续推进")
    leader = models.CharField("责任领导", max_length=100, blank=True, help_text="计划写明的责任领导（人或职务）")
    # "各处室" is a standing assignment: divisions confirmed after the import join the task in this role.
    all_divisions_role = models.CharField(
        "“各处室”的角色", max_length=12, blank=True, choices=[("lead", "牵头"), ("responsible", "责任")], editable=False
    )
    target_text = models.TextField("年度目标（原文）", blank=True)
    progress_text = models.TextField("推进情况（原文）", blank=True, help_text="导入文件中写明的推进情况")
    order = models.PositiveIntegerField("顺序", default=0)
    # Maintained from the lead divisions' latest reports (tasks.services.task_refresh) so that
    # lists filter, sort and colour tasks in SQL instead of reading reports row by row.
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    percent = models.PositiveSmallIntegerField("完成率", default=0, validators=[MaxValueValidator(100)])
    reported_period = models.DateField("牵头单位最近报送周期", null=True, blank=True, editable=False)
    last_reported_at = models.DateTimeField("最近报送时间", null=True, blank=True, editable=False)
    falls_behind_on = models.DateField(
        "滞后起始日",
        null=True,
        blank=True,
        editable=False,
        help_text="按当前完成率，过了这一天即落后序时进度20个百分点",
    )
    next_milestone_due = models.DateField("最近未完成节点日期", null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField("办结时间", null=True, blank=True, editable=False)
    original_deadline = models.DateField(
        "原定完成时限", null=True, blank=True, editable=False, help_text="批准延期前的完成时限"
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name="结转自",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_into",
        help_text="上年度未完成、结转到本计划的原任务",
    )
    archived = models.BooleanField("已归档", default=False, help_text="计划修订后不再包含的任务")
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "重点任务"
        verbose_name_plural = "重点任务"
        ordering = ["plan_id", "order"]
        indexes = [
            # Current tasks only, and covering: a list's rows are counted plan by plan from the index alone
            # (a province's 30,000 in-progress tasks, PostgreSQL: 13.4 → 6.4 ms). `archived` and `id` are
            # columns too, though `archived` is always false here: SQLite counts an index covering only if it
            # holds every column the query names, and has no `include`.
            models.Index(
                fields=["plan", "status", "archived", "id"],
                name="task_current_plan_status",
                condition=Q(archived=False),
            ),
            models.Index(fields=["plan", "order"], name="task_plan_order"),
            models.Index(fields=["plan", "deadline"], name="task_plan_deadline"),
            models.Index(fields=["parent"], name="task_parent", condition=Q(parent__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="task_percent_at_most_100"),
        ]

    def __str__(self) -> str:
        prefix = f"{self.number} " if self.number else ""
        return f"{prefix}{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("tasks:detail", args=[self.pk])

    @property
    def read_only_reason(self) -> str:
        """Why the task takes no more reports, reviews or extensions; "" while it does."""
        if self.archived:
            return "该任务已在计划修订时移除并归档，只能查看，不能再报送、审核或延期。"
        if self.plan.closed_at:
            return f"《{self.plan.title}》已于{chinese_date(self.plan.closed_at)}年度关闭，任务只能查看。"
        return ""

    @property
    def awaits_review_after_close(self) -> bool:
        """A closed plan's task still awaiting review: the review is the one action it still takes."""
        return not self.archived and self.status == Status.PENDING_REVIEW

    @property
    def starts_on(self) -> datetime.date:
        return rules.default_start(self.plan.year_start)

    def unit_labels(self, role: str) -> list[str]:
        """The units of one role as the document names them ("各处室" stays one label)."""
        assignments = getattr(self, "assignment_list", None)  # for_list() prefetches them as a list
        assignments = self.assignments.all() if assignments is None else assignments
        # A division's name is read only where the words written do not stand in for it.
        labels = (a.written_as or a.division.name for a in assignments if a.role == role)
        return unit_labels(labels, self.all_divisions_role == role)

    @functools.cached_property
    def lead_labels(self) -> list[str]:
        """Set beforehand by a page that read them for many tasks at once (fill_lead_labels)."""
        return self.unit_labels(Assignment.Role.LEAD)

    @property
    def responsible_labels(self) -> list[str]:
        return self.unit_labels(Assignment.Role.RESPONSIBLE)


def unit_labels(written: Iterable[str], all_divisions: bool) -> list[str]:
    """A task's units of one role as the document names them: each of `written` (the words written, else
    the division's name, in order) once, and "各处室" where the task gives the role to all divisions."""
    labels = list(dict.fromkeys(written))
    if all_divisions and ALL_DIVISIONS not in labels:
        labels.append(ALL_DIVISIONS)  # standing, also before any division is confirmed
    return labels


def answering(assignments, role=lambda a: a.role) -> list:
    """Who answers for a task among its assignments: its lead divisions or, where it names none, all of
    them. `AssignmentQuerySet.acting_leads()` is the same rule in SQL."""
    assignments = list(assignments)
    return [a for a in assignments if role(a) == Assignment.Role.LEAD] or assignments


def slowest_report(assignments) -> ProgressReport | None:
    """The latest report of the answering division furthest behind: the one the task's state comes from."""
    reports = [a.latest_report for a in answering(assignments) if a.latest_report]
    return min(reports, key=lambda r: (r.percent, r.created_at), default=None)


class AssignmentQuerySet(models.QuerySet):
    def acting_leads(self) -> AssignmentQuerySet:
        """Who answers for each task: its lead divisions or, where a task names none, its responsible ones."""
        has_lead = self.model.objects.filter(task=OuterRef("task"), role=self.model.Role.LEAD)
        return self.filter(Q(role=self.model.Role.LEAD) | ~Exists(has_lead))

    def fill_lead_labels(self, tasks: list[Task]) -> None:
        """Sets each task's `lead_labels` from one read of three columns: a 50-row list spent 3.8 ms
        building its tasks' 130 assignments and divisions to read their names (1.6 ms this way)."""
        written: dict[int, list[str]] = {task.pk: [] for task in tasks}
        leads = self.filter(task_id__in=written, role=self.model.Role.LEAD)
        for task_id, words, name in leads.values_list("task_id", "written_as", "division__name"):
            written[task_id].append(words or name)
        for task in tasks:
            task.lead_labels = unit_labels(written[task.pk], task.all_divisions_role == Assignment.Role.LEAD)


class Assignment(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "牵头"
        RESPONSIBLE = "responsible", "责任"

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="assignments")
    division = models.ForeignKey(
        Division, verbose_name="处室/单位", on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField("角色", max_length=12, choices=Role.choices)
    # "各处室" assigns every division; the rows keep the words so pages still say "各处室".
    written_as = models.CharField("原文写法", max_length=30, blank=True, help_text="如 各处室")
    latest_report = models.ForeignKey(
        "ProgressReport",
        verbose_name="最新报送",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "任务分工"
        verbose_name_plural = "任务分工"
        ordering = ["task_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "division"], name="assignment_one_role_per_division"),
        ]
        indexes = [models.Index(fields=["division", "role"], name="assignment_division_role")]

    def __str__(self) -> str:
        return f"{self.division.name}（{self.get_role_display()}）"


class TargetQuerySet(models.QuerySet):
    def with_latest_actual(self):
        """`latest_actual`: the value the newest report gave for the target, or None."""
        latest = ActualValue.objects.filter(target=OuterRef("pk")).order_by("-report__created_at", "-pk")
        return self.annotate(latest_actual=Subquery(latest.values("value")[:1]))


class Target(models.Model):
    class Comparator(models.TextChoices):
        AT_LEAST = ">=", "≥"
        AT_MOST = "<=", "≤"
        EQUAL = "=", "="

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField("指标", max_length=200)
    comparator = models.CharField("比较", max_length=2, choices=Comparator.choices, default=Comparator.AT_LEAST)
    value = models.DecimalField("目标值", max_digits=14, decimal_places=2)
    unit = models.CharField("单位", max_length=20, blank=True)
    order = models.PositiveIntegerField("顺序", default=0)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["task_id", "order"]

    def __str__(self) -> str:
        return f"{self.metric}{self.goal}"

    @property
    def goal(self) -> str:
        """The committed figure alone: "≥90.5%"."""
        return f"{self.get_comparator_display()}{self.value.normalize():f}{self.unit}"

    def is_attained(self, actual) -> bool:
        if actual is None:
            return False
        if self.comparator == self.Comparator.AT_MOST:
            return actual <= self.value
        if self.comparator == self.Comparator.EQUAL:
            return actual == self.value
        return actual >= self.value


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


class ProgressReportQuerySet(models.QuerySet):
    def repeats_between(self, start: datetime.date, end: datetime.date) -> ProgressReportQuerySet:
        """Reports flagged 进展雷同 whose reporting period begins in [start, end] (a report's period is the
        one it was sent in, so this is also when it was sent)."""
        return self.filter(repeats_previous=True, period__gte=start, period__lte=end)


class ProgressReport(models.Model):
    """One division's progress on one task. Append-only: a correction is a new report."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="reports")
    division = models.ForeignKey(Division, verbose_name="报送单位", on_delete=models.PROTECT, related_name="reports")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, on_delete=models.SET_NULL, related_name="reports"
    )
    created_at = models.DateTimeField("报送时间", auto_now_add=True, db_index=True)
    period = models.DateField("报送周期", help_text="周期第一天，如 2024-05-01 表示 2024年5月")
    status = models.CharField("状态", max_length=16, choices=REPORT_STATUSES)
    percent = models.PositiveSmallIntegerField("完成率", validators=[MaxValueValidator(100)])
    progress = models.TextField("进展情况")
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步打算", blank=True)
    # Set once when the report is written (services.report_submit): its narrative is nearly the same as
    # the division's previous report on the task.
    repeats_previous = models.BooleanField("进展雷同", default=False)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = "进展报送"
        verbose_name_plural = "进展报送"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["task", "division", "-created_at"], name="report_task_division_latest"),
            # A task's page lists its newest reports: a task reported on monthly for years by several
            # divisions has hundreds, which were all read and sorted to show 20.
            models.Index(fields=["task", "-created_at", "-id"], name="report_task_newest"),
            models.Index(fields=["division", "period"], name="report_division_period"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.division.name} · {chinese_month(self.period)} · {self.get_status_display()}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError("进展报送一经提交不可修改，如需更正请重新报送。", code="append_only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("进展报送不可删除。", code="append_only")


class ActualValue(models.Model):
    """The value a report gives for one of its task's targets."""

    report = models.ForeignKey(
        ProgressReport, verbose_name="进展报送", on_delete=models.CASCADE, related_name="actuals"
    )
    target = models.ForeignKey(Target, verbose_name="指标", on_delete=models.CASCADE, related_name="actuals")
    value = models.DecimalField("实际值", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "指标实际值"
        verbose_name_plural = "指标实际值"
        constraints = [models.UniqueConstraint(fields=["report", "target"], name="actual_one_per_target")]

    def __str__(self) -> str:
        return f"{self.target.metric}：{self.value.normalize():f}{self.target.unit}"


def evidence_path(attachment: Attachment, filename: str) -> str:
    """A generated name: the uploader's file name is kept only for display."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{rules.today():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    report = models.ForeignKey(
        ProgressReport, verbose_name="进展报送", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=evidence_path)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("tasks:attachment", args=[self.pk])


class Comment(models.Model):
    """A leader's instruction on a task (批示)."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批示人", on_delete=models.PROTECT)
    text = models.TextField("批示内容", max_length=2000)
    created_at = models.DateTimeField("批示时间", auto_now_add=True)

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:40]


class Notification(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", "领导批示"
        REMINDER = "reminder", "催办"
        CHANGE = "change", "任务变更"
        REVIEW = "review", "办结审核"
        EXTENSION = "extension", "延期申请"
        DUE = "due", "到期提醒"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    task = models.ForeignKey(Task, verbose_name="任务", null=True, blank=True, on_delete=models.CASCADE)
    text = models.CharField("内容", max_length=500)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发送人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.text[:30]}"


class TaskEvent(models.Model):
    """One change to a task or its assignments: who, when, what."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    summary = models.CharField("变更内容", max_length=1000)

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.summary[:40]


class Milestone(models.Model):
    """A dated step of a task (时间节点): "6月底前出台文件"."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点内容", max_length=200)
    due = models.DateField("节点日期")
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_in = models.ForeignKey(
        ProgressReport, verbose_name="完成于报送", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "时间节点"
        verbose_name_plural = "时间节点"
        ordering = ["task_id", "due", "pk"]

    def __str__(self) -> str:
        return f"{chinese_date(self.due)} {self.title}"


class Review(models.Model):
    """The bureau's decision on a task its lead division reported 已完成 (办结审核)."""

    class Action(models.TextChoices):
        ACCEPT = "accept", "已办结"
        RETURN = "return", "退回"

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="reviews")
    action = models.CharField("审核结果", max_length=10, choices=Action.choices)
    comment = models.TextField("意见", max_length=2000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT)
    created_at = models.DateTimeField("审核时间", auto_now_add=True)

    class Meta:
        verbose_name = "办结审核"
        verbose_name_plural = "办结审核"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}：{self.comment[:30]}"


class ExtensionRequest(models.Model):
    """A lead division's request for a later deadline (延期申请)."""

    class State(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="extension_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    current_deadline = models.DateField("原完成时限")
    new_deadline = models.DateField("申请延至")
    reason = models.TextField("延期理由", max_length=2000)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_comment = models.TextField("审批意见", max_length=2000, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.task} 延至 {self.new_deadline}"


class ReminderLog(models.Model):
    """One reminder sent, so that each is sent at most once a day: `send_reminders`' reminders to a task's
    divisions (or to one of them), and a leader's 催办 on a task's division or on a whole division."""

    task = models.ForeignKey(
        Task, verbose_name="任务", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    division = models.ForeignKey(
        Division, verbose_name="处室/单位", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    milestone = models.ForeignKey(Milestone, verbose_name="节点", null=True, blank=True, on_delete=models.CASCADE)
    sent_on = models.DateField("发送日期")
    reason = models.CharField("原因", max_length=20)

    class Meta:
        verbose_name = "提醒与催办记录"
        verbose_name_plural = "提醒与催办记录"
        constraints = [
            # No task (a 催办 on a whole division) and no division (a reminder to all of a task's divisions)
            # count as values here, as NULLs in a plain unique constraint would not.
            models.UniqueConstraint(
                Coalesce("task", 0), Coalesce("division", 0), "sent_on", "reason", name="reminder_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sent_on} {self.reason}"


class ReportDraft(models.Model):
    """A division's unsent report on one task, saved from the month page: the division's head sees it
    before it goes up, and submitting turns it into an ordinary ProgressReport."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="drafts")
    division = models.ForeignKey(Division, verbose_name="报送单位", on_delete=models.CASCADE, related_name="+")
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="保存人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField("保存时间", auto_now=True)
    # The month page's fields as typed (status, percent, texts, target values): a draft need not be valid.
    fields = models.JSONField("内容", default=dict)

    class Meta:
        verbose_name = "报送草稿"
        verbose_name_plural = "报送草稿"
        constraints = [models.UniqueConstraint(fields=["task", "division"], name="one_draft_per_task_and_division")]

    def __str__(self) -> str:
        return f"{self.division} · {self.task} · 草稿"
