"""The 督办单 end to end against the Bot API emulator: twenty due tasks are one message; a task's button
opens its card and a status button stores a report; a three-line reply stores three reports and is
answered once; a bare number two documents share asks with exactly those two."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.chat import binding
from bot.core.models import Outbox, Report
from bot.core.vocab import MessageKind
from scheduler.jobs import LAST_TICK, tick
from scheduler.snapshot import write_state
from tests.e2e.conftest import COORDINATOR, Person, Running, buttons_of, text_of

pytestmark = pytest.mark.e2e

CONTACT = Person(2001, 2001, "财政联络员")
TZ = ZoneInfo("Asia/Shanghai")
REMINDER_DAY = dt.datetime(2024, 6, 21, 9, 31, tzinfo=TZ)


async def _reports(run: Running) -> int:
    async with run.session() as session:
        return (await session.execute(select(func.count()).select_from(Report))).scalar_one()


async def _bound_with_a_sheet(run: Running) -> dict:
    async with run.session() as session:
        _, code, _ = await binding.invite_unit(session, "市财政局", for_group=False, expires=dt.timedelta(days=7))
    await run.emulator.command(CONTACT, f"/start {code}")
    await run.emulator.replies(CONTACT)
    async with run.session() as session:
        await write_state(session, LAST_TICK, (REMINDER_DAY - dt.timedelta(minutes=5)).isoformat())
    await tick(run.engine, REMINDER_DAY, TZ, (COORDINATOR,))
    assert await run.deliver() >= 1
    (sheet,) = await run.emulator.replies(CONTACT)
    assert await run.emulator.quiet(CONTACT) == []  # one message for twenty tasks, nothing more
    return sheet


async def test_twenty_due_tasks_one_message_a_card_and_a_three_line_reply(running_many: Running) -> None:
    run = running_many
    sheet = await _bound_with_a_sheet(run)
    text = text_of(sheet)
    assert text.startswith("【督办单】市财政局") and re.findall(r"^([①-⑳]) ", text, flags=re.M) == list(
        "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
    )  # items are circled: 「6.」 could be task 6 (issue 22)
    async with run.session() as session:
        kinds = (await session.execute(select(Outbox.kind).where(Outbox.chat_id == CONTACT.chat_id))).scalars().all()
    assert kinds == [MessageKind.SHEET]
    cards = [data for _, data in buttons_of(sheet) if data.startswith("sc:")]
    assert len(cards) == 12
    # a task's button opens its report card; a status button on the card stores a report
    await run.emulator.tap(CONTACT, sheet, cards[0])
    (card,) = await run.emulator.replies(CONTACT)
    assert "创新驱动 1.1" in text_of(card)
    done = next(data for label, data in buttons_of(card) if label == "已完成")
    await run.emulator.tap(CONTACT, card, done)
    (ack,) = await run.emulator.replies(CONTACT)
    assert "已记录" in text_of(ack) and await _reports(run) == 1
    # one reply, three tasks: three reports, one answer
    await run.emulator.say(CONTACT, "2. 进展60%，12月底前完成\n成果转化1.4 已完成\n③受阻，资金未到位", reply_to=sheet)
    (summary,) = await run.emulator.replies(CONTACT)
    assert text_of(summary).startswith("已记录「市财政局」3项进展") and await _reports(run) == 4
    assert await run.emulator.quiet(CONTACT) == []


async def test_a_bare_number_two_documents_share_asks_with_exactly_those(running_many: Running) -> None:
    run = running_many
    await _bound_with_a_sheet(run)
    await run.emulator.command(CONTACT, "/report 1.2 已完成，报告已报市政府")
    (asked,) = await run.emulator.replies(CONTACT)
    labels = sorted(label for label, _ in buttons_of(asked))
    assert len(labels) == 2 and labels[0].startswith("创新驱动 1.2") and labels[1].startswith("成果转化 1.2")
    assert await _reports(run) == 0
    pick = next(data for label, data in buttons_of(asked) if label.startswith("成果转化 1.2"))
    await run.emulator.tap(
        CONTACT,
        asked,
        pick,
        quoted={
            "message_id": 1,
            "date": 0,
            "chat": CONTACT.chat(),
            "from": CONTACT.user(),
            "text": "/report 1.2 已完成，报告已报市政府",
        },
    )
    (ack,) = await run.emulator.replies(CONTACT)
    assert "成果转化 1.2" in text_of(ack) and await _reports(run) == 1
