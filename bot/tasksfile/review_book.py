"""A review sheet (任务分解表, written by `taskbot extract --xlsx`) → the tasks file's data, with every value's cell.

The 督查室 corrects the extractor's guesses in Excel or WPS; `taskbot validate` and `taskbot import` then read
the workbook here into the same plain data a tasks.yaml gives (`version`, `units`, `documents`) and hand it
to the one loader (`bot.tasksfile.loader.catalog_of`), so the rules are the tasks file's and every problem
names its cell, `任务分解表!F7: unknown unit '市发改委'; did you mean '市发展改革局'?`.

Layout (labels in `bot.render.messages`, REVIEW_*), one sheet per document:
- rows 1-2: the title and the colour legend (not read);
- then one row per header field, its label in A and its value in B (实施期限: start in B, end in C);
- the table's header row (its A cell reads 序号), columns found by their header words in any order; one row
  per task until the 指标 table's header (指标编号) or the end; 牵头单位, 责任单位 and 督查单位 (`supervise:`, a
  column a sheet written before it may lack) are lists of units; 指标 and 提取说明 are shown, not read (the
  targets are the 指标 table's rows, and an explanation is a comment);
- the hidden sheet 单位表: the registry's units and the new ones (name, aliases, members), the file's
  `units:` and the list the unit columns' drop-downs offer.
Units in one cell are separated by 、，；, or line breaks outside brackets (各县(市、区)人民政府 is one unit).

The workbook may come from anyone, so before openpyxl sees it: a size cap on the file, and the zip
directory's uncompressed sizes summed and capped (a zip bomb is refused without inflating a byte; Python's
zipfile never inflates a member past its declared size). openpyxl then reads in read-only mode with the
declared used range ignored (a sheet claiming A1:XFD1048576 is read as far as it has rows), at most
MAX_COLUMNS columns of each row, stopping after BLANK_RUN empty rows in a row, and refusing more than
MAX_ROWS rows with content.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from bot.core.errors import InputError, Problem
from bot.core.files import read_bounded
from bot.render import messages as m

MAX_BYTES = 16 * 1024 * 1024
MAX_UNZIPPED = 128 * 1024 * 1024  # a review sheet of 10,000 tasks unpacks to about 10 MB
MAX_MEMBERS = 1_000
MAX_ROWS = 20_000  # rows with content in one sheet
BLANK_RUN = 1_000  # empty rows in a row after which a sheet has ended (the rest is formatting)
MAX_COLUMNS = 16  # the table has 11 columns; cells further right are not read
FIRST_FIELD_ROW = 3  # rows 1 and 2: the title and the legend
SEPARATORS = frozenset("、，,；;\n")
_OPEN = frozenset("(（[【〔")
_CLOSE = frozenset(")）]】〕")
READ_COLUMNS = ("id", "section", "title", "body", "lead", "responsible", "supervise", "deadline", "recurrence")
UNIT_COLUMNS = ("lead", "responsible", "supervise")  # a list of units in one cell (督查单位: `supervise:`)
SHOWN_COLUMNS = ("targets", "notes")
REQUIRED_COLUMNS = ("id", "title")
LIST_KEYS = frozenset({"lead", "responsible", "addressees"})

Loc = tuple[str | int, ...]


def split_names(text: str | None) -> list[str]:
    """The unit names in one cell: separated by 、，,；; or line breaks that are not inside brackets."""
    names: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text or "":
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and char in SEPARATORS:
            names.append("".join(current))
            current = []
            continue
        current.append(char)
    names.append("".join(current))
    return [name.strip() for name in names if name.strip()]


def join_names(names: Iterable[str]) -> str:
    return "、".join(names)


@dataclass
class SheetDoc:
    """The workbook's data in the tasks.yaml shape and the cell of each value: a loader `SourceDoc`."""

    path: str
    data: dict[str, Any]
    cells: dict[Loc, tuple[str, int, int]] = field(default_factory=dict)  # loc → (sheet, row, column)
    units_where: str = f"the sheet {m.REVIEW_UNITS_SHEET}"  # named in "unknown unit …; add it to …"

    def _cell(self, loc: Sequence[str | int]) -> tuple[str, int, int] | None:
        loc = tuple(loc)
        for n in range(len(loc), -1, -1):
            hit = self.cells.get(loc[:n])
            if hit is not None:
                return hit
        return None

    def locate(self, loc: Sequence[str | int]) -> tuple[int | None, int | None]:
        hit = self._cell(loc)
        return (hit[1], hit[2]) if hit else (None, None)

    def problem(self, loc: Sequence[str | int], message: str) -> Problem:
        hit = self._cell(loc)
        if hit is None:
            return Problem(self.path, None, None, message)
        return Problem(cell_name(*hit), None, None, message)


def cell_name(sheet: str, row: int, column: int) -> str:
    """`sheet!C7`, as Excel names a cell (the sheet quoted when its name has a space or a quote)."""
    title = f"'{sheet.replace(chr(39), chr(39) * 2)}'" if any(c in sheet for c in " '!") else sheet
    return f"{title}!{get_column_letter(column)}{row}"


def _value(value: Any) -> Any:
    """A cell's value as the tasks file writes it: text stripped (empty is None), a date a date, 3.0 → 3."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _text(value: Any) -> Any:
    """A value meant as text (an id, a title): a number or a date typed into the cell as its text."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


Row = tuple[int, tuple[Any, ...]]


class _Reader:
    def __init__(self, path: str, book: Any):
        self.path = path
        self.book = book
        self.doc = SheetDoc(path, {"version": 1, "units": [], "documents": []})
        self.problems: list[Problem] = []

    def fail(self, sheet: str, row: int, column: int, message: str) -> None:
        self.problems.append(Problem(cell_name(sheet, row, column), None, None, message))

    def rows(self, sheet: Any) -> list[Row]:
        """The rows with content (number, values), reading no further than the sheet's last such row."""
        sheet.reset_dimensions()  # the declared used range may be A1:XFD1048576
        out: list[Row] = []
        blank = 0
        for number, raw in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            values = tuple(_value(v) for v in raw)
            if all(v is None for v in values):
                blank += 1
                if blank >= BLANK_RUN:
                    break
                continue
            blank = 0
            if len(out) >= MAX_ROWS:
                message = f"more than {MAX_ROWS:,} rows: a review sheet holds one document's tasks"
                raise InputError([Problem(cell_name(sheet.title, number, 1), None, None, message)])
            out.append((number, values))
        return out

    def read(self) -> SheetDoc:
        sheets = [s for s in self.book.worksheets if hasattr(s, "iter_rows")]
        units = next((s for s in sheets if s.title == m.REVIEW_UNITS_SHEET), None)
        if units is None:
            self.problems.append(
                Problem(
                    self.path,
                    None,
                    None,
                    f"no sheet {m.REVIEW_UNITS_SHEET}: not a review sheet of `taskbot extract --xlsx`",
                )
            )
        else:
            self.units(units)
        for sheet in sheets:
            if sheet is not units:
                self.document(sheet)
        if not self.doc.data["documents"] and not self.problems:
            self.problems.append(
                Problem(self.path, None, None, "no document sheet (序号 | 任务 | … table) in the workbook")
            )
        if self.problems:
            raise InputError(self.problems[:50])
        return self.doc

    def units(self, sheet: Any) -> None:
        for i, (number, values) in enumerate(self.rows(sheet)[1:]):
            name, aliases, members = (_text(v) for v in values[:3])
            entry: dict[str, Any] = {"name": name}
            if aliases:
                entry["aliases"] = split_names(aliases)
            if members:
                entry["members"] = split_names(members)
            self.doc.data["units"].append(entry)
            self.doc.cells[("units", i)] = (sheet.title, number, 1)
            for c, key in enumerate(("name", "aliases", "members"), start=1):
                self.doc.cells[("units", i, key)] = (sheet.title, number, c)

    def document(self, sheet: Any) -> None:
        rows = self.rows(sheet)
        header = next((n for n, (_, values) in enumerate(rows) if values[0] == m.REVIEW_COLUMNS["id"]), None)
        if header is None:
            self.fail(sheet.title, 1, 1, f"no task table: expected a header row starting with {m.REVIEW_COLUMNS['id']}")
            return
        d = len(self.doc.data["documents"])
        where: Loc = ("documents", d)
        entry: dict[str, Any] = {}
        self.doc.cells[where] = (sheet.title, 1, 1)
        self.fields(sheet.title, rows[:header], where, entry)
        columns = self.columns(sheet.title, rows[header])
        if columns is None:
            return
        body = rows[header + 1 :]
        split = next((n for n, (_, values) in enumerate(body) if values[0] == m.REVIEW_TARGET_COLUMNS["id"]), len(body))
        entry["tasks"] = [
            self.task(sheet.title, row, columns, (*where, "tasks", t)) for t, row in enumerate(body[:split])
        ]
        entry["targets"] = [
            self.target(sheet.title, row, (*where, "targets", i)) for i, row in enumerate(body[split + 1 :])
        ]
        self.doc.data["documents"].append(entry)

    def fields(self, title: str, rows: list[Row], where: Loc, entry: dict[str, Any]) -> None:
        keys = {label: key for key, label in m.REVIEW_FIELDS.items()}
        for number, values in rows:
            if number < FIRST_FIELD_ROW:
                continue
            key = keys.get(str(values[0]))
            if key is None:
                known = "、".join(m.REVIEW_FIELDS.values())
                self.fail(title, number, 1, f"unknown field {values[0]!r} above the table (the fields are {known})")
                continue
            self.doc.cells[(*where, key)] = (title, number, 2)
            value = self.field(title, number, key, values)
            if value is not None:
                entry[key] = value
        for key in ("id", "title", "issuer", "issued"):
            if key not in entry and (*where, key) not in self.doc.cells:
                self.fail(title, FIRST_FIELD_ROW, 1, f"no {m.REVIEW_FIELDS[key]} row above the table")

    def field(self, title: str, number: int, key: str, values: tuple[Any, ...]) -> Any:
        value = values[1] if len(values) > 1 else None
        if key == "period":
            start, end = value, values[2] if len(values) > 2 else None
            return None if start is None and end is None else [start, end]
        if key == "archived":
            return self.yes_no(title, number, value)
        if key in LIST_KEYS:
            return split_names(_text(value))
        return value if key == "issued" else _text(value)

    def yes_no(self, title: str, number: int, value: Any) -> bool | None:
        answers = {m.REVIEW_YES: True, m.REVIEW_NO: False, None: None}
        if value not in answers:
            self.fail(
                title,
                number,
                2,
                f"{m.REVIEW_FIELDS['archived']}: expected {m.REVIEW_YES}, {m.REVIEW_NO} or empty, got {value!r}",
            )
            return None
        return answers[value]

    def columns(self, title: str, row: Row) -> dict[str, int] | None:
        """Header word → key, by position: the columns may come in any order; an unknown one is refused."""
        number, values = row
        keys = {label: key for key, label in m.REVIEW_COLUMNS.items()}
        found: dict[str, int] = {}
        for c, value in enumerate(values):
            if value is None:
                continue
            key = keys.get(str(value))
            if key is None or key in found:
                what = "a second" if key else "unknown column"
                self.fail(
                    title, number, c + 1, f"{what} {value!r} (the columns are {'、'.join(m.REVIEW_COLUMNS.values())})"
                )
                continue
            found[key] = c
        missing = [m.REVIEW_COLUMNS[k] for k in REQUIRED_COLUMNS if k not in found]
        if missing:
            self.fail(title, number, 1, f"the table has no {'、'.join(missing)} column")
            return None
        return found

    def task(self, title: str, row: Row, columns: dict[str, int], here: Loc) -> dict[str, Any]:
        number, values = row
        self.doc.cells[here] = (title, number, columns["id"] + 1)
        task: dict[str, Any] = {}
        for key in READ_COLUMNS:
            if key not in columns:
                continue
            c = columns[key]
            value = values[c] if c < len(values) else None
            self.doc.cells[(*here, key)] = (title, number, c + 1)
            if key in UNIT_COLUMNS:
                task[key] = split_names(_text(value))
            elif value is not None:
                task[key] = value if key == "deadline" else _text(value)
        if "title" not in task:
            task["title"] = None  # the schema says "expected text" at the 任务 cell
        return task

    def target(self, title: str, row: Row, here: Loc) -> dict[str, Any]:
        number, values = row
        self.doc.cells[here] = (title, number, 1)
        target: dict[str, Any] = {}
        for c, key in enumerate(m.REVIEW_TARGET_COLUMNS):
            self.doc.cells[(*here, key)] = (title, number, c + 1)
            value = values[c] if c < len(values) else None
            if value is not None:
                target[key] = value if key in ("value", "due") else _text(value)
        return target


def _check_zip(name: str, raw: bytes) -> None:
    """Refuse what is not a zip, or would unpack to more than MAX_UNZIPPED, from its directory alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError([Problem(name, None, None, "not an .xlsx workbook (not a zip archive)")]) from None
    total = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or total > MAX_UNZIPPED:
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    None,
                    f"the workbook unpacks to {total / 1024 / 1024:,.0f} MB in {len(members):,} parts "
                    f"(limits {MAX_UNZIPPED // 1024 // 1024} MB, {MAX_MEMBERS:,} parts): a zip bomb?",
                )
            ]
        )


def read_workbook(path: Path) -> SheetDoc:
    """The review sheet at `path` as loader input; an InputError names each structural problem's cell."""
    raw = read_bounded(path, MAX_BYTES, expected="an .xlsx workbook", too_big="for a review sheet")
    return read_workbook_bytes(raw, str(path))


def read_workbook_bytes(raw: bytes, name: str) -> SheetDoc:
    """`read_workbook` of a workbook in memory (the 看板's review, bot/web/extract.py), named `name`."""
    from openpyxl import load_workbook  # loads only when a workbook is read

    if len(raw) > MAX_BYTES:
        too_big = f"over {MAX_BYTES // 1024 // 1024} MB: too big for a review sheet"
        raise InputError([Problem(name, None, None, too_big)])
    _check_zip(name, raw)
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError([Problem(name, None, None, f"not a readable .xlsx workbook: {first}")]) from None
    try:
        return _Reader(name, book).read()
    finally:
        book.close()
