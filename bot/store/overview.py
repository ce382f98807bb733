"""Read-side queries over the store that several commands share (summaries for people)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    RowMapping,
    Select,
    case,
    distinct,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from bot.core import db
from bot.core.errors import TaskbotError
from bot.core.memory import collector_paused
from bot.core.models import (
    Assignment,
    DigestRun,
    Document,
    Outbox,
    Report,
    Target,
    TargetValue,
    Task,
    Unit,
    UnitAlias,
    id_column,
)
from bot.core.vocab import WORKING_ROLES, Light, OutboxStatus, Role, Status, ValueSource
from bot.reporting.digest import (
    DUE_SOON_DAYS,
    SILENT_DAYS,
    Chases,
    Digest,
    DigestRow,
    TargetRow,
    blocked_order,
    chased_units,
    overdue_order,
)
from bot.reporting.ledger import LedgerRow
from bot.store.assignment_views import overseen_task_ids
from bot.store.versioned import holds_by_document, kept, kept_by_document
from bot.tasksfile import unitnames


@dataclass
class UnitLoad:
    unit: str
    lead: int = 0
    responsible: int = 0
    supervise: int = 0  # tasks it supervises (督查): not work, so in no status count
    by_status: dict[str, int] = field(default_factory=dict)


async def unit_loads(session: AsyncSession) -> list[UnitLoad]:
    """Live assignments per unit (archived tasks and documents left out), busiest first; a unit's 督查
    assignments are counted apart, not by status (their status is never reported)."""
    rows = (
        await session.execute(
            select(col(Unit.name), col(Assignment.role), col(Assignment.status), func.count())
            .join(Assignment, col(Assignment.unit_id) == col(Unit.id))
            .join(Task, col(Task.id) == col(Assignment.task_id))
            .join(Document, col(Document.id) == col(Task.document_id))
            .where(~col(Assignment.archived), ~col(Task.archived), ~col(Document.archived), ~col(Document.ended))
            .group_by(col(Unit.name), col(Assignment.role), col(Assignment.status))
        )
    ).all()
    loads: dict[str, UnitLoad] = {}
    for name, role, status, count in rows:
        load = loads.setdefault(name, UnitLoad(name))
        setattr(load, role, getattr(load, role) + count)
        if role == Role.SUPERVISE:
            continue
        load.by_status[status] = load.by_status.get(status, 0) + count
    return sorted(loads.values(), key=lambda u: (-(u.lead + u.responsible), u.unit))


async def document_counts(session: AsyncSession) -> list[tuple[str, str, int]]:
    """(document id, title, live task count) for every live document."""
    rows = (
        await session.execute(
            select(col(Document.id), col(Document.title), func.count(col(Task.id)))
            .outerjoin(Task, (col(Task.document_id) == col(Document.id)) & ~col(Task.archived))
            .where(~col(Document.archived))
            .group_by(col(Document.id), col(Document.title))
            .order_by(col(Document.issued))
        )
    ).all()
    return [(doc_id, title, count) for doc_id, title, count in rows]


async def digest_rows(
    session: AsyncSession, overseer_id: int | None = None, own_unit_id: int | None = None
) -> list[DigestRow]:
    """`read_digest_rows`, kept while the store stands still (bot/store/versioned.py): a coordinator's /digest
    read 50,000 assignments each time (issue 23). A new list each call; the rows are frozen."""
    key = ("digest_rows", overseer_id, own_unit_id)
    return list(await kept(session, key, lambda: read_digest_rows(session, overseer_id, own_unit_id)))


async def read_digest_rows(
    session: AsyncSession, overseer_id: int | None = None, own_unit_id: int | None = None
) -> list[DigestRow]:
    """Live assignments of the units doing the tasks, for a digest: all of them, or those of the tasks one
    unit leads or supervises (and, with `own_unit_id`, that unit's own assignments besides: what it sees on
    the web 看板); by document, task and unit name. 督查 assignments are never rows: the
    supervising unit does not do the task, so it is in no count, no light and no list of silent units.

    Four narrow reads joined here rather than one wide join: the assignments carry ids and their own
    columns only, and a document's or a task's title, dates and short name are read once each, not once
    per assignment (50,000 assignments over 10,000 tasks: about half the time of the join, which also had
    the database sort 50,000 wide rows). Units keep the database's order of names (its collation), as the
    join's ORDER BY had it. The cyclic garbage collector is paused while the rows pile up (bot/core/memory.py):
    they hold no cycles, and its passes over them took as long as the read itself."""
    tasks = (
        select(
            col(Task.id), col(Task.document_id), col(Task.key), col(Task.title), col(Task.deadline), col(Task.closed_at)
        )
        .join(Document, col(Document.id) == col(Task.document_id))
        .where(~col(Task.archived), ~col(Document.archived), ~col(Document.ended))
        .order_by(col(Task.document_id), col(Task.id))
    )
    assignments = select(
        col(Assignment.id),
        col(Assignment.task_id),
        col(Assignment.unit_id),
        col(Assignment.role),
        col(Assignment.status),
        col(Assignment.percent),
        col(Assignment.deadline_override),
        col(Assignment.last_report_at),
    ).where(~col(Assignment.archived), col(Assignment.role).in_(WORKING_ROLES))
    if overseer_id is not None or own_unit_id is not None:
        task_seen, assignment_seen = _seen(overseer_id, own_unit_id)
        tasks, assignments = tasks.where(task_seen), assignments.where(assignment_seen)
    with collector_paused():
        connection = await session.connection()  # Core rows, not the ORM's loading: a fifth less for 50,000
        assigned = (await connection.execute(assignments)).all()
        if not assigned:
            return []
        documents = (
            await session.execute(
                select(col(Document.id), col(Document.title), col(Document.issued), col(Document.short)).where(
                    ~col(Document.archived), ~col(Document.ended)
                )
            )
        ).all()
        units = (await session.execute(select(col(Unit.id), col(Unit.name)).order_by(col(Unit.name)))).all()
        return _joined(assigned, (await session.execute(tasks)).all(), documents, units)


def _seen(overseer_id: int | None, own_unit_id: int | None) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """(tasks, assignments) conditions: the tasks `overseer_id` leads or supervises with all their units, or
    (also) `own_unit_id`'s own assignments and their tasks."""
    task_parts: list[ColumnElement[bool]] = []
    assignment_parts: list[ColumnElement[bool]] = []
    if overseer_id is not None:
        overseen = overseen_task_ids(overseer_id)
        task_parts.append(col(Task.id).in_(overseen))
        assignment_parts.append(col(Assignment.task_id).in_(overseen))
    if own_unit_id is not None:
        task_parts.append(
            col(Task.id).in_(select(col(Assignment.task_id)).where(col(Assignment.unit_id) == own_unit_id))
        )
        assignment_parts.append(col(Assignment.unit_id) == own_unit_id)
    return or_(*task_parts), or_(*assignment_parts)


def _joined(
    assigned: Sequence[Any], tasks: Sequence[Any], documents: Sequence[Any], units: Sequence[Any]
) -> list[DigestRow]:
    """digest_rows' join: each task's assignments (units by the order `units` come in), tasks in their order."""
    rank = {unit_id: n for n, (unit_id, _) in enumerate(units)}
    name = dict(units)
    by_task: dict[int, list[tuple[Any, ...]]] = {}
    for assignment_id, task_id, unit_id, *rest in assigned:  # plain tuples, the unit's rank first
        by_task.setdefault(task_id, []).append((rank[unit_id], assignment_id, name[unit_id], *rest))
    document_of = {doc_id: (title, issued, short or "") for doc_id, title, issued, short in documents}
    rows: list[DigestRow] = []
    for task_id, document_id, key, title, deadline, closed_at in tasks:
        group = by_task.get(task_id)
        if not group:
            continue
        group.sort()  # by the unit's rank: a task has a unit once, so no tie goes further
        document, issued, short = document_of[document_id]
        closed = closed_at is not None
        rows += [
            DigestRow.of(
                (
                    assignment_id,
                    unit,
                    document_id,
                    document,
                    key,
                    title,
                    role,
                    status,
                    percent,
                    override or deadline,
                    closed,
                    last_report_at,
                    issued,
                    short,
                )
            )
            for _, assignment_id, unit, role, status, percent, override, last_report_at in group
        ]
    return rows


DocumentLights = tuple[str, str, dict[Light, int]]  # (document id, its short name or title, units per light)


@dataclass
class Tally:
    """What the web 总览 shows of the live assignments a scope sees, added up by the database: the figures
    `build_digest` and the 看板's lights per document give over `read_digest_rows` (the digest's rules,
    bot/reporting/digest.py; tests/store/test_tally.py holds the two to each other), without reading 50,000
    rows into Python. `overdue` is the first rows only, in the digest's order; `overdue_total` counts them all."""

    tasks: int = 0
    counts: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(tuple(Status), 0))
    lights: dict[str, Light] = field(default_factory=dict)  # unit → its light, by name
    unit_ids: dict[str, int] = field(default_factory=dict)
    documents: list[DocumentLights] = field(default_factory=list)  # by document id, as the digest's rows come
    overdue_total: int = 0
    overdue: list[tuple[DigestRow, int]] = field(default_factory=list)  # (row, days overdue), the first `limit`


_LIVE_WORKING = (
    ~col(Assignment.archived),
    ~col(Task.archived),
    ~col(Document.archived),
    ~col(Document.ended),
    col(Assignment.role).in_(WORKING_ROLES),
)


# `tally`'s worst row of a unit, as one number: red, yellow, open (green unless the unit is silent), done (green)
_RED, _YELLOW, _OPEN, _DONE = 0, 1, 2, 3


def _unit_light(today: dt.date, code: int, last: dt.datetime | None, issued: dt.date) -> tuple[Light, bool]:
    """(a unit's light, whether it is silent) from its worst row's code, its newest report and the issue date
    of the first document it has rows in (no report: its silence counts from there), as light_of decides."""
    quiet = code <= _OPEN and (today - (last.date() if last is not None else issued)).days > SILENT_DAYS
    return Light.RED if code == _RED else Light.YELLOW if code == _YELLOW or quiet else Light.GREEN, quiet


@dataclass(frozen=True)
class _Terms:
    """The digest's rules for one row of `_scoped` as SQL (`light_of`): done (or its task 办结), and for a row
    not done: red (blocked or overdue), due soon (within DUE_SOON_DAYS, or overdue), overdue. Every use asks
    `done` first (`open_case`): SQLite evaluates each term of each aggregate for 50,000 rows, so the fewer the
    faster."""

    done: ColumnElement[bool]
    red: ColumnElement[bool]
    soon: ColumnElement[bool]
    overdue: ColumnElement[bool]
    deadline: ColumnElement[Any]

    @classmethod
    def on(cls, today: dt.date) -> _Terms:
        deadline = func.coalesce(col(Assignment.deadline_override), col(Task.deadline))
        return cls(
            done=or_(col(Assignment.status) == Status.DONE, col(Task.closed_at).is_not(None)),
            red=or_(col(Assignment.status) == Status.BLOCKED, deadline < today),
            soon=deadline <= today + dt.timedelta(days=DUE_SOON_DAYS),
            overdue=deadline < today,
            deadline=deadline,
        )

    def open_case(self, if_done: Any, *whens: tuple[ColumnElement[bool], Any], else_: Any = None) -> Any:
        """CASE WHEN done THEN `if_done` WHEN … (the row is open from there on)."""
        return case((self.done, if_done), *whens, else_=else_)


def _scoped(stmt: Select[Any], overseer_id: int | None, own_unit_id: int | None) -> Select[Any]:
    """`stmt` over the live working assignments joined to their task and document, in the scope
    `read_digest_rows` takes."""
    stmt = (
        stmt.join(Task, col(Task.id) == col(Assignment.task_id))
        .join(Document, col(Document.id) == col(Task.document_id))
        .where(*_LIVE_WORKING)
    )
    if overseer_id is not None or own_unit_id is not None:
        stmt = stmt.where(_seen(overseer_id, own_unit_id)[1])
    return stmt


async def tally(
    session: AsyncSession,
    today: dt.date,
    overseer_id: int | None = None,
    own_unit_id: int | None = None,
    limit: int = 50,
) -> Tally:
    """The 总览's figures for the scope `read_digest_rows` takes (all, or what one unit oversees and its own
    assignments), in a few small queries whatever the number of assignments: per unit its worst row and
    newest report (lights, silence), per document the counts and its units' lights, and the first `limit`
    overdue rows. A unit's silence (no report for SILENT_DAYS) needs its newest report over the whole scope:
    it is decided between the first two.

    On SQLite a grouping by document walks the task index in order and sorts nothing, a grouping by unit
    does not: so the unit's query carries three aggregates and the document's all the rest."""
    terms = _Terms.on(today)
    worst = terms.open_case(_DONE, (terms.red, _RED), (terms.soon, _YELLOW), else_=_OPEN)
    # `+ 0`: grouped by an expression, SQLite reads the table in order and sorts, rather than walking the unit
    # index to every row in turn (2-3 times the time with the default page cache); PostgreSQL hashes either
    unit = (col(Assignment.unit_id) + literal_column("0")).label("unit")
    per_unit = select(unit, func.min(worst), func.max(col(Assignment.last_report_at)), func.min(col(Document.issued)))
    per_unit = per_unit.group_by(unit)
    found = Tally()
    lights: dict[int, Light] = {}
    silent: list[int] = []
    for unit_id, code, last, issued in (await session.execute(_scoped(per_unit, overseer_id, own_unit_id))).all():
        lights[unit_id], quiet = _unit_light(today, code, last, issued)
        if quiet:
            silent.append(unit_id)
    if not lights:
        return found
    units = select(col(Unit.id), col(Unit.name)).where(col(Unit.id).in_(list(lights)))
    names = dict((await session.execute(units)).all())
    found.lights = {names[u]: lights[u] for u in sorted(lights, key=names.__getitem__)}
    found.unit_ids = {names[u]: u for u in lights}
    await _documents(session, found, terms, silent, overseer_id, own_unit_id)
    found.overdue = await _first_overdue(session, today, terms, overseer_id, own_unit_id, found.overdue_total, limit)
    return found


async def _documents(
    session: AsyncSession,
    found: Tally,
    terms: _Terms,
    silent: list[int],
    overseer_id: int | None,
    own_unit_id: int | None,
) -> None:
    """`found`'s counts, tasks, overdue total and lights per document: a unit is red in a document with a red
    row there, else yellow with a row due soon or open while the unit is silent (`silent`), else green
    (`light_of`, as the chart's bars). The counts are added up per document, then over the documents."""
    unit = col(Assignment.unit_id)
    working = [s for s in Status if s != Status.DONE]
    stmt = select(
        col(Task.document_id),
        func.count(distinct(col(Assignment.task_id))),
        func.count(distinct(unit)),
        func.count(distinct(terms.open_case(null(), (terms.red, unit)))),
        func.count(distinct(terms.open_case(null(), (or_(terms.soon, terms.red, unit.in_(silent)), unit)))),
        func.count(),
        func.sum(terms.open_case(0, (terms.overdue, 1), else_=0)),
        *(func.sum(terms.open_case(0, (col(Assignment.status) == s, 1), else_=0)) for s in working),
    ).group_by(col(Task.document_id))  # by the id alone: SQLite walks the task index in order, no sort
    rows = (await session.execute(_scoped(stmt, overseer_id, own_unit_id).order_by(col(Task.document_id)))).all()
    if not rows:
        return
    name = func.coalesce(func.nullif(col(Document.short), ""), col(Document.title))
    ids = [doc_id for doc_id, *_ in rows]
    names = dict((await session.execute(select(col(Document.id), name).where(col(Document.id).in_(ids)))).all())
    for doc_id, tasks, units, red, worse, count, overdue, *by_status in rows:
        found.documents.append(
            (doc_id, names[doc_id], {Light.RED: red, Light.YELLOW: worse - red, Light.GREEN: units - worse})
        )
        found.tasks += tasks
        found.overdue_total += overdue
        for status, n in zip(working, by_status, strict=True):
            found.counts[status] += n
        found.counts[Status.DONE] += count - sum(by_status)


def _row_fields(terms: _Terms) -> tuple[Any, ...]:
    """A DigestRow's fields, in order, as columns of `_scoped` joined to the unit: the rows the 总览 and a digest
    list (`_first_overdue`, `_tallied_digest`) read as the digest's own rows."""
    return (
        id_column(Assignment),
        col(Unit.name),
        col(Document.id),
        col(Document.title),
        col(Task.key),
        col(Task.title),
        col(Assignment.role),
        col(Assignment.status),
        col(Assignment.percent),
        terms.deadline,
        literal(False),  # an open row's task is not 办结
        col(Assignment.last_report_at),
        col(Document.issued),
        func.coalesce(col(Document.short), ""),
    )


async def _first_overdue(
    session: AsyncSession,
    today: dt.date,
    terms: _Terms,
    overseer_id: int | None,
    own_unit_id: int | None,
    total: int,
    limit: int,
) -> list[tuple[DigestRow, int]]:
    """The first `limit` overdue rows in the digest's order (most days overdue, then unit and task key, as
    Python sorts them): the rows ranked within the first `limit` by deadline (rank: the ties at the last one
    come too), in one scan, sorted here."""
    if not total or limit <= 0:
        return []
    fields = _row_fields(terms)
    rows: Select[Any] = select(
        *(value.label(f"f{n}") for n, value in enumerate(fields)),
        col(Task.id).label("task_id"),
        func.rank().over(order_by=terms.deadline).label("rank"),
    ).join(Unit, col(Unit.id) == col(Assignment.unit_id))
    ranked = _scoped(rows, overseer_id, own_unit_id).where(~terms.done, terms.overdue).subquery()
    stmt = (
        select(*(ranked.c[f"f{n}"] for n in range(len(fields))))
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.f2, ranked.c.task_id)  # the digest's order (document, task), which the sort keeps for ties
    )
    found = [(DigestRow.of(values), (today - values[9]).days) for values in (await session.execute(stmt)).all()]
    found.sort(key=overdue_order)
    return found[:limit]


async def digest_now(
    session: AsyncSession,
    today: dt.date,
    overseer_id: int | None = None,
    own_unit_id: int | None = None,
    chases: Chases | None = None,
) -> Digest | None:
    """The digest of a scope as of `today` with nothing to compare with (/digest on demand): `build_digest`'s
    figures and lists from each document's share of the scope (`_document_shares`: its counts, its units'
    states and only the rows a digest lists), kept per document for the week — after a report only that
    document's share is read again, on a new day none (issue 23's 300 ms: the whole store was read after any
    change). The digest itself is kept while the store stands still (bot/store/versioned.py); the targets
    (a value set with /target moves no store counter) and the 催办 are read each time. None when the scope
    holds no assignment. tests/store/test_tally.py and test_versioned.py hold it to build_digest."""
    key = ("digest_now", today, overseer_id, own_unit_id)
    tallied = await kept(session, key, lambda: _tallied_digest(session, today, overseer_id, own_unit_id))
    if tallied is None:
        return None
    digest = replace(tallied.digest, targets=await target_rows(session, set(tallied.documents)))
    digest.chased_week, digest.chased_unheard = chased_units(chases, digest.lights.keys())
    return digest


@dataclass(frozen=True)
class _Tallied:
    """What `digest_now` keeps while the store stands still: the digest without its targets and 催办, which
    change without moving the store's counter, and the documents whose targets to read."""

    digest: Digest  # without targets and 催办
    documents: list[str]


# a unit's rows in a document, as `_DocumentShare` keeps them: none open, some open, some open and blocked
_NONE_OPEN, _SOME_OPEN, _BLOCKED_OPEN = 0, 1, 2
UnitState = tuple[int, dt.date | None, dt.datetime | None, dt.date]  # (open state, earliest open deadline,
# newest report, the document's issue date)


@dataclass(frozen=True)
class _DocumentShare:
    """One document's share of a scope's digest, kept per document (`kept_by_document`) for the week: after a
    report only its document's share is read again, and a new day reads nothing again — what depends on the
    day (red, due soon, overdue, silent) is decided when the shares are added up. Units by id (a unit renamed
    changes every share)."""

    tasks: int
    counts: dict[Status, int]
    units: dict[int, UnitState]
    listed: list[DigestRow]  # open rows blocked or due before the week's end, by task


def _share_key(overseer_id: int | None, own_unit_id: int | None) -> tuple[str, int | None, int | None]:
    return ("digest share", overseer_id, own_unit_id)


def digest_ready(session: AsyncSession, today: dt.date) -> bool:
    """Whether the coordinators' /digest has its documents' shares for `today`'s week (`digest_now`)."""
    return holds_by_document(session, _share_key(None, None), week_of(today)[0])


def week_of(today: dt.date) -> tuple[dt.date, dt.date]:
    """(Monday, next Monday): the days a document's share serves."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=7)


async def _tallied_digest(
    session: AsyncSession, today: dt.date, overseer_id: int | None, own_unit_id: int | None
) -> _Tallied | None:
    """The digest over the documents' shares: each unit's light and silence from its rows over every document
    (`tally`'s rules), the counts added up, the lists sorted as build_digest sorts them (the rows in document
    order first: the sorts are stable)."""
    monday, next_monday = week_of(today)
    shares = await kept_by_document(
        session,
        _share_key(overseer_id, own_unit_id),
        lambda documents: _document_shares(session, next_monday, overseer_id, own_unit_id, documents),
        period=monday,
    )
    if not shares:
        return None
    ordered = select(col(Document.id)).where(col(Document.id).in_(list(shares))).order_by(col(Document.id))
    documents = list((await session.execute(ordered)).scalars())  # the database's order of ids, as the rows had
    counts = dict.fromkeys(tuple(Status), 0)
    units: dict[int, UnitState] = {}
    overdue: list[tuple[DigestRow, int]] = []
    blocked: list[DigestRow] = []
    for doc_id in documents:
        share = shares[doc_id]
        for status, n in share.counts.items():
            counts[status] += n
        for unit_id, state in share.units.items():  # 34,000 pairs on bench_scheduler's store: kept tight
            seen = units.get(unit_id)
            if seen is None:
                units[unit_id] = state
            elif seen != state:
                units[unit_id] = _both(seen, state)
        for row in share.listed:
            if row.deadline is not None and row.deadline < today:
                overdue.append((row, (today - row.deadline).days))
            if row.status == Status.BLOCKED:
                blocked.append(row)
    overdue.sort(key=overdue_order)
    blocked.sort(key=blocked_order)
    lights, silent = await _unit_lights(session, today, units)
    digest = Digest(
        as_of=today,
        counts=counts,
        lights=lights,
        overdue=overdue,
        blocked=blocked,
        silent_units=silent,
        changes=[],
        targets=[],
        tasks=sum(share.tasks for share in shares.values()),
    )
    return _Tallied(digest, documents)


def _both(one: UnitState, other: UnitState) -> UnitState:
    """A unit's state over the rows of two documents."""
    first, second = one[1], other[1]
    newest, newer = one[2], other[2]
    return (
        one[0] if one[0] >= other[0] else other[0],
        second if first is None or (second is not None and second < first) else first,
        newer if newest is None or (newer is not None and newer > newest) else newest,
        one[3] if one[3] <= other[3] else other[3],
    )


def _worst_code(state: UnitState, today: dt.date) -> int:
    """The code of a unit's worst row on `today` (`tally`'s _RED … _DONE) from its state."""
    open_state, earliest = state[0], state[1]
    if open_state == _BLOCKED_OPEN or (earliest is not None and earliest < today):
        return _RED
    if earliest is not None and earliest <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return _YELLOW
    return _OPEN if open_state == _SOME_OPEN else _DONE


async def _unit_lights(
    session: AsyncSession, today: dt.date, units: dict[int, UnitState]
) -> tuple[dict[str, Light], list[str]]:
    """(each unit's light by name, in name order; the silent units' names), as `tally` decides them."""
    names = dict(
        (await session.execute(select(col(Unit.id), col(Unit.name)).where(col(Unit.id).in_(list(units))))).all()
    )
    lights: dict[str, Light] = {}
    silent: list[str] = []
    for unit_id, state in sorted(units.items(), key=lambda item: names[item[0]]):
        lights[names[unit_id]], quiet = _unit_light(today, _worst_code(state, today), state[2], state[3])
        if quiet:
            silent.append(names[unit_id])
    return lights, sorted(silent)


async def _document_shares(
    session: AsyncSession,
    week_end: dt.date,
    overseer_id: int | None,
    own_unit_id: int | None,
    documents: set[str] | None,
) -> dict[str, _DocumentShare]:
    """Each document's share (of `documents`, or of all) of a scope's digest for the days before `week_end`,
    in three reads whatever the number of documents: per document its counts, per document and unit its
    open state, earliest open deadline and newest report, and the open rows blocked or due before `week_end`
    — the only rows a digest of those days lists (a coordinator's: 13,000 of 50,000 on bench_scheduler's
    store, and no Python pass over the rest)."""
    terms = _Terms.on(week_end)  # `terms.overdue`: due before week_end

    def scoped(stmt: Select[Any]) -> Select[Any]:
        stmt = _scoped(stmt, overseer_id, own_unit_id)
        return stmt if documents is None else stmt.where(col(Task.document_id).in_(sorted(documents)))

    working = [s for s in Status if s != Status.DONE]
    per_document = select(
        col(Task.document_id),
        func.count(distinct(col(Assignment.task_id))),
        func.count(),
        *(func.sum(terms.open_case(0, (col(Assignment.status) == s, 1), else_=0)) for s in working),
    ).group_by(col(Task.document_id))
    per_unit = select(
        col(Task.document_id),
        col(Assignment.unit_id),
        func.max(
            terms.open_case(_NONE_OPEN, (col(Assignment.status) == Status.BLOCKED, _BLOCKED_OPEN), else_=_SOME_OPEN)
        ),
        func.min(type_coerce(terms.open_case(null(), else_=terms.deadline), Date)),
        func.max(col(Assignment.last_report_at)),
        func.min(col(Document.issued)),
    ).group_by(col(Task.document_id), col(Assignment.unit_id))
    listed = scoped(select(*_row_fields(terms)).join(Unit, col(Unit.id) == col(Assignment.unit_id))).where(
        ~terms.done, or_(terms.overdue, col(Assignment.status) == Status.BLOCKED)
    )
    shares: dict[str, _DocumentShare] = {}
    connection = await session.connection()  # tuples converted column by column (db.converted_rows): 34,000
    # (document, unit) pairs and 13,000 listed rows on bench_scheduler's store, a third of the time of Rows
    for doc_id, tasks, count, *by_status in await db.converted_rows(connection, scoped(per_document)):
        counts = dict(zip(working, by_status, strict=True))
        counts[Status.DONE] = count - sum(by_status)
        shares[doc_id] = _DocumentShare(tasks, counts, {}, [])
    with collector_paused():
        for doc_id, unit_id, open_state, earliest, last, issued in await db.converted_rows(
            connection, scoped(per_unit)
        ):
            shares[doc_id].units[unit_id] = (open_state, earliest, last, issued)
        for values in await db.converted_rows(connection, listed.order_by(col(Document.id), col(Task.id))):
            row = DigestRow.of(values)
            shares[row.document_id].listed.append(row)
    return shares


async def target_rows(session: AsyncSession, document_ids: set[str] | None = None) -> list[TargetRow]:
    """Live targets with their newest reported value."""
    return [row for _, row in await document_target_rows(session, document_ids)]


def _value_rows(*columns: Any) -> Select[Any]:
    """Target values that stand (not void, not from a report sent back: 退办) with `columns`, joined to their
    target and to the unit that stated them (a value stored before unit_id: its report's unit)."""
    return (
        select(*columns)
        .join(Target, col(Target.id) == col(TargetValue.target_id))
        .outerjoin(Report, col(Report.id) == col(TargetValue.report_id))
        .outerjoin(Assignment, col(Assignment.id) == col(Report.assignment_id))
        .where(col(TargetValue.voided_at).is_(None), col(Report.returned_at).is_(None))
    )


def _value_unit() -> Any:
    return func.coalesce(col(TargetValue.unit_id), col(Assignment.unit_id))


def value_counts() -> ColumnElement[bool]:
    """Whether a value (in `_value_rows`) is the target's own figure: one a lead or a coordinator recorded
    with /target, or one stated by a unit that leads the target's task (or by any unit of a task without a
    lead). A responsible unit's 「已发布揭榜挂帅项目8项」 is its contribution, not the city's figure: it is shown
    beside the value that counts and never replaces it."""
    lead, task, target = aliased(Assignment), aliased(Task), aliased(Target)
    leads = (  # the lead units of the value's target's task, from the target: PostgreSQL hashed every lead of
        # every task for the OR below (10,000 rows, twice per read), where the targets' tasks have a few
        select(col(lead.id))
        .select_from(target)
        .join(task, (col(task.document_id) == col(target.document_id)) & (col(task.key) == col(target.task_key)))
        .join(lead, (col(lead.task_id) == col(task.id)) & (col(lead.role) == Role.LEAD))
        .where(col(target.id) == col(TargetValue.target_id))
    )
    return or_(
        col(TargetValue.source) == ValueSource.COMMAND,
        leads.where(col(lead.unit_id) == _value_unit()).exists(),
        ~leads.exists(),
    )


def latest_values() -> Any:
    """A subquery: each target's value that counts (target_id, value, unit_id, reported_at: who stated it, when) —
    the newest that stands (`_value_rows`)
    and counts (`value_counts`), by the time it was stated and then by id (a 更正 keeps the time of the value
    it corrects, so a later report still wins)."""
    ranked = (
        _value_rows(
            col(TargetValue.target_id),
            col(TargetValue.value),
            col(TargetValue.unit_id),
            col(TargetValue.reported_at),
            func.row_number()
            .over(
                partition_by=col(TargetValue.target_id),
                order_by=(col(TargetValue.reported_at).desc(), col(TargetValue.id).desc()),
            )
            .label("n"),
        )
        .where(value_counts())
        .subquery()
    )
    return (
        select(ranked.c.target_id, ranked.c.value, ranked.c.unit_id, ranked.c.reported_at)
        .where(ranked.c.n == 1)
        .subquery()
    )


async def contributions(session: AsyncSession, target_ids: Sequence[int]) -> dict[int, tuple[tuple[str, float], ...]]:
    """target id → (unit, its newest value) of the units whose values do not count (`value_counts`): their
    contributions, shown beside the value that counts."""
    if not target_ids:
        return {}
    ranked = (
        _value_rows(
            col(TargetValue.target_id),
            col(Unit.name).label("unit"),
            col(TargetValue.value),
            func.row_number()
            .over(
                partition_by=(col(TargetValue.target_id), _value_unit()),
                order_by=(col(TargetValue.reported_at).desc(), col(TargetValue.id).desc()),
            )
            .label("n"),
        )
        .join(Unit, col(Unit.id) == _value_unit())
        .where(~value_counts(), col(TargetValue.target_id).in_(list(target_ids)))
        .subquery()
    )
    found: dict[int, list[tuple[str, float]]] = {}
    rows = await session.execute(
        select(ranked.c.target_id, ranked.c.unit, ranked.c.value).where(ranked.c.n == 1).order_by(ranked.c.unit)
    )
    for row in rows.mappings():
        found.setdefault(row["target_id"], []).append((row["unit"], row["value"]))
    return {target_id: tuple(units) for target_id, units in found.items()}


async def document_target_rows(
    session: AsyncSession, document_ids: set[str] | None = None
) -> list[tuple[str, TargetRow]]:
    """`target_rows` with each row's document id, so that one query can serve many digests."""
    stmt = live_targets(col(Target.id).label("target_id"), col(Target.document_id).label("document_id")).order_by(
        col(Document.issued), col(Target.id)
    )
    if document_ids is not None:
        stmt = stmt.where(col(Target.document_id).in_(sorted(document_ids)))
    rows = (await session.execute(stmt)).mappings().all()
    others = await contributions(session, [row["target_id"] for row in rows])
    return [(row["document_id"], target_row(row, others.get(row["target_id"], ()))) for row in rows]


def target_row(row: RowMapping, contributions: tuple[tuple[str, float], ...] = ()) -> TargetRow:
    """A TargetRow from a `live_targets` row, by its column labels (the caller's extra columns are ignored)."""
    return TargetRow(
        document=row["document"],
        text=row["text"],
        value=row["value"],
        measure=row["measure"],
        due=row["due"],
        latest=row["latest"],
        issued=row["issued"],
        document_short=row["document_short"],
        task_key=row["task_key"],
        contributions=contributions,
    )


def live_targets(*extra: Any) -> Select[Any]:
    """Live targets of live documents with the value that counts: a TargetRow's columns, labelled with its
    field names (`target_row` builds it), then `extra`, which the caller labels (the digest's, /target's and the
    web page's reads; each adds its order)."""
    latest = latest_values()
    return (
        select(
            col(Document.title).label("document"),
            col(Target.text).label("text"),
            col(Target.value).label("value"),
            col(Target.measure).label("measure"),
            col(Target.due).label("due"),
            latest.c.value.label("latest"),
            col(Document.issued).label("issued"),
            func.coalesce(col(Document.short), "").label("document_short"),
            col(Target.task_key).label("task_key"),
            *extra,
        )
        .join(Document, col(Document.id) == col(Target.document_id))
        .outerjoin(latest, latest.c.target_id == col(Target.id))
        .where(~col(Target.archived), ~col(Document.archived), ~col(Document.ended))
    )


async def digest_history(
    session: AsyncSession, audience: str, before: dt.date, weeks: int = 7
) -> list[tuple[str, dict[str, int]]]:
    """(Monday of its week, assignments per status) of the audience's weekly digests of the weeks before
    `before`'s, oldest first: the chart's trend. By period, not created_at, which is the wall clock's."""
    year, week, _ = before.isocalendar()
    runs = (
        await session.execute(
            select(col(DigestRun.period), col(DigestRun.counts))
            .where(col(DigestRun.audience) == audience, col(DigestRun.period) < f"{year}-W{week:02d}")
            .order_by(col(DigestRun.period).desc())
            .limit(weeks)
        )
    ).all()
    return [(_monday(period), dict(counts)) for period, counts in reversed(runs) if counts]


def _monday(period: str) -> str:
    """2024-W23 → 06-03 (the label of a week on the chart)."""
    year, week = period.split("-W")
    return dt.date.fromisocalendar(int(year), int(week), 1).strftime("%m-%d")


async def unit_lookup(session: AsyncSession) -> dict[str, str]:
    """Every unit name and alias → its canonical name (the registry as the store has it)."""
    lookup = {name: name for name in (await session.execute(select(col(Unit.name)))).scalars()}
    rows = (
        await session.execute(
            select(col(UnitAlias.alias), col(Unit.name)).join(Unit, col(Unit.id) == col(UnitAlias.unit_id))
        )
    ).all()
    lookup.update({alias: name for alias, name in rows})
    return lookup


async def resolve_unit_id(session: AsyncSession, name: str) -> int:
    """A unit's id from its name or alias; an unknown name is a TaskbotError naming the closest unit, and an
    alias that fits several units (unitnames.candidates) one naming them all."""
    lookup = await unit_lookup(session)
    found = unitnames.candidates(name, lookup)
    if not found:
        near = unitnames.closest(name, lookup)
        hint = f"; did you mean {near!r}?" if near else ""
        raise TaskbotError(f"unit {name!r} is not in the store{hint}")
    if len(found) > 1:
        raise TaskbotError(f"unit {name!r} fits {len(found)} units: {', '.join(found)}; give the full name")
    return (await session.execute(select(id_column(Unit)).where(col(Unit.name) == found[0]))).scalar_one()


async def outbox_counts(session: AsyncSession) -> dict[str, int]:
    rows = (await session.execute(select(col(Outbox.status), func.count()).group_by(col(Outbox.status)))).all()
    return {status: count for status, count in rows}


async def outbox_problems(session: AsyncSession, limit: int = 200) -> list[Outbox]:
    """Failed and skipped rows, newest first: what a coordinator has to look at."""
    return list(
        (
            await session.execute(
                select(Outbox)
                .where(col(Outbox.status).in_([OutboxStatus.FAILED, OutboxStatus.SKIPPED]))
                .order_by(col(Outbox.send_at).desc(), col(Outbox.id).desc())
                .limit(limit)
            )
        ).scalars()
    )


async def ledger_rows(session: AsyncSession, overseer_id: int | None = None) -> list[LedgerRow]:
    """Live assignments for the 台账 in document order (leads first, then units as the task lists them), each
    with its task's lead and responsible lists and the newest report that was not sent back (退办): all of them,
    or (`overseer_id`) every unit's rows of the tasks one unit leads or supervises, as its digest has them. Two
    queries, whatever the number of rows. The 台账 is the units doing the tasks: 督查 assignments are neither
    rows nor in the lists."""
    newest = (
        select(
            col(Report.assignment_id),
            col(Report.text),
            col(Report.created_at),
            func.row_number()
            .over(
                partition_by=col(Report.assignment_id), order_by=(col(Report.created_at).desc(), col(Report.id).desc())
            )
            .label("n"),
        )
        .where(col(Report.returned_at).is_(None))
        .subquery()
    )  # a report sent back (退办) is no 最新进展
    live: tuple[ColumnElement[bool], ...] = (
        ~col(Assignment.archived),
        ~col(Task.archived),
        ~col(Document.archived),
        ~col(Document.ended),
        col(Assignment.role).in_(WORKING_ROLES),
    )
    if overseer_id is not None:
        live = (*live, col(Assignment.task_id).in_(overseen_task_ids(overseer_id)))
    lead_first = case((col(Assignment.role) == Role.LEAD, 0), else_=1)
    rows = (
        (
            await session.execute(
                select(
                    id_column(Assignment).label("assignment_id"),
                    col(Unit.name).label("unit"),
                    col(Document.id).label("document_id"),
                    col(Document.title).label("document"),
                    col(Task.key).label("task_key"),
                    col(Task.title).label("task_title"),
                    col(Assignment.role).label("role"),
                    col(Assignment.status).label("status"),
                    col(Assignment.percent).label("percent"),
                    func.coalesce(col(Assignment.deadline_override), col(Task.deadline)).label("deadline"),
                    col(Task.closed_at).label("closed_at"),
                    col(Assignment.last_report_at).label("last_report_at"),
                    col(Document.issued).label("issued"),
                    col(Task.id).label("task_id"),
                    col(Task.deadline_text).label("deadline_text"),
                    newest.c.text.label("latest_text"),
                    newest.c.created_at.label("latest_at"),
                )
                .join(Unit, col(Unit.id) == col(Assignment.unit_id))
                .join(Task, col(Task.id) == col(Assignment.task_id))
                .join(Document, col(Document.id) == col(Task.document_id))
                .outerjoin(newest, (newest.c.assignment_id == col(Assignment.id)) & (newest.c.n == 1))
                .where(*live)
                .order_by(col(Document.issued), col(Document.id), col(Task.id), lead_first, col(Assignment.id))
            )
        )
        .mappings()
        .all()
    )
    group = aliased(Unit)
    members = (
        await session.execute(
            select(col(Assignment.task_id), col(Assignment.role), func.coalesce(col(group.name), col(Unit.name)))
            .join(Unit, col(Unit.id) == col(Assignment.unit_id))
            .outerjoin(group, col(group.id) == col(Assignment.via_group_id))
            .join(Task, col(Task.id) == col(Assignment.task_id))
            .join(Document, col(Document.id) == col(Task.document_id))
            .where(*live)
            .order_by(col(Assignment.task_id), col(Assignment.id))
        )
    ).all()
    lists: dict[tuple[int, str], dict[str, None]] = {}
    for task_id, role, name in members:
        lists.setdefault((task_id, role), {})[name] = None  # a group's members collapse to the group, in order
    return [
        LedgerRow(
            row=DigestRow(
                assignment_id=r["assignment_id"],
                unit=r["unit"],
                document_id=r["document_id"],
                document=r["document"],
                task_key=r["task_key"],
                task_title=r["task_title"],
                role=r["role"],
                status=r["status"],
                percent=r["percent"],
                deadline=r["deadline"],
                closed=r["closed_at"] is not None,
                last_report_at=r["last_report_at"],
                issued=r["issued"],
            ),
            lead_units=tuple(lists.get((r["task_id"], Role.LEAD), ())),
            responsible_units=tuple(lists.get((r["task_id"], Role.RESPONSIBLE), ())),
            deadline_text=r["deadline_text"],
            latest_text=r["latest_text"],
            latest_at=r["latest_at"] or r["last_report_at"],
        )
        for r in rows
    ]
