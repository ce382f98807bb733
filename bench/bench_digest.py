"""The coordinators' digest and its chart over 10,000 tasks / 50,000 assignments (issue 15).

Prints, measured in this one run (no timed asserts), against a 300 ms budget (the ratio: 1.00 = all of it):
1. /digest for a coordinator, as the bot runs it (`digest_on_demand.digest_text`, scope all): the median of 5
   right after a report-like write (one assignment: its document's share is read again, the others' kept —
   bot/store/versioned.kept_by_document), of 5 with the store unchanged (the whole tallied part kept), and of 3
   after a unit was renamed (its name is in every document's rows: every share read again, as on a process's
   first /digest); wall clock and CPU time (the process's, the driver's thread included: steadier than the
   wall clock on a busy machine).
2. The coordinators' digest as the weekly tick builds it (the collector paused as the tick pauses it): the
   store read (`digest_rows` + `target_rows` + `chase_counts`), `build_digest` with last week's snapshot (a
   third of the assignments moved since, so "what changed" is long) and `render_digest`, part by part.
3. The chart (`chart_data` + `render_chart`, PNG bytes) over the same rows, against a 1 s budget.
On SQLite, then on PostgreSQL when it answers (TEST_POSTGRES_URL, a fresh schema, dropped after).

The store is bench_scheduler's: bench/generate.py's 200 documents × 50 tasks over 300 units (1 lead and 4
responsible units a task), deadlines spread over 900 days, 100,000 reports, a target with 3 values per
document. `--save FILE` writes the rendered digest text (SQLite's), `--compare FILE` says whether it is
byte-identical to a saved one (to check that a speed-up changed nothing); `--profile` prints cProfile's
top functions of one warm build.

Run: `python -m bench.bench_digest` (about a minute; `--quick` for 2,000 tasks).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime as dt
import io
import pstats
import statistics
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import text as sql_text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.bench_scheduler import SEND_MOMENT, TZ, add_reports, build_store, spread_deadlines
from bench.generate import generate
from bench.pg import postgres
from bot.chat.chase import chase_counts
from bot.chat.digest_on_demand import digest_text
from bot.core import db
from bot.core.memory import collector_paused
from bot.core.vocab import DigestScope
from bot.reporting.digest import build_digest, render_digest
from bot.store.overview import digest_rows, target_rows

DIGEST_BUDGET_S = 0.3
CHART_BUDGET_S = 1.0
RUNS = 5


@dataclass
class Timing:
    parts: dict[str, float] = field(default_factory=dict)
    text: str = ""
    rows: int = 0
    cpu: float = 0.0  # process CPU seconds (this thread and the driver's): less noisy on a busy machine

    @property
    def total(self) -> float:
        return sum(self.parts.values())


async def coordinators_digest(engine: AsyncEngine, as_of: dt.date, previous: dict[str, Any] | None) -> Timing:
    """One coordinators' digest, timed by part (the reads, the build, the rendering), with the cyclic garbage
    collector paused as the tick and /digest pause it."""
    timing = Timing()
    cpu = time.process_time()
    with collector_paused():
        async with db.session_scope(engine) as session:
            start = time.perf_counter()
            rows = await digest_rows(session)
            targets = await target_rows(session, {r.document_id for r in rows})
            chases = await chase_counts(session, dt.datetime.combine(as_of, dt.time(12), tzinfo=TZ), TZ)
            timing.parts["read"] = time.perf_counter() - start
            start = time.perf_counter()
            digest = build_digest(rows, targets, as_of, previous, chases)
            timing.parts["build"] = time.perf_counter() - start
            start = time.perf_counter()
            timing.text = render_digest(digest)
            timing.parts["render"] = time.perf_counter() - start
    timing.cpu = time.process_time() - cpu
    timing.rows = len(rows)
    return timing


async def on_demand(engine: AsyncEngine, as_of: dt.date) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, text) of one coordinator's /digest."""
    cpu, start = time.process_time(), time.perf_counter()
    async with db.session_scope(engine) as session:
        text = await digest_text(session, scope=DigestScope.ALL, today=as_of, tz=TZ)
    return time.perf_counter() - start, time.process_time() - cpu, text


async def after_a_report(engine: AsyncEngine, as_of: dt.date) -> tuple[float, float, str]:
    """`on_demand` right after a report-like write (an assignment's percent set again): the store's counter
    moved and one document changed — what a coordinator gets after any unit reported."""
    async with db.session_scope(engine) as session:
        await session.execute(
            sql_text("UPDATE assignment SET percent = percent WHERE id = (SELECT min(id) FROM assignment)")
        )
    return await on_demand(engine, as_of)


async def after_a_rename(engine: AsyncEngine, as_of: dt.date) -> tuple[float, float, str]:
    """`on_demand` after a unit's name changed (and changed back): every document's share is read again."""
    first = "WHERE id = (SELECT min(id) FROM unit)"
    async with db.session_scope(engine) as session:
        await session.execute(sql_text(f"UPDATE unit SET name = name || '（改）' {first}"))
        await session.execute(sql_text(f"UPDATE unit SET name = substr(name, 1, length(name) - 3) {first}"))
    return await on_demand(engine, as_of)


async def bench(name: str, engine: AsyncEngine, tasks: int, args: argparse.Namespace) -> str:
    as_of = SEND_MOMENT.date()
    wall, cpu, text = await on_demand(engine, as_of)
    measures = (
        ("after a report", after_a_report, RUNS),
        ("the store unchanged", on_demand, RUNS),
        ("after a unit renamed (every document read again)", after_a_rename, 3),
    )
    for label, measure, runs_of in measures:
        runs = [await measure(engine, as_of) for _ in range(runs_of)]
        median, median_cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        print(
            f"[{name}] /digest for a coordinator over {tasks:,} tasks, {label}: median of {runs_of} "
            f"{median * 1000:.0f} ms = {median / DIGEST_BUDGET_S:.2f} of the {DIGEST_BUDGET_S * 1000:.0f} ms "
            f"budget; CPU time {median_cpu * 1000:.0f} ms = {median_cpu / DIGEST_BUDGET_S:.2f} (the process's first: "
            f"{wall * 1000:.0f} ms); {len(text):,} characters"
        )
    async with db.session_scope(engine) as session:
        rows = await digest_rows(session)
    # the previous digest saw a third of the assignments still pending: this one lists what changed since
    before = [replace(r, status="pending", percent=None) if r.assignment_id % 3 == 0 else r for r in rows]
    previous = build_digest(before, [], as_of - dt.timedelta(days=7)).snapshot()
    first = await coordinators_digest(engine, as_of, previous)
    warm = [await coordinators_digest(engine, as_of, previous) for _ in range(RUNS)]
    median = statistics.median(t.total for t in warm)
    cpu = statistics.median(t.cpu for t in warm)
    parts = ", ".join(f"{part} {statistics.median(t.parts[part] for t in warm) * 1000:.0f} ms" for part in first.parts)
    print(
        f"[{name}] the weekly tick's coordinators' digest over {first.rows:,} assignments: first "
        f"{first.total * 1000:.0f} ms, median of {RUNS} more {median * 1000:.0f} ms = "
        f"{median / DIGEST_BUDGET_S:.2f} of the {DIGEST_BUDGET_S * 1000:.0f} ms budget ({parts}); CPU time "
        f"{cpu * 1000:.0f} ms = {cpu / DIGEST_BUDGET_S:.2f}; {len(first.text):,} characters"
    )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        await coordinators_digest(engine, as_of, previous)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue())
    from bot.reporting.chart import chart_data, render_chart  # matplotlib only here

    render_chart(chart_data(rows[:50], as_of))  # the font and matplotlib warmed up
    times = []
    for _ in range(3):
        start = time.perf_counter()
        png = render_chart(chart_data(rows, as_of))
        times.append(time.perf_counter() - start)
    chart = statistics.median(times)
    print(
        f"[{name}]   chart over the same rows: median of 3 {chart * 1000:.0f} ms = {chart / CHART_BUDGET_S:.2f} "
        f"of the {CHART_BUDGET_S:.0f} s budget; {len(png):,} bytes of PNG"
    )
    return first.text


async def run_backend(name: str, url: str, path: Path, reports: int, args: argparse.Namespace) -> str:
    start = time.perf_counter()
    engine, tasks, assignments = await build_store(url, path)
    await add_reports(engine, reports)
    if engine.dialect.name == "postgresql":  # statistics, as autovacuum gathers them after a bulk load (bench_web)
        async with engine.connect() as connection:
            await connection.execute(sql_text("ANALYZE"))
            await connection.commit()
    print(
        f"[{name}] store ready in {time.perf_counter() - start:.1f} s: {tasks:,} tasks, {assignments:,} "
        f"assignments, {reports:,} reports"
    )
    try:
        return await bench(name, engine, tasks, args)
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2,000 tasks and 20,000 reports")
    parser.add_argument("--save", type=Path, help="write the SQLite digest text here")
    parser.add_argument("--compare", type=Path, help="say whether the SQLite digest text equals this file's")
    parser.add_argument("--profile", action="store_true", help="cProfile one warm build")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    per_doc, reports = (10, 20_000) if args.quick else (50, 100_000)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = spread_deadlines(generate(work / "big.yaml", documents=200, tasks_per_doc=per_doc, units=300))
        text = asyncio.run(run_backend("sqlite", f"sqlite+aiosqlite:///{work / 'digest.db'}", path, reports, args))
        if args.save:
            args.save.write_text(text, encoding="utf-8")
            print(f"digest text written to {args.save}")
        if args.compare:
            same = args.compare.read_text(encoding="utf-8") == text
            print(f"digest text {'byte-identical to' if same else 'DIFFERS from'} {args.compare}")
        pg = None if args.sqlite_only else postgres()
        if pg is not None:
            make, drop_all = pg
            try:
                pg_text = asyncio.run(run_backend("postgresql", make("digest"), path, reports, args))
                print(f"[postgresql]   digest text {'equals' if pg_text == text else 'DIFFERS from'} SQLite's")
            finally:
                drop_all()


if __name__ == "__main__":
    main()
