"""kill -9 of the bot in the middle of a 500-message broadcast, then a restart (twice): every message is
delivered, none is lost, and at most one per crash goes out twice — the one in flight when the process
died (sent to Telegram, not yet marked sent). The duplicates are counted and printed.

The fake Bot API answers each sendMessage 25 ms after recording it, so a kill usually lands with a
message in flight (the worst case); without that delay the kill mostly lands between two sends.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.chat.broadcast import confirm_broadcast, draft_broadcast
from bot.core import db
from bot.core.models import Outbox
from bot.core.vocab import BroadcastOutcome, OutboxStatus
from tests.reliability.conftest import COORDINATOR, FakeApi, bind_chats, wait_for

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

MESSAGES = 500
CRASH_AT = (170, 340)  # kill -9 once this many broadcast messages have been delivered
MARK = "可靠性测试广播"


async def _seed(url: str) -> list[int]:
    engine = db.make_engine(url)
    try:
        await db.ensure_schema(engine)
        chats = await bind_chats(engine, MESSAGES)
        async with db.session_scope(engine) as session:
            draft, recipients = await draft_broadcast(session, user_id=COORDINATOR, text=f"{MARK}：请于周五前报送。")
        assert recipients == MESSAGES
        async with db.session_scope(engine) as session:
            result = await confirm_broadcast(
                session, draft_id=draft, user_id=COORDINATOR, send=True, now=dt.datetime.now(dt.UTC)
            )
        assert (result.outcome, result.recipients) == (BroadcastOutcome.QUEUED, MESSAGES)
        return chats
    finally:
        await engine.dispose()


async def _outbox(url: str) -> Counter[str]:
    engine = db.make_engine(url)
    try:
        async with db.session_scope(engine) as session:
            rows = (
                await session.execute(
                    select(Outbox.status, func.count()).where(Outbox.kind == "broadcast").group_by(Outbox.status)
                )
            ).all()
        return Counter({status: n for status, n in rows})
    finally:
        await engine.dispose()


@pytest.fixture
def answer_delay() -> float:
    return 0.025


async def test_kill_9_in_a_broadcast_loses_nothing_and_duplicates_at_most_the_one_in_flight(
    tmp_path: Path, api: FakeApi, bot_factory
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'taskbot.db'}"
    chats = await _seed(url)

    def broadcast() -> list[int]:
        return [d["chat_id"] for d in api.deliveries() if MARK in d["text"]]

    bot = bot_factory(url)
    began = time.monotonic()
    bot.start()
    left_sending: list[int] = []
    in_flight: list[int] = []  # the last chat Telegram heard from each dead process
    recoveries: list[float] = []
    for crash_at in CRASH_AT:
        wait_for(lambda n=crash_at: len(broadcast()) >= n, 60, f"{crash_at} messages delivered", every=0.01)
        bot.kill9()
        time.sleep(0.3)  # a request the dead process had on the wire is recorded by now, if it got there
        before = len(broadcast())
        in_flight.append(broadcast()[-1])
        state = await _outbox(url)
        left_sending.append(state[OutboxStatus.SENDING])
        assert state[OutboxStatus.SENT] + state[OutboxStatus.SENDING] + state["pending"] == MESSAGES
        restarted = time.monotonic()
        bot.start()
        wait_for(lambda b=before: len(broadcast()) > b, 60, "the first delivery after the restart", every=0.05)
        recoveries.append(time.monotonic() - restarted)
    wait_for(lambda: set(broadcast()) == set(chats), 90, "every chat to get the broadcast")
    total = time.monotonic() - began
    time.sleep(1.0)  # nothing more may arrive
    delivered = Counter(broadcast())
    duplicates = sum(n - 1 for n in delivered.values())
    print(
        f"\n[kill -9] {MESSAGES} messages, {len(CRASH_AT)} crashes: {duplicates} duplicate(s) "
        f"({duplicates / len(CRASH_AT):.1f} per crash; rows left 'sending' by the dead process: {left_sending}); "
        f"first delivery after each restart in {', '.join(f'{r:.1f} s' for r in recoveries)}; "
        f"all delivered {total:.1f} s after the first start"
    )
    assert set(delivered) == set(chats), "a message was lost"
    assert all(n <= 2 for n in delivered.values())
    assert duplicates <= len(CRASH_AT), f"{duplicates} duplicates for {len(CRASH_AT)} crashes"
    assert {chat for chat, n in delivered.items() if n > 1} <= set(in_flight), "a duplicate was not in flight"
    assert (await _outbox(url)) == Counter({OutboxStatus.SENT: MESSAGES})
    assert bot.stop() == 0
