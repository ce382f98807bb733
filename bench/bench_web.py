"""The web 看板 over 10,000 tasks / 50,000 assignments (issue 24): the 总览 and one task's page, as a
coordinator sees them, through the whole ASGI app (httpx in process: routing, session, queries, template).
Prints the p95 and median of 20 loads of each against the budgets (the overview 300 ms, a task page 100 ms):
the overview built afresh each time (the database adds the figures up: bot/store/overview.py `tally`; the
month's ranking, read at the first load, reused: RankingCache), then as served (each scope's 总览 kept a minute:
OverviewCache), then a task page. Beside the wall time, this process's CPU time per load: on SQLite it holds
the queries too (run in aiosqlite's thread), so it moves less with the machine's load than the wall time does;
on PostgreSQL the server's share is not in it. Measured in this run, no timed asserts.
The store is bench_digest's: bench/generate.py's 200 documents × 50 tasks over 300 units, deadlines spread
over 900 days, 100,000 reports; on PostgreSQL analysed once loaded, as autovacuum would have it.
On SQLite, then PostgreSQL when it answers (TEST_POSTGRES_URL).
Run: `python -m bench.bench_web` (a few minutes; `--quick` for 2,000 tasks, `--sqlite-only`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.bench_scheduler import COORDINATOR, SEND_MOMENT, add_reports, build_store, spread_deadlines
from bench.generate import generate
from bench.pg import postgres
from bot.chat import web_access
from bot.core import db
from bot.core.models import Assignment, Report
from bot.core.settings import Settings
from bot.web.app import Web, create_app

OVERVIEW_BUDGET_S, TASK_BUDGET_S = 0.3, 0.1
LOADS = 20


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


async def timed(http: httpx.AsyncClient, path: str) -> tuple[float, list[float], list[float]]:
    """(the first load, then LOADS more: their wall times and this process's CPU times)."""
    start = time.perf_counter()
    assert (await http.get(path)).status_code == 200
    first = time.perf_counter() - start
    times, cpu = [], []
    for _ in range(LOADS):
        start, used = time.perf_counter(), time.process_time()
        response = await http.get(path)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - used)
        assert response.status_code == 200, response.text[:200]
    return first, times, cpu


def load() -> str:
    return f"load average {os.getloadavg()[0]:.1f}"


async def bench(name: str, engine: AsyncEngine) -> None:
    now = SEND_MOMENT
    settings = Settings(coordinator_ids=[COORDINATOR])
    web = Web(settings, lambda: engine, "http://bench", clock=lambda: now)
    async with db.session_scope(engine) as session:
        token = await web_access.issue_login(session, COORDINATOR, now=now, actor="bench")
        busiest = (
            await session.execute(
                select(Assignment.task_id).join(Report, Report.assignment_id == Assignment.id).limit(1)
            )
        ).scalar_one()
    transport = httpx.ASGITransport(app=create_app(web))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        assert (await http.post(f"/login/{token}")).status_code == 303
        web.overviews.ttl = 0.0  # the 总览 built afresh each time (the month's ranking still reused)
        first, times, cpu = await timed(http, "/")
        print(
            f"[{name}] overview built each time: p95 {p95(times) * 1000:6.0f} ms  median"
            f" {statistics.median(times) * 1000:6.0f} ms ({p95(times) / OVERVIEW_BUDGET_S:.2f} of the budget;"
            f" CPU median {statistics.median(cpu) * 1000:.0f} ms; the first load, which reads the month's ranking,"
            f" {first * 1000:.0f} ms; {load()})"
        )
        web.overviews.ttl = 60.0
        for label, path, budget in (
            ("overview", "/", OVERVIEW_BUDGET_S),
            ("task page", f"/tasks/{busiest}", TASK_BUDGET_S),
        ):
            first, times, cpu = await timed(http, path)
            print(
                f"[{name}] {label:9} p95 {p95(times) * 1000:6.0f} ms  median {statistics.median(times) * 1000:6.0f} ms"
                f"  ({p95(times) / budget:.2f} of the {budget * 1000:.0f} ms budget, {LOADS} loads as served: the"
                f" 总览 kept a minute; CPU median {statistics.median(cpu) * 1000:.0f} ms; the first load"
                f" {first * 1000:.0f} ms; {load()})"
            )


async def run_backend(name: str, url: str, path: Path, reports: int) -> None:
    start = time.perf_counter()
    engine, tasks, assignments = await build_store(url, path)
    await add_reports(engine, reports)
    if engine.dialect.name == "postgresql":  # statistics, as autovacuum gathers them after a bulk load
        async with engine.connect() as connection:
            await connection.execute(text("ANALYZE"))
            await connection.commit()
    print(f"[{name}] store ready in {time.perf_counter() - start:.1f} s: {tasks:,} tasks, {assignments:,} assignments")
    try:
        await bench(name, engine)
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2,000 tasks and 20,000 reports")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    per_doc, reports = (10, 20_000) if args.quick else (50, 100_000)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = spread_deadlines(generate(work / "big.yaml", documents=200, tasks_per_doc=per_doc, units=300))
        asyncio.run(run_backend("sqlite", f"sqlite+aiosqlite:///{work / 'web.db'}", path, reports))
        pg = None if args.sqlite_only else postgres()
        if pg is not None:
            make, drop_all = pg
            try:
                asyncio.run(run_backend("postgresql", make("web"), path, reports))
            finally:
                drop_all()


if __name__ == "__main__":
    main()
