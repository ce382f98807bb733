"""Import benchmark: 10,000 tasks in 200 documents over 300 units (issue: foundation).

Prints, measured in this one run:
- cold import and re-import (no changes) wall time, and each as a ratio of its budget (10 s, 3 s);
- where the time goes (YAML parse + validation vs. the database work);
- SQL statements per import for 1,000 and for 10,000 tasks, and their ratio (1.00 = does not grow);
- the same on PostgreSQL when it answers (TEST_POSTGRES_URL), else a line saying it was skipped.

Run: `python -m bench.bench_import` (add `--tasks-per-doc 10` for a quick run).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

from bench.generate import generate
from bench.pg import postgres
from bot.core import db
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog

COLD_BUDGET_S = 10.0
REIMPORT_BUDGET_S = 3.0


async def timed_import(url: str, path: Path) -> tuple[float, float, int, int]:
    """(parse+validate seconds, total seconds, statements, changes) for one `taskbot import`."""
    engine = db.make_engine(url)
    await db.ensure_schema(engine)
    statements = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        start = time.perf_counter()
        catalog = load_catalog(path)
        parsed = time.perf_counter() - start
        async with db.session_scope(engine) as session:
            result = await import_catalog(session, catalog)
        return parsed, time.perf_counter() - start, statements, result.changes
    finally:
        await engine.dispose()


async def run_backend(name: str, make_url, big: Path, small: Path) -> None:
    cold = await timed_import(make_url("big"), big)
    again = await timed_import(make_url("big"), big)
    small_run = await timed_import(make_url("small"), small)
    print(
        f"[{name}] cold import of 10,000 tasks: {cold[1]:.2f} s (parse+validate {cold[0]:.2f} s, "
        f"store {cold[1] - cold[0]:.2f} s) = {cold[1] / COLD_BUDGET_S:.2f} of the {COLD_BUDGET_S:.0f} s budget"
    )
    print(
        f"[{name}] re-import, no changes: {again[1]:.2f} s, {again[3]} changes "
        f"= {again[1] / REIMPORT_BUDGET_S:.2f} of the {REIMPORT_BUDGET_S:.0f} s budget"
    )
    print(
        f"[{name}] SQL statements per cold import: 1,000 tasks {small_run[2]}, 10,000 tasks {cold[2]} "
        f"→ ratio {cold[2] / small_run[2]:.2f} (1.00 = does not grow with the task count)"
    )
    print(f"[{name}] throughput: {10_000 / cold[1]:,.0f} tasks/s cold")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks-per-doc", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        big = generate(work / "big.yaml", documents=200, tasks_per_doc=args.tasks_per_doc, units=300)
        small = generate(work / "small.yaml", documents=20, tasks_per_doc=args.tasks_per_doc, units=300)
        print(f"generated {big.stat().st_size / 1e6:.1f} MB: 200 documents × {args.tasks_per_doc} tasks, 300 units")
        asyncio.run(run_backend("sqlite", lambda label: f"sqlite+aiosqlite:///{work / label}.db", big, small))
        pg = postgres()
        if pg is not None:
            make, drop_all = pg
            try:
                asyncio.run(run_backend("postgresql", make, big, small))
            finally:
                drop_all()


if __name__ == "__main__":
    main()
