from .assessment import plan_assessment, plan_assessment_xlsx
from .bulletins import bulletin_detail, bulletin_docx, bulletin_new, bulletin_pdf
from .dashboard import dashboard_view
from .detail import comment_create, reminder_division, reminder_task, task_detail, task_edit
from .duties import task_duties
from .export_jobs import export_job_detail, export_job_file, export_job_start
from .exports import plan_bulletin_docx, plan_export_xlsx, task_export_xlsx, task_mine_export_xlsx
from .lists import filter_choices, task_list, task_mine
from .month import month_report
from .notifications import notification_list
from .plans import plan_assign, plan_detail, plan_list
from .reporting import attachment_download, report_create
from .workflow import extension_create, extension_decision, milestone_delete, milestone_list, review_create
from .yearend import plan_close_view

__all__ = [
    "attachment_download",
    "bulletin_detail",
    "bulletin_docx",
    "bulletin_new",
    "bulletin_pdf",
    "comment_create",
    "dashboard_view",
    "export_job_detail",
    "export_job_file",
    "export_job_start",
    "extension_create",
    "extension_decision",
    "filter_choices",
    "milestone_delete",
    "milestone_list",
    "month_report",
    "notification_list",
    "plan_assessment",
    "plan_assessment_xlsx",
    "plan_assign",
    "plan_bulletin_docx",
    "plan_close_view",
    "plan_detail",
    "plan_export_xlsx",
    "plan_list",
    "reminder_division",
    "reminder_task",
    "report_create",
    "review_create",
    "task_detail",
    "task_duties",
    "task_edit",
    "task_export_xlsx",
    "task_list",
    "task_mine",
    "task_mine_export_xlsx",
]
