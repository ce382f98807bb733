"""退办: a lead of the task, or a coordinator, sends a unit's report back with a reason.

- **Who** may is decided in one place, `may_return`: a coordinator, or a chat bound to a unit that leads
  the report's task. A lead's own unit's report is not returned (it reports again instead); anyone else
  is refused and the refusal audited (`access.refused`, action `return`), like every refusal.
- **Asked, then done.** 退回 (`rt:<report id>`, under a lead's notice and in /status) only asks for the
  reason: the question carries the report id in its 取消 button (`rt:<id>:no`), and a reply to the
  question is the reason — nothing waits in memory, so a restart between the two loses nothing.
- **One transaction** marks the report returned (returned_at, returned_by, return_reason; the row and its
  `report.add` audit row stay: the 留痕 keeps both), sets the assignment back to the state before that
  report — the replay of its other reports that were not returned, oldest first, through the same
  `next_state` a report uses (未报告 with nothing when none is left) — writes the `report.return` audit row,
  and queues the notice to the unit's chats (outbox, kind notice): the task, the report (shortened), the
  reason, and the report card's buttons, so it can report again at once (a reply to the notice is a
  report on that task too: the outbox row names the assignment).
- **Asked again.** The planner asks a returned assignment at the first send moment after the return
  (scheduler/planner.py, "asked again"), so the unit's next 督办单 carries the task even when no reminder
  or prompt falls due then.
- **Refused**, nothing changed: a report returned already (the first return counts; two racing taps
  cannot both win), a report the unit has reported again after (return the newer one: returning an older
  one would wipe the newer), a task 办结 (decision: refused with a pointer to /reopen — a closed task
  silently reopened by a return would surprise everyone told of its 办结), a task or assignment that left
  the file, an empty reason, or one over MAX_REASON_CHARS.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.chat.binding import chat_unit
from bot.chat.lead_notices import quote
from bot.chat.reports import next_state
from bot.core import db
from bot.core.models import Assignment, Report, Unit
from bot.core.vocab import MessageKind, ReturnOutcome, Status
from bot.render import messages as m
from bot.render.prompts import report_buttons
from bot.render.telegram_text import is_blank
from bot.replies.parser import ParsedReply
from bot.store import audit
from bot.store.assignment_views import AssignmentView, assignment_view, oversees
from bot.store.outbox import Outgoing, enqueue

MAX_REASON_CHARS = 500


async def may_return(session: AsyncSession, *, unit_id: int | None, task_id: int, coordinator: bool) -> bool:
    """Whether a chat (bound to `unit_id`, or none) of a user (`coordinator` or not) may send back reports of
    a task: a coordinator, or a unit that leads or supervises (督查) the task. The one place that decides it."""
    if coordinator:
        return True
    return unit_id is not None and await oversees(session, unit_id, task_id)


@dataclass(frozen=True)
class ReturnResult:
    outcome: ReturnOutcome
    report: Report | None = None
    view: AssignmentView | None = None  # the report's assignment (after the return, when RETURNED)
    notified: int = 0  # RETURNED: notice rows written to the outbox


@dataclass(frozen=True)
class RestoredState:
    status: Status
    percent: int | None
    expected_date: dt.date | None
    last_report_at: dt.datetime | None


def restored_state(reports: Sequence[Report]) -> RestoredState:
    """Pure: the assignment's state after `reports` (those that still count, oldest first), replayed from
    未报告 the way each was applied when it came in."""
    status, percent, expected = Status.PENDING, None, None
    for report in reports:
        parsed = ParsedReply(status=report.status, percent=report.percent, expected_date=report.expected_date)
        status, percent, expected = next_state(status, percent, expected, parsed)
    return RestoredState(status, percent, expected, reports[-1].created_at if reports else None)


async def _counting(session: AsyncSession, assignment_id: int) -> list[Report]:
    """The assignment's reports that were not returned, oldest first."""
    stmt = (
        select(Report)
        .where(col(Report.assignment_id) == assignment_id, col(Report.returned_at).is_(None))
        .order_by(col(Report.created_at), col(Report.id))
    )
    return list((await session.execute(stmt)).scalars())


async def _checked(
    session: AsyncSession, report_id: int, *, chat_id: int, user_id: int | None, coordinator: bool
) -> tuple[ReturnResult, Unit | None]:
    """The refusal, if this chat (or coordinator) may not return the report now; else ASK with the report
    and its assignment, and the chat's unit."""
    report = await session.get(Report, report_id)
    view = await assignment_view(session, report.assignment_id) if report is not None else None
    if report is None or view is None or view.archived:
        return ReturnResult(ReturnOutcome.MISSING, report, view), None
    bound = await chat_unit(session, chat_id)
    unit = bound[1] if bound is not None else None
    if unit is None and not coordinator:
        return ReturnResult(ReturnOutcome.UNBOUND, report, view), None
    if not await may_return(session, unit_id=unit.id if unit else None, task_id=view.task_id, coordinator=coordinator):
        audit.record(
            session,
            audit.actor_of(user_id),
            "access.refused",
            "report",
            report_id,
            action="return",
            chat_id=chat_id,
            chat_unit_id=unit.id if unit else None,
            assignment_id=view.id,
        )
        return ReturnResult(ReturnOutcome.NOT_ALLOWED, report, view), unit
    if not coordinator and unit is not None and unit.id == view.unit_id:
        return ReturnResult(ReturnOutcome.OWN, report, view), unit
    if report.returned_at is not None:
        return ReturnResult(ReturnOutcome.ALREADY, report, view), unit
    if view.closed:
        return ReturnResult(ReturnOutcome.CLOSED, report, view), unit
    newest = (await _counting(session, view.id))[-1:]
    if newest and newest[0].id != report.id:
        return ReturnResult(ReturnOutcome.SUPERSEDED, report, view), unit
    return ReturnResult(ReturnOutcome.ASK, report, view), unit


async def ask_reason(
    session: AsyncSession, report_id: int, *, chat_id: int, user_id: int | None, coordinator: bool
) -> ReturnResult:
    """退回 pressed: ASK (the handler asks for the reason) when this chat may return the report now."""
    return (await _checked(session, report_id, chat_id=chat_id, user_id=user_id, coordinator=coordinator))[0]


def reason_problem(reason: str) -> ReturnOutcome | None:
    if is_blank(reason):
        return ReturnOutcome.NO_REASON
    return ReturnOutcome.TOO_LONG if len(reason) > MAX_REASON_CHARS else None


async def return_report(
    session: AsyncSession,
    report_id: int,
    reason: str,
    *,
    chat_id: int,
    user_id: int | None,
    coordinator: bool,
    now: dt.datetime,
) -> ReturnResult:
    """The reason given: return the report (see the module docstring), or say why not (nothing changed)."""
    checked, unit = await _checked(session, report_id, chat_id=chat_id, user_id=user_id, coordinator=coordinator)
    if checked.outcome != ReturnOutcome.ASK:
        return checked
    report, view = checked.report, checked.view
    assert report is not None and view is not None
    problem = reason_problem(reason)
    if problem is not None:
        return ReturnResult(problem, report, view)
    reason = reason.strip()
    actor = audit.actor_of(user_id)
    # the assignment's row first (PostgreSQL: FOR UPDATE), so a report stored meanwhile is replayed, not lost
    assignment = (
        await session.execute(select(Assignment).where(col(Assignment.id) == view.id).with_for_update())
    ).scalar_one()
    won = await session.execute(
        update(Report)
        .where(col(Report.id) == report_id, col(Report.returned_at).is_(None))
        .values(returned_at=now, returned_by=actor, return_reason=reason)
    )
    await session.refresh(report)
    if db.rowcount(won) != 1:
        return ReturnResult(ReturnOutcome.ALREADY, report, view)
    before = assignment.status
    state = restored_state(await _counting(session, view.id))
    assignment.status, assignment.percent = state.status, state.percent
    assignment.expected_date, assignment.last_report_at = state.expected_date, state.last_report_at
    audit.record(
        session,
        actor,
        "report.return",
        "report",
        report_id,
        assignment_id=view.id,
        reason=reason,
        chat_id=chat_id,
        unit_id=unit.id if unit is not None and not coordinator else None,
        coordinator=coordinator,
        previous_status=before,
        status=state.status,
        percent=state.percent,
        expected_date=state.expected_date,
        last_report_at=state.last_report_at,
    )
    who = m.RETURN_BY_COORDINATOR if coordinator or unit is None else escape(unit.name)
    text = m.RETURN_NOTICE.format(
        who=who,
        task=escape(view.ref),
        task_title=escape(view.task_title),
        date=report.created_at.astimezone(now.tzinfo).date().isoformat(),
        text=quote(report.text),
        reason=escape(reason),
    )
    notified = (
        await enqueue(
            session,
            [
                Outgoing(
                    key=f"return:{report_id}",
                    kind=MessageKind.NOTICE,
                    text=text,
                    send_at=now,
                    unit_id=view.unit_id,
                    assignment_id=view.id,
                    reply_markup=report_buttons(view.id),
                )
            ],
        )
    ).inserted
    after = dataclasses.replace(
        view,
        status=state.status,
        percent=state.percent,
        expected_date=state.expected_date,
        last_report_at=state.last_report_at,
    )
    return ReturnResult(ReturnOutcome.RETURNED, report, after, notified)


async def newest_reports(session: AsyncSession, assignment_ids: Iterable[int]) -> dict[int, Report]:
    """assignment id → its newest report that still counts (not returned): what /status shows and offers to
    return. One query."""
    ids = sorted(set(assignment_ids))
    if not ids:
        return {}
    ranked = (
        select(
            col(Report.id),
            func.row_number()
            .over(
                partition_by=col(Report.assignment_id), order_by=(col(Report.created_at).desc(), col(Report.id).desc())
            )
            .label("n"),
        )
        # the test wrapped in a CASE so that SQLite searches by assignment, not along ix_report_returned_at over
        # every report not sent back (nearly all of them: 100,000 for a unit's /status)
        .where(col(Report.assignment_id).in_(ids), case((col(Report.returned_at).is_(None), True), else_=False))
        .subquery()
    )
    stmt = select(Report).join(ranked, ranked.c.id == col(Report.id)).where(ranked.c.n == 1)
    return {r.assignment_id: r for r in (await session.execute(stmt)).scalars()}


async def returnable(
    session: AsyncSession,
    views: Sequence[AssignmentView],
    newest: dict[int, Report],
    *,
    unit_id: int | None,
    coordinator: bool,
    closed: bool,
) -> list[tuple[AssignmentView, Report]]:
    """The (assignment, newest report) pairs of a task's /status the viewer may send back."""
    if (
        closed
        or not views
        or not await may_return(session, unit_id=unit_id, task_id=views[0].task_id, coordinator=coordinator)
    ):
        return []
    return [(v, newest[v.id]) for v in views if v.id in newest and (coordinator or v.unit_id != unit_id)]
