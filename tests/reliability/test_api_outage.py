"""The Bot API unreachable for a while (the fake server's process stopped), then back: reminders queued
meanwhile go out once each and in order, the bot never exits (no crash loop), and the outage costs a
bounded number of log lines, not one per retry. The same when the bot starts while the API is down (an
office server that boots before its network): it waits for Telegram instead of exiting, which under
systemd would be a restart loop that ends in "start request repeated too quickly" and a dead bot."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.core import db
from bot.core.models import Outbox, Unit
from bot.core.vocab import OutboxStatus
from bot.store.outbox import Outgoing, enqueue
from tests.reliability.conftest import BotProcess, FakeApi, bind_chats, wait_for

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

CHATS = 10
OUTAGE_WAVES = 2  # reminders enqueued twice while the API is down, 10 each
WAVE_GAP = 4.0  # seconds between waves: the sender (every 5 s) meets the dead API several times
MAX_OUTAGE_LOG_LINES = 40  # everything the bot logs while the API is down (one traceback alone is ~90 lines)


async def _enqueue(url: str, wave: int, units: list[int]) -> list[str]:
    engine = db.make_engine(url)
    try:
        now = dt.datetime.now(dt.UTC)
        messages = [
            Outgoing(
                key=f"reminder:w{wave}:{i}",
                kind="reminder",
                text=f"【提醒】第{wave}批第{i:02d}条",
                send_at=now,
                unit_id=units[i % len(units)],
            )
            for i in range(10)
        ]
        async with db.session_scope(engine) as session:
            assert (await enqueue(session, messages)).inserted == len(messages)
        return [m.text for m in messages]
    finally:
        await engine.dispose()


async def _rows(url: str) -> list[Outbox]:
    engine = db.make_engine(url)
    try:
        async with db.session_scope(engine) as session:
            return list((await session.execute(select(Outbox).order_by(Outbox.id))).scalars())
    finally:
        await engine.dispose()


async def _seed(url: str) -> list[int]:
    engine = db.make_engine(url)
    try:
        await db.ensure_schema(engine)
        await bind_chats(engine, CHATS, per_unit=1)
        async with db.session_scope(engine) as session:
            return list((await session.execute(select(Unit.id).order_by(Unit.id))).scalars())
    finally:
        await engine.dispose()


def _log_lines(bot: BotProcess) -> list[str]:
    return bot.log_text().splitlines()


async def test_reminders_queued_while_the_bot_api_is_down_go_out_once_in_order(
    tmp_path: Path, api: FakeApi, bot_factory
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'taskbot.db'}"
    units = await _seed(url)

    def reminders() -> list[str]:
        return [d["text"] for d in api.deliveries() if d["text"].startswith("【提醒】")]

    bot = bot_factory(url)
    bot.start()
    bot.wait_up()
    expected = await _enqueue(url, 0, units)
    wait_for(lambda: len(reminders()) == len(expected), 20, "the first reminders (the API is up)")

    api.stop()
    down_at, log_before = time.monotonic(), len(_log_lines(bot))
    for wave in range(1, OUTAGE_WAVES + 1):
        expected += await _enqueue(url, wave, units)
        time.sleep(WAVE_GAP)
        assert bot.alive(), f"the bot exited while the API was down:\n{bot.log_text()[-3000:]}"
    queued = [r for r in await _rows(url) if r.status != OutboxStatus.SENT]
    assert len(queued) == 10 * OUTAGE_WAVES
    assert all(r.status == OutboxStatus.PENDING and r.attempts == 0 for r in queued), [
        (r.key, r.status, r.attempts, r.last_error) for r in queued if r.status != OutboxStatus.PENDING or r.attempts
    ]
    assert all(r.next_attempt_at is None for r in queued), "an outage pushed a message back"
    tried = sum(1 for r in queued if (r.last_error or "").startswith("unreachable"))

    api.start()
    back_at = time.monotonic()
    outage_log = _log_lines(bot)[log_before:]
    wait_for(lambda: len(reminders()) > 10, 30, "a reminder after the API came back", every=0.05)
    first_after = time.monotonic() - back_at
    wait_for(lambda: len(reminders()) >= len(expected), 30, "every reminder after the API came back")
    all_after = time.monotonic() - back_at
    time.sleep(1.0)  # nothing more may arrive

    sent = reminders()
    print(
        f"\n[api outage] down {back_at - down_at:.1f} s with {10 * OUTAGE_WAVES} reminders queued "
        f"(the sender stopped at the oldest each run: {tried} row marked unreachable, none pushed back); "
        f"first out {first_after:.1f} s and all out {all_after:.1f} s after it came back; "
        f"{len(outage_log)} log lines during the outage; bot started {bot.starts} time(s)"
    )
    assert sent == expected, "a reminder was lost, sent twice or out of order"
    assert tried >= 1, "the sender never met the dead API: the outage tested nothing"
    assert bot.alive() and bot.starts == 1 and bot.log_text().count("taskbot is up") == 1
    assert {r.status for r in await _rows(url)} == {OutboxStatus.SENT}
    assert len(outage_log) <= MAX_OUTAGE_LOG_LINES, "\n".join(outage_log[:80])
    log = bot.log_text()
    assert log.count("sender: Telegram unreachable") == 1 and log.count("Telegram reachable again") == 1
    assert bot.stop() == 0


async def test_a_bot_started_while_the_bot_api_is_down_waits_for_it(tmp_path: Path, api: FakeApi, bot_factory) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'taskbot.db'}"
    units = await _seed(url)
    expected = await _enqueue(url, 0, units)
    api.stop()
    bot = bot_factory(url)
    bot.start()
    time.sleep(4.0)
    assert bot.alive(), f"the bot exited because Telegram did not answer at start:\n{bot.log_text()[-3000:]}"
    api.start()
    back_at = time.monotonic()
    bot.wait_up(30)
    up_after = time.monotonic() - back_at
    wait_for(lambda: [d["text"] for d in api.deliveries()] == expected, 20, "the reminders queued before the start")
    print(
        f"\n[api down at start] the bot waited, was up {up_after:.1f} s after the API came back, "
        f"{len(bot.log_text().splitlines())} log lines in all"
    )
    assert bot.starts == 1 and len(bot.log_text().splitlines()) <= MAX_OUTAGE_LOG_LINES
    assert bot.stop() == 0
