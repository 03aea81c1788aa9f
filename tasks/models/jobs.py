"""Work done in the background for one person: a task-list export too large to build in a request."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ExportJob(models.Model):
    class Kind(models.TextChoices):
        TASKS = "tasks", "任务清单"
        MINE = "mine", "我的任务"

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.CASCADE, related_name="export_jobs"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    # The list's filters as the page's address had them: the job rebuilds the same rows with them.
    query = models.TextField("筛选条件", blank=True)
    filename = models.CharField("文件名", max_length=200)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已完成行数", default=0)
    file = models.FileField("文件", upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField("错误", blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_state_display()}）"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
