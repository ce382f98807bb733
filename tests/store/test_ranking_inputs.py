"""What the rankings read from the store, on SQLite and PostgreSQL: a few queries for all units."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db
from bot.core.models import Report
from bot.core.vocab import BulletinPeriod
from bot.reporting.rankings import History, RankingInputs, ReportFact, period_ending, summarize
from bot.store.ranking_inputs import ranking_inputs, standings
from tests.support.store import assignment_id, cst, seed_rankings

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


async def test_june_ranked_in_four_queries(engine: AsyncEngine) -> None:
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
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 4
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
