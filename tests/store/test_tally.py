"""The web 总览's figures, added up by the database (`tally`), are the digest's over the same rows: counts,
tasks, each unit's light, the overdue rows and the lights per document, in every scope the 看板 has, on a
store of every kind of row (done, 办结, blocked, extended, silent, archived, ended, 督查), on SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.generate import generate
from bot.core import db
from bot.core.models import Assignment, Document, Task, Unit
from bot.core.vocab import Light, Role, Status
from bot.reporting.digest import (
    LIGHT_ORDER,
    Chases,
    DigestRow,
    build_digest,
    light_of,
    render_digest,
    unit_last_heard,
)
from bot.store.overview import digest_now, read_digest_rows, tally, target_rows
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog

TODAY = dt.date(2025, 3, 10)


def document_lights(rows: list[DigestRow], today: dt.date) -> list[tuple[str, str, dict[Light, int]]]:
    """Per document, its units counted by the worst `light_of` of their rows in it: the rule, row by row."""
    heard = unit_last_heard(rows)
    units: dict[str, dict[str, Light]] = {}
    names: dict[str, str] = {}
    for row in rows:
        names[row.document_id] = row.document_short or row.document
        seen = units.setdefault(row.document_id, {})
        light = light_of(row, today, heard[row.unit])
        seen[row.unit] = min(light, seen.get(row.unit, Light.GREEN), key=LIGHT_ORDER.__getitem__)
    return [
        (doc_id, names[doc_id], {light: list(by_unit.values()).count(light) for light in Light})
        for doc_id, by_unit in sorted(units.items())
    ]


async def _varied(engine: AsyncEngine, tmp_path: Path) -> None:
    """Six documents of eight tasks over twelve units, then every assignment's state drawn at random: a quarter
    of the units anything, the others kept from red (extended deadlines, not blocked), due soon or silent."""
    catalog = load_catalog(generate(tmp_path / "g.yaml", documents=6, tasks_per_doc=8, units=12, seed=3))
    rng = random.Random(24)
    async with db.session_scope(engine) as session:
        await import_catalog(session, catalog, actor="test")
        await session.execute(update(Document).where(Document.id == "doc-0004").values(ended=True))
        await session.execute(update(Document).where(Document.id == "doc-0005").values(short=""))
        for task in (await session.execute(select(Task))).scalars():
            task.deadline = TODAY + dt.timedelta(days=rng.randint(-60, 40)) if rng.random() < 0.9 else None
            task.closed_at = dt.datetime(2025, 3, 1, tzinfo=dt.UTC) if rng.random() < 0.1 else None
            task.archived = rng.random() < 0.05
        units = list((await session.execute(select(Unit.id))).scalars())
        supervised: set[tuple[int, int]] = set()
        for a in (await session.execute(select(Assignment))).scalars():
            kind = units.index(a.unit_id) % 4  # 0 anything; 1 calm; 2 calm but due soon; 3 calm and silent
            a.status = rng.choice(list(Status) if kind == 0 else [Status.DONE, Status.IN_PROGRESS, Status.PENDING])
            a.archived = rng.random() < 0.05
            if kind or rng.random() < 0.1:
                a.deadline_override = TODAY + dt.timedelta(
                    days=3 if kind == 2 else rng.randint(-10, 30) if not kind else 20
                )
            if kind != 3 and rng.random() < 0.8:
                a.last_report_at = dt.datetime(2025, 3, 9, 23, tzinfo=dt.UTC) - dt.timedelta(days=rng.randint(0, 60))
            if rng.random() < 0.08:
                supervised.add((a.task_id, rng.choice(units)))
        session.add_all(Assignment(task_id=t, unit_id=u, role=Role.SUPERVISE) for t, u in sorted(supervised))
        await session.flush()


@pytest.mark.parametrize("days", [0, -40, 25])
async def test_the_tally_is_the_digest_over_the_same_rows(engine: AsyncEngine, tmp_path: Path, days: int) -> None:
    await _varied(engine, tmp_path)
    today = TODAY + dt.timedelta(days=days)
    async with db.session_scope(engine) as session:
        ids = dict((await session.execute(select(Unit.name, Unit.id))).all())
        scopes = [(None, None), (ids["单位003"], ids["单位003"]), (None, ids["单位007"]), (ids["单位010"], None)]
        for overseer, own in scopes:
            rows = await read_digest_rows(session, overseer, own)
            digest = build_digest(rows, [], today)
            if overseer is None and own is None and days == 0:
                assert set(digest.lights.values()) == set(Light) and digest.silent_units  # every case is there
            for limit in (0, 5, 1000):
                counted = await tally(session, today, overseer, own, limit=limit)
                assert counted.counts == digest.counts
                assert counted.tasks == digest.tasks
                assert list(counted.lights.items()) == list(digest.lights.items())
                assert counted.unit_ids == {name: ids[name] for name in digest.lights}
                assert counted.overdue_total == len(digest.overdue)
                assert counted.overdue == digest.overdue[:limit]
                assert counted.documents == document_lights(rows, today)


@pytest.mark.parametrize("days", [0, -40, 25])
async def test_the_digest_on_demand_is_the_digest_built_from_every_row(
    engine: AsyncEngine, tmp_path: Path, days: int
) -> None:
    """/digest reads the tally and only the overdue and blocked rows (`digest_now`); what it says — every
    figure, list and line — is what build_digest says over all the rows, in every scope, with 催办 counted."""
    await _varied(engine, tmp_path)
    today = TODAY + dt.timedelta(days=days)
    chases = Chases(
        this_week={"单位001": 2, "单位004": 1, "无此单位": 5}, since_last_report={"单位004": 3, "单位005": 4}
    )
    async with db.session_scope(engine) as session:
        ids = dict((await session.execute(select(Unit.name, Unit.id))).all())
        scopes = [(None, None), (ids["单位003"], None), (None, ids["单位007"]), (ids["单位010"], None)]
        for overseer, own in scopes:
            rows = await read_digest_rows(session, overseer, own)
            targets = await target_rows(session, {r.document_id for r in rows})
            built = build_digest(rows, targets, today, chases=chases)
            now = await digest_now(session, today, overseer, own, chases)
            assert now is not None
            assert (now.counts, now.tasks, now.lights, now.silent_units) == (
                built.counts,
                built.tasks,
                built.lights,
                built.silent_units,
            )
            assert (now.overdue, now.blocked, now.targets) == (built.overdue, built.blocked, built.targets)
            assert (now.chased_week, now.chased_unheard) == (built.chased_week, built.chased_unheard)
            assert render_digest(now) == render_digest(built)
            if overseer is None and own is None:  # the lists' both forms: one by one, and summed up per unit
                assert built.blocked and built.silent_units and built.chased_week and built.overdue
                assert len(built.overdue) > 15 or days != 25
        assert await digest_now(session, today, None, 999_999) is None


async def test_an_empty_scope_is_an_empty_tally(engine: AsyncEngine, tmp_path: Path) -> None:
    await _varied(engine, tmp_path)
    async with db.session_scope(engine) as session:
        counted = await tally(session, TODAY, None, 999_999)
    assert (counted.tasks, counted.lights, counted.documents, counted.overdue) == (0, {}, [], [])
    assert set(counted.counts.values()) == {0}
