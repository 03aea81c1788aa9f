"""Backups: the database and the uploaded files in one dated archive, and back again.

The archive (.tar.gz) holds `manifest.json`, the database (`database.dump` from pg_dump on PostgreSQL,
`database.sqlite3` copied with SQLite's online backup on SQLite) and `media/`. The manifest's counts and
attachment names are read from the database file in the archive, so they describe exactly what a restore
brings back; it also lists every media file with its size. A restore unpacks and checks the whole archive
against the manifest before it touches anything."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from bureau import changes

from .models import Attachment, ProgressReport, Task

FORMAT = 2
# Format 1 archives lack the media list and their counts were taken from the live database; they are
# restored with the checks that need neither.
READABLE_FORMATS = {1, 2}
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
LABELS = {"tasks": ("任务", "项"), "reports": ("报送", "条"), "attachments": ("佐证材料", "个")}
SHOWN = 5  # how many file names a message lists before "等"


class BackupError(Exception):
    """A backup or restore that could not be done; the message is for the user."""


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict


@dataclass(frozen=True)
class DatabaseContents:
    """What a database file holds, as the manifest records it."""

    counts: dict[str, int]
    attachment_files: list[str]


def _models() -> dict:
    return {"tasks": Task, "reports": ProgressReport, "attachments": Attachment}


def _file_column() -> str:
    return _models()["attachments"]._meta.get_field("file").column


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
        target = folder / DATABASE_FILES["postgresql"]
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], environment)
        return target.name
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = folder / DATABASE_FILES["sqlite"]
        copy = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot even while the app is writing.
            connection.connection.backup(copy)
        finally:
            copy.close()
        return target.name
    raise BackupError(f"不支持备份 {connection.vendor} 数据库。")


def _database_contents(database: Path, vendor: str) -> DatabaseContents:
    """Counts and attachment names read from a dump or a copied database file, not the live database."""
    if vendor == "postgresql":
        return _pg_contents(database)
    return _sqlite_contents(database)


def _sqlite_contents(database: Path) -> DatabaseContents:
    source = sqlite3.connect(database)
    try:
        # quick_check reports damage as rows of text rather than raising.
        (verdict,) = source.execute("PRAGMA quick_check").fetchone()
        if verdict != "ok":
            raise BackupError(f"备份中的数据库文件已损坏：{verdict}")
        counts = {
            key: source.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"').fetchone()[0]  # noqa: S608
            for key, model in _models().items()
        }
        table = _models()["attachments"]._meta.db_table
        rows = source.execute(f'SELECT "{_file_column()}" FROM "{table}"').fetchall()  # noqa: S608
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"备份中的数据库文件已损坏：{exc}") from exc
    finally:
        source.close()
    return DatabaseContents(counts=counts, attachment_files=[name for (name,) in rows if name])


_COPY = re.compile(r"^COPY (?:\S+\.)?(?P<table>\S+) \((?P<columns>.*)\) FROM stdin;$")
_COPY_ESCAPE = re.compile(r"\\(.)")
_COPY_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _copy_value(field: str) -> str | None:
    """One field of COPY's text format (pg_dump writes only single-character escapes)."""
    if field == r"\N":
        return None
    return _COPY_ESCAPE.sub(lambda match: _COPY_ESCAPES.get(match[1], match[1]), field)


def _pg_contents(dump: Path) -> DatabaseContents:
    """Reads the three tables' rows out of a pg_dump archive: pg_restore prints them as COPY data."""
    tables = {model._meta.db_table: key for key, model in _models().items()}
    _, environment = _pg_environment()
    # No --dbname: pg_restore writes the script to stdout instead of restoring anything.
    command = ["pg_restore", "--data-only", "--file=-", *(f"--table={name}" for name in tables), str(dump)]
    counts: dict[str, int] = {}
    files: list[str] = []
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=errors)  # noqa: S603
        except FileNotFoundError as exc:
            raise BackupError("找不到 pg_restore，请安装 PostgreSQL 客户端工具。") from exc
        with process:
            key, file_index = None, None
            for raw in process.stdout:
                line = raw.decode("utf-8", errors="replace").removesuffix("\n")
                if key is None:
                    match = _COPY.match(line)
                    if match and match["table"].strip('"') in tables:
                        key = tables[match["table"].strip('"')]
                        columns = [column.strip().strip('"') for column in match["columns"].split(",")]
                        if key == "attachments" and _file_column() not in columns:
                            raise BackupError("备份中的数据库与本系统的数据表结构不符。")
                        file_index = columns.index(_file_column()) if key == "attachments" else None
                        counts[key] = 0
                elif line == "\\.":
                    key = None
                else:
                    counts[key] += 1
                    if file_index is not None:
                        name = _copy_value(line.split("\t")[file_index])
                        if name:
                            files.append(name)
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", errors="replace").strip()[:500]
            raise BackupError(f"备份中的数据库文件无法读取：{message}")
    missing = [name for name, key in tables.items() if key not in counts]
    if missing:
        raise BackupError(f"备份中的数据库缺少数据表 {'、'.join(missing)}，不是本系统的备份。")
    return DatabaseContents(counts=counts, attachment_files=files)


def _media_members() -> list[tuple[Path, tarfile.TarInfo]]:
    """Every regular file under MEDIA_ROOT with the header it goes into the archive with."""
    media = Path(settings.MEDIA_ROOT)
    if not media.is_dir():
        return []
    members = []
    for path in sorted(media.rglob("*")):
        if path.is_file() and not path.is_symlink():
            info = tarfile.TarInfo(f"media/{path.relative_to(media).as_posix()}")
            stat = path.stat()
            info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o644
            members.append((path, info))
    return members


def _folder(name: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, int(time.time())
    return info


def _first_few(names: list[str]) -> str:
    shown = "、".join(names[:SHOWN])
    return f"{shown} 等 {len(names)} 个文件" if len(names) > SHOWN else shown


def backup_create(directory: Path) -> Backup:
    """Writes duban-YYYYmmdd-HHMMSS.tar.gz into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = directory / f"duban-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        database = _dump_database(folder)
        contents = _database_contents(folder / database, connection.vendor)
        # Listed after the dump: a report's file is saved before its row, so every attachment in the dump
        # already has its file here.
        media = _media_members()
        sizes = {info.name.removeprefix("media/"): info.size for _, info in media}
        manifest = {
            "format": FORMAT,
            "created_at": timezone.localtime().isoformat(),  # shown to the user on restore
            "database": connection.vendor,
            "database_file": database,
            "counts": contents.counts,
            "attachment_files": sorted(contents.attachment_files),
            # Attachments whose file was already gone: a restore cannot bring them back either.
            "missing_files": sorted(set(contents.attachment_files) - set(sizes)),
            "media": sizes,
        }
        partial = archive.with_suffix(".partial")
        try:
            with tarfile.open(partial, "w:gz") as tar:
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mtime = len(data), int(time.time())
                tar.addfile(info, io.BytesIO(data))
                tar.add(folder / database, arcname=database)
                tar.addfile(_folder("media"))
                for path, info in media:
                    with path.open("rb") as file:
                        # Exactly the listed size is copied; a file cut short meanwhile fails the backup.
                        tar.addfile(info, file)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise BackupError(f"写备份文件失败：{exc}") from exc
        partial.rename(archive)  # a finished archive or none: never half of one under the final name
    return Backup(path=archive, manifest=manifest)


def _extract(path: Path, folder: Path) -> None:
    """Unpacks the whole archive and reads the gzip stream to its end, so that its checksum is verified."""
    cut_short = "备份文件不完整或已损坏：文件在中途截断（可能没有复制完整），未做任何改动。"
    damaged = "备份文件不完整或已损坏：数据校验失败，未做任何改动。"
    with gzip.open(path) as stream:
        try:
            tar = tarfile.open(fileobj=stream, mode="r:")  # noqa: SIM115 - closed by the with-block below
        except EOFError as exc:
            raise BackupError(cut_short) from exc
        except (tarfile.TarError, OSError, zlib.error) as exc:
            raise BackupError("备份文件已损坏或不是 .tar.gz 文件。") from exc
        try:
            with tar:
                # The "data" filter refuses absolute paths, links out of the folder and device files.
                tar.extractall(folder, filter="data")
            # tarfile stops at the end-of-archive marker; the rest of the stream carries the checksum.
            while stream.read(1 << 20):
                pass
        except tarfile.FilterError as exc:
            raise BackupError(f"备份文件无法解开：{exc}") from exc
        except EOFError as exc:
            raise BackupError(cut_short) from exc
        except tarfile.ReadError as exc:
            raise BackupError(cut_short if "unexpected end" in str(exc) else damaged) from exc
        except (tarfile.TarError, gzip.BadGzipFile, zlib.error) as exc:
            raise BackupError(damaged) from exc
        except OSError as exc:
            raise BackupError(f"备份文件无法解开：{exc}") from exc


def _read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        manifest_format = manifest.get("format")
    except (OSError, ValueError, AttributeError) as exc:
        raise BackupError("该文件不是督办系统的备份（缺少 manifest.json）。") from exc
    if manifest_format not in READABLE_FORMATS:
        raise BackupError("备份格式版本不符，无法恢复。")
    required = {"database", "database_file", "counts"} | ({"media"} if manifest_format >= 2 else set())
    if not required <= manifest.keys():
        raise BackupError(f"备份的 manifest.json 不完整，缺少 {'、'.join(sorted(required - manifest.keys()))}。")
    return manifest


def _check(folder: Path, manifest: dict) -> None:
    """Refuses an archive whose database or media differ from its manifest, or that would lose a file."""
    database = folder / manifest["database_file"]
    if manifest["database_file"] != DATABASE_FILES.get(manifest["database"]) or not database.is_file():
        raise BackupError("备份中缺少数据库文件。")
    contents = _database_contents(database, manifest["database"])
    media = folder / "media"
    if manifest["format"] >= 2:
        differences = [
            f"{label}：清单 {manifest['counts'].get(key)} {unit}，数据库 {contents.counts[key]} {unit}"
            for key, (label, unit) in LABELS.items()
            if manifest["counts"].get(key) != contents.counts[key]
        ]
        if differences:
            raise BackupError(f"备份中的数据库与 manifest.json 不符（{'；'.join(differences)}），未做任何改动。")
        if not media.is_dir():
            raise BackupError("备份中缺少上传文件目录 media/，无法恢复，未做任何改动。")
        missing, short = [], []
        for name, size in manifest["media"].items():
            file = media / name
            if not file.is_file():
                missing.append(name)
            elif file.stat().st_size != size:
                short.append(name)
        if missing:
            raise BackupError(f"备份中缺少上传文件：{_first_few(missing)}，无法恢复，未做任何改动。")
        if short:
            raise BackupError(f"备份中的上传文件大小与清单不符：{_first_few(short)}，无法恢复，未做任何改动。")
    known = set(manifest.get("missing_files", []))
    lost = [name for name in contents.attachment_files if name not in known and not (media / name).is_file()]
    if lost:
        raise BackupError(f"备份中缺少佐证材料的文件：{_first_few(lost)}，无法恢复，未做任何改动。")


def backup_restore(path: Path) -> dict:
    """Replaces the database and the media folder with the archive's; returns the archive's manifest."""
    if not path.is_file():
        raise BackupError(f"备份文件不存在：{path}")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        _extract(path, folder)
        manifest = _read_manifest(folder)
        if manifest["database"] != connection.vendor:
            raise BackupError(
                f"该备份来自 {manifest['database']} 数据库，当前使用的是 {connection.vendor}，无法直接恢复。"
            )
        _check(folder, manifest)
        staged = _stage_media(folder / "media")
        versions_before = changes.total(connection)
        try:
            _restore_database(folder / manifest["database_file"])
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        # The archive's versions are older than the pages kept since it was made: move past them all.
        changes.advance(connection, above=versions_before)
        _swap_media(staged)
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
        connection.ensure_connection()
        source.backup(connection.connection)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"备份中的数据库文件已损坏：{exc}") from exc
    finally:
        source.close()


def _stage_media(restored: Path) -> Path:
    """Copies the archive's media beside MEDIA_ROOT, so that the swap after the database is two renames."""
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    staged = media.with_name(f"{media.name}.restoring")
    if staged.exists():
        shutil.rmtree(staged)
    try:
        if restored.is_dir():
            shutil.copytree(restored, staged)
        else:
            staged.mkdir()
    except OSError as exc:
        shutil.rmtree(staged, ignore_errors=True)
        raise BackupError(f"无法复制备份中的上传文件：{exc}，未做任何改动。") from exc
    return staged


def _swap_media(staged: Path) -> None:
    """Puts the staged folder in place of the media folder; the old one is kept until the new one is in."""
    media = Path(settings.MEDIA_ROOT)
    old = media.with_name(f"{media.name}.before-restore")
    if old.exists():
        shutil.rmtree(old)
    if media.exists():
        media.rename(old)
    staged.rename(media)
    if old.exists():
        shutil.rmtree(old)
