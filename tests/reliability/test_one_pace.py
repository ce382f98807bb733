"""One pace for every process (issue 23 §2): two real `taskbot run` processes on one PostgreSQL drain 2,000
messages to 2,000 chats against the fake Bot API with Telegram's flood limits enforced (30 a second, one a
second per chat). Before, each process paced itself at 29/s: together they drew 429s (66 for 1,000 messages)
and finished later than one alone. Now one process is the sender (an advisory lock) and the other stands by.

Asserted: no 429, every message delivered exactly once, every outbox row sent. The combined rate is printed
(wall-clock time belongs to bench/, not to an assertion).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.core import db
from bot.core.models import Outbox
from bot.core.vocab import OutboxStatus
from tests.reliability.conftest import PACE_MARK, FakeApi, free_port, pace_chats, queue_pace_broadcast, wait_for

pytestmark = [pytest.mark.reliability, pytest.mark.slow, pytest.mark.postgres]

MESSAGES = 2_000
SECRET = "one-pace-secret"


@pytest.fixture
def flood_limits() -> bool:
    return True


def _statuses(url: str) -> Counter[str]:
    async def read() -> Counter[str]:
        engine = db.make_engine(url)
        try:
            async with db.session_scope(engine) as session:
                return Counter((await session.execute(select(Outbox.status))).scalars().all())
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_two_processes_drain_2000_messages_at_one_pace_without_a_429(
    tmp_path: Path, pg_schema_url: str, api: FakeApi, bot_factory
) -> None:
    chats = asyncio.run(pace_chats(pg_schema_url, MESSAGES))
    bots = [
        bot_factory(
            pg_schema_url,
            name=name,
            env={"TELEGRAM_WEBHOOK_SECRET": SECRET},
            args=("--webhook", "https://bot.example.org/tg/hook", "--listen", f"127.0.0.1:{free_port()}"),
        )
        for name in ("a", "b")
    ]
    for bot in bots:
        bot.start()
    for bot in bots:
        bot.wait_up(240)  # a loaded machine: `taskbot --version` alone took 20 s
    assert asyncio.run(queue_pace_broadcast(pg_schema_url, chats)) == MESSAGES

    def delivered() -> list[dict]:
        return [d for d in api.deliveries() if d["text"].startswith(PACE_MARK)]

    wait_for(lambda: len(delivered()) >= MESSAGES, 300, f"{MESSAGES} deliveries", every=1.0)
    wait_for(lambda: _statuses(pg_schema_url) == Counter({OutboxStatus.SENT: MESSAGES}), 60, "every row sent")
    stats = api.stats()
    out = delivered()
    times = sorted(d["at"] for d in out)
    rate = (len(times) - 1) / (times[-1] - times[0])
    standing_by = sum(1 for b in bots if "this one stands by" in b.log_text())
    print(
        f"\n[one pace] {len(out)} delivered in {times[-1] - times[0]:.1f} s: {rate:.1f}/s together "
        f"({rate / 30:.2f} × 30/s); {stats['rate_limited']} × 429; {standing_by} process(es) stood by at some point"
    )
    for bot in bots:
        assert bot.alive(), bot.log_text()[-3000:]
    assert stats["rate_limited"] == 0
    assert Counter(d["chat_id"] for d in out) == Counter(chats), "a message was lost or sent twice"
    for bot in bots:
        assert bot.stop() == 0
