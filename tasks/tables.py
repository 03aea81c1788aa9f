import django_tables2 as tables
from django.utils.html import format_html

from .models import Task
from .rules import Light


class LightColumn(tables.Column):
    def render(self, value):
        return format_html(
            '<span class="light light-{}" title="{}">{}</span>', value, Light.LABELS[value], Light.LABELS[value]
        )


class TaskTable(tables.Table):
    number = tables.Column("序号", order_by=("plan_id", "order"), attrs={"td": {"class": "text-nowrap"}})
    title = tables.Column("任务", linkify=True, order_by=("title",))
    plan = tables.Column("计划", accessor="plan__title", order_by=("plan__title",))
    lead = tables.Column("牵头单位", accessor="lead_labels", orderable=False)
    deadline = tables.Column("完成时限", order_by=("deadline",))
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    percent = tables.Column("完成率", order_by=("percent",), attrs={"td": {"class": "text-end"}})
    last_reported_at = tables.DateTimeColumn(format="Y-m-d", verbose_name="最近报送", order_by=("last_reported_at",))
    light = LightColumn("灯", order_by=("light",))

    class Meta:
        model = Task
        fields = ()
        sequence = ("number", "title", "plan", "lead", "deadline", "status", "percent", "last_reported_at", "light")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "没有符合条件的任务。"
        per_page = 50

    def render_lead(self, value):
        return "、".join(value) or "—"

    def render_deadline(self, value, record):
        return record.deadline_text or value

    def render_percent(self, value):
        return f"{value}%"


class MyTaskTable(TaskTable):
    """The tasks of one division, with that division's own role and latest report."""

    mine_role = tables.Column("角色", order_by=("mine_role",))
    mine_status = tables.Column("本单位状态", order_by=("mine_status",), default="未报送")
    mine_percent = tables.Column("本单位完成率", order_by=("mine_percent",), default="—")
    mine_reported_at = tables.DateTimeColumn(
        format="Y-m-d", verbose_name="最近报送", order_by=("mine_reported_at",), default="—"
    )

    class Meta(TaskTable.Meta):
        sequence = (
            "number",
            "title",
            "plan",
            "mine_role",
            "deadline",
            "mine_status",
            "mine_percent",
            "mine_reported_at",
            "light",
        )
        exclude = ("lead", "status", "percent", "last_reported_at")

    def render_mine_role(self, value):
        return {"lead": "牵头", "responsible": "责任"}.get(value, value)

    def render_mine_status(self, value):
        from .models import Status

        return Status(value).label

    def render_mine_percent(self, value):
        return f"{value}%"
