"""Target values (指标进度) from reports: a report on a task with quantified targets moves them.

Called by `submit_report` in the report's own transaction, so a report and the values it states are
stored together or not at all. The newest value of a target wins in the digest (values are read as
totals reached so far, as a 工作方案 states its goals: 「实施揭榜挂帅项目20项」 → 「已实施12项」).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import Target, TargetValue
from bot.replies.quantities import TargetRef, match_targets
from bot.store import audit


@dataclass(frozen=True)
class TargetMove:
    """A value a report recorded, for the answer: 「实施揭榜挂帅项目20项」 → 12 of 20 项."""

    target_id: int
    text: str
    value: float
    goal: float
    measure: str


async def task_targets(session: AsyncSession, document_id: str, task_key: str) -> list[TargetRef]:
    rows = (await session.execute(
        select(Target.id, Target.text, Target.value, Target.measure)
        .where(Target.document_id == document_id, Target.task_key == task_key, ~Target.archived)
        .order_by(Target.id))).all()
    return [TargetRef(*row) for row in rows]


async def record_targets(session: AsyncSession, *, document_id: str, task_key: str, text: str, report_id: int | None,
                         at: dt.datetime, actor: str) -> tuple[TargetMove, ...]:
    """Store a TargetValue for every target of the task that `text` states a value for; what was stored."""
    targets = await task_targets(session, document_id, task_key)
    if not targets:
        return ()
    moves = []
    for match in match_targets(text, targets):
        session.add(TargetValue(target_id=match.target.id, value=match.value, reported_at=at, report_id=report_id))
        audit.record(session, actor, "target.value", "target", match.target.id, value=match.value,
                     report_id=report_id)
        moves.append(TargetMove(match.target.id, match.target.text, match.value, match.target.value,
                                match.target.measure or ""))
    return tuple(moves)
