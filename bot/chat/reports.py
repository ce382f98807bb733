"""Progress reports (进展报告): who may report on what, storing a report, and the assignment that follows.

- A chat touches only its own unit's assignments. Anything else — a forged button, a reply to another
  unit's prompt forwarded here — is refused and the refusal is audited (`access.refused`).
- A report is stored whole (text, sender, chat, source, parsed fields), in the caller's transaction,
  with its audit row; the handler acknowledges only after that transaction committed.
- The assignment follows the newest report (`next_state`): a stated status, percent or date replaces
  the old one; what the report does not state is kept, except that "done" means 100% and no
  expected date, and a first report without a status word moves 未报告 to 进行中. 尚未启动 is stored
  on the report as `not_started` and keeps the assignment at `pending` (the model has no fifth status).
- Refused without storing anything, each with its own Chinese answer: an empty (or only invisible:
  zero-width, format characters) or over-long text, a percent outside 0-100, a date that does not
  exist, an expected date already past or more than a few years ahead and after the deadline, a task
  marked 办结 or archived, and the very same report again (a button pressed twice, a double tap on
  "which task").
- A report sent back (退办, bot/chat/returns.py) is no "same report" for the duplicate check: the unit
  may send it again. (Its lead units learn of 已完成 and 受阻 reports the next morning, bot/chat/lead_notices.py.)
- A quantity the text states for one of the task's targets (「已实施12项」) is stored as that target's
  value in the same transaction (bot/chat/target_values.py) and named in the answer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.chat.binding import chat_unit
from bot.chat.target_values import TargetMove, record_targets
from bot.core import db
from bot.core.models import Assignment, Document, Report, Task, Unit
from bot.core.vocab import Refusal, ReplyProblem, ReportedStatus, ReportOutcome, ReportSource, Role, Status
from bot.render.telegram_text import is_blank
from bot.replies.parser import ParsedReply
from bot.replies.parser import parse_reply as parse_reply  # re-exported: handlers/ import chat, not bot/replies/
from bot.replies.quantities import states_absurd as states_absurd  # the same
from bot.store import audit
from bot.store.assignment_views import AssignmentView, assignment_view

MAX_REPORT_CHARS = 4096
ASSIGNMENT_STATUS = {
    ReportedStatus.DONE: Status.DONE,
    ReportedStatus.IN_PROGRESS: Status.IN_PROGRESS,
    ReportedStatus.BLOCKED: Status.BLOCKED,
    ReportedStatus.NOT_STARTED: Status.PENDING,
}
BUTTON_STATUS = {"done": ReportedStatus.DONE, "progress": ReportedStatus.IN_PROGRESS, "blocked": ReportedStatus.BLOCKED}


@dataclass(frozen=True)
class Access:
    """Whether a chat may act on an assignment; `refused` names why not."""

    refused: Refusal | None
    unit: Unit | None = None
    view: AssignmentView | None = None


async def authorize(
    session: AsyncSession, chat_id: int, assignment_id: int, *, user_id: int | None, action: str = "report"
) -> Access:
    bound = await chat_unit(session, chat_id)
    if bound is None:
        return Access(Refusal.UNBOUND)
    unit = bound[1]
    view = await assignment_view(session, assignment_id)
    if view is None:
        return Access(Refusal.MISSING, unit)
    if view.unit_id != unit.id:
        audit.record(
            session,
            audit.actor_of(user_id),
            "access.refused",
            "assignment",
            assignment_id,
            action=action,
            chat_id=chat_id,
            chat_unit_id=unit.id,
            assignment_unit_id=view.unit_id,
        )
        return Access(Refusal.NOT_YOURS, unit)
    if view.role == Role.SUPERVISE:  # a 督查单位 watches the task; the units doing it report
        audit.record(
            session,
            audit.actor_of(user_id),
            "access.refused",
            "assignment",
            assignment_id,
            action=action,
            chat_id=chat_id,
            chat_unit_id=unit.id,
            role=view.role,
        )
        return Access(Refusal.SUPERVISING, unit, view)
    if view.archived:
        return Access(Refusal.ARCHIVED, unit, view)
    if view.closed:
        return Access(Refusal.CLOSED, unit, view)
    return Access(None, unit, view)


async def still_live(session: AsyncSession, assignment_id: int) -> bool:
    """The check `authorize` made, again as this transaction's first write, which takes the assignment's row
    lock: a re-import that archived the task (or the assignment, or its document) and committed between the
    read and the write is seen here, and the report is refused instead of landing on a removed task. On SQLite
    the write takes the database's write lock, so nothing commits between this check and the report."""
    live_task = (
        select(col(Task.id))
        .join(Document, col(Document.id) == col(Task.document_id))
        .where(~col(Task.archived), ~col(Document.archived))
        .with_for_update(read=True, of=Task)  # PostgreSQL: an import archiving the task waits for this report
    )
    guard = (
        update(Assignment)
        .where(col(Assignment.id) == assignment_id, ~col(Assignment.archived), col(Assignment.task_id).in_(live_task))
        .values(archived=col(Assignment.archived))
        .execution_options(synchronize_session=False)
    )
    return bool(db.rowcount(await session.execute(guard)))


def text_problem(text: str) -> ReportOutcome | None:
    """EMPTY or TOO_LONG for a report text that cannot be stored, else None."""
    if is_blank(text):
        return ReportOutcome.EMPTY
    return ReportOutcome.TOO_LONG if len(text) > MAX_REPORT_CHARS else None


def next_state(
    status: Status, percent: int | None, expected: dt.date | None, parsed: ParsedReply
) -> tuple[Status, int | None, dt.date | None]:
    """Pure: the assignment's (status, percent, expected date) after a report."""
    if parsed.status is not None:
        status = ASSIGNMENT_STATUS[parsed.status]
    elif status == Status.PENDING:
        status = Status.IN_PROGRESS
    if parsed.percent is not None:
        percent = parsed.percent
    if parsed.expected_date is not None:
        expected = parsed.expected_date
    if status == Status.DONE:
        percent, expected = 100, None
    return status, percent, expected


@dataclass(frozen=True)
class ReportResult:
    outcome: ReportOutcome | Refusal
    view: AssignmentView | None = None  # after the report, when stored
    parsed: ParsedReply | None = None
    report_id: int | None = None
    previous_status: Status | None = None
    targets: tuple[TargetMove, ...] = ()  # target values the report stated (指标), stored with it


async def submit_report(
    session: AsyncSession,
    *,
    chat_id: int,
    assignment_id: int,
    text: str,
    parsed: ParsedReply,
    source: ReportSource,
    user_id: int | None,
    user_name: str | None,
    at: dt.datetime,
) -> ReportResult:
    """Store one report and move the assignment along, or say why not (nothing stored then)."""
    access = await authorize(session, chat_id, assignment_id, user_id=user_id)
    if access.refused is not None:
        return ReportResult(access.refused, access.view, parsed)
    view = access.view
    assert view is not None
    problem = text_problem(text)
    if problem is not None:
        return ReportResult(problem, view, parsed)
    parsed = within_deadline(parsed, view.deadline)
    if parsed.problems:
        return ReportResult(ReportOutcome.PROBLEM, view, parsed)
    if not await still_live(session, assignment_id):
        return ReportResult(Refusal.ARCHIVED, view, parsed)
    assignment = await session.get(Assignment, assignment_id)
    assert assignment is not None
    newest = (
        await session.execute(
            select(Report)
            .where(col(Report.assignment_id) == assignment_id)
            .order_by(col(Report.created_at).desc(), col(Report.id).desc())
            .limit(1)
        )
    ).scalar()
    if (
        newest is not None
        and newest.returned_at is None
        and newest.chat_id == chat_id
        and newest.text == text
        and newest.status == parsed.status
    ):
        return ReportResult(ReportOutcome.DUPLICATE, view, parsed)
    report = Report(
        assignment_id=assignment_id,
        created_at=at,
        chat_id=chat_id,
        user_id=user_id,
        user_name=(user_name or "")[:200] or None,
        source=source,
        text=text,
        status=parsed.status,
        percent=parsed.percent,
        expected_date=parsed.expected_date,
    )
    session.add(report)
    await session.flush()
    before = assignment.status
    assignment.status, assignment.percent, assignment.expected_date = next_state(
        assignment.status, assignment.percent, assignment.expected_date, parsed
    )
    assignment.last_report_at = at
    audit.record(
        session,
        audit.actor_of(user_id),
        "report.add",
        "assignment",
        assignment_id,
        report_id=report.id,
        source=source,
        chat_id=chat_id,
        status=assignment.status,
        previous_status=before,
        percent=assignment.percent,
        expected_date=assignment.expected_date,
    )
    moves = await record_targets(
        session,
        document_id=view.document_id,
        task_key=view.task_key,
        text=text,
        report_id=report.id,
        at=at,
        actor=audit.actor_of(user_id),
        unit_id=view.unit_id,
    )
    after = dataclasses.replace(
        view,
        status=assignment.status,
        percent=assignment.percent,
        expected_date=assignment.expected_date,
        last_report_at=at,
    )
    return ReportResult(ReportOutcome.STORED, after, parsed, report.id, before, moves)


def within_deadline(parsed: ParsedReply, deadline: dt.date | None) -> ParsedReply:
    """An expected date years ahead is questioned (ReplyProblem.DATE_TOO_FAR) unless the task itself runs
    that long: a 2035 plan's unit may well expect to finish in 2033."""
    if (
        ReplyProblem.DATE_TOO_FAR not in parsed.problems
        or parsed.expected_date is None
        or deadline is None
        or parsed.expected_date > deadline
    ):
        return parsed
    problems = tuple(p for p in parsed.problems if p != ReplyProblem.DATE_TOO_FAR)
    return dataclasses.replace(parsed, problems=problems, written=parsed.written if problems else None)


def button_report(action: str) -> ParsedReply:
    """What a tap on 已完成 / 进行中 / 受阻 says, as a parsed reply."""
    status = BUTTON_STATUS[action]
    return ParsedReply(status=status, percent=100 if status == ReportedStatus.DONE else None)


async def report_of_chat(
    session: AsyncSession, report_id: int, chat_id: int, *, user_id: int | None
) -> tuple[Report | None, Access]:
    """A stored report, if the chat may act on its assignment (the 申请延期 button under an answer)."""
    report = await session.get(Report, report_id)
    if report is None:
        return None, Access(Refusal.MISSING)
    access = await authorize(session, chat_id, report.assignment_id, user_id=user_id, action="extend")
    return (report if access.refused is None else None), access
