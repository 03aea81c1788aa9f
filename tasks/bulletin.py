"""The 督查通报: one period of a plan told as a bureau document."""

from __future__ import annotations

import datetime
import io

from django.db.models import Prefetch
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from .dashboard import PlanActivity, by_division, headline_counts
from .formats import chinese_date, chinese_month
from .models import Assignment, Plan, Task, slowest_report
from .rules import behind_or_overdue_q, period_end, period_start


def _tasks_for_export(queryset):
    return queryset.select_related("section").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("division", "latest_report"))
    )


def _use_fangsong(document: Document) -> None:
    style = document.styles["Normal"]
    style.font.name = "仿宋"
    style.font.size = Pt(16)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")


def _heading(document: Document, text: str, size: int = 16, font: str = "黑体") -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(size)
    run.font.name = font
    run._element.rPr.rFonts.set(qn("w:eastAsia"), font)


def bulletin_document(plan: Plan, month: datetime.date, day: datetime.date) -> bytes:
    """A 督查通报 for one period in the style of a bureau document."""
    period = period_start(month, plan.reporting_cycle)
    # A past period is told as it stood at its end, not as it stands today.
    day = min(day, period_end(period, plan.reporting_cycle))
    leaves = Task.objects.filter(plan=plan).current().leaves()
    activity = PlanActivity.of(plan, day)
    counts = headline_counts(activity.tasks)
    document = Document()
    _use_fangsong(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{plan.bureau.name}\n重点工作督查通报")
    run.bold = True
    run.font.size = Pt(22)
    run.font.name = "方正小标宋简体"
    run._element.rPr.rFonts.set(qn("w:eastAsia"), "方正小标宋简体")
    subtitle = document.add_paragraph(f"（{chinese_month(period)}）")
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_paragraph(f"根据《{plan.title}》，现将截至{chinese_date(day)}重点工作推进情况通报如下。")
    _heading(document, "一、总体情况")
    mean = round(counts["mean_percent"] or 0)
    document.add_paragraph(
        f"纳入督查的重点任务共{counts['total']}项，其中已完成{counts['done']}项，推进中{counts['in_progress']}项，"
        f"滞后或受阻{counts['behind']}项，逾期未完成{counts['overdue']}项，本期未报送{counts['not_reported']}项；"
        f"总体完成率{mean}%。"
    )

    _heading(document, "二、滞后和逾期任务")
    lagging = list(_tasks_for_export(leaves.filter(behind_or_overdue_q(day)).order_by("order")))
    if lagging:
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ["序号", "任务", "牵头单位", "状态", "最新进展"], strict=True):
            cell.text = text
        for task in lagging:
            report = slowest_report(task.assignments.all())
            state = task.get_status_display() + ("（逾期）" if task.deadline and task.deadline < day else "")
            values = [
                task.number,
                task.title,
                "、".join(task.lead_labels),
                state,
                report.progress if report else "未报送",
            ]
            for cell, text in zip(table.add_row().cells, values, strict=True):
                cell.text = text
    else:
        document.add_paragraph("本期无滞后或逾期任务。")

    _heading(document, "三、各单位推进情况")
    # One reading of the plan for the summary, each unit's line and the units named below: the
    # dashboard's own (本期未报送 means a lead's unsettled task without this period's report).
    divisions = by_division(plan, activity)
    for row in divisions:
        document.add_paragraph(
            f"{row['name']}：牵头任务{row['led']}项，已完成{row['done']}项，滞后或受阻{row['behind']}项，"
            f"逾期{row['overdue']}项，本期未报送{row['not_reported']}项。"
        )

    _heading(document, "四、本期未报送单位")
    missing = [row["name"] for row in divisions if row["not_reported"]]
    document.add_paragraph("、".join(missing) + "。请以上单位抓紧报送。" if missing else "各单位均已按时报送。")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
