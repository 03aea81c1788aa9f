"""Office files (.docx/.xlsx are zips) checked before anything parses them: plan files and evidence files.

A zip says how large each member is, and may lie. zipfile's `read()` inflates a member's whole
compressed stream in one call before cutting it to the declared size, so a 1 MB member declaring
1,000 bytes can take a worker to gigabytes. Every member is read here through a bounded stream
instead, and the readers get an archive rebuilt from what was read: what they parse is what was checked.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from .parsed import PlanFileError

MAX_INFLATED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ARCHIVE_MEMBERS = 2000
_CHUNK = 64 * 1024
# OOXML never needs a DTD; one can only be an entity expansion trick.
_ENTITY_MARKS = (b"<!DOCTYPE", b"<!ENTITY")

CORRUPT = "文件已损坏或不完整，无法打开。"


@dataclass
class OfficeArchive:
    names: list[str]
    data: bytes  # the archive rebuilt from its members as read, for the readers

    def __contains__(self, name: str) -> bool:
        return name in self.names


def _read_bounded(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int) -> bytes:
    parts, size = [], 0
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > budget:
                raise PlanFileError("文件解压后体积异常（疑似压缩炸弹），已拒绝。")
            parts.append(chunk)
    return b"".join(parts)


def open_office_archive(data: bytes) -> OfficeArchive:
    """The .docx/.xlsx zip, refused with PlanFileError when corrupt, a zip bomb or carrying XML entities."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise PlanFileError(CORRUPT) from exc
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise PlanFileError("文件内部结构异常（条目过多），已拒绝。")
    declared = sum(member.file_size for member in members)
    if declared > MAX_INFLATED_BYTES or declared > MAX_COMPRESSION_RATIO * max(len(data), 1) + 10_000_000:
        raise PlanFileError("文件解压后体积异常（疑似压缩炸弹），已拒绝。")
    rebuilt = io.BytesIO()
    total = 0
    try:
        with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_STORED) as out:
            for member in members:
                if member.is_dir():
                    continue
                content = _read_bounded(archive, member, min(member.file_size, MAX_INFLATED_BYTES - total))
                total += len(content)
                # The whole part, not its first bytes: a declaration may come after padding.
                if member.filename.endswith((".xml", ".rels")) and any(mark in content for mark in _ENTITY_MARKS):
                    raise PlanFileError("文件包含不允许的 XML 实体声明，已拒绝。")
                out.writestr(member.filename, content)
    except PlanFileError:
        raise
    except Exception as exc:  # BadZipFile, EOFError, zlib errors from truncated members
        raise PlanFileError(CORRUPT) from exc
    return OfficeArchive(names=[m.filename for m in members], data=rebuilt.getvalue())
