"""Word documents for the corpora's make scripts (round4 to round8): a paragraph of one run and a ruled table, as an
office's template writes them with python-docx. One copy, imported by the scripts (they put this folder on sys.path,
being run as files), beside cid_pdf.py for the PDFs."""

from __future__ import annotations

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph


def para(
    doc: Document,
    text: str,
    *,
    size: float = 14,
    bold: bool = False,
    centre: bool = False,
    right: bool = False,
    style: str | None = None,
) -> Paragraph:
    """A paragraph of one run in `size` points, centred or right-aligned, in `style` (Word's automatic numbering
    comes with a "List Number" style)."""
    p = doc.add_paragraph(style=style) if style else doc.add_paragraph()
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return p


def grid_table(doc: Document, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> Table:
    """A "Table Grid" table: the header row, then one row per tuple."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    return table
