"""The task tables: django-tables2 gives headers, sorting and pagination; the rows are written by
`tasks/rows.py`, because rendering each cell through the column machinery, or through a row template,
cost most of a page."""

import hashlib

import django_tables2 as tables
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from . import rows
from .models import Assignment, Task
from .page_cache import kept_fragment, kept_rows

# Where a table drawn by its template puts its rows (TaskTable.html() writes them in).
ROWS = "<tbody><!-- rows --></tbody>"


class TaskTable(tables.Table):
    number = tables.Column("序号", order_by=("plan_id", "order"))
    title = tables.Column("任务", order_by=("title",))
    plan = tables.Column("计划", accessor="plan__title", order_by=("plan__title",))
    lead = tables.Column("牵头单位", accessor="lead_labels", orderable=False)
    deadline = tables.Column("完成时限", order_by=("deadline",))
    status = tables.Column("状态", order_by=("status",))
    percent = tables.Column("完成率", order_by=("percent",))
    last_reported_at = tables.Column("最近报送", order_by=("last_reported_at",))
    light = tables.Column("灯", order_by=("light",))

    class Meta:
        model = Task
        fields = ()
        sequence = ("number", "title", "plan", "lead", "deadline", "status", "percent", "last_reported_at", "light")
        # task-cards: on a phone each row becomes a card (static/css/app.css).
        attrs = {"class": "table table-sm table-hover align-middle task-cards"}
        empty_text = "没有符合条件的任务。"
        per_page = 50
        template_name = "tasks/_task_table.html"

    shows_division_view = False

    def tbody_html(self) -> SafeString:
        return mark_safe(ROWS)  # noqa: S308 -- a constant

    def html(self, request: HttpRequest, *, rows_key: str | None = None) -> SafeString:
        """The table of the current page. What its template draws around the rows (headers with their
        sort links, page links: 2 ms of a list) is kept under all it shows, the address and the pages;
        the rows under their tasks' versions and `rows_key` (page_cache.kept_rows)."""
        shown = (
            type(self).__name__,
            getattr(request, "LANGUAGE_CODE", ""),
            request.get_full_path(),
            self.paginator.num_pages,
            self.page.number,
        )
        key = "table:" + hashlib.sha256(repr(shown).encode()).hexdigest()
        frame = kept_fragment(key, lambda: self.as_html(request))
        tasks = [row.record for row in self.paginated_rows]
        written = kept_rows(rows_key, tasks, self.write_rows)
        # Safe: the frame as its template drew it, the rows as rows.task_row escapes them.
        return mark_safe(frame.replace(ROWS, rows.tbody(self, written), 1))  # noqa: S308

    def write_rows(self, tasks: list[Task]) -> list[str]:
        # Their lead units read for these tasks alone, in one query.
        Assignment.objects.fill_lead_labels(tasks)
        return [rows.task_row(task, mine=False) for task in tasks]


class MyTaskTable(TaskTable):
    """The tasks of one division, with that division's own role and latest report."""

    mine_role = tables.Column("角色", order_by=("mine_role",))
    mine_status = tables.Column("本单位状态", order_by=("mine_status",))
    mine_percent = tables.Column("本单位完成率", order_by=("mine_percent",))
    mine_reported_at = tables.Column("最近报送", order_by=("mine_reported_at",))
    report = tables.Column("报送", empty_values=(), orderable=False)

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
            "report",
        )
        exclude = ("lead", "status", "percent", "last_reported_at")

    shows_division_view = True

    def write_rows(self, tasks: list[Task]) -> list[str]:
        return [rows.task_row(task, mine=True) for task in tasks]
