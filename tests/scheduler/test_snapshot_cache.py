"""The tick's planner snapshot is kept while the store stands still and rebuilt when anything it reads
changes, whoever changes it (issue 23): the store's own counter, moved by triggers (migration 0012)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db
from bot.core.models import Assignment, Report
from bot.core.vocab import Status
from bot.store.overview import digest_rows
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog
from scheduler.snapshot import cached_snapshot
from tests.conftest import DATA


async def _snapshot(engine: AsyncEngine):
    async with db.session_scope(engine) as session:
        return await cached_snapshot(session)


async def test_a_quiet_store_keeps_its_snapshot_and_any_change_renews_it(engine: AsyncEngine) -> None:
    async with db.session_scope(engine) as session:
        await import_catalog(session, load_catalog(DATA / "mini.yaml"))
    await _snapshot(engine)  # the first read of an engine starts watching its writes, and keeps nothing
    first = await _snapshot(engine)
    assert await _snapshot(engine) is first  # nothing changed: the same snapshot, not rebuilt
    some = next(iter(first.views))

    async with db.session_scope(engine) as session:  # a report: the handler's path
        await session.execute(update(Assignment).where(Assignment.id == some).values(status=Status.DONE))
    second = await _snapshot(engine)
    assert second is not first and second.views[some].status == Status.DONE

    other = db.make_engine(engine.url.render_as_string(hide_password=False))  # another process, raw SQL
    try:
        async with other.begin() as conn:
            await conn.execute(
                text("UPDATE unit SET name = 'renamed' WHERE id = :id"), {"id": second.views[some].unit_id}
            )
    finally:
        await other.dispose()
    third = await _snapshot(engine)
    assert third is not second and third.views[some].unit_name == "renamed"

    async with db.session_scope(engine) as session:  # a report alone (a 退办 moves only the report table)
        session.add(
            Report(
                assignment_id=some,
                source="text",
                status=Status.IN_PROGRESS,
                text="x",
                created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
            )
        )
    fourth = await _snapshot(engine)
    assert fourth is not third
    assert await _snapshot(engine) is fourth


async def test_a_transaction_that_wrote_sees_its_change_and_keeps_nothing(engine: AsyncEngine) -> None:
    """Its change may yet be rolled back (and on PostgreSQL the counter moves only at commit): what it reads
    is its own, not kept for the others."""
    async with db.session_scope(engine) as session:
        await import_catalog(session, load_catalog(DATA / "mini.yaml"))
    await _snapshot(engine)
    first = await _snapshot(engine)
    async with db.session_factory(engine)() as session:
        await session.begin()
        await session.execute(update(Assignment).values(status=Status.BLOCKED))
        inside = await cached_snapshot(session)
        assert {v.status for v in inside.views.values()} == {Status.BLOCKED}
        await session.rollback()
    assert await _snapshot(engine) is first


async def test_the_digest_rows_follow_the_store(engine: AsyncEngine) -> None:
    async with db.session_scope(engine) as session:
        await import_catalog(session, load_catalog(DATA / "mini.yaml"))
    rows = [await _digest_rows(engine) for _ in range(3)]
    assert rows[0] == rows[1] == rows[2] and rows[1] is not rows[2]  # the same rows, a list of each caller's
    some = rows[0][0].assignment_id
    async with db.session_scope(engine) as session:
        await session.execute(update(Assignment).where(Assignment.id == some).values(status=Status.DONE))
    after = {r.assignment_id: r.status for r in await _digest_rows(engine)}
    assert after[some] == Status.DONE


async def _digest_rows(engine: AsyncEngine) -> list:
    async with db.session_scope(engine) as session:
        return await digest_rows(session)
