"""Word documents as blocks, with Word's automatic numbering written out as if it were typed.

Word keeps a list's numbers in numbering.xml, not in the text: "加强党建" is shown as "（一）加强党建"
because its paragraph (or its heading style) points at a numbering level whose format is
chineseCounting and whose text is "（%1）". The readers see the number as the reader of the page does.
"""

from __future__ import annotations

import io
import re

from .numbering import CIRCLED, cn_digits
from .parsed import Block, Paragraph, PlanFileError, Table
from .text import clean

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)


def _int(text: str | None, default: int) -> int:
    """A number numbering.xml holds, or `default` where the file holds something else."""
    return int(text) if text and text.isdecimal() and len(text) <= 4 else default


def _roman(value: int) -> str:
    numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for size, letters in numerals:
        while value >= size:
            out, value = out + letters, value - size
    return out


def _format(value: int, fmt: str) -> str:
    if fmt.startswith(("chinese", "ideograph", "taiwanese", "japanese")):
        return cn_digits(value) if value <= 99 else str(value)
    if fmt.startswith("decimalEnclosedCircle"):
        return CIRCLED[value - 1] if 1 <= value <= len(CIRCLED) else str(value)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(value).upper() if fmt == "upperRoman" else _roman(value)
    if fmt == "bullet":
        return "•"
    if fmt == "none":
        return ""
    return str(value)


class _Numbering:
    """Counts list paragraphs as Word does and renders each one's label."""

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId → ilvl → (start, fmt, text)
        self.counters: dict[str, dict[int, int]] = {}
        self.rendered: dict = {}  # a merged cell's paragraphs come back once per row they span
        self.styles: dict[str, tuple[str | None, int | None, int | None]] = {}  # styleId → (numId, ilvl, level)
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        if root is not None:
            abstract = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
            for num in root.findall(qn("w:num")):
                ref = num.find(qn("w:abstractNumId"))
                definition = abstract.get(ref.get(qn("w:val")) if ref is not None else None)
                if definition is None:
                    continue
                levels = {}
                for lvl in definition.findall(qn("w:lvl")):
                    levels[_int(lvl.get(qn("w:ilvl")), 0)] = (
                        _int(self._val(lvl, "w:start"), 1),
                        self._val(lvl, "w:numFmt") or "decimal",
                        self._val(lvl, "w:lvlText") or "",
                    )
                for override in num.findall(qn("w:lvlOverride")):
                    start = self._val(override, "w:startOverride")
                    ilvl = _int(override.get(qn("w:ilvl")), 0)
                    if start and ilvl in levels:
                        levels[ilvl] = (_int(start, 1), *levels[ilvl][1:])
                self.levels[num.get(qn("w:numId"))] = levels
        self._read_styles(document)

    def _val(self, element, tag: str) -> str | None:
        child = element.find(self.qn(tag))
        return child.get(self.qn("w:val")) if child is not None else None

    def _read_styles(self, document) -> None:
        qn = self.qn
        try:
            styles = document.styles.element
        except Exception:  # a document without a styles part
            return
        raw: dict[str, tuple[str | None, str | None, int | None, int | None]] = {}
        for style in styles.findall(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            ppr = style.find(qn("w:pPr"))
            num_id = ilvl = outline = None
            if ppr is not None:
                numpr = ppr.find(qn("w:numPr"))
                if numpr is not None:
                    num_id = self._val(numpr, "w:numId")
                    ilvl = _int(self._val(numpr, "w:ilvl"), 0)
                level = self._val(ppr, "w:outlineLvl")
                # Level 9 is Word's "body text", no heading at all.
                outline = _int(level, 9) + 1 if _int(level, 9) < 9 else None
            name = self._val(style, "w:name") or ""
            heading = _HEADING_STYLE.match(name.strip())
            if heading and outline is None:
                outline = int(heading.group(1))
            raw[style_id] = (self._val(style, "w:basedOn"), num_id, ilvl, outline)

        def resolve(style_id: str | None, depth: int = 0) -> tuple[str | None, int | None, int | None]:
            if style_id not in raw or depth > 10:
                return None, None, None
            based_on, num_id, ilvl, outline = raw[style_id]
            parent = resolve(based_on, depth + 1)
            return num_id or parent[0], ilvl if ilvl is not None else parent[1], outline or parent[2]

        self.styles = {style_id: resolve(style_id) for style_id in raw}

    def render(self, p) -> tuple[str, int | None]:
        """The label Word shows before paragraph element `p`, and its heading level if any."""
        if p not in self.rendered:
            self.rendered[p] = self._render(p)
        return self.rendered[p]

    def _render(self, p) -> tuple[str, int | None]:
        qn = self.qn
        ppr = p.find(qn("w:pPr"))
        style_id = None
        num_id = ilvl = None
        if ppr is not None:
            style = ppr.find(qn("w:pStyle"))
            style_id = style.get(qn("w:val")) if style is not None else None
            numpr = ppr.find(qn("w:numPr"))
            if numpr is not None:
                num_id = self._val(numpr, "w:numId")
                ilvl_text = self._val(numpr, "w:ilvl")
                ilvl = int(ilvl_text) if ilvl_text and ilvl_text.isdecimal() else None
        style_num, style_ilvl, level = self.styles.get(style_id, (None, None, None))
        num_id = num_id or style_num
        ilvl = ilvl if ilvl is not None else (style_ilvl or 0)
        if not num_id or num_id == "0" or num_id not in self.levels:
            return "", level
        levels = self.levels[num_id]
        if ilvl not in levels:
            return "", level
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][0] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        label = levels[ilvl][2]
        for k in range(ilvl + 1):
            start, fmt, _ = levels.get(k, (1, "decimal", ""))
            label = label.replace(f"%{k + 1}", _format(counters.get(k, start), fmt))
        if levels[ilvl][1] == "bullet":
            label = "•"
        return label, level


def docx_blocks(data: bytes) -> list[Block]:
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise PlanFileError("Word 文件已损坏，无法读取。") from exc
    numbering = _Numbering(document)

    def paragraph(element, parent) -> Paragraph:
        label, level = numbering.render(element)
        text = clean(DocxParagraph(element, parent).text)
        return Paragraph(f"{label}{text}" if label and text else text, level=level if text else None)

    blocks: list[Block] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            blocks.append(paragraph(element, document))
        elif element.tag == qn("w:tbl"):
            table = DocxTable(element, document)
            rows = []
            for row in table.rows:
                # python-docx repeats a merged cell on every row and column it spans.
                rows.append(
                    [clean("\n".join(paragraph(p._p, cell).text for p in cell.paragraphs)) for cell in row.cells]
                )
            blocks.append(Table(rows))
    return blocks
