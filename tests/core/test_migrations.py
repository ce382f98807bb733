"""The Alembic revisions build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

import bot.core.models  # noqa: F401
from bot.core import db


async def test_migrated_schema_matches_the_models(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}),
                                          SQLModel.metadata))
    assert diff == []


async def test_ensure_schema_is_a_no_op_at_head(engine: AsyncEngine) -> None:
    assert (await db.current_revision(engine))[0] == db.head_revision()
    await db.ensure_schema(engine)
    assert (await db.current_revision(engine))[0] == db.head_revision()
