"""Targets end to end against the Bot API emulator: the lead's report 「已完成12项」 on a task with a 20-项
target moves it to 12 in the next weekly digest (built by the real tick, sent by the real sender), a
responsible unit's 8项 shown beside it as its contribution; 更正 under the answer and a reply with the right
number move it to 15 in /digest; a lead records a value with /target."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.core.models import Document, Outbox
from bot.core.vocab import MessageKind
from scheduler.jobs import LAST_TICK, tick
from scheduler.snapshot import write_state
from tests.e2e.conftest import COORDINATOR, Person, Running, buttons_of, text_of

pytestmark = pytest.mark.e2e

REFORM = Person(3001, 3001, "发改联络员")  # 市发展改革局: responsible for 1.1, whose target is 20项
SCIENCE = Person(3002, 3002, "科技联络员")  # 市科技局: leads 1.1
BOSS = Person(COORDINATOR, COORDINATOR, "督办员")
TZ = ZoneInfo("Asia/Shanghai")


async def _weekly_digest(run: Running) -> str:
    """The weekly digest as the tick builds it at the first workday of a week, 09:31 (last week's: its send
    time is past, so the sender delivers it now), as the coordinator receives it."""
    today = dt.datetime.now(TZ).date()
    monday = today - dt.timedelta(days=today.weekday() + 7)
    for day in (monday + dt.timedelta(days=n) for n in range(7)):
        now = dt.datetime.combine(day, dt.time(9, 31), tzinfo=TZ)
        async with run.session() as session:
            await write_state(session, LAST_TICK, (now - dt.timedelta(minutes=5)).isoformat())
        if (await tick(run.engine, now, TZ, (COORDINATOR,))).digests:
            break
    async with run.session() as session:
        key = (
            await session.execute(
                select(Outbox.key).where(Outbox.kind == MessageKind.DIGEST, Outbox.chat_id == COORDINATOR)
            )
        ).scalar_one()
    assert key.startswith("digest:") and await run.deliver() >= 1
    got = await run.emulator.replies(BOSS)
    [digest] = [text_of(g) for g in got if "督办工作周报" in text_of(g)]
    return digest


async def test_a_reported_quantity_moves_the_target_in_the_next_digest_and_a_correction_moves_it_again(
    running: Running,
) -> None:
    run, emu = running, running.emulator
    await run.bind(SCIENCE, "市科技局")
    await run.bind(REFORM, "市发展改革局")
    await emu.command(REFORM, "/report 1.1 已完成8项")  # a responsible unit: its contribution (issue 22)
    (contribution,) = await emu.replies(REFORM)
    assert "记录本单位完成8项" in text_of(contribution)
    await emu.command(SCIENCE, "/report 1.1 已完成12项")
    (ack,) = await emu.replies(SCIENCE)
    assert "记为12项（目标20项）" in text_of(ack)
    digest = await _weekly_digest(run)
    assert "12/20项" in digest and "各单位填报：市发展改革局8项" in digest
    (lead_digest,) = await emu.replies(SCIENCE)  # the lead gets its digest too
    assert "督办工作周报" in text_of(lead_digest)
    # 更正: the button under the answer asks; a reply with the right number replaces the value
    [correct] = [data for label, data in buttons_of(ack) if label == "更正指标：12项"]
    await emu.tap(SCIENCE, ack, correct)
    (question,) = await emu.replies(SCIENCE)
    assert "回复本消息" in text_of(question)
    await emu.say(SCIENCE, "15项", reply_to=question)
    (done,) = await emu.replies(SCIENCE)
    assert "由12项改为15项" in text_of(done)
    await emu.command(BOSS, "/digest")
    (on_demand,) = await emu.replies(BOSS)
    assert "15/20项" in text_of(on_demand) and "12/20项" not in text_of(on_demand)


async def test_a_lead_records_a_value_with_target(running: Running) -> None:
    run, emu = running, running.emulator
    await run.bind(SCIENCE, "市科技局")
    async with run.session() as session:
        short = (await session.execute(select(Document.short))).scalar_one()
    await emu.command(SCIENCE, "/target")
    (listing,) = await emu.replies(SCIENCE)
    assert "[1]" in text_of(listing) and "未报/20项" in text_of(listing)
    await emu.command(SCIENCE, f"/target {short} 1 18项")
    (recorded,) = await emu.replies(SCIENCE)
    assert "已记录指标" in text_of(recorded) and "18项（目标20项）" in text_of(recorded)
    await emu.command(BOSS, "/digest")
    (digest,) = await emu.replies(BOSS)
    assert "18/20项" in text_of(digest)
