"""Uploaded plan files waiting between preview and confirm, kept under the media folder with what
reading them found: the file is read once, at upload, never again at preview or confirm."""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .importers import ParsedPlan
from .importers.parsed import plans_dump, plans_load

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_MAX_AGE_SECONDS = 24 * 3600


@dataclass
class PendingImport:
    token: str
    data: bytes
    filename: str
    bureau: str | None
    year: int | None
    sha256: str
    parsed_json: str

    @property
    def parsed(self) -> list[ParsedPlan]:
        """A fresh copy each time: the import service fills in the admin's choices on it."""
        return plans_load(self.parsed_json)


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pending_save(
    *, data: bytes, filename: str, bureau: str | None, year: int | None, sha256: str, parsed: list[ParsedPlan]
) -> str:
    _discard_stale()
    token = secrets.token_urlsafe(24)
    (_folder() / f"{token}.bin").write_bytes(data)
    meta = {"filename": filename, "bureau": bureau, "year": year, "sha256": sha256, "parsed": plans_dump(parsed)}
    (_folder() / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return token


def pending_load(token: str) -> PendingImport | None:
    if not _TOKEN.match(token):
        return None
    try:
        data = (_folder() / f"{token}.bin").read_bytes()
        meta = json.loads((_folder() / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if "parsed" not in meta:  # saved by an earlier version: upload again
        return None
    return PendingImport(
        token=token,
        data=data,
        filename=meta["filename"],
        bureau=meta["bureau"],
        year=meta["year"],
        sha256=meta["sha256"],
        parsed_json=meta["parsed"],
    )


def pending_discard(token: str) -> None:
    if _TOKEN.match(token):
        for suffix in (".bin", ".json"):
            (_folder() / f"{token}{suffix}").unlink(missing_ok=True)


def _discard_stale() -> None:
    cutoff = time.time() - _MAX_AGE_SECONDS
    for path in _folder().glob("*.bin"):
        try:
            stale = path.stat().st_mtime < cutoff
        except FileNotFoundError:  # confirmed or swept meanwhile by another worker or server sharing the folder
            continue
        if stale:
            pending_discard(path.stem)
