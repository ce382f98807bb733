"""Fault tests with the real processes: `taskbot run` (long polling) against the fake Bot API server
(tests/fakebotapi.py) running as a process of its own, so either can be killed and started again.

- `FakeApi`: the server process on a fixed port; `stop()` and `start()` again keep the port and the
  record file, so deliveries across restarts are in one list (`deliveries()`).
- `BotProcess`: `taskbot run` with the environment a deployment would set; its log (stderr and stdout)
  goes to a file the test reads; `kill9()` is SIGKILL, `stop()` is SIGTERM (PTB shuts down cleanly).
- Seeding writes the store directly (units, bound chats, outbox rows through bot.outbox.enqueue) before
  the bot starts, as a coordinator's earlier session would have.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db
from bot.core.models import Chat, Unit
from bot.store.outbox import Outgoing, enqueue
from tests.conftest import ROOT

TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789ab"
COORDINATOR = 900001
TASKBOT = Path(sys.executable).with_name("taskbot")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], Any], timeout: float, what: str, every: float = 0.1) -> Any:
    """Poll `condition` until it returns something truthy; fail the test naming `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


class FakeApi:
    """tests/fakebotapi.py as a process: stop it and the Bot API is unreachable; start it and it is back."""

    def __init__(self, workdir: Path, port: int | None = None, answer_delay: float = 0.0, limit: bool = False):
        self.port = port or free_port()
        self.answer_delay = answer_delay
        self.limit = limit
        self.record = workdir / "deliveries.jsonl"
        self.proc: subprocess.Popen[str] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> None:
        assert self.proc is None
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.fakebotapi",
                "--port",
                str(self.port),
                "--record",
                str(self.record),
                "--poll-wait",
                "0.5",
                "--answer-delay",
                str(self.answer_delay),
                *(["--limit"] if self.limit else []),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if line.strip() != f"listening {self.port}":
            self.proc.kill()
            pytest.fail(f"the fake Bot API did not start on port {self.port}: {line}{self.proc.stdout.read()}")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            if self.proc.stdout is not None:
                self.proc.stdout.close()
            self.proc = None

    def deliveries(self) -> list[dict[str, Any]]:
        if not self.record.exists():
            return []
        lines = self.record.read_text(encoding="utf-8").splitlines()
        # the server may be writing the last line right now: take whole lines only
        return [json.loads(line) for line in lines if line.endswith("}")]

    def stats(self) -> dict[str, int]:
        """`rate_limited` (429s drawn by the flood limits) and `received` (messages accepted) since it started."""
        return httpx.get(f"http://127.0.0.1:{self.port}/control/stats", timeout=5).json()

    def push_updates(self, updates: list[dict[str, Any]]) -> None:
        httpx.post(f"http://127.0.0.1:{self.port}/control/updates", json=updates, timeout=5).raise_for_status()


class BotProcess:
    """`taskbot run` as a deployment runs it."""

    def __init__(
        self,
        workdir: Path,
        database_url: str,
        api: FakeApi,
        args: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
        name: str = "bot",
    ):
        self.log = workdir / f"{name}.log"
        self.args = args
        self.env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": api.base_url,
            "DATABASE_URL": database_url,
            "COORDINATOR_IDS": str(COORDINATOR),
            "LOG_LEVEL": "INFO",
            "TIMEZONE": "Asia/Shanghai",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        assert self.proc is None
        self.starts += 1
        with self.log.open("ab") as out:
            out.write(f"--- start {self.starts} ---\n".encode())
            out.flush()
            self.proc = subprocess.Popen(
                [str(TASKBOT), "run", *self.args], cwd=self.workdir, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> int | None:
        """SIGTERM, as systemd stops it; its exit status (None if it had to be killed)."""
        if self.proc is None:
            return None
        proc, self.proc = self.proc, None
        if proc.poll() is not None:
            return proc.returncode
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
            return None

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def wait_up(self, timeout: float = 120) -> None:
        """Until post_init has run (the store is open, the menus published) in the newest start. The default wait
        is long: on a loaded machine (2 cores, a load of 12) the imports alone took 20 s."""

        def up() -> bool:
            if not self.alive():
                pytest.fail(
                    f"taskbot run exited with {self.proc.returncode if self.proc else '?'}:\n{self.log_text()[-3000:]}"
                )
            return self.log_text().rsplit(f"--- start {self.starts} ---", 1)[-1].count("taskbot is up") > 0

        wait_for(up, timeout, "the bot to start")


@pytest.fixture
def answer_delay() -> float:
    """Seconds the fake Bot API waits between recording a sendMessage and answering it (a test may override)."""
    return 0.0


@pytest.fixture
def flood_limits() -> bool:
    """Whether the fake Bot API enforces Telegram's flood limits (a test may override)."""
    return False


@pytest.fixture
def api(tmp_path: Path, answer_delay: float, flood_limits: bool) -> Iterator[FakeApi]:
    server = FakeApi(tmp_path, answer_delay=answer_delay, limit=flood_limits)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def bot_factory(tmp_path: Path, api: FakeApi) -> Iterator[Callable[[str], BotProcess]]:
    """`bot_factory(database_url, args=…, env=…, name=…)`: a BotProcess, stopped (SIGTERM) when the test ends."""
    if not TASKBOT.exists() and shutil.which("taskbot") is None:
        pytest.fail(f"{TASKBOT} is missing: install the project (bash scripts/setup.sh)")
    made: list[BotProcess] = []

    def make(database_url: str, **kwargs: Any) -> BotProcess:
        bot = BotProcess(tmp_path, database_url, api, **kwargs)
        made.append(bot)
        return bot

    yield make
    for bot in made:
        bot.stop()


async def bind_chats(engine: AsyncEngine, count: int, *, first_chat: int = 10_000, per_unit: int = 10) -> list[int]:
    """`count` private chats bound to units 单位000…, `per_unit` chats each; returns the chat ids in order."""
    chats = [first_chat + i for i in range(count)]
    async with db.session_scope(engine) as session:
        units: list[int] = []
        for u in range((count + per_unit - 1) // per_unit):
            unit = Unit(name=f"单位{u:03d}")
            session.add(unit)
            await session.flush()
            assert unit.id is not None
            units.append(unit.id)
        session.add_all(
            Chat(chat_id=chat, unit_id=units[i // per_unit], kind="private", title=f"联络员{i}")
            for i, chat in enumerate(chats)
        )
    return chats


PACE_MARK = "【统一节奏】"  # opens each message of the one-pace broadcast (test_one_pace, bench/bench_pace)


async def pace_chats(url: str, count: int) -> list[int]:
    """A store with `count` bound chats for the one-pace broadcast."""
    engine = db.make_engine(url)
    try:
        await db.ensure_schema(engine)
        return await bind_chats(engine, count, first_chat=200_000, per_unit=10)
    finally:
        await engine.dispose()


async def queue_pace_broadcast(url: str, chats: list[int]) -> int:
    """One broadcast message to each chat, due now (queued once the processes are up, so all meet them);
    how many went in."""
    engine = db.make_engine(url)
    try:
        now = dt.datetime.now(dt.UTC)
        messages = [
            Outgoing(key=f"pace:{c}", kind="broadcast", text=f"{PACE_MARK}第{i}条", send_at=now, chat_id=c)
            for i, c in enumerate(chats)
        ]
        async with db.session_scope(engine) as session:
            return (await enqueue(session, messages)).inserted
    finally:
        await engine.dispose()
