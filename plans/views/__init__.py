from .browse import plan_detail, plan_list
from .imports import plan_import_preview, plan_import_upload

__all__ = ["plan_detail", "plan_import_preview", "plan_import_upload", "plan_list"]
