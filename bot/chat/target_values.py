"""Target values (指标进度): a report moves them, its unit corrects them (更正), leads and coordinators set them.

- A report on a task with quantified targets that states a value (「已实施揭榜挂帅项目12项」) stores it,
  called by `submit_report` in the report's own transaction, so a report and the values it states are
  stored together or not at all. Values are totals reached so far, as a 工作方案 states its goals
  (「实施揭榜挂帅项目20项」 → 「已实施12项」); the newest value that is not void counts — when the lead
  stated it (or a coordinator or lead with /target). A responsible unit's figure is its contribution: stored,
  shown beside the target's value, never the target's value (bot/store/overview.value_counts).
- 更正 (the button under the answer that recorded a value): the chat of the unit that stated it, or a
  coordinator, gives the right number, or says 不是这个指标. Nothing is deleted (留痕): a correction is a
  new value (`source` correction, `replaces_id`, the corrected value's time, so a later report still
  wins) and the old one gets `voided_at`; 不是这个指标 only voids. A value already corrected or withdrawn
  is not corrected twice (the second tap of a double tap finds it void). Audited: target.correct,
  target.void, and access.refused for a chat of another unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.chat.binding import chat_unit
from bot.core.models import Assignment, Document, Report, Target, TargetValue, Task, id_column
from bot.core.references import label
from bot.core.vocab import Role, TargetOutcome, ValueSource
from bot.replies.quantities import Quantity, TargetRef, match_targets, stated, value_in
from bot.store import audit


@dataclass(frozen=True)
class TargetMove:
    """A value a report recorded, for the answer: 「实施揭榜挂帅项目20项」 → 12 of 20 项."""

    target_id: int
    text: str
    value: float
    goal: float
    measure: str
    value_id: int = 0  # the TargetValue row: its 更正 button
    counts: bool = True  # False: a unit that does not lead the task stated it — its contribution only


async def task_targets(session: AsyncSession, document_id: str, task_key: str) -> list[TargetRef]:
    rows = (
        await session.execute(
            select(id_column(Target), col(Target.text), col(Target.value), col(Target.measure))
            .where(col(Target.document_id) == document_id, col(Target.task_key) == task_key, ~col(Target.archived))
            .order_by(col(Target.id))
        )
    ).all()
    return [TargetRef(*row) for row in rows]


def value_refusal(quantity: Quantity) -> TargetOutcome | None:
    """Why a value given by hand (/target, 更正) is not recorded: below zero, or beyond any real figure."""
    if quantity.absurd:
        return TargetOutcome.TOO_LARGE
    if quantity.value < 0:
        return TargetOutcome.NEGATIVE
    return None


async def record_targets(
    session: AsyncSession,
    *,
    document_id: str,
    task_key: str,
    text: str,
    report_id: int | None,
    at: dt.datetime,
    actor: str,
    unit_id: int | None = None,
) -> tuple[TargetMove, ...]:
    """Store a TargetValue for every target of the task that `text` states a value for; what was stored."""
    targets = await task_targets(session, document_id, task_key)
    if not targets:
        return ()
    stored = []
    for match in match_targets(text, targets):
        value = TargetValue(
            target_id=match.target.id,
            value=match.value,
            reported_at=at,
            report_id=report_id,
            source=ValueSource.REPORT,
            unit_id=unit_id,
        )
        session.add(value)
        audit.record(session, actor, "target.value", "target", match.target.id, value=match.value, report_id=report_id)
        stored.append((match, value))
    if stored:
        await session.flush()  # the values' ids, for their 更正 buttons
    counts = await states_the_figure(session, document_id, task_key, unit_id)
    return tuple(
        TargetMove(
            match.target.id,
            match.target.text,
            match.value,
            match.target.value,
            match.target.measure or "",
            value.id or 0,
            counts,
        )
        for match, value in stored
    )


async def states_the_figure(session: AsyncSession, document_id: str, task_key: str, unit_id: int | None) -> bool:
    """Whether a value this unit states in a report is the target's figure (bot/store/overview.value_counts):
    the unit leads the task, or the task has no lead. Another unit's value is its contribution."""
    leads = set(
        (
            await session.execute(
                select(col(Assignment.unit_id))
                .join(Task, col(Task.id) == col(Assignment.task_id))
                .where(
                    col(Task.document_id) == document_id, col(Task.key) == task_key, col(Assignment.role) == Role.LEAD
                )
            )
        ).scalars()
    )
    return unit_id is None or not leads or unit_id in leads


# --- 更正 ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueView:
    """A stored target value with its target, as the 更正 question and answer show it."""

    id: int
    target_id: int
    text: str
    goal: float
    measure: str
    value: float
    unit_id: int | None
    void: bool
    ref: str  # 「成果转化 1.2」, or the document's short name for a document's goal


@dataclass(frozen=True)
class ValueChange:
    outcome: TargetOutcome
    view: ValueView | None = None
    value: float | None = None  # the new value (RECORDED)
    value_id: int | None = None  # the new row


async def value_view(session: AsyncSession, value_id: int) -> ValueView | None:
    row = (
        (
            await session.execute(
                select(
                    col(TargetValue.id).label("id"),
                    col(TargetValue.target_id).label("target_id"),
                    col(Target.text).label("text"),
                    col(Target.value).label("goal"),
                    col(Target.measure).label("measure"),
                    col(TargetValue.value).label("value"),
                    func.coalesce(col(TargetValue.unit_id), col(Assignment.unit_id)).label("unit_id"),
                    col(TargetValue.voided_at).label("voided_at"),
                    col(Document.short).label("short"),
                    col(Document.title).label("title"),
                    col(Target.task_key).label("task_key"),
                )
                .join(Target, col(Target.id) == col(TargetValue.target_id))
                .join(Document, col(Document.id) == col(Target.document_id))
                .outerjoin(
                    Report, col(Report.id) == col(TargetValue.report_id)
                )  # values stored before unit_id: the report's unit
                .outerjoin(Assignment, col(Assignment.id) == col(Report.assignment_id))
                .where(col(TargetValue.id) == value_id)
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    short = row["short"] or row["title"]
    return ValueView(
        id=row["id"],
        target_id=row["target_id"],
        text=row["text"],
        goal=row["goal"],
        measure=row["measure"] or "",
        value=row["value"],
        unit_id=row["unit_id"],
        void=row["voided_at"] is not None,
        ref=label(short, row["task_key"]) if row["task_key"] else short,
    )


async def may_change(
    session: AsyncSession, value_id: int, *, chat_id: int, user_id: int | None, coordinator: bool
) -> ValueChange:
    """ASK with the value when this chat (its unit stated the value) or this coordinator may correct it."""
    view = await value_view(session, value_id)
    if view is None:
        return ValueChange(TargetOutcome.MISSING)
    if not coordinator:
        bound = await chat_unit(session, chat_id)
        if bound is None:
            return ValueChange(TargetOutcome.UNBOUND, view)
        if view.unit_id is None or bound[1].id != view.unit_id:
            audit.record(
                session,
                audit.actor_of(user_id),
                "access.refused",
                "target_value",
                value_id,
                action="correct",
                chat_id=chat_id,
                chat_unit_id=bound[1].id,
                value_unit_id=view.unit_id,
            )
            return ValueChange(TargetOutcome.NOT_ALLOWED, view)
    if view.void:
        return ValueChange(TargetOutcome.ALREADY, view)
    return ValueChange(TargetOutcome.ASK, view)


async def correct_value(
    session: AsyncSession,
    value_id: int,
    text: str,
    *,
    chat_id: int,
    user_id: int | None,
    coordinator: bool,
    at: dt.datetime,
) -> ValueChange:
    """The right number for a recorded value (「15项」, 「15」): a new value replaces it, the old one is void."""
    access = await may_change(session, value_id, chat_id=chat_id, user_id=user_id, coordinator=coordinator)
    if access.outcome != TargetOutcome.ASK:
        return access
    view = access.view
    assert view is not None
    quantity = stated(text)
    if quantity is None:
        return ValueChange(TargetOutcome.NO_NUMBER, view)
    refused = value_refusal(quantity)
    if refused is not None:
        return ValueChange(refused, view)
    value = value_in(quantity, view.measure)
    if value is None:
        return ValueChange(TargetOutcome.WRONG_MEASURE, view)
    old = await session.get(TargetValue, value_id, with_for_update=True)
    assert old is not None
    if old.voided_at is not None:  # a racing tap voided it meanwhile
        return ValueChange(TargetOutcome.ALREADY, view)
    new = TargetValue(
        target_id=old.target_id,
        value=value,
        reported_at=old.reported_at,
        report_id=old.report_id,
        source=ValueSource.CORRECTION,
        unit_id=old.unit_id,
        replaces_id=old.id,
    )
    old.voided_at = at
    session.add(new)
    await session.flush()
    audit.record(
        session,
        audit.actor_of(user_id),
        "target.correct",
        "target_value",
        old.id,
        target_id=old.target_id,
        old=old.value,
        new=value,
        new_value_id=new.id,
        chat_id=chat_id,
    )
    return ValueChange(TargetOutcome.RECORDED, view, value, new.id)


async def void_value(
    session: AsyncSession, value_id: int, *, chat_id: int, user_id: int | None, coordinator: bool, at: dt.datetime
) -> ValueChange:
    """不是这个指标: the value stops counting (kept, with the time it was withdrawn)."""
    access = await may_change(session, value_id, chat_id=chat_id, user_id=user_id, coordinator=coordinator)
    if access.outcome != TargetOutcome.ASK:
        return access
    old = await session.get(TargetValue, value_id, with_for_update=True)
    assert old is not None
    if old.voided_at is not None:
        return ValueChange(TargetOutcome.ALREADY, access.view)
    old.voided_at = at
    audit.record(
        session,
        audit.actor_of(user_id),
        "target.void",
        "target_value",
        old.id,
        target_id=old.target_id,
        value=old.value,
        chat_id=chat_id,
    )
    return ValueChange(TargetOutcome.VOIDED, access.view)
