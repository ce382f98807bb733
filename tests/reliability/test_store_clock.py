"""Clock jumps at the sender and outbox level: an NTP step forward a day and back an hour, between ticks
and in the middle of a drain, with one sender and with two — nothing sent twice, nothing skipped.

tests/scheduler/test_jobs.py checks the tick alone (the planning window never moves back). Here the whole
loop runs — tick → outbox → sender → a Telegram that records every message — on a wall clock the test
steps, and the messages delivered are compared with those of the same days on a clock that never jumped.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db
from bot.core.models import Chat, Outbox, Unit
from bot.core.vocab import OutboxStatus
from bot.store.outbox import Outgoing, enqueue
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog
from scheduler.jobs import tick
from scheduler.sender import Pacer, SenderConfig, drain
from scheduler.simulate import VirtualClock
from scheduler.transport import MemoryTransport
from tests.conftest import DATA

pytestmark = pytest.mark.reliability

TZ = ZoneInfo("Asia/Shanghai")
COORDINATOR = 9001
START = dt.date(2024, 6, 17)  # Monday: mini.yaml's task 1.2 (due 06-30) has its 7- and 1-day reminders,
DAYS = 16  # then it is overdue (a reminder every 3 workdays); prompts; weekly digests
STEP = dt.timedelta(hours=1)  # the bot ticks every minute; every hour plans the same messages
CONFIG = SenderConfig(batch=5)  # small batches: a jump lands between claims as well as inside one


class SteppingTransport(MemoryTransport):
    """Telegram that records messages; `steps` maps the number of a send to a step of the wall clock taken
    just after it went out (an NTP step in the middle of a drain)."""

    def __init__(self, clock: VirtualClock, steps: dict[int, dt.timedelta] | None = None):
        super().__init__(clock=clock)
        self.wall = clock
        self.steps = dict(steps or {})

    async def send_message(self, chat_id: int, text: str, reply_markup: dict | None) -> int:
        message_id = await super().send_message(chat_id, text, reply_markup)
        if len(self.sent) in self.steps:
            self.wall.now += self.steps.pop(len(self.sent))
        return message_id


async def _store(engine: AsyncEngine) -> None:
    """mini.yaml imported, every unit bound to a chat of its own (chat id = 1000 + unit id)."""
    async with db.session_scope(engine) as session:
        await import_catalog(session, load_catalog(DATA / "mini.yaml"))
        for unit_id in (await session.execute(select(Unit.id).where(~Unit.is_group))).scalars():
            session.add(Chat(chat_id=1000 + unit_id, unit_id=unit_id))


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


async def _run(
    engine: AsyncEngine, jumps: dict[dt.datetime, dt.timedelta], in_drain: dict[int, dt.timedelta]
) -> tuple[Counter[tuple[int, str]], list[Outbox]]:
    """Tick and drain every STEP of wall time for DAYS days. `jumps`: when the wall clock reads a key, it
    steps by the value before that tick; `in_drain`: steps taken inside a drain (SteppingTransport)."""
    await _store(engine)
    clock = VirtualClock(_local(START, 0))
    transport = SteppingTransport(clock, in_drain)
    pacer = Pacer(CONFIG, clock.monotonic, clock.sleep)
    end = _local(START + dt.timedelta(days=DAYS), 0)
    pending = dict(jumps)
    while clock.now < end:
        for at in [at for at in pending if clock.now >= at]:
            clock.now += pending.pop(at)
        await tick(engine, clock.now, TZ, (COORDINATOR,))
        await drain(engine, transport, now=clock, worker="bot", config=CONFIG, pacer=pacer, coordinators=(COORDINATOR,))
        clock.now += STEP
    async with db.session_scope(engine) as session:
        rows = list((await session.execute(select(Outbox).order_by(Outbox.id))).scalars())
    return Counter((m.chat_id, m.text) for m in transport.sent), rows


async def test_ntp_steps_between_ticks_and_inside_a_drain_neither_duplicate_nor_skip(tmp_path: Path) -> None:
    steady_store = db.make_engine(f"sqlite+aiosqlite:///{tmp_path / 'steady.db'}")
    jumping_store = db.make_engine(f"sqlite+aiosqlite:///{tmp_path / 'jumps.db'}")
    try:
        for engine in (steady_store, jumping_store):
            await db.ensure_schema(engine)
        steady, steady_rows = await _run(steady_store, {}, {})
        jumps = {
            _local(START + dt.timedelta(days=2), 8): dt.timedelta(days=1),  # forward a day before 09:30
            _local(START + dt.timedelta(days=9), 9, 45): -dt.timedelta(hours=1),  # back an hour after 09:30
        }
        # inside drains: the 3rd message sent steps the clock forward a day, the 8th back an hour
        jumped, jumped_rows = await _run(jumping_store, jumps, {3: dt.timedelta(days=1), 8: -dt.timedelta(hours=1)})
    finally:
        await steady_store.dispose()
        await jumping_store.dispose()

    # 19 since overdue reminders stop after overdue_max (mini.yaml's long-overdue task is no longer reminded)
    assert sum(steady.values()) >= 15, "the span sends reminders, overdue reminders, prompts and digests"
    assert max(steady.values()) == 1
    assert max(jumped.values()) == 1, [k for k, n in jumped.items() if n > 1]  # nothing twice
    assert set(jumped) == set(steady), (set(steady) - set(jumped), set(jumped) - set(steady))  # nothing skipped
    assert sorted(r.key for r in jumped_rows) == sorted(r.key for r in steady_rows)
    assert {r.status for r in jumped_rows if r.chat_id is not None} == {OutboxStatus.SENT}


async def test_a_second_sender_after_a_forward_step_does_not_resend_a_claimed_batch(engine: AsyncEngine) -> None:
    """Sender A claims a batch and, while it sends, NTP steps the clock a day forward: by the new clock A's
    lease looks expired. Sender B (another process on PostgreSQL, or the next send job) must not take the
    rows A claimed and has not sent yet: each goes out once, but for the one in flight at the step."""
    t0 = dt.datetime(2025, 3, 3, 1, 30, tzinfo=dt.UTC)
    clock = VirtualClock(t0)
    async with db.session_scope(engine) as session:
        units = [Unit(name=f"单位{i}") for i in range(12)]
        session.add_all(units)
        await session.flush()
        session.add_all(Chat(chat_id=5000 + u.id, unit_id=u.id) for u in units)
        await enqueue(
            session,
            [Outgoing(key=f"n:{u.id}", kind="notice", text=f"通知 {u.id}", send_at=t0, unit_id=u.id) for u in units],
        )
    config = SenderConfig(batch=12)
    telegram = MemoryTransport(clock=clock)
    b_results = []

    class StepThenB(MemoryTransport):
        """A's Telegram: after A's second message the clock steps a day, and B drains meanwhile."""

        async def send_message(self, chat_id: int, text: str, reply_markup: dict | None) -> int:
            message_id = await telegram.send_message(chat_id, text, reply_markup)
            if len(telegram.sent) == 2:
                clock.now += dt.timedelta(days=1)
                b_results.append(
                    await drain(
                        engine,
                        telegram,
                        now=clock,
                        worker="B",
                        config=config,
                        pacer=Pacer(config, clock.monotonic, clock.sleep),
                    )
                )
            return message_id

    a = await drain(
        engine, StepThenB(), now=clock, worker="A", config=config, pacer=Pacer(config, clock.monotonic, clock.sleep)
    )
    counts = Counter(m.chat_id for m in telegram.sent)
    twice = sorted(c for c, n in counts.items() if n > 1)
    # The one message A had in flight when the clock stepped is B's to send again, as after a crash: from
    # B's side A's claim had expired. Every other row A claimed is sent once, by one of them.
    assert twice == [telegram.sent[1].chat_id], f"sent twice: {twice}"
    assert max(counts.values()) == 2 and len(counts) == 12  # and none skipped
    assert a.sent + b_results[0].sent == 12 + 1
    async with db.session_scope(engine) as session:
        statuses = Counter((await session.execute(select(Outbox.status))).scalars())
    assert statuses == {OutboxStatus.SENT: 12}
