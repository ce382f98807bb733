"""The outbox: every message is written here before anything tries to send it.

`enqueue` is the only way in. It inserts with ON CONFLICT (key) DO NOTHING, so the same message (same
key) can be offered any number of times — by two ticks, after a restart, by two processes on one
PostgreSQL — and exists once. Handlers (broadcast, notices) and the scheduler (reminders, digests) both
write here; only the sender in scheduler/ reads it.

Keys name the message and the chat: `<what>@<chat id>`. A message for a unit with no bound chat (or
only blocked chats) is still written, once, with status `skipped` and the reason, so the coordinator
sees in `taskbot outbox` and /units that a reminder could not be delivered.

A message may carry a file (`OutgoingFile`: the weekly chart, a 台账): its bytes go to `outbox_file` once per
sha256 of name and content — the chart one week sends to every coordinator is stored once, whatever the
number of rows — and the row's text is the file's caption. The sender sends a CHART row with sendPhoto
and any other file row with sendDocument, with the same exactly-once rules as a text. To send a file to
one chat, build the message with `document_for_chat` (or `photo_for_chat`) and `enqueue` it in the
caller's transaction. The bytes are kept `FILE_RETENTION` (a week), then dropped by the tick once no row
has them still to send (`prune_files`): a 台账 of every task is megabytes, asked for any day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.core import db
from bot.core.models import Chat, Outbox, OutboxFile, id_column, table_of, utcnow
from bot.core.vocab import MessageKind, OutboxStatus

NO_CHAT = "no chat bound to this unit"
FILE_RETENTION = dt.timedelta(days=7)


@dataclass(frozen=True)
class OutgoingFile:
    """A file a message carries: its name as the chat shows it, and its bytes."""

    name: str
    content: bytes

    @property
    def sha256(self) -> str:
        """What the file is stored under: the same name and bytes are one `outbox_file` row."""
        return hashlib.sha256(self.name.encode() + b"\0" + self.content).hexdigest()


@dataclass(frozen=True)
class Outgoing:
    """A message for a unit (fanned out to its chats) or, with `chat_id`, for one chat."""

    key: str
    kind: str
    text: str
    send_at: dt.datetime
    unit_id: int | None = None
    chat_id: int | None = None
    assignment_id: int | None = None
    reply_markup: dict[str, Any] | None = None
    sheet_id: int | None = None  # the 督办单 it carries
    file: OutgoingFile | None = None  # a photo or document; `text` is then its caption


def document_for_chat(
    chat_id: int, name: str, content: bytes, caption: str, key: str, send_at: dt.datetime | None = None
) -> Outgoing:
    """A file sent as a document (sendDocument) to one chat, `caption` (HTML, up to 1,024 characters) under
    it. `key` names this one sending (a second offer of the same key sends nothing): e.g.
    `export:<chat>:<message id>:<time>` for an answer to one request. Enqueue it with `enqueue`."""
    return Outgoing(
        key=key,
        kind=MessageKind.DOCUMENT,
        text=caption,
        send_at=send_at or utcnow(),
        chat_id=chat_id,
        file=OutgoingFile(name, content),
    )


def photo_for_chat(
    chat_id: int, name: str, png: bytes, caption: str, key: str, send_at: dt.datetime | None = None
) -> Outgoing:
    """A picture sent as a photo (sendPhoto, shown in the chat) to one chat: the chart of /chart."""
    return Outgoing(
        key=key,
        kind=MessageKind.CHART,
        text=caption,
        send_at=send_at or utcnow(),
        chat_id=chat_id,
        file=OutgoingFile(name, png),
    )


def to_coordinators(message: Outgoing, coordinators: Sequence[int]) -> list[Outgoing]:
    """A message for "the coordinators" (unit None) as one per coordinator's private chat (no buttons: a
    coordinator is no unit to report for)."""
    return [replace(message, chat_id=user_id, unit_id=None, reply_markup=None) for user_id in coordinators]


@dataclass
class EnqueueResult:
    offered: int = 0
    inserted: int = 0
    skipped_keys: list[str] = field(default_factory=list)


async def live_chats(session: AsyncSession, unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """unit id → its chats that are not blocked (one query)."""
    ids = sorted(set(unit_ids))
    if not ids:
        return {}
    rows = (
        await session.execute(
            select(col(Chat.unit_id), col(Chat.chat_id))
            .where(col(Chat.unit_id).in_(ids), col(Chat.blocked_at).is_(None))
            .order_by(col(Chat.unit_id), col(Chat.id))
        )
    ).all()
    chats: dict[int, list[int]] = {}
    for unit_id, chat_id in rows:
        chats.setdefault(unit_id, []).append(chat_id)
    return chats


def fan_out(
    messages: Sequence[Outgoing], chats: dict[int, list[int]], file_ids: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    """Pure: one outbox row per (message, chat); a unit message with no chat becomes one skipped row.
    `file_ids`: sha256 → outbox_file id of the messages' files."""
    rows: list[dict[str, Any]] = []
    now = utcnow()
    file_ids = file_ids or {}
    for msg in messages:
        base = {
            "kind": msg.kind,
            "unit_id": msg.unit_id,
            "assignment_id": msg.assignment_id,
            "text": msg.text,
            "reply_markup": msg.reply_markup,
            "send_at": msg.send_at,
            "attempts": 0,
            "created_at": now,
            "sheet_id": msg.sheet_id,
            "file_id": file_ids[msg.file.sha256] if msg.file is not None else None,
        }
        targets = [msg.chat_id] if msg.chat_id is not None else chats.get(msg.unit_id or -1, [])
        if not targets:
            rows.append(
                {
                    **base,
                    "key": f"{msg.key}@none",
                    "chat_id": None,
                    "status": OutboxStatus.SKIPPED,
                    "last_error": NO_CHAT,
                }
            )
            continue
        for chat_id in targets:
            rows.append(
                {
                    **base,
                    "key": f"{msg.key}@{chat_id}",
                    "chat_id": chat_id,
                    "status": OutboxStatus.PENDING,
                    "last_error": None,
                }
            )
    return rows


async def enqueue(session: AsyncSession, messages: Sequence[Outgoing]) -> EnqueueResult:
    """Write the messages (fanned out to chats) to the outbox; an existing key is left untouched."""
    result = EnqueueResult(offered=len(messages))
    if not messages:
        return result
    file_ids = await store_files(session, [m.file for m in messages if m.file is not None])
    rows = fan_out(
        messages,
        await live_chats(session, [m.unit_id for m in messages if m.chat_id is None and m.unit_id is not None]),
        file_ids,
    )
    # One statement (db.insert_new_rows: on SQLite an executemany, on PostgreSQL the rows as one JSON parameter);
    # RETURNING gives back only the rows really inserted (rowcount is -1 on psycopg).
    result.inserted = len(await db.insert_new_rows(session, table_of(Outbox), rows, returning=("key",)))
    if file_ids and result.inserted < len(rows):  # a file offered again with rows that exist: not kept twice
        await session.execute(
            delete(OutboxFile).where(
                col(OutboxFile.id).in_(list(file_ids.values())),
                ~select(col(Outbox.id)).where(col(Outbox.file_id) == col(OutboxFile.id)).exists(),
            )
        )
    result.skipped_keys = [r["key"] for r in rows if r["status"] == OutboxStatus.SKIPPED]
    return result


async def store_files(session: AsyncSession, files: Sequence[OutgoingFile]) -> dict[str, int]:
    """Each distinct file once in `outbox_file` (insert-or-ignore on its sha256); sha256 → its row id."""
    distinct = {f.sha256: f for f in files}
    if not distinct:
        return {}
    now = utcnow()
    await session.execute(
        db.insert_new(session, table_of(OutboxFile), key="sha256"),
        [{"sha256": sha, "name": f.name[:200], "content": f.content, "created_at": now} for sha, f in distinct.items()],
    )
    rows = await session.execute(
        select(col(OutboxFile.sha256), id_column(OutboxFile)).where(col(OutboxFile.sha256).in_(list(distinct)))
    )
    return {sha: file_id for sha, file_id in rows.all()}


async def prune_files(session: AsyncSession, now: dt.datetime, limit: int = 100) -> int:
    """Drop the bytes of files stored before `now - FILE_RETENTION` that no pending or sending row needs; the
    rows that sent them stay (file_id emptied: they are history, never sent again). One small query when
    there is nothing to drop (the tick calls this every minute); returns the files dropped."""
    old = list(
        (
            await session.execute(
                select(col(OutboxFile.id))
                .where(col(OutboxFile.created_at) < now - FILE_RETENTION)
                .order_by(col(OutboxFile.id))
                .limit(limit)
            )
        ).scalars()
    )
    if not old:
        return 0
    waiting = set(
        (
            await session.execute(
                select(col(Outbox.file_id)).where(
                    col(Outbox.file_id).in_(old), col(Outbox.status).in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
                )
            )
        ).scalars()
    )
    done = [file_id for file_id in old if file_id not in waiting]
    if done:
        await session.execute(update(Outbox).where(col(Outbox.file_id).in_(done)).values(file_id=None))
        await session.execute(delete(OutboxFile).where(col(OutboxFile.id).in_(done)))
    return len(done)
