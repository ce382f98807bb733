"""/export, /chart and /bulletin: the 台账 (.xlsx), the progress chart (.png) and the 督办通报 (.docx) of what the
asking chat may see, as a file to that chat through the outbox.

Who gets what: a coordinator all tasks; a lead unit's or a 督查单位's chat every unit's rows of the tasks it
leads or supervises (as its weekly digest has them); a unit that leads and supervises nothing, and a chat of
no unit, a refusal. The 督办通报 ranks every unit: it is the 督查室's document, for coordinators only. A lead
unit gets its chart here, on demand: the weekly tick draws only the
coordinators' (scheduler/jobs.py `weekly_chart`).

Why the outbox and not a direct answer like the other commands' (handlers/common.py): a file is the one
answer that can take long to upload and that a retried update must not send twice. In the outbox it is
keyed by the request (`key`, from the chat, the message id and its time: an update Telegram delivers again
offers the same key and inserts nothing), stored before anything is sent, and the sender's rules apply —
a timeout is retried with backoff, a 429 waited out, a blocked chat marked — instead of a handler's answer
that, failing, would have to be queued anyway. The handler answers at once that the file is coming; the
sender delivers it within its next run (5 s).

The file is built in a worker thread (openpyxl over thousands of rows, matplotlib): the bot's event loop
answers other chats meanwhile. The 督办通报 read from the store (`read_bulletin`, `bulletin_docx`) serves the
看板's download and `taskbot bulletin` too: bot/reporting/ builds and lays it out from values only.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from html import escape

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.chat.digest_on_demand import digest_chart
from bot.core import db
from bot.core.memory import collector_paused
from bot.core.models import Unit
from bot.core.vocab import BulletinPeriod, FileRequest
from bot.render import messages as m
from bot.reporting import bulletin as bulletins
from bot.reporting.bulletin import Bulletin, build_bulletin
from bot.reporting.bulletin_docx import render_docx
from bot.reporting.ledger import build_ledger, xlsx_bytes
from bot.store.assignment_views import overseer_roles
from bot.store.outbox import document_for_chat, enqueue, photo_for_chat
from bot.store.overview import ledger_rows
from bot.store.ranking_inputs import ranking_inputs


@dataclass(frozen=True)
class FileRequester:
    """Who asks for a file, where it goes, and under which outbox key (see the module docstring)."""

    chat_id: int
    unit: Unit | None
    coordinator: bool
    today: dt.date
    tz: dt.tzinfo
    key: str


@dataclass(frozen=True)
class FileAnswer:
    outcome: FileRequest
    rows: int = 0  # rows of the 台账 sent


async def _scope(session: AsyncSession, unit: Unit | None, coordinator: bool) -> FileRequest | int | None:
    """None: all tasks (a coordinator); a unit id: the tasks it leads or supervises; else why not."""
    if coordinator:
        return None
    if unit is None or unit.id is None:
        return FileRequest.UNBOUND
    return unit.id if await overseer_roles(session, unit.id) else FileRequest.NOT_LEAD


async def export_ledger(session: AsyncSession, asker: FileRequester) -> FileAnswer:
    """The 台账 as of `today` to the chat, as a document under `key` (see the module docstring)."""
    chat_id, unit, today, tz, key = asker.chat_id, asker.unit, asker.today, asker.tz, asker.key
    scope = await _scope(session, unit, asker.coordinator)
    if isinstance(scope, FileRequest):
        return FileAnswer(scope)
    rows = await ledger_rows(session, overseer_id=scope)
    if not rows:
        return FileAnswer(FileRequest.EMPTY)
    ledger = build_ledger(rows, today, tz)
    content = await asyncio.to_thread(xlsx_bytes, ledger)
    date = today.isoformat()
    if scope is None or unit is None:
        name, caption = m.EXPORT_FILE.format(date=date), m.EXPORT_CAPTION.format(date=date, rows=len(ledger.rows))
    else:
        name = m.EXPORT_FILE_LEAD.format(unit=unit.name, date=date)
        caption = m.EXPORT_CAPTION_LEAD.format(unit=escape(unit.name), date=date, rows=len(ledger.rows))
    await enqueue(session, [document_for_chat(chat_id, name, content, caption, key)])
    return FileAnswer(FileRequest.QUEUED, len(ledger.rows))


async def send_chart(session: AsyncSession, asker: FileRequester) -> FileAnswer:
    """The progress chart (the weekly digest's, bot/reporting/chart.py) as of `today` to the chat, as a photo."""
    chat_id, unit, today, key = asker.chat_id, asker.unit, asker.today, asker.key
    scope = await _scope(session, unit, asker.coordinator)
    if isinstance(scope, FileRequest):
        return FileAnswer(scope)
    png = await digest_chart(session, today=today, unit_id=scope)
    if png is None:
        return FileAnswer(FileRequest.EMPTY)
    date = today.isoformat()
    caption = (
        m.CHART_CAPTION.format(date=date)
        if scope is None or unit is None
        else m.CHART_CAPTION_LEAD.format(unit=escape(unit.name), date=date)
    )
    await enqueue(session, [photo_for_chat(chat_id, m.CHART_FILE.format(date=date), png, caption, key)])
    return FileAnswer(FileRequest.QUEUED)


PERIOD_WORDS = {
    "": BulletinPeriod.MONTH,
    "月": BulletinPeriod.MONTH,
    "本月": BulletinPeriod.MONTH,
    "month": BulletinPeriod.MONTH,
    "周": BulletinPeriod.WEEK,
    "本周": BulletinPeriod.WEEK,
    "week": BulletinPeriod.WEEK,
}


def bulletin_period(argument: str) -> BulletinPeriod | None:
    """/bulletin's argument: nothing or 月 is this month, 周 this week; anything else None (the usage)."""
    return PERIOD_WORDS.get(argument.strip().lower())


async def send_bulletin(session: AsyncSession, asker: FileRequester, period: BulletinPeriod) -> FileAnswer:
    """The 督办通报 of the week or month holding `today` (bot/reporting/bulletin.py) to a coordinator's chat."""
    if not asker.coordinator:
        return FileAnswer(FileRequest.NOT_COORDINATOR)
    name, content = await bulletin_docx(session, period, asker.today, tz=asker.tz)
    caption = m.BULLETIN_CAPTION.format(period=m.BULLETIN_PERIOD_NAMES[period], date=asker.today.isoformat())
    await enqueue(session, [document_for_chat(asker.chat_id, name, content, caption, asker.key)])
    return FileAnswer(FileRequest.QUEUED)


async def read_bulletin(session: AsyncSession, period: BulletinPeriod, as_of: dt.date, tz: dt.tzinfo) -> Bulletin:
    """The bulletin of the week or month holding `as_of` from the store (four queries, any number of units).
    The cyclic collector is paused meanwhile: the facts are some 100,000 small objects without cycles."""
    now, before = bulletins.bulletin_period(period, as_of)
    with collector_paused():
        inputs = await ranking_inputs(session, since=before.begins(tz), until=now.ends(tz), first_end=before.ends(tz))
        return build_bulletin(inputs, period, as_of, tz)


async def bulletin_docx(
    source: AsyncSession | AsyncEngine, period: BulletinPeriod | str, as_of: dt.date, *, tz: dt.tzinfo | None = None
) -> tuple[str, bytes]:
    """(file name, .docx bytes) of the 督办通报 of the week or month holding `as_of` — what /bulletin sends.
    `tz` defaults to the configured zone."""
    if tz is None:
        from bot.core.settings import get_settings

        tz = get_settings().tz
    kind = BulletinPeriod(period)
    if isinstance(source, AsyncSession):
        bulletin = await read_bulletin(source, kind, as_of, tz)
    else:
        async with db.session_scope(source) as session:
            bulletin = await read_bulletin(session, kind, as_of, tz)
    return bulletin.filename, render_docx(bulletin)
