"""Test helpers: run the CLI in-process, and take a snapshot of every table to compare stores."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner

from bot.cli import app
from bot.core import db
from bot.core.settings import get_settings


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, env: dict[str, str] | None = None) -> CliResult:
    """`taskbot ARGS` in this process, with fresh settings read from `env` (and the environment)."""
    get_settings.cache_clear()
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=True)
    finally:  # the CLI adds a handler on CliRunner's stream, which is closed once the call returns
        root.handlers[:] = handlers
        get_settings.cache_clear()
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return CliResult(result.exit_code, result.stdout, result.stderr)


async def snapshot(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: two equal snapshots mean an unchanged store."""
    async with engine.connect() as conn:
        meta = MetaData()
        await conn.run_sync(meta.reflect)
        out = {}
        for name, table in sorted(meta.tables.items()):
            rows = (await conn.execute(select(table))).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
        return out


def snapshot_url(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """The same, from synchronous test code, for a database that may not exist yet ({} then)."""

    async def take() -> dict[str, list[tuple[Any, ...]]]:
        engine = db.make_engine(url)
        try:
            return await snapshot(engine)
        finally:
            await engine.dispose()

    return asyncio.run(take())
