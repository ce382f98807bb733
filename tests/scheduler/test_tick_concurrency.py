"""Two processes' ticks at the same minute on one PostgreSQL (issue 14): they run one after the other (an
advisory lock), so the window is planned once and the weekly digest is built and recorded once per audience.
Before, both read the old mark: the outbox's keys kept each message single, but every digest was built twice
and digest_run held two rows per audience."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.core import db
from bot.core.models import DigestRun, Outbox
from bot.core.vocab import MessageKind
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog
from scheduler.jobs import LAST_TICK, tick
from scheduler.snapshot import write_state
from tests.conftest import ROOT

TZ = ZoneInfo("Asia/Shanghai")
MOMENT = dt.datetime(2025, 3, 3, 9, 30, tzinfo=TZ)  # a Monday: the weekly digest and the monthly prompts


@pytest.mark.postgres
async def test_two_ticks_at_once_plan_the_window_once(pg_schema_url: str) -> None:
    first, second = db.make_engine(pg_schema_url), db.make_engine(pg_schema_url)
    try:
        await db.ensure_schema(first)
        async with db.session_scope(first) as session:
            await import_catalog(session, load_catalog(ROOT / "data" / "tasks.yaml"))
            await write_state(session, LAST_TICK, (MOMENT - dt.timedelta(minutes=1)).isoformat())
        now = (MOMENT + dt.timedelta(minutes=1)).astimezone(dt.UTC)
        results = await asyncio.gather(tick(first, now, TZ, (901,)), tick(second, now, TZ, (901,)))
        async with db.session_scope(first) as session:
            runs = dict(
                (await session.execute(select(DigestRun.audience, func.count()).group_by(DigestRun.audience))).all()
            )
            rows = (await session.execute(select(func.count()).select_from(Outbox))).scalar_one()
            charts = (
                await session.execute(select(func.count()).select_from(Outbox).where(Outbox.kind == MessageKind.CHART))
            ).scalar_one()
    finally:
        await first.dispose()
        await second.dispose()
    print(
        f"\n[two ticks at once] digests built {[r.digests for r in results]}, enqueued "
        f"{[r.enqueued for r in results]}; {rows} outbox rows, digest_run {len(runs)} audiences"
    )
    assert sorted(r.digests for r in results) == [0, len(runs)] and len(runs) > 1
    assert set(runs.values()) == {1}
    assert charts == 1  # the coordinator's weekly chart, once
    # (the digests and the chart are enqueued by run_digests, not counted in `enqueued`)
    assert sorted(r.enqueued for r in results) == [0, rows - len(runs) - charts]
