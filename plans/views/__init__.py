from .imports import plan_import_preview, plan_import_upload

__all__ = ["plan_import_preview", "plan_import_upload"]
