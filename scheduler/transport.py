"""Transports for the sender: the real Bot API (through python-telegram-bot) and an in-memory one.

The in-memory transport is not a test double of PTB: it is the simulation's Telegram, a list of what
was sent, with optional scripted failures raised as the same telegram.error exceptions PTB raises, so
`taskbot simulate` exercises the sender's real error handling.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import TelegramError

from scheduler.sender import leaving, not_sent_yet


class BotTransport:
    """Sends through a `telegram.Bot` (base_url may point at a local Bot API server or an emulator).

    It tells the sender when the request leaves (scheduler.sender.leaving): a row whose buttons cannot be
    built failed before anything went out and is retried; whatever python-telegram-bot raises after that
    which is not a Telegram error (an answer it cannot parse) may come after Telegram delivered it."""

    def __init__(self, bot: Bot):
        self.bot = bot

    async def send_message(self, chat_id: int, text: str, reply_markup: dict[str, Any] | None) -> int:
        not_sent_yet()
        markup = InlineKeyboardMarkup.de_json(reply_markup, self.bot) if reply_markup else None
        leaving()
        message = await self.bot.send_message(chat_id=chat_id, text=text, parse_mode=ParseMode.HTML,
                                              reply_markup=markup, disable_web_page_preview=True)
        return message.message_id


@dataclass
class SentMessage:
    chat_id: int
    text: str
    reply_markup: dict[str, Any] | None
    message_id: int
    at: dt.datetime | None


@dataclass
class MemoryTransport:
    """Keeps what was sent. `fail` maps a chat id to an exception to raise (once, or always)."""

    clock: Callable[[], dt.datetime] | None = None
    sent: list[SentMessage] = field(default_factory=list)
    fail: dict[int, TelegramError] = field(default_factory=dict)
    fail_always: set[int] = field(default_factory=set)
    count: int = 0        # messages sent so far; message ids go on from it even when `sent` is emptied

    async def send_message(self, chat_id: int, text: str, reply_markup: dict[str, Any] | None) -> int:
        not_sent_yet()
        if chat_id in self.fail:
            error = self.fail[chat_id] if chat_id in self.fail_always else self.fail.pop(chat_id)
            raise error
        leaving()
        self.count += 1
        message_id = self.count
        self.sent.append(SentMessage(chat_id, text, reply_markup, message_id, self.clock() if self.clock else None))
        return message_id
