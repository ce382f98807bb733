"""退办 through python-telegram-bot: 退回 under a lead's notice and in /status, the question, 取消, the reason
as a reply (never read as a report), and the refusals — on the real Application against the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.core.models import Assignment, AuditLog, Outbox, Report
from bot.core.vocab import ReturnOutcome, Status
from bot.render import callback_data
from bot.render import messages as m
from tests.support.harness import BOSS, FINANCE, SCIENCE, Harness, buttons, seeded_harness, texts
from tests.support.store import assignment_id, bind, get, rows


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[Harness]:
    async with seeded_harness(sqlite_url) as harness:
        await bind(harness.engine, FINANCE, "市财政局")
        await bind(harness.engine, SCIENCE, "市科技局")
        yield harness


async def _done(bot: Harness) -> tuple[int, int]:
    """市财政局 taps 已完成 on 1.2: (assignment id, report id). (The lead's notice with 退回 comes with the next
    morning's tick: tests/chat/test_returns.py.)"""
    aid = await assignment_id(bot.engine, "市财政局", "1.2")
    (ack,) = await bot.tap(FINANCE, callback_data.make(callback_data.REPORT, aid, "done"))
    assert "已记录" in ack["text"]
    (report,) = await rows(bot.engine, select(Report))
    return aid, report.id


async def test_a_lead_returns_a_report_with_a_reason(bot: Harness) -> None:
    aid, report_id = await _done(bot)
    (question,) = await bot.tap(SCIENCE, f"rt:{report_id}")
    assert "退回「市财政局」关于任务 示例 1.2 的报告" in question["text"] and "回复本消息" in question["text"]
    assert buttons(question) == [(m.BUTTON_CANCEL, f"rt:{report_id}:no")]
    assert texts(await bot.tap(SCIENCE, f"rt:{report_id}:no")) == [m.RETURN_REFUSED[ReturnOutcome.CANCELLED]]
    assert (await get(bot.engine, Assignment, aid)).status == Status.DONE

    reply = {"reply_to_message": bot.bot_message(question)}
    assert texts(await bot.say(SCIENCE, "  ", **reply)) == [m.RETURN_REFUSED[ReturnOutcome.NO_REASON]]
    (done,) = await bot.say(SCIENCE, "未附验收材料，请补充后重新报告", **reply)
    assert done["text"] == m.RETURN_DONE.format(unit="市财政局", task="示例 1.2", status="未报告")
    assert (await get(bot.engine, Assignment, aid)).status == Status.PENDING
    (told,) = await rows(bot.engine, select(Outbox).where(Outbox.key.like("return:%")))
    assert told.chat_id == FINANCE and "未附验收材料，请补充后重新报告" in told.text
    # a second reason is "already returned"; neither reply was stored as a report of 市科技局
    (again,) = texts(await bot.say(SCIENCE, "再次退回", **reply))
    assert again.startswith("该报告已于") and "退回" in again
    assert len(await rows(bot.engine, select(Report))) == 1


async def test_status_shows_each_unit_s_newest_report_with_its_return_button(bot: Harness) -> None:
    _, report_id = await _done(bot)
    (page,) = await bot.say(SCIENCE, "/status 1.2")
    assert "市财政局（责任）：已完成，100%" in page["text"] and "最新报告" in page["text"]
    assert buttons(page) == [
        (m.BUTTON_RETURN_UNIT.format(unit="市财政局"), f"rt:{report_id}"),
        (m.BUTTON_CLOSE, buttons(page)[1][1]),
    ]
    (boss,) = await bot.say(BOSS, "/status 1.2")  # a coordinator may return, but not close
    assert buttons(boss) == [(m.BUTTON_RETURN_UNIT.format(unit="市财政局"), f"rt:{report_id}")]
    (question,) = await bot.tap(BOSS, f"rt:{report_id}")
    (done,) = await bot.say(BOSS, "数据有误", reply_to_message=bot.bot_message(question))
    assert done["text"].startswith("已退回「市财政局」")
    (page,) = await bot.say(SCIENCE, "/status 1.2")
    assert "最新报告" not in page["text"] and [label for label, _ in buttons(page)] == [m.BUTTON_CLOSE]


async def test_only_a_lead_or_a_coordinator_may_return(bot: Harness) -> None:
    _, report_id = await _done(bot)
    assert texts(await bot.tap(FINANCE, f"rt:{report_id}")) == [m.RETURN_REFUSED[ReturnOutcome.NOT_ALLOWED]]
    assert texts(await bot.tap(77, f"rt:{report_id}")) == [m.NOT_BOUND]
    assert texts(await bot.tap(SCIENCE, "rt:99999")) == [m.RETURN_REFUSED[ReturnOutcome.MISSING]]
    assert texts(await bot.tap(SCIENCE, "rt:１")) == []  # not our data: a toast only
    # a question forwarded to a chat that may not return is refused when the reason comes, too
    (question,) = await bot.tap(SCIENCE, f"rt:{report_id}")
    assert texts(await bot.say(FINANCE, "理由", reply_to_message=bot.bot_message(question))) == [
        m.RETURN_REFUSED[ReturnOutcome.NOT_ALLOWED]
    ]
    refused = await rows(bot.engine, select(AuditLog).where(AuditLog.action == "access.refused"))
    assert [(a.entity, a.detail["action"]) for a in refused] == [("report", "return")] * 2
    assert (await get(bot.engine, Report, report_id)).returned_at is None


async def test_a_reply_to_a_message_with_return_buttons_is_no_report(bot: Harness) -> None:
    """A lead that answers /status (or its notice) in words is told how to send back; nothing is stored."""
    await _done(bot)
    (page,) = await bot.say(SCIENCE, "/status 1.2")
    assert texts(await bot.say(SCIENCE, "财政局这条退回", reply_to_message=bot.bot_message(page))) == [m.RETURN_HOW]
    assert len(await rows(bot.engine, select(Report))) == 1
