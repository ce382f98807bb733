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

from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.core.vocab import FileKind
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
        message = await self.bot.send_message(
            chat_id=chat_id, text=text, parse_mode=ParseMode.HTML, reply_markup=markup, disable_web_page_preview=True
        )
        return message.message_id

    async def send_file(self, chat_id: int, kind: FileKind, name: str, content: bytes, caption: str | None) -> int:
        """sendPhoto or sendDocument (multipart upload), the caption in HTML."""
        not_sent_yet()
        upload = InputFile(content, filename=name)
        leaving()
        if kind == FileKind.PHOTO:
            message = await self.bot.send_photo(
                chat_id=chat_id, photo=upload, caption=caption, parse_mode=ParseMode.HTML
            )
        else:
            message = await self.bot.send_document(
                chat_id=chat_id, document=upload, caption=caption, parse_mode=ParseMode.HTML
            )
        return message.message_id


@dataclass(frozen=True)
class SentFile:
    kind: FileKind
    name: str
    content: bytes


@dataclass
class SentMessage:
    """A message the in-memory Telegram took: a text, or a file (`file`) with `text` its caption."""

    chat_id: int
    text: str
    reply_markup: dict[str, Any] | None
    message_id: int
    at: dt.datetime | None
    file: SentFile | None = None


@dataclass
class MemoryTransport:
    """Keeps what was sent. `fail` maps a chat id to an exception to raise (once, or always)."""

    clock: Callable[[], dt.datetime] | None = None
    sent: list[SentMessage] = field(default_factory=list)
    fail: dict[int, TelegramError] = field(default_factory=dict)
    fail_always: set[int] = field(default_factory=set)
    count: int = 0  # messages sent so far; message ids go on from it even when `sent` is emptied

    async def send_message(self, chat_id: int, text: str, reply_markup: dict[str, Any] | None) -> int:
        return self._take(SentMessage(chat_id, text, reply_markup, 0, None))

    async def send_file(self, chat_id: int, kind: FileKind, name: str, content: bytes, caption: str | None) -> int:
        return self._take(SentMessage(chat_id, caption or "", None, 0, None, SentFile(kind, name, content)))

    def _take(self, message: SentMessage) -> int:
        not_sent_yet()
        if message.chat_id in self.fail:
            chat_id = message.chat_id
            error = self.fail[chat_id] if chat_id in self.fail_always else self.fail.pop(chat_id)
            raise error
        leaving()
        self.count += 1
        message.message_id, message.at = self.count, self.clock() if self.clock else None
        self.sent.append(message)
        return message.message_id
