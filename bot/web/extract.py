"""Review of an extraction on the 看板, coordinators only: upload a 工作方案 (.txt .html .docx .xlsx .pdf), see
each extracted task beside the source lines it came from, fix a cell (任务, 牵头单位, 责任单位, 督查单位, 完成时限,
and above the table the document's 文件编号, 文件标题, 简称, 发文单位, 文号 and 发文日期: an issuer the extractor
guessed wrong was a trip to the Excel sheet), import the document.

It is the review sheet's review, not a second one (`taskbot extract DOC --xlsx FILE`, then `taskbot import`):
- the extraction (bot/extract, against the units of TASKS_FILE) is written as the review sheet
  (bot/extract/review_writer.py); the page's cells are that workbook's cells;
- a fix is written into its cell, and the workbook is read back and checked by the tasks file's rules
  (bot/tasksfile/review_book.py, then the loader), so a problem is the one `taskbot import` would report and
  is shown at the cell it names (`sheet!F7`); a problem of a cell the page does not edit is listed above;
- 导入 imports the checked catalog with the importer (bot/tasksfile/importer.py) beside the store's other
  documents (`whole=False`: none is archived, units are only added); a document already in the store (the
  same file uploaded again) is updated in place, and the page says so before.
Nothing is kept on the server between the steps: the workbook, the source lines and the extractor's notes
travel in the form, compressed, signed with the session (`web_access.signature`): the server takes back only what
it handed this session. Audited: the upload (`web.extract`: the file's name and size), an import
(`web.extract.import`, with the importer's own rows) and an import refused for its problems
(`web.extract.refused`); a check changes nothing and is not.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import io
import json
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.chat import web_access
from bot.chat.web_access import Viewer
from bot.core.errors import InputError, Problem, TaskbotError
from bot.core.models import Document
from bot.extract import extract_text, load_registry
from bot.extract.model import Extraction
from bot.extract.reader import MAX_BYTES, parse_bytes
from bot.extract.review_writer import build_workbook
from bot.render import messages as m
from bot.store import audit
from bot.tasksfile.importer import Clock, import_catalog
from bot.tasksfile.loader import Catalog, catalog_of
from bot.tasksfile.review_book import SheetDoc, cell_name, join_names, read_workbook_bytes
from bot.web.app import COOKIE, action, forbidden, message, page, render, web_of

CONTEXT_LINES = 1  # source lines shown before and after a task's own line
EDITABLE = ("title", "lead", "responsible", "supervise", "deadline")  # the task cells the page edits
HEADER = ("id", "title", "short", "issuer", "number", "issued")  # the document's fields above the table it edits
DATES = frozenset({"deadline", "issued"})  # an ISO date typed in these is a date in the sheet
UNIT_KEYS = frozenset({"lead", "responsible", "supervise"})
MAX_TASKS = 2_000  # task rows the page offers to edit (a 工作方案 has tens; the sheet reads up to 20,000)


@dataclass
class Draft:
    """What the page carries between the steps: the review workbook and what the sheet does not hold."""

    name: str  # the uploaded file's name
    xlsx: bytes
    beside: list[list[tuple[int, str, bool]]]  # per task row, in order: its numbered source lines (its own: True)
    notes: list[list[str]]  # per task row: the extractor's warnings
    warnings: list[str] = field(default_factory=list)  # the document's
    new_units: list[str] = field(default_factory=list)  # units the registry does not have

    def pack(self) -> str:
        data = asdict(self) | {"xlsx": base64.b64encode(self.xlsx).decode("ascii")}
        return base64.urlsafe_b64encode(zlib.compress(json.dumps(data, ensure_ascii=False).encode(), 6)).decode()

    @classmethod
    def unpack(cls, text: str) -> Draft:
        data = json.loads(zlib.decompress(base64.urlsafe_b64decode(text.encode("ascii")), bufsize=MAX_BYTES))
        data["xlsx"] = base64.b64decode(data["xlsx"])
        data["beside"] = [[(n, line, this) for n, line, this in rows] for rows in data["beside"]]
        return cls(**data)


@dataclass
class Row:
    """One task row of the page: its cells' values as text and the problems at each."""

    index: int
    key: str
    values: dict[str, str]
    beside: list[tuple[int, str, bool]]
    notes: list[str]
    errors: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class HeaderField:
    """One of the document's fields above the table: its label (the sheet's column A), value and problems."""

    key: str
    label: str
    value: str
    errors: list[str] = field(default_factory=list)


@dataclass
class Review:
    """The page: the document, its task rows, the problems of cells it does not edit, and the catalog when
    there is no problem (what 导入 imports)."""

    draft: Draft
    title: str
    doc_id: str
    rows: list[Row]
    problems: list[str] = field(default_factory=list)
    catalog: Catalog | None = None
    known: bool = False  # the document is in the store already: 导入 updates it
    header: list[HeaderField] = field(default_factory=list)


def beside(lines: list[str], line: int | None) -> list[tuple[int, str, bool]]:
    """The numbered source lines around `line` (1-based), for the task shown beside them; True: `line`."""
    if line is None:
        return []
    first, last = max(1, line - CONTEXT_LINES), min(len(lines), line + CONTEXT_LINES)
    return [(n, lines[n - 1], n == line) for n in range(first, last + 1)]


def _extract(raw: bytes, name: str, registry: PurePath | None) -> Draft:
    """The upload as a draft: extracted, written as the review sheet (pure CPU: run in a worker thread)."""
    source = parse_bytes(raw, name, suffix=PurePath(name).suffix.lower())
    book = load_registry(registry)  # type: ignore[arg-type]
    extraction: Extraction = extract_text(
        source.text, source.name, book, registry_name=str(registry) if registry else None
    )
    buffer = io.BytesIO()
    build_workbook([extraction], book.entries.values()).save(buffer)
    lines = source.text.splitlines()
    doc = extraction.document
    return Draft(
        name=name,
        xlsx=buffer.getvalue(),
        beside=[beside(lines, task.source_line) for task in doc.tasks],
        notes=[list(task.warnings) for task in doc.tasks],
        warnings=list(doc.warnings),
        new_units=[u.name for u in extraction.units if u.new],
    )


def _shown(key: str, value: Any) -> str:
    """A cell's value as the page shows and takes it: units 、-joined, a date ISO."""
    if value is None:
        return ""
    if key in UNIT_KEYS:
        return join_names(value)
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _cell_value(key: str, text: str) -> Any:
    """What the page's text becomes in the sheet: a 完成时限 that is an ISO date is a date, as the writer puts
    it; empty is an empty cell; the rest is text."""
    text = text.strip()
    if not text:
        return None
    if key in DATES:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _write(xlsx: bytes, cells: dict[tuple[str, int, int], Any]) -> bytes:
    """The workbook with `cells` ((sheet, row, column) → value) set, text kept as text (a `=…` is no formula)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx))
    for (sheet, row, column), value in cells.items():
        cell = book[sheet].cell(row=row, column=column)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
        elif isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _tasks(sheet: SheetDoc) -> list[dict[str, Any]]:
    documents = sheet.data["documents"]
    return list(documents[0].get("tasks", []))[:MAX_TASKS] if documents else []


def _edits(sheet: SheetDoc, form: Any) -> dict[tuple[str, int, int], Any]:
    """The cells the form changed: each header field and task row's editable cell whose posted text differs
    from the sheet's."""
    document = sheet.data["documents"][0] if sheet.data["documents"] else {}
    fields: list[tuple[str, tuple[str | int, ...], str, Any]] = [
        (f"d.{key}", ("documents", 0, key), key, document.get(key)) for key in HEADER
    ]
    for i, task in enumerate(_tasks(sheet)):
        fields += [(f"t{i}.{key}", ("documents", 0, "tasks", i, key), key, task.get(key)) for key in EDITABLE]
    changed: dict[tuple[str, int, int], Any] = {}
    for name, loc, key, value in fields:
        posted, where = form.get(name), sheet.cells.get(loc)
        if posted is not None and where is not None and str(posted).strip() != _shown(key, value):
            changed[where] = _cell_value(key, str(posted))
    return changed


def review(draft: Draft, form: Any = None) -> Review:
    """The draft with the form's fixes written into its workbook, read back and checked (pure: a worker thread)."""
    try:
        sheet = read_workbook_bytes(draft.xlsx, draft.name)
        if form is not None:
            edits = _edits(sheet, form)
            if edits:
                draft.xlsx = _write(draft.xlsx, edits)
                sheet = read_workbook_bytes(draft.xlsx, draft.name)
    except InputError as exc:  # not the sheet the writer wrote: nothing to show but why
        return Review(draft, draft.name, "", [], [str(p) for p in exc.problems])
    document = sheet.data["documents"][0] if sheet.data["documents"] else {}
    rows = [
        Row(
            i,
            str(task.get("id") or ""),
            {key: _shown(key, task.get(key)) for key in EDITABLE},
            draft.beside[i] if i < len(draft.beside) else [],
            draft.notes[i] if i < len(draft.notes) else [],
        )
        for i, task in enumerate(_tasks(sheet))
    ]
    found = Review(draft, str(document.get("title") or draft.name), str(document.get("id") or ""), rows)
    found.header = [
        HeaderField(key, m.REVIEW_FIELDS[key], _shown(key, document.get(key)))
        for key in HEADER
        if ("documents", 0, key) in sheet.cells
    ]
    try:
        found.catalog = catalog_of(sheet)
    except InputError as exc:
        _place(found, sheet, exc.problems)
    return found


def _place(found: Review, sheet: SheetDoc, problems: list[Problem]) -> None:
    """Each problem at the page's cell it names (`sheet!F7`), or in the list above the table."""
    at: dict[str, list[str]] = {}
    for row in found.rows:
        for key in EDITABLE:
            where = sheet.cells.get(("documents", 0, "tasks", row.index, key))
            if where is not None:
                at[cell_name(*where)] = row.errors.setdefault(key, [])
    for shown in found.header:
        at[cell_name(*sheet.cells[("documents", 0, shown.key)])] = shown.errors
    for problem in problems:
        errors = at.get(problem.path) if problem.line is None else None
        if errors is None:
            found.problems.append(str(problem))
        else:
            errors.append(problem.message)
    for row in found.rows:
        row.errors = {key: errors for key, errors in row.errors.items() if errors}


def _draft_fields(request: Request, draft: Draft) -> dict[str, str]:
    packed = draft.pack()
    return {"draft": packed, "sig": web_access.signature(request.cookies.get(COOKIE, ""), packed.encode())}


def _show(request: Request, viewer: Viewer, found: Review, status: int = 200) -> Response:
    return render(request, "extract.html", status, viewer=viewer, r=found, carried=_draft_fields(request, found.draft))


@page
async def extract_form(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    if not viewer.coordinator:
        return forbidden(request, session, viewer, "extract", "-")
    return render(request, "extract.html", viewer=viewer, r=None)


@action
async def extract_upload(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    if not viewer.coordinator:
        return forbidden(request, session, viewer, "extract", "-")
    upload = request.state.form.get("document")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return message(request, m.WEB["extract_none"], 400, viewer)
    raw = await upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        return message(request, m.WEB["extract_too_big"], 413, viewer)
    tasks_file = web_of(request).settings.tasks_file
    registry = tasks_file if tasks_file.exists() else None
    name = PurePath(upload.filename).name
    try:
        draft = await asyncio.to_thread(_extract, raw, name, registry)
    except InputError as exc:
        return message(request, "；".join(str(p) for p in exc.problems), 400, viewer)
    except TaskbotError as exc:
        return message(request, str(exc), 400, viewer)
    audit.record(session, viewer.actor, "web.extract", "document", name[:120], size=len(raw))
    found = await asyncio.to_thread(review, draft)
    found.known = await _known(session, found.doc_id)
    return _show(request, viewer, found)


async def _known(session: AsyncSession, doc_id: str) -> bool:
    return bool(doc_id) and await session.get(Document, doc_id) is not None


@action
async def extract_review(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    """检查 (the fixes written and checked, the page again) or 导入 (and, without a problem, imported)."""
    if not viewer.coordinator:
        return forbidden(request, session, viewer, "extract", "-")
    form = request.state.form
    packed = str(form.get("draft") or "")
    if not web_access.signature_ok(request.cookies.get(COOKIE, ""), packed.encode(), str(form.get("sig") or "")):
        audit.record(session, viewer.actor, "access.refused", "web", request.url.path, action="draft")
        return message(request, m.WEB["bad_form"], 403, viewer)
    try:
        draft = Draft.unpack(packed)
    except (ValueError, KeyError, TypeError, zlib.error, binascii.Error):
        return message(request, m.WEB["bad_form"], 400, viewer)
    found = await asyncio.to_thread(review, draft, form)
    found.known = await _known(session, found.doc_id)
    if form.get("do") != "import":
        return _show(request, viewer, found)
    if found.catalog is None:
        problems = len(found.problems) + sum(len(e) for row in found.rows for e in row.errors.values())
        audit.record(session, viewer.actor, "web.extract.refused", "document", found.doc_id or "-", problems=problems)
        return _show(request, viewer, found, 400)
    web = web_of(request)
    result = await import_catalog(session, found.catalog, actor=viewer.actor, clock=Clock(web.today()), whole=False)
    name, counts = draft.name[:120], result.counts
    audit.record(session, viewer.actor, "web.extract.import", "document", found.doc_id, name=name, counts=counts)
    return RedirectResponse(f"/documents/{quote(found.doc_id)}?imported=1", status_code=303)


ROUTES = [
    Route("/extract", extract_form, methods=["GET"]),
    Route("/extract", extract_upload, methods=["POST"]),
    Route("/extract/review", extract_review, methods=["POST"]),
]
