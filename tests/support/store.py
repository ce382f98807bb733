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
from bot.core.models import Assignment, AuditLog, Chat, Outbox, Report, Sheet, Task, Unit
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
        return (
            await session.execute(
                select(Assignment.id)
                .join(Unit, Unit.id == Assignment.unit_id)
                .join(Task, Task.id == Assignment.task_id)
                .where(Unit.name == unit, Task.key == key)
            )
        ).scalar_one()


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
    return [
        a.action for a in await rows(engine, select(AuditLog).where(AuditLog.actor != "test").order_by(AuditLog.id))
    ]


@asynccontextmanager
async def application_on(
    engine: AsyncEngine, url: str, token: str, coordinators: list[int]
) -> AsyncIterator[tuple[Application, FakeBotApi]]:
    """The real Application (every handler, no jobs) on `engine`, its Bot API a local fake server."""
    api = FakeBotApi()  # shut down in 50 ms rather than serve_forever's default half second
    api.thread = threading.Thread(target=api.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    with api:
        settings = Settings(
            telegram_bot_token=token, telegram_base_url=api.base_url, database_url=url, coordinator_ids=coordinators
        )
        app = build_application(settings, job_installers=[], engine=engine)
        await app.initialize()
        try:
            yield app, api
        finally:
            await app.shutdown()


SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def cst(day: str, hour: int = 10) -> dt.datetime:
    """A moment in Asia/Shanghai (no DST there): `cst("2024-06-05")` is 10:00 that day."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SHANGHAI)


async def seed_rankings(engine: AsyncEngine) -> None:
    """mini.yaml plus a June 2024 to rank (period 2024-06-01 … 2024-06-30):

    - 市科技局 leads 1.2 (due 06-30) and never reports, but the task is marked 办结 on 06-25: on time, 1/1;
      an escalation about 市财政局's 1.2 in its 督办单 is not its to answer;
    - 市财政局's 1.2 was extended to 07-31 (not due in June); a 督办单 item delivered 06-03 is answered on 06-05
      (1/1); a second 督办单 that reached no chat (skipped) is no prompt;
    - 蓬江区人民政府 got an old-style prompt row (no 督办单) on 06-10 and never answered: 0/1;
    - 江海区人民政府 is held to 06-10 for 1.1 (its deadline_override) and reports it done on 07-02, after June:
      due 1, on time 0, 20 days overdue at the end of June;
    - 新会区人民政府's assignment on 1.1 is archived.
    Ranked for June: 市科技局 100 (1), 市财政局 100 (1), 蓬江区人民政府 80 (3), 江海区人民政府 61 (4).
    """
    await seed(engine)
    finance = await assignment_id(engine, "市财政局", "1.2")
    pengjiang = await assignment_id(engine, "蓬江区人民政府", "1.1")
    jianghai = await assignment_id(engine, "江海区人民政府", "1.1")
    xinhui = await assignment_id(engine, "新会区人民政府", "1.1")
    finance_unit, science_unit = await unit_id(engine, "市财政局"), await unit_id(engine, "市科技局")
    async with db.session_scope(engine) as session:
        task = (await session.execute(select(Task).where(Task.key == "1.2"))).scalar_one()
        task.closed_at = cst("2024-06-25")
        (await session.get(Assignment, finance)).deadline_override = dt.date(2024, 7, 31)
        (await session.get(Assignment, xinhui)).archived = True
        done = await session.get(Assignment, jianghai)
        done.status, done.last_report_at = "done", cst("2024-07-02")
        done.deadline_override = dt.date(2024, 6, 10)
        session.add_all(
            [
                Report(assignment_id=finance, created_at=cst("2024-06-05"), text="正在推进", status="in_progress"),
                Report(assignment_id=jianghai, created_at=cst("2024-07-02"), text="已完成", status="done"),
            ]
        )
        answered = await session.get(Assignment, finance)
        answered.status, answered.last_report_at = "in_progress", cst("2024-06-05")
        own = {"n": 1, "assignment_id": finance, "kind": "prompt", "own": True, "ref": "示例 1.2"}
        escalation = {"n": 1, "assignment_id": finance, "kind": "escalation", "own": False, "ref": "示例 1.2"}
        sheets = [
            Sheet(key="s1", unit_id=finance_unit, items=[own], send_at=cst("2024-06-03", 9)),
            Sheet(key="s2", unit_id=finance_unit, items=[own], send_at=cst("2024-06-12", 9)),
            Sheet(key="s3", unit_id=science_unit, items=[escalation], send_at=cst("2024-06-03", 9)),
        ]
        session.add_all(sheets)
        await session.flush()
        session.add_all(
            [
                Outbox(
                    key="o1",
                    kind="prompt",
                    unit_id=finance_unit,
                    chat_id=1,
                    assignment_id=finance,
                    text="…",
                    send_at=cst("2024-06-03", 9),
                    status="sent",
                    sent_at=cst("2024-06-03", 9),
                    sheet_id=sheets[0].id,
                ),
                Outbox(
                    key="o2",
                    kind="prompt",
                    unit_id=finance_unit,
                    assignment_id=finance,
                    text="…",
                    send_at=cst("2024-06-12", 9),
                    status="skipped",
                    sheet_id=sheets[1].id,
                ),
                Outbox(
                    key="o3",
                    kind="escalation",
                    unit_id=science_unit,
                    chat_id=2,
                    text="…",
                    send_at=cst("2024-06-03", 9),
                    status="sent",
                    sent_at=cst("2024-06-03", 9),
                    sheet_id=sheets[2].id,
                ),
                Outbox(
                    key="o4",
                    kind="prompt",
                    chat_id=3,
                    assignment_id=pengjiang,
                    text="…",
                    send_at=cst("2024-06-10", 9),
                    status="sent",
                    sent_at=cst("2024-06-10", 9),
                ),
            ]
        )
