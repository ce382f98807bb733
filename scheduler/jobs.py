"""The scheduler's jobs: the tick (plan → outbox), the weekly digest, the leads' daily report notice, and the
send loop.

The database is the source of truth (docs/data-flow.md): no reminder is ever a job of its own. One
periodic job, every minute, asks the planner what became due since the last tick and writes it to the
outbox in the same transaction that moves the "last tick" mark, so a crash replays the window and the
outbox's unique keys drop what was already there. A second job drains the outbox. A third builds the
weekly digests when one is due (`digest_tick`, its own mark and transaction): they are not built inside the
minute's plan, which they made three times as long on a Monday (issue 23).

Time, where the design is silent:
- The first tick of a new store starts at local midnight of its day (so today's 09:30 messages still
  go out if the bot starts at 09:31), never earlier: a new install does not replay history.
- After downtime, the window reaches back at most `CATCH_UP` (7 days): what was missed goes out once,
  but a bot that was off for a month does not flood every chat with a month of prompts.
- The clock going backwards (an NTP step) moves nothing back: the mark only ever moves forward, so the
  hour is not planned twice; a step forward is a wide window, planned once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col
from telegram.ext import Application

from bot.chat.chase import chase_counts
from bot.chat.digest_on_demand import draw_chart
from bot.chat.lead_notices import lead_notices
from bot.chat.roles import coordinator_ids
from bot.core import db
from bot.core.memory import collector_paused
from bot.core.models import Assignment, DigestRun, Document, Task, Unit, id_column, table_of
from bot.core.runtime import Context, Runtime
from bot.core.vocab import OVERSEEING_ROLES, MessageKind
from bot.render import callback_data
from bot.render import messages as m
from bot.reporting.digest import DigestRow, build_digest, render_digest
from bot.store import audit
from bot.store.outbox import Outgoing, OutgoingFile, enqueue, prune_files, to_coordinators
from bot.store.overview import digest_history, digest_now, digest_ready, digest_rows, document_target_rows
from scheduler.due_sheets import build_sheets
from scheduler.horizon import horizon_notice
from scheduler.planner import DueMessage, daily_moments, digest_due, plan
from scheduler.sender import DrainResult, Pacer, SenderConfig, Transport, Unrecorded, drain, worker_id
from scheduler.snapshot import cached_snapshot, load_calendar, read_state, write_state
from scheduler.transport import BotTransport

log = logging.getLogger(__name__)

LAST_TICK = "scheduler.last_tick"
LAST_DIGEST = "scheduler.last_digest"  # the digest job's own mark (digest_tick)
TICK_LOCK = 0x7461736B626F74  # "taskbot": the advisory lock the ticks of several processes take in turn
SEND_LOCK = TICK_LOCK + 1  # the one sender's (session-level) advisory lock: one pace for every process
DIGEST_LOCK = TICK_LOCK + 2  # the digest jobs' (digest_tick)
CATCH_UP = dt.timedelta(days=7)
DIGEST_SEND_AT = "09:30"
CHART_BUTTON = callback_data.keyboard([callback_data.button(m.BUTTON_CHART, callback_data.CHART)])
COORDINATORS = "coordinators"  # the coordinators' digest audience (DigestRun.audience), and their chart's key


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


async def tick(
    engine: AsyncEngine,
    now: dt.datetime,
    tz: ZoneInfo,
    coordinators: tuple[int, ...] = (),
    digest_send_at: str | None = DIGEST_SEND_AT,
) -> TickResult:
    """Both scheduler jobs at `now`, one after the other: the weekly digests (`digest_tick`), then the
    minute's plan (`plan_tick`); the result adds them up. `taskbot simulate` and the tests tick with it;
    the running bot runs the two as jobs of their own (`install`). The digests go first, as they did when
    they were built inside the tick: their outbox rows come before the 督办单 of the same moment."""
    digests = None
    if digest_send_at is not None:
        digests = await digest_tick(engine, now, tz, coordinators, digest_send_at)
    result = await plan_tick(engine, now, tz, coordinators, digest_send_at)
    if digests is not None and digests.due:
        result.due += digests.due
        result.digests += digests.digests
        for kind, n in digests.kinds.items():
            result.kinds[kind] = result.kinds.get(kind, 0) + n
    return result


async def plan_tick(
    engine: AsyncEngine,
    now: dt.datetime,
    tz: ZoneInfo,
    coordinators: tuple[int, ...] = (),
    digest_send_at: str | None = DIGEST_SEND_AT,
) -> TickResult:
    """Plan the window since the last tick and write what is due to the outbox, atomically.

    The weekly digests are not built here (`digest_tick`, a job of its own): 301 digests and the chart
    made the Monday tick's transaction three times as long as the rest of it (issue 23). `digest_send_at`
    is still the moment of the leads' daily notice and of the horizon notice.

    On PostgreSQL the tick first takes a transaction-level advisory lock, so the ticks of several processes
    run one after another: the second then finds the mark moved and plans only what came after it. Without
    it two ticks at the same minute both read the old mark and both planned the window — the outbox's keys
    kept the messages single, but each built the weekly digest and recorded it twice (issue 14)."""
    async with db.session_scope(engine) as session:
        if engine.dialect.name == "postgresql":
            await session.execute(sql("SELECT pg_advisory_xact_lock(:key)"), {"key": TICK_LOCK})
        raw = await read_state(session, LAST_TICK)
        last = dt.datetime.fromisoformat(raw) if raw else None
        start = window_start_for(last, now, tz)
        result = TickResult(window_start=start, now=now)
        if last is not None and now <= last:
            return result  # the clock went back, or two ticks in one instant: nothing new to plan
        with collector_paused():
            snapshot = await cached_snapshot(session, has_coordinators=bool(coordinators))
            calendar = await load_calendar(session)
            due = plan(now, start, snapshot.plan_input, calendar, tz)
            for message in due:
                result.kinds[message.kind] = result.kinds.get(message.kind, 0) + 1
            outgoing = await build_sheets(session, due, snapshot, tz, coordinators)
            # the reports a lead may send back (退办): one notice a workday per lead unit (bot/chat/lead_notices.py)
            outgoing += await lead_notices(
                session, daily_moments(now, start, calendar, tz, digest_send_at or DIGEST_SEND_AT)
            )
            notice = horizon_notice(now.astimezone(tz), calendar, digest_send_at or DIGEST_SEND_AT)
            if notice is not None:  # next year's holidays unknown: the coordinators, once a week (issue 14)
                outgoing += to_coordinators(notice, coordinators)
        result.due = len(due)
        result.enqueued = (await enqueue(session, outgoing)).inserted
        await prune_files(session, now)  # the bytes of files sent over a week ago
        if last is not None and await read_state(session, LAST_DIGEST) is None:
            # the digest job has not run on this store yet (a new store, or one from before it existed): it looks
            # back from where the plan stood, so moving the plan's mark must not move the digests' look-back too
            await write_state(session, LAST_DIGEST, last.isoformat())
        await write_state(session, LAST_TICK, now.isoformat())
    if result.enqueued:
        log.info("tick %s → %s: %d due, %d new in the outbox", start, now, result.due, result.enqueued)
    return result


async def digest_tick(
    engine: AsyncEngine,
    now: dt.datetime,
    tz: ZoneInfo,
    coordinators: tuple[int, ...] = (),
    send_at: str = DIGEST_SEND_AT,
) -> TickResult:
    """The weekly digests due since this job's last run (`planner.digest_due`), in a transaction of their own.

    Its own mark (LAST_DIGEST) and its own advisory lock, so that a Monday's 301 digests and the chart do not
    hold up the minute's plan, and the plan's transaction does not hold up them. Replays are harmless: each
    digest is recorded under its week and audience (DigestRun), and a recorded one is not built again. A
    store that has no mark yet (a new one, or one upgraded from when the tick built the digests) looks back to
    the last tick's mark or local midnight, whichever is earlier, so an upgrade on a Monday morning misses no
    digest."""
    async with db.session_scope(engine) as session:
        if engine.dialect.name == "postgresql":
            await session.execute(sql("SELECT pg_advisory_xact_lock(:key)"), {"key": DIGEST_LOCK})
        raw = await read_state(session, LAST_DIGEST)
        last = dt.datetime.fromisoformat(raw) if raw else None
        if last is None:
            tick_raw = await read_state(session, LAST_TICK)
            ticked = dt.datetime.fromisoformat(tick_raw) if tick_raw else None
            start = min(window_start_for(ticked, now, tz), window_start_for(None, now, tz))
        else:
            start = window_start_for(last, now, tz)
        result = TickResult(window_start=start, now=now)
        if last is not None and now <= last:
            return result
        markers = digest_due(now, start, await load_calendar(session), tz, send_at)
        with collector_paused():
            for marker in markers:
                result.kinds[marker.kind] = result.kinds.get(marker.kind, 0) + 1
                result.digests += await run_digests(session, marker, tz, coordinators)
        result.due = len(markers)
        await write_state(session, LAST_DIGEST, now.isoformat())
    if result.digests:
        log.info("digests %s → %s: %d built", start, now, result.digests)
    return result


async def run_digests(session: AsyncSession, marker: DueMessage, tz: ZoneInfo, coordinators: tuple[int, ...]) -> int:
    """The weekly digest: one to each lead unit and each 督查单位 (the tasks it leads or supervises) and one
    to the coordinators (all), the coordinators' followed by the week's chart as a photo (`weekly_chart`; a
    unit's digest has its 📊 button instead, CHART_BUTTON). Returns the number of digest messages.

    Each is remembered (DigestRun) under its week, so it is built once per week and the next one can
    say what changed; a week whose run exists already is skipped (a replayed tick).

    A fixed number of queries however many lead units there are: every live row is read once (the
    coordinators' digest is all of them; a unit's is the rows of the tasks it oversees, in the same
    order `digest_rows(overseer_id=…)` gives), and the overseers, targets and previous snapshots once each.
    """
    week = marker.period
    done = set((await session.execute(select(col(DigestRun.audience)).where(col(DigestRun.period) == week))).scalars())
    as_of = marker.send_at.astimezone(tz).date()
    overseers = (
        await session.execute(
            select(id_column(Unit), col(Unit.name), col(Document.id), col(Task.key))
            .join(Assignment, col(Assignment.unit_id) == col(Unit.id))
            .join(Task, col(Task.id) == col(Assignment.task_id))
            .join(Document, col(Document.id) == col(Task.document_id))
            .where(
                col(Assignment.role).in_(OVERSEEING_ROLES),
                ~col(Assignment.archived),
                ~col(Task.archived),
                ~col(Document.archived),
            )
            .where(~col(Document.ended))
            .order_by(col(Document.id), col(Task.id))
        )
    ).all()
    overseen: dict[int, dict[tuple[str, str], None]] = {}  # unit id → its tasks, in row order (a set that keeps it)
    names: dict[int, str] = {}
    for overseer_id, name, document_id, task_key in overseers:
        overseen.setdefault(overseer_id, {})[(document_id, task_key)] = None
        names[overseer_id] = name
    audiences: list[tuple[str, int | None]] = [
        (f"unit:{uid}", uid) for uid, _ in sorted(names.items(), key=lambda kv: kv[1])
    ]
    if coordinators:
        audiences.append((COORDINATORS, None))
    audiences = [a for a in audiences if a[0] not in done]
    if not audiences:
        return 0
    everything = await digest_rows(session)
    by_task: dict[tuple[str, str], list[DigestRow]] = {}
    for row in everything:
        by_task.setdefault((row.document_id, row.task_key), []).append(row)
    targets = await document_target_rows(session)
    chases = await chase_counts(session, marker.send_at, tz)
    latest = (
        select(col(DigestRun.audience), func.max(col(DigestRun.period)).label("period"))
        .where(col(DigestRun.period) < week)
        .group_by(col(DigestRun.audience))
        .subquery()
    )
    previous_of: dict[str, dict[str, Any]] = dict(  # audience → its last digest's snapshot
        (
            await session.execute(
                select(col(DigestRun.audience), col(DigestRun.snapshot)).join(
                    latest, (latest.c.audience == col(DigestRun.audience)) & (latest.c.period == col(DigestRun.period))
                )
            )
        ).all()
    )
    outgoing: list[Outgoing] = []
    charts: list[Outgoing] = []
    runs: list[dict[str, Any]] = []
    for audience, unit_id in audiences:
        rows = everything if unit_id is None else [r for task in overseen[unit_id] for r in by_task.get(task, ())]
        if not rows:
            continue
        documents = {r.document_id for r in rows}
        digest = build_digest(
            rows, [t for doc_id, t in targets if doc_id in documents], as_of, previous_of.get(audience), chases
        )
        runs.append(
            {
                "period": week,
                "audience": audience,
                "snapshot": digest.snapshot(),
                "counts": {str(k): v for k, v in digest.counts.items()},
            }
        )
        message = Outgoing(
            key=f"digest:{week}:{audience}",
            kind=MessageKind.DIGEST,
            text=render_digest(digest),
            send_at=marker.send_at,
            unit_id=unit_id,
            reply_markup=None if unit_id is None else CHART_BUTTON,
        )
        outgoing += to_coordinators(message, coordinators) if unit_id is None else [message]
        if unit_id is None:
            charts = to_coordinators(await weekly_chart(session, everything, as_of, marker.send_at, week), coordinators)
    outgoing += charts  # after every digest: the sender keeps a chat's rows in order, the photo follows the text
    if runs:
        await session.execute(db.insert_new(session, table_of(DigestRun), ("period", "audience")), runs)
        # Only an audience's newest snapshot is ever read (what changed since). Older ones are emptied: a
        # coordinators' snapshot holds every assignment, and kept weekly they grew the store by ~5 MB a week
        # over 10,000 tasks (bench/bench_load.py); the rows stay, saying which digest went out when.
        await session.execute(
            update(DigestRun)
            .where(col(DigestRun.period) < week, col(DigestRun.audience).in_([r["audience"] for r in runs]))
            .values(snapshot={})
        )
    if outgoing:
        await enqueue(session, outgoing)
        audit.record(
            session,
            "scheduler",
            "digest.build",
            "digest",
            week,
            audiences=len(outgoing) - len(charts),
            charts=len(charts),
        )
    return len(outgoing) - len(charts)


async def weekly_chart(
    session: AsyncSession, rows: list[DigestRow], as_of: dt.date, send_at: dt.datetime, week: str
) -> Outgoing:
    """The coordinators' weekly chart (bot/reporting/chart.py) as a photo message, drawn once for all of them
    in a worker thread (the event loop goes on meanwhile, also while the first chart of a process imports
    matplotlib; measured by bench/bench_chart.py), keyed by the week
    so that a replayed tick or a second process offers the same row again and it exists once.

    Only the coordinators get it with the digest: a chart for each lead unit's digest would be ~300 drawings
    at one send moment, minutes of the tick; a unit's digest carries CHART_BUTTON, which draws its chart on the
    tap (handlers/commands.chart_button), as /chart does."""
    png = await asyncio.to_thread(draw_chart, rows, as_of, await digest_history(session, COORDINATORS, as_of))
    return Outgoing(
        key=f"chart:{week}:{COORDINATORS}",
        kind=MessageKind.CHART,
        text=m.CHART_CAPTION.format(date=as_of.isoformat()),
        send_at=send_at,
        file=OutgoingFile(m.CHART_FILE.format(date=as_of.isoformat()), png),
    )


# --- wiring into the running bot (PTB JobQueue) --------------------------------------------------------

TICK_EVERY = dt.timedelta(minutes=1)
SEND_EVERY = dt.timedelta(seconds=5)
JOB_KWARGS = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}


class QuietOverlaps(logging.Filter):
    """Drops APScheduler's warning that a taskbot job was skipped because its previous run is still going.

    That is the design (max_instances=1): a drain of a 10,000-message broadcast takes about six minutes, and
    APScheduler would say so every SEND_EVERY — seventy warnings for one broadcast, none of them news."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("maximum number of running instances reached" in message and '"taskbot.' in message)


def install(application: Application) -> None:
    """Add the tick, the digest job and the sender to the Application's JobQueue (bot/app.py calls this).

    APScheduler's default misfire grace of one second would silently drop a late run (FIELD-NOTES); here
    a late run still runs, overlapping runs are coalesced into one (and not logged: QuietOverlaps), and the
    jobs carry fixed names so a restart never stacks a second copy."""
    scheduler_log = logging.getLogger("apscheduler.scheduler")
    if not any(isinstance(f, QuietOverlaps) for f in scheduler_log.filters):
        scheduler_log.addFilter(QuietOverlaps())
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
    queue.run_repeating(_tick_job, interval=TICK_EVERY, first=5, name="taskbot.tick", job_kwargs=JOB_KWARGS)
    # the weekly digests, a job of their own: a Monday's 301 digests do not hold up the minute's plan (issue 23)
    queue.run_repeating(_digest_job, interval=TICK_EVERY, first=10, name="taskbot.digest", job_kwargs=JOB_KWARGS)
    # the sender starts at once: after a restart (a crash in a broadcast) the outbox resumes without waiting
    queue.run_repeating(
        _send_job, interval=SEND_EVERY, first=1, name="taskbot.send", job_kwargs=JOB_KWARGS, data=SendState()
    )


async def _tick_job(context: Context) -> None:
    runtime = context.bot_data
    settings = runtime.settings
    await plan_tick(runtime.store, dt.datetime.now(settings.tz), settings.tz, await _coordinators(runtime))


async def _digest_job(context: Context) -> None:
    runtime = context.bot_data
    settings = runtime.settings
    now = dt.datetime.now(settings.tz)
    await digest_tick(runtime.store, now, settings.tz, await _coordinators(runtime))
    await ready_coordinators_digest(runtime.store, now.date())


async def ready_coordinators_digest(engine: AsyncEngine, today: dt.date) -> bool:
    """Read the coordinators' /digest ahead when its documents' shares for the week are not kept — a process
    just started, a new week (bot/store/overview.digest_now): the read of every document (~0.5 s over 50,000
    assignments) is this job's, not the coordinator's who asks, whose /digest then reads only what changed
    (issue 23). True when it read."""
    async with db.session_scope(engine) as session:
        if digest_ready(session, today):
            return False
        await digest_now(session, today)
        return True


@dataclass
class SendState:
    """What the send job remembers between runs: since when Telegram has been unreachable, until when a
    429 told the bot to wait, and the outcomes of messages that went out while the store refused them."""

    unreachable_since: dt.datetime | None = None
    throttled_until: dt.datetime | None = None
    unrecorded: Unrecorded = field(default_factory=dict)
    pacer: Pacer | None = None  # kept from drain to drain: a chat's last send is remembered across them
    standing_by: bool = False  # another process is the sender (logged once when that starts)


async def _send_job(context: Context) -> None:
    runtime = context.bot_data
    state = context.job.data if context.job is not None and isinstance(context.job.data, SendState) else SendState()
    await send(runtime.store, BotTransport(context.bot), state, await _coordinators(runtime))


async def send(
    store: AsyncEngine,
    transport: Transport,
    state: SendState,
    coordinators: tuple[int, ...],
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    pacer: Pacer | None = None,
) -> DrainResult | None:
    """One run of the send job; None while a 429's retry_after lasts. Telegram throttles the bot, not one
    chat: a drain meanwhile would send the rows queued since ahead of the throttled ones (their wait is on
    the rows themselves) and draw more 429s."""
    if state.throttled_until is not None and now() < state.throttled_until:
        return None
    async with the_sender(store) as elected:
        if not elected:
            if not state.standing_by:
                log.info("sender: another process is sending the outbox; this one stands by")
            state.standing_by = True
            return None
        state.standing_by = False
        if pacer is None:
            if state.pacer is None:
                state.pacer = Pacer(SenderConfig(), asyncio.get_running_loop().time, asyncio.sleep)
            pacer = state.pacer
        result = await drain(
            store,
            transport,
            now=now,
            worker=WORKER,
            coordinators=coordinators,
            pacer=pacer,
            unrecorded=state.unrecorded,
        )
    state.throttled_until = result.throttled_until
    log_drain(state, result, now())
    return result


@asynccontextmanager
async def the_sender(store: AsyncEngine) -> AsyncIterator[bool]:
    """Whether this process is the one that sends, for as long as the block runs (docs/decisions.md "One
    sender"). Telegram's ~30 messages a second are the bot's, not a process's: two processes pacing each at
    29/s drew 66 × 429 and finished a 1,000-message broadcast later than one alone. On PostgreSQL the sender
    holds a session-level advisory lock on a connection of its own for its whole drain; the others find it
    taken and stand by, and take over at their next run when it ends — or when its process dies, since the
    server drops the lock with the connection. SQLite: one process per file, always the sender."""
    if store.dialect.name != "postgresql":
        yield True
        return
    async with store.connect() as conn:
        elected = bool((await conn.execute(sql("SELECT pg_try_advisory_lock(:key)"), {"key": SEND_LOCK})).scalar())
        await conn.commit()  # the lock is the session's: no transaction stays open meanwhile
        try:
            yield elected
        finally:
            if elected:
                await conn.execute(sql("SELECT pg_advisory_unlock(:key)"), {"key": SEND_LOCK})
                await conn.commit()


def log_drain(state: SendState, result: DrainResult, now: dt.datetime) -> None:
    """One line per drain that did something; while Telegram is unreachable, one line when that starts and
    one when it ends — not one every SEND_EVERY for the length of an outage (bounded log volume)."""
    if result.unreachable is not None:
        if state.unreachable_since is None:
            state.unreachable_since = now
            log.warning(
                "sender: Telegram unreachable (%s): the outbox keeps every message and is retried every %d s",
                result.unreachable,
                SEND_EVERY.total_seconds(),
            )
        if result.sent or result.failed:
            log.info("sender: %d sent, %d failed before Telegram became unreachable", result.sent, result.failed)
        return
    if state.unreachable_since is not None and (result.sent or result.failed or result.retried):
        log.info("sender: Telegram reachable again after %.0f s", (now - state.unreachable_since).total_seconds())
        state.unreachable_since = None
    if result.sent or result.failed or result.retried:
        log.info(
            "sender: %d sent, %d failed, %d to retry %s",
            result.sent,
            result.failed,
            result.retried,
            result.errors or "",
        )


async def _coordinators(runtime: Runtime) -> tuple[int, ...]:
    async with db.session_scope(runtime.store) as session:
        return tuple(sorted(await coordinator_ids(session, runtime.settings.coordinator_ids)))


WORKER = worker_id()
