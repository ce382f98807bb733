"""A PDF writer for the corpora's make scripts (round4 to round8): reportlab is not in the venv, so the
PDF is written by hand — a Type0 font on the standard Adobe-GB1 CID font STSong-Light with the UniGB-UCS2-H
encoding (not embedded), text in hex UCS-2 strings, ruled tables drawn with line operators. pdfplumber reads
its text and tables back as it reads a real 公文 PDF. One copy, imported by the scripts (they put this folder on
sys.path, being run as files)."""

from __future__ import annotations

from pathlib import Path

# ---------------------------------------------------------------- PDF (k01)


def _w(ch: str) -> float:
    """Advance of one character in em: ASCII is half width in STSong-Light's W array below."""
    return 0.5 if ord(ch) < 0x80 else 1.0


def _width(text: str, size: float) -> float:
    return sum(_w(c) for c in text) * size


NO_LINE_START = "）、，。；”"


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Break a cell's text into lines that fit the column, as a PDF writer wraps CJK text."""
    lines: list[str] = []
    cur = ""
    for ch in text:
        if cur and ch not in NO_LINE_START and _width(cur + ch, size) > width:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        lines.append(cur)
    return lines or [""]


class Page:
    """The drawing operators of one page."""

    def __init__(self) -> None:
        self.ops: list[str] = []

    def text(self, x: float, y: float, size: float, s: str) -> None:
        hexs = "".join(f"{ord(c):04X}" for c in s)
        self.ops.append(f"BT /F1 {size:g} Tf {x:.2f} {y:.2f} Td <{hexs}> Tj ET")

    def centre(self, y: float, size: float, s: str, left: float = 50, right: float = 545) -> None:
        self.text(left + (right - left - _width(s, size)) / 2, y, size, s)

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.ops.append(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l S")


def ruled_table(
    page: Page, top: float, cols: list[tuple[str, float]], rows: list[tuple[str, ...]], left: float = 40.0
) -> float:
    """A ruled table from `left`: the header row (the columns' names) then the rows, every cell boxed, its text
    wrapped to the column (9.5 pt, 13 pt leading, 3 pt padding); a row of one cell is a heading across the
    table. Returns the y below it."""
    size, lead, pad = 9.5, 13.0, 3.0
    xs = [left]
    for _, w in cols:
        xs.append(xs[-1] + w)
    y = top
    page.line(xs[0], y, xs[-1], y)
    for body in [tuple(h for h, _ in cols), *rows]:
        if len(body) == 1:  # heading row across the table
            h = lead + 2 * pad
            page.text(left + pad, y - pad - size, size, body[0])
            page.line(xs[0], y - h, xs[-1], y - h)
            page.line(xs[0], y, xs[0], y - h)
            page.line(xs[-1], y, xs[-1], y - h)
            y -= h
            continue
        cells = [_wrap(t, w - 2 * pad, size) for t, (_, w) in zip(body, cols, strict=True)]
        h = max(len(c) for c in cells) * lead + 2 * pad
        for x, c in zip(xs, cells, strict=False):  # xs has the right edge too
            for k, ln in enumerate(c):
                page.text(x + pad, y - pad - size - k * lead, size, ln)
        for x in xs:
            page.line(x, y, x, y - h)
        page.line(xs[0], y - h, xs[-1], y - h)
        y -= h
    return y


def prose(page: Page, y: float, text: str, size: float = 11.0, indent: bool = True) -> float:
    """A paragraph at the left margin, wrapped to the text width, its first line indented by two 全角 spaces
    (the notice around a table); the y below it."""
    for ln in _wrap(("　　" if indent else "") + text, 495, size):
        page.text(50, y, size, ln)
        y -= size * 1.7
    return y


def write_pdf(path: Path, pages: list[Page]) -> None:
    """Serialise pages into a PDF 1.4 file with one shared CID font."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    font_desc = add(
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"
    )
    cid_font = add(
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >>"
        + f" /FontDescriptor {font_desc} 0 R /DW 1000 /W [1 95 500] >>".encode()
    )
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H /Encoding /UniGB-UCS2-H"
        + f" /DescendantFonts [{cid_font} 0 R] >>".encode()
    )
    pages_id = len(objs) + 1 + 2 * len(pages)
    page_ids = []
    for page in pages:
        stream = ("0.6 w\n" + "\n".join(page.ops)).encode()
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 595 842]"
                f" /Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>".encode()
            )
        )
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    assert add(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode()) == pages_id
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
