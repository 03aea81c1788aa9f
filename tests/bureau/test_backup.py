"""`backup` and `restore`: a populated database and its evidence files survive the round trip."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bureau.models import Membership
from tasks.models import Attachment, ProgressReport, Task
from tests.helpers import make_bureau, make_division, make_plan, make_report, make_task, make_user

# The commands read the data through another connection (pg_dump), so it must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


def _populate():
    bureau = make_bureau("台州市教育局")
    division = make_division(bureau, "基教处")
    plan = make_plan(bureau)
    tasks = [make_task(plan, lead=[division]) for _ in range(3)]
    for task in tasks:
        for month in (1, 2):
            report = make_report(task, division, progress=f"{month}月推进情况。")
    attachment = Attachment(report=report, original_name="佐证材料.pdf", size=12)
    attachment.file.save("evidence.pdf", ContentFile(b"%PDF-1.4 demo"), save=True)
    staff = make_user("staff", bureau=bureau, role=Membership.Role.STAFF, division=division)
    return attachment, staff


def _backup(tmp_path: Path) -> Path:
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=out)
    archives = list((tmp_path / "backups").glob("duban-*.tar.gz"))
    assert len(archives) == 1
    assert str(archives[0]) in out.getvalue()
    return archives[0]


def test_a_restore_brings_back_every_task_report_and_attachment(tmp_path, client, settings):
    attachment, staff = _populate()
    archive = _backup(tmp_path)
    before = (Task.objects.count(), ProgressReport.objects.count(), Attachment.objects.count())

    # Lose data after the backup: reports deleted by hand, a task added, the evidence file gone.
    Task.objects.filter(pk=attachment.report.task_id).delete()
    make_task(Task.objects.first().plan)
    Path(attachment.file.path).unlink()

    out = io.StringIO()
    call_command("restore", str(archive), "--noinput", stdout=out)

    assert (Task.objects.count(), ProgressReport.objects.count(), Attachment.objects.count()) == before
    assert "任务 3 项，报送 6 条，佐证材料 1 个" in out.getvalue()
    client.force_login(staff)
    response = client.get(reverse("tasks:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 demo"


def test_the_archive_holds_a_manifest_the_database_and_the_media(tmp_path):
    _populate()
    with tarfile.open(_backup(tmp_path)) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["counts"] == {"tasks": 3, "reports": 6, "attachments": 1}
    assert manifest["database_file"] in names
    assert any(name.startswith("media/evidence/") for name in names)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "已损坏"),
        (b"not a tar file at all", "已损坏"),
    ],
)
def test_a_broken_file_is_refused_and_nothing_changes(tmp_path, content, message):
    _populate()
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(content)
    with pytest.raises(CommandError, match=message) as caught:
        call_command("restore", str(broken), "--noinput")
    assert caught.value.returncode == 2
    assert Task.objects.count() == 3


def _add_file(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def test_an_archive_without_manifest_is_refused(tmp_path):
    _populate()
    stranger = tmp_path / "other.tar.gz"
    with tarfile.open(stranger, "w:gz") as tar:
        _add_file(tar, "readme.txt", b"hello")
    with pytest.raises(CommandError, match="不是督办系统的备份"):
        call_command("restore", str(stranger), "--noinput")
    assert Task.objects.count() == 3


def test_an_archive_with_a_path_outside_the_folder_is_refused(tmp_path):
    _populate()
    archive = _backup(tmp_path)
    hostile = tmp_path / "hostile.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(hostile, "w:gz") as tar:
        for member in source.getmembers():
            tar.addfile(member, source.extractfile(member) if member.isfile() else None)
        _add_file(tar, "../../escaped.txt", b"owned")
    with pytest.raises(CommandError, match="无法解开"):
        call_command("restore", str(hostile), "--noinput")
    assert not (tmp_path.parent / "escaped.txt").exists()
    assert Task.objects.count() == 3


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="备份文件不存在") as caught:
        call_command("restore", str(tmp_path / "nowhere.tar.gz"), "--noinput")
    assert caught.value.returncode == 2
