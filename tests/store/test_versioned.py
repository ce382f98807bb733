"""Reads kept per document (issue 23: /digest after a report read the whole store again): every writer notes
the documents its change touches (store_change, migration 0015's triggers, whoever writes), a read kept by
document reads again only those, and the digest it builds stays the one build_digest makes over every row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bench.generate import generate
from bot.core import db
from bot.core.models import Assignment, Document, Task, Unit
from bot.core.vocab import Role, Status
from bot.reporting.digest import build_digest, render_digest
from bot.store.overview import digest_now, read_digest_rows, target_rows
from bot.store.versioned import changed_documents, kept_by_document, store_version
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog
from scheduler.jobs import ready_coordinators_digest

TODAY = dt.date(2025, 3, 10)


async def _store(engine: AsyncEngine, tmp_path: Path) -> None:
    catalog = load_catalog(generate(tmp_path / "g.yaml", documents=4, tasks_per_doc=6, units=10, seed=5))
    async with db.session_scope(engine) as session:
        await import_catalog(session, catalog, actor="test")


async def _version(engine: AsyncEngine) -> int:
    async with db.session_scope(engine) as session:
        version = await store_version(session)
    assert version is not None
    return version


async def _changed(engine: AsyncEngine, since: int) -> set[str] | None:
    async with db.session_scope(engine) as session:
        return await changed_documents(session, since)


async def _task_of(session: AsyncSession, document: str) -> int:
    return (await session.execute(select(func.min(Task.id)).where(Task.document_id == document))).scalar_one()


async def test_every_write_notes_the_documents_it_touches(engine: AsyncEngine, tmp_path: Path) -> None:
    await _store(engine, tmp_path)
    changes = {
        "an assignment's report": (
            "doc-0001",
            lambda s, task: s.execute(update(Assignment).where(Assignment.task_id == task).values(percent=50)),
        ),
        "a task extended": (
            "doc-0002",
            lambda s, task: s.execute(update(Task).where(Task.id == task).values(deadline=TODAY)),
        ),
        "an assignment removed": (
            "doc-0003",
            lambda s, task: s.execute(
                delete(Assignment).where(Assignment.task_id == task, Assignment.role == Role.LEAD)
            ),
        ),
        "a document ended": (
            "doc-0000",
            lambda s, task: s.execute(update(Document).where(Document.id == "doc-0000").values(ended=True)),
        ),
    }
    for what, (document, change) in changes.items():
        since = await _version(engine)
        async with db.session_scope(engine) as session:
            await change(session, await _task_of(session, document))
        assert await _changed(engine, since) == {document}, what
        assert await _changed(engine, await _version(engine)) == set(), what

    since = await _version(engine)
    async with db.session_scope(engine) as session:  # a supervising unit added to a task of doc-0001
        task = await _task_of(session, "doc-0001")
        unit = (await session.execute(select(func.max(Unit.id)))).scalar_one()
        session.add(Assignment(task_id=task, unit_id=unit, role=Role.SUPERVISE))
    assert await _changed(engine, since) == {"doc-0001"}

    since = await _version(engine)
    async with db.session_scope(engine) as session:  # a unit's other field: no digest row changes
        await session.execute(update(Unit).where(Unit.name == "单位001").values(is_group=False))
    assert await _changed(engine, since) == set()

    since = await _version(engine)
    other = db.make_engine(engine.url.render_as_string(hide_password=False))  # another process, raw SQL
    try:
        async with other.begin() as conn:
            await conn.execute(text("UPDATE unit SET name = '单位001甲' WHERE name = '单位001'"))
    finally:
        await other.dispose()
    assert await _changed(engine, since) is None  # a name is in every document's rows


async def test_a_read_kept_by_document_reads_again_only_what_changed(engine: AsyncEngine, tmp_path: Path) -> None:
    await _store(engine, tmp_path)
    asked: list[set[str] | None] = []

    async def kept_counts() -> dict[str, int]:
        async with db.session_scope(engine) as session:

            async def read(documents: set[str] | None) -> dict[str, int]:
                asked.append(documents)
                stmt = select(Task.document_id, func.count()).join(Assignment).group_by(Task.document_id)
                if documents is not None:
                    stmt = stmt.where(Task.document_id.in_(documents))
                return dict((await session.execute(stmt)).all())

            return await kept_by_document(session, "counts", read)

    first = await kept_counts()  # the first read of an engine starts watching its writes, and keeps nothing
    assert await kept_counts() == first and await kept_counts() == first
    assert asked == [None, None]  # the third call read nothing

    async with db.session_scope(engine) as session:
        task = await _task_of(session, "doc-0003")
        await session.execute(delete(Assignment).where(Assignment.task_id == task, Assignment.role == Role.LEAD))
    after = await kept_counts()
    assert asked[-1] == {"doc-0003"}
    assert after == {**first, "doc-0003": first["doc-0003"] - 1}

    async with db.session_scope(engine) as session:  # every assignment of doc-0002 gone: its value goes
        tasks = select(Task.id).where(Task.document_id == "doc-0002")
        await session.execute(delete(Assignment).where(Assignment.task_id.in_(tasks)))
    assert "doc-0002" not in await kept_counts() and asked[-1] == {"doc-0002"}

    async with db.session_scope(engine) as session:
        await session.execute(update(Unit).where(Unit.name == "单位002").values(name="单位002乙"))
    await kept_counts()
    assert asked[-1] is None

    async with db.session_factory(engine)() as session:  # a transaction that wrote reads afresh, keeps nothing
        await session.begin()
        await session.execute(update(Assignment).values(percent=10))

        async def read_all(documents: set[str] | None) -> dict[str, int]:
            asked.append(documents)
            return {}

        assert await kept_by_document(session, "counts", read_all) == {}
        await session.rollback()
    assert asked[-1] is None
    calls = len(asked)
    await kept_counts()
    assert len(asked) == calls  # what was kept before that transaction still stands


async def test_the_digest_after_each_change_is_the_digest_over_every_row(engine: AsyncEngine, tmp_path: Path) -> None:
    """digest_now keeps each document's share and, after a write, reads again only the documents it touched:
    what it says after each kind of change is what build_digest says over all the rows read afresh."""
    await _store(engine, tmp_path)

    async def same_as_built(what: str) -> None:
        async with db.session_scope(engine) as session:
            units = dict((await session.execute(select(Unit.name, Unit.id))).all())
            for overseer, own in ((None, None), (units.get("单位003"), None), (None, units.get("单位004"))):
                rows = await read_digest_rows(session, overseer, own)
                built = build_digest(rows, await target_rows(session, {r.document_id for r in rows}), TODAY)
                now = await digest_now(session, TODAY, overseer, own)
                assert now is not None, what
                assert render_digest(now) == render_digest(built), what
                assert (now.counts, now.lights, now.overdue, now.blocked) == (
                    built.counts,
                    built.lights,
                    built.overdue,
                    built.blocked,
                ), what

    await same_as_built("first")
    await same_as_built("kept")
    overdue = TODAY - dt.timedelta(days=9)
    changes = {
        "a task overdue": update(Task)
        .where(Task.key == "1.1", Task.document_id == "doc-0001")
        .values(deadline=overdue),
        "a unit blocked": update(Assignment).where(Assignment.id == 7).values(status=Status.BLOCKED),
        "a report": update(Assignment)
        .where(Assignment.id == 8)
        .values(status=Status.DONE, last_report_at=dt.datetime(2025, 3, 9, tzinfo=dt.UTC)),
        "a task closed": update(Task).where(Task.id == 3).values(closed_at=dt.datetime(2025, 3, 8, tzinfo=dt.UTC)),
        "a document ended": update(Document).where(Document.id == "doc-0002").values(ended=True),
        "a unit renamed": update(Unit).where(Unit.name == "单位005").values(name="单位00甲"),
        "every task of a document overdue": update(Task).where(Task.document_id == "doc-0003").values(deadline=overdue),
    }
    for what, change in changes.items():
        async with db.session_scope(engine) as session:
            await session.execute(change)
        await same_as_built(what)


async def test_each_day_of_the_week_is_the_digest_of_that_day(engine: AsyncEngine, tmp_path: Path) -> None:
    """The documents' shares serve a week (what depends on the day is decided when they are added up): from
    Monday to Sunday and on the next Monday, with the store unchanged, /digest says what build_digest says."""
    await _store(engine, tmp_path)
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    async with db.session_scope(engine) as session:  # deadlines a day apart over the fortnight
        tasks = list((await session.execute(select(Task).order_by(Task.id))).scalars())
        for n, task in enumerate(tasks):
            task.deadline = monday + dt.timedelta(days=n % 14)
    seen: set[int] = set()
    async with db.session_scope(engine) as session:
        for day in (monday + dt.timedelta(days=n) for n in (0, 1, 3, 6, 7, 8)):
            rows = await read_digest_rows(session)
            built = build_digest(rows, await target_rows(session, {r.document_id for r in rows}), day)
            now = await digest_now(session, day)
            assert now is not None and render_digest(now) == render_digest(built), day
            assert (now.lights, now.overdue, now.silent_units) == (built.lights, built.overdue, built.silent_units)
            seen.add(len(built.overdue))
    assert len(seen) == 6  # each day a different list


async def test_a_new_period_drops_what_was_kept_for_another(engine: AsyncEngine, tmp_path: Path) -> None:
    """Last week's shares are never asked again: keeping this week's lets them go (they are megabytes)."""
    await _store(engine, tmp_path)
    asked: list[tuple[str, set[str] | None]] = []

    async def kept(key: str, week: int) -> None:
        async def read(documents: set[str] | None) -> dict[str, int]:
            asked.append((key, documents))
            return {"doc-0000": week}

        async with db.session_scope(engine) as session:
            assert await kept_by_document(session, key, read, period=week) == {"doc-0000": week}

    for key, week in (("a", 1), ("a", 1), ("b", 1), ("a", 1), ("b", 1)):
        await kept(key, week)
    assert asked == [("a", None), ("a", None), ("b", None)]  # the first call watches the engine, keeps nothing
    await kept("a", 2)
    await kept("b", 1)  # dropped when week 2 was kept: read again
    assert asked[-2:] == [("a", None), ("b", None)]


async def test_the_digest_job_reads_the_coordinators_digest_ahead_once_a_week(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    """A new process or a new week: the digest job reads every document's share, so the coordinator who asks
    next waits only for what changed; within the week it reads nothing ahead."""
    await _store(engine, tmp_path)
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    assert await ready_coordinators_digest(engine, monday)
    await ready_coordinators_digest(engine, monday)  # again if that was the engine's first read (it keeps nothing)
    assert not await ready_coordinators_digest(engine, monday)
    assert not await ready_coordinators_digest(engine, monday + dt.timedelta(days=4))
    async with db.session_scope(engine) as session:  # a report: the next /digest reads its document only
        await session.execute(update(Assignment).where(Assignment.id == 3).values(status=Status.BLOCKED))
    assert not await ready_coordinators_digest(engine, monday + dt.timedelta(days=4))
    next_week = monday + dt.timedelta(days=7)
    assert await ready_coordinators_digest(engine, next_week)
    async with db.session_scope(engine) as session:
        rows = await read_digest_rows(session)
        built = build_digest(rows, await target_rows(session, {r.document_id for r in rows}), next_week)
        now = await digest_now(session, next_week)
    assert now is not None and render_digest(now) == render_digest(built)
