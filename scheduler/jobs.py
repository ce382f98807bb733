"""The scheduler's jobs: the tick (plan → outbox), the weekly digest, and the send loop.

The database is the source of truth (SPEC, FIELD-NOTES): no reminder is ever a job of its own. One
periodic job, every minute, asks the planner what became due since the last tick and writes it to the
outbox in the same transaction that moves the "last tick" mark, so a crash replays the window and the
outbox's unique keys drop what was already there. A second job drains the outbox.

Time, where the SPEC is silent:
- The first tick of a new store starts at local midnight of its day (so today's 09:30 messages still
  go out if the bot starts at 09:31), never earlier: a new install does not replay history.
- After downtime, the window reaches back at most `CATCH_UP` (7 days): what was missed goes out once,
  but a bot that was off for a month does not flood every chat with a month of prompts.
- The clock going backwards (an NTP step) moves nothing back: the mark only ever moves forward, so the
  hour is not planned twice; a step forward is a wide window, planned once.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot import db
from bot.digest import build_digest, render_digest
from bot.models import Assignment, AuditLog, DigestRun, Task, Unit
from bot.outbox import Outgoing, enqueue
from bot.prompts import PromptContext, render_prompt
from bot.store import digest_rows, target_rows
from scheduler.planner import DueMessage, plan
from scheduler.snapshot import Snapshot, load_calendar, load_snapshot, read_state, write_state

log = logging.getLogger("taskbot.scheduler")

LAST_TICK = "scheduler.last_tick"
CATCH_UP = dt.timedelta(days=7)
DIGEST_SEND_AT = "09:30"


@dataclass
class TickResult:
    window_start: dt.datetime
    now: dt.datetime
    due: int = 0
    enqueued: int = 0
    digests: int = 0
    kinds: dict[str, int] = field(default_factory=dict)


def window_start_for(last_tick: dt.datetime | None, now: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """Pure: where this tick's window begins (see the module docstring)."""
    if last_tick is None:
        local = now.astimezone(tz)
        return dt.datetime.combine(local.date(), dt.time(0), tzinfo=tz)
    return max(last_tick, now - CATCH_UP)


def render_due(message: DueMessage, snapshot: Snapshot, today: dt.date) -> Outgoing:
    """A planned message as outbox text and buttons (the digest markers are handled by `run_digests`)."""
    view = snapshot.views[message.assignment_id]
    payload = message.payload
    deadline = dt.date.fromisoformat(payload["deadline"]) if payload.get("deadline") else None
    ctx = PromptContext(kind=message.kind, document=snapshot.documents[view.document_id], task_key=view.task_key,
                        task_title=view.task_title, unit=view.unit_name, role=view.role, deadline=deadline,
                        today=today, assignment_id=view.assignment_id,
                        reminders=int(payload.get("overdue_count", 0)))
    text, markup = render_prompt(ctx)
    return Outgoing(key=message.key, kind=message.kind, text=text, send_at=message.send_at,
                    unit_id=message.unit_id, assignment_id=message.assignment_id, reply_markup=markup)


def coordinator_copies(message: Outgoing, coordinators: tuple[int, ...]) -> list[Outgoing]:
    """A message for "the coordinators" (unit None) becomes one per coordinator's private chat."""
    return [Outgoing(key=message.key, kind=message.kind, text=message.text, send_at=message.send_at,
                     chat_id=user_id, assignment_id=message.assignment_id, reply_markup=None)
            for user_id in coordinators]


async def tick(engine: AsyncEngine, now: dt.datetime, tz: ZoneInfo, coordinators: tuple[int, ...] = (),
               digest_send_at: str | None = DIGEST_SEND_AT) -> TickResult:
    """Plan the window since the last tick and write what is due to the outbox, atomically."""
    async with db.session_scope(engine) as session:
        raw = await read_state(session, LAST_TICK)
        last = dt.datetime.fromisoformat(raw) if raw else None
        start = window_start_for(last, now, tz)
        result = TickResult(window_start=start, now=now)
        if last is not None and now <= last:
            return result  # the clock went back, or two ticks in one instant: nothing new to plan
        snapshot = await load_snapshot(session, has_coordinators=bool(coordinators))
        calendar = await load_calendar(session)
        due = plan(now, start, snapshot.plan_input, calendar, tz, digest_send_at=digest_send_at)
        outgoing: list[Outgoing] = []
        for message in due:
            result.kinds[message.kind] = result.kinds.get(message.kind, 0) + 1
            if message.kind == "digest":
                result.digests += await run_digests(session, message, tz, coordinators)
                continue
            rendered = render_due(message, snapshot, message.send_at.astimezone(tz).date())
            outgoing += coordinator_copies(rendered, coordinators) if message.unit_id is None else [rendered]
        result.due = len(due)
        result.enqueued = (await enqueue(session, outgoing)).inserted
        await write_state(session, LAST_TICK, now.isoformat())
    if result.enqueued:
        log.info("tick %s → %s: %d due, %d new in the outbox", start, now, result.due, result.enqueued)
    return result


async def run_digests(session: AsyncSession, marker: DueMessage, tz: ZoneInfo, coordinators: tuple[int, ...]) -> int:
    """The weekly digest: one to each lead unit (its tasks) and one to the coordinators (all).

    Each is remembered (DigestRun) under its week, so it is built once per week and the next one can
    say what changed; a week whose run exists already is skipped (a replayed tick).
    """
    week = marker.period
    done = set((await session.execute(select(DigestRun.audience).where(DigestRun.period == week))).scalars())
    as_of = marker.send_at.astimezone(tz).date()
    leading = (select(Assignment.unit_id).join(Task, Task.id == Assignment.task_id)
               .where(Assignment.role == "lead", ~Assignment.archived, ~Task.archived))
    leads = (await session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(leading)).order_by(Unit.name))).all()
    audiences: list[tuple[str, int | None, str]] = [(f"unit:{uid}", uid, name) for uid, name in leads]
    if coordinators:
        audiences.append(("coordinators", None, ""))
    outgoing: list[Outgoing] = []
    for audience, unit_id, _name in audiences:
        if audience in done:
            continue
        rows = await digest_rows(session, lead_unit_id=unit_id)
        if not rows:
            continue
        documents = {r.document_id for r in rows}
        previous = (await session.execute(
            select(DigestRun.snapshot).where(DigestRun.audience == audience, DigestRun.period < week)
            .order_by(DigestRun.period.desc()).limit(1))).scalar()
        digest = build_digest(rows, await target_rows(session, documents), as_of, previous, audience)
        session.add(DigestRun(period=week, audience=audience, snapshot=digest.snapshot()))
        message = Outgoing(key=f"digest:{week}:{audience}", kind="digest", text=render_digest(digest),
                           send_at=marker.send_at, unit_id=unit_id)
        outgoing += coordinator_copies(message, coordinators) if unit_id is None else [message]
    if outgoing:
        await enqueue(session, outgoing)
        session.add(AuditLog(actor="scheduler", action="digest.build", entity="digest", entity_id=week,
                             detail={"audiences": len(outgoing)}))
    return len(outgoing)

