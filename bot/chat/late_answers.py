"""An answer Telegram did not take now (unreachable, a timeout, a 429 left after the rate limiter's retries),
queued in the outbox so that the sender delivers it: handlers/common.py `answer_later` says when and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.vocab import MessageKind
from bot.store.outbox import Outgoing, enqueue


async def queue_answer(
    session: AsyncSession,
    key: str,
    chat_id: int,
    parts: Sequence[str],
    first: int,
    *,
    send_at: dt.datetime,
    buttons: dict[str, Any] | None,
) -> None:
    """parts[first:], one outbox row each, keyed `<key>:<n>` (n counts from the answer's first part); the buttons
    go under the last part, as they would have been sent."""
    await enqueue(
        session,
        [
            Outgoing(
                key=f"{key}:{i}",
                kind=MessageKind.ANSWER,
                text=parts[i],
                send_at=send_at,
                chat_id=chat_id,
                reply_markup=buttons if i == len(parts) - 1 else None,
            )
            for i in range(first, len(parts))
        ],
    )
