"""督查单位 on the tick (tests/data/supervise.yaml, every unit bound): the supervising unit gets the weekly
digest of the tasks it supervises and nothing else; the units doing the task get their 督办单 as before;
the digest's counts are those of the units doing the tasks."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db
from bot.core.models import Assignment, Chat, DigestRun, Outbox, Sheet, Task, Unit
from bot.core.vocab import MessageKind, Role
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog
from scheduler.jobs import tick
from tests.conftest import DATA

TZ = ZoneInfo("Asia/Shanghai")
COORDINATOR = 9001


async def _store(engine: AsyncEngine) -> dict[str, int]:
    async with db.session_scope(engine) as session:
        await import_catalog(session, load_catalog(DATA / "supervise.yaml"))
        units = {u.name: u.id for u in (await session.execute(select(Unit).where(~Unit.is_group))).scalars()}
        session.add_all(Chat(chat_id=1000 + uid, unit_id=uid) for uid in units.values())
    return units


async def _ticks(engine: AsyncEngine, first: dt.date, days: int) -> None:
    """Two ticks a day, as a running bot's every-minute ticks would see the day."""
    for offset in range(days):
        day = first + dt.timedelta(days=offset)
        for at in (dt.time(9, 31), dt.time(18, 0)):
            await tick(engine, dt.datetime.combine(day, at, tzinfo=TZ), TZ, (COORDINATOR,))


async def _all(engine: AsyncEngine, model: type) -> list:
    async with db.session_scope(engine) as session:
        return list((await session.execute(select(model))).scalars())


async def test_the_supervising_unit_gets_its_digest_and_no_reminder(engine: AsyncEngine) -> None:
    units = await _store(engine)
    # 03-25 … 04-09: the weekly digests of W13, W14 and W15 (04-08); task 1.2 is overdue from Mon 04-01
    # (escalate_after 0: its 督办通报 goes out with the first overdue reminder); 04-01 is a prompt day too
    await _ticks(engine, dt.date(2024, 3, 25), 16)
    rows = await _all(engine, Outbox)
    office = [r for r in rows if r.chat_id == 1000 + units["市委督查室"]]
    assert office and {r.kind for r in office} == {MessageKind.DIGEST}
    assert sorted(r.key.split(":")[1] for r in office) == ["2024-W13", "2024-W14", "2024-W15"]
    # the tasks it supervises (1.1: 市科技局 and 市财政局; 1.2: 市发展改革局), not 2.1; 1.2 named once overdue
    assert all("任务2项（3个单位分工）" in r.text for r in office)
    assert ["督查示例 1.2" in r.text for r in sorted(office, key=lambda r: r.key)] == [False, True, True]
    sheets = await _all(engine, Sheet)
    assert units["市委督查室"] not in {s.unit_id for s in sheets}
    # the responsible unit of 1.2 gets its overdue 督办单; 市科技局, which supervises 1.2, never hears of 1.2
    async with db.session_scope(engine) as session:
        ids = dict(
            (
                await session.execute(
                    select(Assignment.id, Task.key)
                    .join(Task, Task.id == Assignment.task_id)
                    .where(Assignment.role != Role.SUPERVISE)
                )
            ).all()
        )
    items = {(s.unit_id, ids.get(i["assignment_id"]), i["kind"]) for s in sheets for i in s.items}
    assert (units["市发展改革局"], "1.2", MessageKind.OVERDUE) in items
    assert (None, "1.2", MessageKind.ESCALATION) in items  # the coordinators' 督办通报
    assert not {i for i in items if i[0] == units["市科技局"] and i[1] == "1.2"}
    assert {i[1] for i in items if i[0] == units["市科技局"]} == {"1.1"}
    # 市科技局 leads 1.1 and supervises 1.2: one digest a week with both; 市财政局 leads 2.1 only
    science = [r for r in rows if r.chat_id == 1000 + units["市科技局"] and r.kind == MessageKind.DIGEST]
    assert [r.text.split("\n")[1][:13] for r in science] == ["任务2项（3个单位分工）。"] * 3
    finance = [r for r in rows if r.chat_id == 1000 + units["市财政局"] and r.kind == MessageKind.DIGEST]
    assert [r.text.split("\n")[1][:13] for r in finance] == ["任务1项（3个单位分工）。"] * 3


async def test_the_digests_count_the_units_doing_the_tasks_only(engine: AsyncEngine) -> None:
    units = await _store(engine)
    await _ticks(engine, dt.date(2024, 4, 1), 1)
    runs = {r.audience: r.counts for r in await _all(engine, DigestRun)}
    # six assignments do the three tasks (1.1: 2, 1.2: 1, 2.1: 1 + 2 members); three rows supervise
    assert sum(runs["coordinators"].values()) == 6
    assert sum(runs[f"unit:{units['市委督查室']}"].values()) == 3  # 1.1's two units and 1.2's one
    assert sum(runs[f"unit:{units['市科技局']}"].values()) == 3
    assert f"unit:{units['市发展改革局']}" not in runs  # responsible only: no digest
