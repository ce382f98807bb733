"""Input formats → plain text, one paragraph a line: .txt (UTF-8 or GB18030/GBK), .html, .docx, .xlsx, .pdf.

I/O lives here and nowhere else in the extractor. Everything that makes a file unusable is an
`InputError` with one clear line: too big, empty, binary, an image, an old .doc, an encrypted PDF or a
PDF without a text layer (a scan). A web page's <dt> label and its <dd> are one line "label：value" (a task
card's fields, read as a form by `tables`); a small table nested in a Word cell (牵头 | X / 配合 | Y) is that
cell's labelled fields "牵头:X;配合:Y". The format is told by the file's first bytes, not its name, because
documents arrive renamed (.doc that are .docx, .txt that are HTML pages saved from a browser).
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from bot.core.errors import InputError, Problem
from bot.core.files import read_bounded
from bot.core.numerals import to_cn
from bot.extract.chapters import between_count, chapter_rows
from bot.extract.css import DISPLAY, DISPLAY_TAG, PageStyle, grid_tracks, list_label, page_style
from bot.extract.soft_breaks import soft_lines
from bot.extract.tables import (
    PARAGRAPH,
    RUNNING_HEAD,
    TABLE_MARK,
    columns_of,
    field_table,
    heading_row,
    matrix_rows,
    table_lines,
    table_section,
)
from bot.extract.unruled import unruled_table

MAX_BYTES = 50 * 1024 * 1024
MAX_CHARS = 20_000_000
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "section",
    "article",
    "ul",
    "ol",
    "dd",
    "dt",
    "blockquote",
    "pre",
    "center",
    "title",
    "hr",
}
_SKIP_TAGS = {"script", "style", "noscript", "head", "select", "button", "iframe", "svg", "template"}


@dataclass(frozen=True)
class SourceText:
    name: str  # the file name, written as the document's `source:`
    kind: str  # txt | html | docx | xlsx | pdf
    text: str
    encoding: str | None = None


def fail(name: str, message: str) -> InputError:
    return InputError([Problem(name, None, None, message)])


def read_document(path: Path, max_bytes: int = MAX_BYTES) -> SourceText:
    """Read any supported input; the one place that touches the file system."""
    name = str(path)
    raw = read_bounded(
        path,
        max_bytes,
        expected="a document (.txt, .html, .docx, .xlsx or .pdf)",
        too_big="for a document: is this really one policy document?",
    )
    return parse_bytes(raw, name, suffix=path.suffix.lower())


def parse_bytes(raw: bytes, name: str, suffix: str = "") -> SourceText:
    """Bytes → text by sniffing the format (pure apart from the PDF and .docx libraries)."""
    short = Path(name).name
    if not raw.strip():
        raise fail(name, "file is empty: expected a policy document")
    head = raw[:16]
    if head.startswith(b"%PDF"):
        return SourceText(short, "pdf", _limit(pdf_to_text(raw, name), name))
    if head.startswith(b"PK\x03\x04"):
        _check_zip(raw, name)
        if _zip_has(raw, "xl/workbook.xml"):
            return SourceText(short, "xlsx", _limit(xlsx_to_text(raw, name), name))
        return SourceText(short, "docx", _limit(docx_to_text(raw, name), name))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise fail(name, "an old Word .doc (or .xls) file: save it as .docx first")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        raise fail(name, "an image, not a text document: it needs OCR first")
    text, encoding = decode_text(raw, name)
    stripped = text.lstrip()[:2000].lower()
    if suffix in (".html", ".htm") or stripped.startswith(("<!doctype html", "<html")) or "<body" in stripped:
        return SourceText(short, "html", _limit(html_to_text(text), name), encoding)
    return SourceText(short, "txt", _limit(text, name), encoding)  # line endings: assemble.extract_document


def _limit(text: str, name: str) -> str:
    if len(text) > MAX_CHARS:
        raise fail(name, f"{len(text):,} characters of text, over the {MAX_CHARS:,} limit for one document")
    if not text.strip():
        raise fail(name, "no text in the document")
    return text


def decode_text(raw: bytes, name: str) -> tuple[str, str]:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK and GB2312); binary data is refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    if b"\x00" in raw[:65536]:
        raise fail(name, "binary data (NUL bytes): not a text document, .docx, .pdf or .html")
    charset = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", raw[:4096], re.IGNORECASE)
    order = ["utf-8-sig", "gb18030"]
    if charset and charset.group(1).lower() in (b"gbk", b"gb2312", b"gb18030"):
        order = ["gb18030", "utf-8-sig"]
    for encoding in order:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for c in text[:65536] if ord(c) < 32 and c not in "\n\r\t\f")
        if controls > max(3, len(text[:65536]) // 200):
            break
        return text, "gb18030" if encoding == "gb18030" else "utf-8"
    raise fail(name, "binary data or an unknown encoding: expected UTF-8 or GB18030/GBK text")


Cell = tuple[str, int, int]  # text, rowspan, colspan


class _HtmlText(HTMLParser):
    """Visible text with block elements as line breaks; tables become rows of cells (`span_grid`)."""

    def __init__(self, style: PageStyle | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.style = style or PageStyle()  # per CSS class: the table tag it is displayed as (L10), grid, list style
        self.grids: dict[int, int] = {}  # depth of a table drawn as a CSS grid → its number of columns (T3)
        self.lists: list[list[str]] = []  # per open <ol>/<ul>: [list style, items so far] (T1)
        self.number = ""  # the number the list style shows before the open <li>'s first line
        self.divs: list[str] = []  # per open <div>: the tag it stands for
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip = 0
        self.tables: list[list[list[Cell]]] = []
        self.cell: list[str] | None = None
        self.frames: set[int] = set()  # depths of tables holding a table in a cell: layout frames (K7)
        self.outer: list[bool] = []  # per nested table: was it opened inside a cell of its frame
        self.spans = (1, 1)
        self.last: tuple[int, list[list[str]], int, bool] | None = None  # last table: start, grid, end, alone
        self.label = ""  # a <dt>'s text, written before its <dd> as "label：value" (a task card's field, Q14)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div":
            tag = self._div_tag(attrs)
        if tag in ("ol", "ul", "li") and self.cell is None and not self.skip:
            self._list_tag(tag, attrs)
        if tag in _SKIP_TAGS:
            self._srcdoc(attrs)
            self.skip += 1
        elif tag in ("table", "grid"):
            self._start_table(tag, attrs)
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = []
            found = dict(attrs)
            self.spans = (_span(found.get("rowspan")), _span(found.get("colspan")))
        elif tag in ("br", "p", "div", "li") and self.cell is not None:
            self.cell.append(PARAGRAPH)  # an author's break inside a cell (K3): one unit a line in a units cell
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag == "dt":
                self._flush_label()

    def _srcdoc(self, attrs: list[tuple[str, str | None]]) -> None:
        """An attachment previewed in an <iframe srcdoc> (its page escaped into the attribute): that page's
        lines stand here, as if it were part of this one (V3)."""
        if not self.skip and (srcdoc := dict(attrs).get("srcdoc")):
            self._flush()
            self.lines.extend(html_to_text(srcdoc).split("\n"))

    def _start_table(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A <table> (or a grid <div>, its width the grid's track count) opens."""
        self._flush()
        if self.tables and self.cell is not None and not _has_header(self.tables[-1]):
            self._frame()  # (a task table with a small table in one cell stays a task table)
        self.outer.append(bool(self.tables) and len(self.tables) - 1 in self.frames)
        self.tables.append([])
        if tag == "grid":
            self.grids[len(self.tables) - 1] = self._tracks(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.divs:
            tag = self.divs.pop()
            tag = "table" if tag == "grid" else tag
        if tag in ("ol", "ul") and self.lists and self.cell is None and not self.skip:
            self.lists.pop()
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.tables and self.cell is not None:
            self._end_cell()
        elif tag == "table" and self.tables:
            self._end_table()
        elif tag == "dt" and self.cell is None:
            self.label = "".join(self.current).replace("\xa0", " ").strip().rstrip(":：")
            self.current = []
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag in ("dl", "dd"):
                self._flush_label()

    def _div_tag(self, attrs: list[tuple[str, str | None]]) -> str:
        """The tag a <div> stands for: a table, row or cell when its CSS displays it so (a mobile page's
        table built of <div>s, L10), else div."""
        found = dict(attrs)
        inline = DISPLAY.search(found.get("style") or "")
        tag = DISPLAY_TAG.get(inline.group(1), "div") if inline else "div"
        for name in (found.get("class") or "").split():
            tag = self.style.displays.get(name, tag)
        if tag == "grid" and not self._tracks(attrs):
            tag = "div"  # a grid of unknown width (auto-fill) is a layout, not a table
        if self.divs and self.divs[-1] == "grid" and self.cell is None:
            tag = "td"  # a grid's child is its next cell, filling the rows in document order (T3)
        self.divs.append(tag)
        return tag

    def _tracks(self, attrs: list[tuple[str, str | None]]) -> int:
        """The number of columns of a grid <div>: its inline grid-template-columns, else its class's."""
        found = dict(attrs)
        inline = re.search(r"grid-template-columns\s*:\s*([^;]+)", found.get("style") or "")
        if inline:
            return grid_tracks(inline.group(1))
        names = (found.get("class") or "").split()
        return next((self.style.tracks[n] for n in reversed(names) if n in self.style.tracks), 0)

    def _list_tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A list opens or an item starts: the item's number is the one its list style shows (T1), written
        before its first line as a typed number would be."""
        found = dict(attrs)
        if tag == "li":
            self._flush()  # the text before this item is not this item's
            if self.lists:
                self.lists[-1][1] = str(int(self.lists[-1][1]) + 1)
                self.number = list_label(self.lists[-1][0], int(self.lists[-1][1]))
            return
        listed = re.search(r"list-style(?:-type)?\s*:\s*([\w-]+)", found.get("style") or "")
        kind = "decimal" if tag == "ol" else "disc"
        kind = {"1": "decimal"}.get(found.get("type") or "", kind)
        for name in (found.get("class") or "").split():
            kind = self.style.lists.get(name, kind)
        start = re.sub(r"\D", "", found.get("start") or "")[:4]  # <ol start="3">: its first item is 3
        self.lists.append([listed.group(1).lower() if listed else kind, str(int(start) - 1) if start else "0"])

    def _end_cell(self) -> None:
        """A cell closes: a frame's cell becomes lines of the document, a table's cell joins its row."""
        if len(self.tables) - 1 in self.frames:
            self._cell_lines("".join(self.cell or []))
        else:
            columns = self.grids.get(len(self.tables) - 1, 0)
            if not self.tables[-1] or (columns and len(self.tables[-1][-1]) >= columns):
                self.tables[-1].append([])
            self.tables[-1][-1].append(("".join(self.cell or []).strip(), *self.spans))
        self.cell = None

    def _end_table(self) -> None:
        """A table closes: a frame's cells are lines in order, a task table its grid's lines; a table nested
        in a frame's cell resumes that cell."""
        depth = len(self.tables) - 1
        rows = self.tables.pop()
        self.grids.pop(depth, None)
        if depth in self.frames:
            self.frames.discard(depth)
            for row in rows:
                for text, _, _ in row:
                    self._cell_lines(text)
        else:
            self._table_lines(span_grid(rows), depth)
        if self.outer and self.outer.pop():
            self.cell = []  # the rest of the frame's cell, after the nested table

    def _table_lines(self, grid: list[list[str]], depth: int) -> None:
        """A task table's lines; one continuing the table before it under a chapter heading joins it (V1)."""
        start, alone = len(self.lines), True
        if depth == 0 and self.last and between_count(len(self.lines) - self.last[2]):
            first, _, end, single = self.last
            above = self.lines[first - 1] if single and first else None
            joined = chapter_rows(self.last[1], self.lines[end:], grid, above)
            if joined:
                taken = len(joined) - len(self.last[1]) - len(grid) + 1 - (len(self.lines) - end)  # the heading above
                start = first - taken
                grid, alone = joined, False
                del self.lines[start:]
        self.lines.extend(table_lines(grid))
        if depth == 0:
            self.last = (start, grid, len(self.lines), alone)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.current.append(data)

    def _frame(self) -> None:
        """A table starts inside a cell: the enclosing table is a layout frame. Its cells read so far, and
        the open cell's text, become lines now, in order; its later cells are written as they close."""
        depth = len(self.tables) - 1
        self.frames.add(depth)
        for row in self.tables[depth]:
            for text, _, _ in row:
                self._cell_lines(text)
        self.tables[depth] = [[]]
        self._cell_lines("".join(self.cell or []))
        self.cell = None

    def _cell_lines(self, text: str) -> None:
        self.lines.extend(part.strip() for part in text.replace("\xa0", " ").split(PARAGRAPH) if part.strip())

    def _flush(self) -> None:
        line = "".join(self.current).replace("\xa0", " ").strip()
        if line and self.number:
            line = line if re.match(r"[(（]?[\d一二三四五六七八九十]+[、.．)）]", line) else self.number + line
            self.number = ""
        if line:
            self.lines.append(f"{self.label}：{line}" if self.label else line)
            self.label = ""
        self.current = []

    def _flush_label(self) -> None:
        """A <dt> with no <dd> after it is a line of its own."""
        if self.label:
            self.lines.append(self.label)
        self.label = ""


def _has_header(rows: list[list[Cell]]) -> bool:
    return any(columns_of([text for text, _, _ in row]) for row in rows[:4])


def _span(value: str | None) -> int:
    """rowspan/colspan as pages write them ("3", " 2 ", "0", junk): 1 to 500."""
    digits = re.sub(r"\D", "", value or "")
    return min(max(int(digits), 1), 500) if digits else 1


def span_grid(rows: list[list[Cell]]) -> list[list[str]]:
    """HTML rows with rowspan/colspan → a rectangular grid, a spanning cell's text in every position it
    covers: a 牵头单位 cell spanning three rows leads all three, and the cells after it keep their
    columns (without this they shift one column left in the next rows)."""
    grid: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column → (text, rows still to cover)
    for cells in rows:
        row: list[str] = []
        queue = list(cells)
        while queue or any(col >= len(row) for col in pending):
            col = len(row)
            if col in pending:
                text, left = pending[col]
                row.append(text)
                pending[col] = (text, left - 1)
                if left <= 1:
                    del pending[col]
                continue
            if not queue:
                row.append("")
                continue
            text, rowspan, colspan = queue.pop(0)
            for k in range(colspan):
                if rowspan > 1:
                    pending[col + k] = (text, rowspan - 1)
                row.append(text)
        grid.append(row)
    return grid


def html_to_text(html: str) -> str:
    parser = _HtmlText(page_style(html))
    parser.feed(html)
    parser.close()
    parser._flush()
    return "\n".join(parser.lines)


def docx_to_text(raw: bytes, name: str) -> str:
    """Paragraphs and tables in body order; a task table (牵头/责任 columns) becomes marked items."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise fail(name, "a ZIP archive but not a Word .docx document")
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise fail(name, f"cannot be read as .docx: {exc}") from None
    numbering = _WordNumbering(document)

    def paragraph(element, parent) -> _Text:
        return _Text(numbering.label(element) + Paragraph(element, parent).text)

    return "\n".join(_docx_lines(document.element.body, document, paragraph, Table))


@dataclass
class _Text:
    text: str


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _w(element, path: str):
    """The first descendant on a w: path (a/b), or None."""
    for step in path.split("/"):
        element = element.find(_W + step) if element is not None else None
    return element


def _val(element) -> str | None:
    return element.get(_W + "val") if element is not None else None


class _WordNumbering:
    """Word's automatic numbering (L11): the number Word shows before a paragraph ("1.", "一、") is not in its
    text. A paragraph is numbered by its own numPr or its style's (List Number); the label is the level's
    lvlText with the level's counter in its numFmt, counters running on through the document (through
    typed headings) as Word counts them. Bullets and unknown formats give no label."""

    def __init__(self, document) -> None:
        self.levels: dict[tuple[str, str], tuple[str, str, int, str]] = {}  # (numId, ilvl) → fmt, text, start, abstract
        self.styles: dict[str, tuple[str, str]] = {}  # styleId → (numId, ilvl)
        self.counters: dict[tuple[str, str], int] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(_W + "abstractNumId"): a for a in numbering.iter(_W + "abstractNum")}
        for num in numbering.iter(_W + "num"):
            abstract_id = _val(_w(num, "abstractNumId"))
            for lvl in abstract[abstract_id].iter(_W + "lvl") if abstract_id in abstract else []:
                start = _val(_w(lvl, "start")) or "1"
                self.levels[(num.get(_W + "numId"), lvl.get(_W + "ilvl"))] = (
                    _val(_w(lvl, "numFmt")) or "",
                    _val(_w(lvl, "lvlText")) or "",
                    int(start) if start.isdigit() else 1,
                    abstract_id or "",
                )
        for style in document.styles.element.iter(_W + "style"):
            num_id = _val(_w(style, "pPr/numPr/numId"))
            if num_id:
                self.styles[style.get(_W + "styleId")] = (num_id, _val(_w(style, "pPr/numPr/ilvl")) or "0")

    def label(self, element) -> str:
        """The number Word shows before this paragraph, or ""."""
        num_pr = _w(element, "pPr/numPr")
        style = _val(_w(element, "pPr/pStyle"))
        found = (
            (_val(_w(num_pr, "numId")), _val(_w(num_pr, "ilvl")) or "0")
            if num_pr is not None and _w(num_pr, "numId") is not None
            else self.styles.get(style or "")
        )
        level = self.levels.get(found) if found else None  # type: ignore[arg-type]
        if level is None or level[0] not in _NUMBER_FORMATS:
            return ""
        fmt, text, start, abstract = level
        key = (abstract, found[1])  # type: ignore[index]
        self.counters[key] = self.counters.get(key, start - 1) + 1
        for other in [k for k in self.counters if k[0] == abstract and k[1] > key[1]]:
            del self.counters[other]  # a deeper level starts afresh under a new number
        own = str(int(key[1]) + 1) if key[1].isdigit() else "1"
        own = own if f"%{own}" in text else "1"  # a list showing only "%1" at a deeper level: its own number

        def shown(match: re.Match[str]) -> str:
            # %k is level k-1's counter, the own one in the level's format ("%2." at level 1 of a multilevel list)
            if match.group(1) == own:
                return _NUMBER_FORMATS[fmt](self.counters[key])
            return str(self.counters.get((abstract, str(int(match.group(1)) - 1)), 1))

        return re.sub(r"%(\d)", shown, text) if f"%{own}" in text else ""


_NUMBER_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "chineseCounting": to_cn,
    "chineseCountingThousand": to_cn,
    "ideographTraditional": to_cn,
    "decimalEnclosedParen": lambda n: f"({n})",
}


def _docx_lines(parent, document, paragraph, table) -> list[str]:
    """Paragraphs and tables of a body or a cell, in order. A table with a table nested in one of its cells
    is a layout table (WPS puts an attachment in a one-column frame): its cells are read as paragraphs and
    tables of their own, in order, each merged cell once, so the nested task table is read as a table. A task
    table cut in two by a page break (a second table of the same width, with no header or the same header
    row repeated, only blank lines or a running head between) is one table."""
    lines: list[str] = []
    grid: list[list[str]] | None = None  # the last task table, while a next part may still follow
    gap: list[str] = []
    for child in parent.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl" and not _layout_frame(table(child, document)):
            rows = [[_docx_cell(cell) for cell in row.cells] for row in table(child, document).rows]
            if grid is not None and rows and len(rows[0]) == len(grid[0]) and _continues(grid, rows):
                _extend_split(grid, rows[1:] if columns_of(rows[0]) else rows)  # a row split by the break (T4)
                gap = []
                continue
            lines.extend([*table_lines(grid), *gap] if grid is not None else [])
            task_table = not field_table(rows) and any(columns_of(row) for row in rows[:4])
            grid, gap = (rows, []) if task_table else (None, [])
            lines.extend(table_lines(rows) if grid is None else [])
            continue
        own = _docx_block(child, tag, document, paragraph, table)
        if grid is not None and all(not line.strip() or RUNNING_HEAD.search(line) for line in own):
            gap.extend(own)
            continue
        lines.extend([*table_lines(grid), *gap] if grid is not None else [])
        grid, gap = None, []
        lines.extend(own)
    return lines + ([*table_lines(grid), *gap] if grid is not None else [])


def _layout_frame(tbl) -> bool:
    """A table holding a table in one of its cells: a frame for the layout, not a table of its own (unless it
    is itself a task table, with a header, that happens to hold a small table in a cell)."""
    rows = tbl.rows
    nested = any(cell._tc.tbl_lst for row in rows for cell in row.cells)
    return nested and not any(
        columns_of([_docx_cell(cell, nested=False) for cell in row.cells]) for row in list(rows)[:4]
    )


def _docx_block(child, tag: str, document, paragraph, table) -> list[str]:
    """The lines of one body element other than a plain table: a paragraph, a content control, a frame."""
    if tag == "p":
        return [paragraph(child, document).text]
    if tag == "sdt":  # a content control wraps paragraphs and tables of the body
        content = next((c for c in child.iterchildren() if c.tag.endswith("}sdtContent")), None)
        return _docx_lines(content, document, paragraph, table) if content is not None else []
    if tag == "tbl":
        lines: list[str] = []
        cells = [cell for row in table(child, document).rows for cell in row.cells]  # alive: their ids stay apart
        seen: set[int] = set()
        for cell in cells:
            if id(cell._tc) not in seen:  # a merged cell is listed once per position it covers
                seen.add(id(cell._tc))
                lines.extend(_docx_lines(cell._tc, document, paragraph, table))
        return lines
    return []


def _docx_cell(cell, nested: bool = True) -> str:
    """A cell's paragraphs, kept apart by `PARAGRAPH`: one unit a paragraph in a units cell. A small table
    nested in the cell (牵头 | units / 配合 | units, R11) gives its rows as labelled fields "牵头:X;配合:Y"."""
    own = PARAGRAPH.join(soft_lines([part for p in _bold_marked(cell.paragraphs) for part in _broken(p._p)]))
    small = [tbl for tbl in cell.tables if nested and len(tbl.rows) <= 4 and len(tbl.columns) <= 3]
    fields = [_nested_field(row) for tbl in small for row in tbl.rows]
    return ";".join(f for f in [own, *fields] if f)


_BOLD_ENTRY = re.compile(r"^[^。；;，,]{2,30}$")


def _bold(paragraph) -> bool:
    """A paragraph all of whose text runs are bold."""
    runs = [run for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(run.bold for run in runs)


def _bold_marked(paragraphs: list) -> list:
    """A cell listing entries one a paragraph, some of them BOLD and the others not (U6: 字体加粗的为牵头单位):
    the bold entries are marked leads — a "(牵头)" run after each, as a clerk writes 市科技局(牵头) — since the
    weight is lost with the text. A cell all bold (a header) or with sentences is left as it is."""
    texts = [p for p in paragraphs if p.text.strip()]
    bold = [p for p in texts if _bold(p)]
    if len(texts) < 2 or not bold or len(bold) == len(texts) or not all(_BOLD_ENTRY.match(p.text) for p in texts):
        return paragraphs
    for p in bold:
        p.add_run("(牵头)")
    return paragraphs


def _broken(paragraph) -> list[str]:
    """A paragraph's text cut at its soft line breaks (<w:br/>, <w:cr/>): the parts a clerk typed on lines."""
    parts = [""]
    for node in paragraph.iter(_W + "t", _W + "br", _W + "cr", _W + "tab"):
        tag = node.tag[len(_W) :]
        if tag == "t":
            parts[-1] += node.text or ""
        elif tag == "tab":
            parts[-1] += "\t"
        else:
            parts.append("")
    return parts


def _nested_field(row) -> str:
    """One row of a table nested in a cell: "label:value" for a label and a value, else its text joined."""
    texts = [t for t in dict.fromkeys(_docx_cell(c) for c in row.cells) if t]
    return f"{texts[0]}:{'、'.join(texts[1:])}" if len(texts) > 1 else "".join(texts)


MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 200


def _check_zip(raw: bytes, name: str) -> None:
    """A .docx/.xlsx is a ZIP: its directory states every member's uncompressed size, read before any
    member is. A few KB that unpack to gigabytes (a zip bomb) are refused here, not by running out of
    memory in the XML parser."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise fail(name, f"a damaged ZIP archive (.docx/.xlsx): {exc}") from None
    total = sum(info.file_size for info in infos)
    packed = max(1, sum(info.compress_size for info in infos))
    if total > MAX_UNZIPPED or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO):
        raise fail(
            name,
            f"unpacks to {total:,} bytes from {len(raw):,} (a zip bomb?): over the {MAX_UNZIPPED:,}-byte limit "
            f"or {MAX_RATIO}× compression for a .docx/.xlsx",
        )


def _zip_has(raw: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return member in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _cell_text(value: object, number_format: str = "") -> str:
    """An Excel cell as a document writes it: a date cell as an ISO date, or as the month it shows when its
    format shows no day (yyyy"年"m"月": 2026年12月, L20), 3.0 as 3."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        shown = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format).lower()
        if "y" in shown and "m" in shown and "d" not in shown and not re.search(r"[hs]", shown):
            return f"{value.year}年{value.month}月"
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def xlsx_to_text(raw: bytes, name: str) -> str:
    """Each visible sheet's rows, a merged cell's value in every cell it spans (a 牵头单位 merged over
    three rows leads all three); the rows above a task table's header (附件, title, issuer and date)
    as lines, the table itself as marked items (`tables.table_lines`). Each sheet is a table of its own:
    a workbook with task tables on several sheets gives one section per sheet (its name the heading),
    never one sheet's rows folded into the last task of the one before."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise fail(name, f"cannot be read as .xlsx: {type(exc).__name__}: {str(exc)[:120]}") from None
    sheets = [(sheet.title, sheet_rows(sheet)) for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
    tabled = [title for title, rows in sheets if any(columns_of(row) for row in rows)]
    if _running_numbers([rows for title, rows in sheets if title in tabled]):
        tabled = []  # 序号 running on across the sheets: one list cut into sheets, flat ids, no section (K4)
    lines: list[str] = []
    for title, rows in sheets:
        section = tabled.index(title) + 1 if len(tabled) > 1 and title in tabled else None
        lines.extend(_sheet_lines(title, rows, section))
    return "\n".join(lines)


def _running_numbers(tables: list[list[list[str]]]) -> bool:
    """Do the 序号 of several sheets' tables go on from one sheet to the next (1-3, 4-5, 6-7)?"""
    spans: list[tuple[int, int]] = []
    for rows in tables:
        header = next((i for i, row in enumerate(rows) if columns_of(row)), 0)
        column = (columns_of(rows[header]) or {}).get("number")
        numbers = [int(row[column]) for row in rows[header + 1 :] if column is not None and row[column].isdigit()]
        if not numbers:
            return False
        spans.append((numbers[0], numbers[-1]))
    return len(spans) > 1 and spans[0][0] == 1 and all(b[0] == a[1] + 1 for a, b in itertools.pairwise(spans))


# A sheet's own line above its table naming one role for all its rows (牵头单位：县水利局): a workbook split by
# 牵头单位, one sheet each, whose table then has no such column (K4).
_SHEET_ROLE = re.compile(r"^\s*((?:牵头|责任|配合)(?:单位|部门))\s*[:：]\s*(\S.{0,60}?)\s*$")


def _sheet_role(rows: list[list[str]], header: int) -> list[list[str]]:
    """The rows with a sheet-wide role line above the header turned into a column of its own."""
    for k in range(header):
        cells = list(dict.fromkeys(c for c in rows[k] if c))
        m = _SHEET_ROLE.match(cells[0]) if len(cells) == 1 else None
        columns = columns_of(rows[header]) or {}
        key = "lead" if m and m.group(1).startswith("牵头") else "responsible"
        if m is None or key in columns:
            continue
        label, unit = m.group(1), m.group(2)
        between = [[*row, ""] for row in rows[k + 1 : header]]
        body = [[*row, "" if heading_row(row) is not None else unit] for row in rows[header + 1 :]]
        return [*rows[:k], *between, [*rows[header], label], *body]
    return rows


def _sheet_lines(title: str, rows: list[list[str]], section: int | None) -> list[str]:
    """A sheet's rows above its table's header (title, issuer, 文号, date) as lines, then the table. Heading
    rows right above the header (一、产业振兴) are the table's own; a workbook with task tables on several
    sheets gets one heading per sheet, the sheet's name when it has none."""
    rows = matrix_rows(rows)
    header = next((i for i, row in enumerate(rows) if columns_of(row)), None)
    if header is None:  # a sheet of notes (说明: title, issuer and date, 填表说明): its lines
        return [part for row in rows for part in _row_parts(row)]
    rows = _sheet_role(rows, header)
    header = next(i for i, row in enumerate(rows) if columns_of(row))
    top = header
    while top > 0 and _SECTION.match(next((c for c in rows[top - 1] if c), "")):
        top -= 1
    lines: list[str] = []
    for row in rows[:top]:
        lines.extend(_row_parts(row))
    headings = [next(c for c in row if c) for row in rows[top:header]]
    if section is not None and not headings:
        headings = [table_section(title, section)]
    block = [TABLE_MARK, *headings]  # the first sheet's lines above are the document's header
    lines = lines + block if section in (None, 1) else block + lines
    return lines + table_lines(rows[header:], mark=False)


def _row_parts(row: list[str]) -> list[str]:
    """A row above a table (or on a sheet without one) as lines: 苇塘县人民政府办公室　　2025年4月8日 is two."""
    text = " ".join(dict.fromkeys(cell for cell in row if cell))
    gap = r"\u3000|\s{3,}" if _FILE_NUMBER.search(text) else r"\u3000{2,}|\s{3,}"  # issuer　文号　date: one space
    return [part for part in re.split(gap, text) if part.strip()]


_FILE_NUMBER = re.compile(r"[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号\u3000")


_SECTION = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）])")


def sheet_rows(sheet) -> list[list[str]]:
    """The sheet's filled cells as rows, without ever walking its declared range: a sheet whose used range
    reads A1:XFD1048576 (one stray cell far out) has 17 billion positions and a handful of values. Only
    rows and columns that hold a value are kept, in order; merged ranges fill the kept positions."""
    hidden_rows = {r for r, d in sheet.row_dimensions.items() if d.hidden}
    hidden_cols = {c for d in sheet.column_dimensions.values() if d.hidden for c in range(d.min or 0, (d.max or 0) + 1)}
    values = {  # hidden rows and columns are not read: the document is what the reader sees (K5)
        key: text
        for key, cell in sheet._cells.items()
        if key[0] not in hidden_rows
        and key[1] not in hidden_cols
        and (text := _cell_text(cell.value, cell.number_format or ""))
    }
    rows = sorted({r for r, _ in values})
    cols = sorted({c for _, c in values})
    for merged in sheet.merged_cells.ranges:
        value = values.get((merged.min_row, merged.min_col), "")
        if not value:
            continue
        for r in _within(rows, merged.min_row, merged.max_row):
            for c in _within(cols, merged.min_col, merged.max_col):
                values.setdefault((r, c), value)
    return [[values.get((r, c), "") for c in cols] for r in rows]


def _within(sorted_values: list[int], low: int, high: int) -> list[int]:
    return sorted_values[bisect.bisect_left(sorted_values, low) : bisect.bisect_right(sorted_values, high)]


def pdf_to_text(raw: bytes, name: str) -> str:
    """The text layer, page by page, without the lines every page repeats (running heads, footers)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            pages = [_page_chunks(page) for page in pdf.pages]
    except (PdfminerException, PDFPasswordIncorrect, PDFEncryptionError) as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError) or "password" in str(exc).lower():
            raise fail(name, "an encrypted PDF: open it with its password and save an unprotected copy") from None
        raise fail(name, f"cannot be read as PDF: {str(exc)[:120]}") from None
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise fail(name, f"cannot be read as PDF: {type(exc).__name__}: {str(exc)[:120]}") from None
    texts = ["\n".join(c for c in page if isinstance(c, str)) for page in pages]
    if not any(text.strip() for text in texts) and not any(isinstance(c, list) for page in pages for c in page):
        raise fail(name, "the PDF has no text layer (a scan?): run OCR on it first, or use the .docx")
    running = _running_lines(texts)
    chunks = [c for page in pages for c in page if not isinstance(c, str) or _key(c) not in running]
    return "\n".join(_pdf_lines(chunks))


Chunk = str | list[list[str]]  # a line of text, or a ruled table's rows
_PAGE_NO = re.compile(r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页.*|\d{1,3}\s*/\s*\d{1,3}|\d{1,3})\s*$")


def _page_chunks(page) -> list[Chunk]:
    """A page's text lines and ruled tables (pdfplumber's table finder), top to bottom; a page without a
    table is its `extract_text()`, as before."""
    tables = page.find_tables()
    spans = [(t.bbox[1], t.bbox[3], [[c or "" for c in row] for row in t.extract()]) for t in tables]
    if not tables and (unruled := unruled_table(page.extract_words())) is not None:
        spans = [unruled]  # a table drawn without rules: its columns by position (R13)
    if not spans:
        return [*(page.extract_text() or "").split("\n")]
    found: list[tuple[float, Chunk]] = [(top, rows) for top, _, rows in spans]
    for line in page.extract_text_lines():
        middle = (line["top"] + line["bottom"]) / 2
        if not any(top <= middle <= bottom for top, bottom, _ in spans):
            found.append((line["top"], line["text"]))
    return [chunk for _, chunk in sorted(found, key=lambda pair: pair[0])]


def _pdf_lines(chunks: list[Chunk]) -> list[str]:
    """Text lines as they are; a table continued on the next page (same columns, no header of its own,
    only page numbers between) is one table, read once (`tables.table_lines`)."""
    lines: list[str] = []
    table: list[list[str]] | None = None
    pending: list[str] = []  # text lines after an open table: a running head if the table goes on below them
    for chunk in chunks:
        if isinstance(chunk, str):
            if table is not None and _PAGE_NO.match(chunk):
                continue
            if table is not None and RUNNING_HEAD.search(chunk) and len(pending) < 3:
                pending.append(chunk)
                continue
            if table is not None:
                lines.extend(table_lines(table))
                table = None
            lines.extend(pending)
            pending = []
            lines.append(chunk)
        elif table is not None and len(chunk[0]) == len(table[0]) and _continues(table, chunk):
            _extend_split(table, chunk[1:] if columns_of(chunk[0]) else chunk)  # the header row repeated
            pending = []  # the running head above it (K6)
        else:
            if table is not None:
                lines.extend(table_lines(table))
            lines.extend(pending)
            pending = []
            table = [list(row) for row in chunk]
    if table is not None:
        lines.extend(table_lines(table))
    return lines + pending


def _extend_split(table: list[list[str]], rows: list[list[str]]) -> None:
    """The rows of the next page go on the table; a first row with an EMPTY 序号 under a numbered last row is
    that row split by the page break (T4): each of its cells goes on the same cell of the row above, as a
    wrapped line does ("…推行" + "气瓶智能角阀…", "县商务局、" + "各乡镇人民政府"), an empty one taking the other's."""
    if rows and table and not rows[0][0].strip() and re.fullmatch(r"\s*\d{1,3}\s*", table[-1][0] or ""):
        last, first = table[-1], rows[0]
        table[-1] = [a + "\n" + b if a.strip() and b.strip() else a or b for a, b in zip(last, first, strict=False)]
        rows = rows[1:]
    table.extend(rows)


def _continues(table: list[list[str]], chunk: list[list[str]]) -> bool:
    """A table part on the next page goes on the open table: no header of its own, or the same header row
    repeated (the header of a long table printed on every page)."""
    if not columns_of(chunk[0]):
        return True
    head = next((row for row in table if columns_of(row)), None)
    return head is not None and [c.strip() for c in head] == [c.strip() for c in chunk[0]]


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip())


def _running_lines(pages: list[str]) -> set[str]:
    """Lines that open or close at least half of the pages (3 or more) are running heads or footers."""
    if len(pages) < 3:
        return set()
    counts: dict[str, int] = {}
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        for line in {*lines[:2], *lines[-2:]}:
            counts[_key(line)] = counts.get(_key(line), 0) + 1
    return {key for key, n in counts.items() if n >= max(3, len(pages) // 2)}
