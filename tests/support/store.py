"""Helpers for the conversation tests: the mini store, assignment ids, chats bound directly."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import Application

from bot.app import build_application
from bot.core import db
from bot.core.models import Assignment, AuditLog, Chat, Task, Unit
from bot.core.settings import Settings
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog
from tests.conftest import DATA
from tests.support.fakebotapi import FakeBotApi

TZ_NOW = dt.datetime.now(dt.UTC)


async def seed(engine: AsyncEngine, tasks: str = "mini.yaml") -> None:
    """tests/data/mini.yaml: 市科技局 leads 1.1 and 1.2; 市财政局 is responsible for 1.2 and 2.1; …"""
    async with db.session_scope(engine) as session:
        await import_catalog(session, load_catalog(DATA / tasks), actor="test")


async def unit_id(engine: AsyncEngine, name: str) -> int:
    async with db.session_scope(engine) as session:
        return (await session.execute(select(Unit.id).where(Unit.name == name))).scalar_one()


async def assignment_id(engine: AsyncEngine, unit: str, key: str) -> int:
    async with db.session_scope(engine) as session:
        return (await session.execute(
            select(Assignment.id).join(Unit, Unit.id == Assignment.unit_id).join(Task, Task.id == Assignment.task_id)
            .where(Unit.name == unit, Task.key == key))).scalar_one()


async def bind(engine: AsyncEngine, chat_id: int, unit: str, kind: str = "private") -> None:
    uid = await unit_id(engine, unit)
    async with db.session_scope(engine) as session:
        session.add(Chat(chat_id=chat_id, unit_id=uid, kind=kind, title=unit))


async def get(engine: AsyncEngine, model: type, key: Any) -> Any:
    async with db.session_scope(engine) as session:
        return await session.get(model, key)


async def rows(engine: AsyncEngine, stmt: Any) -> list[Any]:
    async with db.session_scope(engine) as session:
        return list((await session.execute(stmt)).scalars().all())


async def audit_actions(engine: AsyncEngine) -> list[str]:
    return [a.action for a in await rows(engine, select(AuditLog).where(AuditLog.actor != "test")
                                         .order_by(AuditLog.id))]


@asynccontextmanager
async def application_on(engine: AsyncEngine, url: str, token: str, coordinators: list[int]
                         ) -> AsyncIterator[tuple[Application, FakeBotApi]]:
    """The real Application (every handler, no jobs) on `engine`, its Bot API a local fake server."""
    api = FakeBotApi()     # shut down in 50 ms rather than serve_forever's default half second
    api.thread = threading.Thread(target=api.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    with api:
        settings = Settings(telegram_bot_token=token, telegram_base_url=api.base_url, database_url=url,
                            coordinator_ids=coordinators)
        app = build_application(settings, job_installers=[], engine=engine)
        await app.initialize()
        try:
            yield app, api
        finally:
            await app.shutdown()
