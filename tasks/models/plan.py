"""The plan aggregate's documents: plans as a bureau issues them, their sections, and the duties
(部门职责) a duties table lists, whose work items serve the plan's tasks."""

from django.db import models
from django.urls import reverse

from bureau.access import visible_bureau_ids
from bureau.models import Bureau, Division

from ..formats import heading
from ..rules import Cycle


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PlanQuerySet":
        bureau_ids = visible_bureau_ids(user)
        return self if bureau_ids is None else self.filter(bureau_id__in=bureau_ids)

    def running_in(self, year: int) -> "PlanQuerySet":
        """Plans whose years include `year`, 工作总结 left out (a summary reports, it is not carried out)."""
        return self.filter(year_start__lte=year, year_end__gte=year).exclude(kind=Plan.Kind.SUMMARY)

    def with_task_counts(self) -> "PlanQuerySet":
        """Each plan's current leaf tasks: how many, and their mean percent."""
        leaves = models.Q(tasks__archived=False, tasks__children__isnull=True)
        return self.annotate(
            task_count=models.Count("tasks", filter=leaves),
            completion=models.Avg("tasks__percent", filter=leaves),
        )


class Plan(models.Model):
    class Kind(models.TextChoices):
        WORK_POINTS = "work_points", "工作要点"
        DECOMPOSITION = "decomposition", "任务分解方案"
        DIVISION_OF_LABOUR = "division_of_labour", "规划任务分工"
        DUTIES = "duties", "部门职责"
        SUMMARY = "summary", "工作总结"

    Cycle = Cycle

    bureau = models.ForeignKey(Bureau, verbose_name="教育局", on_delete=models.CASCADE, related_name="plans")
    title = models.CharField("标题", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    year_start = models.PositiveSmallIntegerField("起始年度")
    year_end = models.PositiveSmallIntegerField("截止年度")
    document_number = models.CharField("文号", max_length=60, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    source_file = models.FileField("源文件", upload_to="plans/%Y/", blank=True)
    source_sha256 = models.CharField("源文件SHA-256", max_length=64, blank=True, db_index=True)
    reporting_cycle = models.CharField("报送周期", max_length=10, choices=Cycle.choices, default=Cycle.MONTHLY)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    closed_at = models.DateTimeField("年度关闭时间", null=True, blank=True)
    # 考核 weights: points for on-time completion, on-time reporting and attained targets, and the
    # points taken off for each task sent back in review.
    weight_on_time = models.PositiveSmallIntegerField("考核权重：按时办结", default=40)
    weight_reporting = models.PositiveSmallIntegerField("考核权重：按时报送", default=30)
    weight_targets = models.PositiveSmallIntegerField("考核权重：指标达成", default=30)
    penalty_per_return = models.PositiveSmallIntegerField("考核扣分：每次退回", default=5)

    objects = PlanQuerySet.as_manager()

    class Meta:
        db_table = "plans_plan"  # the table it had when plans/ held it
        verbose_name = "工作计划"
        verbose_name_plural = "工作计划"
        ordering = ["-year_end", "bureau_id", "title"]
        indexes = [models.Index(fields=["bureau", "kind", "year_start", "year_end"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(year_end__gte=models.F("year_start")), name="plan_years_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tasks:plan_detail", args=[self.pk])

    @property
    def years_display(self) -> str:
        if self.year_start == self.year_end:
            return f"{self.year_start}年"
        return f"{self.year_start}—{self.year_end}年"


class Section(models.Model):
    plan = models.ForeignKey(Plan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", verbose_name="上级部分", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    number = models.CharField("编号", max_length=20, blank=True, help_text="按原文，如 一、（一）")
    title = models.CharField("标题", max_length=300)
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        db_table = "plans_section"
        verbose_name = "部分"
        verbose_name_plural = "部分"
        ordering = ["plan_id", "order"]

    def __str__(self) -> str:
        return self.heading

    @property
    def heading(self) -> str:
        return heading(self.number, self.title)


class Duty(models.Model):
    """A 部门职责 (main duty) of a bureau, as listed in its duties table."""

    bureau = models.ForeignKey(Bureau, verbose_name="教育局", on_delete=models.CASCADE, related_name="duties")
    plan = models.ForeignKey(
        Plan,
        verbose_name="来源文件",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="duties",
    )
    number = models.PositiveIntegerField("序号")
    text = models.TextField("主要职责")

    class Meta:
        db_table = "bureau_duty"  # the table it had when bureau/ held it
        verbose_name = "部门职责"
        verbose_name_plural = "部门职责"
        ordering = ["bureau_id", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:30]}"


class DutyItem(models.Model):
    """A 具体工作事项 under a duty, with the units that carry it out (备注)."""

    duty = models.ForeignKey(Duty, verbose_name="部门职责", on_delete=models.CASCADE, related_name="items")
    text = models.TextField("具体工作事项")
    units = models.ManyToManyField(Division, verbose_name="承办单位", blank=True, related_name="duty_items")
    tasks = models.ManyToManyField("tasks.Task", verbose_name="服务的重点任务", blank=True, related_name="duty_items")
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        db_table = "bureau_dutyitem"
        verbose_name = "具体工作事项"
        verbose_name_plural = "具体工作事项"
        ordering = ["duty_id", "order"]

    def __str__(self) -> str:
        return self.text[:40]
