"""kill -9 of the bot while it sends 督办单 to 200 chats, then a restart: every chat gets its 督办单, none is
lost, and only the one in flight when the process died may arrive twice."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.core import db
from bot.core.models import Chat, Unit
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog
from scheduler.jobs import LAST_TICK, tick
from scheduler.snapshot import write_state
from tests.reliability.conftest import COORDINATOR, FakeApi, wait_for

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

CHATS = 200
TZ = ZoneInfo("Asia/Shanghai")
REMINDER_DAY = dt.datetime(2024, 6, 21, 9, 31, tzinfo=TZ)
MARK = "【督办单】"
FIRST_CHAT = 20_000


def _tasks_file(path: Path) -> Path:
    """Two tasks of 200 units, due 2024-06-30: each unit's 7-day reminders are one 督办单 of two items."""
    units = [f"单位{i:03d}" for i in range(CHATS)]
    lines = [
        "version: 1",
        "units:",
        *[f"  - name: {u}" for u in units],
        "  - name: 督查室",
        "documents:",
        "  - id: crash-2024",
        "    short: 可靠性",
        "    title: 可靠性演练方案",
        "    issuer: 督查室",
        "    issued: 2024-01-02",
        "    tasks:",
    ]
    for key in ("1.1", "1.2"):
        lines += [
            f'      - id: "{key}"',
            f"        title: 演练任务{key}",
            f"        responsible: [{', '.join(units)}]",
            "        deadline: 2024-06-30",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def _seed(url: str, tasks: Path) -> list[int]:
    engine = db.make_engine(url)
    try:
        await db.ensure_schema(engine)
        async with db.session_scope(engine) as session:
            await import_catalog(session, load_catalog(tasks), actor="test")
            units = (
                await session.execute(select(Unit.id, Unit.name).where(Unit.name.like("单位%")).order_by(Unit.name))
            ).all()
            session.add_all(
                Chat(chat_id=FIRST_CHAT + i, unit_id=uid, kind="private", title=name)
                for i, (uid, name) in enumerate(units)
            )
            await write_state(session, LAST_TICK, (REMINDER_DAY - dt.timedelta(minutes=5)).isoformat())
        result = await tick(engine, REMINDER_DAY, TZ, (COORDINATOR,))
        assert result.enqueued == CHATS
        async with db.session_scope(engine) as session:  # the bot's own ticks start from now
            await write_state(session, LAST_TICK, dt.datetime.now(dt.UTC).isoformat())
        return [FIRST_CHAT + i for i in range(CHATS)]
    finally:
        await engine.dispose()


@pytest.fixture
def answer_delay() -> float:
    return 0.025


async def test_kill_9_while_sending_sheets_loses_none_and_repeats_at_most_the_one_in_flight(
    tmp_path: Path, api: FakeApi, bot_factory
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'taskbot.db'}"
    chats = await _seed(url, _tasks_file(tmp_path / "tasks.yaml"))

    def sheets() -> list[int]:
        return [d["chat_id"] for d in api.deliveries() if d["text"].startswith(MARK)]

    bot = bot_factory(url)
    bot.start()
    wait_for(lambda: len(sheets()) >= CHATS // 3, 60, f"{CHATS // 3} 督办单 delivered", every=0.01)
    bot.kill9()
    time.sleep(0.3)
    in_flight = sheets()[-1]
    bot.start()
    wait_for(lambda: set(sheets()) == set(chats), 90, "every chat to get its 督办单")
    time.sleep(1.0)
    delivered = Counter(sheets())
    duplicates = sum(n - 1 for n in delivered.values())
    print(f"\n[kill -9 while sending 督办单] {CHATS} chats, 1 crash: {duplicates} duplicate(s)")
    assert set(delivered) == set(chats), "a 督办单 was lost"
    assert duplicates <= 1 and {c for c, n in delivered.items() if n > 1} <= {in_flight}
