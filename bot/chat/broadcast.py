"""/broadcast: a coordinator's notice to every bound chat, confirmed before it goes to the outbox.

The draft is kept in the audit log (action `broadcast.draft`, the text in its detail), and the
confirm button carries only the draft's id. So a confirmation needs no in-memory state (it works after
a restart and with several bot processes), only the coordinator who wrote the draft can send it, and
a second tap finds the `broadcast.send` row and sends nothing. The outbox key `broadcast:<draft>@<chat>`
makes even two racing taps insert each chat's message once.

With a target (`/broadcast overdue 请于周五前报送…`, bot/chat/chase_targets.py) the draft keeps the units the
target picked, and the notice goes to their live chats only; without one, to every bound chat as before.
At confirm the target is read again, as /remind does (bot/chat/chase.py): a unit it no longer picks (its late
task was reported done in between) is left out, so a notice about overdue work never reaches a unit that is
not overdue any more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.chat import chase, chase_targets
from bot.core.models import AuditLog
from bot.core.vocab import BroadcastOutcome, MessageKind
from bot.render import messages as m
from bot.render.telegram_text import MAX_TEXT, visible_length
from bot.store import audit
from bot.store.assignment_views import live_chat_ids
from bot.store.outbox import Outgoing, enqueue, live_chats

# A broadcast goes out as one message: its text, with the header, within Telegram's 4,096 visible characters
# (measured as Telegram does, after entity parsing: escaping `<&` would otherwise make it five times longer).
MAX_CHARS = MAX_TEXT - visible_length(m.BROADCAST_BODY.format(text=""))
DRAFT = "broadcast.draft"
SEND = "broadcast.send"
CANCEL = "broadcast.cancel"


def too_long(text: str) -> int | None:
    """The text's visible length when it is over MAX_CHARS, else None."""
    size = visible_length(escape(text))
    return size if size > MAX_CHARS else None


async def draft_broadcast(
    session: AsyncSession, *, user_id: int, text: str, unit_ids: list[int] | None = None, target: str | None = None
) -> tuple[int, int]:
    """(draft id, recipient count) for a confirmation question; `unit_ids`: a target's units only."""
    scope = {} if unit_ids is None else {"unit_ids": unit_ids, "target": target}
    row = audit.record(session, audit.actor_of(user_id), DRAFT, "broadcast", "draft", text=text, **scope)
    await session.flush()
    return int(row.id or 0), len(await _recipients(session, unit_ids))


async def _recipients(session: AsyncSession, unit_ids: list[int] | None) -> list[int]:
    if unit_ids is None:
        return await live_chat_ids(session)
    chats = await live_chats(session, unit_ids)
    return [chat for unit_id in unit_ids for chat in chats.get(unit_id, [])]


async def _still_targeted(session: AsyncSession, detail: dict, now: dt.datetime) -> list[int] | None:
    """The draft's units that its target still picks now (None: no target, every bound chat)."""
    unit_ids = detail.get("unit_ids")
    if unit_ids is None:
        return None
    spec, _ = chase_targets.parse(str(detail.get("target") or ""))
    if not isinstance(spec, chase_targets.ChaseSpec) or not isinstance(now.tzinfo, ZoneInfo):
        return list(unit_ids)
    found = await chase.preview(session, spec, now=now, tz=now.tzinfo)
    if not isinstance(found, chase.Preview):
        return []
    picked = {c.unit_id for c in found.chosen}
    return [u for u in unit_ids if u in picked]


@dataclass(frozen=True)
class BroadcastResult:
    outcome: BroadcastOutcome
    recipients: int = 0


async def confirm_broadcast(
    session: AsyncSession, *, draft_id: int, user_id: int, send: bool, now: dt.datetime
) -> BroadcastResult:
    draft = await session.get(AuditLog, draft_id)
    if draft is None or draft.action != DRAFT or draft.actor != audit.actor_of(user_id):
        return BroadcastResult(BroadcastOutcome.MISSING)
    settled = (
        await session.execute(
            select(col(AuditLog.id)).where(
                col(AuditLog.action).in_([SEND, CANCEL]), col(AuditLog.entity_id) == str(draft_id)
            )
        )
    ).first()
    if settled is not None:
        return BroadcastResult(BroadcastOutcome.ALREADY)
    if not send:
        audit.record(session, audit.actor_of(user_id), CANCEL, "broadcast", draft_id)
        return BroadcastResult(BroadcastOutcome.CANCELLED)
    unit_ids = await _still_targeted(session, draft.detail, now)
    if unit_ids == []:
        audit.record(
            session, audit.actor_of(user_id), CANCEL, "broadcast", draft_id, reason="target reaches nobody now"
        )
        return BroadcastResult(BroadcastOutcome.NOBODY)
    chats = await _recipients(session, unit_ids)
    text = m.BROADCAST_BODY.format(text=escape(draft.detail.get("text", "")))
    result = await enqueue(
        session,
        [
            Outgoing(key=f"broadcast:{draft_id}", kind=MessageKind.BROADCAST, text=text, send_at=now, chat_id=chat)
            for chat in chats
        ],
    )
    audit.record(
        session, audit.actor_of(user_id), SEND, "broadcast", draft_id, recipients=len(chats), inserted=result.inserted
    )
    return BroadcastResult(BroadcastOutcome.QUEUED, len(chats))
