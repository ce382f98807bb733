"""Lead units (牵头单位): marking a task 办结, and taking it back.

Only a chat bound to a unit that leads the task may close it (docs/conversation.md: "a lead can mark a task it leads
办结"). Closing ends every unit's reminders and refuses their reports, so it is not one tap: the 标记办结
button asks first (naming the units that have not finished), as /broadcast does, and only the
confirmation (`cl:<task>:ok`) closes. Closing sets Task.closed_at once — a second confirmation answers
"already closed" — is audited, and tells the task's other chats and the coordinators (outbox, kind notice),
so a unit that was still working learns why its reminders stopped; the task's 督查单位 are told too (they
watch it), but only a lead closes it. The importer never touches closed_at,
so a re-import keeps the task closed; `/reopen <task>` by a lead unit's chat or a coordinator clears it,
audited (`task.reopen`) and told to the same people; anyone else is refused and audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.chat.binding import chat_unit
from bot.core import db
from bot.core.models import Document, Task, Unit, pk
from bot.core.references import label
from bot.core.vocab import CloseOutcome, MessageKind, Status
from bot.render import messages as m
from bot.store import audit
from bot.store.assignment_views import AssignmentView, is_lead, supervisors, task_assignments, tasks_by_ref
from bot.store.outbox import Outgoing, enqueue, live_chats


@dataclass(frozen=True)
class CloseResult:
    outcome: CloseOutcome
    task: Task | None = None
    ref: str = ""  # how people name the task: 「成果转化 1.2」
    unfinished: tuple[str, ...] = ()  # ASK: the units whose assignment is not done
    notified: int = 0  # CLOSED / REOPENED: notices written to the outbox


async def _lead_task(
    session: AsyncSession, chat_id: int, task_id: int, user_id: int | None, action: str
) -> tuple[CloseResult | None, Task | None, Unit | None]:
    """The task, if the chat's unit leads it; else the refusal (a chat of another unit is audited)."""
    bound = await chat_unit(session, chat_id)
    if bound is None:
        return CloseResult(CloseOutcome.UNBOUND), None, None
    task = await session.get(Task, task_id)
    if task is None or task.archived:
        return CloseResult(CloseOutcome.MISSING, task), None, None
    if not await is_lead(session, pk(bound[1]), task_id):
        audit.record(
            session,
            audit.actor_of(user_id),
            "access.refused",
            "task",
            task_id,
            action=action,
            chat_id=chat_id,
            chat_unit_id=bound[1].id,
        )
        return CloseResult(CloseOutcome.NOT_LEAD, task), None, None
    return None, task, bound[1]


async def close_question(session: AsyncSession, *, chat_id: int, task_id: int, user_id: int | None) -> CloseResult:
    """标记办结 pressed: may this chat close the task, and which units have not finished (for the question)."""
    refused, task, _ = await _lead_task(session, chat_id, task_id, user_id, "close")
    if refused is not None:
        return refused
    assert task is not None
    if task.closed_at is not None:
        return CloseResult(CloseOutcome.ALREADY, task)
    rows = await task_assignments(session, task_id)
    unfinished = tuple(dict.fromkeys(v.unit for v in rows if v.status != Status.DONE))
    return CloseResult(CloseOutcome.ASK, task, unfinished=unfinished, ref=await task_ref(session, task))


async def close_task(
    session: AsyncSession,
    *,
    chat_id: int,
    task_id: int,
    user_id: int | None,
    now: dt.datetime,
    coordinators: Iterable[int] = (),
) -> CloseResult:
    """The confirmation: close the task once, audit it, and tell its units' other chats and the coordinators."""
    refused, task, unit = await _lead_task(session, chat_id, task_id, user_id, "close")
    if refused is not None:
        return refused
    assert task is not None and unit is not None
    won = await session.execute(
        update(Task).where(col(Task.id) == task_id, col(Task.closed_at).is_(None)).values(closed_at=now)
    )
    await session.refresh(task)
    if db.rowcount(won) != 1:
        return CloseResult(CloseOutcome.ALREADY, task)
    audit.record(
        session,
        audit.actor_of(user_id),
        "task.close",
        "task",
        task_id,
        unit_id=unit.id,
        document_id=task.document_id,
        key=task.key,
    )
    ref = await task_ref(session, task)
    text = m.CLOSE_NOTICE.format(unit=escape(unit.name), task=escape(ref), task_title=escape(task.title))
    notified = await _tell(session, task, text, f"close:{task_id}:{now:%Y%m%d%H%M%S}", now, chat_id, coordinators)
    return CloseResult(CloseOutcome.CLOSED, task, notified=notified, ref=ref)


async def task_ref(session: AsyncSession, task: Task) -> str:
    """「成果转化 1.2」 for a task row."""
    document = await session.get(Document, task.document_id)
    return label(document.short or "" if document else "", task.key)


def cancel_close() -> CloseResult:
    """取消 under the question: nothing changes (the question's buttons carry no state)."""
    return CloseResult(CloseOutcome.CANCELLED)


async def reopen_task(
    session: AsyncSession,
    ref: str,
    *,
    chat_id: int,
    user_id: int | None,
    coordinator: bool,
    now: dt.datetime,
    coordinators: Iterable[int] = (),
) -> CloseResult:
    """`/reopen <task>`: a coordinator, or a chat of a unit that leads the task, takes 办结 back."""
    task_ids = await tasks_by_ref(session, ref)
    if len(task_ids) > 1:
        return CloseResult(CloseOutcome.AMBIGUOUS, await session.get(Task, task_ids[0]))
    if not task_ids:
        return CloseResult(CloseOutcome.MISSING)
    bound = await chat_unit(session, chat_id)
    unit = bound[1] if bound is not None else None
    task = await session.get(Task, task_ids[0])
    assert task is not None
    if not coordinator:
        if unit is None:
            return CloseResult(CloseOutcome.UNBOUND)
        if not await is_lead(session, pk(unit), pk(task)):
            audit.record(
                session,
                audit.actor_of(user_id),
                "access.refused",
                "task",
                task.id,
                action="reopen",
                chat_id=chat_id,
                chat_unit_id=unit.id,
            )
            return CloseResult(CloseOutcome.NOT_LEAD, task)
    closed_at = task.closed_at
    won = await session.execute(
        update(Task).where(col(Task.id) == task.id, col(Task.closed_at).is_not(None)).values(closed_at=None)
    )
    await session.refresh(task)
    if db.rowcount(won) != 1:
        return CloseResult(CloseOutcome.NOT_CLOSED, task, ref=await task_ref(session, task))
    audit.record(
        session,
        audit.actor_of(user_id),
        "task.reopen",
        "task",
        task.id,
        closed_at=closed_at,
        unit_id=unit.id if unit is not None and not coordinator else None,
        coordinator=coordinator,
        document_id=task.document_id,
        key=task.key,
    )
    who = m.REOPEN_BY_COORDINATOR if coordinator or unit is None else escape(unit.name)
    ref = await task_ref(session, task)
    text = m.REOPEN_NOTICE.format(who=who, task=escape(ref), task_title=escape(task.title))
    notified = await _tell(session, task, text, f"reopen:{task.id}:{now:%Y%m%d%H%M%S}", now, chat_id, coordinators)
    return CloseResult(CloseOutcome.REOPENED, task, notified=notified, ref=ref)


async def _tell(
    session: AsyncSession,
    task: Task,
    text: str,
    key: str,
    now: dt.datetime,
    acting_chat: int,
    coordinators: Iterable[int],
) -> int:
    """A notice to every chat of the task's units (its 督查单位 too) and to every coordinator, but the chat that
    acted (it has its answer); a unit with no chat gets its skipped row, so the coordinator sees it was not told."""
    unit_ids = sorted(
        {v.unit_id for v in await task_assignments(session, task.id or 0)}
        | {uid for uid, _ in await supervisors(session, task.id or 0)}
    )
    chats = await live_chats(session, unit_ids)
    messages = []
    for unit_id in unit_ids:
        if not chats.get(unit_id):
            messages.append(Outgoing(key=key, kind=MessageKind.NOTICE, text=text, send_at=now, unit_id=unit_id))
    targets = {c for unit_id in unit_ids for c in chats.get(unit_id, [])} | set(coordinators)
    messages += [
        Outgoing(key=key, kind=MessageKind.NOTICE, text=text, send_at=now, chat_id=c)
        for c in sorted(targets - {acting_chat})
    ]
    return (await enqueue(session, messages)).inserted


@dataclass(frozen=True)
class TaskStatus:
    task: Task
    rows: list[AssignmentView]  # the units doing the task
    can_close: bool
    supervisors: tuple[str, ...] = ()  # its 督查单位, by name


async def task_statuses(
    session: AsyncSession, ref: str, *, unit_id: int | None, coordinator: bool
) -> tuple[CloseOutcome | None, list[TaskStatus]]:
    """/status <ref>: (refusal or None, the matching tasks across their units). A coordinator sees any
    task; a unit only the tasks it leads or supervises ("not_lead" when the task exists but it does neither)."""
    if unit_id is None and not coordinator:
        return CloseOutcome.UNBOUND, []
    task_ids = await tasks_by_ref(session, ref, overseer_id=None if coordinator else unit_id)
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
        names = tuple(name for _, name in await supervisors(session, task_id))
        found.append(TaskStatus(task, rows, can_close, names))
    return (None if found else CloseOutcome.MISSING), found
