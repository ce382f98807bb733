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
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.core.memory import collector_paused
from bot.core.models import Assignment, Document, Outbox, Report, Sheet, Task, Unit, id_column
from bot.core.references import label
from bot.core.vocab import WORKING_ROLES, MessageKind, OutboxStatus, ReportedStatus
from bot.reporting.rankings import (
    REPLY_DAYS,
    AssignmentFact,
    History,
    Period,
    PromptFact,
    RankingInputs,
    ReportFact,
    Standing,
    summarize,
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
    deadline = func.coalesce(col(Assignment.deadline_override), col(Task.deadline))
    history = _ranked().where(
        (deadline.between((since - dt.timedelta(days=1)).date(), (until + dt.timedelta(days=1)).date()))
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
    rows = (
        await conn.execute(
            select(
                id_column(Assignment).label("assignment_id"),
                col(Unit.name).label("unit"),
                col(Assignment.role).label("role"),
                func.coalesce(col(Assignment.deadline_override), col(Task.deadline)).label("deadline"),
                col(Assignment.status).label("status"),
                col(Task.closed_at).label("closed_at"),
                col(Assignment.last_report_at).label("last_report_at"),
                id_column(Task).label("task_id"),
                func.coalesce(col(Document.short), "").label("document_short"),
                col(Task.key).label("task_key"),
                col(Task.title).label("task_title"),
            )
            .join(Unit, col(Unit.id) == col(Assignment.unit_id))
            .join(Task, col(Task.id) == col(Assignment.task_id))
            .join(Document, col(Document.id) == col(Task.document_id))
            .where(*_LIVE)
            .order_by(col(Assignment.id))
        )
    ).mappings()
    facts = [
        AssignmentFact(
            assignment_id=r["assignment_id"],
            unit=r["unit"],
            role=r["role"],
            deadline=r["deadline"],
            status=r["status"],
            closed_at=r["closed_at"],
            last_report_at=r["last_report_at"],
            task_id=r["task_id"],
            ref=label(r["document_short"], r["task_key"]),
            task_title=r["task_title"],
        )
        for r in rows
    ]
    needed = _needed_reports(since, until, first_end or since)
    reports = [ReportFact(a, at, status) for a, at, status in (await conn.execute(needed)).all()]
    since -= dt.timedelta(days=REPLY_DAYS)
    sent = (
        col(Outbox.status) == OutboxStatus.SENT,
        col(Outbox.send_at) >= since - SENT_LATE,
        col(Outbox.send_at) < until,
        col(Outbox.sent_at) >= since,
        col(Outbox.sent_at) < until,
    )
    first_sent = (
        select(col(Outbox.sheet_id), func.min(col(Outbox.sent_at)).label("sent_at"))
        .where(col(Outbox.sheet_id).is_not(None), *sent)
        .group_by(col(Outbox.sheet_id))
        .subquery()
    )
    sheets = (
        await conn.execute(
            select(col(Sheet.items).label("items"), first_sent.c.sent_at)
            .join(first_sent, first_sent.c.sheet_id == col(Sheet.id))
            .where(col(Sheet.unit_id).is_not(None))
        )
    ).mappings()
    prompts = [
        PromptFact(int(item["assignment_id"]), sheet["sent_at"])
        for sheet in sheets
        for item in sheet["items"]
        if item.get("own")
    ]
    single = await conn.execute(
        select(col(Outbox.assignment_id), col(Outbox.sent_at)).where(
            col(Outbox.sheet_id).is_(None),
            col(Outbox.assignment_id).is_not(None),
            col(Outbox.kind).in_(_PROMPT_KINDS),
            *sent,
        )
    )
    # the where clause has both (assignment_id is not None, sent_at in the window): the filter only says so to mypy
    prompts += [PromptFact(a, at) for a, at in single.all() if a is not None and at is not None]
    return RankingInputs(facts, reports, prompts)


async def standings(session: AsyncSession, period: Period, tz: ZoneInfo) -> list[Standing]:
    """The units ranked over `period` (as /units shows the month to date); the cyclic collector paused, as
    for the bulletin (bot/chat/exports.read_bulletin)."""
    with collector_paused():
        inputs = await ranking_inputs(
            session, since=period.begins(tz), until=period.ends(tz), first_end=period.ends(tz)
        )
        return summarize(History(inputs), period, tz).standings
