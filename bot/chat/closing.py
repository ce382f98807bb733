"""Lead units (牵头单位): marking a task 办结.

Only a chat bound to a unit that leads the task may close it (SPEC: "a lead can mark a task it leads
办结"). Closing sets Task.closed_at once — a second tap answers "already closed" — and is audited.
The importer never touches closed_at, so a re-import keeps the task closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat.binding import chat_unit
from bot.core.models import Document, Task
from bot.core.references import label
from bot.core.vocab import CloseOutcome
from bot.store import audit
from bot.store.assignment_views import AssignmentView, is_lead, task_assignments, tasks_by_ref


@dataclass(frozen=True)
class CloseResult:
    outcome: CloseOutcome
    task: Task | None = None
    ref: str = ""                      # how people name the task: 「成果转化 1.2」


async def close_task(session: AsyncSession, *, chat_id: int, task_id: int, user_id: int | None,
                     now: dt.datetime) -> CloseResult:
    bound = await chat_unit(session, chat_id)
    if bound is None:
        return CloseResult(CloseOutcome.UNBOUND)
    task = await session.get(Task, task_id)
    if task is None or task.archived:
        return CloseResult(CloseOutcome.MISSING, task)
    if not await is_lead(session, bound[1].id, task_id):
        audit.record(session, audit.actor_of(user_id), "access.refused", "task", task_id, action="close",
                     chat_id=chat_id, chat_unit_id=bound[1].id)
        return CloseResult(CloseOutcome.NOT_LEAD, task)
    won = await session.execute(update(Task).where(Task.id == task_id, Task.closed_at.is_(None))
                                .values(closed_at=now))
    await session.refresh(task)
    if won.rowcount != 1:
        return CloseResult(CloseOutcome.ALREADY, task)
    audit.record(session, audit.actor_of(user_id), "task.close", "task", task_id, unit_id=bound[1].id,
                 document_id=task.document_id, key=task.key)
    document = await session.get(Document, task.document_id)
    return CloseResult(CloseOutcome.CLOSED, task, label(document.short or "" if document else "", task.key))


@dataclass(frozen=True)
class TaskStatus:
    task: Task
    rows: list[AssignmentView]
    can_close: bool


async def task_statuses(session: AsyncSession, ref: str, *, unit_id: int | None,
                        coordinator: bool) -> tuple[str | None, list[TaskStatus]]:
    """/status <ref>: (refusal or None, the matching tasks across their units). A coordinator sees any
    task; a unit only the tasks it leads ("not_lead" when the task exists but it does not lead it)."""
    if unit_id is None and not coordinator:
        return CloseOutcome.UNBOUND, []
    task_ids = await tasks_by_ref(session, ref, lead_unit_id=None if coordinator else unit_id)
    if not task_ids:
        exists = bool(await tasks_by_ref(session, ref))
        return (CloseOutcome.NOT_LEAD if exists else CloseOutcome.MISSING), []
    found = []
    for task_id in task_ids:
        task = await session.get(Task, task_id)
        rows = await task_assignments(session, task_id)
        if task is None or not rows:
            continue
        can_close = unit_id is not None and task.closed_at is None and await is_lead(session, unit_id, task_id)
        found.append(TaskStatus(task, rows, can_close))
    return (None if found else CloseOutcome.MISSING), found
