"""The bot in-process against the fake Bot API: send updates, tap buttons, read what the bot sent.

Shared by the handler, security and reliability tests (one copy of the harness)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import Application

from bot.core import db
from bot.core.models import Outbox
from scheduler.sender import SenderConfig, drain
from scheduler.transport import BotTransport
from tests.support.fakebotapi import FakeBotApi
from tests.support.store import application_on, seed

TOKEN = "987654321:AAHandlerTestsFakeToken_abcdefghijklmnop"
BOT_ID = 42  # the fake Bot API's getMe
BOSS = 900
FINANCE = 11  # 市财政局's contact: responsible for 1.2 and 2.1
SCIENCE = 12  # 市科技局's contact: leads 1.1 and 1.2
STRANGER = 13


@dataclass
class Harness:
    app: Application
    api: FakeBotApi
    engine: AsyncEngine
    update_id: int = 0
    message_id: int = 1000
    read: int = 0
    sent_ids: dict[int, dict[str, Any]] = field(default_factory=dict)

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id < 0:
            return {"id": chat_id, "type": "group", "title": f"group {chat_id}"}
        return {"id": chat_id, "type": "private", "first_name": f"user{chat_id}"}

    def _user(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"user{user_id}"}

    def message(self, chat_id: int, text: str, *, user_id: int | None = None, **extra: Any) -> dict[str, Any]:
        self.message_id += 1
        body = {
            "message_id": self.message_id,
            "date": int(dt.datetime.now(dt.UTC).timestamp()),
            "chat": self._chat(chat_id),
            "from": self._user(user_id or abs(chat_id)),
            "text": text,
            **extra,
        }
        if text.startswith("/"):
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return body

    async def push(self, update: dict[str, Any]) -> list[dict[str, Any]]:
        """Process one update; returns what the bot sent meanwhile (text, chat and parsed buttons)."""
        self.update_id += 1
        await self.app.process_update(Update.de_json({"update_id": self.update_id, **update}, self.app.bot))
        return self._new()

    async def deliver(self) -> list[dict[str, Any]]:
        """Drain the outbox through the real sender to the fake Bot API; returns what it sent (a file's item
        has `file`: {"filename", "content"} and its caption as `text`)."""
        await drain(
            self.engine,
            BotTransport(self.app.bot),
            now=lambda: dt.datetime.now(dt.UTC),
            worker="harness",
            config=SenderConfig(global_interval=0, private_interval=0, group_interval=0),
        )
        return self._new()

    def _new(self) -> list[dict[str, Any]]:
        new = self.api.script.received[self.read :]
        self.read = len(self.api.script.received)
        out = []
        for i, params in enumerate(new, self.read - len(new) + 1):
            markup = json.loads(params["reply_markup"]) if params.get("reply_markup") else None
            upload = params.get("photo") or params.get("document")  # a file: `text` is its caption
            item = {
                "chat": int(params["chat_id"]),
                "text": params.get("text", params.get("caption", "")),
                "markup": markup,
                "message_id": i,
                "file": upload if isinstance(upload, dict) else None,
            }
            self.sent_ids[i] = item
            out.append(item)
        return out

    async def say(self, chat_id: int, text: str, **extra: Any) -> list[dict[str, Any]]:
        return await self.push({"message": self.message(chat_id, text, **extra)})

    async def tap(
        self, chat_id: int, data: str, *, user_id: int | None = None, message: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        message = message or {
            "message_id": 1,
            "date": 0,
            "chat": self._chat(chat_id),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "taskbot"},
            "text": "…",
        }
        return await self.push(
            {
                "callback_query": {
                    "id": str(self.update_id),
                    "chat_instance": "1",
                    "data": data,
                    "from": self._user(user_id or abs(chat_id)),
                    "message": message,
                }
            }
        )

    async def sent_prompt(
        self, chat_id: int, assignment_id: int, message_id: int, *, quoted_in: int | None = None
    ) -> dict[str, Any]:
        """A prompt the sender delivered to `chat_id` (its outbox row, with Telegram's message id), as Telegram
        quotes it in a reply — in `quoted_in` when a test makes another chat quote that message id."""
        async with db.session_scope(self.engine) as session:
            session.add(
                Outbox(
                    key=f"prompt:{message_id}@{chat_id}",
                    kind="prompt",
                    chat_id=chat_id,
                    assignment_id=assignment_id,
                    text="【进展询问】",
                    status="sent",
                    send_at=dt.datetime.now(dt.UTC),
                    message_id=message_id,
                )
            )
        return {
            "message_id": message_id,
            "date": 0,
            "chat": self._chat(quoted_in or chat_id),
            "text": "【进展询问】",
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "taskbot"},
        }

    def bot_message(self, sent: dict[str, Any]) -> dict[str, Any]:
        """One of the bot's messages as Telegram quotes it (reply_to_message, a callback's message)."""
        body = {
            "message_id": sent["message_id"],
            "date": 0,
            "chat": self._chat(sent["chat"]),
            "text": sent["text"],
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "taskbot"},
        }
        if sent["markup"]:
            body["reply_markup"] = sent["markup"]
        return body


def texts(sent: list[dict[str, Any]]) -> list[str]:
    return [s["text"] for s in sent]


def buttons(sent: dict[str, Any]) -> list[tuple[str, str]]:
    return [(b["text"], b["callback_data"]) for row in (sent["markup"] or {}).get("inline_keyboard", []) for b in row]


@asynccontextmanager
async def seeded_harness(url: str, token: str = TOKEN, tasks: str = "mini.yaml") -> AsyncIterator[Harness]:
    """The bot on a fresh store at `url` with tests/data/`tasks` imported and nothing bound; BOSS coordinates."""
    engine = db.make_engine(url)
    await db.ensure_schema(engine)
    await seed(engine, tasks)
    try:
        async with application_on(engine, url, token, [BOSS]) as (app, api):
            yield Harness(app, api, engine)
    finally:
        await engine.dispose()
