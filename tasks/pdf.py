"""A docx as PDF through LibreOffice, headless, when the machine has it (Debian's libreoffice-writer)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 60  # seconds: a first start of LibreOffice takes a few


class ConversionFailed(Exception):
    pass


def available() -> bool:
    return shutil.which("soffice") is not None


def docx_to_pdf(content: bytes) -> bytes:
    """The PDF of a docx; ConversionFailed with the reason in Chinese when LibreOffice is missing, hangs or fails."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise ConversionFailed("服务器未安装 LibreOffice，无法生成 PDF，请下载 docx。")
    with tempfile.TemporaryDirectory(prefix="bulletin-") as directory:
        folder = Path(directory)
        source = folder / "bulletin.docx"
        source.write_bytes(content)
        # A profile of its own: two conversions at once, or a desktop LibreOffice, would share a lock.
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)  # noqa: S603
        except subprocess.TimeoutExpired as error:
            raise ConversionFailed(f"生成 PDF 超时（{TIMEOUT} 秒），请稍后重试或下载 docx。") from error
        except OSError as error:
            raise ConversionFailed("无法启动 LibreOffice，请下载 docx。") from error
        result = folder / "bulletin.pdf"
        if not result.exists():
            raise ConversionFailed("LibreOffice 未能生成 PDF，请下载 docx。")
        return result.read_bytes()
