"""`taskbot simulate`: the whole loop offline — the real planner, outbox, sender and digest — on a
virtual clock, with an in-memory Telegram and units that answer from a script.

It runs on its own SQLite file (a temporary one unless `--db` names one), never on the configured
store, so a demonstration leaves the real 台账 untouched. Each unit gets a bound chat and a persona,
chosen from a hash of its name so that every run tells the same story:

- 按时 (prompt): answers every message the next morning with progress, and 已完成 within the last week
  before the deadline;
- 拖延 (late): answers with progress, but reports done only a couple of weeks after the deadline;
- 受阻 (blocked): reports a difficulty that needs coordination;
- 沉默 (silent): never answers.

Replies go through the same reply parser and report service as Telegram replies do.

The window (`default_window`): unless `--from` names the first day, it is chosen from the data — the
`days` that hold the most deadlines, the busiest deadline about three quarters in, so that the run shows
reminders before it, units finishing on time and late after it, and a digest that changes from week to
week. Only the documents in force during the window are simulated (`in_force`: issued by its end, their
period not over a year before its start): a 2015 document's tasks would otherwise sit overdue for years in
every digest, and a 2023 document's would be prompted in 2017.

Per simulated day: a tick at 09:31 (after the default send time), the sender drains the outbox, the
units answer what they received at 10:00–16:00, and a tick at 18:00 picks up anything later. A tick per
minute would plan the same messages (the planner is window-based and the outbox keys are unique);
two ticks a day keep the run to seconds.

Memory: by default every message sent is kept in `SimulationResult.sent`. With `on_sent`, each day's
messages are handed to it once the day is over and then dropped (`SimulationResult.messages` counts
them), so a run of years holds one day of messages at a time (bench/bench_load.py measures it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col

from bot.chat.issued_sheets import sheet_for_message
from bot.chat.multi_report import resolve, submit_parts
from bot.chat.reports import submit_report
from bot.core import db
from bot.core.models import Assignment, Chat, Task, Unit, id_column, utcnow
from bot.core.vocab import ReportOutcome, ReportSource
from bot.render import callback_data
from bot.replies.multipart import split_reply
from bot.replies.parser import parse_reply
from bot.reporting.digest import build_digest, render_digest
from bot.store.overview import digest_rows, target_rows
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import Catalog, DocumentEntry, load_catalog
from scheduler.jobs import tick
from scheduler.sender import Pacer, SenderConfig, drain
from scheduler.transport import MemoryTransport, SentMessage

PERSONAS = ("prompt", "prompt", "prompt", "late", "late", "blocked", "silent", "silent")
CHAT_BASE = 700_000_000
COORDINATOR = 1
TICKS = (dt.time(9, 31), dt.time(18, 0))
REPLY_AT = dt.time(10, 0)
ANSWER_EVERY = dt.timedelta(days=30)


DEADLINE_AT = 0.75  # where the busiest deadline sits in a window chosen from the data
STALE_AFTER = dt.timedelta(days=365)  # a document whose period ended this long before the window is not in force


def in_force(document: DocumentEntry, start: dt.date, end: dt.date) -> bool:
    """Whether a document is simulated over [start, end): issued by the end, its period not long over."""
    return document.issued <= end and (document.period_end is None or document.period_end >= start - STALE_AFTER)


def deadlines_in(catalog: Catalog, start: dt.date, days: int) -> int:
    """How many tasks of the documents in force fall due within [start, start + days)."""
    end = start + dt.timedelta(days=days)
    live = {d.id for d in catalog.documents if in_force(d, start, end)}
    return sum(1 for t in catalog.tasks if t.document_id in live and t.deadline and start <= t.deadline < end)


def default_window(catalog: Catalog, days: int) -> dt.date | None:
    """The first day of the `days` that hold the most deadlines (the latest such window on a tie), the busiest
    deadline DEADLINE_AT into it; None when no task has a deadline."""
    best: tuple[int, dt.date] | None = None
    for deadline in sorted({t.deadline for t in catalog.tasks if t.deadline}):
        start = deadline - dt.timedelta(days=round(days * DEADLINE_AT))
        found = (deadlines_in(catalog, start, days), start)
        best = found if best is None or found >= best else best
    return best[1] if best else None


def in_force_only(catalog: Catalog, start: dt.date, days: int) -> Catalog:
    """The catalog with only the documents in force over the window (and their tasks and targets)."""
    end = start + dt.timedelta(days=days)
    live = {d.id for d in catalog.documents if in_force(d, start, end)}
    return replace(
        catalog,
        documents=[d for d in catalog.documents if d.id in live],
        tasks=[t for t in catalog.tasks if t.document_id in live],
        targets=[t for t in catalog.targets if t.document_id in live],
    )


def persona_of(unit: str) -> str:
    digest = hashlib.sha256(unit.encode()).digest()
    return PERSONAS[digest[0] % len(PERSONAS)]


FIRST_ANSWER_WITHIN = 35  # days: when a unit first answers, spread over five weeks (people do not all answer at once)


def first_answer_delay(unit: str) -> dt.timedelta:
    """How long after the start a unit first answers, from a hash of its name (the same every run). Until
    then it keeps the newest message it got and answers that one; afterwards it answers each message the
    morning it arrives. Units then report over five weeks, not all on the first day, and the weekly digest
    changes from week to week."""
    return dt.timedelta(days=hashlib.sha256(unit.encode()).digest()[1] % FIRST_ANSWER_WITHIN)


def scripted_reply(persona: str, deadline: dt.date | None, today: dt.date, rng_byte: int) -> str | None:
    """Pure: what a unit of this persona writes back today about a task with this deadline."""
    if persona == "silent":
        return None
    if persona == "blocked":
        return "资金尚未到位，项目推进受阻，需市财政局协调"
    days = (deadline - today).days if deadline else None
    if persona == "prompt" and days is not None and days <= 7:
        return "已完成，相关材料已报送"
    if persona == "late" and days is not None and days < -14:
        return "已办结"
    percent = 30 + rng_byte % 60
    if deadline is None:
        return f"正在推进，已完成{percent}%"
    return f"正在推进，已完成{percent}%，预计{deadline.month}月底完成"


@dataclass
class SimulationResult:
    sent: list[SentMessage] = field(default_factory=list)
    replies: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    digest: str = ""
    personas: Counter[str] = field(default_factory=Counter)
    documents: tuple[int, int] = (0, 0)  # documents simulated (in force over the window), of those in the file
    recipients: dict[int, str] = field(default_factory=dict)  # chat id → unit name (or the coordinator)
    messages: int = 0  # sent in all (`sent` is empty with on_sent)
    chat_days: Counter[int] = field(default_factory=Counter)  # messages a chat got in a day → how many such days

    def per_chat_day(self, quantile: float) -> int:
        """Messages to one chat on one day (days a chat got any): the `quantile` of them, 1.0 = the most."""
        counts = sorted(n for n, days in self.chat_days.items() for _ in range(days))
        return counts[min(len(counts) - 1, int(quantile * len(counts)))] if counts else 0


class VirtualClock:
    """The wall clock (`now`, which a test may step as NTP would) and a monotonic one that the pacer sleeps
    on and that never steps; sleeping advances both."""

    def __init__(self, start: dt.datetime):
        self.now = start
        self.seconds = 0.0

    def __call__(self) -> dt.datetime:
        return self.now

    def monotonic(self) -> float:
        return self.seconds

    async def sleep(self, seconds: float) -> None:
        self.seconds += seconds
        self.now += dt.timedelta(seconds=seconds)


async def _bind_all(engine: AsyncEngine) -> dict[int, tuple[str, str]]:
    """A chat per unit that has work; chat id → (unit name, persona)."""
    async with db.session_scope(engine) as session:
        units = (
            await session.execute(
                select(id_column(Unit), col(Unit.name)).where(
                    col(Unit.id).in_(select(col(Assignment.unit_id)).where(~col(Assignment.archived)))
                )
            )
        ).all()
        await session.execute(
            insert(Chat),
            [
                {"chat_id": CHAT_BASE + uid, "unit_id": uid, "kind": "private", "title": name, "bound_at": utcnow()}
                for uid, name in units
            ],
        )
    return {CHAT_BASE + uid: (name, persona_of(name)) for uid, name in units}


async def simulate(
    tasks_file: Path,
    db_path: Path,
    start: dt.date,
    days: int,
    tz: ZoneInfo,
    progress: Callable[[int], None] | None = None,
    on_sent: Callable[[SimulationResult, list[SentMessage]], None] | None = None,
) -> SimulationResult:
    engine = db.make_engine(f"sqlite+aiosqlite:///{db_path}", in_loop=True)
    try:
        await db.ensure_schema(engine)
        catalog = load_catalog(tasks_file)
        simulated = in_force_only(catalog, start, days)
        async with db.session_scope(engine) as session:
            await import_catalog(session, simulated, actor="simulate")
        chats = await _bind_all(engine)
        result = SimulationResult(
            personas=Counter(p for _, p in chats.values()),
            recipients={chat: unit for chat, (unit, _) in chats.items()},
            documents=(len(simulated.documents), len(catalog.documents)),
        )
        clock = VirtualClock(dt.datetime.combine(start, dt.time(0), tzinfo=tz))
        transport = MemoryTransport(clock=clock)
        pacer = Pacer(SenderConfig(), clock.monotonic, clock.sleep)
        answered: dict[int, dt.date] = {}
        inbox: dict[int, SentMessage] = {}  # chat → the newest message it has not answered yet
        first_day = {chat: start + first_answer_delay(unit) for chat, (unit, _) in chats.items()}
        for offset in range(days):
            day = start + dt.timedelta(days=offset)
            day_first = len(transport.sent)
            for at in TICKS:
                clock.now = max(clock.now, dt.datetime.combine(day, at, tzinfo=tz))
                await tick(engine, clock.now, tz, (COORDINATOR,))
                first_new = len(transport.sent)
                await drain(engine, transport, now=clock, worker="simulate", pacer=pacer, coordinators=(COORDINATOR,))
                if at == TICKS[0]:
                    clock.now = max(clock.now, dt.datetime.combine(day, REPLY_AT, tzinfo=tz))
                    inbox.update((s.chat_id, s) for s in transport.sent[first_new:] if s.reply_markup)
                    due = [inbox.pop(chat) for chat in list(inbox) if first_day.get(chat, day) <= day]
                    result.replies += await _answer(engine, due, chats, clock, tz, answered)
            result.chat_days.update(Counter(Counter(s.chat_id for s in transport.sent[day_first:]).values()))
            if on_sent is not None:
                on_sent(result, transport.sent)
                transport.sent = []
            if progress:
                progress(offset + 1)
        result.sent = transport.sent
        result.messages = transport.count
        async with db.session_scope(engine) as session:
            rows = await digest_rows(session)
            targets = await target_rows(session)
        result.digest = render_digest(build_digest(rows, targets, start + dt.timedelta(days=days)))
        return result
    finally:
        await engine.dispose()


async def _answer(
    engine: AsyncEngine,
    sent: list[SentMessage],
    chats: dict[int, tuple[str, str]],
    clock: VirtualClock,
    tz: ZoneInfo,
    answered: dict[int, dt.date],
) -> int:
    """The scripted units answer what they received, through the real reply path: a prompt with one
    reply, a 督办单 with one reply of a line per task (「3. 正在推进，已完成40%…」)."""
    today = clock.now.astimezone(tz)
    replies = 0
    async with db.session_scope(engine) as session:  # one morning's answers, one transaction
        for message in sent:
            if message.chat_id not in chats or not message.reply_markup:
                continue
            sheet = await sheet_for_message(session, message.chat_id, message.message_id)
            button = callback_data.parse(message.reply_markup["inline_keyboard"][0][0]["callback_data"])
            items = (
                [(int(i["n"]), int(i["assignment_id"])) for i in sheet.items if i.get("own")]
                if sheet
                else [(0, button[1])]
                if button and button[0] == callback_data.REPORT
                else []
            )
            # people answer a nagging bot about once a month, not every reminder
            items = [(n, a) for n, a in items if answered.get(a, dt.date.min) <= today.date() - ANSWER_EVERY]
            if not items:
                continue
            unit, persona = chats[message.chat_id]
            deadlines = await _deadlines(session, sorted(a for _, a in items))
            lines = {
                n: scripted_reply(persona, deadlines.get(a), today.date(), (message.message_id + n) % 251)
                for n, a in items
            }
            for _, assignment in items:
                answered[assignment] = today.date()
            if sheet is None:
                text = lines[0]
                if text is None:
                    continue
                outcome = await submit_report(
                    session,
                    chat_id=message.chat_id,
                    assignment_id=items[0][1],
                    text=text,
                    parsed=parse_reply(text, today),
                    source=ReportSource.REPLY,
                    user_id=message.chat_id,
                    user_name=unit,
                    at=clock.now,
                )
                replies += outcome.outcome == ReportOutcome.STORED
                continue
            text = "\n".join(f"{n}. {line}" for n, line in lines.items() if line is not None)
            if not text:
                continue
            resolutions = resolve(split_reply(text), [], sheet.items)
            report = await submit_parts(
                session,
                resolutions,
                chat_id=message.chat_id,
                source=ReportSource.REPLY,
                user_id=message.chat_id,
                user_name=unit,
                at=clock.now,
            )
            replies += len(report.stored)
    return replies


async def _deadlines(session: AsyncSession, assignments: list[int]) -> dict[int, dt.date | None]:
    """Each assignment's deadline (its extension, if any), read in pages of a few hundred ids."""
    found: dict[int, dt.date | None] = {}
    for start in range(0, len(assignments), 500):
        rows = await session.execute(
            select(id_column(Assignment), func.coalesce(col(Assignment.deadline_override), col(Task.deadline)))
            .join(Task, col(Task.id) == col(Assignment.task_id))
            .where(col(Assignment.id).in_(assignments[start : start + 500]))
        )
        found.update((assignment, deadline) for assignment, deadline in rows)
    return found
