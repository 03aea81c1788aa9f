"""Backups: the database and the uploaded files in one dated archive, and back again.

The archive (.tar.gz) holds `manifest.json`, the database (`database.dump` from pg_dump on PostgreSQL,
`database.sqlite3` copied with SQLite's online backup on SQLite) and `media/`. A restore checks the whole
archive before it touches anything."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    """A backup or restore that could not be done; the message is for the user."""


def _counts() -> dict:
    from tasks.models import Attachment, ProgressReport, Task

    return {
        "tasks": Task.objects.count(),
        "reports": ProgressReport.objects.count(),
        "attachments": Attachment.objects.count(),
    }


def _pg_environment() -> tuple[list[str], dict]:
    """pg_dump/pg_restore connection arguments and environment for the configured database."""
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    environment = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return args, environment


def _run(command: list[str], environment: dict) -> None:
    try:
        result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"找不到 {command[0]}，请安装 PostgreSQL 客户端工具。") from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip()[:500]}")


def _dump_database(folder: Path) -> str:
    if connection.vendor == "postgresql":
        args, environment = _pg_environment()
        target = folder / "database.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], environment)
        return target.name
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = folder / "database.sqlite3"
        copy = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot even while the app is writing.
            connection.connection.backup(copy)
        finally:
            copy.close()
        return target.name
    raise BackupError(f"不支持备份 {connection.vendor} 数据库。")


def backup_create(directory: Path) -> Path:
    """Writes duban-YYYYmmdd-HHMMSS.tar.gz into `directory` and returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = directory / f"duban-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        database = _dump_database(folder)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.localtime().isoformat(),  # shown to the user on restore
            "database": connection.vendor,
            "database_file": database,
            "counts": _counts(),
        }
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(time.time())
            tar.addfile(info, io.BytesIO(data))
            tar.add(folder / database, arcname=database)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                tar.add(media, arcname="media")
        partial.rename(archive)  # a finished archive or none: never half of one under the final name
    return archive


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember("manifest.json")
        manifest = json.load(tar.extractfile(member))
    except (KeyError, ValueError, AttributeError) as exc:
        raise BackupError("该文件不是督办系统的备份（缺少 manifest.json）。") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError("备份格式版本不符，无法恢复。")
    return manifest


def backup_restore(path: Path) -> dict:
    """Replaces the database and the media folder with the archive's; returns the archive's manifest."""
    if not path.is_file():
        raise BackupError(f"备份文件不存在：{path}")
    try:
        tar = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by the with-block below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError("备份文件已损坏或不是 .tar.gz 文件。") from exc
    with tar, tempfile.TemporaryDirectory() as scratch:
        manifest = _read_manifest(tar)
        if manifest["database"] != connection.vendor:
            raise BackupError(
                f"该备份来自 {manifest['database']} 数据库，当前使用的是 {connection.vendor}，无法直接恢复。"
            )
        try:
            # The "data" filter refuses absolute paths, links out of the folder and device files.
            tar.extractall(scratch, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"备份文件无法解开：{exc}") from exc
        folder = Path(scratch)
        database = folder / manifest["database_file"]
        if not database.is_file():
            raise BackupError("备份中缺少数据库文件。")
        _restore_database(database)
        _restore_media(folder / "media")
    return manifest


def _restore_database(database: Path) -> None:
    if connection.vendor == "postgresql":
        connection.close()
        args, environment = _pg_environment()
        # One transaction: a failed restore leaves the database as it was.
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args]
        _run([*command, str(database)], environment)
        return
    source = sqlite3.connect(database)
    try:
        # quick_check reports damage as rows of text rather than raising.
        (verdict,) = source.execute("PRAGMA quick_check").fetchone()
        if verdict != "ok":
            raise BackupError(f"备份中的数据库文件已损坏：{verdict}")
        connection.ensure_connection()
        source.backup(connection.connection)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"备份中的数据库文件已损坏：{exc}") from exc
    finally:
        source.close()


def _restore_media(restored: Path) -> None:
    """Swaps the media folder for the archive's; the old one is kept until the new one is in place."""
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    old = media.with_name(f"{media.name}.before-restore")
    if old.exists():
        shutil.rmtree(old)
    if media.exists():
        media.rename(old)
    if restored.is_dir():
        shutil.copytree(restored, media)
    else:
        media.mkdir()
    if old.exists():
        shutil.rmtree(old)
