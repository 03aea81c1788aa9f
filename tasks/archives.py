"""Office files (.docx/.xlsx are zips) checked before anything parses them: plan files and evidence files.

A zip says how large each member is, and may lie. zipfile's `read()` inflates a member's whole
compressed stream in one call before cutting it to the declared size, so a 1 MB member declaring
1,000 bytes can take a worker to gigabytes. Every member is read here through a bounded stream
instead: it stops at the declared size, at the part's own cap and at the archive's total. Plan files
are then parsed from an archive rebuilt from what was read (what they parse is what was checked);
evidence files are only checked, and nothing of them is kept in memory.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass


class ArchiveRefused(ValueError):
    """A .docx/.xlsx that must not be opened; the message is shown to the user as is."""


MAX_INFLATED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ARCHIVE_MEMBERS = 2000
_CHUNK = 64 * 1024
# OOXML never needs a DTD; one can only be an entity expansion trick.
_ENTITY_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_XML = (".xml", ".rels")

CORRUPT = "文件已损坏或不完整，无法打开。"
BOMB = "文件解压后体积异常（疑似压缩炸弹），已拒绝。"


@dataclass
class OfficeArchive:
    names: list[str]
    data: bytes  # the archive rebuilt from its members as read, for the readers

    def __contains__(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        """One member as checked (the rebuilt archive is stored, so this is a copy, not an inflation)."""
        with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
            return archive.read(name)


def _members(data: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [member for member in archive.infolist() if not member.is_dir()]
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise ArchiveRefused(CORRUPT) from exc
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise ArchiveRefused("文件内部结构异常（条目过多），已拒绝。")
    declared = sum(member.file_size for member in members)
    if declared > MAX_INFLATED_BYTES or declared > MAX_COMPRESSION_RATIO * max(len(data), 1) + 10_000_000:
        raise ArchiveRefused(BOMB)
    return archive, members


def _chunks(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int, too_large: str) -> Iterator[bytes]:
    """The member's bytes, refused as soon as they pass `budget`; an XML part is refused when it
    declares a DTD anywhere, not only in its first bytes (a declaration may come after padding)."""
    size = 0
    tail = b""  # the end of the previous chunk, so that a mark cut in two is still found
    xml = member.filename.endswith(_XML)
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > budget:
                raise ArchiveRefused(too_large)
            if xml and any(mark in tail + chunk for mark in _ENTITY_MARKS):
                raise ArchiveRefused("文件包含不允许的 XML 实体声明，已拒绝。")
            tail = chunk[-16:]
            yield chunk


def _walk(data: bytes, max_xml_part: int | None, write) -> list[str]:
    archive, members = _members(data)
    total = 0
    try:
        for member in members:
            budget = min(member.file_size, MAX_INFLATED_BYTES - total)
            too_large = BOMB
            if max_xml_part is not None and member.filename.endswith(_XML) and max_xml_part < budget:
                budget = max_xml_part
                too_large = (
                    f"文件内容过多（{member.filename} 超过 {max_xml_part // (1024 * 1024)} MB），请拆分后再导入。"
                )
            total += write(member, _chunks(archive, member, budget, too_large))
    except ArchiveRefused:
        raise
    except Exception as exc:  # BadZipFile, EOFError, zlib errors from truncated members
        raise ArchiveRefused(CORRUPT) from exc
    return [member.filename for member in members]


def check_office_archive(data: bytes) -> list[str]:
    """The member names of a .docx/.xlsx checked as a plan file is, keeping none of its content:
    refused with ArchiveRefused when corrupt, a zip bomb or carrying XML entities."""
    return _walk(data, None, lambda member, chunks: sum(len(chunk) for chunk in chunks))


def open_office_archive(data: bytes, *, max_xml_part: int | None = None) -> OfficeArchive:
    """The .docx/.xlsx zip checked, and rebuilt from what was read; an XML part larger than
    `max_xml_part` is refused as soon as the stream passes it."""
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_STORED) as out:

        def write(member: zipfile.ZipInfo, chunks: Iterator[bytes]) -> int:
            size = 0
            with out.open(member.filename, "w") as target:
                for chunk in chunks:
                    target.write(chunk)
                    size += len(chunk)
            return size

        names = _walk(data, max_xml_part, write)
    return OfficeArchive(names=names, data=rebuilt.getvalue())
