from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "重点任务"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
