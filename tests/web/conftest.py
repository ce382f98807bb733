"""The web 看板 over tests/data/mini.yaml, with one more lead unit named like markup, and a client per role.

Users: COORD (COORDINATOR_IDS); LEAD, the contact of 市科技局 (leads 1.1 and 1.2); UNIT, the contact of
市财政局 (responsible for 1.2 and 2.1, leads nothing); OTHER, the contact of the unit `<script>…` that leads
9.1 only; STRANGER, nobody. 市财政局 has one report on 1.2."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat import web_access
from bot.core import db
from bot.core.models import Assignment, Report, Task, Unit
from bot.core.settings import Settings
from bot.core.vocab import Role, Status
from bot.web.app import Web, create_app
from tests.support.store import assignment_id, bind, seed

COORD, LEAD, UNIT, OTHER, STRANGER = 7770100, 7770201, 7770202, 7770203, 7770999
GROUP = -1007775001
EVIL = "<script>alert(1)</script>"
NOW = dt.datetime(2024, 5, 20, 2, 0, tzinfo=dt.UTC)


@dataclass
class Store:
    engine: AsyncEngine
    report_id: int
    task: dict[str, int]  # key → task id
    web: Web


async def _extra_lead(engine: AsyncEngine) -> None:
    async with db.session_scope(engine) as session:
        unit = Unit(name=EVIL)
        session.add(unit)
        task = Task(document_id="demo-2023", key="9.1", title="<b>粗体</b>任务", deadline=dt.date(2024, 3, 1))
        session.add(task)
        await session.flush()
        session.add(Assignment(task_id=task.id, unit_id=unit.id, role=Role.LEAD))


async def _report(engine: AsyncEngine) -> int:
    aid = await assignment_id(engine, "市财政局", "1.2")
    async with db.session_scope(engine) as session:
        report = Report(
            assignment_id=aid,
            created_at=NOW - dt.timedelta(days=1),
            user_id=UNIT,
            chat_id=UNIT,
            user_name="财政小王",
            text="已完成60%，<i>预计</i>6月底完成",
            status=Status.IN_PROGRESS,
            percent=60,
        )
        session.add(report)
        assignment = await session.get(Assignment, aid)
        assert assignment is not None
        assignment.status, assignment.percent, assignment.last_report_at = Status.IN_PROGRESS, 60, report.created_at
        await session.flush()
        return int(report.id or 0)


@pytest.fixture
async def store(sqlite_url: str) -> AsyncIterator[Store]:
    engine = db.make_engine(sqlite_url)
    await db.ensure_schema(engine)
    await seed(engine)
    await _extra_lead(engine)
    for user, unit in ((LEAD, "市科技局"), (UNIT, "市财政局"), (OTHER, EVIL)):
        await bind(engine, user, unit)
    await bind(engine, GROUP, "市发展改革局", kind="group")
    report_id = await _report(engine)
    async with db.session_scope(engine) as session:
        tasks = dict((await session.execute(select(Task.key, Task.id))).all())
    settings = Settings(coordinator_ids=[COORD], telegram_bot_token="1:secret-token-never-shown")
    web = Web(settings, lambda: engine, "http://testserver", clock=lambda: NOW)
    try:
        yield Store(engine, report_id, tasks, web)
    finally:
        await engine.dispose()


async def login_token(store: Store, user: int, now: dt.datetime = NOW) -> str:
    async with db.session_scope(store.engine) as session:
        return await web_access.issue_login(session, user, now=now, actor="test")


def client(store: Store) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store.web)), base_url="http://testserver")


async def logged_in(store: Store, user: int) -> httpx.AsyncClient:
    http = client(store)
    response = await http.post(f"/login/{await login_token(store, user)}")
    assert response.status_code == 303, response.text
    return http


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, "no CSRF token on the page"
    return found[1]
