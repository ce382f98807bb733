"""The outbox and its sender against a fake Bot API server (real HTTP, real python-telegram-bot), on
SQLite and PostgreSQL: delivered once, retried when Telegram says so, never lost across a crash."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot
from telegram.error import RetryAfter
from telegram.request import HTTPXRequest

from bot.core import db
from bot.core.models import Chat, Outbox, Unit
from bot.core.vocab import OutboxStatus
from bot.store.outbox import Outgoing, enqueue
from scheduler.jobs import SendState, send
from scheduler.sender import Pacer, SenderConfig, claim, drain
from scheduler.transport import BotTransport, MemoryTransport
from tests.support.fakebotapi import FakeBotApi

TOKEN = "123456:TEST-token-for-the-fake-bot-api-server"
T0 = dt.datetime(2025, 3, 3, 1, 30, tzinfo=dt.UTC)
FAST = SenderConfig(max_attempts=3, backoff=dt.timedelta(seconds=10))


class Clock:
    def __init__(self, start: dt.datetime = T0):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


async def _nosleep(_seconds: float) -> None:
    return None


def pacer() -> Pacer:
    return Pacer(FAST, lambda: 0.0, _nosleep)


async def bind(engine: AsyncEngine, chats: dict[int, str]) -> dict[int, int]:
    """Units named by `chats` values, each bound to its chat id; returns chat id → unit id."""
    async with db.session_scope(engine) as session:
        out = {}
        for chat_id, name in chats.items():
            unit = Unit(name=name)
            session.add(unit)
            await session.flush()
            session.add(Chat(chat_id=chat_id, unit_id=unit.id, kind="private" if chat_id > 0 else "group"))
            out[chat_id] = unit.id
        return out


async def put(engine: AsyncEngine, *messages: Outgoing) -> int:
    async with db.session_scope(engine) as session:
        return (await enqueue(session, list(messages))).inserted


def msg(
    key: str, chat: int | None = None, unit: int | None = None, text: str = "提醒", at: dt.datetime = T0
) -> Outgoing:
    return Outgoing(key=key, kind="reminder", text=text, send_at=at, unit_id=unit, chat_id=chat)


async def rows(engine: AsyncEngine) -> list[Outbox]:
    async with db.session_scope(engine) as session:
        return list((await session.execute(select(Outbox).order_by(Outbox.id))).scalars())


def bot_for(api: FakeBotApi, read_timeout: float = 5.0) -> Bot:
    return Bot(TOKEN, base_url=api.base_url, request=HTTPXRequest(read_timeout=read_timeout, connect_timeout=2))


async def test_enqueue_same_key_twice_is_one_row_and_send_at_keeps_its_zone(engine: AsyncEngine) -> None:
    units = await bind(engine, {1001: "市科技局"})
    at = dt.datetime(2025, 3, 3, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert await put(engine, msg("r:1", unit=units[1001], at=at)) == 1
    assert await put(engine, msg("r:1", unit=units[1001], at=at), msg("r:2", unit=units[1001], at=at)) == 1
    stored = await rows(engine)
    assert [r.key for r in stored] == ["r:1@1001", "r:2@1001"]
    assert stored[0].send_at == at and stored[0].send_at.utcoffset() == dt.timedelta(0)


async def test_unit_without_chat_is_kept_as_skipped(engine: AsyncEngine) -> None:
    async with db.session_scope(engine) as session:
        unit = Unit(name="市财政局")
        session.add(unit)
        await session.flush()
        result = await enqueue(session, [msg("r:9", unit=unit.id)])
    assert result.skipped_keys == ["r:9@none"]
    assert [(r.status, r.last_error) for r in await rows(engine)] == [("skipped", "no chat bound to this unit")]


async def test_ok_forbidden_and_migrated_chats(engine: AsyncEngine) -> None:
    await bind(engine, {1001: "甲", 1002: "乙", -500: "丙"})
    await put(engine, msg("a", chat=1001), msg("b", chat=1002), msg("c", chat=-500))
    clock = Clock()
    with FakeBotApi() as api:
        api.script.forbidden.add(1002)
        api.script.migrate[-500] = -100500
        async with bot_for(api) as bot:
            result = await drain(
                engine, BotTransport(bot), now=clock, worker="w1", config=FAST, pacer=pacer(), coordinators=(9001,)
            )
    by_key = {r.key.split("@")[0]: r for r in await rows(engine)}
    assert by_key["a"].status == OutboxStatus.SENT and by_key["a"].message_id is not None
    assert by_key["b"].status == OutboxStatus.FAILED and "blocked" in by_key["b"].last_error
    assert by_key["c"].status == OutboxStatus.SENT and by_key["c"].chat_id == -100500
    # the coordinator was told about the blocked chat, through the outbox, and that notice went out too
    notice = next(r for r in by_key.values() if r.kind == "notice")
    assert notice.chat_id == 9001 and "乙" in notice.text and notice.status == OutboxStatus.SENT
    async with db.session_scope(engine) as session:
        chats = {c.unit_id: c for c in (await session.execute(select(Chat))).scalars()}
    assert {c.chat_id for c in chats.values()} == {1001, 1002, -100500}
    assert [c.chat_id for c in chats.values() if c.blocked_at is not None] == [1002]
    assert result.errors == {"Forbidden": 1, "ChatMigrated": 1}
    assert Counter(int(p["chat_id"]) for p in api.script.received) == {1001: 1, -100500: 1, 9001: 1}


async def test_429_waits_retry_after_then_sends_once(engine: AsyncEngine) -> None:
    await bind(engine, {1001: "甲", 1003: "丁"})
    await put(engine, msg("a", chat=1001), msg("b", chat=1003))
    clock = Clock()
    with FakeBotApi() as api:
        api.script.throttle[1001] = 1
        async with bot_for(api) as bot:
            first = await drain(engine, BotTransport(bot), now=clock, worker="w", config=FAST, pacer=pacer())
            assert first.sent == 0 and first.throttled_until == T0 + dt.timedelta(seconds=2)
            assert {r.status for r in await rows(engine)} == {OutboxStatus.PENDING}  # the rest released, not stuck
            again = await drain(engine, BotTransport(bot), now=clock, worker="w", config=FAST, pacer=pacer())
            assert again.sent == 0  # still inside retry_after
            clock.now += dt.timedelta(seconds=2)
            last = await drain(engine, BotTransport(bot), now=clock, worker="w", config=FAST, pacer=pacer())
    assert last.sent == 2
    assert sorted(int(p["chat_id"]) for p in api.script.received) == [1001, 1003]


async def test_after_a_429_the_send_job_waits_so_newer_rows_do_not_overtake(engine: AsyncEngine) -> None:
    await bind(engine, {1001: "甲", 1003: "丁"})
    await put(engine, msg("a", chat=1001), msg("b", chat=1003))
    clock, state = Clock(), SendState()
    with FakeBotApi() as api:
        api.script.throttle[1001] = 1
        async with bot_for(api) as bot:
            first = await send(engine, BotTransport(bot), state, (), now=clock, pacer=pacer())
            assert first is not None and first.throttled_until == T0 + dt.timedelta(seconds=2)
            await put(engine, msg("c", chat=1003, text="后来的提醒"))
            clock.now += dt.timedelta(seconds=1)
            assert await send(engine, BotTransport(bot), state, (), now=clock, pacer=pacer()) is None
            assert api.script.received == []  # the bot waits, newer rows included
            clock.now += dt.timedelta(seconds=1)
            last = await send(engine, BotTransport(bot), state, (), now=clock, pacer=pacer())
    assert last is not None and last.sent == 3 and state.throttled_until is None
    assert [(int(p["chat_id"]), p["text"]) for p in api.script.received] == [
        (1001, "提醒"),
        (1003, "提醒"),
        (1003, "后来的提醒"),
    ]


async def test_timeouts_back_off_then_give_up(engine: AsyncEngine) -> None:
    await bind(engine, {1001: "甲"})
    await put(engine, msg("a", chat=1001))
    clock = Clock()
    with FakeBotApi() as api:
        api.script.hang[1001] = 10
        api.script.hang_seconds = 0.6
        async with bot_for(api, read_timeout=0.2) as bot:
            for attempt in range(1, FAST.max_attempts + 1):
                result = await drain(engine, BotTransport(bot), now=clock, worker="w", config=FAST, pacer=pacer())
                row = (await rows(engine))[0]
                assert row.attempts == attempt
                if attempt < FAST.max_attempts:
                    assert row.status == OutboxStatus.PENDING and result.retried == 1
                    assert row.next_attempt_at == clock.now + FAST.backoff * 2 ** (attempt - 1)
                    clock.now = row.next_attempt_at
    assert row.status == OutboxStatus.FAILED and "gave up after 3 attempts" in row.last_error


async def test_a_proxy_answering_502_counts_no_attempt_and_keeps_the_order(engine: AsyncEngine) -> None:
    """An hour of a proxy's 502 pages must not fail the queue: nothing is counted, the drain stops, and the
    rows go out in their order once it answers again."""
    await bind(engine, {1001: "甲", 1003: "丁"})
    await put(engine, msg("a", chat=1001, text="第一条"), msg("b", chat=1003, text="第二条"))
    clock = Clock()
    with FakeBotApi() as api:
        api.script.bad_gateway[1001] = 20
        async with bot_for(api) as bot:
            for _ in range(20):
                result = await drain(engine, BotTransport(bot), now=clock, worker="w", config=FAST, pacer=pacer())
                assert result.unreachable is not None and result.sent == 0 and result.failed == 0
                clock.now += dt.timedelta(minutes=5)
            assert [(r.status, r.attempts) for r in await rows(engine)] == [(OutboxStatus.PENDING, 0)] * 2
            last = await drain(engine, BotTransport(bot), now=clock, worker="w", config=FAST, pacer=pacer())
    assert last.sent == 2
    assert [p["text"] for p in api.script.received] == ["第一条", "第二条"]


async def test_long_text_is_split_and_buttons_go_on_the_last_part(engine: AsyncEngine) -> None:
    await bind(engine, {1001: "甲"})
    text = "\n".join(f"第{i}行 " + "进展" * 40 for i in range(200))
    buttons = {"inline_keyboard": [[{"text": "已完成", "callback_data": "rp:1:done"}]]}
    await put(engine, Outgoing(key="long", kind="digest", text=text, send_at=T0, chat_id=1001, reply_markup=buttons))
    with FakeBotApi() as api:
        async with bot_for(api) as bot:
            await drain(engine, BotTransport(bot), now=Clock(), worker="w", config=FAST, pacer=pacer())
    parts = api.script.received
    assert len(parts) > 1 and all(len(p["text"]) <= 4096 for p in parts)
    assert "\n".join(p["text"] for p in parts) == text
    assert [("reply_markup" in p) for p in parts] == [False] * (len(parts) - 1) + [True]
    assert (await rows(engine))[0].message_id == len(parts)


async def test_a_crash_after_claim_resends_once_after_the_lease(engine: AsyncEngine) -> None:
    await bind(engine, {1001: "甲"})
    await put(engine, *(msg(f"k{i}", chat=1001) for i in range(5)))
    clock = Clock()
    claimed = await claim(engine, "dead-worker", clock(), FAST)  # the process dies right after this commit
    assert len(claimed) == 5 and {r.status for r in await rows(engine)} == {OutboxStatus.SENDING}
    transport = MemoryTransport()
    early = await drain(engine, transport, now=clock, worker="w2", config=FAST, pacer=pacer())
    assert early.sent == 0  # the lease still holds: nobody else touches those rows
    clock.now += FAST.lease + dt.timedelta(seconds=1)
    late = await drain(engine, transport, now=clock, worker="w2", config=FAST, pacer=pacer())
    assert late.sent == 5 and {r.status for r in await rows(engine)} == {OutboxStatus.SENT}


async def test_future_messages_wait_for_their_time(engine: AsyncEngine) -> None:
    await bind(engine, {1001: "甲"})
    await put(engine, msg("later", chat=1001, at=T0 + dt.timedelta(hours=1)))
    transport = MemoryTransport()
    clock = Clock()
    assert (await drain(engine, transport, now=clock, worker="w", pacer=pacer())).sent == 0
    clock.now += dt.timedelta(hours=1)
    assert (await drain(engine, transport, now=clock, worker="w", pacer=pacer())).sent == 1


@pytest.mark.postgres
async def test_two_senders_on_one_postgresql_outbox_never_send_a_row_twice(pg_schema_url: str) -> None:
    engine = db.make_engine(pg_schema_url)
    await db.ensure_schema(engine)
    try:
        await bind(engine, {1001: "甲"})
        await put(engine, *(msg(f"k{i:03d}", chat=1001) for i in range(300)))
        transport = MemoryTransport()
        clock = Clock()

        async def slow_sleep(_seconds: float) -> None:
            await asyncio.sleep(0)  # yield, so the two workers interleave

        config = SenderConfig(batch=7)
        results = await asyncio.gather(
            *(
                drain(
                    engine,
                    transport,
                    now=clock,
                    worker=f"w{i}",
                    config=config,
                    pacer=Pacer(config, lambda: 0.0, slow_sleep),
                )
                for i in range(2)
            )
        )
        texts = Counter(r.key for r in await rows(engine) if r.status == OutboxStatus.SENT)
        assert len(texts) == 300
        assert len(transport.sent) == 300
        assert sum(r.sent for r in results) == 300 and all(r.sent > 0 for r in results)
    finally:
        await engine.dispose()


class ThrottledOnce(MemoryTransport):
    """Telegram answers 429 to the n-th send (counting from 1), once."""

    def __init__(self, at: int):
        super().__init__()
        self.calls = 0
        self.at = at

    async def send_message(self, chat_id: int, text: str, reply_markup: dict | None) -> int:
        self.calls += 1
        if self.calls == self.at:
            raise RetryAfter(3)
        return await super().send_message(chat_id, text, reply_markup)


async def test_a_split_message_interrupted_by_429_resumes_after_the_parts_already_sent(engine: AsyncEngine) -> None:
    await bind(engine, {1001: "甲"})
    text = "\n".join(f"第{i}行 " + "进展" * 40 for i in range(200))
    await put(engine, Outgoing(key="long", kind="digest", text=text, send_at=T0, chat_id=1001))
    transport = ThrottledOnce(at=3)
    clock = Clock()
    first = await drain(engine, transport, now=clock, worker="w", config=FAST, pacer=pacer())
    assert first.throttled_until is not None and (await rows(engine))[0].parts_sent == 2
    clock.now += dt.timedelta(seconds=3)
    await drain(engine, transport, now=clock, worker="w", config=FAST, pacer=pacer())
    delivered = [m.text for m in transport.sent]
    assert "\n".join(delivered) == text  # every part once, in order: none repeated after the 429
    assert (await rows(engine))[0].status == OutboxStatus.SENT


async def test_long_messages_to_several_chats_are_interleaved_not_waited_on(engine: AsyncEngine) -> None:
    """Two 督办单 of two parts each: while chat A must wait a second for its second part, chat B's first part
    goes out — the sender never idles on one chat when another is ready."""
    await bind(engine, {1001: "甲", 1002: "乙"})
    long_text = "\n".join(f"{n}. 任务{n} " + "推进" * 60 for n in range(1, 40))  # over 4,096 characters
    await put(engine, msg("a", chat=1001, text=long_text), msg("b", chat=1002, text=long_text))
    seconds = [0.0]

    async def sleep(delay: float) -> None:
        seconds[0] += delay

    config = SenderConfig(global_interval=0.0, private_interval=1.0)
    transport = MemoryTransport()
    result = await drain(
        engine, transport, now=Clock(), worker="w", config=config, pacer=Pacer(config, lambda: seconds[0], sleep)
    )
    assert result.sent == 2
    assert [m.chat_id for m in transport.sent] == [1001, 1002, 1001, 1002]
    assert seconds[0] < 2.0  # waiting part after part on each chat would take 2 s
    assert [m.reply_markup is None for m in transport.sent] == [True, True, True, True]
    assert {r.message_id for r in await rows(engine)} == {3, 4}
