"""Paths to the five seed documents in each format the tests read."""

from pathlib import Path

from django.conf import settings

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DATA = Path(__file__).resolve().parent.parent / "data"

WENZHOU_DUTIES = {"docx": FIXTURES / "wenzhou-2017-duties.docx", "txt": DATA / "000_a7f500477c2b1b48.txt"}
WENZHOU_SUMMARY_POINTS = {
    "docx": FIXTURES / "wenzhou-2023-summary-2024-points.docx",
    "txt": DATA / "001_11adf00d3517a4f1.txt",
}
TAIZHOU = {
    "docx": FIXTURES / "taizhou-2019-decomposition.docx",
    "xlsx": DATA / "taizhou-2019-decomposition.xlsx",
    "txt": DATA / "002_ec4d1cc7d7b55adb.txt",
}
QUZHOU = {"docx": FIXTURES / "quzhou-13th-fyp-division.docx", "txt": DATA / "003_9c0b59a4e091304e.txt"}
LONGWAN = {"docx": FIXTURES / "longwan-2020-points.docx", "txt": DATA / "004_3cab3401ab518f55.txt"}


def read(path: Path) -> bytes:
    return path.read_bytes()
