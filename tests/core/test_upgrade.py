"""Upgrade from the oldest migration (issue 14): a store created by revision 0001 and filled as a bot of that
time would have (the seed documents imported, chats bound, reports, outbox rows sent and pending, the audit
log), then `taskbot db upgrade`: nothing lost, and the bot runs on it — the scheduler ticks, the sender sends
what was pending, `taskbot health` finds the schema current. On both backends."""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from alembic import command
from sqlalchemy import MetaData, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db
from bot.core.models import Outbox
from bot.core.vocab import OutboxStatus
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog
from scheduler.jobs import tick
from scheduler.sender import Pacer, SenderConfig, drain
from scheduler.transport import MemoryTransport
from tests.conftest import ROOT
from tests.support.cli import run_cli

OLDEST = "0001"
TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2025, 3, 3, 1, 30, tzinfo=dt.UTC)


async def _nosleep(_seconds: float) -> None:
    return None


async def _tables(engine: AsyncEngine) -> dict[str, Any]:
    meta = MetaData()
    async with engine.connect() as conn:
        await conn.run_sync(meta.reflect)
    return meta.tables


async def _import_through_oldest_columns(engine: AsyncEngine, url: str) -> None:
    """tasks.yaml imported by today's importer into a scratch store at head, then copied into the old store
    table by table through the columns the old schema has (a column added since is left behind)."""
    scratch_url = url.replace(".db", "-scratch.db") if url.startswith("sqlite") else None
    if scratch_url is None:  # PostgreSQL: a scratch SQLite file beside nothing; the copy is by rows
        scratch_url = "sqlite+aiosqlite:///" + str(Path(tempfile.mkdtemp()) / "scratch.db")
    scratch = db.make_engine(scratch_url)
    try:
        await db.ensure_schema(scratch)
        async with db.session_scope(scratch) as session:
            await import_catalog(session, load_catalog(ROOT / "data" / "tasks.yaml"), actor="test")
        source, target = await _tables(scratch), await _tables(engine)
        order = [t for t in sorted(target) if t in source and t != "alembic_version"]
        async with scratch.connect() as read, engine.begin() as write:
            for table in _dependency_order(target, order):
                columns = [c.name for c in target[table].columns if c.name in source[table].c]
                rows = [dict(r._mapping) for r in await read.execute(select(*(source[table].c[c] for c in columns)))]
                if rows:
                    await write.execute(insert(target[table]), rows)
                integer_id = "id" in target[table].c and target[table].c["id"].type.python_type is int
                if engine.dialect.name == "postgresql" and integer_id and rows:
                    await write.execute(
                        text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                    )  # ids were copied, not drawn
    finally:
        await scratch.dispose()


def _dependency_order(tables: dict[str, Any], names: list[str]) -> list[str]:
    done: list[str] = []
    while len(done) < len(names):
        for name in names:
            deps = {fk.column.table.name for fk in tables[name].foreign_keys} - {name}
            if name not in done and deps <= set(done) | (deps - set(names)):
                done.append(name)
    return done


async def _fill_at_oldest(url: str) -> None:
    """The oldest schema, filled through its own columns (reflected: the models are today's)."""
    await asyncio.to_thread(command.upgrade, db.alembic_config(url), OLDEST)
    engine = db.make_engine(url)
    try:
        assert (await db.current_revision(engine))[0] == OLDEST
        await _import_through_oldest_columns(engine, url)
        tables = await _tables(engine)
        async with engine.begin() as conn:
            units = (await conn.execute(select(tables["unit"].c.id).order_by(tables["unit"].c.id).limit(5))).scalars()
            units = list(units)
            await conn.execute(
                insert(tables["chat"]),
                [
                    {"chat_id": 5000 + i, "unit_id": unit, "kind": "private", "title": f"联络员{i}", "bound_at": NOW}
                    for i, unit in enumerate(units)
                ],
            )
            assignments = list(
                (
                    await conn.execute(
                        select(tables["assignment"].c.id, tables["assignment"].c.unit_id)
                        .where(tables["assignment"].c.unit_id.in_(units))
                        .limit(5)
                    )
                ).all()
            )
            await conn.execute(
                insert(tables["report"]),
                [
                    {
                        "assignment_id": a,
                        "created_at": NOW,
                        "chat_id": 5000 + units.index(u),
                        "user_id": 77,
                        "source": "text",
                        "text": f"已完成第{i}项",
                        "status": "done",
                    }
                    for i, (a, u) in enumerate(assignments)
                ],
            )
            await conn.execute(
                insert(tables["outbox"]),
                [
                    {
                        "key": f"old:{i}@{5000 + i % 5}",
                        "kind": "reminder",
                        "chat_id": 5000 + i % 5,
                        "text": f"旧提醒{i}",
                        "send_at": NOW - dt.timedelta(hours=1),
                        "status": OutboxStatus.SENT if i < 4 else OutboxStatus.PENDING,
                        "attempts": 1 if i < 4 else 0,
                        "message_id": i + 1 if i < 4 else None,
                        "created_at": NOW,
                    }
                    for i in range(10)
                ],
            )
    finally:
        await engine.dispose()


async def _columns(url: str) -> dict[str, set[str]]:
    engine = db.make_engine(url)
    try:
        return {name: {c.name for c in table.c} for name, table in (await _tables(engine)).items()}
    finally:
        await engine.dispose()


async def _rows(url: str, columns: dict[str, set[str]]) -> dict[str, list[tuple]]:
    """Every row of every table of the oldest schema, by its columns then (a later revision may add some)."""
    engine = db.make_engine(url)
    try:
        out = {}
        tables = await _tables(engine)
        async with engine.connect() as conn:
            for name in sorted(columns):
                if name == "alembic_version":
                    continue
                rows = (await conn.execute(select(tables[name]))).mappings().all()
                out[name] = sorted(
                    tuple(sorted((k, repr(v)) for k, v in row.items() if k in columns[name])) for row in rows
                )
        return out
    finally:
        await engine.dispose()


async def _run_the_bot(url: str) -> tuple[dict[str, int], list[str], int]:
    """What `taskbot run` does first (ensure_schema), a tick, and a drain of the outbox."""
    engine = db.make_engine(url)
    try:
        await db.ensure_schema(engine)
        await tick(engine, NOW, TZ, coordinators=(901,))
        transport = MemoryTransport()
        pacer = Pacer(SenderConfig(), lambda: 0.0, _nosleep)
        result = await drain(engine, transport, now=lambda: NOW, worker="w", pacer=pacer)
        async with db.session_scope(engine) as session:
            statuses = dict(
                (
                    await session.execute(
                        select(Outbox.status, func.count()).where(Outbox.key.like("old:%")).group_by(Outbox.status)
                    )
                ).all()
            )
        return statuses, sorted(m.text for m in transport.sent if m.text.startswith("旧提醒")), result.sent
    finally:
        await engine.dispose()


def test_a_store_of_the_oldest_revision_upgrades_losing_nothing_and_the_bot_runs(store_url: str) -> None:
    asyncio.run(_fill_at_oldest(store_url))
    columns = asyncio.run(_columns(store_url))
    before = asyncio.run(_rows(store_url, columns))
    env = {"DATABASE_URL": store_url}
    refused = run_cli("summary", env=env)  # an outdated store is refused, untouched
    assert refused.exit_code == 2 and "taskbot db upgrade" in refused.stderr
    upgraded = run_cli("db", "upgrade", env=env)
    assert upgraded.exit_code == 0, upgraded.stderr
    assert f"schema {OLDEST} → {db.head_revision()}" in upgraded.stdout
    after = asyncio.run(_rows(store_url, columns))
    counts = {name: len(rows) for name, rows in before.items()}
    print(f"\n[upgrade {OLDEST} → {db.head_revision()}] rows kept: {counts}")
    assert after == before
    assert counts["task"] == 79 and counts["report"] == 5 and counts["outbox"] == 10 and counts["audit_log"] > 0
    statuses, resent, sent = asyncio.run(_run_the_bot(store_url))
    assert statuses == {OutboxStatus.SENT: 10}  # the pending ones went out, the sent ones not again
    assert resent == [f"旧提醒{i}" for i in range(4, 10)] and sent >= 6
    health = run_cli("health", "--json", env=env)
    assert '"schema": {\n      "level": "ok"' in health.stdout
