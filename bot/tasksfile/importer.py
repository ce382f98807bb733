"""Catalog → store, in one transaction, idempotently, with a constant number of SQL statements.

Every table is read once, the differences are computed in Python (`diff_rows`, pure), and each kind of
change is written with one executemany. So a file of 10,000 tasks costs the same two dozen statements as
a file of ten, and a second import of the same file writes nothing and reports 0 changes.

What an import does to what is already there (docs/tasks-yaml.md: "a changed file updates tasks in place and keeps
their reports"):
- a task, document or target that left the file is archived, never deleted; one that comes back is
  restored with its history; a document imported on its own (`whole=False`, the web review) is not the file's
  to archive until the file holds it (Document.origin);
- a unit that left a task's lead/responsible/supervise list has its assignment archived (its reports stay);
- units are never archived or deleted (chats are bound to them); the aliases and group members of the units the
  file holds follow it exactly, since they are names, not history (a unit it does not hold, one added with its
  document on its own, keeps its own);
- every change is written to the audit log, with the old and new values of an updated row.

`whole=False` imports the catalog's documents into the store beside the others (the web 看板's review of
one extraction, bot/web/extract.py): the file is the truth for those documents, their tasks, assignments and
targets only; no other document is archived, units and their aliases and members are only added (a unit
already there keeps its names), and the file-level settings stay as the last whole import left them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col

from bot.core.memory import collector_paused
from bot.core.models import (
    Assignment,
    AuditLog,
    Document,
    GroupMember,
    SchedulerState,
    Target,
    Task,
    Unit,
    UnitAlias,
    pk,
    table_of,
    utcnow,
)
from bot.core.vocab import DocumentOrigin
from bot.tasksfile.ended import is_ended
from bot.tasksfile.loader import Catalog, UnitEntry

FILE_DEFAULTS = "file.defaults"
FILE_CALENDAR = "file.calendar"
FILE_TIMEZONE = "file.timezone"
TASK_FIELDS = ("section", "title", "body", "deadline", "deadline_text", "recurrence", "settings")
DOCUMENT_FIELDS = (
    "short",
    "title",
    "issuer_id",
    "number",
    "issued",
    "period_start",
    "period_end",
    "addressees",
    "source",
    "settings",
    "ended",
    "origin",
)
TARGET_FIELDS = ("text", "value", "measure", "due", "task_key")


K = TypeVar("K", bound=Hashable)  # the key rows are matched by: a name, an id, (document, key)


@dataclass
class RowDiff:
    """What to write so that the stored rows (by key) match the desired ones."""

    insert: list[dict[str, Any]] = field(default_factory=list)
    update: list[dict[str, Any]] = field(default_factory=list)  # id and every compared field, new values
    changed: list[tuple[int | str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)  # id, old, new
    archive: list[int | str] = field(default_factory=list)
    restore: list[int | str] = field(default_factory=list)


def diff_rows(existing: Mapping[K, Any], desired: Mapping[K, dict[str, Any]], fields: Iterable[str]) -> RowDiff:
    """Pure: compare stored rows (objects with .id, .archived and `fields`) with desired dicts by key."""
    fields = tuple(fields)
    out = RowDiff()
    for key, want in desired.items():
        row = existing.get(key)
        if row is None:
            out.insert.append(want)
            continue
        if row.archived:
            out.restore.append(row.id)
        old = {f: getattr(row, f) for f in fields if getattr(row, f) != want[f]}
        if old:
            out.update.append({"id": row.id, **{f: want[f] for f in fields}})
            out.changed.append((row.id, old, {f: want[f] for f in old}))
    out.archive = [row.id for key, row in existing.items() if key not in desired and not row.archived]
    return out


@dataclass
class ImportResult:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int) -> None:
        if n:
            self.counts[what] = self.counts.get(what, 0) + n

    @property
    def changes(self) -> int:
        return sum(self.counts.values())


class _Audit:
    def __init__(self, actor: str):
        self.actor = actor
        self.rows: list[dict[str, Any]] = []

    def __call__(self, action: str, entity: str, entity_id: object, **detail: Any) -> None:
        self.rows.append(
            {
                "at": utcnow(),
                "actor": self.actor,
                "action": action,
                "entity": entity,
                "entity_id": str(entity_id),
                "detail": _jsonable(detail),
            }
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


async def _all(session: AsyncSession, model: type[SQLModel], key: Callable[[Any], K]) -> dict[K, Any]:
    """Every row of `model` by `key`, as plain rows (attribute access by column name), not ORM entities: a
    re-import reads ~60,000 rows for 10,000 tasks and writes none of them through the ORM, and building the
    entities was most of its store time (bench/bench_import.py)."""
    rows = (await session.execute(select(*table_of(model).columns))).all()
    return {key(row): row for row in rows}


def _within(rows: dict[K, Any], documents: set[str], document: Callable[[Any], str]) -> dict[K, Any]:
    """The stored rows of `documents`: an import compares, and so archives, only those (`_sync_documents`)."""
    return {k: row for k, row in rows.items() if document(row) in documents}


@dataclass(frozen=True)
class Clock:
    """The import's moment, for the documents it files as 已到期 (bot/tasksfile/ended.py): `today` None
    judges no period (only `archived: true` ends a document); `include_ended` keeps every period in."""

    today: dt.date | None = None
    include_ended: bool = False


async def import_catalog(
    session: AsyncSession, catalog: Catalog, actor: str = "cli", clock: Clock = Clock(), *, whole: bool = True
) -> ImportResult:
    """Make the store match the catalog (`whole`), or its documents only (see the module docstring). The
    caller owns the transaction (all or nothing)."""
    with collector_paused():
        return await _import_catalog(session, catalog, actor, clock, whole)


async def _import_catalog(
    session: AsyncSession, catalog: Catalog, actor: str, clock: Clock, whole: bool
) -> ImportResult:
    result = ImportResult()
    audit = _Audit(actor)
    unit_ids = await _sync_units(session, catalog, result, audit, additive=not whole)
    mine = await _sync_documents(session, catalog, unit_ids, result, audit, clock, whole)
    task_ids = await _sync_tasks(session, catalog, result, audit, mine)
    await _sync_assignments(session, catalog, unit_ids, task_ids, result, audit)
    await _sync_targets(session, catalog, result, audit, mine)
    if whole:
        await _sync_file_settings(session, catalog, result, audit)
    if audit.rows:
        audit("import", "file", "", counts=result.counts)
        await session.execute(insert(AuditLog), audit.rows)
    return result


async def _sync_units(
    session: AsyncSession, catalog: Catalog, result: ImportResult, audit: _Audit, *, additive: bool = False
) -> dict[str, int]:
    """Units are added, never removed; the aliases and group members of the file's units follow the file exactly
    (a unit it does not hold keeps its own), or (`additive`) only the new ones are added and a unit already in the
    store keeps what it has."""
    units = await _all(session, Unit, lambda u: u.name)
    known = set(units)
    ids = await _add_units(session, catalog, units, result, audit, additive=additive)
    entries = [e for e in catalog.units.values() if not (additive and e.name in known)]
    await _sync_aliases(session, entries, ids, result, audit, additive=additive)
    await _sync_members(session, entries, ids, result, additive=additive)
    return ids


async def _add_units(
    session: AsyncSession,
    catalog: Catalog,
    units: dict[str, Unit],
    result: ImportResult,
    audit: _Audit,
    *,
    additive: bool,
) -> dict[str, int]:
    """The file's new units inserted, a group flag that changed updated (not when `additive`); every id."""
    new = [
        {"name": name, "is_group": entry.is_group, "created_at": utcnow()}
        for name, entry in catalog.units.items()
        if name not in units
    ]
    regrouped = [
        {"id": units[name].id, "is_group": entry.is_group}
        for name, entry in catalog.units.items()
        if name in units and units[name].is_group != entry.is_group and not additive
    ]
    if new:
        await session.execute(insert(Unit), new)
        units = await _all(session, Unit, lambda u: u.name)
        for row in new:
            audit("import.unit.add", "unit", row["name"])
        result.add("units added", len(new))
    if regrouped:
        await session.execute(update(Unit), regrouped)
        result.add("units changed", len(regrouped))
    return {name: pk(unit) for name, unit in units.items()}


async def _sync_aliases(
    session: AsyncSession,
    entries: list[UnitEntry],
    ids: dict[str, int],
    result: ImportResult,
    audit: _Audit,
    *,
    additive: bool,
) -> None:
    aliases = await _all(session, UnitAlias, lambda a: a.alias)
    want_alias = {alias: ids[entry.name] for entry in entries for alias in entry.aliases}
    if additive:  # a new unit's aliases that no unit has yet
        want_alias = {a: uid for a, uid in want_alias.items() if a not in aliases and a not in ids}
        drop = []
    else:  # the file's units' names follow the file; a unit it does not hold (one added with its document on its
        # own, `taskbot import --add`) keeps its names, as its document is kept (Document.origin)
        listed = {ids[entry.name] for entry in entries}
        drop = [
            alias
            for alias, row in aliases.items()
            if (row.unit_id in listed or alias in want_alias) and want_alias.get(alias) != row.unit_id
        ]
    add = [
        {"alias": a, "unit_id": uid} for a, uid in want_alias.items() if a not in aliases or aliases[a].unit_id != uid
    ]
    if drop:
        await session.execute(delete(UnitAlias).where(col(UnitAlias.alias).in_(drop)))
    if add:
        await session.execute(insert(UnitAlias), add)
    for alias in drop:
        audit("import.alias.remove", "unit_alias", alias)
    for row in add:
        audit("import.alias.add", "unit_alias", row["alias"], unit_id=row["unit_id"])
    result.add("aliases changed", len(set(drop) | {r["alias"] for r in add}))


async def _sync_members(
    session: AsyncSession, entries: list[UnitEntry], ids: dict[str, int], result: ImportResult, *, additive: bool
) -> None:
    members = {(g, m) for g, m in await session.execute(select(col(GroupMember.group_id), col(GroupMember.member_id)))}
    want_members = {(ids[e.name], ids[m]) for e in entries for m in e.members}
    listed = {ids[e.name] for e in entries}  # a group the file does not hold keeps its members (as in _sync_aliases)
    gone = set() if additive else {(g, m) for g, m in members - want_members if g in listed}
    fresh = want_members - members
    if gone:
        await session.execute(
            delete(GroupMember).where(tuple_(col(GroupMember.group_id), col(GroupMember.member_id)).in_(sorted(gone)))
        )
    if fresh:
        await session.execute(insert(GroupMember), [{"group_id": g, "member_id": m} for g, m in sorted(fresh)])
    result.add("group members changed", len(gone) + len(fresh))


async def _apply(
    session: AsyncSession,
    model: type[SQLModel],
    diff: RowDiff,
    entity: str,
    label: Callable[[Any], str],
    result: ImportResult,
    audit: _Audit,
    stamp: dict[str, Any] | None = None,
) -> None:
    """Write a RowDiff: one executemany per kind of change, and an audit row for each change."""
    stamp = stamp or {}
    if diff.insert:
        await session.execute(insert(model), [{**row, **stamp} for row in diff.insert])
        for row in diff.insert:
            audit(f"import.{entity}.add", entity, label(row))
    if diff.update:
        await session.execute(update(model), [{**row, **stamp} for row in diff.update])
        for row_id, old, new in diff.changed:
            audit(f"import.{entity}.update", entity, row_id, old=old, new=new)
    for ids, archived, action in ((diff.archive, True, "archive"), (diff.restore, False, "restore")):
        if ids:
            table = table_of(model)
            await session.execute(update(table).where(table.c.id.in_(ids)).values(archived=archived, **stamp))
            for row_id in ids:
                audit(f"import.{entity}.{action}", entity, row_id)
    plural = {"document": "documents", "task": "tasks", "target": "targets", "assignment": "assignments"}[entity]
    result.add(f"{plural} added", len(diff.insert))
    result.add(f"{plural} updated", len(diff.update))
    result.add(f"{plural} archived", len(diff.archive))
    result.add(f"{plural} restored", len(diff.restore))


async def _sync_documents(
    session: AsyncSession,
    catalog: Catalog,
    unit_ids: dict[str, int],
    result: ImportResult,
    audit: _Audit,
    clock: Clock,
    whole: bool,
) -> set[str]:
    """The catalog's documents written; the ids of the documents this import is the truth for, which the
    tasks and targets follow: the catalog's, and with a `whole` import every document the tasks file brought
    before (DocumentOrigin.TASKS_FILE). A document imported on its own (the web review) is not archived by a
    tasks file that never held it; once the file holds it, the file is its truth."""
    stored = await _all(session, Document, lambda d: d.id)
    mine = {d.id for d in catalog.documents}
    if whole:
        mine |= {doc_id for doc_id, d in stored.items() if d.origin == DocumentOrigin.TASKS_FILE}

    def origin(doc_id: str) -> DocumentOrigin:
        if whole:
            return DocumentOrigin.TASKS_FILE
        return stored[doc_id].origin if doc_id in stored else DocumentOrigin.ON_ITS_OWN

    desired = {
        d.id: {
            "id": d.id,
            "short": d.short,
            "title": d.title,
            "issuer_id": unit_ids[d.issuer],
            "number": d.number,
            "issued": d.issued,
            "period_start": d.period_start,
            "period_end": d.period_end,
            "addressees": list(d.addressees),
            "source": d.source,
            "settings": d.settings,
            "ended": is_ended(d, clock.today, include_ended=clock.include_ended),
            "origin": origin(d.id),
            "archived": False,
        }
        for d in catalog.documents
    }
    diff = diff_rows(_within(stored, mine, lambda d: d.id), desired, DOCUMENT_FIELDS)
    await _apply(session, Document, diff, "document", lambda row: row["id"], result, audit)
    return mine


async def _sync_tasks(
    session: AsyncSession, catalog: Catalog, result: ImportResult, audit: _Audit, mine: set[str]
) -> dict[tuple[str, str], int]:
    existing = _within(await _all(session, Task, lambda t: (t.document_id, t.key)), mine, lambda t: t.document_id)
    desired = {
        (t.document_id, t.key): {
            "document_id": t.document_id,
            "key": t.key,
            "section": t.section,
            "title": t.title,
            "body": t.body,
            "deadline": t.deadline,
            "deadline_text": t.deadline_text,
            "recurrence": t.recurrence,
            "settings": t.settings,
            "archived": False,
        }
        for t in catalog.tasks
    }
    diff = diff_rows(existing, desired, TASK_FIELDS)
    await _apply(
        session,
        Task,
        diff,
        "task",
        lambda row: f"{row['document_id']}/{row['key']}",
        result,
        audit,
        stamp={"updated_at": utcnow()},
    )
    if diff.insert:
        rows = (await session.execute(select(col(Task.id), col(Task.document_id), col(Task.key)))).all()
        return {(doc_id, key): task_id for task_id, doc_id, key in rows if task_id is not None}
    return {key: row.id for key, row in existing.items()}


async def _sync_assignments(
    session: AsyncSession,
    catalog: Catalog,
    unit_ids: dict[str, int],
    task_ids: dict[tuple[str, str], int],
    result: ImportResult,
    audit: _Audit,
) -> None:
    existing = await _all(session, Assignment, lambda a: (a.task_id, a.unit_id, a.role))
    desired: dict[tuple[int, int, str], dict[str, Any]] = {}
    for task in catalog.tasks:
        task_id = task_ids[(task.document_id, task.key)]
        for unit, role, via in task.assignments:
            desired[(task_id, unit_ids[unit], role)] = {
                "task_id": task_id,
                "unit_id": unit_ids[unit],
                "role": role,
                "via_group_id": unit_ids[via] if via else None,
                "archived": False,
            }
    live_tasks = set(task_ids[(t.document_id, t.key)] for t in catalog.tasks)
    # Assignments of archived tasks stay as they were: the task's archive flag already retires them.
    existing = {k: a for k, a in existing.items() if a.task_id in live_tasks}
    diff = diff_rows(existing, desired, ("via_group_id",))
    await _apply(
        session,
        Assignment,
        diff,
        "assignment",
        lambda row: f"{row['task_id']}/{row['unit_id']}/{row['role']}",
        result,
        audit,
    )


async def _sync_targets(
    session: AsyncSession, catalog: Catalog, result: ImportResult, audit: _Audit, mine: set[str]
) -> None:
    existing = _within(await _all(session, Target, lambda t: (t.document_id, t.key)), mine, lambda t: t.document_id)
    desired = {
        (t.document_id, t.key): {
            "document_id": t.document_id,
            "key": t.key,
            "text": t.text,
            "value": t.value,
            "measure": t.measure,
            "due": t.due,
            "task_key": t.task_key,
            "archived": False,
        }
        for t in catalog.targets
    }
    diff = diff_rows(existing, desired, TARGET_FIELDS)
    await _apply(session, Target, diff, "target", lambda row: f"{row['document_id']}/{row['key']}", result, audit)


def file_settings(catalog: Catalog) -> dict[str, str]:
    """The file-level values the scheduler needs later, as SchedulerState rows (name → JSON)."""
    return {
        FILE_DEFAULTS: json.dumps(catalog.defaults, sort_keys=True, ensure_ascii=False),
        FILE_CALENDAR: json.dumps(
            {
                "holidays": sorted(d.isoformat() for d in catalog.holidays),
                "workdays": sorted(d.isoformat() for d in catalog.workdays),
            },
            sort_keys=True,
        ),
        FILE_TIMEZONE: json.dumps(catalog.timezone),
    }


async def _sync_file_settings(session: AsyncSession, catalog: Catalog, result: ImportResult, audit: _Audit) -> None:
    want = file_settings(catalog)
    have = {
        row.name: row
        for row in (
            await session.execute(select(SchedulerState).where(col(SchedulerState.name).in_(list(want))))
        ).scalars()
    }
    changed = 0
    for name, value in want.items():
        row = have.get(name)
        if row is None:
            session.add(SchedulerState(name=name, value=value))
        elif row.value != value:
            audit("import.settings.update", "scheduler_state", name, old=row.value, new=value)
            row.value = value
        else:
            continue
        changed += 1
    result.add("file settings changed", changed)
