"""What the rankings (bot/reporting/rankings.py) read: every unit's facts in four queries, whatever the
number of units — the live lead and responsible assignments, their reports up to the end of the period,
and the 督办单 items delivered in it.

A prompt is a 督办单 item about the recipient unit's own assignment (`own` in Sheet.items; an escalation
about another unit's task is not the recipient's to answer) whose message reached a chat (an outbox row
carrying the 督办单 with status sent; the first such moment counts), at most SENT_LATE after it was due. Rows
from before the 督办单 existed — one outbox row per reminder, prompt or overdue notice — count the same way.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Dialect, Select, func, select, true
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlmodel import col

from bot.core import db
from bot.core.memory import collector_paused
from bot.core.models import Assignment, Document, Outbox, Report, Sheet, Task, Unit, UTCDateTime, id_column
from bot.core.references import label
from bot.core.vocab import WORKING_ROLES, MessageKind, OutboxStatus, ReportedStatus, Status
from bot.reporting.rankings import (
    REPLY_DAYS,
    Aggregates,
    AssignmentFact,
    History,
    Overdue,
    Period,
    PromptFact,
    RankingInputs,
    ReportFact,
    Standing,
    rank_aggregates,
)

_LIVE = (
    ~col(Assignment.archived),
    ~col(Task.archived),
    ~col(Document.archived),
    ~col(Document.ended),  # an ended (已到期) plan is in no ranking
    col(Assignment.role).in_(WORKING_ROLES),
)
_PROMPT_KINDS = (MessageKind.REMINDER, MessageKind.PROMPT, MessageKind.OVERDUE)
# The outbox is the store's biggest table (millions of rows after years): its rows are found through the
# (status, send_at) index, so a message counts if it went out within SENT_LATE of the moment it was due.
SENT_LATE = dt.timedelta(days=7)


def _ranked() -> Select[int]:
    """The ids of the assignments the rankings count (a sub-select, so reports need no join of their own)."""
    return (
        select(id_column(Assignment))
        .join(Task, col(Task.id) == col(Assignment.task_id))
        .join(Document, col(Document.id) == col(Task.document_id))
        .where(*_LIVE)
    )


def _needed_reports(
    since: dt.datetime, until: dt.datetime, first_end: dt.datetime
) -> Select[int, dt.datetime, ReportedStatus | None]:
    """The reports a ranking of periods within [since, until) can look at, not all 100,000 (issue 23: /units
    read them all). `rankings.state_at` needs an assignment's history only when its deadline falls in a
    period (was it done in time?) or when it reported after the end of a period (`first_end`, the earliest
    end: the store's status is then not yet the state at that end); for everyone else the store's status is
    the state. The reply rate
    needs the reports that answer a prompt: those after the first prompt counted, REPLY_DAYS before `since`.
    The deadline bounds are a day wider than the periods' dates (the zone is the caller's), so no report
    a ranking needs is left out; a few more are harmless."""
    history = _ranked().where(
        (_deadline().between((since - dt.timedelta(days=1)).date(), (until + dt.timedelta(days=1)).date()))
        | (col(Assignment.last_report_at) >= first_end)
    )
    return select(col(Report.assignment_id), col(Report.created_at), col(Report.status)).where(
        col(Report.created_at) < until,
        col(Report.assignment_id).in_(_ranked()),
        (col(Report.created_at) >= since - dt.timedelta(days=REPLY_DAYS)) | col(Report.assignment_id).in_(history),
    )


async def ranking_inputs(
    session: AsyncSession, *, since: dt.datetime, until: dt.datetime, first_end: dt.datetime | None = None
) -> RankingInputs:
    """The facts for rankings of any periods within [since, until): all reports before `until` (a state at
    a moment needs the history), the prompts whose reply time ends in [since, until) (delivered from
    REPLY_DAYS before `since`). `first_end`: the end of the earliest period ranked (default `since`, which
    is never later). Core rows, not the ORM's: its
    per-row loading was a third of the time for 100,000 reports."""
    conn = await session.connection()
    facts = await _facts(conn)
    needed = _needed_reports(since, until, first_end or since)
    reports = [ReportFact(a, at, status) for a, at, status in (await conn.execute(needed)).all()]
    delivered = await _delivered(conn, since - dt.timedelta(days=REPLY_DAYS), until)
    prompts = [PromptFact(a, at) for at, ids in delivered.items() for a in ids]
    return RankingInputs(facts, reports, prompts)


async def _facts(conn: AsyncConnection, *where: ColumnElement[bool]) -> list[AssignmentFact]:
    """The live lead and responsible assignments (those `where` also holds for), in id order. Converted tuples
    (`db.converted_rows`), not SQLAlchemy's Rows: they were most of the time of 50,000 facts."""
    rows = await db.converted_rows(
        conn,
        select(
            id_column(Assignment),
            col(Unit.name),
            col(Assignment.role),
            _deadline(),
            col(Assignment.status),
            col(Task.closed_at),
            col(Assignment.last_report_at),
            id_column(Task),
            func.coalesce(col(Document.short), ""),
            col(Task.key),
            col(Task.title),
        )
        .join(Unit, col(Unit.id) == col(Assignment.unit_id))
        .join(Task, col(Task.id) == col(Assignment.task_id))
        .join(Document, col(Document.id) == col(Task.document_id))
        .where(*_LIVE, *where)
        .order_by(col(Assignment.id)),
    )
    return [
        AssignmentFact(a, unit, role, deadline, status, closed_at, last_report_at, task_id, label(short, key), title)
        for a, unit, role, deadline, status, closed_at, last_report_at, task_id, short, key, title in rows
    ]


async def _delivered(
    conn: AsyncConnection, since: dt.datetime, until: dt.datetime, before: dt.datetime | None = None, raw: bool = False
) -> dict[Any, set[int]]:
    """delivered → the assignments of the prompts that reached a chat then, in [since, until), sent at most
    SENT_LATE after they were due (and delivered before `before`): each own item of a 督办单 at its first
    delivery, and each old-style single prompt row. The rows as the driver gives them (`db.plain_rows`), a
    督办单's items decoded once; `raw`: the delivery times too, as stored (`_Stored`), else as aware datetimes."""
    sent = (
        col(Outbox.status) == OutboxStatus.SENT,
        col(Outbox.send_at) >= since - SENT_LATE,
        col(Outbox.send_at) < until,
        col(Outbox.sent_at) >= since,
        col(Outbox.sent_at) < until,
    )
    first = func.min(col(Outbox.sent_at))
    first_sent = (
        select(col(Outbox.sheet_id), first.label("sent_at"))
        .where(col(Outbox.sheet_id).is_not(None), *sent)
        .group_by(col(Outbox.sheet_id))
        .having(true() if before is None else first < before)
        .subquery()
    )
    sheets = await db.plain_rows(
        conn,
        select(col(Sheet.items), first_sent.c.sent_at)
        .join(first_sent, first_sent.c.sheet_id == col(Sheet.id))
        .where(col(Sheet.unit_id).is_not(None)),
    )
    delivered: dict[Any, set[int]] = {}
    for items, sent_at in sheets:
        ids = delivered.setdefault(sent_at, set())
        decoded = json.loads(items) if isinstance(items, str | bytes) else items
        ids.update(int(item["assignment_id"]) for item in decoded if item.get("own"))
    single = await db.plain_rows(
        conn,
        select(col(Outbox.assignment_id), col(Outbox.sent_at))
        .where(
            col(Outbox.sheet_id).is_(None),
            col(Outbox.assignment_id).is_not(None),
            col(Outbox.kind).in_(_PROMPT_KINDS),
            *sent,
        )
        .where(true() if before is None else col(Outbox.sent_at) < before),
    )
    for a, sent_at in single:
        delivered.setdefault(sent_at, set()).add(a)
    if raw:
        return delivered
    stored = _Stored(conn.dialect)
    converted: dict[Any, set[int]] = {}
    for sent_at, ids in delivered.items():
        converted.setdefault(stored.load(sent_at), set()).update(ids)
    return converted


class _Stored:
    """Times as the driver gives and takes them (text on SQLite, datetimes on PostgreSQL): tens of thousands
    of rows compared as they come, and only the few values computed here converted (UTCDateTime's own
    conversions, so that they compare as the stored ones do)."""

    def __init__(self, dialect: Dialect) -> None:
        kind = UTCDateTime().dialect_impl(dialect)  # with the dialect's own text ↔ datetime conversion
        self._load: Callable[[Any], Any] = kind.result_processor(dialect, None) or (lambda value: value)
        self._dump: Callable[[Any], Any] = kind.bind_processor(dialect) or (lambda value: value)

    def load(self, value: Any) -> dt.datetime:
        """A stored time as an aware UTC datetime."""
        return cast(dt.datetime, self._load(value))

    def plus(self, value: Any, delta: dt.timedelta) -> Any:
        """The stored time `delta` after a stored time."""
        return self._dump(self._load(value) + delta)

    def of(self, value: dt.datetime) -> Any:
        return self._dump(value)


async def standings(session: AsyncSession, period: Period, tz: ZoneInfo) -> list[Standing]:
    """The units ranked over `period` (as /units shows the month to date): the same standings as the bulletin's
    `summarize` over every fact, without building every fact (issue 23: /units read all 100,000 reports and
    50,000 assignments into Python, 0.9–1.1 s). Seven queries whatever the size (`rankings.Aggregates`):
    - the assignments whose state at the end needs their reports — due in the period (was it done in time?)
      or reported on after its end — with those reports (a few thousand rows for a month), and every other
      assignment's overdue item, decided in SQL (`_known`);
    - the reply rate's counts per unit (`_reply_counts`).
    The cyclic collector paused, as for the bulletin (bot/chat/exports.read_bulletin)."""
    begins, ends = period.begins(tz), period.ends(tz)
    with collector_paused():
        conn = await session.connection()
        history, overdue = await _known(conn, period, ends)
        replies = await _reply_counts(conn, begins, ends)
        return rank_aggregates(Aggregates(history, overdue, replies), period, tz)


def _deadline() -> ColumnElement[dt.date]:
    return func.coalesce(col(Assignment.deadline_override), col(Task.deadline))


async def _known(
    conn: AsyncConnection, period: Period, ends: dt.datetime
) -> tuple[History, list[tuple[int, str, Overdue]]]:
    """One pass over the assignments for what their deadlines say:
    - the history: the assignments due in the period or reported on after its end, with their reports before
      the end (their state needs them);
    - the overdue items of the others, decided in SQL: due before the period, nothing reported since its end,
      so the store's status is the state (`rankings.state_at`), done also when 办结 before the end."""
    needed = (col(Assignment.last_report_at) >= ends) | _deadline().between(period.start, period.end)
    overdue = (
        (_deadline() < period.start)
        & (col(Assignment.last_report_at).is_(None) | (col(Assignment.last_report_at) < ends))
        & (col(Assignment.status) != Status.DONE)
        & (col(Task.closed_at).is_(None) | (col(Task.closed_at) >= ends))
    )
    facts = await _facts(conn, needed | overdue)
    history = [f for f in facts if _needs_history(f, period, ends)]
    reports = (
        await conn.execute(
            select(col(Report.assignment_id), col(Report.created_at), col(Report.status)).where(
                col(Report.created_at) < ends,
                # the ids found, not the condition again: that was a second pass over every assignment
                col(Report.assignment_id).in_([f.assignment_id for f in history]),
            )
        )
    ).all()
    items = [
        (f.assignment_id, f.unit, Overdue(f.ref, f.task_title, (period.end - f.deadline).days))
        for f in facts
        if f.deadline is not None and not _needs_history(f, period, ends)
    ]
    return History(RankingInputs(history, [ReportFact(a, at, status) for a, at, status in reports], [])), items


def _needs_history(fact: AssignmentFact, period: Period, ends: dt.datetime) -> bool:
    """`_known`'s `needed`, on a fact already read."""
    if fact.last_report_at is not None and fact.last_report_at >= ends:
        return True
    return fact.deadline is not None and period.start <= fact.deadline <= period.end


async def _reply_counts(conn: AsyncConnection, begins: dt.datetime, ends: dt.datetime) -> dict[str, tuple[int, int]]:
    """unit → (prompts counted, answered) of the prompts delivered in [begins − 7 days, ends − 7 days), as
    `rankings.summarize` counts them: answered by a report within 7 days of delivery; unanswered counted
    unless the task was 办结 before its 7 days ran out.

    Matched here, not in SQL: a month's 48,000 prompts each looked up among the reports cost SQLite 3–9 µs a
    lookup (0.3–0.45 s; a covering index or a window function no better). Here the deliveries are taken in
    time order while the reports of their 7 days enter and leave a count by assignment (a sweep: each report
    is counted in and out once), and a delivery's answered prompts are a set intersection. The rows come as the
    driver gives them (`db.plain_rows`, `_Stored`), and a 督办单's items are decoded once per 督办单."""
    window = dt.timedelta(days=REPLY_DAYS)
    stored = _Stored(conn.dialect)
    delivered = await _delivered(conn, begins - window, ends, before=ends - window, raw=True)
    reports = await db.plain_rows(
        conn,
        select(col(Report.created_at), col(Report.assignment_id))
        .where(col(Report.created_at) >= begins - window, col(Report.created_at) < ends)
        .order_by(col(Report.created_at)),
    )
    live = await db.plain_rows(
        conn,
        select(id_column(Assignment), col(Assignment.unit_id), col(Task.closed_at))
        .join(Task, col(Task.id) == col(Assignment.task_id))
        .join(Document, col(Document.id) == col(Task.document_id))
        .where(*_LIVE),
    )
    unit_of: dict[int, int] = {}
    closed: dict[int, Any] = {}  # the live assignments of 办结 tasks: when, as stored
    for a, unit, closed_at in live:
        unit_of[a] = unit
        if closed_at is not None:
            closed[a] = closed_at
    live_ids, closed_ids = set(unit_of), set(closed)
    prompted: Counter[int] = Counter()  # unit id → prompts counted
    answered: Counter[int] = Counter()
    reporting: dict[int, int] = {}  # assignment → its reports in the current delivery's 7 days
    active: set[int] = set()  # the assignments reporting in them
    entered = left = 0
    for sent_at in sorted(delivered):
        until = stored.plus(sent_at, window)
        while entered < len(reports) and reports[entered][0] < until:
            a = reports[entered][1]
            reporting[a] = reporting.get(a, 0) + 1
            active.add(a)
            entered += 1
        while left < entered and reports[left][0] < sent_at:
            a = reports[left][1]
            if reporting[a] == 1:
                del reporting[a]
                active.discard(a)
            else:
                reporting[a] -= 1
            left += 1
        ids = delivered[sent_at] & live_ids  # sets both: the smaller is walked
        replied = ids & active
        unanswered = ids - replied
        if closed:  # not counted: 办结 before its 7 days ran out, nothing was left to answer
            unanswered -= {a for a in unanswered & closed_ids if closed[a] < until}
        answered.update(map(unit_of.__getitem__, replied))
        prompted.update(map(unit_of.__getitem__, replied))
        prompted.update(map(unit_of.__getitem__, unanswered))
    names = dict((await conn.execute(select(col(Unit.id), col(Unit.name)))).all())
    return {names[unit]: (n, answered[unit]) for unit, n in prompted.items()}
