"""The 看板's pages (GET): 总览, 文件 → 任务 → 单位, 单位, 指标, 审计, 下载, and the chart and files they link.
Each reads through bot/web/views.py within the viewer's scope; see bot/web/__init__.py for the layout."""

from __future__ import annotations

import asyncio
import datetime as dt
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.chat.digest_on_demand import digest_chart
from bot.chat.exports import bulletin_docx
from bot.chat.web_access import Viewer
from bot.core.models import Document, Task, id_column
from bot.core.vocab import BulletinPeriod, Role
from bot.render import messages as m
from bot.reporting.ledger import build_ledger, xlsx_bytes
from bot.store import audit
from bot.store.assignment_views import is_lead
from bot.store.overview import ledger_rows
from bot.web import views
from bot.web.app import forbidden, message, page, render, web_of

# The 总览 on the wall at the weekly meeting (/?wall=1) reloads itself this often: a report sent in chat during
# the meeting shows without anyone touching the screen. The session (8 hours) outlasts a meeting.
WALL_MINUTES = 5
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@page
async def overview(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    web = web_of(request)
    key, today = ("all" if viewer.coordinator else (viewer.unit_id, viewer.overseer)), web.today()
    data = web.overviews.get(key, today)
    if data is None:
        data = await views.overview(session, viewer, today, web.settings.tz, web.ranking)
        web.overviews.put(key, today, data)
    folds = {"unit_chips": views.UNIT_CHIPS, "document_rows": views.DOCUMENT_ROWS}
    wall = WALL_MINUTES if request.query_params.get("wall") == "1" else None
    return render(request, "overview.html", viewer=viewer, o=data, wall_minutes=wall, **folds)


@page
async def chart(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    """The weekly digest's chart (bot/reporting/chart.py) of what the viewer oversees, as PNG."""
    if not (viewer.coordinator or viewer.overseer):
        return message(request, m.WEB["not_found"], 404, viewer)
    png = await digest_chart(
        session, today=web_of(request).today(), unit_id=None if viewer.coordinator else viewer.unit_id
    )
    if png is None:
        return message(request, m.WEB["nothing"], 404, viewer)
    return Response(png, media_type="image/png")


@page
async def documents(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    counted = await views.viewer_tally(session, viewer, web_of(request).today(), limit=0)
    return render(request, "documents.html", viewer=viewer, documents=counted.documents)


@page
async def document(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    doc_id = request.path_params["doc_id"]
    doc = await session.get(Document, doc_id)
    if doc is None or doc.archived:
        return message(request, m.WEB["not_found"], 404, viewer)
    rows = [r for r in await views.visible_rows(session, viewer) if r.document_id == doc_id]
    if not rows and not viewer.coordinator:
        return forbidden(request, session, viewer, "document", doc_id)
    keys = dict(
        (await session.execute(select(col(Task.key), id_column(Task)).where(col(Task.document_id) == doc_id))).all()
    )
    tasks = views.document_tasks(rows, doc_id, web_of(request).today(), keys)
    return render(request, "document.html", viewer=viewer, doc=doc, tasks=tasks)


@page
async def task(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    task_id = request.path_params["task_id"]
    row = await session.get(Task, task_id)
    if row is None or row.archived:
        return message(request, m.WEB["not_found"], 404, viewer)
    access = await views.task_access(session, viewer, task_id)
    if access is None:
        return forbidden(request, session, viewer, "task", task_id)
    data = await views.task_page(session, viewer, *access)
    leads = viewer.unit_id is not None and await is_lead(session, viewer.unit_id, task_id)
    doc = await session.get(Document, row.document_id)
    return render(
        request, "task.html", viewer=viewer, task=row, doc=doc, p=data, leads=leads, today=web_of(request).today()
    )


@page
async def units(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    web = web_of(request)
    names = None if viewer.coordinator else set((await views.viewer_tally(session, viewer, web.today(), 0)).lights)
    lines = await views.units_page(session, viewer, web.today(), web.settings.tz, names)
    return render(request, "units.html", viewer=viewer, units=lines)


@page
async def targets(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    docs = None
    if not viewer.coordinator:
        docs = {d for d, _, _ in (await views.viewer_tally(session, viewer, web_of(request).today(), 0)).documents}
    lines = await views.targets_page(session, docs)
    return render(request, "targets.html", viewer=viewer, targets=lines, today=web_of(request).today())


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@page
async def audit_log(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    if not viewer.coordinator:
        return forbidden(request, session, viewer, "audit", "-")
    q = request.query_params
    before = q.get("before", "")
    wanted = views.AuditFilter(
        action=q.get("action", "")[:40],
        actor=q.get("actor", "")[:120],
        entity=q.get("entity", "")[:40],
        since=_date(q.get("since")),
        until=_date(q.get("until")),
        before=int(before) if before.isdigit() else None,
    )
    web = web_of(request)
    rows = await views.audit_page(session, wanted, web.settings.tz)
    labels = await views.actor_labels(session, rows, web.settings.coordinator_ids)
    return render(request, "audit.html", viewer=viewer, rows=rows, f=wanted, detail=views.plain_detail, labels=labels)


@page
async def downloads(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    return render(request, "downloads.html", viewer=viewer, periods=list(BulletinPeriod))


def _attachment(content: bytes, name: str, media_type: str) -> Response:
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    )


@page
async def ledger(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    """台账 .xlsx (bot/reporting/ledger.py) of what the viewer sees."""
    web = web_of(request)
    if viewer.coordinator:
        rows = await ledger_rows(session)
    else:
        mine = viewer.unit
        rows = [r for r in await ledger_rows(session) if r.row.unit == mine]
        if viewer.overseer:
            seen = {r.row.assignment_id for r in rows}
            rows += [
                r for r in await ledger_rows(session, overseer_id=viewer.unit_id) if r.row.assignment_id not in seen
            ]
    book = build_ledger(rows, web.today(), web.settings.tz)
    data = await asyncio.to_thread(xlsx_bytes, book)
    audit.record(session, viewer.actor, "web.download", "ledger", "-", rows=len(rows))
    return _attachment(data, f"督办台账-{web.today():%Y%m%d}.xlsx", XLSX)


@page
async def bulletin(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    """督办通报 .docx of the week or month (bot/chat/exports.bulletin_docx): it ranks every unit, coordinators only."""
    if not viewer.coordinator:
        return forbidden(request, session, viewer, "bulletin", "-")
    period = request.path_params["period"]
    if period not in set(BulletinPeriod):
        return message(request, m.WEB["not_found"], 404, viewer)
    web = web_of(request)
    name, data = await bulletin_docx(session, period, web.today(), tz=web.settings.tz)
    audit.record(session, viewer.actor, "web.download", "bulletin", period)
    return _attachment(data, name, DOCX)


def leads_roles(viewer: Viewer) -> bool:
    return Role.LEAD in viewer.roles


ROUTES = [
    Route("/chart.png", chart),
    Route("/documents", documents),
    Route("/documents/{doc_id}", document),
    Route("/tasks/{task_id:int}", task),
    Route("/units", units),
    Route("/targets", targets),
    Route("/audit", audit_log),
    Route("/downloads", downloads),
    Route("/downloads/ledger.xlsx", ledger),
    Route("/downloads/bulletin-{period}.docx", bulletin),
]
