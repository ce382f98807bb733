"""A poisoned outbox row: an exception the sender has no rule for, from one row, on both stores.

Each test runs drains until nothing is due (moving the clock past every backoff and past the claim lease),
then counts what Telegram got: every other row exactly once, the poisoned one at most once, and the drain
never stopped for it. Without the per-row guard the exception left `drain()`, the row stayed `sending`,
the next drain took it back and sent it again, and the rows behind it waited (issue 14).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot
from telegram.request import HTTPXRequest

import scheduler.sender
from bot.core import db
from bot.core.models import Chat, Outbox, Unit
from bot.core.vocab import OutboxStatus
from bot.store.outbox import Outgoing, enqueue
from bot.store.overview import outbox_problems
from scheduler.sender import MAYBE_DELIVERED, Pacer, SenderConfig, Unrecorded, drain, leaving, not_sent_yet
from scheduler.transport import BotTransport, MemoryTransport
from tests.support.fakebotapi import FakeBotApi

TOKEN = "123456:TEST-token-for-the-poisoned-row-tests"
T0 = dt.datetime(2025, 3, 3, 1, 30, tzinfo=dt.UTC)
CONFIG = SenderConfig(batch=7, max_attempts=4, backoff=dt.timedelta(seconds=30))
CHATS = [1000 + i for i in range(20)]
POISON = 1007


async def _nosleep(_seconds: float) -> None:
    return None


def _pacer() -> Pacer:
    return Pacer(CONFIG, lambda: 0.0, _nosleep)


async def _seed(engine: AsyncEngine, markup: dict[int, Any] | None = None) -> None:
    """One unit and chat per CHATS entry, one broadcast row each (`markup`: chat → its buttons)."""
    async with db.session_scope(engine) as session:
        for chat in CHATS:
            unit = Unit(name=f"单位{chat}")
            session.add(unit)
            await session.flush()
            session.add(Chat(chat_id=chat, unit_id=unit.id, kind="private"))
        await session.flush()
        await enqueue(
            session,
            [
                Outgoing(
                    key=f"b:{chat}",
                    kind="broadcast",
                    text=f"通知{chat}",
                    send_at=T0,
                    chat_id=chat,
                    reply_markup=(markup or {}).get(chat),
                )
                for chat in CHATS
            ],
        )


async def _rows(engine: AsyncEngine) -> dict[int, Outbox]:
    async with db.session_scope(engine) as session:
        return {int(r.chat_id): r for r in (await session.execute(select(Outbox))).scalars()}


async def _drain_until_quiet(
    engine: AsyncEngine, transport: Any, unrecorded: Unrecorded | None = None, rounds: int = 12
) -> int:
    """Drains, an hour apart (past every backoff and the lease), until one finds nothing and no row waits;
    returns how many ran. An exception out of a drain is the caller's (the store refusing stops a drain)."""
    unrecorded = {} if unrecorded is None else unrecorded
    for n in range(rounds):
        at = T0 + dt.timedelta(hours=n)
        result = await drain(
            engine, transport, now=lambda at=at: at, worker="w1", config=CONFIG, pacer=_pacer(), unrecorded=unrecorded
        )
        waiting = {r.status for r in (await _rows(engine)).values()} & {OutboxStatus.PENDING, OutboxStatus.SENDING}
        if not (result.sent or result.failed or result.retried or waiting):
            return n + 1
    return rounds


class Poisoned(MemoryTransport):
    """The simulation's Telegram, with a TypeError for one chat before the request leaves or after it left."""

    def __init__(self, after: bool, times: int = 1000):
        super().__init__()
        self.after, self.times = after, times

    async def send_message(self, chat_id: int, text: str, reply_markup: dict[str, Any] | None) -> int:
        if chat_id != POISON or self.times <= 0:
            return await super().send_message(chat_id, text, reply_markup)
        self.times -= 1
        not_sent_yet()
        if not self.after:
            raise TypeError("could not build the request")
        leaving()
        await super().send_message(chat_id, text, reply_markup)  # Telegram has it now
        raise TypeError("LinkPreviewOptions() argument after ** must be a mapping, not str")


def _delivered(transport: MemoryTransport) -> Counter[int]:
    return Counter(m.chat_id for m in transport.sent)


async def test_an_answer_ptb_cannot_parse_fails_the_row_once_and_the_rest_goes_on(engine: AsyncEngine) -> None:
    """The finding itself: a real python-telegram-bot against a Bot API whose answer it cannot parse."""
    await _seed(engine)
    with FakeBotApi() as api:
        api.script.garble.add(POISON)
        async with Bot(TOKEN, base_url=api.base_url, request=HTTPXRequest(read_timeout=5)) as bot:
            drains = await _drain_until_quiet(engine, BotTransport(bot))
        delivered = Counter(int(p["chat_id"]) for p in api.script.received)
    rows = await _rows(engine)
    print(
        f"\n[poisoned answer] {len(CHATS)} rows, {drains} drains: deliveries per chat "
        f"{sorted(Counter(delivered.values()).items())}, poisoned chat {delivered[POISON]}"
    )
    assert delivered == Counter(CHATS)
    assert rows[POISON].status == OutboxStatus.FAILED and rows[POISON].last_error.startswith(MAYBE_DELIVERED)
    assert "TypeError" in rows[POISON].last_error
    assert {c: r.status for c, r in rows.items() if c != POISON} == {c: OutboxStatus.SENT for c in CHATS if c != POISON}
    async with db.session_scope(engine) as session:  # `taskbot outbox` lists it with the reason
        assert [(int(r.chat_id), r.last_error[: len(MAYBE_DELIVERED)]) for r in await outbox_problems(session)] == [
            (POISON, MAYBE_DELIVERED)
        ]


async def test_an_answer_that_is_not_json_fails_the_row_once(engine: AsyncEngine) -> None:
    """python-telegram-bot's plain TelegramError "Invalid server response" (a 2xx whose body is not JSON) comes
    after the message arrived: retried like a timeout, it would be sent up to max_attempts times."""
    await _seed(engine)
    with FakeBotApi() as api:
        api.script.garble_body.add(POISON)
        async with Bot(TOKEN, base_url=api.base_url, request=HTTPXRequest(read_timeout=5)) as bot:
            await _drain_until_quiet(engine, BotTransport(bot))
        delivered = Counter(int(p["chat_id"]) for p in api.script.received)
    row = (await _rows(engine))[POISON]
    assert delivered == Counter(CHATS)
    assert row.status == OutboxStatus.FAILED and row.last_error.startswith(f"{MAYBE_DELIVERED}: TelegramError")


async def test_a_type_error_after_the_request_left_is_never_sent_again(engine: AsyncEngine) -> None:
    await _seed(engine)
    transport = Poisoned(after=True)
    await _drain_until_quiet(engine, transport)
    rows = await _rows(engine)
    assert _delivered(transport) == Counter(CHATS)
    assert rows[POISON].status == OutboxStatus.FAILED and rows[POISON].attempts == 1
    assert rows[POISON].last_error.startswith(f"{MAYBE_DELIVERED}: TypeError")


async def test_a_type_error_before_the_request_left_is_retried_with_backoff(engine: AsyncEngine) -> None:
    await _seed(engine)
    transport = Poisoned(after=False, times=2)
    first = await drain(engine, transport, now=lambda: T0, worker="w1", config=CONFIG, pacer=_pacer())
    assert (first.sent, first.retried, first.errors) == (len(CHATS) - 1, 1, {"TypeError": 1})
    row = (await _rows(engine))[POISON]
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    assert row.next_attempt_at == T0 + CONFIG.backoff and row.last_error.startswith("not sent: TypeError")
    await _drain_until_quiet(engine, transport)
    assert _delivered(transport) == Counter(CHATS)  # the third try went through, once
    assert (await _rows(engine))[POISON].status == OutboxStatus.SENT


async def test_a_row_that_never_goes_out_fails_after_the_attempts_and_is_never_delivered(engine: AsyncEngine) -> None:
    await _seed(engine)
    transport = Poisoned(after=False)
    await _drain_until_quiet(engine, transport)
    row = (await _rows(engine))[POISON]
    assert _delivered(transport) == Counter(c for c in CHATS if c != POISON)
    assert row.status == OutboxStatus.FAILED and row.attempts == CONFIG.max_attempts
    assert row.last_error.startswith(f"gave up after {CONFIG.max_attempts} attempts: TypeError")


async def test_buttons_the_renderer_cannot_build_cost_retries_not_deliveries(engine: AsyncEngine) -> None:
    """A row whose stored buttons are malformed: BotTransport fails to build them before any request."""
    await _seed(engine, markup={POISON: {"inline_keyboard": 5}})
    with FakeBotApi() as api:
        async with Bot(TOKEN, base_url=api.base_url, request=HTTPXRequest(read_timeout=5)) as bot:
            await _drain_until_quiet(engine, BotTransport(bot))
        delivered = Counter(int(p["chat_id"]) for p in api.script.received)
    row = (await _rows(engine))[POISON]
    assert delivered == Counter(c for c in CHATS if c != POISON)
    assert row.status == OutboxStatus.FAILED and row.attempts == CONFIG.max_attempts and "TypeError" in row.last_error


def _refuse_sent(engine: AsyncEngine, row_id: int, times: int) -> list[int]:
    """The database refuses the first `times` writes of `row_id`'s outcome as sent (a disk I/O error)."""
    refused = [0]

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def refuse(_conn: Any, _cursor: Any, statement: str, params: Any, context: Any, _many: bool) -> None:
        named = context.compiled_parameters[0] if context.compiled_parameters else {}
        if (
            statement.lstrip().upper().startswith("UPDATE OUTBOX")
            and named.get("status") == OutboxStatus.SENT
            and any(k.startswith("id_") and v == row_id for k, v in named.items())
            and refused[0] < times
        ):
            refused[0] += 1
            raise OperationalError(statement, params, Exception("disk I/O error"))

    return refused


@pytest.mark.parametrize(("refusals", "stops", "kept_id"), [(1, 0, True), (2, 0, False), (3, 1, True), (5, 2, True)])
async def test_the_store_refusing_the_outcome_of_a_sent_row_does_not_send_it_again(
    engine: AsyncEngine, refusals: int, stops: int, kept_id: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1: the second write takes it; 2: the write without the message id takes it; 3: that fails too, so the
    outcome waits in memory and the drain stops, and the next drain writes it first; 5: that write and its
    cut-down form fail as well (the drain stops again), and the one after writes it."""
    monkeypatch.setattr(scheduler.sender, "OUTCOME_WRITE_RETRY", 0.0)
    await _seed(engine)
    poison_id = (await _rows(engine))[POISON].id
    refused = _refuse_sent(engine, poison_id, refusals)
    transport = MemoryTransport()
    unrecorded: Unrecorded = {}
    stopped = 0
    for _ in range(6):
        try:
            await _drain_until_quiet(engine, transport, unrecorded)
            break
        except OperationalError:
            stopped += 1
    rows = await _rows(engine)
    print(
        f"\n[store refuses a sent row's outcome {refusals}×] drains stopped {stopped}; deliveries "
        f"{sorted(Counter(_delivered(transport).values()).items())}"
    )
    assert refused[0] == refusals and not unrecorded
    assert _delivered(transport) == Counter(CHATS)
    assert {r.status for r in rows.values()} == {OutboxStatus.SENT}
    assert stopped == stops
    assert (rows[POISON].message_id is not None) == kept_id
