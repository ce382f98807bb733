"""A report that states a quantity moves the task's target, in the report's transaction (bot/chat/target_values.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat import reports
from bot.core import db
from bot.core.models import AuditLog, TargetValue
from bot.core.vocab import ReportOutcome
from bot.render import answers
from bot.replies.parser import parse_reply
from bot.store.overview import target_rows
from tests.support.store import assignment_id, bind, rows, seed

AT = dt.datetime(2024, 9, 2, 10, 0, tzinfo=dt.UTC)


async def _report(engine: AsyncEngine, chat: int, unit: str, key: str, text: str) -> reports.ReportResult:
    aid = await assignment_id(engine, unit, key)
    async with db.session_scope(engine) as session:
        return await reports.submit_report(session, chat_id=chat, assignment_id=aid, text=text,
                                           parsed=parse_reply(text, AT), source="text", user_id=7,
                                           user_name="联络员", at=AT)


async def test_a_report_moves_the_target_of_its_task_and_says_so(engine: AsyncEngine) -> None:
    await seed(engine)
    await bind(engine, 31, "市发展改革局")
    result = await _report(engine, 31, "市发展改革局", "1.1", "已实施揭榜挂帅项目12项，正在推进")
    assert result.outcome == ReportOutcome.STORED
    [value] = await rows(engine, select(TargetValue))
    assert (value.value, value.report_id) == (12, result.report_id)
    [move] = result.targets
    assert (move.value, move.goal, move.measure) == (12, 20, "项")
    text, _ = answers.ack(result.view, result.parsed, result.report_id, result.targets)
    assert "记为12项（目标20项）" in text
    async with db.session_scope(engine) as session:
        [target] = await target_rows(session)
    assert (target.latest, target.value, target.issued) == (12, 20, dt.date(2023, 8, 31))
    assert [a.action for a in await rows(engine, select(AuditLog).where(AuditLog.action == "target.value"))] \
        == ["target.value"]


async def test_a_report_on_a_task_without_targets_or_without_a_quantity_moves_nothing(engine: AsyncEngine) -> None:
    await seed(engine)
    await bind(engine, 32, "市财政局")
    await bind(engine, 31, "市发展改革局")
    assert (await _report(engine, 32, "市财政局", "1.2", "已登记技术合同12项")).targets == ()
    assert (await _report(engine, 31, "市发展改革局", "1.1", "进展60%，12月底前完成")).targets == ()
    assert await rows(engine, select(TargetValue)) == []


async def test_a_refused_report_stores_no_value(engine: AsyncEngine) -> None:
    await seed(engine)
    await bind(engine, 32, "市财政局")
    result = await _report(engine, 32, "市发展改革局", "1.1", "已实施12项")     # not the chat's unit
    assert result.outcome != ReportOutcome.STORED
    assert await rows(engine, select(TargetValue)) == []
