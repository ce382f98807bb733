"""Engines: the in-loop SQLite connection the offline simulation uses, and what make_engine refuses."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import String, cast, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db
from bot.core.errors import ConfigError
from bot.core.models import Outbox, Unit, table_of
from bot.core.vocab import MessageKind, OutboxStatus


async def test_in_loop_engine_stores_what_a_threaded_engine_reads_and_starts_no_thread(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'loop.db'}"
    engine = db.make_engine(url, in_loop=True)
    try:
        await db.ensure_schema(engine)
        async with db.session_scope(engine) as session:
            await session.execute(insert(Unit), [{"name": f"单位{i}"} for i in range(250)])
        async with engine.connect() as conn:
            journal = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
            foreign_keys = (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar()
        workers = [t.name for t in threading.enumerate() if "_connection_worker_thread" in t.name]
        assert workers == [], "SQLite is called in the loop's thread, not in aiosqlite's worker"
    finally:
        await engine.dispose()
    assert (journal, foreign_keys) == ("wal", 1)  # the same pragmas as every other SQLite connection
    threaded = db.make_engine(url)
    try:
        async with db.session_scope(threaded) as session:
            assert (await session.execute(select(func.count()).select_from(Unit))).scalar_one() == 250
    finally:
        await threaded.dispose()


async def test_in_loop_engine_rolls_back_a_failed_transaction(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite+aiosqlite:///{tmp_path / 'loop.db'}", in_loop=True)
    try:
        await db.ensure_schema(engine)
        with pytest.raises(RuntimeError):
            async with db.session_scope(engine) as session:
                await session.execute(insert(Unit), [{"name": "市科技局"}])
                raise RuntimeError("the caller failed")
        async with db.session_scope(engine) as session:
            assert (await session.execute(select(func.count()).select_from(Unit))).scalar_one() == 0
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    "url", ["sqlite+aiosqlite://", "sqlite+aiosqlite:///:memory:", "postgresql+psycopg://postgres@127.0.0.1:5432/test"]
)
def test_in_loop_is_refused_where_it_does_not_apply(url: str) -> None:
    with pytest.raises(ConfigError, match="in_loop"):
        db.make_engine(url, in_loop=True)


async def _error_of(url: str, sql: str = "SELECT 1") -> BaseException:
    engine = db.make_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.exec_driver_sql(sql)
    except Exception as exc:  # the error itself is what the test looks at
        return exc
    finally:
        await engine.dispose()
    raise AssertionError(f"{sql} on {url} did not fail")


async def test_store_unreachable_tells_a_database_out_of_reach_from_a_failing_statement(
    tmp_path: Path, engine: AsyncEngine
) -> None:
    refused = await _error_of("postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2")
    assert db.store_unreachable(refused)
    wrong = await _error_of(engine.url.render_as_string(hide_password=False), "SELECT * FROM no_such_table")
    assert not db.store_unreachable(wrong)
    assert not db.store_unreachable(ValueError("connection failed"))
    assert not db.store_unreachable(None)


async def test_insert_new_rows_stores_what_an_insert_stores_and_returns_only_the_new(engine: AsyncEngine) -> None:
    """db.insert_new_rows (one JSON parameter on PostgreSQL) against SQLAlchemy's own INSERT: the same stored
    values (an aware time, a vocabulary member, a JSON object and a JSON null), and only new keys come back."""
    at = dt.datetime(2025, 12, 1, 9, 30, 15, 123456, tzinfo=ZoneInfo("Asia/Shanghai"))
    markup = {"inline_keyboard": [[{"text": "① 已完成 “x” <b>&", "callback_data": "sc:1"}]]}

    def row(key: str, reply_markup: dict[str, Any] | None) -> dict[str, Any]:
        return {
            "key": key,
            "kind": MessageKind.PROMPT,
            "chat_id": 2**40,
            "text": "督办\n“引号” \\ \u0007",
            "reply_markup": reply_markup,
            "send_at": at,
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "created_at": at,
        }

    async with db.session_scope(engine) as session:
        await session.execute(insert(Outbox), [row("orm:1", markup), row("orm:2", None)])
        new = await db.insert_new_rows(
            session, table_of(Outbox), [row("bulk:1", markup), row("bulk:2", None)], returning=("key",)
        )
        assert sorted(new) == [("bulk:1",), ("bulk:2",)]
        again = await db.insert_new_rows(
            session, table_of(Outbox), [row("bulk:2", None), row("bulk:3", markup)], returning=("key",)
        )
        assert again == [("bulk:3",)]
    async with db.session_scope(engine) as session:
        stored = {
            key: rest
            for key, *rest in (
                await session.execute(
                    select(
                        Outbox.key,
                        Outbox.kind,
                        Outbox.chat_id,
                        Outbox.text,
                        Outbox.reply_markup,
                        Outbox.send_at,
                        Outbox.status,
                        Outbox.reply_markup.is_(None).label("sql_null"),
                        cast(Outbox.reply_markup, String).label("stored_text"),
                    )
                )
            ).all()
        }
    assert stored["bulk:1"] == stored["orm:1"] and stored["bulk:2"] == stored["orm:2"]
    assert stored["bulk:1"][4] == at
