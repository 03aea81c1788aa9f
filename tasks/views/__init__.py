from .detail import comment_create, reminder_division, reminder_task, task_detail, task_edit
from .lists import task_list, task_mine
from .notifications import notification_list
from .reporting import attachment_download, report_create

__all__ = [
    "attachment_download",
    "comment_create",
    "notification_list",
    "reminder_division",
    "reminder_task",
    "report_create",
    "task_detail",
    "task_edit",
    "task_list",
    "task_mine",
]
