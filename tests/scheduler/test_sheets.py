"""The 督办单 at the tick: one message per recipient per send moment, every item exactly once."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db
from bot.core.models import Assignment, Chat, Outbox, Sheet, SheetItem, Task, Unit
from bot.core.vocab import MessageKind, OutboxStatus, Status
from bot.render import sheet as sheet_render
from bot.render.sheet import item_mark
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog
from scheduler.due_sheets import record_new
from scheduler.jobs import LAST_TICK, tick
from scheduler.snapshot import write_state
from tests.conftest import DATA

TZ = ZoneInfo("Asia/Shanghai")
COORDINATOR = 9001
REMINDER_DAY = dt.datetime(2024, 6, 21, 9, 31, tzinfo=TZ)  # 7 days before 2024-06-30 (a Sunday → Friday)


async def seed_many(engine: AsyncEngine) -> dict[str, int]:
    """many.yaml (20 tasks of 市财政局, led by 市科技局, all due 2024-06-30); both units bound."""
    async with db.session_scope(engine) as session:
        await import_catalog(session, load_catalog(DATA / "many.yaml"))
        units = {u.name: u.id for u in (await session.execute(select(Unit))).scalars()}
        for name in ("市财政局", "市科技局"):
            session.add(Chat(chat_id=1000 + units[name], unit_id=units[name]))
        await write_state(session, LAST_TICK, (REMINDER_DAY - dt.timedelta(minutes=5)).isoformat())
    return units


async def rows_for(engine: AsyncEngine, chat_id: int) -> list[Outbox]:
    async with db.session_scope(engine) as session:
        return list(
            (await session.execute(select(Outbox).where(Outbox.chat_id == chat_id).order_by(Outbox.id))).scalars()
        )


async def test_twenty_due_tasks_are_one_numbered_message(engine: AsyncEngine) -> None:
    units = await seed_many(engine)
    result = await tick(engine, REMINDER_DAY, TZ, (COORDINATOR,))
    assert result.due == 40  # 20 reminders to 市财政局, 20 to the lead 市科技局
    (row,) = await rows_for(engine, 1000 + units["市财政局"])
    assert row.kind == MessageKind.SHEET and row.sheet_id is not None and row.assignment_id is None
    numbers = re.findall(r"^([①-⑳]) ", row.text, flags=re.M)  # circled: 「6.」 could be task 6 (issue 22)
    assert numbers == [item_mark(n) for n in range(1, 21)]
    assert "①②…或「第N项」" in row.text  # the one-line instruction says how items are numbered
    assert "〔成果转化〕" in row.text and "〔创新驱动〕" in row.text and "共20项：即将到期20项" in row.text
    assert "剩余9天" in row.text
    keyboard = row.reply_markup["inline_keyboard"]
    task_buttons = [b for r in keyboard for b in r if b["callback_data"].startswith("sc:")]
    assert len(task_buttons) == sheet_render.PAGE_SIZE
    assert task_buttons[0]["text"] == "① 创新驱动 1.1"  # 创新驱动 sorts before 成果转化
    assert [b["text"] for b in keyboard[-1]] == ["1/2", "下一页 ▶"]
    assert len(row.text) < 4096


async def test_a_second_tick_or_a_replayed_window_sends_nothing_again(engine: AsyncEngine) -> None:
    units = await seed_many(engine)
    await tick(engine, REMINDER_DAY, TZ, (COORDINATOR,))
    async with db.session_scope(engine) as session:  # a crash before the mark moved: the window replays
        await write_state(session, LAST_TICK, (REMINDER_DAY - dt.timedelta(minutes=5)).isoformat())
    again = await tick(engine, REMINDER_DAY + dt.timedelta(minutes=1), TZ, (COORDINATOR,))
    assert again.due == 40 and again.enqueued == 0
    assert len(await rows_for(engine, 1000 + units["市财政局"])) == 1


async def test_two_processes_ticking_at_once_send_each_item_once(engine: AsyncEngine, store_url: str) -> None:
    """Two engines (two processes' pools) tick the same window concurrently: every item is in exactly one
    督办单, whichever process won it."""
    units = await seed_many(engine)
    other = db.make_engine(store_url)
    try:
        await asyncio.gather(
            tick(engine, REMINDER_DAY, TZ, (COORDINATOR,)),
            tick(other, REMINDER_DAY, TZ, (COORDINATOR,)),
            return_exceptions=True,
        )
        await tick(engine, REMINDER_DAY + dt.timedelta(minutes=1), TZ, (COORDINATOR,))  # whoever lost retries
    finally:
        await other.dispose()
    async with db.session_scope(engine) as session:
        sheets = list((await session.execute(select(Sheet).where(Sheet.unit_id == units["市财政局"]))).scalars())
        items = (await session.execute(select(SheetItem.key))).scalars().all()
    carried = [i["assignment_id"] for s in sheets for i in s.items]
    assert len(carried) == len(set(carried)) == 20
    assert len(items) == len(set(items)) == 40


async def test_an_item_no_longer_due_is_left_out(engine: AsyncEngine) -> None:
    units = await seed_many(engine)
    async with db.session_scope(engine) as session:
        done = (
            (
                await session.execute(
                    select(Assignment.id)
                    .join(Task, Task.id == Assignment.task_id)
                    .where(Assignment.unit_id == units["市财政局"], Task.key == "1.3")
                )
            )
            .scalars()
            .all()
        )
        await session.execute(update(Assignment).where(Assignment.id.in_(done)).values(status=Status.DONE))
    await tick(engine, REMINDER_DAY, TZ, (COORDINATOR,))
    (row,) = await rows_for(engine, 1000 + units["市财政局"])
    assert "共18项" in row.text and not set(done) & {i["assignment_id"] for i in await _items(engine, row.sheet_id)}


async def test_one_due_task_is_the_classic_prompt(engine: AsyncEngine) -> None:
    units = await seed_many(engine)
    async with db.session_scope(engine) as session:  # all but one of 市财政局's tasks reported done
        await session.execute(
            update(Assignment).where(Assignment.unit_id == units["市财政局"]).values(status=Status.DONE)
        )
        first = (
            await session.execute(
                select(Assignment).where(Assignment.unit_id == units["市财政局"]).order_by(Assignment.id).limit(1)
            )
        ).scalar_one()
        first.status = Status.PENDING
    await tick(engine, REMINDER_DAY, TZ, (COORDINATOR,))
    (row,) = await rows_for(engine, 1000 + units["市财政局"])
    assert row.kind == MessageKind.REMINDER and row.assignment_id == first.id
    assert row.text.startswith("【到期提醒】") and "成果转化 1.1" in row.text
    assert row.reply_markup["inline_keyboard"][0][0]["callback_data"] == f"rp:{first.id}:done"
    assert row.status == OutboxStatus.PENDING


async def _items(engine: AsyncEngine, sheet_id: int | None) -> list[dict]:
    async with db.session_scope(engine) as session:
        sheet = await session.get(Sheet, sheet_id)
        return list(sheet.items) if sheet else []


async def test_record_new_returns_only_the_keys_it_inserted(engine: AsyncEngine) -> None:
    """All new (a send moment: the short way, no keys sent back), some new, none new, a key offered twice."""
    async with db.session_scope(engine) as session:
        assert await record_new(session, ["a", "b", "c"]) == {"a", "b", "c"}
    async with db.session_scope(engine) as session:
        assert await record_new(session, ["b", "d", "a", "e", "d"]) == {"d", "e"}
        assert await record_new(session, ["a", "e"]) == set()
        assert await record_new(session, []) == set()
    async with db.session_scope(engine) as session:
        stored = list((await session.execute(select(SheetItem.key).order_by(SheetItem.key))).scalars())
    assert stored == ["a", "b", "c", "d", "e"]
