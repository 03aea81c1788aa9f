"""Checks on evidence files: the content must be what the extension says."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from .archives import ArchiveRefused, check_office_archive

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_with(member: str):
    def check(head: bytes, upload: UploadedFile) -> bool:
        if not head.startswith(b"PK"):
            return False
        upload.seek(0)
        try:
            # The importer's own checks: a reader opening the file later must not meet a zip bomb or an
            # entity expansion either.
            return member in check_office_archive(upload.read())
        except ArchiveRefused as exc:
            raise ValidationError(f"“{safe_name(upload.name or '')}”{exc}", code="content") from exc
        finally:
            upload.seek(0)

    return check


_CHECKS = {
    "pdf": lambda head, upload: head.startswith(b"%PDF-"),
    "jpg": lambda head, upload: head.startswith(b"\xff\xd8\xff"),
    "jpeg": lambda head, upload: head.startswith(b"\xff\xd8\xff"),
    "png": lambda head, upload: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "doc": lambda head, upload: head.startswith(_OLE),
    "xls": lambda head, upload: head.startswith(_OLE),
    "docx": _zip_with("word/document.xml"),
    "xlsx": _zip_with("xl/workbook.xml"),
}
ALLOWED = "、".join(sorted({"pdf", "doc", "docx", "xls", "xlsx", "jpg", "png"}))


def safe_name(name: str, default: str = "附件") -> str:
    """The file's own name without folders or control characters, for display and download."""
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[-200:] or default


def validate_attachment(upload: UploadedFile) -> None:
    name = safe_name(upload.name or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in _CHECKS:
        raise ValidationError(f"“{name}”的类型不允许上传，仅限 {ALLOWED}。", code="type")
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(f"“{name}”超过 10 MB。", code="size")
    if upload.size == 0:
        raise ValidationError(f"“{name}”是空文件。", code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not _CHECKS[extension](head, upload):
        raise ValidationError(f"“{name}”的内容与扩展名 .{extension} 不符。", code="content")
