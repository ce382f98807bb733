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
import json
import uuid
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, select
from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.chat.issued_sheets import SheetDraft, write_sheets
from bot.core.models import SheetItem, UTCDateTime, utcnow
from bot.core.vocab import MessageKind
from bot.render import messages as m
from bot.render.sheet import SheetLine, ordered
from bot.store.outbox import Outgoing, to_coordinators
from scheduler.planner import DueMessage
from scheduler.snapshot import Snapshot


def sheet_line(message: DueMessage, snapshot: Snapshot) -> SheetLine:
    view = message.view
    assert view is not None, "a sheet's items are planner items, each about an assignment"
    return SheetLine(
        message.kind,
        view.assignment_id,
        snapshot.documents[view.document_id],
        snapshot.shorts[view.document_id],
        view.task_key,
        view.task_title,
        view.unit_name,
        view.role,
        message.deadline,
        message.kind != MessageKind.ESCALATION,
        message.overdue_count,
    )


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
    return [
        (at, unit_id, items)
        for (at, unit_id), items in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))
    ]


async def record_new(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    """Insert the item keys; the ones this transaction inserted (the rest went out before).

    In bulk, one statement whatever the count (issue 23: 37,315 items at a 10,000-task Monday), its keys one
    parameter, a JSON array (`json_array_elements_text` on PostgreSQL, `json_each` on SQLite), where a VALUES
    list of thousands of placeholders was parsed again for every page, an executemany had SQLAlchemy process
    each row's parameters, and psycopg dumped a text[] of 37,315 elements in Python (0.4 s). What comes back
    is what a send moment needs, all keys new, without sending them back:
    - PostgreSQL: the INSERT … ON CONFLICT DO NOTHING RETURNING key is counted in the same statement, and the
      new keys come back (as one array) only when some were not new.
    - SQLite: no RETURNING (its rows would come back one by one); the insert's row count says whether every
      key was new, and only when some were not are the new ones read back by id: the transaction first takes
      the write lock (a DELETE that deletes nothing), so no other writer can insert between the highest id
      read and the insert, and every row with a higher id is ours."""
    if not keys:
        return set()
    now = utcnow()
    unique = list(dict.fromkeys(keys))
    if session.get_bind().dialect.name == "postgresql":
        stmt = sql(
            "WITH new AS (INSERT INTO sheet_item (key, created_at) "
            "SELECT k, :now FROM json_array_elements_text(CAST(:keys AS json)) AS k "
            "ON CONFLICT (key) DO NOTHING RETURNING key) "
            "SELECT count(*), CASE WHEN count(*) < :n THEN array_agg(key) END FROM new"
        )
        row = (await session.execute(stmt, {"keys": json.dumps(unique), "now": now, "n": len(unique)})).one()
        return set(unique) if row[0] == len(unique) else {str(key) for key in row[1] or ()}
    await session.execute(sql("DELETE FROM sheet_item WHERE 0"))  # the write lock, before the highest id is read
    before = (await session.execute(select(func.max(col(SheetItem.id))))).scalar() or 0
    stmt = sql(
        # WHERE true: SQLite reads an ON after a bare FROM as a join's
        "INSERT INTO sheet_item (key, created_at) SELECT value, :now FROM json_each(:keys) WHERE true "
        "ON CONFLICT (key) DO NOTHING"
    ).bindparams(bindparam("now", type_=UTCDateTime()))
    inserted = await session.execute(stmt, {"keys": json.dumps(unique), "now": now})
    if getattr(inserted, "rowcount", -1) == len(unique):
        return set(unique)
    return set((await session.execute(select(col(SheetItem.key)).where(col(SheetItem.id) > before))).scalars())


async def build_sheets(
    session: AsyncSession, due: Sequence[DueMessage], snapshot: Snapshot, tz: ZoneInfo, coordinators: tuple[int, ...]
) -> list[Outgoing]:
    """The outbox messages for `due` (planner items, digests excluded): one 督办单 per recipient, built from
    the items not sent before."""
    fresh = await record_new(session, [message.key for message in due])
    groups = [
        (unit_id, ordered([sheet_line(x, snapshot) for x in messages]), max(x.send_at for x in messages))
        for unit_id, messages in by_recipient([x for x in due if x.key in fresh]).items()
    ]
    groups = [g for g in groups if g[0] is not None or coordinators]
    if not groups:
        return []
    token = uuid.uuid4().hex  # the keys of this tick's 督办单 (another tick's are other keys)
    drafts = [
        SheetDraft(
            key=f"sheet:{token}:{unit_id or 'coordinators'}",
            unit_id=unit_id,
            recipient=m.SHEET_RECIPIENT_COORDINATORS if unit_id is None else snapshot.units[unit_id],
            lines=lines,
            send_at=send_at,
            today=send_at.astimezone(tz).date(),
        )
        for unit_id, lines, send_at in groups
    ]
    outgoing: list[Outgoing] = []
    for message in await write_sheets(session, drafts):
        outgoing += [message] if message.unit_id is not None else to_coordinators(message, coordinators)
    return outgoing
