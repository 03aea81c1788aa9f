"""`backup` and `restore`: a populated database and its evidence files survive the round trip."""

import io
import json
import re
import tarfile
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bureau.models import Membership
from tasks import backup as backup_module
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


def _backup(tmp_path: Path, stderr: io.StringIO | None = None) -> Path:
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=out, stderr=stderr or io.StringIO())
    archives = list((tmp_path / "backups").glob("duban-*.tar.gz"))
    assert len(archives) == 1
    assert str(archives[0]) in out.getvalue()
    return archives[0]


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


def _rewrite(archive: Path, target: Path, *, drop=(), cut=(), manifest=None) -> Path:
    """A copy of `archive` without the members under `drop`, with the files in `cut` halved (their headers
    saying so, so the tar itself is sound) and with `manifest(dict)` applied to the manifest."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as tar:
        for member in source.getmembers():
            if any(member.name == name or member.name.startswith(f"{name}/") for name in drop):
                continue
            if not member.isfile():
                tar.addfile(member)
                continue
            data = source.extractfile(member).read()
            if member.name == "manifest.json" and manifest:
                changed = json.loads(data)
                manifest(changed)
                data = json.dumps(changed, ensure_ascii=False).encode()
            if member.name in cut:
                data = data[: len(data) // 2]
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    return target


def _change_after_backup(attachment: Attachment) -> Path:
    """Work done after the backup, which a refused restore must leave as it is; returns a new upload."""
    make_task(Task.objects.first().plan)
    upload = Path(attachment.file.path).with_name("after-backup.pdf")
    upload.write_bytes(b"%PDF-1.4 later")
    return upload


def _assert_unchanged(attachment: Attachment, upload: Path) -> None:
    assert (Task.objects.count(), ProgressReport.objects.count(), Attachment.objects.count()) == (4, 6, 1)
    assert Path(attachment.file.path).read_bytes() == b"%PDF-1.4 demo"
    assert upload.read_bytes() == b"%PDF-1.4 later"


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


def test_a_page_kept_before_a_restore_is_drawn_afresh_after_it(tmp_path, client):
    """The archive's versions are older than the page kept since; a write after the restore brings them
    back up, and must not bring back the page."""
    caches["pages"].clear()
    attachment, staff = _populate()
    task = attachment.report.task
    client.force_login(staff)  # before the backup, so that the restored sessions hold this one
    archive = _backup(tmp_path)
    Task.objects.filter(pk=task.pk).update(title="备份之后改的名字")
    url = reverse("tasks:detail", args=[task.pk])
    for _ in range(3):  # the first visit sets the CSRF cookie; the second keeps the page
        assert "备份之后改的名字" in client.get(url).content.decode()

    backup_module.backup_restore(archive)
    Task.objects.filter(pk=task.pk).update(deadline=None)  # as many writes as the archive is behind

    page = client.get(url)
    assert page.status_code == 200 and task.title in page.content.decode()
    assert "备份之后改的名字" not in page.content.decode()
    caches["pages"].clear()


def test_the_archive_holds_a_manifest_the_database_and_the_media(tmp_path):
    _populate()
    with tarfile.open(_backup(tmp_path)) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["counts"] == {"tasks": 3, "reports": 6, "attachments": 1}
    assert manifest["database_file"] in names
    assert any(name.startswith("media/evidence/") for name in names)


def test_the_manifest_lists_every_media_file_with_its_size_and_each_attachments_file(tmp_path):
    attachment, _ = _populate()
    (Path(attachment.file.path).parent / "notes.txt").write_bytes(b"not an attachment")
    manifest = _manifest(_backup(tmp_path))
    notes = str(Path(attachment.file.name).parent / "notes.txt")
    assert manifest["media"] == {attachment.file.name: len(b"%PDF-1.4 demo"), notes: len(b"not an attachment")}
    assert manifest["attachment_files"] == [attachment.file.name]
    assert manifest["missing_files"] == []


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


@pytest.mark.parametrize("keep", [0.5, -10], ids=["half", "all-but-the-last-bytes"])
def test_a_truncated_archive_is_refused_and_nothing_changes(tmp_path, keep):
    attachment, _ = _populate()
    data = _backup(tmp_path).read_bytes()
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(data[: int(len(data) * keep)] if isinstance(keep, float) else data[:keep])
    upload = _change_after_backup(attachment)

    with pytest.raises(CommandError, match="备份文件不完整或已损坏") as caught:
        call_command("restore", str(truncated), "--noinput")

    assert caught.value.returncode == 2
    _assert_unchanged(attachment, upload)


def test_an_archive_without_its_media_folder_is_refused_and_nothing_changes(tmp_path):
    attachment, _ = _populate()
    archive = _rewrite(_backup(tmp_path), tmp_path / "no-media.tar.gz", drop=["media"])
    upload = _change_after_backup(attachment)

    with pytest.raises(CommandError, match="缺少上传文件目录") as caught:
        call_command("restore", str(archive), "--noinput")

    assert caught.value.returncode == 2
    _assert_unchanged(attachment, upload)


@pytest.mark.parametrize(
    ("change", "message"),
    [("drop", "备份中缺少上传文件："), ("cut", "备份中的上传文件大小与清单不符：")],
    ids=["missing", "short"],
)
def test_an_archive_with_a_file_missing_or_short_is_refused_and_names_it(tmp_path, change, message):
    attachment, _ = _populate()
    member = f"media/{attachment.file.name}"
    archive = _rewrite(_backup(tmp_path), tmp_path / "damaged.tar.gz", **{change: [member]})
    upload = _change_after_backup(attachment)

    with pytest.raises(CommandError, match=message) as caught:
        call_command("restore", str(archive), "--noinput")

    assert caught.value.returncode == 2
    assert attachment.file.name in str(caught.value)
    _assert_unchanged(attachment, upload)


def test_an_attachment_whose_file_is_in_neither_the_media_nor_the_manifest_is_refused(tmp_path):
    attachment, _ = _populate()

    def forget_the_file(manifest: dict) -> None:
        del manifest["media"][attachment.file.name]

    archive = _rewrite(
        _backup(tmp_path),
        tmp_path / "forgotten.tar.gz",
        drop=[f"media/{attachment.file.name}"],
        manifest=forget_the_file,
    )
    upload = _change_after_backup(attachment)

    with pytest.raises(CommandError, match="备份中缺少佐证材料的文件") as caught:
        call_command("restore", str(archive), "--noinput")

    assert caught.value.returncode == 2
    assert attachment.file.name in str(caught.value)
    _assert_unchanged(attachment, upload)


def test_a_database_that_disagrees_with_the_manifest_is_refused(tmp_path):
    attachment, _ = _populate()

    def claim_another_report(manifest: dict) -> None:
        manifest["counts"]["reports"] += 1

    archive = _rewrite(_backup(tmp_path), tmp_path / "miscounted.tar.gz", manifest=claim_another_report)
    upload = _change_after_backup(attachment)

    with pytest.raises(
        CommandError, match=re.escape("与 manifest.json 不符（报送：清单 7 条，数据库 6 条）")
    ) as caught:
        call_command("restore", str(archive), "--noinput")

    assert caught.value.returncode == 2
    _assert_unchanged(attachment, upload)


def test_the_manifest_counts_what_the_dump_holds_when_a_report_is_written_meanwhile(tmp_path, monkeypatch):
    attachment, _ = _populate()
    dump = backup_module._dump_database

    def dump_then_report(folder: Path) -> str:
        # A division reports right after the database was copied, while the archive is still being made.
        name = dump(folder)
        make_report(attachment.report.task, attachment.report.division, progress="备份途中写入的报送。")
        return name

    monkeypatch.setattr(backup_module, "_dump_database", dump_then_report)
    archive = _backup(tmp_path)
    assert ProgressReport.objects.count() == 7

    out = io.StringIO()
    call_command("restore", str(archive), "--noinput", stdout=out)

    assert _manifest(archive)["counts"] == {"tasks": 3, "reports": 6, "attachments": 1}
    assert ProgressReport.objects.count() == 6
    assert "报送 6 条" in out.getvalue()


def test_a_file_already_missing_at_backup_is_reported_and_does_not_block_the_restore(tmp_path):
    attachment, _ = _populate()
    Path(attachment.file.path).unlink()
    warnings = io.StringIO()
    archive = _backup(tmp_path, stderr=warnings)
    assert attachment.file.name in warnings.getvalue()
    assert _manifest(archive)["missing_files"] == [attachment.file.name]
    make_task(Task.objects.first().plan)

    errors = io.StringIO()
    call_command("restore", str(archive), "--noinput", stdout=io.StringIO(), stderr=errors)

    assert Task.objects.count() == 3
    assert attachment.file.name in errors.getvalue()


def test_an_archive_of_the_first_format_still_restores(tmp_path):
    attachment, _ = _populate()

    def as_format_1(manifest: dict) -> None:
        manifest["format"] = 1
        for key in ("media", "attachment_files", "missing_files"):
            del manifest[key]

    archive = _rewrite(_backup(tmp_path), tmp_path / "format-1.tar.gz", manifest=as_format_1)
    _change_after_backup(attachment)

    call_command("restore", str(archive), "--noinput", stdout=io.StringIO())

    assert Task.objects.count() == 3
    assert Path(attachment.file.path).read_bytes() == b"%PDF-1.4 demo"
    assert not Path(attachment.file.path).with_name("after-backup.pdf").exists()


def test_report_text_that_looks_like_the_end_of_the_dumps_rows_is_counted_once(tmp_path):
    attachment, _ = _populate()
    # pg_dump writes rows one a line and ends a table with a line "\.": the text escapes both.
    make_report(attachment.report.task, attachment.report.division, progress="第一行\n\\.\n\t第三行\\")
    archive = _backup(tmp_path)
    assert _manifest(archive)["counts"] == {"tasks": 3, "reports": 7, "attachments": 1}
    call_command("restore", str(archive), "--noinput", stdout=io.StringIO())
    assert ProgressReport.objects.filter(progress="第一行\n\\.\n\t第三行\\").count() == 1
