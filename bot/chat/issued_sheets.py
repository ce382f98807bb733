"""督办单 in the store: written with the messages that carry them, and read back — the one a reply answers
(through the outbox row that carried it), or one by id.

`write_sheets` serves the scheduler's tick and the coordinators' 催办 alike: a Sheet row per recipient (its
numbered items, so replies by number and page buttons work after a restart), then the rendered message
addressed to the recipient's unit. Rows are inserted with ON CONFLICT DO NOTHING on their key
(`db.insert_new_rows`: one statement on PostgreSQL, which returns the new rows' ids) and the ids of the others
read back in one SELECT: a racing second insert (a double tap) finds its row already there. On SQLite every id
is read back so: a batched INSERT … RETURNING in parameter order would be one statement per row there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.core import db
from bot.core.models import Outbox, Sheet, table_of, utcnow
from bot.core.vocab import MessageKind
from bot.render.sheet import SheetLine, render, stored_items
from bot.store.outbox import Outgoing


@dataclass(frozen=True)
class SheetDraft:
    """One 督办单 to write: its row's key, to whom, its ordered lines, and the outbox key of its message (by
    default `sheet:<id>`; a 催办 names its draft, so a second confirmation offers the same key)."""

    key: str
    unit_id: int | None  # None: the coordinators
    recipient: str  # the name in its title
    lines: Sequence[SheetLine]  # already `ordered`: the numbering
    send_at: dt.datetime
    today: dt.date  # the day the days left / overdue count from
    outbox_key: str | None = None


async def write_sheets(session: AsyncSession, drafts: Sequence[SheetDraft], header: str = "") -> list[Outgoing]:
    """A Sheet row per draft and its message (to the draft's unit; the caller fans out the coordinators')."""
    if not drafts:
        return []
    now = utcnow()
    rows = [
        {"key": d.key, "unit_id": d.unit_id, "items": stored_items(d.lines), "send_at": d.send_at, "created_at": now}
        for d in drafts
    ]
    postgres = session.get_bind().dialect.name == "postgresql"
    inserted = await db.insert_new_rows(session, table_of(Sheet), rows, returning=("key", "id") if postgres else ())
    id_of: dict[str, int] = {key: sheet_id for key, sheet_id in inserted}
    missing = [d.key for d in drafts if d.key not in id_of]  # all of them on SQLite; a double tap's on PostgreSQL
    if missing:
        found = await session.execute(select(col(Sheet.key), col(Sheet.id)).where(col(Sheet.key).in_(missing)))
        id_of.update((key, int(sheet_id)) for key, sheet_id in found.all() if sheet_id is not None)
    outgoing = []
    for draft in drafts:
        sheet_id, lines = id_of[draft.key], draft.lines
        text, markup = render(draft.recipient, lines, draft.today, sheet_id)
        single = len(lines) == 1
        outgoing.append(
            Outgoing(
                key=draft.outbox_key or f"sheet:{sheet_id}",
                kind=lines[0].kind if single else MessageKind.SHEET,
                text=f"{header}\n{text}" if header else text,
                send_at=draft.send_at,
                unit_id=draft.unit_id,
                assignment_id=lines[0].assignment_id if single and lines[0].own else None,
                reply_markup=markup,
                sheet_id=sheet_id,
            )
        )
    return outgoing


async def sheet_for_message(session: AsyncSession, chat_id: int, message_id: int) -> Sheet | None:
    """The 督办单 a sent message carried (any part of it, as the sender records the last part's id)."""
    stmt = (
        select(Sheet)
        .join(Outbox, col(Outbox.sheet_id) == col(Sheet.id))
        .where(col(Outbox.chat_id) == chat_id, col(Outbox.message_id) == message_id)
        .limit(1)
    )
    return (await session.execute(stmt)).scalar()


async def sheet_in_chat(session: AsyncSession, sheet_id: int, chat_id: int) -> Sheet | None:
    """The 督办单, if it was sent to this chat (a forged page button for another chat's gets nothing)."""
    stmt = (
        select(Sheet)
        .join(Outbox, col(Outbox.sheet_id) == col(Sheet.id))
        .where(col(Sheet.id) == sheet_id, col(Outbox.chat_id) == chat_id)
        .limit(1)
    )
    return (await session.execute(stmt)).scalar()
