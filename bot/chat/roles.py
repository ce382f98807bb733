"""Who may do what: coordinators (督办员) are the COORDINATOR_IDS of the settings plus those promoted.

A coordinator is a Telegram *user*, wherever they write from; a unit is a *chat* bound to it. The two
are independent: a coordinator's private chat may also be bound to a unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.core.models import Coordinator
from bot.store import audit
from bot.store.audit import actor_of as actor_of  # how the audit log names a person, for the use cases' `actor`


async def coordinator_ids(session: AsyncSession, configured: Iterable[int]) -> set[int]:
    """Every coordinator: the configured ids and the promoted ones."""
    promoted = (await session.execute(select(col(Coordinator.user_id)))).scalars()
    return set(configured) | {int(uid) for uid in promoted}


async def is_coordinator(session: AsyncSession, user_id: int | None, configured: Iterable[int]) -> bool:
    if user_id is None:
        return False
    if user_id in set(configured):
        return True
    return (await session.get(Coordinator, user_id)) is not None


async def promote(session: AsyncSession, *, user_id: int, by: int) -> bool:
    """Make `user_id` a coordinator; False if they already were one (promoted before)."""
    if (await session.get(Coordinator, user_id)) is not None:
        return False
    session.add(Coordinator(user_id=user_id, added_by=by))
    audit.record(session, audit.actor_of(by), "coordinator.promote", "coordinator", user_id)
    return True


def refused(session: AsyncSession, user_id: int | None, entity: str, entity_id: object, /, **detail: Any) -> None:
    """Audit a refusal of something only coordinators may do (`access.refused`, as every refusal is)."""
    audit.record(session, actor_of(user_id), "access.refused", entity, entity_id, **detail)
