"""Reads kept while the store stands still: the store's own change counter (StoreVersion, moved by triggers
on document, task, unit, assignment and report — migration 0012 — whoever writes) says when they are stale,
and per document the counter at its last change (StoreChange, migration 0015) says which part of a read
kept by document is (`kept_by_document`).

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

from bot.core.models import StoreChange, StoreVersion

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


def _engine(session: AsyncSession) -> Any:
    """The engine a session's entries are kept under (the sync engine behind an AsyncEngine)."""
    bind = session.bind
    return getattr(bind, "sync_engine", bind)


async def _keeping(session: AsyncSession) -> tuple[Any, int] | None:
    """(engine, counter) when this session may use and keep entries: None in a transaction that has written
    (or whose writes were not watched), or on a store with no counter row."""
    engine = _engine(session)
    watched = _watch(engine)
    connection = await session.connection()
    if not watched or connection.sync_connection is None or connection.sync_connection.info.get(_WROTE):
        return None
    version = await store_version(session)
    return None if version is None else (engine, version)


async def kept(session: AsyncSession, key: Hashable, read: Callable[[], Awaitable[T]]) -> T:
    """`read()`'s result for `key`, read again only when the store changed since it was kept. The result is
    shared between callers: they must not change it."""
    keeping = await _keeping(session)
    if keeping is None:
        return await read()
    engine, version = keeping
    entry = _CACHE.get(engine)
    if entry is None or entry[0] != version:
        entry = _CACHE[engine] = (version, {})
    if key not in entry[1]:
        entry[1][key] = await read()
    return entry[1][key]


EVERY_DOCUMENT = "*"  # store_change's note that every document changed (migration 0015 writes it)
# engine → {(key, period): (counter, {document id: value})}: each key's newest entry, of the newest period
_BY_DOCUMENT: weakref.WeakKeyDictionary[Any, dict[tuple[Hashable, Hashable], tuple[int, dict[str, Any]]]] = (
    weakref.WeakKeyDictionary()
)
BY_DOCUMENT_KEYS = 256  # entries kept per engine (a key per scope asked): the oldest go first


async def changed_documents(session: AsyncSession, since: int) -> set[str] | None:
    """The documents whose rows changed after the counter `since` (migration 0015), or None when every
    document may have (a unit was renamed or deleted)."""
    noted = select(col(StoreChange.document_id)).where(col(StoreChange.version) > since)
    changed = set((await session.execute(noted)).scalars())
    return None if EVERY_DOCUMENT in changed else changed


def holds_by_document(session: AsyncSession, key: Hashable, period: Hashable = None) -> bool:
    """Whether `kept_by_document` holds values for `key` in `period` (maybe of an older counter: then only the
    documents changed since are read again)."""
    return (key, period) in _BY_DOCUMENT.get(_engine(session), {})


async def kept_by_document(
    session: AsyncSession,
    key: Hashable,
    read: Callable[[set[str] | None], Awaitable[dict[str, T]]],
    period: Hashable = None,
) -> dict[str, T]:
    """`read(None)`'s values per document (every document that has one), kept per document: once the store
    has changed, only the documents changed since are read again (`read(those)`: a document it returns
    nothing for has none any more), so that the cost grows with what changed, not with the store (issue 23).
    `period` is what the values serve (a week): as an entry for a new one is kept, those of another go — a
    coordinator's shares are megabytes, and last week's are never asked again. A new dict each call; the
    values are shared between callers: they must not change them."""
    keeping = await _keeping(session)
    if keeping is None:
        return await read(None)
    engine, version = keeping
    entries = _BY_DOCUMENT.setdefault(engine, {})
    entry = entries.pop((key, period), None)
    changed = None if entry is None else await changed_documents(session, entry[0])
    if entry is None or changed is None:
        values = await read(None)
        for stale in [kept_key for kept_key in entries if kept_key[1] != period]:
            del entries[stale]
    else:
        values = {doc: value for doc, value in entry[1].items() if doc not in changed}
        values.update(await read(changed) if changed else {})
    entries[(key, period)] = (version, values)  # the newest last
    while len(entries) > BY_DOCUMENT_KEYS:
        del entries[next(iter(entries))]
    return dict(values)
