"""Store → the planner's input, in a fixed number of queries (not one per task).

Settings are resolved here, once: the tasks file's defaults, then the document's, then the task's.
The calendar's extra holidays/workdays and the file's defaults come from what the last import stored.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.core.models import Assignment, Document, Report, SchedulerState, Task, Unit, id_column
from bot.core.vocab import WORKING_ROLES, Role
from bot.store.versioned import kept
from bot.tasksfile.importer import FILE_CALENDAR, FILE_DEFAULTS
from bot.tasksfile.schema import Defaults
from scheduler.planner import PlanInput, PlannedAssignment
from scheduler.workdays import WorkCalendar


@dataclass(frozen=True)
class Snapshot:
    plan_input: PlanInput
    documents: dict[str, str]  # id → title
    shorts: dict[str, str]  # id → short name (简称)
    units: dict[int, str]  # id → name
    views: dict[int, PlannedAssignment]  # assignment id → view


async def read_state(session: AsyncSession, name: str) -> str | None:
    return (await session.execute(select(col(SchedulerState.value)).where(col(SchedulerState.name) == name))).scalar()


async def write_state(session: AsyncSession, name: str, value: str) -> None:
    row = await session.get(SchedulerState, name)
    if row is None:
        session.add(SchedulerState(name=name, value=value))
    else:
        row.value = value


async def load_calendar(session: AsyncSession) -> WorkCalendar:
    return calendar_for(await read_state(session, FILE_CALENDAR) or "{}")


@lru_cache(maxsize=4)
def calendar_for(raw: str) -> WorkCalendar:
    """One WorkCalendar per calendar section: it caches its year tables (building them is the slow part
    of a tick) and warns once per unknown year, so it must outlive a single tick."""
    extra = json.loads(raw)
    return WorkCalendar(
        holidays={dt.date.fromisoformat(d) for d in extra.get("holidays", [])},
        workdays={dt.date.fromisoformat(d) for d in extra.get("workdays", [])},
    )


async def cached_snapshot(session: AsyncSession, has_coordinators: bool = True) -> Snapshot:
    """The snapshot of the last tick while the store has not changed since, else a new one (`load_snapshot`).

    The minute tick rebuilt the same 50,000-assignment snapshot every minute: 0.4 s of a quiet minute
    (issue 23). Whether anything changed is the store's own counter (bot/store/versioned.py), plus the tasks
    file's defaults, which live in scheduler_state. The snapshot is shared read-only."""
    defaults = await read_state(session, FILE_DEFAULTS)
    return await kept(
        session, ("snapshot", defaults, has_coordinators), lambda: load_snapshot(session, has_coordinators)
    )


async def load_snapshot(session: AsyncSession, has_coordinators: bool = True) -> Snapshot:
    """Six queries whatever the size (the sixth reads only the returned reports, through their index). Only
    the units doing the tasks: a 督查 assignment plans nothing (its unit gets the weekly digest,
    `scheduler/jobs.run_digests`). Plain columns, not ORM entities (building 50,000 Assignment objects was
    most of a tick), and each task's settings are parsed and resolved once, shared read-only by its
    assignments, instead of once per assignment."""
    raw = await read_state(session, FILE_DEFAULTS)
    defaults = json.loads(raw) if raw else Defaults().model_dump()
    documents: dict[str, str] = {}
    shorts: dict[str, str] = {}
    issued: dict[str, dt.date] = {}
    resolved: dict[str, dict[str, Any]] = {}
    document_rows = (
        await session.execute(
            select(
                col(Document.id).label("id"),
                col(Document.title).label("title"),
                col(Document.short).label("short"),
                col(Document.issued).label("issued"),
                col(Document.settings).label("settings"),
            ).where(
                ~col(Document.archived),
                ~col(Document.ended),  # an ended (已到期) plan sends nothing
            )
        )
    ).mappings()
    for doc in document_rows:
        doc_id = doc["id"]
        documents[doc_id], shorts[doc_id], issued[doc_id] = doc["title"], doc["short"] or "", doc["issued"]
        resolved[doc_id] = {**defaults, **doc["settings"]}
    shared = {doc_id: MappingProxyType(settings) for doc_id, settings in resolved.items()}
    tasks: dict[int, tuple[str, str, str, dt.date | None, str | None, bool, Mapping[str, Any]]] = {}
    task_rows = (
        await session.execute(
            select(
                id_column(Task).label("id"),
                col(Task.key).label("key"),
                col(Task.title).label("title"),
                col(Task.document_id).label("document_id"),
                col(Task.deadline).label("deadline"),
                col(Task.recurrence).label("recurrence"),
                col(Task.closed_at).label("closed_at"),
                col(Task.settings).label("settings"),
            ).where(~col(Task.archived))
        )
    ).mappings()
    for t in task_rows:
        doc_id, task_settings = t["document_id"], t["settings"]
        if doc_id in resolved:  # a live task of an archived document is not planned
            settings: Mapping[str, Any] = (
                MappingProxyType({**resolved[doc_id], **task_settings}) if task_settings else shared[doc_id]
            )
            closed = t["closed_at"] is not None
            tasks[t["id"]] = (t["key"], t["title"], doc_id, t["deadline"], t["recurrence"], closed, settings)
    names = dict((await session.execute(select(col(Unit.id), col(Unit.name)))).all())
    rows = (
        await session.execute(
            select(
                id_column(Assignment),
                col(Assignment.task_id),
                col(Assignment.unit_id),
                col(Assignment.role),
                col(Assignment.status),
                col(Assignment.deadline_override),
                col(Assignment.last_report_at),
            )
            .where(~col(Assignment.archived), col(Assignment.role).in_(WORKING_ROLES))
            .order_by(col(Assignment.id))
        )
    ).all()
    returned = dict(
        (
            await session.execute(
                select(col(Report.assignment_id), func.max(col(Report.returned_at)))
                .where(col(Report.returned_at).is_not(None))
                .group_by(col(Report.assignment_id))
            )
        ).all()
    )
    views: dict[int, PlannedAssignment] = {}
    leads: dict[int, list[int]] = {}
    units: dict[int, str] = {}
    for assignment_id, task_id, unit_id, role, status, override, last_report_at in rows:
        task = tasks.get(task_id)
        if task is None:  # its task or document is archived
            continue
        key, title, doc_id, deadline, recurrence, closed, settings = task
        unit_name = units[unit_id] = names[unit_id]
        views[assignment_id] = PlannedAssignment(
            assignment_id=assignment_id,
            task_id=task_id,
            document_id=doc_id,
            task_key=key,
            task_title=title,
            unit_id=unit_id,
            unit_name=unit_name,
            role=role,
            status=status,
            deadline=override or deadline,
            recurrence=recurrence,
            task_closed=closed,
            archived=False,
            last_report_at=last_report_at,
            settings=settings,
            returned_at=returned.get(assignment_id),
        )
        if role == Role.LEAD:
            leads.setdefault(task_id, []).append(unit_id)
    plan_input = PlanInput(
        assignments=list(views.values()),
        lead_units={task: tuple(ids) for task, ids in leads.items()},
        issued=issued,
        has_coordinators=has_coordinators,
        send_times=frozenset(v.settings.get("send_at") for v in views.values()),
    )
    return Snapshot(plan_input, documents, shorts, units, views)
