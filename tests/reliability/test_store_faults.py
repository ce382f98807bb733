"""The store refusing writes while the bot runs: SQLite busy (another process holds the write lock), disk
full, and a read-only database — through the real Application and its handlers (the harness of
tests/test_handlers.py: real Updates, python-telegram-bot's Bot talking HTTP to tests/fakebotapi.py).

What must hold (issue 7, "Faults"): a report that meets a busy store is retried, not dropped, and the user is
told to wait only when it still fails; a full disk or a read-only database is a clear alert to the
coordinators, the user is told nothing was saved, and no report the bot acknowledged (已记录) is lost.

How each fault is made:
- busy: a separate Python process opens the SQLite file and holds `BEGIN IMMEDIATE` (the write lock) until
  the test tells it to let go; the bot's engine waits 0.1 s for a lock (`make_engine(busy_timeout=…)`), not
  the 30 s it waits in production, and the retry pauses go through `handlers.common.busy_sleep`.
- disk full, two ways: `tmpfs` — the store on a 16 MB tmpfs mounted for the test, then filled with a file
  (only where the test may mount: root with CAP_SYS_ADMIN; skipped with the reason elsewhere); and
  `max_page_count` — SQLite's own cap on the file's pages, set on each connection the bot takes, which
  fails a write with the same SQLITE_FULL a full disk gives. Both always run where they can.
- read-only: the bot's engine is swapped for one whose connections cannot write — on SQLite
  `PRAGMA query_only` (SQLITE_READONLY, the error a read-only file or filesystem gives; root ignores file
  modes, so chmod would prove nothing here), on PostgreSQL `default_transaction_read_only` (SQLSTATE 25006,
  what a standby answers after a failover).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db
from bot.core.models import AuditLog, Report
from bot.core.vocab import StoreFault
from bot.render import callback_data
from bot.render import messages as m
from handlers import common, storefaults
from tests.support.harness import BOSS, FINANCE, SCIENCE, TOKEN, Harness, texts
from tests.support.store import application_on, assignment_id, bind, rows, seed

pytestmark = pytest.mark.reliability

BUSY_TIMEOUT = 0.1  # seconds; production waits db.BUSY_TIMEOUT (30 s)
LONG = "推进中，" + "已完成阶段性调研、方案论证和资金测算，正在组织专家评审。" * 60  # ~1,700 characters, ~5 KB
SQLITE_MAX_PAGES = 1_073_741_823  # SQLite's default max_page_count


# --- the bot over a given engine ----------------------------------------------------------------------


@contextlib.asynccontextmanager
async def running_bot(engine: AsyncEngine, url: str) -> AsyncIterator[Harness]:
    """The Application with every handler, no jobs, on `engine` (seeded, 市财政局 and 市科技局 bound)."""
    await db.ensure_schema(engine)
    await seed(engine)
    await bind(engine, FINANCE, "市财政局")
    await bind(engine, SCIENCE, "市科技局")
    async with application_on(engine, url, TOKEN, [BOSS]) as (app, api):
        yield Harness(app, api, engine)


def to_boss(sent: list[dict[str, Any]]) -> list[str]:
    return [s["text"] for s in sent if s["chat"] == BOSS]


def acked(sent: list[dict[str, Any]]) -> bool:
    return any(s["text"].startswith("已记录") for s in sent)


async def stored_texts(engine: AsyncEngine) -> list[str]:
    return [r.text for r in await rows(engine, select(Report).order_by(Report.id))]


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    """A store fault is one line, never the generic "update … failed" traceback of a bug."""
    assert not [r for r in caplog.records if "failed:" in r.getMessage() and "Traceback" in r.getMessage()]


# --- busy: another process holds the write lock -------------------------------------------------------

LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=5)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
print("released", flush=True)
"""


class LockHolder:
    """Another process holding SQLite's write lock on the store until `release()`."""

    def __init__(self, path: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "locked"
        self.held = True

    def release(self) -> None:
        if self.held:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
            assert self.proc.stdout.readline().strip() == "released"
            self.proc.wait(timeout=10)
            self.held = False

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):  # left open, they are reported (as errors) in a later test
            if pipe is not None:
                pipe.close()


@pytest.fixture
async def busy_bot(tmp_path: Path) -> AsyncIterator[tuple[Harness, Path]]:
    path = tmp_path / "taskbot.db"
    url = f"sqlite+aiosqlite:///{path}"
    engine = db.make_engine(url, busy_timeout=BUSY_TIMEOUT)
    try:
        async with running_bot(engine, url) as bot:
            yield bot, path
    finally:
        await engine.dispose()


def record_pauses(monkeypatch: pytest.MonkeyPatch, then: Callable[[], None] = lambda: None) -> list[float]:
    """Replace the retry pause: note its length, run `then`, do not sleep."""
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)
        then()

    monkeypatch.setattr(common, "busy_sleep", pause)
    return pauses


async def test_a_report_that_meets_a_held_lock_is_retried_and_stored(
    busy_bot: tuple[Harness, Path], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    bot, path = busy_bot
    holder = LockHolder(path)
    try:
        pauses = record_pauses(monkeypatch, then=holder.release)  # the other process commits meanwhile
        sent = await bot.say(FINANCE, "/report 2.1 正在推进，已完成60%")
    finally:
        holder.close()
    assert pauses == [common.BUSY_BACKOFF[0]]  # it was busy once, and tried again
    assert acked(sent) and m.STORE_BUSY not in texts(sent)  # no "please wait": it worked
    assert await stored_texts(bot.engine) == ["正在推进，已完成60%"]
    assert [a.action for a in await rows(bot.engine, select(AuditLog).where(AuditLog.action == "report.add"))] == [
        "report.add"
    ]
    assert any("busy" in r.getMessage() for r in caplog.records)
    no_tracebacks(caplog)


async def test_a_lock_held_past_every_retry_tells_the_user_to_send_again(
    busy_bot: tuple[Harness, Path], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    bot, path = busy_bot
    aid = await assignment_id(bot.engine, "市财政局", "1.2")
    holder = LockHolder(path)
    try:
        pauses = record_pauses(monkeypatch)
        sent = await bot.say(FINANCE, "/report 2.1 正在推进，已完成60%")
        assert pauses == list(common.BUSY_BACKOFF)  # every retry was made
        assert texts(sent) == [m.STORE_BUSY] and not acked(sent)  # told to wait, nothing acknowledged
        pauses.clear()
        tapped = await bot.tap(FINANCE, callback_data.make(callback_data.REPORT, aid, "done"))
        assert texts(tapped) == [m.STORE_BUSY] and len(pauses) == len(common.BUSY_BACKOFF)
        assert to_boss(sent + tapped) == []  # a lock passes by itself: no alert
    finally:
        holder.release()
        holder.close()
    assert await stored_texts(bot.engine) == []
    # the lock gone, the same report again is stored and acknowledged
    assert acked(await bot.say(FINANCE, "/report 2.1 正在推进，已完成60%"))
    assert acked(await bot.tap(FINANCE, callback_data.make(callback_data.REPORT, aid, "done")))
    assert await stored_texts(bot.engine) == ["正在推进，已完成60%", m.BUTTONS["done"]]
    no_tracebacks(caplog)


# --- disk full ------------------------------------------------------------------------------------------


class PageCap:
    """SQLite's max_page_count on every connection the engine hands out: `fill()` caps the file at its
    current size and uses up its free pages, so a write that needs a new page fails with SQLITE_FULL."""

    name = "max_page_count"

    def __init__(self, tmp_path: Path):
        self.path = tmp_path / "taskbot.db"
        self.cap: int | None = None

    def attach(self, engine: AsyncEngine) -> None:
        @event.listens_for(engine.sync_engine, "checkout")
        def _cap(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute(f"PRAGMA max_page_count={self.cap or SQLITE_MAX_PAGES}")
            cursor.close()

    async def fill(self, engine: AsyncEngine) -> None:
        async with engine.connect() as conn:
            await conn.execute(text("CREATE TABLE IF NOT EXISTS filler (b BLOB)"))
            await conn.commit()
            self.cap = (await conn.execute(text("PRAGMA page_count"))).scalar_one()
            await conn.execute(text(f"PRAGMA max_page_count={self.cap}"))
            for size in (1000, 100, 10):  # big blobs first, then small ones into the last space
                with contextlib.suppress(Exception):
                    while True:
                        await conn.execute(text(f"INSERT INTO filler VALUES (zeroblob({size}))"))
                        await conn.commit()
                await conn.rollback()
            with contextlib.suppress(Exception):  # a page left free (a split needs two) goes to a table's root
                for n in range(100):
                    await conn.execute(text(f"CREATE TABLE filler_{n} (b BLOB)"))
                    await conn.commit()
            await conn.rollback()

    async def free(self, engine: AsyncEngine) -> None:
        self.cap = None

    def close(self) -> None:
        pass


class FullTmpfs:
    """The store on a small tmpfs; `fill()` empties the WAL into the database file (so the next commit must
    grow the WAL) and fills the filesystem with a file; `free()` deletes that file."""

    name = "tmpfs"

    def __init__(self, tmp_path: Path):
        self.mount = tmp_path / "disk"
        self.mount.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(self.mount)], capture_output=True, text=True
        )
        if done.returncode != 0:
            pytest.skip(
                f"cannot mount a tmpfs here ({(done.stderr or done.stdout).strip()[:120]}); "
                "the max_page_count variant covers disk full"
            )
        self.path = self.mount / "taskbot.db"
        self.filler = self.mount / "filler"

    def attach(self, engine: AsyncEngine) -> None:
        pass

    async def fill(self, engine: AsyncEngine) -> None:
        async with engine.connect() as conn:
            await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        chunk = b"\0" * 4096
        with self.filler.open("wb", buffering=0) as out:
            try:
                while True:
                    out.write(chunk)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC

    async def free(self, engine: AsyncEngine) -> None:
        self.filler.unlink()

    def close(self) -> None:
        subprocess.run(["umount", "-l", str(self.mount)], check=False, capture_output=True)


@pytest.fixture(params=[PageCap, FullTmpfs], ids=["max_page_count", "tmpfs"])
def disk(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    fault = request.param(tmp_path)
    yield fault
    fault.close()


async def test_disk_full_alerts_the_coordinators_once_and_loses_no_acknowledged_report(
    disk: PageCap | FullTmpfs, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite+aiosqlite:///{disk.path}"
    engine = db.make_engine(url, busy_timeout=BUSY_TIMEOUT)
    disk.attach(engine)
    record_pauses(monkeypatch)
    try:
        async with running_bot(engine, url) as bot:
            acknowledged = []
            for who, command in (
                (FINANCE, "/report 2.1 正在推进，已完成40%"),
                (FINANCE, "/report 1.2 受阻，需协调"),
                (SCIENCE, "/report 1.1 正在推进，已完成三成"),
            ):
                assert acked(await bot.say(who, command))
                acknowledged.append(command.split(" ", 2)[2])

            await disk.fill(engine)
            first = await bot.say(FINANCE, f"/report 2.1 {LONG}")
            assert texts([s for s in first if s["chat"] == FINANCE]) == [m.STORE_DOWN] and not acked(first)
            (alert,) = to_boss(first)
            assert "无法写入数据库" in alert and m.STORE_FAULTS["full"] in alert and "full" in alert
            # a second failure within the hour, and the send job failing meanwhile: no second alert
            second = await bot.say(SCIENCE, f"/report 1.1 {LONG}")
            assert texts(second) == [m.STORE_DOWN]
            try:
                async with db.session_scope(engine) as session:
                    session.add(
                        AuditLog(actor="sender", action="probe", entity="outbox", entity_id="1", detail={"text": LONG})
                    )
            except Exception as exc:
                assert db.store_fault(exc) == StoreFault.FULL
                await bot.app.process_error(None, exc)
            else:
                pytest.fail("a write went through on a full disk")
            assert to_boss(bot.api.script.received[bot.read :]) == []
            assert await stored_texts(engine) == acknowledged

            await disk.free(engine)  # space again: the user sends it once more
            assert acked(await bot.say(FINANCE, f"/report 2.1 {LONG}"))
            acknowledged.append(LONG)
    finally:
        await engine.dispose()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "cannot be written" in errors[0].getMessage()  # one line per alert
    no_tracebacks(caplog)
    reopened = db.make_engine(url)  # what a restarted bot finds
    try:
        assert await stored_texts(reopened) == acknowledged
    finally:
        await reopened.dispose()


# --- read-only database ---------------------------------------------------------------------------------


def read_only_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = db.make_engine(url, busy_timeout=BUSY_TIMEOUT)

        @event.listens_for(engine.sync_engine, "connect")
        def _query_only(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA query_only=ON")
            cursor.close()

        return engine
    return db.make_engine(url + "%20-cdefault_transaction_read_only%3Don")


async def test_a_read_only_database_alerts_the_coordinators_and_reads_still_work(
    store_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    engine = db.make_engine(store_url, busy_timeout=BUSY_TIMEOUT)
    frozen = read_only_engine(store_url)
    try:
        async with running_bot(engine, store_url) as bot:
            aid = await assignment_id(engine, "市财政局", "2.1")
            assert acked(await bot.say(FINANCE, "/report 2.1 正在推进，已完成40%"))
            runtime = bot.app.bot_data
            runtime.engine = frozen  # the database became read-only
            tapped = await bot.tap(FINANCE, callback_data.make(callback_data.REPORT, aid, "done"))
            assert texts([s for s in tapped if s["chat"] == FINANCE]) == [m.STORE_DOWN]
            (alert,) = to_boss(tapped)
            assert m.STORE_FAULTS["read_only"] in alert
            mine = await bot.say(FINANCE, "/mytasks")  # reading works as before
            assert mine and "2.1" in mine[0]["text"] and m.STORE_DOWN not in texts(mine)
            runtime.engine = engine  # writable again
            assert acked(await bot.tap(FINANCE, callback_data.make(callback_data.REPORT, aid, "done")))
            assert await stored_texts(engine) == ["正在推进，已完成40%", m.BUTTONS["done"]]
    finally:
        await frozen.dispose()
        await engine.dispose()
    no_tracebacks(caplog)


def test_store_fault_names_each_fault_and_nothing_else() -> None:
    import sqlite3

    def sqlite_error(code: int, message: str) -> sqlite3.OperationalError:
        exc = sqlite3.OperationalError(message)
        exc.sqlite_errorcode = code
        return exc

    assert db.store_fault(sqlite_error(5, "database is locked")) == StoreFault.BUSY
    assert db.store_fault(sqlite_error(517, "database is locked")) == StoreFault.BUSY  # SQLITE_BUSY_SNAPSHOT
    assert db.store_fault(sqlite_error(13, "database or disk is full")) == StoreFault.FULL
    assert db.store_fault(sqlite_error(1032, "attempt to write a readonly database")) == StoreFault.READ_ONLY
    assert db.store_fault(sqlite3.OperationalError("no such table: report")) is None
    assert db.store_fault(ValueError("database is locked")) is None  # not the store's error
    wrapped = RuntimeError("while saving")
    wrapped.__cause__ = sqlite_error(13, "database or disk is full")
    assert db.store_fault(wrapped) == StoreFault.FULL
    assert storefaults.ALERT_EVERY >= 600
