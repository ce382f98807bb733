"""/target: the targets (指标) a lead unit or a coordinator looks after, and a value recorded by hand.

Who sees and sets what:
- a coordinator: every live target;
- a unit: the targets of the tasks it leads, and the targets of a whole document (no task, Target.task_key
  None) when it issued that document — those move ONLY through /target, since no task's report names them;
- anyone else is refused (and the refusal audited when a bound unit tried to set a value).

`/target 简称 编号 数值`: the document by its short name, a unique prefix of it, its id or its title; the
target by its number in the list (its place among the document's targets: [2]), its key in tasks.yaml
(jbgs), or its task's number (1.2) when that task has one target; the value with its measure, converted
to the target's (「3200万元」 for a goal in 亿元 is 0.32), or a bare number in the target's measure. A value
of another kind (money for a count) is refused with both measures named. A recorded value is a
TargetValue of source `command`, audited as target.record; its 更正 button works as under a report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.chat.binding import chat_unit
from bot.chat.target_values import value_refusal
from bot.core.models import Document, Target, TargetValue, Task, pk
from bot.core.references import read_reference
from bot.core.vocab import Role, TargetOutcome, ValueSource
from bot.replies.quantities import stated, value_in
from bot.reporting.digest import TargetRow
from bot.store import audit
from bot.store.assignment_views import overseen_task_ids
from bot.store.overview import contributions, live_targets, target_row


@dataclass(frozen=True)
class ListedTarget:
    """A live target as /target lists it: its id, document, number in the document, key, and the digest's row
    (text, goal, measure, due, the value that counts, the document's issue date and short name, the task)."""

    id: int
    document_id: str
    issuer_id: int
    number: int
    key: str
    row: TargetRow

    @property
    def document_name(self) -> str:
        return self.row.document_short or self.row.document


@dataclass(frozen=True)
class TargetCommand:
    """What /target with arguments did: the outcome, the target, the value and its row, or what to name."""

    outcome: TargetOutcome
    entry: ListedTarget | None = None
    value: float | None = None
    value_id: int | None = None
    names: tuple[str, ...] = ()  # known documents (UNKNOWN_DOCUMENT) or candidate numbers (AMBIGUOUS)


async def all_targets(session: AsyncSession) -> list[ListedTarget]:
    """Every live target of a live document, in document order (issue date, id) and by id within one."""
    rows = (
        (
            await session.execute(
                live_targets(
                    col(Target.id).label("target_id"),
                    col(Target.document_id).label("document_id"),
                    col(Document.issuer_id).label("issuer_id"),
                    col(Target.key).label("key"),
                ).order_by(col(Document.issued), col(Document.id), col(Target.id))
            )
        )
        .mappings()
        .all()
    )
    numbers: dict[str, int] = {}
    entries = []
    others = await contributions(session, [row["target_id"] for row in rows])
    for row in rows:
        target_id, document_id = row["target_id"], row["document_id"]
        target = target_row(row, others.get(target_id, ()))
        numbers[document_id] = numbers.get(document_id, 0) + 1
        entries.append(ListedTarget(target_id, document_id, row["issuer_id"], numbers[document_id], row["key"], target))
    return entries


async def led_tasks(session: AsyncSession, unit_id: int) -> set[tuple[str, str]]:
    """(document id, task key) of the live tasks the unit leads."""
    rows = (
        await session.execute(
            select(col(Task.document_id), col(Task.key)).where(
                col(Task.id).in_(overseen_task_ids(unit_id, (Role.LEAD,))), ~col(Task.archived)
            )
        )
    ).all()
    return {(doc, key) for doc, key in rows}


def may_set(entry: ListedTarget, unit_id: int | None, led: set[tuple[str, str]]) -> bool:
    """Whether a unit looks after this target: it leads the target's task, or issued the document of a
    target that belongs to no task."""
    if unit_id is None:
        return False
    if entry.row.task_key is None:
        return entry.issuer_id == unit_id
    return (entry.document_id, entry.row.task_key) in led


async def visible_targets(
    session: AsyncSession, *, chat_id: int, coordinator: bool
) -> tuple[TargetOutcome | None, list[ListedTarget]]:
    """The targets the chat's unit looks after (a coordinator: all); UNBOUND for a chat of no unit."""
    entries = await all_targets(session)
    if coordinator:
        return None, entries
    bound = await chat_unit(session, chat_id)
    if bound is None:
        return TargetOutcome.UNBOUND, []
    led = await led_tasks(session, pk(bound[1]))
    return None, [e for e in entries if may_set(e, bound[1].id, led)]


def find_document(name: str, entries: list[ListedTarget]) -> list[str]:
    """The document ids `name` may mean: an exact id, short name or title, else a unique short-name prefix."""
    documents = {e.document_id: e for e in entries}
    exact = [d for d, e in documents.items() if name in (d, e.row.document_short, e.row.document)]
    prefixed = [d for d, e in documents.items() if e.row.document_short and e.row.document_short.startswith(name)]
    return exact or prefixed


def find_target(which: str, entries: list[ListedTarget]) -> list[ListedTarget]:
    """In one document's targets: by key, by number, or by its task's number."""
    by_key = [e for e in entries if e.key == which]
    if by_key:
        return by_key
    if which.isascii() and which.isdigit():
        by_number = [e for e in entries if e.number == int(which)]
        if by_number:
            return by_number
    return [e for e in entries if e.row.task_key == which]


def arguments(text: str) -> list[str]:
    """/target's words: 「示例 1 -5项」 and, as a reference is written everywhere else, 「示例1 -5项」 (the short
    name and the number together) both give ['示例', '1', '-5项']."""
    parts = text.split(maxsplit=2)
    reference = read_reference(parts[0]) if parts else None
    if reference is not None and reference.short and reference.end == len(parts[0]):
        return [reference.short, reference.number, *text.split(maxsplit=1)[1:]]
    return parts


async def record(
    session: AsyncSession, text: str, *, chat_id: int, user_id: int | None, coordinator: bool, at: dt.datetime
) -> TargetCommand:
    """`/target 简称 编号 数值`: store the value, or say why not (nothing stored then)."""
    parts = arguments(text)
    if len(parts) < 3:
        return TargetCommand(TargetOutcome.NO_NUMBER)
    name, which, value_text = parts
    bound = await chat_unit(session, chat_id)
    if bound is None and not coordinator:
        return TargetCommand(TargetOutcome.UNBOUND)
    entries = await all_targets(session)
    documents = find_document(name, entries)
    if len(documents) != 1:
        return TargetCommand(
            TargetOutcome.UNKNOWN_DOCUMENT, names=tuple(dict.fromkeys(e.document_name for e in entries))
        )
    in_document = [e for e in entries if e.document_id == documents[0]]
    found = find_target(which, in_document)
    if len(found) != 1:
        outcome = TargetOutcome.AMBIGUOUS if found else TargetOutcome.UNKNOWN_TARGET
        return TargetCommand(outcome, in_document[0], names=tuple(str(e.number) for e in found or in_document))
    entry = found[0]
    unit_id = bound[1].id if bound else None
    allowed = may_set(entry, unit_id, await led_tasks(session, unit_id) if unit_id is not None else set())
    if not allowed and not coordinator:
        audit.record(
            session,
            audit.actor_of(user_id),
            "access.refused",
            "target",
            entry.id,
            action="record",
            chat_id=chat_id,
            chat_unit_id=unit_id,
        )
        return TargetCommand(TargetOutcome.NOT_ALLOWED, entry)
    quantity = stated(value_text)
    if quantity is None:
        return TargetCommand(TargetOutcome.NO_NUMBER, entry)
    refused = value_refusal(quantity)
    if refused is not None:
        return TargetCommand(refused, entry)
    value = value_in(quantity, entry.row.measure)
    if value is None:
        return TargetCommand(TargetOutcome.WRONG_MEASURE, entry, names=(quantity.measure,))
    row = TargetValue(
        target_id=entry.id,
        value=value,
        reported_at=at,
        source=ValueSource.COMMAND,
        unit_id=unit_id if allowed else None,
    )
    session.add(row)
    await session.flush()
    audit.record(
        session,
        audit.actor_of(user_id),
        "target.record",
        "target",
        entry.id,
        value=value,
        value_id=row.id,
        chat_id=chat_id,
        coordinator=coordinator,
    )
    return TargetCommand(TargetOutcome.RECORDED, entry, value, row.id)
