"""The 督办通报 as a .docx in 公文 layout (python-docx): `render_docx` (the bytes) and `write_bulletin` (the CLI's
file, written atomically). Reading the bulletin's facts from the store is bot/chat/exports.py's (`read_bulletin`,
`bulletin_docx`): reporting builds from values and never reads the store.

The layout follows GB/T 9704-2012 where a bulletin needs it: A4, 天头 37 mm, 订口 28 mm, a type area of
156 × 225 mm (so 26 mm right and 35 mm bottom); the red head (督办通报 in red 方正小标宋简体, the issue number,
the issuing office and the date above a red rule); the title in 方正小标宋简体 二号 (22 pt); the body in
仿宋_GB2312 三号 (16 pt) at a fixed 28 pt line, first lines indented two characters; 一、 headings in 黑体;
page numbers 「— 1 —」 at the foot; the ranking table as 附件 on a page of its own, its header row
repeated on every page. Chinese font names are set as East Asian fonts (w:eastAsia), which is what Word
uses for Chinese characters; a machine without 方正小标宋 or 仿宋_GB2312 substitutes its own, as it would
for any 公文.
"""

from __future__ import annotations

import io
from copy import deepcopy
from pathlib import Path

from docx import Document as new_document
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from bot.reporting.bulletin import Bulletin
from bot.reporting.output_file import check_target, staged

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)
MASTHEAD_SIZE = Pt(42)
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(12)  # 小四
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LINE = Pt(28)
INDENT = Pt(32)  # two characters of 三号
TEXT_WIDTH = Mm(156)
COLUMN_WIDTHS = (Mm(46), Mm(22), Mm(22), Mm(18), Mm(18), Mm(15), Mm(15))


def _fonts(run_or_style_element: object, name: str) -> None:
    """Latin and East Asian font names alike: Word takes Chinese characters' font from w:eastAsia."""
    r_pr = run_or_style_element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = r_pr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _run(
    paragraph: Paragraph,
    text: str,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    *,
    bold: bool = False,
    color: RGBColor | None = None,
) -> None:
    run = paragraph.add_run(text)
    _fonts(run._element, font)
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color


def _paragraph(
    doc: Document,
    text: str = "",
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    *,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
    bold: bool = False,
    color: RGBColor | None = None,
) -> Paragraph:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.first_line_indent = INDENT if indent else Pt(0)
    if align is not None:
        paragraph.alignment = align
    if text:
        _run(paragraph, text, font, size, bold=bold, color=color)
    return paragraph


def _red_rule(paragraph: Paragraph) -> None:
    """The red line under the red head: the paragraph's bottom border."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "FF0000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.insert_element_before(
        borders,
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:kinsoku",
        "w:wordWrap",
        "w:overflowPunct",
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
        "w:textDirection",
        "w:textAlignment",
        "w:textboxTightWrap",
        "w:outlineLvl",
        "w:divId",
        "w:cnfStyle",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    )


def _page_numbers(doc: Document) -> None:
    """「— 1 —」 centred at the foot of every page (a PAGE field)."""
    footer = doc.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    _run(footer, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _setup(doc: Document, title: str) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    _fonts(normal.element, BODY_FONT)
    normal.font.size = BODY_SIZE
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    doc.core_properties.title = title
    _page_numbers(doc)


def _table(doc: Document, bulletin: Bulletin) -> None:
    """The ranking table. The first body row is laid out through python-docx and the others are copies of
    its XML with their own texts: 300 rows cell by cell cost over a second, copies a few milliseconds."""
    table = doc.add_table(rows=1, cols=len(bulletin.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, COLUMN_WIDTHS, strict=True):
        column.width = width
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeated on every page
    for cell, text, width in zip(header.cells, bulletin.headers, COLUMN_WIDTHS, strict=True):
        _cell(cell, text, HEADING_FONT, width)
    if not bulletin.rows:
        return
    first = table.add_row()
    for cell, text, width in zip(first.cells, bulletin.rows[0], COLUMN_WIDTHS, strict=True):
        _cell(cell, text, BODY_FONT, width)
    template = first._tr
    for values in bulletin.rows[1:]:
        row = deepcopy(template)
        for text_element, text in zip(row.iter(qn("w:t")), values, strict=True):
            text_element.text = text
        table._tbl.append(row)


def _cell(cell: _Cell, text: str, font: str, width: Length) -> None:
    cell.width = width
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(20)
    _run(paragraph, text, font, TABLE_SIZE)


def render_docx(bulletin: Bulletin) -> bytes:
    """The bulletin laid out as a 公文 (see the module docstring), as .docx bytes."""
    doc = new_document()
    _setup(doc, bulletin.title)
    head = _paragraph(doc, bulletin.masthead, TITLE_FONT, MASTHEAD_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    head.paragraph_format.line_spacing = Pt(60)
    _paragraph(doc, bulletin.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    issuer = _paragraph(doc, f"{bulletin.issuer}\t{bulletin.date}")
    issuer.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    _red_rule(issuer)
    _paragraph(doc)
    title = _paragraph(doc, bulletin.title, TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = Pt(36)
    _paragraph(doc)
    _paragraph(doc, bulletin.addressee)
    _paragraph(doc, bulletin.opening, indent=True)
    for section in bulletin.sections:
        _paragraph(doc, section.heading, HEADING_FONT, indent=True)
        for text in section.paragraphs:
            _paragraph(doc, text, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph(doc)
    _paragraph(doc, bulletin.annex_note, indent=True)
    _paragraph(doc)
    _paragraph(doc, bulletin.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, bulletin.date, align=WD_ALIGN_PARAGRAPH.RIGHT)
    annex = _paragraph(doc)
    annex.add_run().add_break(WD_BREAK.PAGE)
    _run(annex, bulletin.annex_label, HEADING_FONT)
    _paragraph(doc, bulletin.annex_title, TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    _table(doc, bulletin)
    note = _paragraph(doc, bulletin.table_note, size=TABLE_SIZE, indent=False)
    note.paragraph_format.line_spacing = Pt(20)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def write_bulletin(bulletin: Bulletin, path: Path) -> Path:
    """The bulletin to `path` (.docx), through a temporary file renamed into place."""
    target = check_target(path, ".docx", "--docx")
    data = render_docx(bulletin)
    with staged(target) as tmp:
        tmp.write_bytes(data)
    return target
