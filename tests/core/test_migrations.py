"""The Alembic revisions build exactly the schema the models describe, on both backends."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

import bot.core.models  # noqa: F401
from bot.core import db

NOW = dt.datetime(2025, 3, 3, 1, 30, tzinfo=dt.UTC)


async def test_migrated_schema_matches_the_models(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), SQLModel.metadata
            )
        )
    assert diff == []


async def test_ensure_schema_is_a_no_op_at_head(engine: AsyncEngine) -> None:
    assert (await db.current_revision(engine))[0] == db.head_revision()
    await db.ensure_schema(engine)
    assert (await db.current_revision(engine))[0] == db.head_revision()


async def test_digest_runs_doubled_before_0008_are_reduced_to_one_and_cannot_double_again(store_url: str) -> None:
    """A store at 0007 with a week's digest run written twice (the doubled digest the tick lock fixed): the
    upgrade keeps the first of the pair, and the unique index refuses a third."""
    engine = db.make_engine(store_url)
    try:
        await asyncio.to_thread(command.upgrade, db.alembic_config(store_url), "0007")
        rows = [
            {"period": "2025-W10", "audience": "coordinators", "created_at": NOW, "snapshot": "{}", "counts": "{}"}
        ] * 2 + [{"period": "2025-W10", "audience": "unit:1", "created_at": NOW, "snapshot": "{}", "counts": "{}"}]
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO digest_run (period, audience, created_at, snapshot, counts) "
                    "VALUES (:period, :audience, :created_at, :snapshot, :counts)"
                ),
                rows,
            )
        await db.upgrade(engine)
        async with engine.connect() as conn:
            kept = (await conn.execute(text("SELECT id, audience FROM digest_run ORDER BY id"))).all()
        assert [(i, a) for i, a in kept] == [(1, "coordinators"), (3, "unit:1")]
        with pytest.raises(IntegrityError):
            async with engine.begin() as conn:
                await conn.execute(
                    text(
                        "INSERT INTO digest_run (period, audience, created_at, snapshot, counts) "
                        "VALUES (:period, :audience, :created_at, :snapshot, :counts)"
                    ),
                    rows[0],
                )
    finally:
        await engine.dispose()


async def test_the_large_columns_are_compressed_with_lz4_where_the_server_has_it(pg_schema_url: str) -> None:
    """Migration 0013: the columns a Monday tick fills with megabytes (督办单, sheet items, digest snapshots)
    are compressed with lz4, pglz's fifth, when the server was built with it; a fresh value is stored so."""
    engine = db.make_engine(pg_schema_url)
    try:
        await db.ensure_schema(engine)
        async with engine.begin() as conn:
            has_lz4 = (
                await conn.execute(
                    text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
                )
            ).scalar()
            if not has_lz4:
                pytest.skip("this PostgreSQL was built without lz4: the columns keep pglz")
            methods = dict(
                (
                    await conn.execute(
                        text(
                            "SELECT c.relname || '.' || a.attname, a.attcompression FROM pg_attribute a "
                            "JOIN pg_class c ON c.oid = a.attrelid "
                            "WHERE c.relnamespace = current_schema()::regnamespace "
                            "AND (c.relname, a.attname) IN (('outbox', 'text'), ('outbox', 'reply_markup'), "
                            "('sheet', 'items'), ('digest_run', 'snapshot'), ('report', 'text'))"
                        )
                    )
                ).all()
            )
            await conn.execute(
                text(
                    "INSERT INTO sheet (key, unit_id, items, send_at, created_at) "
                    "VALUES ('s', NULL, CAST(:items AS json), :now, :now)"
                ),
                {"items": '["' + "逾期事项" * 20_000 + '"]', "now": NOW},
            )
            stored = (await conn.execute(text("SELECT pg_column_compression(items) FROM sheet"))).scalar()
    finally:
        await engine.dispose()
    assert methods == {
        "outbox.text": "l",
        "outbox.reply_markup": "l",
        "sheet.items": "l",
        "digest_run.snapshot": "l",
        "report.text": "",  # short texts, left at the server's default
    }
    assert stored == "lz4"
