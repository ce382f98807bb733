"""One way to route a text message: by what the message it replies to was (bot.core.vocab.Quoted).

Every text message that is no command reaches one handler, `dispatch`; it reads the quoted message — its
buttons (bot/render/callback_data.py), else the outbox row or the 督办单 it was sent as — and calls the route
the composition root (handlers/__init__.py) gave for that kind. Which handler a reply reaches never depends
on the order handlers are installed in, and no handler module needs another's functions to hand a reply on.

A message in a group that replies to nothing of the bot's is the group's own conversation: no route.
The kinds are read in a fixed order, since one message can look like two: 退回 buttons first (a reply under a
lead's notice is never a report of the lead's own unit), then a target value's 更正 question, then the
assignment or 督办单 the store knows the message as.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from telegram import Message, Update
from telegram.ext import MessageHandler, filters

from bot.chat.issued_sheets import sheet_for_message
from bot.chat.lookups import assignment_for_message
from bot.core.vocab import Quoted
from bot.render import callback_data
from handlers.common import NEW_MESSAGES, Context, buttons_under, transaction

TEXT_MESSAGES = NEW_MESSAGES & filters.TEXT & ~filters.COMMAND


@dataclass(frozen=True)
class QuotedMessage:
    """What a text message replies to, and the id it names: the report (RETURN_QUESTION), the target value
    (TARGET_QUESTION) or the assignment (ASSIGNMENT); a 督办单's items (SHEET)."""

    kind: Quoted
    ident: int | None = None
    sheet_items: list[dict[str, Any]] = field(default_factory=list)


Route = Callable[[Update, Context, QuotedMessage], Awaitable[None]]


def _button(message: Message, *kinds: str, option: str | None = None) -> int | None:
    """The id in the first of our buttons of one of `kinds` under `message` (with `option`, when given)."""
    return next(
        (ident for kind, ident, opt in buttons_under(message) if kind in kinds and option in (None, opt)),
        None,
    )


def _by_buttons(message: Message) -> QuotedMessage | None:
    """What the buttons under one of the bot's messages say it was, if they say."""
    question = _button(message, callback_data.RETURN, option=callback_data.NO)
    if question is not None:
        return QuotedMessage(Quoted.RETURN_QUESTION, question)
    if _button(message, callback_data.RETURN) is not None:
        return QuotedMessage(Quoted.RETURN_NOTICE)
    value = _button(message, callback_data.TARGET_VALUE, option=callback_data.NO)
    if value is not None:
        return QuotedMessage(Quoted.TARGET_QUESTION, value)
    return None


async def quoted(context: Context, message: Message) -> QuotedMessage | None:
    """What a text message replies to; None when it is not for the bot (a group's own conversation)."""
    replied, chat = message.reply_to_message, message.chat
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return QuotedMessage(Quoted.PLAIN) if chat.type == chat.PRIVATE else None
    by_buttons = _by_buttons(replied)
    if by_buttons is not None:
        return by_buttons
    async with transaction(context) as session:
        assignment_id = await assignment_for_message(session, chat.id, replied.message_id)
        sheet = await sheet_for_message(session, chat.id, replied.message_id)
    # a prompt maps through its outbox row; one of the bot's answers (an acknowledgement, a 更正 question) names
    # its assignment in its buttons
    assignment_id = assignment_id or _button(replied, callback_data.REPORT, callback_data.CORRECT)
    if assignment_id is not None:
        return QuotedMessage(Quoted.ASSIGNMENT, assignment_id)
    if sheet is not None:
        return QuotedMessage(Quoted.SHEET, sheet_items=sheet.items)
    return QuotedMessage(Quoted.PLAIN)


def handler(routes: Mapping[Quoted, Route]) -> MessageHandler:
    """The one handler of text messages, routing each by what it quotes; every kind must have its route."""
    missing = set(Quoted) - set(routes)
    if missing:
        raise ValueError(f"no route for {sorted(missing)}")

    async def dispatch(update: Update, context: Context) -> None:
        message = update.effective_message
        if message is None or not message.text:
            return
        found = await quoted(context, message)
        if found is not None:
            await routes[found.kind](update, context, found)

    return MessageHandler(TEXT_MESSAGES, dispatch)
