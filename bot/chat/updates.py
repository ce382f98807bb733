"""The Telegram update a handler's write answers, settled in that write's own transaction (issue 23 §1).

An update is stored in the inbox before it is handled (bot/inbound.py) and marked handled after. A handler
whose one write (a report, a target value, a 退办) commits, and whose process then loses the database before
that mark, would have the update handled again by the sweep: a report stored and acknowledged twice. Marking
the update handled inside the write's transaction (handlers/common.transaction `settles`) makes the two one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from bot.store import inbox


async def settle(session: AsyncSession, update_id: int, worker: str, at: dt.datetime) -> None:
    """Mark the update handled (under `worker`'s claim) in the caller's transaction."""
    await inbox.handled(session, update_id, worker, at)
