"""Engine, sessions and migrations: the one place that knows which database is behind the store.

SQLite (`sqlite+aiosqlite:///file`) is the embedded default; `postgresql+psycopg://` is for several
processes. SQLite gets WAL, a busy timeout and enforced foreign keys on every connection, because
the bot, its scheduler tick and a CLI import may all touch the file at once. The busy timeout is
`BUSY_TIMEOUT` (30 s) unless `make_engine(busy_timeout=…)` says otherwise (tests use a short one).

aiosqlite runs SQLite in a worker thread, a thread hop (~4 per statement) for each call, so that a locked
file never blocks the bot's event loop. An offline run that is alone on its file and has nothing else to
serve — `taskbot simulate` — asks for `make_engine(url, in_loop=True)`: the same aiosqlite API and the same
SQL, with SQLite called in the loop's own thread (`InLoopConnection`): the default `taskbot simulate` went
from 25–27 s to 18 s (with the sender's Core `_finish`), the same 4,157 messages and 907 replies.

`store_fault` names the ways a write can fail that are the store's state, not the code's: BUSY (another
writer holds the lock; worth retrying), FULL (disk or database full) and READ_ONLY (a read-only file,
filesystem or PostgreSQL standby); the handlers retry the first and tell the coordinators of the others.

PostgreSQL cannot hold a NUL character in a text value (psycopg refuses the whole statement), and a
hostile or broken client can put one in a report: on PostgreSQL every NUL in a text parameter is dropped
before the statement is sent (`_drop_nul`), so the report is stored without it instead of failing; SQLite
keeps it.

Migrations are Alembic's (bot/core/migrations). A database with no tables is brought to the newest schema
by itself (`ensure_schema`), so the first run on a fresh machine needs no extra step; a database at an
older revision is left alone and the user is asked to run `taskbot db upgrade` (after a backup).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import sqlite3
from collections.abc import AsyncIterator, Callable, Generator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast

import aiosqlite
import psycopg
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import JSON, Select, Table, event, inspect, text
from sqlalchemy.dialects.postgresql import Insert as PgInsert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, Connection, CursorResult, Result, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.sql.base import Executable

from bot.core.errors import ConfigError, SchemaBehindError
from bot.core.vocab import StoreFault

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT = 30.0  # seconds SQLite waits for another writer's lock before "database is locked"
# Rows per multi-VALUES INSERT on SQLite (SQLAlchemy's insertmanyvalues; its default is 1,000). Each
# connection keeps its last 128 prepared statements, and every batch size is a statement of its own: at
# 1,000 rows × 12 outbox columns one costs ~1.2 MB, so a bot enqueueing a different number of messages
# each tick grew by ~100 MB over months before the cache filled (bench/bench_load.py). At 100 rows a
# statement is ~0.1 MB and an insert of 50,000 rows is as fast.
INSERT_PAGE_SIZE = 100
# The stores taskbot is built and tested for, each with the async driver it ships with (pyproject.toml).
SUPPORTED_URLS = "sqlite+aiosqlite:///FILE or postgresql+psycopg://USER@HOST/DB"
_DRIVERS = {"sqlite": ("aiosqlite",), "postgresql": ("psycopg", "psycopg_async")}


def redact(url: str) -> str:
    """The URL with its password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable DATABASE_URL>"


class InLoopConnection(aiosqlite.Connection):
    """aiosqlite's connection with every call made in the caller's thread instead of its worker thread.

    Only for a process that is alone on its SQLite file and has nothing else to serve (`in_loop=True`):
    a statement waiting for another writer's lock would block the whole event loop meanwhile."""

    async def _execute(self, fn: Callable[..., object], *args: object, **kwargs: object) -> object:
        if not self._running or self._connection is None:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)

    async def _connect(self) -> InLoopConnection:
        if self._connection is None:
            self._connection = self._connector()
        return self

    def __await__(self) -> Generator[Any, None, Any]:  # no worker thread to start
        return self._connect().__await__()

    def stop(self) -> None:
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def make_engine(url: str, *, busy_timeout: float = BUSY_TIMEOUT, in_loop: bool = False, **kwargs: Any) -> AsyncEngine:
    """The engine for `url`; `in_loop` (SQLite files only) calls SQLite in the event loop's thread."""
    parsed = _checked_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        _sqlite_options(parsed, busy_timeout, in_loop, kwargs)
    elif in_loop:
        raise ConfigError("in_loop is for SQLite files only")
    if backend == "postgresql":
        # A server restart or failover leaves every pooled connection dead; test each one as it is checked out
        # (a round trip), so the first query afterwards — a user's report — does not fail on one
        # (tests/reliability/test_postgres_restart.py).
        kwargs.setdefault("pool_pre_ping", True)
    # JSON columns as UTF-8, not \uXXXX escapes: a 督办单's sheet items and a digest's snapshot are Chinese, and
    # the escapes made them twice the bytes to send, parse, compress and store; the same text as insert_new_rows
    # writes, so a row reads the same whichever path wrote it.
    kwargs.setdefault("json_serializer", to_json)
    engine = create_async_engine(parsed, **kwargs)
    if backend == "postgresql":
        event.listen(engine.sync_engine, "before_cursor_execute", _drop_nul, retval=True)
    if backend == "sqlite":
        milliseconds = max(0, round(busy_timeout * 1000))
        event.listen(engine.sync_engine, "connect", lambda conn, record: _sqlite_pragmas(conn, record, milliseconds))
    return engine


def _checked_url(url: str) -> URL:
    """The parsed URL, or a ConfigError that names what is wrong with it (the password redacted)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"DATABASE_URL is not a database URL: {redact(url)}") from None
    backend = parsed.get_backend_name()
    if backend not in _DRIVERS:
        raise ConfigError(f"DATABASE_URL {redact(url)}: {backend} is not supported; use {SUPPORTED_URLS}")
    plain_postgres = parsed.drivername == "postgresql"  # SQLAlchemy picks psycopg's async dialect for it
    if parsed.get_driver_name() not in _DRIVERS[backend] and not plain_postgres:
        raise ConfigError(
            f"DATABASE_URL {redact(url)}: the driver {parsed.get_driver_name()} is not the one "
            f"taskbot uses; use {SUPPORTED_URLS}"
        )
    return parsed


def _sqlite_options(parsed: URL, busy_timeout: float, in_loop: bool, kwargs: dict[str, Any]) -> None:
    """A SQLite file's folder must exist (else the first write fails far from the cause); the busy timeout and
    the page size of bulk inserts; `in_loop`: connections made in the event loop's thread."""
    database = parsed.database
    if database and database != ":memory:":
        parent = Path(database).expanduser().resolve().parent
        if not parent.is_dir():
            raise ConfigError(f"DATABASE_URL points into {parent}, which does not exist")
    kwargs.setdefault("connect_args", {"timeout": busy_timeout})
    kwargs.setdefault("insertmanyvalues_page_size", INSERT_PAGE_SIZE)
    if in_loop:
        if not database or database == ":memory:" or parsed.query:
            raise ConfigError("in_loop needs a plain SQLite file URL")
        connector = functools.partial(sqlite3.connect, database, timeout=busy_timeout, check_same_thread=False)
        kwargs.setdefault("async_creator", lambda: InLoopConnection(connector, 64))


def _sqlite_pragmas(dbapi_conn: object, _record: object, busy_ms: int = round(BUSY_TIMEOUT * 1000)) -> None:
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
    cursor.close()


def _nul_free(value: object) -> object:
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {k: _nul_free(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_nul_free(v) for v in value)
    return value


def _drop_nul(
    _conn: object, _cursor: object, statement: str, parameters: object, _context: object, _executemany: bool
) -> tuple[str, object]:
    """Runs before every PostgreSQL statement, the tick's 40,000-row enqueue included: the parameters (one
    row, or a list of rows for executemany) are only looked at, and copied only in the rare case that a
    value holds a NUL (copying every row cost 0.24 s on such an enqueue; looking costs a fraction)."""
    rows = parameters if isinstance(parameters, list) else [parameters]
    if not any(
        isinstance(value, str) and "\x00" in value
        for row in rows
        if isinstance(row, dict | list | tuple)
        for value in (row.values() if isinstance(row, dict) else row)
    ):
        return statement, parameters
    return statement, _nul_free(parameters)


# SQLite primary result codes (the low byte of an extended code) and PostgreSQL SQLSTATEs
_SQLITE_CODES = {
    5: StoreFault.BUSY,
    6: StoreFault.BUSY,  # SQLITE_BUSY, SQLITE_LOCKED
    13: StoreFault.FULL,
    8: StoreFault.READ_ONLY,
}  # SQLITE_FULL, SQLITE_READONLY
_SQLSTATES = {
    "55P03": StoreFault.BUSY,
    "40001": StoreFault.BUSY,  # lock not available, serialization,
    "40P01": StoreFault.BUSY,  # deadlock
    "53100": StoreFault.FULL,
    "25006": StoreFault.READ_ONLY,
}  # disk full, read-only transaction (standby)
_SQLITE_TEXTS = (
    ("database is locked", StoreFault.BUSY),
    ("database table is locked", StoreFault.BUSY),
    ("database or disk is full", StoreFault.FULL),
    ("readonly database", StoreFault.READ_ONLY),
)


# PostgreSQL: the connection itself failed or was cut — psycopg's OperationalError with no SQLSTATE (refused,
# reset, closed unexpectedly), class 08 (connection exception), or the server shutting down / starting up
_GONE_SQLSTATES = ("57P01", "57P02", "57P03")


def store_unreachable(exc: BaseException | None) -> bool:
    """Whether `exc` (or what it wraps) is the database being out of reach — a server restarting or down, a
    dropped connection — rather than a statement failing."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            return True
        original = exc.orig if isinstance(exc, DBAPIError) else exc
        if isinstance(original, psycopg.OperationalError):
            sqlstate = original.sqlstate
            if sqlstate is None or sqlstate.startswith("08") or sqlstate in _GONE_SQLSTATES:
                return True
        exc = exc.__cause__ or exc.__context__
    return False


def store_fault(exc: BaseException | None) -> StoreFault | None:
    """A StoreFault when `exc` (or what it wraps) is the store refusing a write for one of those
    reasons; None for anything else (a bug, a lost connection, a constraint)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        original = exc.orig if isinstance(exc, DBAPIError) else exc
        code = getattr(original, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in _SQLITE_CODES:
            return _SQLITE_CODES[code & 0xFF]
        sqlstate = getattr(original, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate in _SQLSTATES:
            return _SQLSTATES[sqlstate]
        if type(original).__module__.startswith("sqlite3"):
            text = str(original).lower()
            for needle, fault in _SQLITE_TEXTS:
                if needle in text:
                    return fault
        exc = exc.__cause__ or exc.__context__
    return None


def rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE/DELETE touched: AsyncSession.execute is typed as returning a plain Result, but for DML it
    returns a CursorResult, which has the count."""
    return cast(CursorResult[Any], result).rowcount


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def plain_rows(conn: AsyncConnection, statement: Executable) -> list[tuple[Any, ...]]:
    """The statement's rows as the driver returns them: tuples, without SQLAlchemy's Row per row or any type's
    result conversion (a UTCDateTime column comes as text on SQLite, a JSON column as text on SQLite and
    decoded on PostgreSQL). For reads of tens of thousands of rows that are only compared and counted: the
    Rows cost about three times the driver's own fetch (issue 23: /units' ranking)."""
    result = await conn.execute(statement)
    try:
        return list(cast(CursorResult[Any], result).cursor.fetchall())
    finally:
        result.close()


async def converted_rows(conn: AsyncConnection, statement: Select[*tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """`plain_rows` with each column's own conversion applied (a UTCDateTime to an aware UTC time, a date, a
    vocabulary member): the values SQLAlchemy's Rows would hold, in tuples, at a fraction of their cost. Column
    by column, and a column whose values repeat (a deadline, a status over thousands of rows) converts each
    distinct value once."""
    dialect = conn.dialect
    processors = [
        column.type.dialect_impl(dialect).result_processor(dialect, None) for column in statement.selected_columns
    ]
    rows = await plain_rows(conn, statement)
    if not rows or not any(processors):
        return rows
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for i, convert in enumerate(processors):
        if convert is None:
            continue
        values = columns[i]
        distinct = set(values)
        distinct.discard(None)
        if 2 * len(distinct) < len(values):
            table = {value: convert(value) for value in distinct}
            table[None] = None
            columns[i] = list(map(table.__getitem__, values))
        else:
            columns[i] = [None if value is None else convert(value) for value in values]
    return list(zip(*columns, strict=True))


@asynccontextmanager
async def session_scope(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """One transaction: committed when the block ends, rolled back if it raises."""
    async with session_factory(engine)() as session, session.begin():
        yield session


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() or ""


async def current_revision(engine: AsyncEngine) -> tuple[str | None, bool]:
    """(revision, has_tables): the database's Alembic revision and whether it holds any table."""
    async with engine.connect() as conn:

        def read(sync_conn: Connection) -> tuple[str | None, bool]:
            rev = MigrationContext.configure(sync_conn).get_current_revision()
            tables = inspect(sync_conn).get_table_names()
            return rev, bool(tables)

        return await conn.run_sync(read)


def _upgrade_sync(url: str) -> None:
    command.upgrade(alembic_config(url), "head")


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the database to the newest schema (Alembic `upgrade head`).

    Alembic runs in a worker thread with an engine of its own (bot/core/migrations/env.py): an async engine's
    connections belong to the event loop that made them, and env.py needs a loop of its own.
    """
    await asyncio.to_thread(_upgrade_sync, engine.url.render_as_string(hide_password=False))


async def ensure_schema(engine: AsyncEngine) -> None:
    """Create the schema in an empty database; refuse to work on an outdated one."""
    revision, has_tables = await current_revision(engine)
    head = head_revision()
    if revision == head:
        return
    if revision is None and not has_tables:
        await upgrade(engine)
        return
    raise SchemaBehindError(
        f"the database {redact(engine.url.render_as_string(hide_password=False))} is at schema revision "
        f"{revision or 'none'} and this taskbot needs {head}: back it up, then run `taskbot db upgrade`"
    )


async def insert_new_rows(
    session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]], *, returning: Sequence[str] = ()
) -> list[tuple[Any, ...]]:
    """`insert_new` (ON CONFLICT on `key`) of many rows, and the `returning` columns of the rows it inserted.

    PostgreSQL: one statement whose one parameter is the rows as a JSON array (json_populate_recordset over
    the table's own row type), so its text is the same whatever the count. SQLAlchemy's insertmanyvalues sends
    a VALUES list of as many placeholders as values, which psycopg parses afresh each time (it caches short
    statements only): 0.3 s of a Monday tick for its 301 督办单 and their 301 outbox rows (issue 23). Each
    value goes through its column's own conversion first (UTCDateTime, EnumText); a JSON column's value is
    nested as it is, and None stays JSON null, as SQLAlchemy stores it. SQLite: an executemany, as before."""
    if not rows:
        return []
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        stmt = insert_new(session, table)
        if returning:
            return [tuple(r) for r in (await session.execute(stmt.returning(*(table.c[n] for n in returning)), rows))]
        await session.execute(stmt, rows)
        return []
    names = list(rows[0])
    quote = bind.dialect.identifier_preparer.quote
    dialect = bind.dialect
    convert: dict[str, Callable[[Any], Any]] = {}
    for name in names:
        kind = table.c[name].type
        processor = None if isinstance(kind, JSON) else kind.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            convert[name] = processor
    payload = [{n: (convert[n](v) if n in convert else v) for n, v in row.items()} for row in rows]
    picked = ", ".join(
        f"COALESCE(r.{quote(n)}, 'null'::json)" if isinstance(table.c[n].type, JSON) else f"r.{quote(n)}" for n in names
    )
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) SELECT {picked} "
        f"FROM json_populate_recordset(NULL::{quote(table.name)}, CAST(:rows AS json)) AS r "
        "ON CONFLICT (key) DO NOTHING" + (f" RETURNING {', '.join(quote(n) for n in returning)}" if returning else "")
    )
    result = await session.execute(text(statement), {"rows": to_json(payload, default=_json_value)})
    return [tuple(r) for r in result] if returning else []


def to_json(value: Any, default: Callable[[Any], Any] | None = None) -> str:
    """The store's JSON text: UTF-8 as written (ensure_ascii off), the way every JSON column is stored."""
    return json.dumps(value, ensure_ascii=False, default=default)


def _json_value(value: Any) -> Any:
    """A converted value json.dumps does not know: an aware time as ISO 8601 with its offset, a date as ISO."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the store keeps aware times only")
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot go into a JSON row: {value!r}")


def insert_new(session: AsyncSession, table: Table, key: str | tuple[str, ...] = "key") -> PgInsert | SqliteInsert:
    """INSERT … ON CONFLICT (`key`, a column or the columns of a unique index) DO NOTHING in the session's
    dialect: a row offered again (a second tick, a second process, a double tap) is left as it is."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return insert(table).on_conflict_do_nothing(index_elements=[key] if isinstance(key, str) else list(key))
