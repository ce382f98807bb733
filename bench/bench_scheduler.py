"""Scheduler benchmarks (issue 6): planning, fan-out through the sender, the digest of one lead unit.

Prints, measured in this one run (no timed asserts):
1. Planning 10,000 tasks × 5 units (bench/generate.py, deadlines spread over 2025-09…2028-03): the real
   scheduler jobs at a send moment (Monday 2025-12-01 09:31 Asia/Shanghai: the first workday of the month,
   so the monthly prompts, 30/7/1-day reminders, overdue reminders, escalations and the weekly digests are
   all due) and at a quiet minute. The minute tick (`jobs.plan_tick`) is split into snapshot / plan / 督办单 /
   enqueue, with the SQL statements of each part for 1,000 and for 10,000 tasks and their ratio (1.00 =
   does not grow with the task count), against its budgets: 1 s at the send moment, 100 ms at a quiet minute
   (issue 23). The weekly digests' job (`jobs.digest_tick`) is timed apart, with the coordinators' chart
   against its own 1 s. The week measured is a second week (last week's digests are kept, so this week's
   compare with them), and matplotlib is imported before (by last week's chart). The stores hold
   10 reports per task, which set the assignments' status, percent and last report.
2. Fan-out of 1,000 messages to 1,000 chats through the real sender (`drain`, `BotTransport`, a real
   `telegram.Bot`) against tests/fakebotapi.py enforcing 30 messages/s overall and 1/s per chat (sliding
   one-second window, 429 + retry_after beyond): achieved msg/s ÷ 30 (target ≥ 0.90), 429s, lost,
   duplicates (targets 0).
3. The digest of one lead unit over 10,000 tasks and 100,000 reports: `digest_rows(overseer_id=…)` +
   `target_rows` + `build_digest` + `render_digest`, against a 300 ms budget (a coordinator's /digest on
   demand: bench/bench_digest.py).
Each on SQLite, then on PostgreSQL when it answers (TEST_POSTGRES_URL, a fresh schema, dropped after).

Run: `python -m bench.bench_scheduler` (about two minutes; `--quick` for smaller sizes, ~20 s).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, delete, event, func, insert, select, update
from sqlalchemy import text as sql_text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col
from telegram import Bot
from telegram.request import HTTPXRequest

from bench.generate import generate
from bench.pg import postgres
from bot.core import db
from bot.core.models import (
    Assignment,
    Chat,
    DigestRun,
    Document,
    Outbox,
    Report,
    Sheet,
    SheetItem,
    Target,
    TargetValue,
    Unit,
    utcnow,
)
from bot.core.vocab import OutboxStatus, Status
from bot.render.prompts import report_buttons
from bot.reporting.digest import build_digest, render_digest
from bot.store.outbox import Outgoing, enqueue
from bot.store.overview import digest_rows, target_rows
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog
from scheduler import jobs
from scheduler.sender import SenderConfig, drain
from scheduler.snapshot import write_state
from scheduler.transport import BotTransport
from tests.support.fakebotapi import FakeBotApi, RateLimit

TZ = ZoneInfo("Asia/Shanghai")
TICK_BUDGET_S = 1.0  # the whole minute tick at the Monday send moment, per 10,000 tasks (issue 23: 1 s, 5 s at 50,000)
QUIET_BUDGET_S = 0.1  # a quiet minute's tick
CHART_BUDGET_S = 1.0  # the weekly chart added to the tick (issue 15)
DIGEST_BUDGET_S = 0.3
RATE = RateLimit(overall=30, per_chat=1, window=1.0)
COORDINATOR = 9_000_001
SEND_MOMENT = dt.datetime(2025, 12, 1, 9, 31, tzinfo=TZ)  # Monday, first workday of December
LAST_WEEK = SEND_MOMENT - dt.timedelta(days=7)  # its digests are the ones the measured week compares with
QUIET_MINUTE = dt.datetime(2025, 12, 1, 10, 17, tzinfo=TZ)
DEADLINE_FROM, DEADLINE_SPAN = dt.date(2025, 9, 16), 900  # 2025-09-16 … 2028-03-03
TOKEN = "123456:BENCH-token-for-the-fake-bot-api-server"


# -- data -------------------------------------------------------------------------------------------


def spread_deadlines(path: Path) -> Path:
    """generate() gives every task a year-end deadline; spread them over 900 days so that at the send
    moment some tasks are overdue, some get their 30/7/1-day reminder and the rest their monthly prompt."""
    counter = itertools.count()

    def iso(match: re.Match[str]) -> str:
        day = DEADLINE_FROM + dt.timedelta(days=(next(counter) * 37) % DEADLINE_SPAN)
        return f"{match.group(1)}{day.isoformat()}"

    text = re.sub(r"(?m)^(\s+deadline: )\d{4}年底前$", iso, path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    return path


async def build_store(url: str, path: Path) -> tuple[AsyncEngine, int, int]:
    """Import the file and bind one private chat to every unit; (engine, tasks, live assignments)."""
    engine = db.make_engine(url)
    await db.ensure_schema(engine)
    catalog = load_catalog(path)
    async with db.session_scope(engine) as session:
        await import_catalog(session, catalog)
        unit_ids = list((await session.execute(select(Unit.id))).scalars())
        await session.execute(
            insert(Chat),
            [{"chat_id": 100_000 + uid, "unit_id": uid, "kind": "private", "bound_at": utcnow()} for uid in unit_ids],
        )
        assignments = (await session.execute(select(func.count()).select_from(Assignment))).scalar_one()
    return engine, len(catalog.tasks), assignments


class Statements:
    """Counts SQL statements on an engine (before_cursor_execute)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.n = 0
        self.engine = engine
        event.listen(engine.sync_engine, "before_cursor_execute", self._count)

    def _count(self, *_args: object) -> None:
        self.n += 1

    def close(self) -> None:
        event.remove(self.engine.sync_engine, "before_cursor_execute", self._count)


# -- 1. planning ------------------------------------------------------------------------------------

PHASES = {
    "cached_snapshot": "snapshot",
    "load_calendar": "snapshot",
    "plan": "plan",
    "build_sheets": "督办单",
    "enqueue": "enqueue",
    "run_digests": "weekly digests",
}


@dataclass
class TickProfile:
    total: float = 0.0  # the minute tick (jobs.plan_tick)
    statements: int = 0
    digest_job: float = 0.0  # the weekly digests' job (jobs.digest_tick), apart
    seconds: Counter[str] = field(default_factory=Counter)
    sql: Counter[str] = field(default_factory=Counter)
    result: jobs.TickResult | None = None
    chart: float = 0.0  # of "weekly digests": the coordinators' chart (drawn in a worker thread)

    def other(self) -> tuple[float, int]:
        spent = sum(v for k, v in self.seconds.items() if k != "weekly digests")
        return self.total - spent, self.statements - sum(v for k, v in self.sql.items() if k != "weekly digests")


class _PhaseTimer:
    """Time and statements per phase; a call made inside another measured one (run_digests → enqueue) counts
    for the outer one."""

    def __init__(self, profile: TickProfile, stmts: Statements) -> None:
        self.profile, self.stmts, self.depth = profile, stmts, 0

    def enter(self) -> tuple[float, int] | None:
        self.depth += 1
        return (time.perf_counter(), self.stmts.n) if self.depth == 1 else None

    def leave(self, name: str, mark: tuple[float, int] | None) -> None:
        self.depth -= 1
        if mark is not None:
            self.profile.seconds[PHASES[name]] += time.perf_counter() - mark[0]
            self.profile.sql[PHASES[name]] += self.stmts.n - mark[1]

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """`fn`, timed as phase `name`."""
        if asyncio.iscoroutinefunction(fn):

            async def awrapped(*args: Any, **kwargs: Any) -> Any:
                mark = self.enter()
                try:
                    return await fn(*args, **kwargs)
                finally:
                    self.leave(name, mark)

            return awrapped

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            mark = self.enter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.leave(name, mark)

        return wrapped


@contextmanager
def instrument(profile: TickProfile, stmts: Statements) -> Iterator[None]:
    """Wrap the functions `jobs.tick` calls by name so one real tick is split into phases (_PhaseTimer)."""
    timer = _PhaseTimer(profile, stmts)
    originals = {name: getattr(jobs, name) for name in PHASES}
    chart = jobs.weekly_chart

    async def timed_chart(*args: Any, **kwargs: Any) -> Any:  # inside run_digests: its share, shown apart
        start = time.perf_counter()
        try:
            return await chart(*args, **kwargs)
        finally:
            profile.chart += time.perf_counter() - start

    for name, fn in originals.items():
        setattr(jobs, name, timer.wrap(name, fn))
    jobs.weekly_chart = timed_chart
    try:
        yield
    finally:
        for name, fn in originals.items():
            setattr(jobs, name, fn)
        jobs.weekly_chart = chart


async def reset_outbox(engine: AsyncEngine, last_tick: dt.datetime, week: str | None = None) -> None:
    """An empty outbox and both jobs' marks a minute before `last_tick`; the digest runs of `week` (the one
    measured) are deleted, the weeks before kept, so the digests measured are a second week's: they compare
    with last week's snapshot, as every digest but the first does."""
    async with db.session_scope(engine) as session:
        await session.execute(delete(Outbox))
        if week is not None:
            await session.execute(delete(DigestRun).where(DigestRun.period >= week))
        await write_state(session, jobs.LAST_TICK, last_tick.isoformat())
        await write_state(session, jobs.LAST_DIGEST, last_tick.isoformat())


async def profiled_tick(engine: AsyncEngine, now: dt.datetime) -> TickProfile:
    """The digest job, then the minute tick, over the minute before `now`, on an empty outbox; the minute
    tick is split into phases, the digest job timed as a whole (its chart apart)."""
    year, week, _ = now.astimezone(TZ).isocalendar()
    await reset_outbox(engine, now - dt.timedelta(minutes=1), f"{year}-W{week:02d}")
    profile = TickProfile()
    stmts = Statements(engine)
    try:
        with instrument(profile, stmts):
            start = time.perf_counter()
            digests = await jobs.digest_tick(engine, now, TZ, (COORDINATOR,))
            profile.digest_job = time.perf_counter() - start
            begun, counted = time.perf_counter(), stmts.n
            profile.result = await jobs.plan_tick(engine, now, TZ, (COORDINATOR,))
            profile.total = time.perf_counter() - begun
            profile.statements = stmts.n - counted
        profile.result.digests = digests.digests
        for kind, n in digests.kinds.items():
            profile.result.kinds[kind] = n
        profile.result.due += digests.due
    finally:
        stmts.close()
    return profile


async def median_send_moment(engine: AsyncEngine, runs: int = 3) -> TickProfile:
    """The send moment measured `runs` times, the run of the median whole tick (issue 23: median of 3). Before
    each repeat the 督办单 and sheet items the previous run wrote are deleted, so every run finds its items
    new and writes them all, as the first Monday tick does; the outbox stays as the last run left it."""
    async with db.session_scope(engine) as session:
        items = (await session.execute(select(func.coalesce(func.max(SheetItem.id), 0)))).scalar_one()
        sheets = (await session.execute(select(func.coalesce(func.max(Sheet.id), 0)))).scalar_one()
    profiles = []
    for run in range(runs):
        if run:
            async with db.session_scope(engine) as session:
                await session.execute(delete(Outbox))
                await session.execute(delete(Sheet).where(col(Sheet.id) > sheets))
                await session.execute(delete(SheetItem).where(col(SheetItem.id) > items))
        profiles.append(await profiled_tick(engine, SEND_MOMENT))
    return sorted(profiles, key=lambda p: p.total)[runs // 2]


async def outbox_rows(engine: AsyncEngine) -> int:
    async with db.session_scope(engine) as session:
        return (await session.execute(select(func.count()).select_from(Outbox))).scalar_one()


async def outbox_audience(engine: AsyncEngine) -> tuple[int, int]:
    """(chats that got a 督办单, digest rows) in the outbox."""
    async with db.session_scope(engine) as session:
        chats = (
            await session.execute(select(func.count(func.distinct(Outbox.chat_id))).where(Outbox.kind != "digest"))
        ).scalar_one()
        digests = (
            await session.execute(select(func.count()).select_from(Outbox).where(Outbox.kind == "digest"))
        ).scalar_one()
    return chats, digests


async def bench_send_moment(name: str, engine: AsyncEngine, rows: int) -> str:
    """The send moment's outbox (督办单 and digests) delivered through the real sender against the
    limit-enforcing fake Bot API: seconds against rows ÷ 29 (the sender's own pace), 429s, lost, twice."""
    with FakeBotApi() as api:
        api.script.limit = RATE
        bot = Bot(TOKEN, base_url=api.base_url, request=HTTPXRequest(read_timeout=10, connect_timeout=5))
        async with bot:
            (sent, elapsed), _retried, _client_429 = await drain_all(engine, BotTransport(bot), SenderConfig(), rows)
    received = Counter((int(p["chat_id"]), p.get("text", p.get("caption", ""))[:60]) for p in api.script.received)
    twice = sum(n - 1 for n in received.values() if n > 1)
    async with db.session_scope(engine) as session:
        lost = (
            await session.execute(select(func.count()).select_from(Outbox).where(Outbox.status != OutboxStatus.SENT))
        ).scalar_one()
    parts = len(api.script.received)  # a long 督办单 goes out in several messages
    floor = parts / 29
    return (
        f"[{name}]   delivered the send moment: {sent:,} rows as {parts:,} messages in {elapsed:.1f} s = "
        f"{elapsed / floor:.2f} × messages ÷ 29 ({floor:.1f} s, Telegram's pace); 429s {api.script.rate_limited}, "
        f"lost {lost}, twice {twice} (targets 0, 0, 0)"
    )


def ratio(big: int, small: int) -> str:
    return f"{big / small:.2f}" if small else ("1.00" if not big else "∞")


async def bench_planning(name: str, big: AsyncEngine, small: AsyncEngine, sizes: tuple[int, int, int, int]) -> None:
    tasks, assignments, small_tasks, _small_assignments = sizes
    # warm-up: SQLAlchemy's statement cache, the calendar tables, matplotlib's import (the first chart of a
    # process imports it: seconds that are not the tick's); and last week's digests, so the week measured
    # is a second week
    await profiled_tick(big, LAST_WEEK)
    await profiled_tick(small, LAST_WEEK)
    await profiled_tick(big, QUIET_MINUTE)
    send = await median_send_moment(big)
    rows = await outbox_rows(big)
    chats, digests = await outbox_audience(big)
    delivery = await bench_send_moment(name, big, rows)  # before the next tick empties the outbox
    cold = await profiled_tick(big, QUIET_MINUTE)  # the store changed since: the snapshot is read again
    quiet = await profiled_tick(big, QUIET_MINUTE)
    await profiled_tick(small, QUIET_MINUTE)
    send_small = await profiled_tick(small, SEND_MOMENT)
    quiet_small = await profiled_tick(small, QUIET_MINUTE)
    kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(send.result.kinds.items()))
    print(
        f"[{name}] planning {tasks:,} tasks, {assignments:,} assignments; send moment "
        f"{SEND_MOMENT:%a %Y-%m-%d %H:%M}: {send.result.due:,} due ({kinds}) → {rows:,} outbox rows, "
        f"{send.result.digests} digests"
    )
    print(
        f"[{name}]   outbox rows {rows:,} ÷ (bound chats with something due {chats:,} + digests {digests:,}) = "
        f"{rows / max(1, chats + digests):.2f} (target ≤ 1.00: one 督办单 per chat per send moment)"
    )
    print(delivery)
    print(
        f"[{name}]   the weekly digests' job at the send moment (a second week's: compared with last week's): "
        f"{send.digest_job:.3f} s, of which the chart {send.chart:.3f} s = {send.chart / CHART_BUDGET_S:.2f} of its "
        f"{CHART_BUDGET_S:.0f} s budget (no budget for the job: it holds up no other job)"
    )
    print(
        f"[{name}]   quiet minute after a change (snapshot read again): whole tick {cold.total:.3f} s "
        f"(no budget; the cached one below has {QUIET_BUDGET_S * 1000:.0f} ms)"
    )
    for label, prof, prof_small, budget in (
        ("send moment", send, send_small, TICK_BUDGET_S * max(1.0, tasks / 10_000)),
        ("quiet minute", quiet, quiet_small, QUIET_BUDGET_S),
    ):
        planning = prof.seconds["snapshot"] + prof.seconds["plan"]
        print(
            f"[{name}]   {label}: whole minute tick {prof.total:.3f} s{' (median of 3)' if prof is send else ''} = "
            f"{prof.total / budget:.2f} of its "
            f"{budget * 1000:.0f} ms budget; snapshot+plan {planning:.3f} s"
        )
        other_s, other_sql = prof.other()
        parts = [
            (phase, prof.seconds[phase], prof.sql[phase], prof_small.sql[phase])
            for phase in ("snapshot", "plan", "督办单", "enqueue")
        ]
        parts.append(("state+commit", other_s, other_sql, prof_small.other()[1]))
        for phase, seconds, sql, sql_small in parts:
            if not sql and not seconds > 0.0005:
                continue
            print(
                f"[{name}]     {phase:<15} {seconds:7.3f} s  SQL statements: {small_tasks:,} tasks {sql_small}, "
                f"{tasks:,} tasks {sql} → ratio {ratio(sql, sql_small)}"
            )
        print(
            f"[{name}]     {'whole tick':<15} {prof.total:7.3f} s  SQL statements: {small_tasks:,} tasks "
            f"{prof_small.statements}, {tasks:,} tasks {prof.statements} → ratio "
            f"{ratio(prof.statements, prof_small.statements)} (1.00 = does not grow with the task count)"
        )


# -- 3. digest --------------------------------------------------------------------------------------


async def add_reports(engine: AsyncEngine, reports: int) -> None:
    """`reports` Report rows spread over the live assignments, the assignments' status/percent/last report
    set to match, and one target per document with three reported values."""
    async with db.session_scope(engine) as session:
        ids = list((await session.execute(select(Assignment.id).order_by(Assignment.id))).scalars())
        base = dt.datetime(2025, 9, 1, 2, 0, tzinfo=dt.UTC)
        statuses = [Status.IN_PROGRESS, Status.IN_PROGRESS, Status.IN_PROGRESS, Status.DONE, Status.BLOCKED]
        batch: list[dict[str, Any]] = []
        for n in range(reports):
            status = statuses[n % len(statuses)]
            batch.append(
                {
                    "assignment_id": ids[(n * 7) % len(ids)],
                    "source": "text",
                    "status": status,
                    "created_at": base + dt.timedelta(minutes=n * 7 % 120_000),
                    "percent": (None if status == Status.BLOCKED else 100 if status == Status.DONE else n % 90 + 5),
                    "text": f"第{n}次报送:已完成阶段性工作,正在推进下一步,预计按期完成。",
                }
            )
            if len(batch) == 5_000:
                await session.execute(insert(Report), batch)
                batch = []
        if batch:
            await session.execute(insert(Report), batch)
        if session.bind.dialect.name == "postgresql":
            # statistics for the fresh table: without them PostgreSQL reads each assignment's newest report
            # through the report.created_at index (0006), for every assignment — minutes instead of seconds
            await session.execute(sql_text("ANALYZE report"))
        newest = select(func.max(Report.created_at)).where(Report.assignment_id == Assignment.id).scalar_subquery()
        latest_status = (
            select(Report.status)
            .where(Report.assignment_id == Assignment.id)
            .order_by(Report.created_at.desc(), Report.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        latest_percent = (
            select(Report.percent)
            .where(Report.assignment_id == Assignment.id)
            .order_by(Report.created_at.desc(), Report.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        await session.execute(
            update(Assignment).values(
                last_report_at=newest, status=func.coalesce(latest_status, Status.PENDING), percent=latest_percent
            )
        )
        # a few tasks' reports are old: some units have been silent for more than 30 days
        await session.execute(
            update(Assignment)
            .where(Assignment.id % 13 == 0)
            .values(last_report_at=case((Assignment.last_report_at.is_(None), None), else_=base))
        )
        docs = list((await session.execute(select(Document.id, Document.issued))).all())
        await session.execute(
            insert(Target),
            [
                {
                    "document_id": doc_id,
                    "key": "t1",
                    "text": "建设省级以上科技创新平台",
                    "value": 20.0,
                    "measure": "个",
                    "due": issued.replace(year=issued.year + 2),
                    "task_key": "1.1",
                    "archived": False,
                }
                for doc_id, issued in docs
            ],
        )
        targets = list((await session.execute(select(Target.id))).scalars())
        await session.execute(
            insert(TargetValue),
            [
                {"target_id": t, "value": float(v * 4 + t % 3), "reported_at": base + dt.timedelta(days=v * 30)}
                for t in targets
                for v in range(3)
            ],
        )


async def one_digest(
    engine: AsyncEngine, unit_id: int | None, as_of: dt.date, previous: dict[str, Any] | None
) -> tuple[float, int, int, str, dict[str, Any]]:
    """(seconds, rows, statements, text, snapshot) of one lead unit's digest, as run_digests builds it."""
    stmts = Statements(engine)
    try:
        async with db.session_scope(engine) as session:
            start = time.perf_counter()
            rows = await digest_rows(session, overseer_id=unit_id)
            targets = await target_rows(session, {r.document_id for r in rows})
            digest = build_digest(rows, targets, as_of, previous)
            text = render_digest(digest)
            elapsed = time.perf_counter() - start
        return elapsed, len(rows), stmts.n, text, digest.snapshot()
    finally:
        stmts.close()


async def bench_digest(name: str, engine: AsyncEngine, tasks: int) -> None:
    async with db.session_scope(engine) as session:
        lead, led = (
            await session.execute(
                select(Assignment.unit_id, func.count())
                .where(Assignment.role == "lead")
                .group_by(Assignment.unit_id)
                .order_by(func.count().desc(), Assignment.unit_id)
                .limit(1)
            )
        ).one()
        stored = (await session.execute(select(func.count()).select_from(Report))).scalar_one()
    as_of = SEND_MOMENT.date()
    # the previous digest saw every assignment still pending, so this one lists what changed since
    async with db.session_scope(engine) as session:
        rows = await digest_rows(session, overseer_id=lead)
        before = [replace(r, status=Status.PENDING, percent=None) for r in rows]
    previous = build_digest(before, [], as_of - dt.timedelta(days=7)).snapshot()
    cold, rows, sql, text, _ = await one_digest(engine, lead, as_of, previous)
    warm = [(await one_digest(engine, lead, as_of, previous))[0] for _ in range(5)]
    median = statistics.median(warm)
    print(
        f"[{name}] digest for one lead unit ({led} tasks led, {rows} assignment rows) over {tasks:,} tasks and "
        f"{stored:,} reports: first {cold * 1000:.0f} ms, median of 5 more "
        f"{median * 1000:.0f} ms = {median / DIGEST_BUDGET_S:.2f} of the {DIGEST_BUDGET_S * 1000:.0f} ms budget "
        f"(first: {cold / DIGEST_BUDGET_S:.2f}); {sql} SQL statements, {len(text):,} characters"
    )
    whole, all_rows, all_sql, all_text, _ = await one_digest(engine, None, as_of, None)
    print(
        f"[{name}]   the coordinators' weekly digest over all {all_rows:,} assignments (every row read: it keeps "
        f"each one's state for next week's changes): {whole * 1000:.0f} ms, {all_sql} SQL statements, "
        f"{len(all_text):,} characters (no budget: the digest job holds up no other job; /digest: bench_digest)"
    )


# -- 2. fan-out -------------------------------------------------------------------------------------


async def bench_fanout(name: str, url: str, messages: int) -> None:
    engine = db.make_engine(url)
    await db.ensure_schema(engine)
    try:
        async with db.session_scope(engine) as session:
            await session.execute(
                insert(Unit),
                [{"name": f"单位{i:04d}", "is_group": False, "created_at": utcnow()} for i in range(messages)],
            )
            unit_ids = list((await session.execute(select(Unit.id).order_by(Unit.id))).scalars())
            await session.execute(
                insert(Chat),
                [
                    {"chat_id": 500_000 + uid, "unit_id": uid, "kind": "private", "bound_at": utcnow()}
                    for uid in unit_ids
                ],
            )
            now = utcnow()
            text = (
                "<b>【督办提醒】</b>《第1号工作方案》任务 1.1 制定科技成果转化实施办法\n"
                "责任单位:{unit}(责任单位)\n完成时限:2025-12-31(还剩30天)\n请点击下方按钮或直接回复报送进展。"
            )
            offered = await enqueue(
                session,
                [
                    Outgoing(
                        key=f"bench:{uid}",
                        kind="broadcast",
                        text=text.format(unit=f"单位{uid:04d}"),
                        send_at=now,
                        chat_id=500_000 + uid,
                        reply_markup=report_buttons(uid) if uid % 2 else None,
                    )
                    for uid in unit_ids
                ],
            )
        enqueued = offered.inserted
        config = SenderConfig()
        with FakeBotApi() as api:
            api.script.limit = RATE
            bot = Bot(TOKEN, base_url=api.base_url, request=HTTPXRequest(read_timeout=10, connect_timeout=5))
            async with bot:
                sent, retried, client_429 = await drain_all(engine, BotTransport(bot), config, messages)
        elapsed = sent[1]
        received = Counter(int(p["chat_id"]) for p in api.script.received)
        duplicates = sum(n - 1 for n in received.values() if n > 1)
        async with db.session_scope(engine) as session:
            not_sent = (
                await session.execute(
                    select(func.count()).select_from(Outbox).where(Outbox.status != OutboxStatus.SENT)
                )
            ).scalar_one()
            expected = set((await session.execute(select(Outbox.chat_id))).scalars())
        lost = max(not_sent, len(expected - set(received)))
        achieved = sent[0] / elapsed if elapsed else 0.0
        print(
            f"[{name}] fan-out of {enqueued:,} messages to {len(unit_ids):,} chats through the sender "
            f"(global_interval {config.global_interval:.4f} s = 1/{1 / config.global_interval:.0f}) against a fake "
            f"Bot API enforcing {RATE.overall}/s overall and {RATE.per_chat}/s per chat: {sent[0]:,} sent in "
            f"{elapsed:.1f} s = {achieved:.1f} msg/s = {achieved / RATE.overall:.2f} of the limit (target ≥ 0.90)"
        )
        print(
            f"[{name}]   429s: {api.script.rate_limited} (the sender saw {client_429}, retried {retried}); "
            f"lost: {lost}; duplicates: {duplicates}  (targets: 0, 0, 0)"
        )
    finally:
        await engine.dispose()


async def drain_all(
    engine: AsyncEngine, transport: BotTransport, config: SenderConfig, expected: int
) -> tuple[tuple[int, float], int, int]:
    """Drain as the send job does (again after a 429's retry_after) until nothing is pending or sending."""
    sent = retried = throttled = 0
    start = time.perf_counter()
    give_up = start + expected / RATE.overall * 3 + 30
    while time.perf_counter() < give_up:
        result = await drain(engine, transport, now=utcnow, worker="bench", config=config)
        sent += result.sent
        retried += result.retried
        throttled += result.errors.get("RetryAfter", 0)
        if result.throttled_until is not None:
            await asyncio.sleep(max(0.0, (result.throttled_until - utcnow()).total_seconds()))
            continue
        async with db.session_scope(engine) as session:
            left = (
                await session.execute(
                    select(func.count())
                    .select_from(Outbox)
                    .where(Outbox.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]))
                )
            ).scalar_one()
        if not left:
            break
        await asyncio.sleep(0.2)
    return (sent, time.perf_counter() - start), retried, throttled


# -- driver -----------------------------------------------------------------------------------------


async def run_backend(
    name: str, make_url: Callable[[str], str], big: Path, small: Path, messages: int, reports: int
) -> None:
    start = time.perf_counter()
    engine, tasks, assignments = await build_store(make_url("big"), big)
    small_engine, small_tasks, small_assignments = await build_store(make_url("small"), small)
    await add_reports(engine, reports)
    await add_reports(small_engine, reports * small_tasks // tasks)
    print(
        f"[{name}] stores ready in {time.perf_counter() - start:.1f} s: {tasks:,} and {small_tasks:,} tasks "
        f"imported, a chat per unit, {reports:,} and {reports * small_tasks // tasks:,} reports (assignments' "
        "status, percent and last report set from them), a target with 3 values per document"
    )
    try:
        await bench_planning(name, engine, small_engine, (tasks, assignments, small_tasks, small_assignments))
        await bench_digest(name, engine, tasks)
    finally:
        await engine.dispose()
        await small_engine.dispose()
    await bench_fanout(name, make_url("fanout"), messages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="2,000 tasks (vs 200), 20,000 reports, 200 messages: a smoke run of every part",
    )
    parser.add_argument(
        "--only", choices=("sqlite", "postgresql"), help="one backend (both by default; PostgreSQL when it answers)"
    )
    parser.add_argument(
        "--per-document",
        type=int,
        metavar="N",
        help="tasks per document in the big store (50: 10,000 tasks; 250: the 50,000-task tick, budget 5 s), "
        "with 10 reports per task",
    )
    args = parser.parse_args()
    per_doc, small_per_doc = (10, 1) if args.quick else (50, 5)
    messages, reports = (200, 20_000) if args.quick else (1_000, 100_000)
    if args.per_document:
        per_doc, reports = args.per_document, 2_000 * args.per_document
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        big = spread_deadlines(generate(work / "big.yaml", documents=200, tasks_per_doc=per_doc, units=300))
        small = spread_deadlines(generate(work / "small.yaml", documents=200, tasks_per_doc=small_per_doc, units=300))
        print(
            f"generated 200 documents × {per_doc} tasks (and × {small_per_doc} for the statement counts), "
            f"300 units, deadlines {DEADLINE_FROM} + 0…{DEADLINE_SPAN} days; one chat bound per unit"
            + (" [--quick]" if args.quick else "")
        )
        if args.only != "postgresql":
            asyncio.run(
                run_backend(
                    "sqlite", lambda label: f"sqlite+aiosqlite:///{work / label}.db", big, small, messages, reports
                )
            )
        pg = postgres() if args.only != "sqlite" else None
        if pg is not None:
            make, drop_all = pg
            try:
                asyncio.run(run_backend("postgresql", make, big, small, messages, reports))
            finally:
                drop_all()


if __name__ == "__main__":
    main()
