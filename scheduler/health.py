"""Is the bot healthy? `taskbot health` and the webhook server's /healthz answer from here.

Facts are read from the store (`read_facts`, a handful of queries, nothing written) and judged by a pure
function (`judge`) with the clock as a parameter, so each threshold is tested without a running bot.

What is checked, and why those limits (`Limits`):
- **tick** — the scheduler writes its mark every minute. Older than 3 minutes is a warning (a slow tick, a
  restart), older than 10 a failure: no process is planning, so no reminder will go out. A store that was
  never ticked fails too (the bot never ran on it).
- **outbox** — the oldest row that is due (pending, its send time and any backoff past, or claimed by a
  sender whose lease ran out) and not sent. A drain sends ~29 a second, so even a 10,000-chat broadcast is
  out in six minutes: over 10 minutes is a warning, over an hour a failure (Telegram unreachable, or no
  sender running). Rows waiting for their backoff are not counted: they wait by design.
- **failed** — rows that failed in the last day (by when they were last tried): a warning, with
  `taskbot outbox` to see why.
- **blocked** — chats that blocked the bot or removed it from the group: a warning (the unit gets nothing
  until it binds a chat again).
- **calendar** — every year in the next 60 days is known to the workday calendar (the package or the
  tasks file's `calendar:`): a warning otherwise, since reminders then fall on Monday–Friday only.
- **schema** — the store's Alembic revision is this code's head: a failure otherwise (the bot refuses to
  start on it; `taskbot db upgrade`).

The verdict is the worst check: ok (exit 0), warn (1), fail (2). `/healthz` tells only the levels and the
ages — no unit, chat or text — and needs no secret; the full lines are for the operator's console.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from bot.core import db
from bot.core.models import Chat, Outbox
from bot.core.vocab import HealthCheck, HealthLevel, OutboxStatus
from scheduler.jobs import LAST_TICK
from scheduler.sender import SenderConfig
from scheduler.snapshot import load_calendar, read_state
from scheduler.workdays import WorkCalendar

CALENDAR_AHEAD = dt.timedelta(days=60)
EXIT_CODES = {HealthLevel.OK: 0, HealthLevel.WARN: 1, HealthLevel.FAIL: 2}
_ORDER = (HealthLevel.OK, HealthLevel.WARN, HealthLevel.FAIL)


@dataclass(frozen=True)
class Limits:
    tick_warn: dt.timedelta = dt.timedelta(minutes=3)
    tick_fail: dt.timedelta = dt.timedelta(minutes=10)
    outbox_warn: dt.timedelta = dt.timedelta(minutes=10)
    outbox_fail: dt.timedelta = dt.timedelta(hours=1)
    lease: dt.timedelta = SenderConfig().lease


@dataclass(frozen=True)
class Facts:
    """What the store says, read at `now`."""

    now: dt.datetime
    last_tick: dt.datetime | None
    oldest_due: dt.datetime | None  # send time (or retry time) of the oldest row due and not sent
    due: int  # how many rows are due and not sent
    failed_last_day: int
    blocked_chats: int
    uncovered_years: tuple[int, ...]  # years within CALENDAR_AHEAD the calendar does not know
    revision: str | None
    head: str


@dataclass(frozen=True)
class Check:
    name: HealthCheck
    level: HealthLevel
    line: str  # for the operator: what was found and what to do
    value: float | int | str | None  # the measure itself (seconds, a count, a revision); public in /healthz


@dataclass(frozen=True)
class Report:
    level: HealthLevel
    checks: tuple[Check, ...]

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.level]

    def as_json(self, *, public: bool = False) -> dict[str, Any]:
        """The report as JSON; `public` (for /healthz) drops the lines, which may name years and revisions,
        and keeps levels and numbers."""
        checks = {
            c.name.value: (
                {"level": c.level.value, "value": c.value}
                if public
                else {"level": c.level.value, "value": c.value, "detail": c.line}
            )
            for c in self.checks
        }
        return {"status": self.level.value, "checks": checks}


def _age(then: dt.datetime | None, now: dt.datetime) -> float | None:
    return None if then is None else max(0.0, (now - then).total_seconds())


def _minutes(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def _by_age(age: float | None, warn: dt.timedelta, fail: dt.timedelta) -> HealthLevel:
    if age is None or age > fail.total_seconds():
        return HealthLevel.FAIL
    return HealthLevel.WARN if age > warn.total_seconds() else HealthLevel.OK


def judge(facts: Facts, limits: Limits = Limits()) -> Report:
    """Pure: the facts → one check each and the verdict."""
    checks: list[Check] = []
    tick_age = _age(facts.last_tick, facts.now)
    level = _by_age(tick_age, limits.tick_warn, limits.tick_fail)
    checks.append(
        Check(
            HealthCheck.TICK,
            level,
            "no tick yet: the bot has never run on this store"
            if tick_age is None
            else f"last tick {_minutes(tick_age)} ago"
            + ("" if level is HealthLevel.OK else ": is `taskbot run` running?"),
            tick_age,
        )
    )
    due_age = _age(facts.oldest_due, facts.now)
    level = HealthLevel.OK if due_age is None else _by_age(due_age, limits.outbox_warn, limits.outbox_fail)
    checks.append(
        Check(
            HealthCheck.OUTBOX,
            level,
            "nothing waiting to be sent"
            if due_age is None
            else f"{facts.due} due, the oldest for {_minutes(due_age)}"
            + ("" if level is HealthLevel.OK else ": is Telegram reachable, is a sender running?"),
            due_age or 0.0,
        )
    )
    checks.append(
        Check(
            HealthCheck.FAILED,
            HealthLevel.WARN if facts.failed_last_day else HealthLevel.OK,
            f"{facts.failed_last_day} failed in the last day"
            + (": see `taskbot outbox`" if facts.failed_last_day else ""),
            facts.failed_last_day,
        )
    )
    checks.append(
        Check(
            HealthCheck.BLOCKED,
            HealthLevel.WARN if facts.blocked_chats else HealthLevel.OK,
            f"{facts.blocked_chats} blocked chats"
            + (": see /units; re-bind with `taskbot invite`" if facts.blocked_chats else ""),
            facts.blocked_chats,
        )
    )
    years = ", ".join(map(str, facts.uncovered_years))
    checks.append(
        Check(
            HealthCheck.CALENDAR,
            HealthLevel.WARN if facts.uncovered_years else HealthLevel.OK,
            f"holidays of {years} unknown within {CALENDAR_AHEAD.days} days: add them to `calendar:` in "
            "tasks.yaml (or upgrade chinesecalendar)"
            if facts.uncovered_years
            else f"workdays known for the next {CALENDAR_AHEAD.days} days",
            len(facts.uncovered_years),
        )
    )
    current = facts.revision == facts.head
    checks.append(
        Check(
            HealthCheck.SCHEMA,
            HealthLevel.OK if current else HealthLevel.FAIL,
            f"schema {facts.revision}"
            if current
            else f"schema {facts.revision or 'empty'}, this code needs {facts.head}: `taskbot db upgrade`",
            "current" if current else "outdated",
        )
    )
    worst = max((c.level for c in checks), key=_ORDER.index)
    return Report(worst, tuple(checks))


def unreachable_report(reason: str) -> Report:
    """The store did not answer: every check that needs it fails."""
    return Report(
        HealthLevel.FAIL,
        (Check(HealthCheck.SCHEMA, HealthLevel.FAIL, f"the store does not answer: {reason}", "unreachable"),),
    )


async def read_facts(engine: AsyncEngine, now: dt.datetime, tz: ZoneInfo, limits: Limits = Limits()) -> Facts:
    """A few read-only queries; an empty or outdated store reads as such (the schema check fails)."""
    revision, has_tables = await db.current_revision(engine)
    head = db.head_revision()
    if revision != head:
        return Facts(now, None, None, 0, 0, 0, (), revision if has_tables else None, head)
    async with db.session_scope(engine) as session:
        raw = await read_state(session, LAST_TICK)
        due = (
            (col(Outbox.status) == OutboxStatus.PENDING)
            & (col(Outbox.send_at) <= now)
            & (col(Outbox.next_attempt_at).is_(None) | (col(Outbox.next_attempt_at) <= now))
        ) | ((col(Outbox.status) == OutboxStatus.SENDING) & (col(Outbox.claimed_at) < now - limits.lease))
        since = func.coalesce(col(Outbox.next_attempt_at), col(Outbox.send_at))
        count, oldest = (await session.execute(select(func.count(), func.min(since)).where(due))).one()
        failed = (
            await session.execute(
                select(func.count()).where(
                    col(Outbox.status) == OutboxStatus.FAILED,
                    func.coalesce(col(Outbox.claimed_at), col(Outbox.send_at)) >= now - dt.timedelta(days=1),
                )
            )
        ).scalar_one()
        blocked = (await session.execute(select(func.count()).where(col(Chat.blocked_at).is_not(None)))).scalar_one()
        calendar: WorkCalendar = await load_calendar(session)
    today = now.astimezone(tz).date()
    return Facts(
        now,
        dt.datetime.fromisoformat(raw) if raw else None,
        oldest,
        count,
        failed,
        blocked,
        tuple(calendar.uncovered_years(today, today + CALENDAR_AHEAD)),
        revision,
        head,
    )


async def check(engine: AsyncEngine, now: dt.datetime, tz: ZoneInfo, limits: Limits = Limits()) -> Report:
    """Read and judge; a store that does not answer is a failed report, not an exception."""
    try:
        facts = await read_facts(engine, now, tz, limits)
    except (SQLAlchemyError, OSError) as exc:  # down, refusing, or not a database at all
        cause = getattr(exc, "orig", None) or exc
        return unreachable_report(f"{type(cause).__name__}: {(str(cause).splitlines() or [''])[0][:200]}")
    return judge(facts, limits)
