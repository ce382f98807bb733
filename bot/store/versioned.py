"""Reads kept while the store stands still: the store's own change counter (StoreVersion, moved by triggers
on document, task, unit, assignment and report — migration 0012 — whoever writes) says when they are stale.

Why: the minute tick rebuilt the same 50,000-assignment snapshot every minute, and a coordinator's /digest
read 50,000 assignments each time it was asked (issue 23). Read the counter before the data: a change
committed in between is in the data and moves the counter past the one remembered, so the next call reads
again — a stale entry is never kept under a new counter. A transaction that has written already neither
reads nor keeps an entry: it sees its own changes, which may yet be rolled back (and on PostgreSQL its
counter moves only at commit).
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.core.models import StoreVersion

T = TypeVar("T")
# engine → (counter, {key: value}): only the newest counter's entries are kept
_CACHE: weakref.WeakKeyDictionary[Any, tuple[int, dict[Hashable, Any]]] = weakref.WeakKeyDictionary()


_WROTE = "taskbot.wrote"  # in a connection's info: this transaction has written
_READS = frozenset({"SELECT", "PRAGMA", "SAVEPOINT", "RELEASE", "SHOW", "SET", "BEGIN"})


def _note(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    if statement.lstrip()[:9].split(None, 1)[0].upper() not in _READS:
        conn.info[_WROTE] = True


def _begin(conn: Any) -> None:
    conn.info.pop(_WROTE, None)


def _watch(engine: Any) -> bool:
    """Watch the engine's writes; False the first time (the transaction under way was not watched)."""
    if event.contains(engine, "before_cursor_execute", _note):
        return True
    event.listen(engine, "before_cursor_execute", _note)
    event.listen(engine, "begin", _begin)
    return False


async def store_version(session: AsyncSession) -> int | None:
    """The counter, or None when the store has no counter row (then nothing may be kept)."""
    return (await session.execute(select(col(StoreVersion.version)).where(col(StoreVersion.id) == 1))).scalar()


async def kept(session: AsyncSession, key: Hashable, read: Callable[[], Awaitable[T]]) -> T:
    """`read()`'s result for `key`, read again only when the store changed since it was kept. The result is
    shared between callers: they must not change it."""
    bind = session.bind
    engine = getattr(bind, "sync_engine", bind)
    watched = _watch(engine)
    connection = await session.connection()
    if not watched or connection.sync_connection is None or connection.sync_connection.info.get(_WROTE):
        return await read()
    version = await store_version(session)
    if version is None:
        return await read()
    entry = _CACHE.get(engine)
    if entry is None or entry[0] != version:
        entry = _CACHE[engine] = (version, {})
    if key not in entry[1]:
        entry[1][key] = await read()
    return entry[1][key]
