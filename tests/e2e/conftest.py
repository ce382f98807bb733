"""End-to-end fixtures: the Bot API emulator (npm telegram-test-api) and the bot running against it.

The emulator is a separate Node process on 127.0.0.1 at a free port chosen here (its own `port: 0`
means 9000), started through tests/e2e/emulator/launch.js, which patches its known incompatibilities
with python-telegram-bot 22 (see the comment there). The bot is the real Application from
bot.app.build_application, polling the emulator through TELEGRAM_BASE_URL=http://127.0.0.1:PORT/bot.
Tests act as users through the emulator's client routes and read what the bot sent back.

Without node/npm the e2e tests are skipped with the reason, unless CI=true, where they must run.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from telegram.ext import Application

from bot.app import build_application
from bot.chat.binding import invite_unit
from bot.core import db
from bot.core.settings import Settings
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog
from scheduler.sender import SenderConfig, drain
from scheduler.transport import BotTransport
from tests.conftest import DATA

EMULATOR = Path(__file__).resolve().parent / "emulator"
BOT_ID = 666  # the emulator's getMe
POLL = 0.05


def _require_node() -> None:
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        reason = f"{' and '.join(missing)} not installed: the Bot API emulator cannot run"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: the end-to-end tests must run)")
        pytest.skip(reason)
    if not (EMULATOR / "node_modules" / "telegram-test-api").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=EMULATOR, check=True, timeout=300)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _launch() -> tuple[subprocess.Popen[str], str]:
    """The emulator on a free port: (process, base URL). The port is free when picked and taken by node a moment
    later; another suite on the machine (or another xdist worker) may take it in between, so a start that does
    not say "listening" is tried again on a new port, twice."""
    failures = []
    for _ in range(3):
        port = _free_port()
        proc = subprocess.Popen(
            ["node", "launch.js", str(port), "127.0.0.1"],
            cwd=EMULATOR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if line.startswith("listening"):
            return proc, f"http://127.0.0.1:{port}"
        _stop(proc)
        failures.append(f"port {port}: {line.strip()} {proc.stdout.read(2000)}")
        proc.stdout.close()
    pytest.fail(f"the emulator did not start: {failures}")


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def emulator_url() -> Iterator[str]:
    """The emulator's base URL (client routes at /sendMessage…, the Bot API at /bot<token>/…)."""
    _require_node()
    proc, url = _launch()
    try:
        yield url
    finally:
        _stop(proc)
        if proc.stdout is not None:
            proc.stdout.close()


@dataclass
class Person:
    """A Telegram user writing in one chat (a private chat has the user's id; a group a negative one)."""

    user_id: int
    chat_id: int
    name: str
    chat_type: str = "private"
    title: str | None = None

    def user(self) -> dict[str, Any]:
        return {"id": self.user_id, "is_bot": False, "first_name": self.name, "username": f"u{self.user_id}"}

    def chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.chat_id, "type": self.chat_type}
        if self.chat_type == "private":
            chat["first_name"] = self.name
        else:
            chat["title"] = self.title or f"group {self.chat_id}"
        return chat


@dataclass
class Emulator:
    """The test's hands: send as a person, read what the bot sent to a chat."""

    url: str
    token: str
    http: httpx.AsyncClient
    seen: dict[int, list[dict[str, Any]]] = field(default_factory=dict)

    async def _post(self, route: str, body: dict[str, Any]) -> Any:
        response = await self.http.post(f"{self.url}{route}", json=body)
        response.raise_for_status()
        return response.json()

    def _message(self, person: Person, text: str, **extra: Any) -> dict[str, Any]:
        return {
            "botToken": self.token,
            "from": person.user(),
            "chat": person.chat(),
            "date": int(time.time()),
            "text": text,
            **extra,
        }

    async def say(self, person: Person, text: str, *, reply_to: dict[str, Any] | None = None) -> None:
        extra = {"reply_to_message": self.as_message(reply_to, person)} if reply_to else {}
        await self._post("/sendMessage", self._message(person, text, **extra))

    async def command(self, person: Person, text: str) -> None:
        word = text.split()[0]
        await self._post(
            "/sendCommand",
            self._message(person, text, entities=[{"offset": 0, "length": len(word), "type": "bot_command"}]),
        )

    async def tap(
        self, person: Person, bot_message: dict[str, Any], data: str, *, quoted: dict[str, Any] | None = None
    ) -> None:
        """Press a button under one of the bot's messages (`quoted`: the message that one replied to)."""
        message = self.as_message(bot_message, person)
        if quoted is not None:
            message["reply_to_message"] = quoted
        await self._post(
            "/sendCallback", {"botToken": self.token, "from": person.user(), "message": message, "data": data}
        )

    @staticmethod
    def as_message(stored: dict[str, Any], person: Person) -> dict[str, Any]:
        """A bot message as Telegram shows it inside an update (reply_to_message, callback message)."""
        raw = stored["message"]
        message = {
            "message_id": stored["messageId"],
            "date": int(stored["time"] / 1000),
            "chat": person.chat(),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "taskbot"},
            "text": raw.get("text", ""),
        }
        if raw.get("reply_markup"):
            message["reply_markup"] = raw["reply_markup"]
        return message

    async def replies(self, person: Person, n: int = 1, timeout: float = 8.0) -> list[dict[str, Any]]:
        """The next `n` messages the bot sent to the person's chat (waits for them)."""
        deadline = time.monotonic() + timeout
        got: list[dict[str, Any]] = []
        while len(got) < n:
            body = await self._post("/getUpdates", {"token": self.token, "chatId": person.chat_id})
            got += body.get("result") or []
            if len(got) >= n:
                break
            if time.monotonic() > deadline:
                pytest.fail(f"the bot sent {len(got)} of {n} messages to {person.chat_id}: {got}")
            await asyncio.sleep(POLL)
        self.seen.setdefault(person.chat_id, []).extend(got)
        return got

    async def file(self, stored: dict[str, Any]) -> bytes:
        """The bytes of the photo or document one of the bot's messages carries (launch.js keeps them)."""
        raw = stored["message"]
        file_id = raw["photo"][-1]["file_id"] if raw.get("photo") else raw["document"]["file_id"]
        response = await self.http.get(f"{self.url}/files/{file_id}")
        response.raise_for_status()
        return response.content

    async def quiet(self, person: Person, wait: float = 0.4) -> list[dict[str, Any]]:
        """Whatever else arrives for the chat within `wait` seconds (to prove that nothing does)."""
        await asyncio.sleep(wait)
        body = await self._post("/getUpdates", {"token": self.token, "chatId": person.chat_id})
        return body.get("result") or []


def text_of(stored: dict[str, Any]) -> str:
    return stored["message"].get("text", "")


def buttons_of(stored: dict[str, Any]) -> list[tuple[str, str]]:
    markup = stored["message"].get("reply_markup") or {}
    return [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", []) for b in row]


@dataclass
class Running:
    app: Application = field(repr=False)  # PTB's repr shows the bot token: a failing test must not print it
    engine: AsyncEngine
    emulator: Emulator
    settings: Settings

    def session(self) -> AbstractAsyncContextManager[AsyncSession]:
        return db.session_scope(self.engine)

    async def bind(self, person: Person, unit: str) -> None:
        """Bind the person's private chat to the unit as a 联络员 would: an invite code, /start <code>, the bot's
        answer that it is bound."""
        async with self.session() as session:
            _, code, _ = await invite_unit(session, unit, for_group=False, expires=dt.timedelta(days=7))
        await self.emulator.command(person, f"/start {code}")
        (reply,) = await self.emulator.replies(person)
        assert "绑定成功" in text_of(reply)

    async def deliver(self) -> int:
        """Send what the outbox holds through the real sender (scheduler/sender.py) to the emulator."""
        result = await drain(
            self.engine,
            BotTransport(self.app.bot),
            now=lambda: dt.datetime.now(dt.UTC),
            worker="e2e",
            config=SenderConfig(global_interval=0, private_interval=0, group_interval=0),
        )
        return result.sent


COORDINATOR = 9001


def fake_token() -> str:
    """A token of Telegram's shape, new per test: the emulator keeps each bot's messages apart by token."""
    return f"{secrets.randbelow(10**9) + 10**9}:AAE{secrets.token_urlsafe(24)}"


@pytest.fixture
async def running(emulator_url: str, tmp_path: Path) -> AsyncIterator[Running]:
    """The bot polling the emulator, on a fresh SQLite store with tests/data/mini.yaml imported."""
    async with bot_polling(emulator_url, tmp_path, "mini.yaml") as run:
        yield run


@pytest.fixture
async def running_many(emulator_url: str, tmp_path: Path) -> AsyncIterator[Running]:
    """The same with tests/data/many.yaml: twenty tasks of 市财政局 in two documents numbered alike."""
    async with bot_polling(emulator_url, tmp_path, "many.yaml") as run:
        yield run


@asynccontextmanager
async def bot_polling(emulator_url: str, tmp_path: Path, tasks: str) -> AsyncIterator[Running]:
    token = fake_token()
    settings = Settings(
        telegram_bot_token=token,
        telegram_base_url=f"{emulator_url}/bot",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}",
        coordinator_ids=[COORDINATOR],
    )
    engine = db.make_engine(settings.database_url)
    await db.ensure_schema(engine)
    async with db.session_scope(engine) as session:
        await import_catalog(session, load_catalog(DATA / tasks), actor="test")
    app = build_application(settings, job_installers=[], engine=engine)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=POLL, timeout=0, drop_pending_updates=False)
    await app.start()
    async with httpx.AsyncClient(timeout=10) as http:
        try:
            yield Running(app, engine, Emulator(emulator_url, token, http), settings)
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
            assert app.post_shutdown is not None
            await app.post_shutdown(app)
            await engine.dispose()
