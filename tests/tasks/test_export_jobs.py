"""A task list longer than EXPORT_BACKGROUND_ROWS is exported in the background: the page offers it,
shows its progress, and hands over the same rows the list showed, to the person who asked only."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from tasks import exports
from tasks.models import ExportJob, Status
from tests.helpers import make_plan, make_task


@pytest.fixture
def tasks(personas, settings):
    settings.EXPORT_BACKGROUND_ROWS = 4
    plan = make_plan(personas.bureau)
    done = [make_task(plan, lead=[personas.division], status=Status.BLOCKED) for _ in range(2)]
    open_ = [make_task(plan, lead=[personas.division]) for _ in range(5)]
    return done, open_


def start(client, url, query="", **post):
    offer = client.get(url + (f"?{query}" if query else ""))
    assert offer.status_code == 200 and "将在后台生成" in offer.content.decode()
    form = {"kind": offer.context["kind"], "query": offer.context["query"], **post}
    return client.post(reverse("tasks:export_job_start"), form)


def workbook_rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(min_row=2, values_only=True))


@pytest.mark.django_db
class TestBackgroundExport:
    def test_a_short_list_still_downloads_at_once(self, client, personas, tasks):
        client.force_login(personas.leader)
        response = client.get(reverse("tasks:export"), {"status": Status.BLOCKED})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert len(workbook_rows(response.content)) == 2

    def test_a_long_list_is_built_in_the_background_and_offered_when_ready(
        self, client, personas, tasks, django_capture_on_commit_callbacks
    ):
        client.force_login(personas.leader)
        offer = client.get(reverse("tasks:export"))
        assert "该清单共 <strong>7</strong> 条任务" in offer.content.decode()
        assert not ExportJob.objects.exists()  # looking is not asking
        with django_capture_on_commit_callbacks(execute=True):
            response = start(client, reverse("tasks:export"))
        job = ExportJob.objects.get()
        assert response.status_code == 302 and response.url == reverse("tasks:export_job", args=[job.pk])
        job.refresh_from_db()
        assert (job.state, job.total, job.done, job.user) == ("done", 7, 7, personas.leader)
        page = client.get(response.url).content.decode()
        assert "文件已生成，共 7 行" in page and reverse("tasks:export_job_file", args=[job.pk]) in page
        download = client.get(reverse("tasks:export_job_file", args=[job.pk]))
        assert "filename*=UTF-8''%E4%BB%BB%E5%8A%A1%E6%B8%85%E5%8D%95.xlsx" in download["Content-Disposition"]
        assert len(workbook_rows(b"".join(download.streaming_content))) == 7

    def test_the_file_holds_the_rows_the_filtered_list_showed(
        self, client, personas, tasks, settings, django_capture_on_commit_callbacks
    ):
        settings.EXPORT_BACKGROUND_ROWS = 1
        client.force_login(personas.leader)
        with django_capture_on_commit_callbacks(execute=True):
            start(client, reverse("tasks:export"), query=f"status={Status.BLOCKED}")
        job = ExportJob.objects.get()
        numbers = {row[0] for row in workbook_rows(job.file.read())}
        assert numbers == {t.number for t in tasks[0]}

    def test_my_tasks_export_in_the_background_holds_the_divisions_tasks(
        self, client, personas, tasks, django_capture_on_commit_callbacks
    ):
        make_task(make_plan(personas.bureau), lead=[personas.other_division])  # not 基教处's
        client.force_login(personas.staff)
        with django_capture_on_commit_callbacks(execute=True):
            start(client, reverse("tasks:mine_export"))
        job = ExportJob.objects.get()
        assert job.filename == "我的任务-基教处.xlsx" and job.total == 7

    def test_the_page_reports_progress_while_the_worker_writes(self, client, personas, tasks, monkeypatch):
        seen = []
        monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
        real = exports.task_list_workbook

        def watching(rows, progress=None):
            def report(done):
                progress(done)
                seen.append(ExportJob.objects.get().done)

            return real(rows, progress=report)

        monkeypatch.setattr("tasks.jobs.task_list_workbook", watching)
        client.force_login(personas.leader)
        start(client, reverse("tasks:export"))
        job = ExportJob.objects.get()
        assert job.state == "queued"  # the test's transaction has not committed: no worker has it yet
        partial = client.get(reverse("tasks:export_job", args=[job.pk]), headers={"HX-Request": "true"})
        assert 'hx-trigger="every 1s"' in partial.content.decode() and "排队中" in partial.content.decode()
        from tasks.jobs import build_export

        build_export(job.pk)
        assert seen == [2, 4, 6]
        job.refresh_from_db()
        assert job.state == "done" and job.percent == 100
        finished = client.get(reverse("tasks:export_job", args=[job.pk]), headers={"HX-Request": "true"})
        assert "hx-trigger" not in finished.content.decode()  # it stops asking

    def test_nobody_else_sees_the_job_or_its_file(self, client, personas, tasks, django_capture_on_commit_callbacks):
        client.force_login(personas.leader)
        with django_capture_on_commit_callbacks(execute=True):
            start(client, reverse("tasks:export"))
        job = ExportJob.objects.get()
        client.force_login(personas.admin)
        assert client.get(reverse("tasks:export_job", args=[job.pk])).status_code == 404
        assert client.get(reverse("tasks:export_job_file", args=[job.pk])).status_code == 404

    def test_a_broker_that_is_down_says_so_instead_of_waiting_forever(
        self, client, personas, tasks, monkeypatch, django_capture_on_commit_callbacks
    ):
        from tasks import jobs

        def refuse(*args, **kwargs):
            raise ConnectionRefusedError("redis down")

        monkeypatch.setattr(jobs.build_export, "delay", refuse)
        client.force_login(personas.leader)
        with django_capture_on_commit_callbacks(execute=True):
            response = start(client, reverse("tasks:export"))
        assert "后台任务服务暂不可用" in client.get(response.url).content.decode()

    @pytest.mark.parametrize("form", [{"kind": "everything"}, {"kind": "tasks", "query": "x" * 5000}])
    def test_a_malformed_request_is_refused_without_a_job(self, client, personas, form):
        client.force_login(personas.leader)
        response = client.post(reverse("tasks:export_job_start"), form)
        assert response.status_code == 400 and "请回到列表重新导出" in response.content.decode()
        assert not ExportJob.objects.exists()

    def test_someone_of_no_division_cannot_ask_for_my_tasks(self, client, personas):
        client.force_login(personas.leader)
        response = client.post(reverse("tasks:export_job_start"), {"kind": "mine"})
        assert response.status_code == 403 and not ExportJob.objects.exists()


@pytest.mark.django_db
class TestJobsThatCannotFinish:
    def test_a_failure_says_what_to_do_and_keeps_the_cause_out_of_the_page(self, client, personas, tasks, monkeypatch):
        def broken(rows, progress=None):
            raise OSError("/srv/duban/media/exports: No space left on device")

        monkeypatch.setattr("tasks.jobs.task_list_workbook", broken)
        client.force_login(personas.leader)
        start(client, reverse("tasks:export"))
        job = ExportJob.objects.get()
        from tasks.jobs import build_export

        assert build_export(job.pk) == "failed"
        page = client.get(reverse("tasks:export_job", args=[job.pk])).content.decode()
        assert "导出失败，请稍后重新导出" in page and "/srv/duban" not in page
        assert "hx-trigger" not in page  # it stops asking

    def test_a_job_whose_worker_died_is_failed_by_the_sweep_so_its_page_stops_waiting(
        self, client, personas, tasks, settings
    ):
        from django.utils import timezone

        from tasks.jobs import fail_stale_exports

        settings.EXPORT_STALE_MINUTES = 30
        client.force_login(personas.leader)
        start(client, reverse("tasks:export"))
        job = ExportJob.objects.get()
        ExportJob.objects.filter(pk=job.pk).update(state="running")
        assert fail_stale_exports() == 0  # just started: left alone
        ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=31))
        assert fail_stale_exports() == 1
        assert (
            "导出未能完成（后台任务中断），请重新导出。"
            in client.get(reverse("tasks:export_job", args=[job.pk])).content.decode()
        )
