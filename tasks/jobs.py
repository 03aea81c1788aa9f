"""The plan's background jobs (bureau/celery.py runs them): the daily reminders and large exports."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.http import QueryDict
from django.utils import timezone

from bureau.access import membership_of
from bureau.jobs import BUSY_RETRY

from . import rules
from .exports import task_list_workbook
from .filters import division_rows, filtered_rows
from .models import ExportJob
from .workflow import send_all_reminders

logger = logging.getLogger(__name__)


@shared_task(name="tasks.send_reminders")
def send_reminders() -> dict[str, int]:
    """Each morning (beat): the day's reminders; sending twice the same day sends nothing more."""
    return send_all_reminders(rules.today())


def export_rows(job: ExportJob):
    """The rows the page listed when the export was asked for, rebuilt from the user and the filters."""
    params = QueryDict(job.query)
    if job.kind == ExportJob.Kind.MINE:
        membership = membership_of(job.user)
        if membership is None or membership.division_id is None:
            raise ValueError("申请人已不属于任何处室")
        rows, _ = filtered_rows(job.user, params, division_rows(membership.division), with_role=True)
    else:
        rows, _ = filtered_rows(job.user, params)
    return rows


@shared_task(name="tasks.build_export", bind=True, **BUSY_RETRY)
def build_export(self, job_id: int) -> str:
    """Write one export job's file, telling the page how far it has got."""
    # A retry after the database was busy takes up the job it had already claimed.
    claimable = [ExportJob.State.QUEUED, ExportJob.State.RUNNING] if self.request.retries else [ExportJob.State.QUEUED]
    claimed = ExportJob.objects.filter(pk=job_id, state__in=claimable).update(state=ExportJob.State.RUNNING)
    if not claimed:
        return "skipped"
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    try:
        rows = export_rows(job)
        ExportJob.objects.filter(pk=job_id).update(total=rows.count())
        content = task_list_workbook(rows, progress=lambda done: ExportJob.objects.filter(pk=job_id).update(done=done))
        job.refresh_from_db()
        job.file.save(job.filename, ContentFile(content), save=False)
    except Exception:
        # The person sees that it failed and what to do; the cause (SQL, paths) goes to the log.
        logger.exception("导出任务 %s 失败", job_id)
        _fail(ExportJob.objects.filter(pk=job_id), "导出失败，请稍后重新导出；如仍失败请联系管理员。")
        return "failed"
    job.state, job.done, job.finished_at = ExportJob.State.DONE, job.total, timezone.now()
    job.save(update_fields=["file", "state", "done", "finished_at"])
    return "done"


def _fail(jobs, reason: str) -> int:
    return jobs.update(state=ExportJob.State.FAILED, error=reason, finished_at=timezone.now())


@shared_task(name="tasks.fail_stale_exports")
def fail_stale_exports() -> int:
    """Every ten minutes: a job queued or running far longer than any export takes lost its worker or its
    message; it is failed with a reason, so its page stops waiting and says to export again."""
    cutoff = timezone.now() - datetime.timedelta(minutes=settings.EXPORT_STALE_MINUTES)
    stale = ExportJob.objects.filter(state__in=[ExportJob.State.QUEUED, ExportJob.State.RUNNING], created_at__lt=cutoff)
    return _fail(stale, "导出未能完成（后台任务中断），请重新导出。")


@shared_task(name="tasks.remove_old_exports")
def remove_old_exports() -> int:
    """Nightly: export files older than EXPORT_KEEP_DAYS go, with their jobs."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS)
    old = list(ExportJob.objects.filter(created_at__lt=cutoff))
    for job in old:
        job.file.delete(save=False)
        job.delete()
    return len(old)
