"""Files built to exhaust a worker: the corpus `bench_uploads` runs and the tests refuse.

Each is small on the wire and huge, slow or deceptive inside, in the forms a real attack used: a
zip that lies about a member's size, a shared-strings table of 190 MB, a sheet of a million rows, a
docx of 100,000 paragraphs, an entity declaration hidden after padding. They are written from
scratch (no openpyxl, no python-docx) so that building them costs little.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"

_DOCX_TYPES = (
    f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_DOCX_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="word/document.xml"/></Relationships>'
)
_XLSX_TYPES = (
    f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_XLSX_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_S}" xmlns:r="{_R}">'
    '<sheets><sheet name="任务分解" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_R}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_R}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def _zip(parts: dict[str, bytes | Iterable[bytes]]) -> bytes:
    """A zip of the parts; a part given as chunks is streamed, so a 190 MB part is never held whole."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            with archive.open(name, "w") as member:
                for chunk in content:
                    member.write(chunk)
    return buffer.getvalue()


def _chunks(head: str, repeated: str, times: int, tail: str, per_chunk: int = 10_000) -> Iterable[bytes]:
    yield head.encode()
    block = (repeated * per_chunk).encode()
    for _ in range(times // per_chunk):
        yield block
    yield (repeated * (times % per_chunk)).encode()
    yield tail.encode()


def docx(body: str | Iterable[bytes]) -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'.encode()
    chunks = [body.encode()] if isinstance(body, str) else body
    document = [head, *chunks, b"</w:body></w:document>"]
    return _zip({"[Content_Types].xml": _DOCX_TYPES.encode(), "_rels/.rels": _DOCX_RELS.encode(),
                 "word/document.xml": document})  # fmt: skip


def _paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def xlsx(sheet: Iterable[bytes], shared_strings: Iterable[bytes] = (), merges: str = "") -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_S}"><sheetData>'.encode()
    tail = f"</sheetData>{merges}</worksheet>".encode()
    strings = [f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_S}">'.encode(), *shared_strings, b"</sst>"]
    return _zip({
        "[Content_Types].xml": _XLSX_TYPES.encode(),
        "_rels/.rels": _XLSX_RELS.encode(),
        "xl/workbook.xml": _WORKBOOK.encode(),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS.encode(),
        "xl/worksheets/sheet1.xml": [head, *sheet, tail],
        "xl/sharedStrings.xml": strings,
    })  # fmt: skip


def _rows(count: int, cells: int = 1) -> Iterable[bytes]:
    for start in range(1, count + 1, 10_000):
        yield "".join(
            f'<row r="{r}">' + "".join(f'<c t="inlineStr"><is><t>任务{r}</t></is></c>' for _ in range(cells)) + "</row>"
            for r in range(start, min(start + 10_000, count + 1))
        ).encode()


# ------------------------------------------------------------------------------------------- corpus


def lying_member_docx(inflated: int = 1024**3, declared: int = 1000) -> bytes:
    """A docx of about 1 MB whose document.xml inflates to a gigabyte while its headers say 1,000 bytes."""
    body = [docx_body_bytes(), *_chunks("", " ", inflated, "", per_chunk=1024 * 1024)]
    data = bytearray(_zip({"[Content_Types].xml": _DOCX_TYPES.encode(), "_rels/.rels": _DOCX_RELS.encode(),
                           "word/document.xml": body}))  # fmt: skip
    # The member's uncompressed size in its local header (offset 22) and its central record (24).
    for signature, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + name_at : start + name_at + 17] == b"word/document.xml":
                struct.pack_into("<I", data, start + offset, declared)
            start += 4
    return bytes(data)


def varied_text(count: int, seed: int = 1) -> str:
    """Chinese text that compresses about as well as real text does (a run of one character would not)."""
    characters = []
    state = seed
    for _ in range(count):
        state = (state * 1103515245 + 12345) % 2**31
        characters.append(chr(0x4E00 + state % 3000))
    return "".join(characters)


def huge_shared_strings_xlsx(total_bytes: int = 190 * 1024 * 1024) -> bytes:
    """A 2-3 MB xlsx whose shared-strings table is 190 MB."""
    strings = [f"<si><t>{varied_text(60, seed)}</t></si>" for seed in range(1, 150)]
    item = "".join(strings)
    return xlsx(_rows(10), _chunks("", item, total_bytes // len(item.encode()), "", per_chunk=20))


def million_rows_xlsx(rows: int = 1_000_000) -> bytes:
    return xlsx(_rows(rows))


def wide_sheet_xlsx(columns: int = 16_384, rows: int = 20) -> bytes:
    return xlsx(_rows(rows, cells=columns))


def whole_sheet_merge_xlsx() -> bytes:
    """Twelve cells, and one merged range over the whole sheet."""
    return xlsx(_rows(12), merges='<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')


def many_paragraphs_docx(paragraphs: int = 100_000) -> bytes:
    return docx(_chunks("", _paragraph("1.推进义务教育优质均衡发展。"), paragraphs, ""))


def huge_table_docx(rows: int = 5_000, cells: int = 40) -> bytes:
    row = "<w:tr>" + f"<w:tc>{_paragraph('基教处')}</w:tc>" * cells + "</w:tr>"
    return docx(_chunks("<w:tbl>", row, rows, "</w:tbl>", per_chunk=100))


def one_long_paragraph_docx(characters: int = 3_000_000) -> bytes:
    """One paragraph of three million characters: within the part cap, far past any plan."""
    text = varied_text(1000)
    return docx(_chunks("<w:p><w:r><w:t>", text, characters // len(text), "</w:t></w:r></w:p>", per_chunk=100))


def entity_after_padding_docx() -> bytes:
    padding = "<!--" + " " * 8192 + "-->"
    body = f'<?xml version="1.0"?>{padding}<!DOCTYPE d [<!ENTITY a "{"x" * 100}">]><w:document xmlns:w="{_W}"/>'
    return _zip({"[Content_Types].xml": _DOCX_TYPES.encode(), "_rels/.rels": _DOCX_RELS.encode(),
                 "word/document.xml": body.encode()})  # fmt: skip


def many_members_docx(members: int = 5_000) -> bytes:
    parts: dict[str, bytes | Iterable[bytes]] = {f"word/media/image{n}.png": b"" for n in range(members)}
    return _zip({"[Content_Types].xml": _DOCX_TYPES.encode(), "_rels/.rels": _DOCX_RELS.encode(),
                 "word/document.xml": docx_body_bytes(), **parts})  # fmt: skip


def docx_body_bytes() -> bytes:
    body = _paragraph("一、总体要求")
    return f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'.encode()


def long_text(lines: int = 320_000) -> bytes:
    """A 19 MB text file (just under the upload limit) of numbered one-line tasks."""
    return ("\n".join(f"{n}.推进第{n}项工作（责任单位：基教处）" for n in range(1, lines + 1))).encode()


def largest_plan_xlsx(rows: int = 5_000) -> bytes:
    """Not hostile: a decomposition table of 5,000 tasks, larger than any real one, that must import."""
    header = ["序号", "重点任务", "牵头单位", "责任单位", "完成时限"]
    lines = [header] + [
        [str(n), f"推进第{n}项重点工作{varied_text(30, n)}", "基教处", "督导处、职成教处", "2026年12月底"]
        for n in range(1, rows + 1)
    ]
    lines.insert(0, ["某某市教育局2026年重点工作任务分解表"])
    sheet = "".join(
        f'<row r="{r}">' + "".join(f'<c t="inlineStr"><is><t>{cell}</t></is></c>' for cell in line) + "</row>"
        for r, line in enumerate(lines, start=1)
    )
    return xlsx([sheet.encode()])


def largest_outline_docx(paragraphs: int = 19_000) -> bytes:
    """Not hostile: a work-points document just under the paragraph limit, which must still import."""
    body = [_paragraph("某某市教育局2026年工作要点")]
    chapter = 0
    while len(body) < paragraphs:
        chapter += 1
        body.append(_paragraph(f"{chapter}、第{chapter}部分重点工作"))
        body += [_paragraph(f"{n}.推进第{chapter}-{n}项工作。（牵头单位：基教处）") for n in range(1, 20)]
    return docx("".join(body[:paragraphs]))


@dataclass(frozen=True)
class Hostile:
    name: str
    description: str
    build: Callable[[], bytes]
    filename: str


CORPUS = [
    Hostile("lying-zip", "docx 的 document.xml 声明 1,000 字节，实际解压 1 GB", lying_member_docx, "计划.docx"),
    Hostile("shared-strings", "xlsx 约 3 MB，共享字符串表 190 MB", huge_shared_strings_xlsx, "分解表.xlsx"),
    Hostile("million-rows", "100 万行的工作表", million_rows_xlsx, "分解表.xlsx"),
    Hostile("wide-sheet", "16,384 列 × 20 行", wide_sheet_xlsx, "分解表.xlsx"),
    Hostile("whole-sheet-merge", "12 个单元格，合并区域覆盖整张工作表", whole_sheet_merge_xlsx, "分解表.xlsx"),
    Hostile("paragraphs", "10 万个段落的 docx", many_paragraphs_docx, "要点.docx"),
    Hostile("huge-table", "5,000 行 × 40 列的表格", huge_table_docx, "分解表.docx"),
    Hostile("long-paragraph", "一个 300 万字的段落", one_long_paragraph_docx, "要点.docx"),
    Hostile("entity", "8 KB 填充之后的 XML 实体声明", entity_after_padding_docx, "要点.docx"),
    Hostile("members", "5,000 个压缩条目", many_members_docx, "要点.docx"),
    Hostile("long-text", "32 万行、19 MB 的文本文件", long_text, "要点.txt"),
    Hostile("largest-outline", "（正常文件）19,000 段的工作要点，应能导入", largest_outline_docx, "要点.docx"),
    Hostile("largest-plan", "（正常文件）5,000 项任务的分解表，应能导入", largest_plan_xlsx, "分解表.xlsx"),
]
