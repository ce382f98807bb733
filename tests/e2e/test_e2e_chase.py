"""一键催办 end to end against the Bot API emulator: three units bound, 市财政局 overdue, 市科技局 silent for
40 days. `/remind overdue` reaches exactly the overdue unit after confirmation, `/remind silent 30` the
silent one, a double tap sends once, and `taskbot remind --dry-run` lists the same units."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from bot.core.models import Assignment, Task, Unit
from bot.render import messages as m
from tests.e2e.conftest import COORDINATOR, Person, Running, buttons_of, text_of
from tests.support.cli import run_cli

pytestmark = pytest.mark.e2e

BOSS = Person(COORDINATOR, COORDINATOR, "督办员")
FINANCE = Person(3001, 3001, "财政联络员")
SCIENCE = Person(3002, 3002, "科技联络员")
PLANNING = Person(3003, 3003, "发改联络员")
TZ = ZoneInfo("Asia/Shanghai")


async def _state(run: Running) -> None:
    today, now = dt.datetime.now(TZ).date(), dt.datetime.now(dt.UTC)

    def of(unit: str) -> object:
        return Assignment.unit_id.in_(Unit.__table__.select().with_only_columns(Unit.id).where(Unit.name == unit))

    async with run.session() as session:
        await session.execute(update(Task).values(deadline=today + dt.timedelta(days=60)))
        await session.execute(update(Assignment).values(last_report_at=now - dt.timedelta(days=1)))
        await session.execute(
            update(Assignment)
            .where(
                of("市财政局"),
                Assignment.task_id.in_(Task.__table__.select().with_only_columns(Task.id).where(Task.key == "1.2")),
            )
            .values(deadline_override=today - dt.timedelta(days=5))
        )
        await session.execute(
            update(Assignment).where(of("市科技局")).values(last_report_at=now - dt.timedelta(days=40))
        )


async def _confirmed(run: Running, command: str) -> dict:
    await run.emulator.command(BOSS, command)
    (preview,) = await run.emulator.replies(BOSS)
    assert "1个单位，1个聊天" in text_of(preview)
    ok = next(data for _, data in buttons_of(preview) if data.endswith(":ok"))
    await run.emulator.tap(BOSS, preview, ok)
    (queued,) = await run.emulator.replies(BOSS)
    assert text_of(queued) == m.CHASE_QUEUED.format(units=1, chats=1)
    return {"preview": preview, "ok": ok}


async def test_remind_reaches_the_overdue_then_the_silent_unit_once(running: Running) -> None:
    run = running
    for person, unit in ((FINANCE, "市财政局"), (SCIENCE, "市科技局"), (PLANNING, "市发展改革局")):
        await run.bind(person, unit)
    await _state(run)
    env = {"DATABASE_URL": run.settings.database_url, "COORDINATOR_IDS": str(COORDINATOR)}
    dry = await asyncio.to_thread(run_cli, "remind", "overdue", "--dry-run", env=env)
    assert [line.split(" — ")[0] for line in dry.stdout.splitlines() if " — " in line] == ["市财政局"]

    first = await _confirmed(run, "/remind overdue")
    assert "市财政局（1项）" in text_of(first["preview"])
    await run.emulator.tap(BOSS, first["preview"], first["ok"])  # the double tap
    (again,) = await run.emulator.replies(BOSS)
    assert text_of(again) == m.CHASE_ALREADY
    assert await run.deliver() == 1
    (chased,) = await run.emulator.replies(FINANCE)
    assert text_of(chased).startswith(m.CHASE_HEADER) and "1.2" in text_of(chased)
    for person in (FINANCE, SCIENCE, PLANNING):
        assert await run.emulator.quiet(person) == []

    dry = await asyncio.to_thread(run_cli, "remind", "silent", "30", "--dry-run", env=env)
    listed = [line.split(" — ")[0] for line in dry.stdout.splitlines() if " — " in line and " 0 chats" not in line]
    assert listed == ["市科技局"]
    second = await _confirmed(run, "/remind silent 30")
    assert "市科技局（" in text_of(second["preview"])
    assert await run.deliver() == 1
    (chased,) = await run.emulator.replies(SCIENCE)
    assert text_of(chased).startswith(m.CHASE_HEADER)
    for person in (FINANCE, SCIENCE, PLANNING):
        assert await run.emulator.quiet(person) == []
