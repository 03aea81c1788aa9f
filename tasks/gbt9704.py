"""A python-docx document laid out as GB/T 9704-2012 lays out official documents (党政机关公文格式): A4,
a 156 × 225 mm 版心 of 22 lines of 28 characters, 仿宋 三号 body, page numbers "— 1 —" at the outside edge."""

from __future__ import annotations

import math

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312"}
PAGE_NUMBER_FONT = "宋体"
# A machine without the GB2312 fonts (LibreOffice on Linux, a new Windows) takes the font of the same
# face that it has: Word and LibreOffice read the font table's altName.
ALTERNATIVES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(14)
MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # mm
LINES, CHARACTERS = 22, 28
# 225 mm of 版心 over 22 lines: 28.95 pt a line, exactly (579 twentieths of a point).
LINE_PITCH = Pt(28.95)
TEXT_WIDTH = Mm(210 - MARGINS["left"] - MARGINS["right"])
# Twentieths of a point between characters so that CHARACTERS of BODY_SIZE fit TEXT_WIDTH (−5: −0.25 pt).
CHARACTER_SPACING_TWIPS = math.floor((TEXT_WIDTH.pt / CHARACTERS - BODY_SIZE.pt) * 20)
RED = RGBColor(0xFF, 0x00, 0x00)


def _fonts(element, font: str) -> None:
    """Every script of a run or style in `font`: the east-Asian slot is the one Chinese text is set in."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), font)


def _indent(paragraph_format_element, **attributes: str) -> None:
    ppr = paragraph_format_element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    for name, value in attributes.items():
        ind.set(qn(f"w:{name}"), value)


def _no_indent(paragraph) -> None:
    _indent(paragraph._p, firstLineChars="0", firstLine="0")


def _page(document: Document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
    section.footer_distance = Mm(28 - 7)  # the page number sits 7 mm below the 版心
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))


def _styles(document: Document) -> None:
    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    _fonts(normal.element, BODY_FONT)
    body = normal.paragraph_format
    body.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    body.line_spacing = LINE_PITCH
    body.space_before = body.space_after = Pt(0)
    body.first_line_indent = Pt(BODY_SIZE.pt * 2)
    _indent(normal.element, firstLineChars="200")
    body.widow_control = False
    # 28 characters of 三号 (448 pt) in the 156 mm (442 pt) line: each a quarter point closer. A character
    # grid would say the same to Word, but LibreOffice then gives every character two cells.
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHARACTER_SPACING_TWIPS))
    normal.element.get_or_add_rPr().append(spacing)
    table = document.styles.add_style("表格文字", WD_STYLE_TYPE.PARAGRAPH)
    table.base_style = normal
    table.font.size = TABLE_SIZE
    table.paragraph_format.line_spacing = Pt(20)
    _indent(table.element, firstLineChars="0", firstLine="0")
    # Off the page's line grid: snapped to it, every line of a cell would take a whole 28.95 pt body line.
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    table.element.get_or_add_pPr().append(snap)


def _font_table(document: Document) -> None:
    part = next((p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    names = {font.get(qn("w:name")) for font in root.findall(qn("w:font"))}
    for name, alternative in ALTERNATIVES.items():
        if name in names:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        etree.SubElement(font, qn("w:altName")).set(qn("w:val"), alternative)
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), "modern" if "仿宋" in name else "roman")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_field(paragraph) -> None:
    """ "— N —": an em dash, a space, the PAGE field, a space, an em dash (一字线 each side)."""

    def run(text: str | None = None):
        r = paragraph.add_run(text)
        r.font.size = PAGE_NUMBER_SIZE
        _fonts(r._r, PAGE_NUMBER_FONT)
        return r

    run("— ")
    for kind in ("begin", None, "separate", "1", "end"):
        r = run()
        if kind in ("begin", "separate", "end"):
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._r.append(char)
        elif kind is None:
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = " PAGE "
            r._r.append(instruction)
        else:
            r.text = kind
    run(" —")


def _footers(document: Document) -> None:
    """Odd pages' number at the right, even pages' at the left, each one character in from the edge."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, alignment, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = alignment
        _indent(paragraph._p, firstLineChars="0", firstLine="0", **{f"{side}Chars": "100", side: "280"})
        _page_field(paragraph)


def new_document() -> Document:
    document = Document()
    _page(document)
    _styles(document)
    _font_table(document)
    _footers(document)
    return document


def red_header(document: Document, name: str) -> None:
    """The issuing body's name in red 小标宋, centred (发文机关标志)."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _no_indent(paragraph)
    paragraph.paragraph_format.line_spacing = Pt(60)
    run = paragraph.add_run(name)
    run.font.size = Pt(36)
    run.font.color.rgb = RED
    _fonts(run._r, TITLE_FONT)


def red_rule(document: Document) -> None:
    """The red line under the 发文字号 (版头中的分隔线)."""
    paragraph = document.add_paragraph()
    _no_indent(paragraph)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "12"), ("space", "1"), ("color", "FF0000")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def centred(document: Document, text: str, font: str = BODY_FONT, size: Pt = BODY_SIZE):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _no_indent(paragraph)
    run = paragraph.add_run(text)
    run.font.size = size
    _fonts(run._r, font)
    return paragraph


def title(document: Document, text: str):
    """The title in 小标宋 二号, centred."""
    return centred(document, text, TITLE_FONT, TITLE_SIZE)


def heading(document: Document, text: str, level: int = 1):
    """一、 in 黑体, （一） in 楷体, at the body's size and indent."""
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    _fonts(run._r, HEADING_FONTS[level])
    return paragraph


def body(document: Document, text: str):
    return document.add_paragraph(text)


def blank(document: Document) -> None:
    document.add_paragraph()


def _width(text: str) -> float:
    """Characters of the body's size a line of `text` takes: Arabic figures are half as wide."""
    return sum(0.5 if ord(c) < 128 else 1 for c in text)


def signature(document: Document, name: str, date_text: str) -> None:
    """落款 and 成文日期 at the right: the date four characters in from the edge, the name centred over it."""
    blank(document)
    offset = max(0.0, (_width(date_text) - _width(name)) / 2)
    for text, chars in ((name, 4 + offset), (date_text, 4)):
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        twips = round(chars * BODY_SIZE.pt * 20)
        _indent(paragraph._p, firstLineChars="0", firstLine="0", rightChars=str(round(chars * 100)), right=str(twips))


def table(document: Document, header: list[str], rows: list[list[str]], widths_mm: list[int] | None = None) -> None:
    """A ruled table in 仿宋 四号 across the 版心; `widths_mm` share its 156 mm among the columns."""
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.autofit = False
    for values in [header, *rows]:
        row = grid.rows[0] if values is header else grid.add_row()
        for index, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            cell.text = text
            cell.paragraphs[0].style = document.styles["表格文字"]
            if widths_mm:
                cell.width = Mm(widths_mm[index])
    if widths_mm:
        # The table's own grid too: LibreOffice lays columns out by it and ignores the cells' widths.
        for column, width in zip(grid.columns, widths_mm, strict=True):
            column.width = Mm(width)
