"""Reading 督办单 back: the one a reply answers (through the outbox row that carried it), or one by id."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import Outbox, Sheet


async def sheet_for_message(session: AsyncSession, chat_id: int, message_id: int) -> Sheet | None:
    """The 督办单 a sent message carried (any part of it, as the sender records the last part's id)."""
    stmt = (select(Sheet).join(Outbox, Outbox.sheet_id == Sheet.id)
            .where(Outbox.chat_id == chat_id, Outbox.message_id == message_id).limit(1))
    return (await session.execute(stmt)).scalar()


async def sheet_in_chat(session: AsyncSession, sheet_id: int, chat_id: int) -> Sheet | None:
    """The 督办单, if it was sent to this chat (a forged page button for another chat's gets nothing)."""
    stmt = (select(Sheet).join(Outbox, Outbox.sheet_id == Sheet.id)
            .where(Sheet.id == sheet_id, Outbox.chat_id == chat_id).limit(1))
    return (await session.execute(stmt)).scalar()
