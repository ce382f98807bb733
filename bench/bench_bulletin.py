"""督办通报 benchmark (issue 15): the monthly bulletin of 300 units, against a 2 s budget.

The store is bench_scheduler's: 10,000 tasks in 200 documents over 300 units (bench/generate.py, deadlines
spread over 2025-09…2028-03, so about 1,700 assignments fall due in November 2025 and some 4,000 are
overdue at its end), a chat per unit and 100,000 reports from 2025-09-01 that set the assignments' status.
On top, each unit got a 督办单 every week of October and November 2025 carrying 40 of its own assignments
(delivered: 300 × 9 × 40 ≈ 108,000 prompt items), so both the month and the month before it have prompts
to answer.

Prints, measured in this one run (no timed asserts):
- the whole 通报 as `taskbot bulletin` and /bulletin build it (the four queries, the rankings of this month
  and the last, the content, the .docx bytes): first run and the median of 5 more, as a ratio of the 2 s
  budget, with its SQL statements, the units ranked and the size of the document;
- where the time goes: reading the store, ranking, writing the .docx;
- /units' ranking of the month to date (`ranking_inputs.standings`), against its 300 ms budget (issue 23).
On SQLite, then on PostgreSQL when it answers (TEST_POSTGRES_URL, a fresh schema, dropped after).

Run: `python -m bench.bench_bulletin` (`--quick`: 2,000 tasks and 20,000 reports).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy import text as sql_text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.bench_scheduler import Statements, add_reports, build_store, spread_deadlines
from bench.generate import generate
from bench.pg import postgres
from bot.chat.exports import bulletin_docx
from bot.core import db
from bot.core.memory import collector_paused
from bot.core.models import Assignment, Outbox, Sheet
from bot.core.vocab import BulletinPeriod, OutboxStatus
from bot.reporting.bulletin import build_bulletin, bulletin_period
from bot.reporting.bulletin_docx import render_docx
from bot.reporting.rankings import period_ending
from bot.store.ranking_inputs import ranking_inputs, standings

TZ = ZoneInfo("Asia/Shanghai")
AS_OF = dt.date(2025, 11, 30)
BUDGET_S = 2.0
UNITS_BUDGET_S = 0.3  # /units with its ranking (issue 23)
ITEMS_PER_SHEET = 40
FIRST_SHEET = dt.datetime(2025, 10, 6, 9, 30, tzinfo=TZ)  # Mondays from here, nine weeks


async def add_sheets(engine: AsyncEngine) -> int:
    """A delivered 督办单 per unit per week (Oct–Nov 2025), each with ITEMS_PER_SHEET of the unit's own items."""
    rng = random.Random(15)
    async with db.session_scope(engine) as session:
        own: dict[int, list[int]] = {}
        for aid, uid in (await session.execute(select(Assignment.id, Assignment.unit_id))).all():
            own.setdefault(uid, []).append(aid)
        sheets, items = [], 0
        for week in range(9):
            at = FIRST_SHEET + dt.timedelta(weeks=week)
            for uid, ids in own.items():
                chosen = rng.sample(ids, min(ITEMS_PER_SHEET, len(ids)))
                items += len(chosen)
                sheets.append(
                    {
                        "key": f"bench:{week}:{uid}",
                        "unit_id": uid,
                        "send_at": at,
                        "created_at": at,
                        "items": [
                            {"n": n, "assignment_id": a, "kind": "prompt", "own": True, "ref": ""}
                            for n, a in enumerate(chosen, 1)
                        ],
                    }
                )
        await session.execute(insert(Sheet), sheets)
        ids = dict((await session.execute(select(Sheet.key, Sheet.id))).all())
        await session.execute(
            insert(Outbox),
            [
                {
                    "key": f"sheet:{ids[s['key']]}@{s['unit_id']}",
                    "kind": "sheet",
                    "unit_id": s["unit_id"],
                    "chat_id": 100_000 + s["unit_id"],
                    "text": "督办单",
                    "send_at": s["send_at"],
                    "status": OutboxStatus.SENT,
                    "sent_at": s["send_at"] + dt.timedelta(minutes=1),
                    "sheet_id": ids[s["key"]],
                    "attempts": 1,
                    "parts_sent": 1,
                    "created_at": s["send_at"],
                }
                for s in sheets
            ],
        )
    return items


async def one_bulletin(engine: AsyncEngine) -> tuple[float, float, float, int, int, int, float]:
    """(read, rank + content, docx seconds, statements, units ranked, bytes, CPU seconds of the process — its
    SQLite thread's included) of one monthly bulletin."""
    stmts = Statements(engine)
    try:
        with collector_paused():  # as read_bulletin runs
            async with db.session_scope(engine) as session:
                cpu = time.process_time()
                start = time.perf_counter()
                now, before = bulletin_period(BulletinPeriod.MONTH, AS_OF)
                inputs = await ranking_inputs(session, since=before.begins(TZ), until=now.ends(TZ))
                read = time.perf_counter()
                bulletin = build_bulletin(inputs, BulletinPeriod.MONTH, AS_OF, TZ)
                built = time.perf_counter()
                data = render_docx(bulletin)
                done = time.perf_counter()
                cpu = time.process_time() - cpu
        return read - start, built - read, done - built, stmts.n, len(bulletin.rows), len(data), cpu
    finally:
        stmts.close()


async def bench(name: str, engine: AsyncEngine) -> None:
    cold = await one_bulletin(engine)
    warm = [await one_bulletin(engine) for _ in range(5)]
    totals = [sum(run[:3]) for run in warm]
    median = statistics.median(totals)
    mid = warm[totals.index(sorted(totals)[len(totals) // 2])]  # the median run
    print(
        f"[{name}] monthly 通报 of {cold[4]} ranked units ({cold[5] / 1024:.0f} KB .docx): "
        f"first {sum(cold[:3]):.2f} s, median of 5 more {median:.2f} s = {median / BUDGET_S:.2f} of the "
        f"{BUDGET_S:.0f} s budget "
        f"(first: {sum(cold[:3]) / BUDGET_S:.2f}); {cold[3]} SQL statements; CPU {mid[6]:.2f} s "
        f"(wall above CPU: waiting for the database server, or for a core on a shared machine)"
    )
    print(
        f"[{name}]   of which: store {mid[0]:.2f} s, rankings of this month and the last + content {mid[1]:.2f} s, "
        f".docx {mid[2]:.2f} s"
    )
    name_, data = await bulletin_docx(engine, BulletinPeriod.MONTH, AS_OF, tz=TZ)
    assert data.startswith(b"PK") and name_.endswith(".docx")
    runs = []
    for _ in range(6):  # the first, then the median of 5 more
        async with db.session_scope(engine) as session:
            cpu, start = time.process_time(), time.perf_counter()
            ranked = await standings(session, period_ending(BulletinPeriod.MONTH, AS_OF), TZ)
            runs.append((time.perf_counter() - start, time.process_time() - cpu))
    wall = statistics.median(w for w, _ in runs[1:])
    print(
        f"[{name}]   /units' ranking of the month to date ({len(ranked)} units): first {runs[0][0] * 1000:.0f} ms, "
        f"median of 5 more {wall * 1000:.0f} ms = {wall / UNITS_BUDGET_S:.2f} of its {UNITS_BUDGET_S * 1000:.0f} ms "
        f"budget; CPU {statistics.median(c for _, c in runs[1:]) * 1000:.0f} ms"
    )


async def run_backend(name: str, make_url: Callable[[str], str], path: Path, reports: int) -> None:
    start = time.perf_counter()
    engine, tasks, assignments = await build_store(make_url("bulletin"), path)
    try:
        await add_reports(engine, reports)
        items = await add_sheets(engine)
        if engine.dialect.name == "postgresql":
            # statistics for the fresh tables, as autovacuum keeps them on a store in use: without them the
            # planner estimates a fresh table from nothing (the outbox's index scan was estimated at one row)
            async with engine.begin() as conn:
                await conn.execute(sql_text("ANALYZE"))
        print(
            f"[{name}] store ready in {time.perf_counter() - start:.1f} s: {tasks:,} tasks, {assignments:,} "
            f"assignments, {reports:,} reports, {items:,} delivered 督办单 items"
        )
        await bench(name, engine)
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2,000 tasks and 20,000 reports")
    args = parser.parse_args()
    per_doc, reports = (10, 20_000) if args.quick else (50, 100_000)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = spread_deadlines(generate(work / "tasks.yaml", documents=200, tasks_per_doc=per_doc, units=300))
        print(f"generated 200 documents × {per_doc} tasks, 300 units" + (" [--quick]" if args.quick else ""))
        asyncio.run(run_backend("sqlite", lambda label: f"sqlite+aiosqlite:///{work / label}.db", path, reports))
        pg = postgres()
        if pg is not None:
            make, drop_all = pg
            try:
                asyncio.run(run_backend("postgresql", make, path, reports))
            finally:
                drop_all()


if __name__ == "__main__":
    main()
