"""Review of an extraction on the 看板, **read-only**: a coordinator uploads a 工作方案 (.txt .html .docx .xlsx
.pdf), the extractor (bot/extract, as `taskbot extract`) reads it against the units of TASKS_FILE, and the page
shows each extracted task beside the source line it came from, with the extractor's warnings. Fixing a cell
and importing are not on the web yet: the page says so and points to `taskbot extract -o FILE` and `taskbot
import FILE`. Nothing is stored; the upload is read in memory (at most the extractor's MAX_BYTES) and audited
(`web.extract`, the file's name and size)."""

from __future__ import annotations

import asyncio
from pathlib import PurePath

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.chat.web_access import Viewer
from bot.core.errors import InputError, TaskbotError
from bot.extract import extract_text, load_registry
from bot.extract.model import Extraction
from bot.extract.reader import MAX_BYTES, parse_bytes
from bot.render import messages as m
from bot.store import audit
from bot.web.app import action, forbidden, message, page, render, web_of

CONTEXT_LINES = 1  # source lines shown before and after a task's own line


@page
async def extract_form(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    if not viewer.coordinator:
        return forbidden(request, session, viewer, "extract", "-")
    return render(request, "extract.html", viewer=viewer, extraction=None)


def _run(raw: bytes, name: str, registry: PurePath | None) -> tuple[Extraction, list[str]]:
    """The extraction and the source's lines (pure CPU: run in a worker thread)."""
    source = parse_bytes(raw, name, suffix=PurePath(name).suffix.lower())
    book = load_registry(registry)  # type: ignore[arg-type]
    return extract_text(source.text, source.name, book, registry_name=str(registry) if registry else None), (
        source.text.splitlines()
    )


def beside(lines: list[str], line: int | None) -> list[tuple[int, str]]:
    """The numbered source lines around `line` (1-based), for the task shown beside them."""
    if line is None:
        return []
    first, last = max(1, line - CONTEXT_LINES), min(len(lines), line + CONTEXT_LINES)
    return [(n, lines[n - 1]) for n in range(first, last + 1)]


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
        extraction, lines = await asyncio.to_thread(_run, raw, name, registry)
    except InputError as exc:
        return message(request, "；".join(str(p) for p in exc.problems), 400, viewer)
    except TaskbotError as exc:
        return message(request, str(exc), 400, viewer)
    audit.record(session, viewer.actor, "web.extract", "document", name[:120], size=len(raw))
    return render(request, "extract.html", viewer=viewer, extraction=extraction, lines=lines, beside=beside)


ROUTES = [
    Route("/extract", extract_form, methods=["GET"]),
    Route("/extract", extract_upload, methods=["POST"]),
]
