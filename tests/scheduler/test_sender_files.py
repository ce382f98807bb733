"""Files in the outbox (the weekly chart, a 台账) on SQLite and PostgreSQL: stored once, sent once with sendPhoto
or sendDocument, and every error path of the sender treats them as it treats a text."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from PIL import Image
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.error import TimedOut

from bot.core import db
from bot.core.models import Chat, DigestRun, OutboxFile
from bot.core.vocab import FileKind, MessageKind, OutboxStatus
from bot.render import messages as m
from bot.render.telegram_text import MAX_CAPTION, visible_length
from bot.store.outbox import FILE_RETENTION, Outgoing, OutgoingFile, document_for_chat, photo_for_chat, prune_files
from scheduler.jobs import LAST_TICK, tick
from scheduler.sender import MAYBE_DELIVERED, Pacer, SenderConfig, drain
from scheduler.snapshot import write_state
from scheduler.transport import BotTransport, MemoryTransport
from tests.scheduler.test_jobs import COORDINATOR, local, outbox, setup_store
from tests.scheduler.test_sender import FAST, T0, Clock, bind, bot_for, pacer, put, rows
from tests.support.fakebotapi import FakeBotApi

TZ = ZoneInfo("Asia/Shanghai")
PNG = b"\x89PNG\r\n\x1a\n" + b"chart" * 100
XLSX = b"PK\x03\x04" + b"ledger" * 100


async def files(engine: AsyncEngine) -> list[OutboxFile]:
    async with db.session_scope(engine) as session:
        return list((await session.execute(select(OutboxFile).order_by(OutboxFile.id))).scalars())


def photo(key: str, chat: int, content: bytes = PNG, caption: str = "周报图表") -> Outgoing:
    return photo_for_chat(chat, "chart.png", content, caption, key, send_at=T0)


def document(key: str, chat: int, content: bytes = XLSX, caption: str = "台账") -> Outgoing:
    return document_for_chat(chat, "台账.xlsx", content, caption, key, send_at=T0)


async def test_one_file_for_many_rows_is_stored_once_and_offered_again_adds_nothing(engine: AsyncEngine) -> None:
    await bind(engine, {1001: "甲", 1002: "乙", 1003: "丙"})
    assert await put(engine, *(photo(f"chart:w1:{c}", c) for c in (1001, 1002, 1003))) == 3
    assert await put(engine, *(photo(f"chart:w1:{c}", c) for c in (1001, 1002, 1003))) == 0
    # the same rows offered with other bytes (a chart drawn again): the rows exist, the new bytes are not kept
    assert await put(engine, photo("chart:w1:1001", 1001, content=PNG + b"again")) == 0
    (stored,) = await files(engine)
    assert stored.content == PNG and stored.name == "chart.png" and len(stored.sha256) == 64
    assert {r.file_id for r in await rows(engine)} == {stored.id}
    # another name or other bytes is another file
    await put(engine, document("export:1", 1001), document("export:2", 1002, content=XLSX + b"!"))
    assert len(await files(engine)) == 3


async def test_photo_and_document_rows_are_sent_once_with_their_bytes(engine: AsyncEngine) -> None:
    await bind(engine, {1001: "甲", 1002: "乙"})
    await put(
        engine,
        photo("p", 1001),
        document("d", 1002),
        Outgoing(key="t", kind="notice", text="文字", send_at=T0, chat_id=1001),
    )
    with FakeBotApi() as api:
        async with bot_for(api) as bot:
            first = await drain(engine, BotTransport(bot), now=Clock(), worker="w1", config=FAST, pacer=pacer())
            again = await drain(engine, BotTransport(bot), now=Clock(), worker="w1", config=FAST, pacer=pacer())
    assert (first.sent, again.sent) == (3, 0)
    got = {
        (int(p["chat_id"]), "photo" if "photo" in p else "document" if "document" in p else "text"): p
        for p in api.script.received
    }
    assert set(got) == {(1001, "photo"), (1002, "document"), (1001, "text")} and len(api.script.received) == 3
    assert got[(1001, "photo")]["photo"] == {"filename": "chart.png", "content": PNG}
    assert got[(1001, "photo")]["caption"] == "周报图表" and got[(1001, "photo")]["parse_mode"] == "HTML"
    assert got[(1002, "document")]["document"] == {"filename": "台账.xlsx", "content": XLSX}
    assert all(r.status == OutboxStatus.SENT and r.message_id for r in await rows(engine))


async def test_file_rows_take_every_error_path_of_a_text(engine: AsyncEngine) -> None:
    """403 blocks the chat, a migrated group is resent to its new id, 429 waits and is sent once, a timeout is
    retried, an answer python-telegram-bot cannot parse is failed as maybe delivered and never resent."""
    await bind(engine, {1001: "甲", 1002: "乙", -500: "丙", 1004: "丁", 1005: "戊", 1006: "己"})
    await put(
        engine,
        document("blocked", 1002),
        photo("migrated", -500),
        document("throttled", 1004),
        photo("hangs", 1005),
        document("garbled", 1006),
        photo("ok", 1001),
    )
    clock = Clock()
    with FakeBotApi() as api:
        api.script.forbidden.add(1002)
        api.script.migrate[-500] = -100500
        api.script.throttle[1004] = 1
        api.script.hang[1005] = 1
        api.script.hang_seconds = 1.0
        api.script.garble.add(1006)
        async with bot_for(api, read_timeout=0.3) as bot:
            transport = BotTransport(bot)
            first = await drain(
                engine, transport, now=clock, worker="w1", config=FAST, pacer=pacer(), coordinators=(9001,)
            )
            by_key = {r.key.split("@")[0]: r for r in await rows(engine)}
            # the 429 stopped the drain: the throttled row and the rows after it wait
            assert first.throttled_until is not None and by_key["throttled"].status == OutboxStatus.PENDING
            assert first.errors == {"Forbidden": 1, "ChatMigrated": 1, "RetryAfter": 1}
            clock.now += dt.timedelta(minutes=5)
            await drain(engine, transport, now=clock, worker="w1", config=FAST, pacer=pacer(), coordinators=(9001,))
            clock.now += dt.timedelta(minutes=5)
            await drain(engine, transport, now=clock, worker="w1", config=FAST, pacer=pacer(), coordinators=(9001,))
    by_key = {r.key.split("@")[0]: r for r in await rows(engine)}
    assert by_key["blocked"].status == OutboxStatus.FAILED and "forbidden" in by_key["blocked"].last_error
    assert by_key["migrated"].status == OutboxStatus.SENT and by_key["migrated"].chat_id == -100500
    assert by_key["ok"].status == OutboxStatus.SENT
    assert by_key["garbled"].status == OutboxStatus.FAILED and by_key["garbled"].last_error.startswith(MAYBE_DELIVERED)
    assert by_key["throttled"].status == OutboxStatus.SENT and by_key["hangs"].status == OutboxStatus.SENT
    assert by_key["hangs"].attempts == 2 and "TimedOut" not in (by_key["hangs"].last_error or "")
    async with db.session_scope(engine) as session:
        blocked = (await session.execute(select(Chat.blocked_at).where(Chat.chat_id == 1002))).scalar_one()
    assert blocked is not None
    received = [int(p["chat_id"]) for p in api.script.received if "photo" in p or "document" in p]
    # each chat once: the garbled one was delivered once and not again; the blocked one never
    assert sorted(received) == sorted([-100500, 1004, 1005, 1006, 1001])


async def test_a_timeout_counts_attempts_and_gives_up_like_a_text(engine: AsyncEngine) -> None:
    await bind(engine, {1001: "甲"})
    await put(engine, document("d", 1001))
    transport = MemoryTransport()
    transport.fail[1001] = TimedOut()
    transport.fail_always.add(1001)
    clock = Clock()
    for _ in range(FAST.max_attempts):
        await drain(engine, transport, now=clock, worker="w1", config=FAST, pacer=pacer())
        clock.now += dt.timedelta(hours=1)
    (row,) = await rows(engine)
    assert row.status == OutboxStatus.FAILED and row.attempts == FAST.max_attempts and transport.sent == []


async def test_a_caption_over_the_limit_is_cut_on_a_line(engine: AsyncEngine) -> None:
    await bind(engine, {1001: "甲"})
    long = "\n".join(f"第{i}行：" + "进展" * 20 for i in range(60))
    await put(engine, document("d", 1001, caption=long))
    transport = MemoryTransport()
    await drain(engine, transport, now=Clock(), worker="w1", config=FAST, pacer=pacer())
    (sent,) = transport.sent
    assert sent.file is not None and sent.file.kind == FileKind.DOCUMENT and sent.file.content == XLSX
    assert visible_length(sent.text) <= MAX_CAPTION and long.startswith(sent.text) and sent.text.endswith("进展")


async def test_a_chats_photo_waits_behind_its_long_text_and_other_chats_go_meanwhile(engine: AsyncEngine) -> None:
    """The digest (three parts) then its chart for one chat: the chart goes after the last part, while another
    chat's message is not held up."""
    await bind(engine, {1001: "甲", 1002: "乙"})
    digest = "\n".join(f"第{i}行 " + "汇总" * 40 for i in range(120))  # over 8,192 characters: three parts
    await put(
        engine,
        Outgoing(key="digest", kind=MessageKind.DIGEST, text=digest, send_at=T0, chat_id=1001),
        photo("chart", 1001),
        Outgoing(key="other", kind="notice", text="通知", send_at=T0, chat_id=1002),
    )
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    transport = MemoryTransport()
    config = SenderConfig(global_interval=0.01)
    await drain(engine, transport, now=Clock(), worker="w1", config=config, pacer=Pacer(config, lambda: now[0], sleep))
    order = [(s.chat_id, "photo" if s.file else "text") for s in transport.sent]
    assert order == [(1001, "text"), (1002, "text"), (1001, "text"), (1001, "text"), (1001, "photo")]


async def test_the_coordinators_weekly_digest_brings_one_chart_once(engine: AsyncEngine) -> None:
    units = await setup_store(engine)
    coordinators = (COORDINATOR, COORDINATOR + 1)
    monday = local(2024, 6, 3, 9, 31)
    async with db.session_scope(engine) as session:
        await write_state(session, LAST_TICK, local(2024, 6, 3, 9, 0).isoformat())
    first = await tick(engine, monday, TZ, coordinators)
    assert first.digests == 3  # the lead unit 市科技局 and the two coordinators
    charts = [r for r in await outbox(engine) if r.kind == MessageKind.CHART]
    assert sorted(r.chat_id for r in charts) == list(coordinators)  # no chart with a lead unit's digest
    assert {r.key.split("@")[0] for r in charts} == {"chart:2024-W23:coordinators"}
    assert charts[0].text == m.CHART_CAPTION.format(date="2024-06-03")
    (chart,) = await files(engine)
    assert chart.name == "督办进展图_2024-06-03.png"
    with Image.open(io.BytesIO(chart.content)) as picture:
        assert picture.format == "PNG"
    # each chart row comes after its coordinator's digest row: the sender takes them in that order
    digests = {r.chat_id: r.id for r in await outbox(engine) if r.kind == MessageKind.DIGEST}
    assert all(r.id > digests[r.chat_id] for r in charts)
    # the tick replayed (a restart before the mark moved), and a digest run lost (built again): still one each
    async with db.session_scope(engine) as session:
        await write_state(session, LAST_TICK, local(2024, 6, 3, 9, 0).isoformat())
    await tick(engine, monday, TZ, coordinators)
    async with db.session_scope(engine) as session:
        await write_state(session, LAST_TICK, local(2024, 6, 3, 9, 0).isoformat())
        await session.execute(delete(DigestRun))
    await tick(engine, monday + dt.timedelta(minutes=1), TZ, coordinators)
    assert len([r for r in await outbox(engine) if r.kind == MessageKind.CHART]) == 2
    assert len(await files(engine)) == 1
    assert units  # setup_store bound the units


async def test_a_file_to_a_unit_fans_out_to_its_chats_with_one_file(engine: AsyncEngine) -> None:
    units = await bind(engine, {1001: "甲"})
    async with db.session_scope(engine) as session:
        session.add(Chat(chat_id=1002, unit_id=units[1001]))
    await put(
        engine,
        Outgoing(
            key="bulletin",
            kind=MessageKind.DOCUMENT,
            text="通报",
            send_at=T0,
            unit_id=units[1001],
            file=OutgoingFile("通报.docx", b"docx"),
        ),
    )
    assert sorted(r.chat_id for r in await rows(engine)) == [1001, 1002] and len(await files(engine)) == 1


async def test_the_bytes_of_files_sent_over_a_week_ago_are_dropped_and_waiting_ones_kept(engine: AsyncEngine) -> None:
    await bind(engine, {1001: "甲", 1002: "乙"})
    await put(engine, document("sent", 1001), document("waiting", 1002, content=XLSX + b"2"))
    await drain(engine, MemoryTransport(fail={1002: TimedOut()}), now=Clock(), worker="w1", config=FAST, pacer=pacer())
    statuses = {r.key.split("@")[0]: r.status for r in await rows(engine)}
    assert statuses == {"sent": OutboxStatus.SENT, "waiting": OutboxStatus.PENDING}
    async with db.session_scope(engine) as session:
        assert await prune_files(session, dt.datetime.now(dt.UTC)) == 0  # not a week old yet
        assert await prune_files(session, dt.datetime.now(dt.UTC) + FILE_RETENTION + dt.timedelta(hours=1)) == 1
    (kept,) = await files(engine)
    assert kept.content == XLSX + b"2"
    by_key = {r.key.split("@")[0]: r for r in await rows(engine)}
    assert by_key["sent"].file_id is None and by_key["waiting"].file_id == kept.id
