"""`taskbot health`: each check's thresholds (pure), the facts read from a store on both backends, and the
command's lines, JSON and exit status (0 ok, 1 warnings, 2 a failed check)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db
from bot.core.models import Chat, Outbox, Unit
from bot.core.vocab import HealthCheck, HealthLevel, OutboxStatus
from bot.store.outbox import Outgoing, enqueue
from scheduler.health import Facts, judge, read_facts
from scheduler.jobs import LAST_TICK
from scheduler.snapshot import write_state
from tests.support.cli import run_cli

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2025, 6, 10, 2, 0, tzinfo=dt.UTC)
HEAD = db.head_revision()


def facts(**changes: object) -> Facts:
    base = {
        "now": NOW,
        "last_tick": NOW - dt.timedelta(seconds=40),
        "oldest_due": None,
        "due": 0,
        "failed_last_day": 0,
        "blocked_chats": 0,
        "uncovered_years": (),
        "revision": HEAD,
        "head": HEAD,
    }
    return Facts(**{**base, **changes})


def levels(report) -> dict[str, str]:
    return {c.name.value: c.level.value for c in report.checks}


@pytest.mark.parametrize(
    ("changes", "check", "level"),
    [
        ({}, None, HealthLevel.OK),
        ({"last_tick": NOW - dt.timedelta(minutes=4)}, HealthCheck.TICK, HealthLevel.WARN),
        ({"last_tick": NOW - dt.timedelta(minutes=11)}, HealthCheck.TICK, HealthLevel.FAIL),
        ({"last_tick": None}, HealthCheck.TICK, HealthLevel.FAIL),
        ({"oldest_due": NOW - dt.timedelta(minutes=2), "due": 300}, None, HealthLevel.OK),  # a broadcast going out
        ({"oldest_due": NOW - dt.timedelta(minutes=15), "due": 3}, HealthCheck.OUTBOX, HealthLevel.WARN),
        ({"oldest_due": NOW - dt.timedelta(hours=2), "due": 3}, HealthCheck.OUTBOX, HealthLevel.FAIL),
        ({"failed_last_day": 2}, HealthCheck.FAILED, HealthLevel.WARN),
        ({"blocked_chats": 1}, HealthCheck.BLOCKED, HealthLevel.WARN),
        ({"uncovered_years": (2027,)}, HealthCheck.CALENDAR, HealthLevel.WARN),
        ({"revision": "0001"}, HealthCheck.SCHEMA, HealthLevel.FAIL),
    ],
)
def test_each_check_and_the_verdict(changes: dict, check: HealthCheck | None, level: HealthLevel) -> None:
    report = judge(facts(**changes))
    assert report.level == level and report.exit_code == {"ok": 0, "warn": 1, "fail": 2}[level]
    assert [name for name, lvl in levels(report).items() if lvl != "ok"] == ([check.value] if check else [])
    assert [c.name for c in report.checks] == list(HealthCheck)
    public = report.as_json(public=True)
    assert all(set(c) == {"level", "value"} for c in public["checks"].values())


def test_the_worst_check_decides() -> None:
    report = judge(facts(blocked_chats=3, last_tick=NOW - dt.timedelta(hours=1)))
    assert report.level is HealthLevel.FAIL
    assert levels(report) == {
        "tick": "fail",
        "outbox": "ok",
        "failed": "ok",
        "blocked": "warn",
        "calendar": "ok",
        "schema": "ok",
    }
    assert "3 blocked chats" in next(c.line for c in report.checks if c.name is HealthCheck.BLOCKED)


async def test_the_facts_of_a_store(engine: AsyncEngine) -> None:
    async with db.session_scope(engine) as session:
        unit = Unit(name="市科技局")
        session.add(unit)
        await session.flush()
        session.add_all(
            [
                Chat(chat_id=1, unit_id=unit.id, kind="private"),
                Chat(chat_id=2, unit_id=unit.id, kind="private", blocked_at=NOW - dt.timedelta(days=3)),
            ]
        )
        await write_state(session, LAST_TICK, (NOW - dt.timedelta(seconds=30)).isoformat())
        await enqueue(
            session,
            [
                Outgoing(
                    key=f"m{i}", kind="reminder", text="提醒", send_at=NOW - dt.timedelta(minutes=minutes), chat_id=1
                )
                for i, minutes in enumerate((25, 5, -60, 3000, 20, 26))
            ],
        )
        # m0 due 25 min ago; m1 due 5 min ago; m2 due in an hour (not counted); m3 failed two days ago (not counted);
        # m4 failed 20 minutes ago; m5 waits for its backoff (not counted)
        await session.execute(update(Outbox).where(Outbox.key.in_(["m3@1", "m4@1"])).values(status=OutboxStatus.FAILED))
        await session.execute(
            update(Outbox).where(Outbox.key == "m5@1").values(next_attempt_at=NOW + dt.timedelta(minutes=1))
        )
    found = await read_facts(engine, NOW, TZ)
    assert found.last_tick == NOW - dt.timedelta(seconds=30)
    assert (found.due, found.oldest_due) == (2, NOW - dt.timedelta(minutes=25))
    assert (found.failed_last_day, found.blocked_chats) == (1, 1)
    assert found.uncovered_years == () and found.revision == found.head
    assert levels(judge(found)) == {
        "tick": "ok",
        "outbox": "warn",
        "failed": "warn",
        "blocked": "warn",
        "calendar": "ok",
        "schema": "ok",
    }
    late = await read_facts(engine, dt.datetime(2026, 12, 1, tzinfo=dt.UTC), TZ)  # chinesecalendar ends with 2026
    assert late.uncovered_years == (2027,)


def _tasks(path: Path, calendar: str = "") -> Path:
    path.write_text(
        "version: 1\ntimezone: Asia/Shanghai\n" + calendar + "units:\n  - name: 市科技局\n"
        "documents:\n  - id: d\n    title: 方案\n    issuer: 市科技局\n    issued: 2025-01-01\n"
        '    tasks:\n      - id: "1"\n        title: 任务\n        lead: [市科技局]\n'
        "        deadline: 2030-12-31\n",
        encoding="utf-8",
    )
    return path


def _tick_now(url: str, ago: dt.timedelta = dt.timedelta(0)) -> None:
    """The scheduler's mark, as a tick `ago` would have left it."""

    async def write() -> None:
        engine = db.make_engine(url)
        try:
            async with db.session_scope(engine) as session:
                await write_state(session, LAST_TICK, (dt.datetime.now(dt.UTC) - ago).isoformat())
        finally:
            await engine.dispose()

    asyncio.run(write())


def test_the_command_lines_json_and_exit_status(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
    env = {"DATABASE_URL": url}
    missing = run_cli("health", env=env)
    assert missing.exit_code == 2 and "no database file" in missing.stdout
    assert not (tmp_path / "store.db").exists()  # looking did not create a store
    years = range(dt.date.today().year, dt.date.today().year + 3)
    calendar = "calendar: {holidays: [" + ", ".join(f"{y}-10-01" for y in years) + "]}\n"
    assert run_cli("import", str(_tasks(tmp_path / "tasks.yaml", calendar)), env=env).exit_code == 0
    never = run_cli("health", env=env)
    assert never.exit_code == 2 and "fail  tick      no tick yet" in never.stdout
    _tick_now(url)
    healthy = run_cli("health", env=env)
    assert healthy.exit_code == 0, healthy.stdout
    assert healthy.stdout.splitlines()[-1] == "health: ok" and len(healthy.stdout.splitlines()) == 7
    assert run_cli("import", str(_tasks(tmp_path / "tasks.yaml")), env=env).exit_code == 0  # calendar: gone
    without = run_cli("health", "--json", env=env)
    body = json.loads(without.stdout)
    # the package ends with 2026: from November 2026 the next 60 days reach a year it does not know
    expect_warn = dt.date.today() + dt.timedelta(days=60) >= dt.date(2027, 1, 1)
    assert without.exit_code == (1 if expect_warn else 0)
    assert body["checks"]["calendar"]["level"] == ("warn" if expect_warn else "ok")
    assert body["checks"]["tick"]["level"] == "ok" and "detail" in body["checks"]["tick"]
    _tick_now(url, ago=dt.timedelta(hours=1))
    stale = run_cli("health", "--json", env=env)
    assert stale.exit_code == 2 and json.loads(stale.stdout)["status"] == "fail"


def test_a_store_that_does_not_answer_is_a_failure() -> None:
    result = run_cli("health", env={"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none"})
    assert result.exit_code == 2 and "does not answer" in result.stdout
