"""At a tick, what the planner found due becomes one 督办单 per recipient (bot/render/sheet.py).

Exactly once, per item: every planned item (assignment, kind, period, day — the planner's key) is
inserted into `sheet_item` with ON CONFLICT DO NOTHING, and only the items this transaction really
inserted go into its 督办单. A second tick, a restart or a second process that plans the same items
finds them recorded and sends nothing for them; two processes that plan overlapping windows at once
each send the items they won, never the same one. The items, the 督办单 and its outbox rows are written
in the tick's one transaction, so a crash leaves all of them or none.

Recipients: the unit an item is addressed to (its own reminders, prompts and overdue notices, and the
escalations about other units' tasks it leads), or the coordinators (unit None: every coordinator's
private chat gets the same 督办单). Everything a recipient is due in one tick is one 督办单 — normally
one send moment; after downtime, the whole catch-up.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import Sheet, SheetItem, utcnow
from bot.core.vocab import MessageKind
from bot.render import messages as m
from bot.render.sheet import SheetLine, ordered, render, stored_items
from bot.store.outbox import Outgoing
from scheduler.planner import DueMessage
from scheduler.snapshot import Snapshot


def sheet_line(message: DueMessage, snapshot: Snapshot) -> SheetLine:
    view = snapshot.views[message.assignment_id]
    payload = message.payload
    deadline = dt.date.fromisoformat(payload["deadline"]) if payload.get("deadline") else None
    return SheetLine(kind=message.kind, assignment_id=view.assignment_id,
                     document=snapshot.documents[view.document_id], document_short=snapshot.shorts[view.document_id],
                     task_key=view.task_key, task_title=view.task_title, unit=view.unit_name, role=view.role,
                     deadline=deadline, own=message.kind != MessageKind.ESCALATION,
                     reminders=int(payload.get("overdue_count", 0)))


def by_recipient(due: Sequence[DueMessage]) -> dict[int | None, list[DueMessage]]:
    """Pure: the due items grouped by recipient (unit id; None = the coordinators), in first-seen order."""
    groups: dict[int | None, list[DueMessage]] = {}
    for message in due:
        groups.setdefault(message.unit_id, []).append(message)
    return groups


def by_moment(due: Sequence[DueMessage]) -> list[tuple[dt.datetime, int | None, list[DueMessage]]]:
    """Pure: the 督办单 a run of minute ticks would send — one per (send moment, recipient) — for
    `taskbot plan`; digests are left out."""
    groups: dict[tuple[dt.datetime, int | None], list[DueMessage]] = {}
    for message in due:
        if message.kind != MessageKind.DIGEST:
            groups.setdefault((message.send_at, message.unit_id), []).append(message)
    return [(at, unit_id, items) for (at, unit_id), items in sorted(groups.items(), key=lambda kv: (kv[0][0],
                                                                                                    kv[0][1] or 0))]


async def record_new(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    """Insert the item keys; the ones this transaction inserted (the rest went out before)."""
    if not keys:
        return set()
    insert_ = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    now = utcnow()
    stmt = (insert_(SheetItem.__table__).on_conflict_do_nothing(index_elements=["key"])
            .returning(SheetItem.__table__.c.key))
    rows = [{"key": key, "created_at": now} for key in keys]
    return set((await session.execute(stmt, rows)).scalars())


async def build_sheets(session: AsyncSession, due: Sequence[DueMessage], snapshot: Snapshot, tz: ZoneInfo,
                       coordinators: tuple[int, ...]) -> list[Outgoing]:
    """The outbox messages for `due` (planner items, digests excluded): one 督办单 per recipient, built from
    the items not sent before."""
    fresh = await record_new(session, [message.key for message in due])
    groups = [(unit_id, ordered([sheet_line(x, snapshot) for x in messages]), max(x.send_at for x in messages))
              for unit_id, messages in by_recipient([x for x in due if x.key in fresh]).items()]
    groups = [g for g in groups if g[0] is not None or coordinators]
    if not groups:
        return []
    token = uuid.uuid4().hex
    sheet_rows = [{"key": f"{token}:{unit_id or 'coordinators'}", "unit_id": unit_id, "items": stored_items(lines),
                   "send_at": send_at, "created_at": utcnow()} for unit_id, lines, send_at in groups]
    # one batched INSERT and one SELECT: RETURNING in parameter order would be a statement per row on SQLite
    await session.execute(insert(Sheet), sheet_rows)
    id_of = dict((await session.execute(select(Sheet.key, Sheet.id).where(Sheet.key.like(f"{token}:%")))).all())
    ids = [id_of[row["key"]] for row in sheet_rows]
    outgoing: list[Outgoing] = []
    for sheet_id, (unit_id, lines, send_at) in zip(ids, groups, strict=True):
        recipient = m.SHEET_RECIPIENT_COORDINATORS if unit_id is None else snapshot.units[unit_id]
        text, markup = render(recipient, lines, send_at.astimezone(tz).date(), sheet_id)
        single = lines[0].assignment_id if len(lines) == 1 and lines[0].own else None
        kind = lines[0].kind if len(lines) == 1 else MessageKind.SHEET
        message = Outgoing(key=f"sheet:{sheet_id}", kind=kind, text=text, send_at=send_at, unit_id=unit_id,
                           assignment_id=single, reply_markup=markup, sheet_id=sheet_id)
        if unit_id is None:
            outgoing += [Outgoing(key=message.key, kind=kind, text=text, send_at=send_at, chat_id=chat,
                                  reply_markup=markup, sheet_id=sheet_id) for chat in coordinators]
        else:
            outgoing.append(message)
    return outgoing
