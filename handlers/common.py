"""What every handler needs: the store, the clock in the configured zone, and a safe way to answer.

Answers are direct replies to the user's own update (docs/data-flow.md allows these outside the outbox); they
are HTML (the Application's Defaults) and split at 4,096 characters on line boundaries. An answer that
cannot go out now — Telegram unreachable, a timeout, a 429 left after the rate limiter's retries — is not
dropped: what was not sent goes into the outbox (kind `answer`, keyed by the update), and the sender
delivers it like any queued message. After a read timeout Telegram may have had the message after all,
so that answer can arrive twice; a lost acknowledgement would have the user send the report again.
An answer that quotes the user's message (the 哪项任务 question) is queued without the quote.

A write that finds the store busy (SQLite: another process holds the write lock past the busy timeout;
PostgreSQL: a lock, serialization or deadlock failure) is retried by `retry_busy` after BUSY_BACKOFF
pauses, as a whole transaction; only when the last try fails too does the error reach the error handler,
which tells the user that nothing was saved and to send it again (handlers.errors).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, NamedTuple, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Message, ReplyParameters, Update, User
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import filters

from bot.chat import lookups, reports, updates
from bot.chat.binding import chat_unit
from bot.chat.late_answers import queue_answer
from bot.chat.lookups import AssignmentView
from bot.chat.roles import is_coordinator
from bot.core import db
from bot.core.logs import scrub_token
from bot.core.models import Chat, Unit, pk
from bot.core.network import retry_delay
from bot.core.runtime import Context, Runtime
from bot.core.vocab import StoreFault
from bot.presenters import answers
from bot.render import callback_data
from bot.render import messages as m
from bot.render.telegram_text import split_message

T = TypeVar("T")
log = logging.getLogger(__name__)
# Pauses between tries of a write that found the store busy: four tries within about 3.5 s on top of the
# busy timeout each try waits in SQLite itself.
BUSY_BACKOFF = (0.25, 1.0, 2.0)
busy_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep  # the pause itself (a test's hook)
# Commands and texts count when sent, not when edited: an edit would otherwise store a report again.
NEW_MESSAGES = filters.UpdateType.MESSAGE


def runtime(context: Context) -> Runtime:
    return context.bot_data


@asynccontextmanager
async def transaction(context: Context, settles: Update | None = None) -> AsyncIterator[AsyncSession]:
    """One store transaction, committed when the block ends — before the handler answers.

    `settles`: the update whose one write this is (a report, a target value, a 退办, a file request): the
    handler only answers after it. Its inbox row (bot/inbound.py) is marked handled in the same commit, so
    whatever fails after it (the answer, the inbox's own mark when PostgreSQL goes away) cannot have the
    update handled again: a report stored and acknowledged once, never a second time from the sweep after
    the contact's next report has made it look new. A read before the write never settles (the write could
    still fail, and the update must then be handled again)."""
    handling = runtime(context).inbox
    async with db.session_scope(runtime(context).store) as session:
        yield session
        if settles is not None and settles.update_id == handling.current:
            await updates.settle(session, settles.update_id, handling.worker, dt.datetime.now(dt.UTC))


async def retry_busy(work: Callable[[], Awaitable[T]], what: str = "write") -> T:
    """`work()` (one whole transaction), tried again after each BUSY_BACKOFF pause while the store is busy;
    the last failure is raised. Nothing is answered before a try commits, so a retry never doubles a report."""
    for pause in (*BUSY_BACKOFF, None):
        try:
            return await work()
        except Exception as exc:
            if pause is None or db.store_fault(exc) != StoreFault.BUSY:
                raise
            log.warning("%s: the store is busy (%s); trying again in %.2f s", what, one_line(exc, 120), pause)
        await busy_sleep(pause)
    raise AssertionError("unreachable")


def one_line(error: BaseException | None, limit: int = 300) -> str:
    """`Type: first line` of an error, the database driver's own when SQLAlchemy wraps one, for a log line."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()[0] if original is not None and str(original).strip() else ""
    return f"{type(original).__name__}: {text[:limit]}"


def local(context: Context, at: dt.datetime | None = None) -> dt.datetime:
    """`at` (default: now) as an aware time in the configured zone, as the reply parser wants it."""
    at = at or dt.datetime.now(dt.UTC)
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(runtime(context).settings.tz)


def markup(data: dict[str, Any] | None, context: Context) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup.de_json(data, context.bot) if data else None


async def answer(
    update: Update,
    context: Context,
    text: str,
    buttons: dict[str, Any] | None = None,
    *,
    reply_to: Message | None = None,
) -> Message | None:
    """Send `text` to the update's chat in parts of at most 4,096 characters; buttons go on the last part.
    With `reply_to`, the first part quotes that message (so a later button press can find it)."""
    chat = update.effective_chat
    if chat is None:
        return None
    parts = split_message(text)
    sent = None
    for i, part in enumerate(parts):
        quote = (
            ReplyParameters(message_id=reply_to.message_id, allow_sending_without_reply=True)
            if reply_to is not None and i == 0
            else None
        )
        try:
            last = i == len(parts) - 1
            sent = await context.bot.send_message(
                chat.id, part, reply_parameters=quote, reply_markup=markup(buttons, context) if last else None
            )
        except BadRequest:
            raise  # the answer itself is wrong: sending it later would not help
        except (NetworkError, RetryAfter) as exc:  # TimedOut is a NetworkError
            await answer_later(update, context, parts, i, buttons, exc)
            return None
    return sent


async def answer_later(
    update: Update,
    context: Context,
    parts: list[str],
    first: int,
    buttons: dict[str, Any] | None,
    exc: NetworkError | RetryAfter,
) -> None:
    """Queue parts[first:] of an answer for the sender (see the module docstring)."""
    chat = update.effective_chat
    assert chat is not None
    now = dt.datetime.now(dt.UTC)
    send_at = now + (retry_delay(exc) if isinstance(exc, RetryAfter) else dt.timedelta(0))
    stamp = f"{now:%Y%m%d%H%M%S%f}"  # update ids start again for another bot: the key must not collide then
    try:
        async with transaction(context) as session:
            await queue_answer(
                session, f"answer:{update.update_id}:{stamp}", chat.id, parts, first, send_at=send_at, buttons=buttons
            )
    except Exception as store_exc:  # Telegram and the store both away (the answer was "nothing was saved")
        log.warning(
            "answer to chat %s lost: Telegram did not take it (%s) and the store could not queue it (%s)",
            chat.id,
            type(exc).__name__,
            type(store_exc).__name__,
        )
        return
    log.warning(
        "answer to chat %s not sent now (%s: %s); %d part(s) queued in the outbox",
        chat.id,
        type(exc).__name__,
        scrub_token(exc.message),
        len(parts) - first,
    )


async def toast(update: Update, text: str | None = None) -> None:
    """Answer a button press (stops the spinner); a no-op for other updates. A toast that cannot be shown
    (Telegram unreachable, throttled, the press too old) is only logged: the answer message that follows
    says the same, and it must not be skipped because of the toast."""
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(text)
        except (NetworkError, RetryAfter) as exc:  # BadRequest ("query is too old") is a NetworkError
            log.info(
                "button press in chat %s not answered (%s: %s)",
                update.effective_chat and chat_id_of(update),
                type(exc).__name__,
                scrub_token(exc.message),
            )


def buttons_under(message: Message | None) -> list[tuple[str, int, str | None]]:
    """(kind, id, option) of our buttons (bot/render/callback_data.py) under a message: what a reply to one of
    the bot's questions is about is read back from them, so nothing waits in memory."""
    keyboard = message.reply_markup.inline_keyboard if message is not None and message.reply_markup else ()
    parsed = (
        callback_data.parse(b.callback_data if isinstance(b.callback_data, str) else None)
        for row in keyboard
        for b in row
    )
    return [data for data in parsed if data is not None]


async def button_data(update: Update) -> tuple[str, int, str | None] | None:
    """The pressed button's (kind, id, option); None, with the stale-button toast, for data that is not ours
    (forged, or an id past the store's range)."""
    query = update.callback_query
    data = callback_data.parse(query.data if query else None)
    if data is None:
        await toast(update, m.BUTTON_STALE)
    return data


def chat_id_of(update: Update) -> int:
    """The chat an update came from. Every handler here is registered for messages or buttons, which come from a
    chat; an update without one reaching a handler is a registration bug, not user input."""
    chat = update.effective_chat
    if chat is None:
        raise LookupError(f"update {update.update_id} has no chat")
    return chat.id


async def bound_unit(session: AsyncSession, update: Update) -> tuple[Chat, Unit] | None:
    chat = update.effective_chat
    return await chat_unit(session, chat.id) if chat is not None else None


async def view_if_allowed(update: Update, context: Context, assignment_id: int, action: str) -> AssignmentView | None:
    """The assignment, if this chat may act on it; otherwise the refusal is answered (and audited)."""
    user = update.effective_user
    async with transaction(context) as session:
        access = await reports.authorize(
            session, chat_id_of(update), assignment_id, user_id=user.id if user else None, action=action
        )
    await toast(update)
    if access.refused is not None:
        await answer(update, context, answers.refusal(access.refused, access.view))
        return None
    return access.view


class UnitTasks(NamedTuple):
    """A chat's unit and its open assignments."""

    unit: Unit
    open: list[AssignmentView]


async def unit_with_open_tasks(update: Update, context: Context) -> UnitTasks | None:
    """The chat's unit and its open assignments; None (after answering NOT_BOUND) for an unbound chat."""
    async with transaction(context) as session:
        bound = await bound_unit(session, update)
        open_ = await lookups.open_assignments(session, pk(bound[1])) if bound else []
    if bound is None:
        await answer(update, context, m.NOT_BOUND)
        return None
    return UnitTasks(bound[1], open_)


async def coordinator(session: AsyncSession, update: Update, context: Context) -> bool:
    user = update.effective_user
    return await is_coordinator(session, user.id if user else None, runtime(context).settings.coordinator_ids)


def user_name(user: User | None) -> str | None:
    if user is None:
        return None
    return user.full_name + (f" (@{user.username})" if user.username else "")


def command_text(message: Message | None) -> str:
    """What follows the /command (and @botname) in a message, as the user typed it (newlines kept)."""
    text = (message.text or "") if message else ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) == 2 and parts[0].startswith("/") else ("" if text.startswith("/") else text)


def coordinator_private_chat(update: Update) -> int | None:
    """A coordinator's own chat (a private chat's id is the user's id) when they ask in another chat: what a
    coordinator asks for covers every unit, and a unit's group must not get every unit's 台账 (as /invite)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type == chat.PRIVATE or chat.id == user.id:
        return None
    return user.id


async def answer_privately(update: Update, context: Context, text: str) -> bool:
    """`text` to the user's private chat, in parts of at most 4,096 characters; False when Telegram refuses it
    (the user never opened a chat with the bot)."""
    user = update.effective_user
    if user is None:
        return False
    try:
        for part in split_message(text):
            await context.bot.send_message(user.id, part)
    except TelegramError as exc:
        log.info("private answer to user %s not sent: %s", user.id, scrub_token(exc.message))
        return False
    return True
