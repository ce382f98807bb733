"""Extractions → the review sheet (任务分解表) a 督查室 corrects in Excel or WPS, read back by `taskbot import`.

`build_workbook` is pure (extractions and the registry in, an openpyxl Workbook out); `write_review` saves
it through a temporary file renamed into place. The layout is the reader's (bot/tasksfile/review_book.py
says it in full; the labels are messages.REVIEW_*): per document, the title, a colour legend, the header
fields (文件编号 … 到期归档), the task table (序号 章节 任务 任务内容 牵头单位 责任单位 督查单位 完成时限 周期 指标
提取说明) and the 指标 table; the hidden sheet 单位表 holds the registry's units and the new ones.

What a reviewer needs to see, and why:
- yellow: what the extractor guessed — a deadline taken from the document's period (or another default),
  the units of a task the text did not mark (a document without 牵头/责任 markers, or an item with a
  warning), an issuer it assumed — with the reason in 提取说明;
- red: a cell naming a unit the registry does not have (a typo of the document's, or a unit to add);
- the unit columns (牵头, 责任, 督查), 发文单位 and 主送单位 offer the registry's units as a drop-down (not
  enforced: a cell may hold several units, 、-separated, which a list validation cannot check);
- the table's header frozen and repeated on every printed page, A4 landscape, one page wide, a filter.
Cells are written as text even when they start with `=` (a document's text is never a formula).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from bot.extract.model import ExtractedDocument, ExtractedTask, Extraction
from bot.render import messages as m
from bot.reporting.output_file import staged
from bot.tasksfile import shortnames
from bot.tasksfile.loader import UnitEntry
from bot.tasksfile.review_book import FIRST_FIELD_ROW, UNIT_COLUMNS, join_names

GUESSED = PatternFill("solid", fgColor="FFEB9C")
UNKNOWN = PatternFill("solid", fgColor="FFC7CE")
HEADER = PatternFill("solid", fgColor="D9D9D9")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "yyyy-mm-dd"
WIDTHS = {
    "id": 10,
    "section": 20,
    "title": 36,
    "body": 60,
    "lead": 22,
    "responsible": 30,
    "supervise": 22,
    "deadline": 14,
    "recurrence": 12,
    "targets": 30,
    "notes": 40,
}
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\']")


@dataclass
class _Units:
    """The 单位表: registry units first, then the new ones; aliases the documents proposed added."""

    entries: dict[str, tuple[list[str], list[str], str | None]] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)  # names and aliases the registry has

    def add(self, name: str, aliases: Iterable[str], members: Iterable[str], note: str | None = None) -> None:
        have = self.entries.setdefault(name, ([], [], note))
        have[0].extend(a for a in aliases if a not in have[0] and a != name)
        have[1].extend(x for x in members if x not in have[1])


def _units(extractions: Sequence[Extraction], registry: Iterable[UnitEntry]) -> _Units:
    units = _Units()
    for entry in registry:
        units.add(entry.name, entry.aliases, entry.members)
        units.known.update([entry.name, *entry.aliases])
    for extraction in extractions:
        for unit in extraction.units:
            units.add(
                unit.name, [*unit.aliases, *unit.new_aliases], unit.members, m.REVIEW_UNIT_NEW if unit.new else None
            )
    return units


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub(" ", text)


def _put(sheet: Worksheet, row: int, column: int, value: Any, *, fill: PatternFill | None = None) -> Any:
    """A cell with its value as data: text stays text (also `=…`), a date gets the date format."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _clean(value)
        cell.data_type = "s"
    else:
        cell.value = value
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    if fill is not None:
        cell.fill = fill
    return cell


def sheet_names(documents: Sequence[ExtractedDocument]) -> list[str]:
    """One sheet per document, named by its short name (as the loader would derive it), unique, ≤31 chars."""
    shorts = shortnames.assign([None] * len(documents), [d.title for d in documents])
    names: list[str] = []
    for short, doc in zip(shorts, documents, strict=True):
        base = _SHEET_NAME_BAD.sub("", short or doc.id)[:28] or "文件"
        name, n = base, 2
        while name in names or name == m.REVIEW_UNITS_SHEET:
            name, n = f"{base}{n}", n + 1
        names.append(name)
    return names


def build_workbook(extractions: Sequence[Extraction], registry: Iterable[UnitEntry]) -> Workbook:
    units = _units(extractions, registry)
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)  # the default empty sheet
    documents = [e.document for e in extractions]
    shorts = shortnames.assign([None] * len(documents), [d.title for d in documents])
    for name, short, doc in zip(sheet_names(documents), shorts, documents, strict=True):
        _document_sheet(book.create_sheet(name), doc, short, units)
    _units_sheet(book.create_sheet(m.REVIEW_UNITS_SHEET), units)
    return book


def write_review(extractions: Sequence[Extraction], registry: Iterable[UnitEntry], path: Path) -> None:
    book = build_workbook(extractions, registry)
    with staged(path) as tmp:
        book.save(tmp)


def _units_sheet(sheet: Worksheet, units: _Units) -> None:
    for c, label in enumerate(m.REVIEW_UNIT_COLUMNS.values(), start=1):
        _put(sheet, 1, c, label, fill=HEADER).font = Font(bold=True)
    for r, (name, (aliases, members, note)) in enumerate(units.entries.items(), start=2):
        _put(sheet, r, 1, name)
        _put(sheet, r, 2, "\n".join(aliases) if aliases else None)
        _put(sheet, r, 3, "\n".join(members) if members else None)
        _put(sheet, r, 4, note)
    for c, width in enumerate((30, 40, 40, 24), start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.sheet_state = "hidden"


def _unit_fill(names: Iterable[str], units: _Units, guessed: bool) -> PatternFill | None:
    if any(name not in units.known for name in names):
        return UNKNOWN
    return GUESSED if guessed else None


def _document_sheet(sheet: Worksheet, doc: ExtractedDocument, short: str, units: _Units) -> None:
    last = get_column_letter(len(m.REVIEW_COLUMNS))
    _put(sheet, 1, 1, m.REVIEW_TITLE.format(title=doc.title)).font = Font(bold=True, size=14)
    sheet.merge_cells(f"A1:{last}1")
    _put(sheet, 2, 1, m.REVIEW_LEGEND).font = Font(italic=True, color="595959")
    sheet.merge_cells(f"A2:{last}2")
    row = _fields(sheet, doc, short, units)
    header = row + 1
    first, end = _tasks(sheet, doc, units, header)
    _targets(sheet, doc, end + 2)
    _validation(sheet, units, header, first, end)
    for c, key in enumerate(m.REVIEW_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = WIDTHS[key]
    sheet.freeze_panes = f"A{header + 1}"
    sheet.auto_filter.ref = f"A{header}:{last}{max(end, header)}"
    sheet.print_title_rows = f"{header}:{header}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _fields(sheet: Worksheet, doc: ExtractedDocument, short: str, units: _Units) -> int:
    """The header fields from FIRST_FIELD_ROW; returns the last row written."""
    issuer_guessed = any("issuer" in w for w in doc.warnings)
    values: dict[str, tuple[Any, PatternFill | None]] = {
        "id": (doc.id, None),
        "title": (doc.title, None),
        "short": (short, None),
        "issuer": (doc.issuer, _unit_fill([doc.issuer] if doc.issuer else [], units, issuer_guessed)),
        "number": (doc.number, None),
        "issued": (doc.issued, None),
        "period": (doc.period[0] if doc.period else None, None),
        "addressees": (join_names(doc.addressees), _unit_fill(doc.addressees, units, False)),
        "source": (doc.source, None),
        "archived": (None, None),
    }
    row = FIRST_FIELD_ROW
    for key, label in m.REVIEW_FIELDS.items():
        value, fill = values[key]
        _put(sheet, row, 1, label).font = Font(bold=True)
        _put(sheet, row, 2, value, fill=fill)
        if key == "period" and doc.period:
            _put(sheet, row, 3, doc.period[1])
        if key == "archived":
            _put(sheet, row, 3, m.REVIEW_ARCHIVED_HINT).font = Font(italic=True, color="808080")
        row += 1
    return row


def _notes(doc: ExtractedDocument, task: ExtractedTask) -> list[str]:
    notes = [m.REVIEW_DEADLINE_NOTE.format(note=task.deadline_note)] if task.deadline_note else []
    if doc.mode != "markers" and not task.warnings:
        notes.append(m.REVIEW_PROSE_NOTE)
    return notes + list(task.warnings)


def _tasks(sheet: Worksheet, doc: ExtractedDocument, units: _Units, header: int) -> tuple[int, int]:
    """The header row and one row per task; returns the first and the last task row."""
    for c, label in enumerate(m.REVIEW_COLUMNS.values(), start=1):
        cell = _put(sheet, header, c, label, fill=HEADER)
        cell.font, cell.border, cell.alignment = Font(bold=True), BOX, Alignment(horizontal="center", wrap_text=True)
    targets: dict[str | None, list[str]] = {}
    for target in doc.targets:
        targets.setdefault(target.task, []).append(target.text)
    row = header
    for task in doc.tasks:
        row += 1
        _task_row(sheet, row, doc, task, units, targets.get(task.id, []))
    return header + 1, row


def _task_row(
    sheet: Worksheet, row: int, doc: ExtractedDocument, task: ExtractedTask, units: _Units, targets: list[str]
) -> None:
    units_guessed = doc.mode != "markers" or any("numbering" not in w for w in task.warnings)
    notes = _notes(doc, task)
    values: dict[str, tuple[Any, PatternFill | None]] = {
        "id": (task.id, GUESSED if any("numbering" in w for w in task.warnings) else None),
        "section": (task.section, None),
        "title": (task.title, None),
        "body": (task.body, None),
        "lead": (join_names(task.lead), _unit_fill(task.lead, units, units_guessed)),
        "responsible": (join_names(task.responsible), _unit_fill(task.responsible, units, units_guessed)),
        "supervise": (join_names(task.supervise), _unit_fill(task.supervise, units, False)),
        "deadline": (task.deadline, GUESSED if task.deadline_note else None),
        "recurrence": (task.recurrence, None),
        "targets": ("\n".join(targets) or None, None),
        "notes": ("\n".join(notes) or None, GUESSED if notes else None),
    }
    for c, key in enumerate(m.REVIEW_COLUMNS, start=1):
        value, fill = values[key]
        cell = _put(sheet, row, c, (value or None) if isinstance(value, str) else value, fill=fill)
        cell.border, cell.alignment = BOX, WRAP


def _targets(sheet: Worksheet, doc: ExtractedDocument, header: int) -> None:
    for c, label in enumerate(m.REVIEW_TARGET_COLUMNS.values(), start=1):
        cell = _put(sheet, header, c, label, fill=HEADER)
        cell.font, cell.border = Font(bold=True), BOX
    for row, target in enumerate(doc.targets, start=header + 1):
        for c, value in enumerate(
            (target.id, target.text, target.value, target.unit, target.due, target.task), start=1
        ):
            _put(sheet, row, c, value).border = BOX


def _validation(sheet: Worksheet, units: _Units, header: int, first: int, end: int) -> None:
    """The registry's units as a drop-down on the unit cells (a hint, not a rule: a cell may name several)."""
    if not units.entries:
        return
    source = f"'{m.REVIEW_UNITS_SHEET}'!$A$2:$A${len(units.entries) + 1}"
    rule = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=False)
    columns = list(m.REVIEW_COLUMNS)
    for key in UNIT_COLUMNS:
        letter = get_column_letter(columns.index(key) + 1)
        rule.add(f"{letter}{first}:{letter}{max(end, first)}")
    fields = list(m.REVIEW_FIELDS)
    for key in ("issuer", "addressees"):
        rule.add(f"B{FIRST_FIELD_ROW + fields.index(key)}")
    sheet.add_data_validation(rule)
