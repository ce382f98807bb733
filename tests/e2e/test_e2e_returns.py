"""退办 end to end against the Bot API emulator: a unit reports 已完成, its lead is told in its daily notice
with a 退回 button, presses it, gives a reason in a reply, the unit receives the reason with the report
card, and the next 督办单 (a tick at the next send moment) asks that task again."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.chat.lead_notices import SETTLE, lead_notices
from bot.core.models import Assignment, AuditLog, Task, Unit
from bot.core.vocab import Status
from bot.render import messages as m
from bot.store.outbox import enqueue
from scheduler.jobs import LAST_TICK, tick
from scheduler.sender import SenderConfig, drain
from scheduler.snapshot import load_calendar, write_state
from scheduler.transport import BotTransport
from tests.e2e.conftest import COORDINATOR, Person, Running, buttons_of, text_of

pytestmark = pytest.mark.e2e

CONTACT = Person(3001, 3001, "财政联络员")  # 市财政局: responsible for 1.2
LEAD = Person(3002, 3002, "科技联络员")  # 市科技局: leads 1.2
TZ = ZoneInfo("Asia/Shanghai")


async def _assignment(run: Running, unit: str, key: str) -> Assignment:
    async with run.session() as session:
        return (
            await session.execute(
                select(Assignment)
                .join(Unit, Unit.id == Assignment.unit_id)
                .join(Task, Task.id == Assignment.task_id)
                .where(Unit.name == unit, Task.key == key)
            )
        ).scalar_one()


async def _next_send_moment(run: Running, after: dt.datetime) -> dt.datetime:
    """The first workday 09:30 (mini.yaml's send_at) after `after`."""
    async with run.session() as session:
        calendar = await load_calendar(session)
    local = after.astimezone(TZ)
    day = local.date() + dt.timedelta(days=local.time() >= dt.time(9, 30))
    return dt.datetime.combine(calendar.next_workday(day), dt.time(9, 30), tzinfo=TZ)


async def test_a_lead_returns_a_done_report_and_the_unit_is_asked_again(running: Running) -> None:
    run = running
    await run.bind(CONTACT, "市财政局")
    await run.bind(LEAD, "市科技局")

    await run.emulator.command(CONTACT, "/report 1.2 已全部完成")
    (ack,) = await run.emulator.replies(CONTACT)
    assert "已记录" in text_of(ack) and "状态：已完成" in text_of(ack)
    # the lead's notice of the day's 已完成 and 受阻 reports, as the morning's tick writes it (the tick's clock
    # cannot run ahead here: the return below is stamped with the emulator's real time)
    until = dt.datetime.now(TZ) + SETTLE  # late enough a moment for the report's window (lead_notices)
    async with run.session() as session:
        await enqueue(session, await lead_notices(session, [(until - dt.timedelta(days=1), until)]))
    sent = await drain(
        run.engine,
        BotTransport(run.app.bot),
        now=lambda: until,
        worker="e2e",
        config=SenderConfig(global_interval=0, private_interval=0, group_interval=0),
    )
    assert sent.sent == 1
    (notice,) = await run.emulator.replies(LEAD)
    assert text_of(notice).startswith("【报告审核】")
    assert "1. 市财政局 · 示例 1.2：已完成。「已全部完成」" in text_of(notice)
    ((label, data),) = buttons_of(notice)
    assert label == m.BUTTON_RETURN_NUMBER.format(i=1) and data.startswith("rt:")

    await run.emulator.tap(LEAD, notice, data)
    (question,) = await run.emulator.replies(LEAD)
    assert "回复本消息" in text_of(question) and buttons_of(question) == [(m.BUTTON_CANCEL, f"{data}:no")]
    await run.emulator.say(LEAD, "未附验收报告，请补充后重新报告", reply_to=question)
    (done,) = await run.emulator.replies(LEAD)
    assert text_of(done) == m.RETURN_DONE.format(unit="市财政局", task="示例 1.2", status="未报告")
    assignment = await _assignment(run, "市财政局", "1.2")
    assert assignment.status == Status.PENDING

    assert await run.deliver() == 1
    (told,) = await run.emulator.replies(CONTACT)
    assert text_of(told).startswith("【报告退回】市科技局退回了本单位关于任务 示例 1.2")
    assert "未附验收报告，请补充后重新报告" in text_of(told) and "已全部完成" in text_of(told)
    assert [label for label, _ in buttons_of(told)] == list(m.BUTTONS.values())
    assert await run.emulator.quiet(LEAD) == []

    # the next 督办单 asks 1.2 again
    async with run.session() as session:
        returned_at = (
            await session.execute(select(AuditLog.at).where(AuditLog.action == "report.return"))
        ).scalar_one()
    moment = await _next_send_moment(run, returned_at)
    async with run.session() as session:
        await write_state(session, LAST_TICK, (moment - dt.timedelta(minutes=5)).isoformat())
    await tick(run.engine, moment + dt.timedelta(minutes=1), TZ, (COORDINATOR,))
    sent = await drain(
        run.engine,
        BotTransport(run.app.bot),
        now=lambda: moment + dt.timedelta(minutes=1),
        worker="e2e",
        config=SenderConfig(global_interval=0, private_interval=0, group_interval=0),
    )
    assert sent.sent >= 1
    (sheet,) = await run.emulator.replies(CONTACT)
    assert "示例 1.2" in text_of(sheet)
    # and the unit answers it: a new report, which the lead is told of again
    card = next(d for label, d in buttons_of(sheet) if "1.2" in label or d == f"rp:{assignment.id}:done")
    if card.startswith("sc:"):  # a 督办单 of several tasks: the task's button opens its card
        await run.emulator.tap(CONTACT, sheet, card)
        (opened,) = await run.emulator.replies(CONTACT)
        card = next(d for label, d in buttons_of(opened) if label == m.BUTTONS["done"])
    await run.emulator.tap(CONTACT, sheet, card)
    (ack,) = await run.emulator.replies(CONTACT)
    assert "已记录" in text_of(ack)
    assert (await _assignment(run, "市财政局", "1.2")).status == Status.DONE
