"""The tick on a real store, on a virtual clock: plan → outbox, once, whatever the ticks and the clock do."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import ApplicationBuilder, CallbackContext

from bot.app import build_application
from bot.core import db
from bot.core.models import Assignment, Chat, DigestRun, Outbox, Task, Unit
from bot.core.settings import Settings
from bot.core.vocab import MessageKind
from bot.store.overview import digest_history
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog
from scheduler.jobs import CATCH_UP, CHART_BUTTON, JOB_KWARGS, LAST_TICK, install, tick, window_start_for
from scheduler.snapshot import write_state
from tests.conftest import DATA

TZ = ZoneInfo("Asia/Shanghai")
COORDINATOR = 9001


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


async def setup_store(engine: AsyncEngine) -> dict[str, int]:
    """mini.yaml imported, every unit but 市财政局 bound to a chat (chat id = 1000 + unit id)."""
    async with db.session_scope(engine) as session:
        await import_catalog(session, load_catalog(DATA / "mini.yaml"))
        units = {u.name: u.id for u in (await session.execute(select(Unit))).scalars()}
        for name, unit_id in units.items():
            if name != "市财政局":
                session.add(Chat(chat_id=1000 + unit_id, unit_id=unit_id))
    return units


async def outbox(engine: AsyncEngine) -> list[Outbox]:
    async with db.session_scope(engine) as session:
        return list((await session.execute(select(Outbox).order_by(Outbox.send_at, Outbox.key))).scalars())


async def assignment_of(engine: AsyncEngine, unit: str, task_key: str) -> int:
    async with db.session_scope(engine) as session:
        return (
            await session.execute(
                select(Assignment.id)
                .join(Unit, Unit.id == Assignment.unit_id)
                .join(Task, Task.id == Assignment.task_id)
                .where(Unit.name == unit, Task.key == task_key)
            )
        ).scalar_one()


async def run_days(engine: AsyncEngine, start: dt.datetime, days: int, per_day: list[dt.time]) -> None:
    for offset in range(days):
        day = (start + dt.timedelta(days=offset)).date()
        for at in per_day:
            await tick(engine, dt.datetime.combine(day, at, tzinfo=TZ), TZ, (COORDINATOR,))


def test_window_start_rules() -> None:
    now = local(2025, 3, 3, 9, 31)
    assert window_start_for(None, now, TZ) == local(2025, 3, 3, 0, 0)
    assert window_start_for(now - dt.timedelta(minutes=1), now, TZ) == now - dt.timedelta(minutes=1)
    assert window_start_for(now - dt.timedelta(days=40), now, TZ) == now - CATCH_UP


async def test_reminders_reach_the_outbox_once_whatever_the_tick_rate(engine: AsyncEngine) -> None:
    units = await setup_store(engine)
    # mini.yaml: task 1.2 is due 2024-06-30 (a Sunday); 30/7/1-day reminders: 05-31, 06-21 (Fri), 06-28 (Fri)
    await run_days(engine, local(2024, 5, 30), 33, [dt.time(9, 0), dt.time(9, 31), dt.time(15, 0)])
    aid = await assignment_of(engine, "市科技局", "1.2")
    rows = [r for r in await outbox(engine) if r.kind == MessageKind.REMINDER and r.assignment_id == aid]
    assert [r.send_at.astimezone(TZ) for r in rows] == [
        local(2024, 5, 31, 9, 30),
        local(2024, 6, 21, 9, 30),
        local(2024, 6, 28, 9, 30),
    ]
    assert all(r.chat_id == 1000 + units["市科技局"] and r.status == "pending" for r in rows)
    assert "示例 1.2 完善技术合同登记机制" in rows[0].text and "剩余30天" in rows[0].text
    assert rows[0].reply_markup["inline_keyboard"][0][0]["callback_data"] == f"rp:{rows[0].assignment_id}:done"

    # the same days again, ticked every minute around the send time: nothing new
    before = len(await outbox(engine))
    async with db.session_scope(engine) as session:
        await write_state(session, LAST_TICK, local(2024, 6, 21, 9, 0).isoformat())
    for minute in range(0, 60):
        await tick(engine, local(2024, 6, 21, 9, minute), TZ, (COORDINATOR,))
    assert len(await outbox(engine)) == before


async def test_unbound_unit_is_recorded_as_skipped(engine: AsyncEngine) -> None:
    units = await setup_store(engine)
    await run_days(engine, local(2024, 5, 30), 3, [dt.time(18, 0)])
    skipped = [r for r in await outbox(engine) if r.unit_id == units["市财政局"]]
    assert skipped and {(r.status, r.chat_id) for r in skipped} == {("skipped", None)}


async def test_clock_jumps_neither_duplicate_nor_skip(engine: AsyncEngine) -> None:
    await setup_store(engine)
    await tick(engine, local(2024, 6, 20, 18, 0), TZ, (COORDINATOR,))
    # NTP steps forward a day: the whole of 06-21 is planned by one tick
    jumped = await tick(engine, local(2024, 6, 21, 18, 0), TZ, (COORDINATOR,))
    assert jumped.enqueued > 0
    keys = Counter(r.key for r in await outbox(engine))
    # and back an hour: nothing is planned twice, the mark does not move back
    back = await tick(engine, local(2024, 6, 21, 17, 0), TZ, (COORDINATOR,))
    assert back.enqueued == 0 and back.due == 0
    again = await tick(engine, local(2024, 6, 21, 18, 30), TZ, (COORDINATOR,))
    assert again.enqueued == 0
    assert Counter(r.key for r in await outbox(engine)) == keys
    assert max(keys.values()) == 1


async def test_weekly_digest_goes_to_leads_and_coordinators_once(engine: AsyncEngine) -> None:
    units = await setup_store(engine)
    # Sun 06-02 … Tue 06-11: Mon 06-10 is 端午节, so week 24's digest goes out on Tuesday
    await run_days(engine, local(2024, 6, 2), 10, [dt.time(9, 31), dt.time(10, 0)])
    digests = [r for r in await outbox(engine) if r.kind == "digest"]
    weeks = Counter(r.key.split(":")[1] for r in digests)
    assert weeks == {"2024-W23": 2, "2024-W24": 2}  # the lead unit 市科技局 and one coordinator, each week
    assert {r.chat_id for r in digests} == {1000 + units["市科技局"], COORDINATOR}
    # the lead unit's digest has the 📊 button for its chart; the coordinators' has its photo instead
    assert {r.chat_id: r.reply_markup for r in digests} == {1000 + units["市科技局"]: CHART_BUTTON, COORDINATOR: None}
    assert sorted({r.send_at.astimezone(TZ) for r in digests}) == [local(2024, 6, 3, 9, 30), local(2024, 6, 11, 9, 30)]
    async with db.session_scope(engine) as session:
        runs = (await session.execute(select(DigestRun.period, DigestRun.audience, DigestRun.snapshot))).all()
    assert len(runs) == 4
    # only the newest snapshot per audience is kept (the next digest compares with it); older ones are emptied
    assert {(period, bool(snapshot)) for period, _audience, snapshot in runs} == {
        ("2024-W23", False),
        ("2024-W24", True),
    }
    # the counts by status stay with every run, emptied or not: the chart's trend reads them
    async with db.session_scope(engine) as session:
        counts = (
            (
                await session.execute(
                    select(DigestRun.counts).where(DigestRun.audience == "coordinators").order_by(DigestRun.period)
                )
            )
            .scalars()
            .all()
        )
        history = await digest_history(session, "coordinators", dt.date(2024, 6, 30))
    assert len(counts) == 2 and all(sum(c.values()) > 0 and set(c) >= {"done", "pending"} for c in counts)
    assert [label for label, _ in history] == ["06-03", "06-10"] and [c for _, c in history] == counts


def test_the_bot_runs_the_tick_and_the_sender_from_its_job_queue() -> None:
    application = build_application(Settings(telegram_bot_token="123456:fake-token-for-a-build-only-test"))
    jobs = {job.name: job for job in application.job_queue.jobs()}
    assert set(jobs) == {"taskbot.tick", "taskbot.digest", "taskbot.send"}
    assert jobs["taskbot.tick"].job.misfire_grace_time is None and jobs["taskbot.tick"].job.coalesce


async def test_a_job_still_running_is_skipped_without_a_warning_each_time(caplog: pytest.LogCaptureFixture) -> None:
    """The send job's drain outlasting SEND_EVERY (a long broadcast) is normal: APScheduler's "skipped:
    maximum number of running instances" is dropped for taskbot's jobs and kept for anyone else's."""
    app = ApplicationBuilder().token("123456:JobsTestToken").build()
    install(app)
    queue = app.job_queue
    assert queue is not None
    for job in queue.jobs():
        job.schedule_removal()
    runs = Counter()

    async def slow(context: CallbackContext) -> None:
        runs[context.job.name] += 1
        await asyncio.sleep(0.6)

    for name in ("taskbot.slow", "other.slow"):
        queue.run_repeating(slow, interval=0.1, first=0.01, name=name, job_kwargs=JOB_KWARGS)
    caplog.set_level(logging.WARNING, logger="apscheduler")
    await queue.start()
    try:
        await asyncio.sleep(1.0)
    finally:
        await queue.stop(wait=False)
    skipped = [r.getMessage() for r in caplog.records if "maximum number of running instances" in r.getMessage()]
    assert runs["taskbot.slow"] >= 1 and runs["other.slow"] >= 1
    assert skipped and all('"other.slow' in text for text in skipped)
