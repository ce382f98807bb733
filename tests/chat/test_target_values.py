"""A report that states a quantity moves the task's target, in the report's transaction (bot/chat/target_values.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat import reports, target_command, target_values
from bot.core import db
from bot.core.models import AuditLog, Document, Target, TargetValue
from bot.core.vocab import ReportOutcome, TargetOutcome
from bot.presenters import answers
from bot.replies.parser import parse_reply
from bot.store.overview import target_rows
from tests.support.store import assignment_id, bind, rows, seed, unit_id

AT = dt.datetime(2024, 9, 2, 10, 0, tzinfo=dt.UTC)


async def _report(
    engine: AsyncEngine, chat: int, unit: str, key: str, text: str, at: dt.datetime = AT
) -> reports.ReportResult:
    aid = await assignment_id(engine, unit, key)
    async with db.session_scope(engine) as session:
        return await reports.submit_report(
            session,
            chat_id=chat,
            assignment_id=aid,
            text=text,
            parsed=parse_reply(text, at),
            source="text",
            user_id=7,
            user_name="联络员",
            at=at,
        )


async def test_a_report_moves_the_target_of_its_task_and_says_so(engine: AsyncEngine) -> None:
    """The lead's report (市科技局 leads 1.1) moves the target; it was 市发展改革局's, whose figure is now its
    contribution (issue 22: tests/handlers/test_targets.py)."""
    await seed(engine)
    await bind(engine, 31, "市科技局")
    result = await _report(engine, 31, "市科技局", "1.1", "已实施揭榜挂帅项目12项，正在推进")
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
    assert [a.action for a in await rows(engine, select(AuditLog).where(AuditLog.action == "target.value"))] == [
        "target.value"
    ]


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
    result = await _report(engine, 32, "市发展改革局", "1.1", "已实施12项")  # not the chat's unit
    assert result.outcome != ReportOutcome.STORED
    assert await rows(engine, select(TargetValue)) == []


# --- 更正 and /target (bot/chat/target_values.py, bot/chat/target_command.py) ------------------------------

LATER = AT + dt.timedelta(days=3)


async def _latest(engine: AsyncEngine) -> dict[str, float | None]:
    async with db.session_scope(engine) as session:
        return {t.text: t.latest for t in await target_rows(session)}


async def _correct(
    engine: AsyncEngine, value_id: int, text: str, chat: int, *, coordinator: bool = False
) -> target_values.ValueChange:
    async with db.session_scope(engine) as session:
        return await target_values.correct_value(
            session, value_id, text, chat_id=chat, user_id=7, coordinator=coordinator, at=LATER
        )


async def test_a_correction_supersedes_the_value_and_keeps_it(engine: AsyncEngine) -> None:
    await seed(engine)
    await bind(engine, 31, "市科技局")
    [move] = (await _report(engine, 31, "市科技局", "1.1", "已实施揭榜挂帅项目12项")).targets
    [value] = await rows(engine, select(TargetValue))
    assert (move.value_id, value.unit_id, value.source) == (value.id, await unit_id(engine, "市科技局"), "report")
    change = await _correct(engine, move.value_id, "3200万元", 31)
    assert change.outcome == TargetOutcome.WRONG_MEASURE
    change = await _correct(engine, move.value_id, "15项", 31)
    assert (change.outcome, change.value) == (TargetOutcome.RECORDED, 15)
    old, new = await rows(engine, select(TargetValue).order_by(TargetValue.id))
    assert old.voided_at is not None and (new.replaces_id, new.reported_at, new.source) == (old.id, AT, "correction")
    assert (await _latest(engine))['实施"揭榜挂帅"项目20项'] == 15
    assert (await _correct(engine, move.value_id, "16项", 31)).outcome == TargetOutcome.ALREADY
    # a later report wins over a correction of an earlier value (the correction keeps the corrected one's time)
    await _report(engine, 31, "市科技局", "1.1", "已实施揭榜挂帅项目18项", at=AT + dt.timedelta(days=1))
    assert (await _latest(engine))['实施"揭榜挂帅"项目20项'] == 18
    assert (await _correct(engine, new.id, "14项", 31)).outcome == TargetOutcome.RECORDED
    assert (await _latest(engine))['实施"揭榜挂帅"项目20项'] == 18
    assert [
        a.action
        for a in await rows(engine, select(AuditLog).where(AuditLog.action.like("target.%")).order_by(AuditLog.id))
    ] == ["target.value", "target.correct", "target.value", "target.correct"]


async def test_only_the_unit_that_reported_or_a_coordinator_corrects_or_voids(engine: AsyncEngine) -> None:
    await seed(engine)
    await bind(engine, 31, "市发展改革局")
    await bind(engine, 32, "市财政局")
    [move] = (await _report(engine, 31, "市发展改革局", "1.1", "已实施揭榜挂帅项目12项")).targets
    assert (await _correct(engine, move.value_id, "15项", 32)).outcome == TargetOutcome.NOT_ALLOWED
    assert (await _correct(engine, move.value_id, "15项", 99)).outcome == TargetOutcome.UNBOUND
    async with db.session_scope(engine) as session:
        voided = await target_values.void_value(
            session, move.value_id, chat_id=32, user_id=8, coordinator=False, at=LATER
        )
    assert voided.outcome == TargetOutcome.NOT_ALLOWED
    assert len(await rows(engine, select(AuditLog).where(AuditLog.action == "access.refused"))) == 2
    async with db.session_scope(engine) as session:
        voided = await target_values.void_value(
            session, move.value_id, chat_id=99, user_id=900, coordinator=True, at=LATER
        )
    assert voided.outcome == TargetOutcome.VOIDED
    assert (await _latest(engine))['实施"揭榜挂帅"项目20项'] is None
    [value] = await rows(engine, select(TargetValue))
    assert value.voided_at is not None


async def _command(
    engine: AsyncEngine, text: str, chat: int, *, coordinator: bool = False
) -> target_command.TargetCommand:
    async with db.session_scope(engine) as session:
        return await target_command.record(session, text, chat_id=chat, user_id=7, coordinator=coordinator, at=LATER)


async def test_a_target_of_no_task_moves_only_through_target(engine: AsyncEngine) -> None:
    await seed(engine)
    await bind(engine, 12, "市科技局")  # issued the document and leads 1.1
    await bind(engine, 31, "市发展改革局")
    async with db.session_scope(engine) as session:
        session.add(Target(document_id="demo-2023", key="jjr", text="培育技术经纪人100名", value=100, measure="名"))
    short = (await rows(engine, select(Document.short)))[0]
    # no report moves it: it is no task's target
    await _report(engine, 31, "市发展改革局", "1.1", "已培育技术经纪人40名")
    assert (await _latest(engine))["培育技术经纪人100名"] is None
    refused = await _command(engine, f"{short} jjr 40名", 31)
    assert (refused.outcome, refused.entry.row.task_key if refused.entry else "") == (TargetOutcome.NOT_ALLOWED, None)
    recorded = await _command(engine, f"{short} 2 40", 12)
    assert (recorded.outcome, recorded.value) == (TargetOutcome.RECORDED, 40)
    assert (await _latest(engine))["培育技术经纪人100名"] == 40
    assert (await _command(engine, f"{short} jjr 0.6万名", 99, coordinator=True)).value == 6000
    [by_coordinator] = await rows(engine, select(TargetValue).where(TargetValue.value == 6000))
    assert (by_coordinator.source, by_coordinator.unit_id) == ("command", None)
    async with db.session_scope(engine) as session:
        _, seen = await target_command.visible_targets(session, chat_id=31, coordinator=False)
        assert seen == []
        _, seen = await target_command.visible_targets(session, chat_id=12, coordinator=False)
        assert [e.key for e in seen] == ["jbgs", "jjr"]


async def test_target_refuses_what_does_not_fit(engine: AsyncEngine) -> None:
    await seed(engine)
    await bind(engine, 12, "市科技局")
    await bind(engine, 32, "市财政局")
    short = (await rows(engine, select(Document.short)))[0]
    cases = {
        f"{short} 1 15项": (32, TargetOutcome.NOT_ALLOWED),
        f"{short} 1 3.2亿元": (12, TargetOutcome.WRONG_MEASURE),
        f"{short} 1 很多": (12, TargetOutcome.NO_NUMBER),
        f"{short} 7 15": (12, TargetOutcome.UNKNOWN_TARGET),
        "别的文件 1 15": (12, TargetOutcome.UNKNOWN_DOCUMENT),
        f"{short} 1 15": (99, TargetOutcome.UNBOUND),
    }
    for text, (chat, outcome) in cases.items():
        assert (await _command(engine, text, chat)).outcome == outcome, text
    assert await rows(engine, select(TargetValue)) == []
    assert (await _command(engine, f"{short} 1 1.2万项", 12)).value == 12000
