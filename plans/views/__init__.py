from .browse import plan_assign, plan_detail, plan_list
from .imports import plan_import_preview, plan_import_upload
from .yearend import plan_close_view

__all__ = ["plan_assign", "plan_close_view", "plan_detail", "plan_import_preview", "plan_import_upload", "plan_list"]
