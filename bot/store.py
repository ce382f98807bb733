"""Read-side queries over the store that several commands share (summaries for people)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Assignment, Document, Task, Unit


@dataclass
class UnitLoad:
    unit: str
    lead: int = 0
    responsible: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


async def unit_loads(session: AsyncSession) -> list[UnitLoad]:
    """Live assignments per unit (archived tasks and documents left out), busiest first."""
    rows = (await session.execute(
        select(Unit.name, Assignment.role, Assignment.status, func.count())
        .join(Assignment, Assignment.unit_id == Unit.id)
        .join(Task, Task.id == Assignment.task_id)
        .join(Document, Document.id == Task.document_id)
        .where(~Assignment.archived, ~Task.archived, ~Document.archived)
        .group_by(Unit.name, Assignment.role, Assignment.status)
    )).all()
    loads: dict[str, UnitLoad] = {}
    for name, role, status, count in rows:
        load = loads.setdefault(name, UnitLoad(name))
        setattr(load, role, getattr(load, role) + count)
        load.by_status[status] = load.by_status.get(status, 0) + count
    return sorted(loads.values(), key=lambda u: (-(u.lead + u.responsible), u.unit))


async def document_counts(session: AsyncSession) -> list[tuple[str, str, int]]:
    """(document id, title, live task count) for every live document."""
    rows = (await session.execute(
        select(Document.id, Document.title, func.count(Task.id))
        .outerjoin(Task, (Task.document_id == Document.id) & ~Task.archived)
        .where(~Document.archived)
        .group_by(Document.id, Document.title)
        .order_by(Document.issued)
    )).all()
    return [(doc_id, title, count) for doc_id, title, count in rows]
