"""The inbox (bot/inbound.py, bot/store/inbox.py) and the webhook's update path (bot/webhook.py), in process:
an update is committed before it is acknowledged, handled once per update_id, and the webhook refuses an
unauthenticated or oversized body before reading it (issue 23 §1, §4.3)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, TypeHandler

from bot import webhook
from bot.core import db
from bot.core.models import Inbox
from bot.core.runtime import CONTEXT_TYPES
from bot.core.settings import Settings
from bot.inbound import Inbound
from bot.store import inbox
from tests.reliability.conftest import free_port
from tests.reliability.test_store_faults import read_only_engine
from tests.support.fakebotapi import FakeBotApi

TOKEN = "135792468:AAAppTestsFakeToken_abcdefghijklmnopqrs"
SECRET = "secret-of-the-inbox-test"


def _update(update_id: int, chat: int = 501) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_700_000_000,
            "chat": {"id": chat, "type": "private", "first_name": "联络员"},
            "from": {"id": chat, "is_bot": False, "first_name": "联络员"},
            "text": f"第{update_id}条",
        },
    }


@pytest.fixture
async def handled_app(tmp_path: Path, engine: AsyncEngine) -> AsyncIterator[tuple[Application, list[int]]]:
    """A real Application on the store whose one handler records the update ids it is given."""
    api = FakeBotApi()
    api.thread = threading.Thread(target=api.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    api.__enter__()
    builder = ApplicationBuilder().token(TOKEN).context_types(CONTEXT_TYPES).updater(None).base_url(api.base_url)
    application = builder.build()
    application.bot_data.attach(Settings(telegram_bot_token=TOKEN, database_url="sqlite+aiosqlite://"), engine)
    seen: list[int] = []

    async def record(update: Update, _context: object) -> None:
        seen.append(update.update_id)

    application.add_handler(TypeHandler(Update, record))
    await application.initialize()
    yield application, seen
    await application.shutdown()
    api.__exit__()


async def _drain(inbound: Inbound) -> None:
    while not inbound.queue.empty():
        update_id = inbound.queue.get_nowait()
        await inbound.handle(update_id)
        inbound.pending.discard(update_id)


async def _rows(engine: AsyncEngine) -> list[tuple[int, bool]]:
    async with db.session_scope(engine) as session:
        rows = await session.execute(select(Inbox.update_id, Inbox.handled_at).order_by(Inbox.update_id))
        return [(i, h is not None) for i, h in rows]


async def test_an_update_is_handled_once_however_often_it_comes(handled_app, engine: AsyncEngine) -> None:
    application, seen = handled_app
    inbound = Inbound(application)
    await inbound.receive([_update(7), _update(8)])
    await inbound.receive([_update(7)])  # Telegram sends it again (its offset was never confirmed)
    await _drain(inbound)
    await inbound.receive([_update(8)])  # and once more after it was handled
    await _drain(inbound)
    assert seen == [7, 8]
    assert await _rows(engine) == [(7, True), (8, True)]


async def test_updates_stored_by_a_dead_process_are_handled_at_start(handled_app, engine: AsyncEngine) -> None:
    """The process that stored 11 and 12 and claimed 11 is gone (another start of this host, same PID): both
    are handled by the next start, in order, once."""
    application, seen = handled_app
    now = dt.datetime.now(dt.UTC)
    dead = Inbound(application)
    dead.worker = dead.worker.rsplit(":", 1)[0] + ":000000"  # this PID, another nonce: a container restarted
    async with db.session_scope(engine) as session:
        await inbox.store(session, [_update(11), _update(12)], now)
        assert await inbox.claim(session, 11, dead.worker, now) is not None
    fresh = Inbound(application)
    assert await fresh.recover(fresh=dt.timedelta(0)) == 2
    await _drain(fresh)
    assert seen == [11, 12]
    assert await _rows(engine) == [(11, True), (12, True)]


async def test_a_store_that_refuses_writes_hands_the_update_over_unstored(
    handled_app, engine: AsyncEngine, store_url: str
) -> None:
    """Disk full or read-only: the update goes to PTB's own queue, so the handlers still tell the user nothing
    was saved and alert the coordinators, instead of the update waiting at Telegram unseen."""
    application, _ = handled_app
    inbound = Inbound(application)
    frozen = read_only_engine(store_url)
    application.bot_data.engine = frozen
    try:
        await inbound.receive([_update(41)])
    finally:
        application.bot_data.engine = engine
        await frozen.dispose()
    assert application.update_queue.get_nowait().update_id == 41
    assert inbound.queue.empty() and await _rows(engine) == []


async def test_an_update_that_found_the_database_away_is_handled_again_and_told_once(
    tmp_path: Path, engine: AsyncEngine
) -> None:
    """The handler's store call fails as a PostgreSQL restart makes it fail (a connection invalidated): the
    sender is told once to wait (not the generic error), the row stays unhandled, and the next sweep hands it
    to the handlers again, which then answer it."""
    from bot.render import messages as m
    from handlers.errors import on_error

    with FakeBotApi() as api:
        builder = ApplicationBuilder().token(TOKEN).context_types(CONTEXT_TYPES).updater(None).base_url(api.base_url)
        application = builder.build()
        settings = Settings(telegram_bot_token=TOKEN, database_url="sqlite+aiosqlite://")
        application.bot_data.attach(settings, engine)
        calls: list[int] = []

        async def report(update: Update, context: Any) -> None:
            calls.append(update.update_id)
            if len(calls) < 3:  # away for two tries
                raise DBAPIError("SELECT 1", {}, Exception("server closed the connection"), connection_invalidated=True)
            await context.bot.send_message(update.effective_chat.id, "已记录")

        application.add_handler(TypeHandler(Update, report))
        application.add_error_handler(on_error)
        await application.initialize()
        try:
            inbound = Inbound(application)
            await inbound.receive([_update(61)])
            for _ in range(3):
                await _drain(inbound)
                await inbound._sweep()
        finally:
            await application.shutdown()
        texts = [r["text"] for r in api.script.received if str(r.get("chat_id")) == "501"]
    assert calls == [61, 61, 61]
    assert texts == [m.STORE_AWAY, "已记录"]
    assert await _rows(engine) == [(61, True)]


async def test_a_report_committed_is_not_handled_again_when_the_inbox_mark_fails(
    tmp_path: Path, engine: AsyncEngine, store_url: str
) -> None:
    """PostgreSQL goes away after a report's transaction committed and its 已记录 went out, so the inbox's own
    mark of the update fails and the sweep takes the update again. The report's transaction marked it handled
    (handlers/common.transaction `settles`), so the sweep finds nothing to do: one 已记录, not a second one
    (nor a second report, once the contact's next report has made the first look new)."""
    from handlers.common import transaction

    with FakeBotApi() as api:
        builder = ApplicationBuilder().token(TOKEN).context_types(CONTEXT_TYPES).updater(None).base_url(api.base_url)
        application = builder.build()
        application.bot_data.attach(Settings(telegram_bot_token=TOKEN, database_url="sqlite+aiosqlite://"), engine)
        frozen = read_only_engine(store_url)
        calls: list[int] = []

        async def report(update: Update, context: Any) -> None:
            calls.append(update.update_id)
            async with transaction(context, settles=update) as session:
                await session.execute(select(func.count()).select_from(Inbox))
            await context.bot.send_message(update.effective_chat.id, "已记录")
            if len(calls) == 1:  # the store refuses the next write: the inbox's own mark
                application.bot_data.engine = frozen

        application.add_handler(TypeHandler(Update, report))
        await application.initialize()
        try:
            inbound = Inbound(application)
            await inbound.receive([_update(71)])
            await inbound._handle_logged(inbound.queue.get_nowait())
            application.bot_data.engine = engine
            assert inbound.retry == {71}
            for _ in range(2):
                await inbound._sweep()
                await _drain(inbound)
        finally:
            application.bot_data.engine = engine
            await application.shutdown()
            await frozen.dispose()
        texts = [r["text"] for r in api.script.received if str(r.get("chat_id")) == "501"]
    assert calls == [71]
    assert texts == ["已记录"]
    assert await _rows(engine) == [(71, True)]


async def test_handled_rows_are_pruned_after_a_week(engine: AsyncEngine) -> None:
    now = dt.datetime.now(dt.UTC)
    async with db.session_scope(engine) as session:
        await inbox.store(session, [_update(1), _update(2)], now - dt.timedelta(days=9))
        await inbox.claim(session, 1, "w", now - dt.timedelta(days=9))
        await inbox.handled(session, 1, "w", now - dt.timedelta(days=8))
        assert await inbox.prune(session, now) == 1
        left = (await session.execute(select(func.count()).select_from(Inbox))).scalar_one()
    assert left == 1  # the unhandled one stays, however old


async def _raw_post(port: int, headers: dict[str, str], body: bytes = b"") -> int:
    """The status line's code; the body (if any) is sent only after the headers, and the answer is waited
    for at most 5 s — a server that reads the declared body first never answers in time."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = ["POST /tg/hook HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    writer.write("\r\n".join(lines).encode() + body)
    await writer.drain()
    try:
        status = await asyncio.wait_for(reader.readline(), 5)
    finally:
        writer.close()
    return int(status.split()[1])


@pytest.fixture
async def server(handled_app) -> AsyncIterator[tuple[int, Inbound]]:
    application, _ = handled_app
    inbound = Inbound(application)

    async def probe() -> tuple[int, dict]:
        return 200, {}

    port = free_port()
    http = webhook.make_server(inbound, "/tg/hook", SECRET, probe)
    http.listen(port, address="127.0.0.1")
    yield port, inbound
    http.stop()
    await http.close_all_connections()


async def test_a_body_without_the_secret_is_refused_before_it_is_read(server) -> None:
    port, _ = server
    headers = {"Content-Type": "application/json", "Content-Length": str(95 * 1024 * 1024)}
    assert await _raw_post(port, headers) == 403  # answered with not one byte of the 95 MB sent


async def test_a_body_over_1_mb_is_refused_before_it_is_read(server) -> None:
    port, _ = server
    headers = {"Content-Type": "application/json", "Content-Length": str(2 * 1024 * 1024)}
    assert await _raw_post(port, {**headers, webhook.SECRET_HEADER: SECRET}) == 413


async def test_an_update_is_committed_before_the_200(server, engine: AsyncEngine) -> None:
    port, inbound = server
    body = json.dumps(_update(31)).encode()
    headers = {"Content-Type": "application/json", "Content-Length": str(len(body)), webhook.SECRET_HEADER: SECRET}
    assert await _raw_post(port, headers, body) == 200
    assert await _rows(engine) == [(31, False)]  # stored, not handled yet: the worker takes it from here
    assert list(inbound.pending) == [31]
    bad = b'{"update_id": "x"'
    assert await _raw_post(port, {**headers, "Content-Length": str(len(bad))}, bad) == 400
