"""What the rankings read from the store, on SQLite and PostgreSQL: a few queries for all units."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db
from bot.core.models import Outbox, Report, Sheet
from bot.core.vocab import BulletinPeriod
from bot.reporting.rankings import History, RankingInputs, ReportFact, period_ending, summarize
from bot.store.ranking_inputs import ranking_inputs, standings
from tests.support.store import assignment_id, cst, seed_rankings, unit_id

TZ = ZoneInfo("Asia/Shanghai")
JUNE = period_ending(BulletinPeriod.MONTH, dt.date(2024, 6, 30))


async def test_the_facts_of_every_unit(engine: AsyncEngine) -> None:
    await seed_rankings(engine)
    finance = await assignment_id(engine, "市财政局", "1.2")
    pengjiang = await assignment_id(engine, "蓬江区人民政府", "1.1")
    async with db.session_scope(engine) as session:
        inputs = await ranking_inputs(session, since=JUNE.begins(TZ), until=JUNE.ends(TZ))
    facts = {(f.unit, f.ref): f for f in inputs.assignments}
    assert "新会区人民政府" not in {unit for unit, _ in facts}  # archived
    assert len(facts) == 7
    assert facts[("市财政局", "示例 1.2")].deadline == dt.date(2024, 7, 31)  # the approved 延期
    assert facts[("市科技局", "示例 1.2")].deadline == dt.date(2024, 6, 30)
    assert facts[("市科技局", "示例 1.2")].closed_at == cst("2024-06-25")
    assert [(r.assignment_id, r.at, r.status) for r in inputs.reports] == [(finance, cst("2024-06-05"), "in_progress")]
    assert {(p.assignment_id, p.sent_at) for p in inputs.prompts} == {
        (finance, cst("2024-06-03", 9)),
        (pengjiang, cst("2024-06-10", 9)),
    }  # skipped and escalation left out
    assert len(inputs.prompts) == 2


async def test_june_ranked_in_seven_queries(engine: AsyncEngine) -> None:
    await seed_rankings(engine)
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        async with db.session_scope(engine) as session:
            ranked = await standings(session, JUNE, TZ)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 7  # whatever the size
    assert [(s.unit, s.score, s.rank) for s in ranked] == [
        ("市科技局", 100.0, 1),
        ("市财政局", 100.0, 1),
        ("蓬江区人民政府", 80.0, 3),
        ("江海区人民政府", 61.0, 4),
    ]
    science, finance, pengjiang, jianghai = ranked
    assert (science.due, science.on_time, science.prompted) == (1, 1, 0)  # 办结 on 06-25
    assert (finance.due, finance.prompted, finance.answered) == (0, 1, 1)
    assert (pengjiang.prompted, pengjiang.answered) == (1, 0)
    assert (jianghai.due, jianghai.on_time, jianghai.days_overdue) == (1, 0, 20)  # done only in July


async def test_the_reports_left_unread_change_no_ranking(engine: AsyncEngine) -> None:
    """Only the reports a ranking can look at are read (issue 23: /units read all 100,000); whatever the
    period, the standings are those that every report gives."""
    await seed_rankings(engine)
    async with db.session_scope(engine) as session:
        every = [
            ReportFact(a, at, status)
            for a, at, status in (
                await session.execute(select(Report.assignment_id, Report.created_at, Report.status))
            ).all()
        ]
    left_unread = 0
    for day in (dt.date(2024, 5, 31), dt.date(2024, 6, 14), dt.date(2024, 6, 30), dt.date(2024, 7, 31)):
        for kind in BulletinPeriod:
            period = period_ending(kind, day)
            async with db.session_scope(engine) as session:
                read = await ranking_inputs(
                    session, since=period.begins(TZ), until=period.ends(TZ), first_end=period.ends(TZ)
                )
            until = period.ends(TZ)
            full = RankingInputs(read.assignments, [r for r in every if r.at < until], read.prompts)
            assert summarize(History(read), period, TZ) == summarize(History(full), period, TZ), (kind, day)
            left_unread += len(full.reports) - len(read.reports)
    assert left_unread > 0  # the narrowing was exercised


async def test_units_ranking_is_the_bulletins(engine: AsyncEngine) -> None:
    """/units' standings, aggregated in the store (`standings`), are those `summarize` gives over every fact,
    for weeks and months ending before, inside and after June."""
    await seed_rankings(engine)
    await more_prompts(engine)
    compared = 0
    for day in (
        dt.date(2024, 5, 31),
        dt.date(2024, 6, 9),
        dt.date(2024, 6, 14),
        dt.date(2024, 6, 30),
        dt.date(2024, 7, 3),
    ):
        for kind in BulletinPeriod:
            period = period_ending(kind, day)
            async with db.session_scope(engine) as session:
                read = await ranking_inputs(
                    session, since=period.begins(TZ), until=period.ends(TZ), first_end=period.ends(TZ)
                )
                ranked = await standings(session, period, TZ)
            assert ranked == summarize(History(read), period, TZ).standings, (kind, day)
            compared += len(ranked)
            figures = {s.unit: (s.prompted, s.answered) for s in ranked}
            if (kind, day) == (BulletinPeriod.MONTH, dt.date(2024, 6, 30)):
                assert figures["蓬江区人民政府"] == (3, 2)  # 06-10 unanswered; 06-21's report answers 06-17 and 06-19
                assert figures["市科技局"] == (0, 0)  # its 06-20 prompt: 办结 before its 7 days ran out
            if (kind, day) == (BulletinPeriod.MONTH, dt.date(2024, 7, 3)):
                assert figures["市财政局"] == (1, 1)  # 06-24's 7 days end in July; answered on 07-01
    assert compared >= 10


async def more_prompts(engine: AsyncEngine) -> None:
    """On top of seed_rankings, prompts that each path must count alike: 市科技局's 1.2 prompted on 06-20 and 办结
    on 06-25, before its 7 days ran out (not counted); 蓬江区人民政府's 1.1 prompted on 06-17 and on 06-19, both
    answered by a report on 06-21, the 06-19 督办单 reaching two chats (counted once); 市财政局's
    1.2 in a 督办单 of 06-24 12:00 whose report on 07-01 11:00 answers it just within 7 days."""
    science, pengjiang = (
        await assignment_id(engine, "市科技局", "1.2"),
        await assignment_id(engine, "蓬江区人民政府", "1.1"),
    )
    finance = await assignment_id(engine, "市财政局", "1.2")
    units = {name: await unit_id(engine, name) for name in ("市科技局", "蓬江区人民政府", "市财政局")}
    deliveries = [
        ("m1", "市科技局", science, cst("2024-06-20", 9), (1,)),
        ("m2", "蓬江区人民政府", pengjiang, cst("2024-06-17", 9), (3,)),
        ("m3", "蓬江区人民政府", pengjiang, cst("2024-06-19", 9), (3, 4)),
        ("m4", "市财政局", finance, cst("2024-06-24", 12), (5,)),
    ]
    async with db.session_scope(engine) as session:
        for key, unit, assignment, at, chats in deliveries:
            item = {"n": 1, "assignment_id": assignment, "kind": "prompt", "own": True, "ref": ""}
            sheet = Sheet(key=key, unit_id=units[unit], items=[item], send_at=at)
            session.add(sheet)
            await session.flush()
            for chat in chats:
                session.add(
                    Outbox(
                        key=f"{key}@{chat}",
                        kind="sheet",
                        unit_id=units[unit],
                        chat_id=chat,
                        text="…",
                        send_at=at,
                        status="sent",
                        sent_at=at + dt.timedelta(seconds=chat),
                        sheet_id=sheet.id,
                    )
                )
        session.add(Report(assignment_id=pengjiang, created_at=cst("2024-06-21"), text="推进中", status="in_progress"))
        session.add(
            Report(assignment_id=finance, created_at=cst("2024-07-01", 11), text="推进中", status="in_progress")
        )
