"""Read queries behind the conversation: a chat's tasks, a lead's task, what is overdue, every unit.

Plain functions that take the session and return frozen views, so handlers hold no SQL and the views
can be rendered (bot/presenters/answers.py) and tested without a store. "Open" means: live (neither the assignment,
its task nor its document archived), the task not marked 办结, the assignment not done, and work — a 督查
(supervise) assignment is never open: the supervising unit does not do the task, so it is in no unit's
to-do list, no 催办 and no count of overdue work. It sees the task instead as a lead does: `/status`, the
overdue tasks of the tasks it oversees, its digest. The deadline a unit is held to is the effective one:
an approved extension (deadline_override) wins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.core import references
from bot.core.models import Assignment, Chat, Document, Outbox, Task, Unit, id_column
from bot.core.references import label
from bot.core.vocab import OVERSEEING_ROLES, WORKING_ROLES, Role, Status


@dataclass(frozen=True)
class AssignmentView:
    id: int
    task_id: int
    document_id: str
    document: str
    task_key: str
    task_title: str
    unit_id: int
    unit: str
    role: Role
    status: Status
    percent: int | None
    expected_date: dt.date | None
    deadline: dt.date | None  # effective: the approved extension if there is one
    last_report_at: dt.datetime | None
    closed: bool  # the task was marked 办结 by its lead
    archived: bool  # the assignment, its task or its document left tasks.yaml
    document_short: str = ""  # the document's short name (简称)

    @property
    def ref(self) -> str:
        """How people name the task: 「成果转化 1.2」."""
        return label(self.document_short, self.task_key)

    @property
    def is_open(self) -> bool:
        return not (self.closed or self.archived or self.status == Status.DONE)


_DEADLINE = func.coalesce(col(Assignment.deadline_override), col(Task.deadline))
_LIVE = (~col(Assignment.archived)) & (~col(Task.archived)) & (~col(Document.archived))
_WORK = col(Assignment.role).in_(WORKING_ROLES)
# An ended (已到期) plan's tasks are not open work: in no /mytasks, /overdue, 催办 or open count (/status shows them).
_OPEN = _LIVE & _WORK & ~col(Document.ended) & col(Task.closed_at).is_(None) & (col(Assignment.status) != Status.DONE)


def _views() -> Select[*tuple[object, ...]]:
    """Each column labelled with its AssignmentView field, so rows map by name, never by position."""
    return (
        select(
            col(Assignment.id).label("id"),
            col(Assignment.task_id).label("task_id"),
            col(Document.id).label("document_id"),
            col(Document.title).label("document"),
            col(Task.key).label("task_key"),
            col(Task.title).label("task_title"),
            col(Assignment.unit_id).label("unit_id"),
            col(Unit.name).label("unit"),
            col(Assignment.role).label("role"),
            col(Assignment.status).label("status"),
            col(Assignment.percent).label("percent"),
            col(Assignment.expected_date).label("expected_date"),
            _DEADLINE.label("deadline"),
            col(Assignment.last_report_at).label("last_report_at"),
            col(Task.closed_at).is_not(None).label("closed"),
            or_(col(Assignment.archived), col(Task.archived), col(Document.archived)).label("archived"),
            func.coalesce(col(Document.short), "").label("document_short"),
        )
        .join(Task, col(Task.id) == col(Assignment.task_id))
        .join(Document, col(Document.id) == col(Task.document_id))
        .join(Unit, col(Unit.id) == col(Assignment.unit_id))
    )


def _ordered(stmt: Select[*tuple[object, ...]]) -> Select[*tuple[object, ...]]:
    return stmt.order_by(_DEADLINE.is_(None), _DEADLINE, col(Document.id), col(Task.id), col(Unit.name))


async def _fetch(session: AsyncSession, stmt: Select[*tuple[object, ...]]) -> list[AssignmentView]:
    views = []
    for row in (await session.execute(stmt)).mappings():
        fields = dict(row)
        fields.update(closed=bool(fields["closed"]), archived=bool(fields["archived"]))
        views.append(AssignmentView(**fields))
    return views


async def assignment_view(session: AsyncSession, assignment_id: int) -> AssignmentView | None:
    found = await _fetch(session, _views().where(col(Assignment.id) == assignment_id))
    return found[0] if found else None


async def views_of(session: AsyncSession, ids: list[int]) -> list[AssignmentView]:
    """The assignments with these ids (open or not), in one query."""
    return await _fetch(session, _views().where(col(Assignment.id).in_(ids))) if ids else []


async def open_assignments(session: AsyncSession, unit_id: int) -> list[AssignmentView]:
    """The unit's open assignments, soonest deadline first (no deadline last)."""
    return await _fetch(session, _ordered(_views().where(col(Assignment.unit_id) == unit_id, _OPEN)))


async def all_open(session: AsyncSession, ids: list[int] | None = None) -> list[AssignmentView]:
    """Every unit's open assignments (or those among `ids`), soonest deadline first: what a 催办 picks from."""
    stmt = _views().where(_OPEN)
    if ids is not None:
        stmt = stmt.where(col(Assignment.id).in_(ids))
    return await _fetch(session, _ordered(stmt))


async def unit_live_assignments(session: AsyncSession, unit_id: int) -> list[AssignmentView]:
    """The unit's live assignments of its own work (open or not): what a task reference of the unit is read
    against (bot/core/references.py). A task it supervises is not one it reports on."""
    stmt = _views().where(col(Assignment.unit_id) == unit_id, _LIVE, _WORK)
    return await _fetch(session, _ordered(stmt))


async def unit_assignments_by_ref(session: AsyncSession, unit_id: int, ref: str) -> list[AssignmentView]:
    """The unit's live assignments a whole reference (「成果转化 1.2」, 「1.2」, 「doc-id/1.2」) may mean."""
    return references.resolve(ref, await unit_live_assignments(session, unit_id))


async def document_shorts(session: AsyncSession) -> list[str]:
    """The short names of every live document: a reply part that opens with one (or with a piece of one,
    「转化 1.8」) is a part of its own even when the unit has no task there, so it is answered, not merged."""
    stmt = (
        select(col(Document.short))
        .where(~col(Document.archived), col(Document.short).is_not(None))
        .order_by(col(Document.short))
    )
    return [short for short in (await session.execute(stmt)).scalars() if short]


@dataclass(frozen=True)
class TaskCandidate:
    """A live task as the reference reader sees it."""

    id: int
    document_id: str
    document_short: str
    task_key: str


async def live_task_candidates(session: AsyncSession, *, overseer_id: int | None = None) -> list[TaskCandidate]:
    """Every live task (with `overseer_id`, only those that unit leads or supervises), in document order."""
    stmt = (
        select(id_column(Task), col(Task.document_id), func.coalesce(col(Document.short), ""), col(Task.key))
        .join(Document, col(Document.id) == col(Task.document_id))
        .where(~col(Task.archived), ~col(Document.archived))
    )
    if overseer_id is not None:
        stmt = stmt.where(col(Task.id).in_(overseen_task_ids(overseer_id)))
    rows = (await session.execute(stmt.order_by(col(Document.id), col(Task.id)))).all()
    return [TaskCandidate(*row) for row in rows]


async def task_assignments(session: AsyncSession, task_id: int) -> list[AssignmentView]:
    """The live assignments of the units doing a task: the leads first, then the responsible units by name
    (its 督查单位 are not among them: `supervisors` names those)."""
    stmt = _views().where(col(Assignment.task_id) == task_id, ~col(Assignment.archived), _WORK)
    return await _fetch(session, stmt.order_by(col(Assignment.role) != Role.LEAD, col(Unit.name)))


async def supervisors(session: AsyncSession, task_id: int) -> list[tuple[int, str]]:
    """(unit id, name) of the task's 督查单位, by name."""
    stmt = (
        select(id_column(Unit), col(Unit.name))
        .join(Assignment, col(Assignment.unit_id) == col(Unit.id))
        .where(col(Assignment.task_id) == task_id, col(Assignment.role) == Role.SUPERVISE, ~col(Assignment.archived))
        .order_by(col(Unit.name))
    )
    return [(uid, name) for uid, name in (await session.execute(stmt)).all()]


async def tasks_by_ref(session: AsyncSession, ref: str, *, overseer_id: int | None = None) -> list[int]:
    """Ids of live tasks a whole reference may mean (「成果转化 1.2」, 「成果1.2」, 「1.2」, 「doc-id/1.2」); with
    `overseer_id`, only the tasks that unit leads or supervises."""
    return [c.id for c in references.resolve(ref, await live_task_candidates(session, overseer_id=overseer_id))]


def _led_task_ids(unit_id: int) -> Select:
    return overseen_task_ids(unit_id, (Role.LEAD,))


def overseen_task_ids(unit_id: int, roles: tuple[Role, ...] = OVERSEEING_ROLES) -> Select:
    """The ids of the tasks a unit leads or supervises (or, with `roles`, only leads): a subquery."""
    return select(col(Assignment.task_id)).where(
        col(Assignment.unit_id) == unit_id, col(Assignment.role).in_(roles), ~col(Assignment.archived)
    )


async def is_lead(session: AsyncSession, unit_id: int, task_id: int) -> bool:
    stmt = _led_task_ids(unit_id).where(col(Assignment.task_id) == task_id)
    return (await session.execute(stmt)).first() is not None


async def oversees(session: AsyncSession, unit_id: int, task_id: int) -> bool:
    """Whether the unit leads or supervises (督查) the task."""
    stmt = overseen_task_ids(unit_id).where(col(Assignment.task_id) == task_id)
    return (await session.execute(stmt)).first() is not None


async def overseen_tasks(session: AsyncSession, unit_id: int) -> list[AssignmentView]:
    """The unit's own lead and 督查 assignments on live tasks (one per task), soonest deadline first: the
    tasks whose /status it may see."""
    stmt = _views().where(col(Assignment.unit_id) == unit_id, col(Assignment.role).in_(OVERSEEING_ROLES), _LIVE)
    return await _fetch(session, _ordered(stmt))


async def overseer_roles(session: AsyncSession, unit_id: int) -> set[Role]:
    """Which of lead and supervise the unit holds on any live task (what its /digest covers)."""
    stmt = (
        select(col(Assignment.role))
        .distinct()
        .join(Task, col(Task.id) == col(Assignment.task_id))
        .join(Document, col(Document.id) == col(Task.document_id))
        .where(col(Assignment.unit_id) == unit_id, col(Assignment.role).in_(OVERSEEING_ROLES), _LIVE)
    )
    return {Role(role) for role in (await session.execute(stmt)).scalars()}


async def overdue(
    session: AsyncSession, today: dt.date, *, unit_id: int | None = None, overseer_id: int | None = None
) -> list[AssignmentView]:
    """Open assignments past their effective deadline: all of them, or one unit's own plus (with
    `overseer_id`) those of the tasks it leads or supervises; longest overdue first."""
    stmt = _views().where(_OPEN, _DEADLINE < today)  # noqa: SIM300 - a SQL expression, not a Yoda condition
    if unit_id is not None:
        mine = col(Assignment.unit_id) == unit_id
        seen = col(Assignment.task_id).in_(overseen_task_ids(overseer_id)) if overseer_id is not None else None
        stmt = stmt.where(mine if seen is None else (mine | seen))
    return await _fetch(session, _ordered(stmt))


async def assignment_for_message(session: AsyncSession, chat_id: int, message_id: int) -> int | None:
    """The assignment a sent prompt was about, from the outbox row the sender filled with its message id."""
    stmt = (
        select(col(Outbox.assignment_id))
        .where(
            col(Outbox.chat_id) == chat_id, col(Outbox.message_id) == message_id, col(Outbox.assignment_id).is_not(None)
        )
        .limit(1)
    )
    return (await session.execute(stmt)).scalar()


@dataclass(frozen=True)
class UnitRow:
    unit: str
    chats: int
    blocked: int
    open: int
    last_report_at: dt.datetime | None


async def unit_overview(session: AsyncSession) -> list[UnitRow]:
    """Every unit that can be bound (groups expand to their members): its chats, open tasks, last report."""
    chats = dict((await session.execute(select(col(Chat.unit_id), func.count()).group_by(col(Chat.unit_id)))).all())
    blocked = dict(
        (
            await session.execute(
                select(col(Chat.unit_id), func.count())
                .where(col(Chat.blocked_at).is_not(None))
                .group_by(col(Chat.unit_id))
            )
        ).all()
    )
    live = (
        select(col(Assignment.unit_id), func.count().filter(_OPEN), func.max(col(Assignment.last_report_at)))
        .join(Task, col(Task.id) == col(Assignment.task_id))
        .join(Document, col(Document.id) == col(Task.document_id))
        .where(_LIVE)
        .group_by(col(Assignment.unit_id))
    )
    work = {uid: (n, last) for uid, n, last in (await session.execute(live)).all()}
    units = (
        await session.execute(
            select(id_column(Unit), col(Unit.name)).where(~col(Unit.is_group)).order_by(col(Unit.name))
        )
    ).all()
    return [
        UnitRow(name, chats.get(uid, 0), blocked.get(uid, 0), work.get(uid, (0, None))[0], work.get(uid, (0, None))[1])
        for uid, name in units
    ]


async def live_chat_ids(session: AsyncSession) -> list[int]:
    """Every bound chat that has not blocked the bot: a broadcast's recipients."""
    stmt = select(col(Chat.chat_id)).where(col(Chat.blocked_at).is_(None)).order_by(col(Chat.id))
    return [int(c) for c in (await session.execute(stmt)).scalars()]
