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

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.core.memory import collector_paused
from bot.core.models import Assignment, Document, Outbox, Report, Sheet, Task, Unit
from bot.core.references import label
from bot.core.vocab import WORKING_ROLES, MessageKind, OutboxStatus
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


def _ranked() -> object:
    """The ids of the assignments the rankings count (a sub-select, so reports need no join of their own)."""
    return (
        select(col(Assignment.id))
        .join(Task, col(Task.id) == col(Assignment.task_id))
        .join(Document, col(Document.id) == col(Task.document_id))
        .where(*_LIVE)
    )


def _needed_reports(since: dt.datetime, until: dt.datetime, first_end: dt.datetime) -> object:
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
                col(Assignment.id),
                col(Unit.name),
                col(Assignment.role),
                func.coalesce(col(Assignment.deadline_override), col(Task.deadline)),
                col(Assignment.status),
                col(Task.closed_at),
                col(Assignment.last_report_at),
                col(Task.id),
                func.coalesce(col(Document.short), ""),
                col(Task.key),
                col(Task.title),
            )
            .join(Unit, col(Unit.id) == col(Assignment.unit_id))
            .join(Task, col(Task.id) == col(Assignment.task_id))
            .join(Document, col(Document.id) == col(Task.document_id))
            .where(*_LIVE)
            .order_by(col(Assignment.id))
        )
    ).all()
    facts = [
        AssignmentFact(
            assignment_id=r[0],
            unit=r[1],
            role=r[2],
            deadline=r[3],
            status=r[4],
            closed_at=r[5],
            last_report_at=r[6],
            task_id=r[7],
            ref=label(r[8], r[9]),
            task_title=r[10],
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
            select(col(Sheet.items), first_sent.c.sent_at)
            .join(first_sent, first_sent.c.sheet_id == col(Sheet.id))
            .where(col(Sheet.unit_id).is_not(None))
        )
    ).all()
    prompts = [
        PromptFact(int(item["assignment_id"]), sent_at)
        for items, sent_at in sheets
        for item in items
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
    prompts += [PromptFact(a, sent_at) for a, sent_at in single.all()]
    return RankingInputs(facts, reports, prompts)


async def standings(session: AsyncSession, period: Period, tz: ZoneInfo) -> list[Standing]:
    """The units ranked over `period` (as /units shows the month to date); the cyclic collector paused, as
    for the bulletin (bot/reporting/bulletin_docx.read_bulletin)."""
    with collector_paused():
        inputs = await ranking_inputs(
            session, since=period.begins(tz), until=period.ends(tz), first_end=period.ends(tz)
        )
        return summarize(History(inputs), period, tz).standings
