"""延期申请: a unit asks for a later deadline, a coordinator approves or refuses it.

- The request names the new date and a reason (offices require both, FIELD-NOTES). The new date must
  be in the future and later than the deadline in force; one request per assignment may wait at a time.
- Coordinators are told through the outbox (one notice each, with 同意延期 / 不同意 buttons); the unit
  is told the decision through the outbox too. Handlers never call the Bot API for these.
- A decision is taken once: a conditional UPDATE (… WHERE status = 'pending') lets only the first of two
  coordinators (or of two taps) win. Approval sets Assignment.deadline_override, which every query and
  the planner read as the effective deadline. Request and decision are audited, with old and new dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.chat.reports import authorize
from bot.core import db
from bot.core.models import Assignment, ExtensionRequest, pk
from bot.core.vocab import ExtensionOutcome, ExtensionStatus, MessageKind, Refusal
from bot.render import callback_data
from bot.render import messages as m
from bot.render.telegram_text import is_blank
from bot.replies.dates import MAX_YEARS_AHEAD as MAX_YEARS_AHEAD  # re-exported: handlers/ import chat, not replies/
from bot.replies.dates import DateProblem as DateProblem  # the same: /extend's date read as replies read dates
from bot.replies.dates import read_checked_date as read_checked_date  # the same
from bot.store import audit
from bot.store.assignment_views import AssignmentView, assignment_view
from bot.store.outbox import Outgoing, enqueue

MAX_REASON = 500


@dataclass(frozen=True)
class ExtensionResult:
    outcome: ExtensionOutcome | Refusal
    view: AssignmentView | None = None
    request: ExtensionRequest | None = None
    coordinators: int = 0


def _deadline(view: AssignmentView) -> str:
    return view.deadline.isoformat() if view.deadline else m.NO_DEADLINE


def decision_buttons(request_id: int) -> dict:
    approve = callback_data.make(callback_data.EXTEND_DECIDE, request_id, callback_data.YES)
    refuse = callback_data.make(callback_data.EXTEND_DECIDE, request_id, callback_data.NO)
    return callback_data.keyboard(
        [callback_data.button(m.BUTTON_APPROVE, approve), callback_data.button(m.BUTTON_REFUSE, refuse)]
    )


async def request_extension(
    session: AsyncSession,
    *,
    chat_id: int,
    assignment_id: int,
    new_date: dt.date,
    reason: str,
    user_id: int | None,
    now: dt.datetime,
    coordinators: Iterable[int],
) -> ExtensionResult:
    """Record a request and notify every coordinator; `now` is aware, in the configured time zone."""
    access = await authorize(session, chat_id, assignment_id, user_id=user_id, action="extend")
    if access.refused is not None:
        return ExtensionResult(access.refused, access.view)
    view = access.view
    assert view is not None
    reason = reason.strip()[:MAX_REASON]
    if new_date <= now.date():
        return ExtensionResult(ExtensionOutcome.PAST, view)
    if view.deadline is not None and new_date <= view.deadline:
        return ExtensionResult(ExtensionOutcome.NOT_LATER, view)
    if is_blank(reason):
        return ExtensionResult(ExtensionOutcome.NO_REASON, view)
    waiting = (
        await session.execute(
            select(ExtensionRequest).where(
                col(ExtensionRequest.assignment_id) == assignment_id,
                col(ExtensionRequest.status) == ExtensionStatus.PENDING,
            )
        )
    ).scalar()
    if waiting is not None:
        return ExtensionResult(ExtensionOutcome.WAITING, view, waiting)
    request = ExtensionRequest(
        assignment_id=assignment_id, requested_by=user_id, requested_at=now, new_date=new_date, reason=reason
    )
    session.add(request)
    await session.flush()
    audit.record(
        session,
        audit.actor_of(user_id),
        "extension.request",
        "assignment",
        assignment_id,
        request_id=request.id,
        new_date=new_date,
        deadline=view.deadline,
        reason=reason,
    )
    text = m.EXTEND_NOTICE.format(
        unit=escape(view.unit),
        task=escape(view.ref),
        task_title=escape(view.task_title),
        deadline=_deadline(view),
        date=new_date.isoformat(),
        reason=escape(reason),
    )
    targets = sorted(set(coordinators))
    await enqueue(
        session,
        [
            Outgoing(
                key=f"extension:{request.id}",
                kind=MessageKind.NOTICE,
                text=text,
                send_at=now,
                chat_id=c,
                assignment_id=assignment_id,
                reply_markup=decision_buttons(pk(request)),
            )
            for c in targets
        ],
    )
    return ExtensionResult(ExtensionOutcome.SENT, view, request, len(targets))


@dataclass(frozen=True)
class Decision:
    outcome: ExtensionOutcome
    request: ExtensionRequest | None = None
    view: AssignmentView | None = None


async def decide_extension(
    session: AsyncSession, *, request_id: int, approve: bool, user_id: int, now: dt.datetime
) -> Decision:
    """A coordinator's decision (the caller checked that the user is one); the unit is notified."""
    request = await session.get(ExtensionRequest, request_id)
    if request is None:
        return Decision(ExtensionOutcome.MISSING)
    verdict = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    won = await session.execute(
        update(ExtensionRequest)
        .where(col(ExtensionRequest.id) == request_id, col(ExtensionRequest.status) == ExtensionStatus.PENDING)
        .values(status=verdict, decided_by=user_id, decided_at=now)
    )
    await session.refresh(request)
    if db.rowcount(won) != 1:
        return Decision(ExtensionOutcome.ALREADY, request, await assignment_view(session, request.assignment_id))
    assignment = await session.get(Assignment, request.assignment_id)
    assert assignment is not None
    old = assignment.deadline_override
    if approve:
        assignment.deadline_override = request.new_date
    audit.record(
        session,
        audit.actor_of(user_id),
        f"extension.{'approve' if approve else 'refuse'}",
        "assignment",
        assignment.id,
        request_id=request_id,
        old_override=old,
        new_date=request.new_date,
    )
    await session.flush()
    view = await assignment_view(session, pk(assignment))
    assert view is not None
    template = m.EXTEND_APPROVED if approve else m.EXTEND_REFUSED
    text = template.format(
        task=escape(view.ref),
        task_title=escape(view.task_title),
        date=request.new_date.isoformat(),
        deadline=_deadline(view),
    )
    await enqueue(
        session,
        [
            Outgoing(
                key=f"extension:{request_id}:decision",
                kind=MessageKind.NOTICE,
                text=text,
                send_at=now,
                unit_id=view.unit_id,
                assignment_id=view.id,
            )
        ],
    )
    return Decision(ExtensionOutcome(verdict.value), request, view)
