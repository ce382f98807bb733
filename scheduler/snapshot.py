"""Store → the planner's input, in a fixed number of queries (not one per task).

Settings are resolved here, once: the tasks file's defaults, then the document's, then the task's.
The calendar's extra holidays/workdays and the file's defaults come from what the last import stored.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.importer import FILE_CALENDAR, FILE_DEFAULTS
from bot.models import Assignment, Document, SchedulerState, Task, Unit
from bot.schema import Defaults
from scheduler.planner import AssignmentView, PlanInput
from scheduler.workdays import WorkCalendar


@dataclass(frozen=True)
class Snapshot:
    plan_input: PlanInput
    documents: dict[str, str]        # id → title
    units: dict[int, str]            # id → name
    views: dict[int, AssignmentView]  # assignment id → view


async def read_state(session: AsyncSession, name: str) -> str | None:
    return (await session.execute(select(SchedulerState.value).where(SchedulerState.name == name))).scalar()


async def write_state(session: AsyncSession, name: str, value: str) -> None:
    row = await session.get(SchedulerState, name)
    if row is None:
        session.add(SchedulerState(name=name, value=value))
    else:
        row.value = value


async def load_calendar(session: AsyncSession) -> WorkCalendar:
    raw = await read_state(session, FILE_CALENDAR)
    extra = json.loads(raw) if raw else {}
    return WorkCalendar(holidays={dt.date.fromisoformat(d) for d in extra.get("holidays", [])},
                        workdays={dt.date.fromisoformat(d) for d in extra.get("workdays", [])})


async def load_snapshot(session: AsyncSession, has_coordinators: bool = True) -> Snapshot:
    raw = await read_state(session, FILE_DEFAULTS)
    defaults = json.loads(raw) if raw else Defaults().model_dump()
    documents = {doc.id: doc for doc in (await session.execute(
        select(Document).where(~Document.archived))).scalars()}
    rows = (await session.execute(
        select(Assignment, Task.key, Task.title, Task.document_id, Task.deadline, Task.recurrence, Task.settings,
               Task.closed_at, Unit.name)
        .join(Task, Task.id == Assignment.task_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .join(Document, Document.id == Task.document_id)
        .where(~Assignment.archived, ~Task.archived, ~Document.archived)
        .order_by(Assignment.id))).all()
    views: dict[int, AssignmentView] = {}
    leads: dict[int, list[int]] = {}
    units: dict[int, str] = {}
    for a, key, title, doc_id, deadline, recurrence, task_settings, closed_at, unit_name in rows:
        settings = {**defaults, **documents[doc_id].settings, **task_settings}
        views[a.id] = AssignmentView(
            assignment_id=a.id, task_id=a.task_id, document_id=doc_id, task_key=key, task_title=title,
            unit_id=a.unit_id, unit_name=unit_name, role=a.role, status=a.status,
            deadline=a.deadline_override or deadline, recurrence=recurrence, task_closed=closed_at is not None,
            archived=False, last_report_at=a.last_report_at, settings=settings)
        units[a.unit_id] = unit_name
        if a.role == "lead":
            leads.setdefault(a.task_id, []).append(a.unit_id)
    plan_input = PlanInput(assignments=list(views.values()),
                           lead_units={task: tuple(ids) for task, ids in leads.items()},
                           issued={doc_id: doc.issued for doc_id, doc in documents.items()},
                           has_coordinators=has_coordinators)
    return Snapshot(plan_input, {doc_id: doc.title for doc_id, doc in documents.items()}, units, views)

