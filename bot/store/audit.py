"""The audit log (留痕): every change of state by a person or the bot is one AuditLog row.

Written in the same transaction as the change it records, so a change without its trace (or a trace
of a change that was rolled back) cannot exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import AuditLog


def actor_of(user_id: int | None) -> str:
    """The actor string for a Telegram user ("tg:<id>"), as the audit log names people."""
    return f"tg:{user_id}" if user_id is not None else "tg:unknown"


def chat_actor(chat_id: int) -> str:
    """The actor for a message sent on behalf of a chat (an anonymous group admin, a channel): "chat:<id>"."""
    return f"chat:{chat_id}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def record(
    session: AsyncSession, actor: str, action: str, entity: str, entity_id: object, /, **detail: Any
) -> AuditLog:
    """Add one audit row (flushed with the session's transaction) and return it."""
    row = AuditLog(actor=actor, action=action, entity=entity, entity_id=str(entity_id), detail=_jsonable(detail))
    session.add(row)
    return row
