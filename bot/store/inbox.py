"""The durable inbound queue (issue 23 §1): an update is committed here before Telegram is told it arrived,
and handled from here, once per `update_id`.

Telegram keeps an update until it is acknowledged — by a getUpdates whose offset is above it, or by the
webhook's 200 — and then forgets it. Acknowledging before handling lost every report a killed process had
queued in memory (4 of 40 kept, in the issue's measure); acknowledging after `store` loses none.

A row goes through three states: stored (`claimed_by` NULL), claimed by a process handling it, handled
(`handled_at` set). Claiming is one UPDATE … WHERE, so two processes (or a repeat of the same update) can
never both take a row. A claim left by a dead process is taken back as the outbox's are (`reclaim`: the
claimers scheduler/sender.orphaned names, or a lease run out). Handled rows are dropped after `KEEP`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.core import db
from bot.core.models import Inbox, table_of

LEASE = dt.timedelta(minutes=5)  # a claim older than this is another host's dead process's
KEEP = dt.timedelta(days=7)  # handled rows are kept this long (a repeat within it is still recognised)


async def store(session: AsyncSession, payloads: Sequence[dict[str, Any]], now: dt.datetime) -> list[int]:
    """Insert the updates not stored yet; every update_id offered, in order (a repeat is left as it is)."""
    ids = [int(p["update_id"]) for p in payloads]
    if payloads:
        rows = [{"update_id": int(p["update_id"]), "payload": p, "received_at": now} for p in payloads]
        await session.execute(db.insert_new(session, table_of(Inbox), "update_id"), rows)
    return ids


def _free(now: dt.datetime, reclaim: Sequence[str]) -> Any:
    """A row no live process is handling."""
    free = or_(col(Inbox.claimed_by).is_(None), col(Inbox.claimed_at) < now - LEASE)
    return or_(free, col(Inbox.claimed_by).in_(list(reclaim))) if reclaim else free


async def claim(
    session: AsyncSession, update_id: int, worker: str, now: dt.datetime, reclaim: Sequence[str] = ()
) -> dict[str, Any] | None:
    """Take the update for `worker`: its payload, or None when it is handled or another live process has it."""
    stmt = (
        update(Inbox)
        .where(
            col(Inbox.update_id) == update_id,
            col(Inbox.handled_at).is_(None),
            _free(now, reclaim) | (col(Inbox.claimed_by) == worker),
        )
        .values(claimed_by=worker, claimed_at=now)
        .returning(col(Inbox.payload))
        .execution_options(synchronize_session=False)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def handled(session: AsyncSession, update_id: int, worker: str, now: dt.datetime) -> None:
    await session.execute(
        update(Inbox)
        .where(col(Inbox.update_id) == update_id, col(Inbox.claimed_by) == worker)
        .values(handled_at=now)
        .execution_options(synchronize_session=False)
    )


async def claimers(session: AsyncSession) -> list[str]:
    """Who holds a claim on an update not handled yet (the caller decides which of them are gone)."""
    stmt = (
        select(col(Inbox.claimed_by))
        .where(col(Inbox.handled_at).is_(None), col(Inbox.claimed_by).is_not(None))
        .distinct()
    )
    return [c for c in (await session.execute(stmt)).scalars().all() if c]


async def waiting(
    session: AsyncSession,
    now: dt.datetime,
    *,
    received_before: dt.datetime,
    reclaim: Sequence[str] = (),
    limit: int = 500,
) -> list[int]:
    """Update ids not handled that no live process holds, oldest first; only those received before
    `received_before` when unclaimed (a fresh one is in its receiving process's queue)."""
    stmt = (
        select(col(Inbox.update_id))
        .where(
            col(Inbox.handled_at).is_(None),
            _free(now, reclaim),
            col(Inbox.claimed_by).is_not(None) | (col(Inbox.received_at) <= received_before),
        )
        .order_by(col(Inbox.update_id))
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars().all())


async def prune(session: AsyncSession, now: dt.datetime) -> int:
    """Drop the rows handled more than KEEP ago."""
    result = await session.execute(delete(Inbox).where(col(Inbox.handled_at) < now - KEEP))
    return db.rowcount(result)
