"""The sender's recovery rules, in process and on both stores (the process-level tests next to this file
show them end to end): rows left `sending` by a dead local process are taken back at once, a Telegram
that cannot be reached costs no attempt and no order, and the outage is logged once, not per retry."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import subprocess

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.request import HTTPXRequest

from bot.core import db
from bot.core.models import Chat, Outbox, Unit
from bot.core.network import unreachable
from bot.core.vocab import OutboxStatus
from bot.store.outbox import Outgoing, enqueue
from scheduler.jobs import SendState, log_drain
from scheduler.sender import DrainResult, Pacer, SenderConfig, claim, drain, orphaned, worker_id
from scheduler.transport import BotTransport, MemoryTransport
from tests.support.fakebotapi import FakeBotApi

pytestmark = pytest.mark.reliability

TOKEN = "123456:TEST-token-for-the-sender-recovery-tests"
T0 = dt.datetime(2025, 3, 3, 1, 30, tzinfo=dt.UTC)
CONFIG = SenderConfig(batch=4)


async def _nosleep(_seconds: float) -> None:
    return None


def _pacer() -> Pacer:
    return Pacer(CONFIG, lambda: 0.0, _nosleep)


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def _like(me: str, pid: int | str, nonce: str = "abcdef", host: str | None = None) -> str:
    """A worker name of this host and PID namespace (or `host`), with another PID and nonce."""
    here = me.rsplit(":", 2)[0]
    return f"{host or here}:{pid}:{nonce}"


def test_which_claimers_are_orphans() -> None:
    me = worker_id()
    assert len(me) <= 80 and me.count(":") >= 3
    assert orphaned(me, me)  # this process's own failed drain
    assert orphaned(_like(me, _dead_pid()), me)  # a local process that is gone
    assert orphaned(_like(me, os.getpid(), "0f0f0f"), me)  # our PID, an earlier start (a container)
    assert not orphaned(_like(me, os.getppid()), me)  # a live local process: the lease decides
    assert not orphaned(_like(me, _dead_pid(), host="elsewhere:4026531836"), me)  # another host
    assert not orphaned(_like(me, _dead_pid(), host=f"{socket.gethostname()[:40]}:1"), me)  # another PID ns
    assert not orphaned("dead-worker", me) and not orphaned("host:12:34:x:y", me) and not orphaned("", me)


def test_what_counts_as_unreachable() -> None:
    def caused(exc: Exception, cause: BaseException) -> Exception:
        exc.__cause__ = cause
        return exc

    request = httpx.Request("POST", "http://127.0.0.1:9/bot/sendMessage")
    assert unreachable(caused(NetworkError("httpx.ConnectError: refused"), httpx.ConnectError("x", request=request)))
    assert unreachable(caused(NetworkError("httpx.RemoteProtocolError"), httpx.RemoteProtocolError("x")))
    assert unreachable(caused(TimedOut(), httpx.ConnectTimeout("x")))
    assert not unreachable(caused(TimedOut(), httpx.ReadTimeout("x")))  # it may have arrived: per-row backoff
    # a proxy (or Telegram's front end) that could not pass the request on: it got no further
    assert unreachable(NetworkError("Bad Gateway"))
    assert unreachable(NetworkError("Service Unavailable (503). Parsing the server response b'<html>' failed"))
    assert not unreachable(NetworkError("Gateway Timeout (504)"))  # it may have gone through
    assert not unreachable(NetworkError("Internal Server Error (500)"))
    assert not unreachable(BadRequest("Bad Gateway"))  # a 400 whatever it says
    assert not unreachable(BadRequest("chat not found")) and not unreachable(ValueError("x"))


async def _bind(engine: AsyncEngine, chats: list[int]) -> None:
    async with db.session_scope(engine) as session:
        for chat in chats:
            unit = Unit(name=f"单位{chat}")
            session.add(unit)
            await session.flush()
            session.add(Chat(chat_id=chat, unit_id=unit.id, kind="private"))


async def _put(engine: AsyncEngine, n: int, chats: list[int]) -> None:
    async with db.session_scope(engine) as session:
        await enqueue(
            session,
            [
                Outgoing(
                    key=f"m{i:02d}", kind="reminder", text=f"提醒{i:02d}", send_at=T0, chat_id=chats[i % len(chats)]
                )
                for i in range(n)
            ],
        )


async def _rows(engine: AsyncEngine) -> list[Outbox]:
    async with db.session_scope(engine) as session:
        return list((await session.execute(select(Outbox).order_by(Outbox.id))).scalars())


async def test_rows_of_a_dead_local_process_are_taken_back_at_once_others_wait_for_the_lease(
    engine: AsyncEngine,
) -> None:
    await _bind(engine, [1001, 1002])
    await _put(engine, 8, [1001, 1002])
    me = worker_id()
    dead, remote = _like(me, _dead_pid()), _like(me, _dead_pid(), host="elsewhere:1")
    assert len(await claim(engine, dead, T0, CONFIG)) == 4  # kill -9 right after these commits
    assert len(await claim(engine, remote, T0, CONFIG)) == 4
    transport = MemoryTransport()
    result = await drain(engine, transport, now=lambda: T0, worker=me, config=CONFIG, pacer=_pacer())
    assert result.sent == 4 and [m.text for m in transport.sent] == [f"提醒{i:02d}" for i in range(4)]
    rows = await _rows(engine)
    # another host: the lease holds
    assert [r.status for r in rows] == [OutboxStatus.SENT] * 4 + [OutboxStatus.SENDING] * 4
    later = T0 + CONFIG.lease + dt.timedelta(seconds=1)
    assert (await drain(engine, transport, now=lambda: later, worker=me, config=CONFIG, pacer=_pacer())).sent == 4


async def test_rows_a_failed_drain_of_this_process_left_are_sent_by_its_next_drain(engine: AsyncEngine) -> None:
    await _bind(engine, [1001])
    await _put(engine, 3, [1001])
    me = worker_id()
    assert len(await claim(engine, me, T0, CONFIG)) == 3  # then the database went away mid-batch
    result = await drain(engine, MemoryTransport(), now=lambda: T0, worker=me, config=CONFIG, pacer=_pacer())
    assert result.sent == 3 and {r.status for r in await _rows(engine)} == {OutboxStatus.SENT}


async def test_an_unreachable_bot_api_costs_no_attempt_and_no_order(engine: AsyncEngine) -> None:
    chats = [1001, 1002, 1003]
    await _bind(engine, chats)
    await _put(engine, 10, chats)
    with socket.socket() as sock:  # a port nobody listens on: connection refused
        sock.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{sock.getsockname()[1]}/bot"
    request = HTTPXRequest(connect_timeout=1, read_timeout=2)
    await request.initialize()  # not `async with Bot`: its getMe would fail the same way
    try:
        bot = Bot(TOKEN, base_url=dead_url, request=request)
        for _ in range(20):  # twenty runs of the send job during an outage
            result = await drain(engine, BotTransport(bot), now=lambda: T0, worker="w", config=CONFIG, pacer=_pacer())
            assert result.unreachable and "ConnectError" in result.unreachable and result.sent == result.failed == 0
    finally:
        await request.shutdown()
    rows = await _rows(engine)
    assert all(r.status == OutboxStatus.PENDING and r.attempts == 0 and r.next_attempt_at is None for r in rows)
    assert rows[0].last_error.startswith("unreachable:") and all(r.last_error is None for r in rows[1:])
    with FakeBotApi() as api:
        async with Bot(TOKEN, base_url=api.base_url) as bot:
            result = await drain(engine, BotTransport(bot), now=lambda: T0, worker="w", config=CONFIG, pacer=_pacer())
    assert result.sent == 10 and result.unreachable is None
    assert [p["text"] for p in api.script.received] == [f"提醒{i:02d}" for i in range(10)]


def test_an_outage_is_logged_when_it_starts_and_when_it_ends(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="scheduler.jobs")
    state = SendState()
    for minute in range(120):  # two hours down, a drain every 5 s would be 1,440 lines
        log_drain(
            state,
            DrainResult(retried=1, unreachable="NetworkError: httpx.ConnectError"),
            T0 + dt.timedelta(minutes=minute),
        )
    log_drain(state, DrainResult(), T0 + dt.timedelta(hours=2))  # nothing due: no news either way
    log_drain(state, DrainResult(sent=7), T0 + dt.timedelta(hours=2, seconds=5))
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 3, lines
    assert "unreachable" in lines[0] and "reachable again after 7205 s" in lines[1] and "7 sent" in lines[2]
