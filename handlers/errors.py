"""The error handler: log the failure without the token, tell the user something went wrong.

The traceback is formatted and scrubbed here (bot.core.logs.RedactToken) rather than left to the logging
handlers, so the token stays out of every handler a deployment or a test may attach, not only ours.

The Bot API out of reach while polling (bot.core.network.unreachable: no connection at all) is one WARNING
line per failed poll, not a traceback: PTB retries by itself, backing off to one poll every 30 s, so an
outage of hours costs a couple of lines a minute instead of a hundred.

A job (the tick every minute, the sender every 5 s) that cannot reach the database (bot.core.db.store_unreachable:
PostgreSQL restarting or down) is one WARNING line a minute at most, not a traceback per run: the jobs run
again by themselves, and a down database for an hour would otherwise write ~800 tracebacks.

An update from the inbox (bot/inbound.py) whose handling found the database out of reach is handled again
once it is back: its sender is told so once (m.STORE_AWAY), then gets the real answer — not an error first and
已记录 a minute later, which read as two contradicting answers to one report.

The store refusing a write (bot.core.db.store_fault: busy past the retries, disk full, read-only) is not a
bug either: handlers/storefaults.py tells the user nothing was saved and alerts the coordinators.
"""

from __future__ import annotations

import logging
import time
import traceback

from telegram import Update
from telegram.error import TelegramError

from bot.core import db
from bot.core.logs import RedactToken
from bot.core.network import unreachable
from bot.render import messages as m
from handlers import storefaults
from handlers.common import Context, answer, chat_id_of, one_line, runtime

log = logging.getLogger(__name__)
STORE_LOG_EVERY = 60.0  # seconds between two lines about jobs that cannot reach the store


def describe(error: BaseException | None, token: str | None) -> str:
    """The error and its traceback, with the token (and anything token-shaped) replaced."""
    if error is None:
        return "unknown error"
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return RedactToken(token).scrub(text)


def _log_store_unreachable(context: Context, where: str, token: str | None) -> None:
    """One line per STORE_LOG_EVERY, counting the failed runs in between."""
    state = context.bot_data.store_unreachable
    state.failed_runs += 1
    now = time.monotonic()
    if now - state.last_line < STORE_LOG_EVERY:
        return
    reason = RedactToken(token).scrub(one_line(context.error, 200))
    log.warning(
        "%s could not reach the database (%s); the jobs retry by themselves (%d failed runs since the last such line)",
        where,
        reason,
        state.failed_runs,
    )
    state.last_line, state.failed_runs = now, 0


async def _handle_again(update: Update, context: Context) -> bool:
    """An update from the inbox that failed because the database was away is handled again once it is back
    (bot/inbound.py): its sender is told that, once, rather than given an error now and 已记录 later."""
    handling = runtime(context).inbox
    if handling.current != update.update_id:
        return False  # not from the inbox (a test's process_update): nothing would handle it again
    handling.again.add(update.update_id)
    log.warning("update %d could not reach the database; it is handled again from the inbox", update.update_id)
    if update.update_id in handling.told or update.effective_chat is None:
        return True
    handling.told.add(update.update_id)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await answer(update, context, m.STORE_AWAY)
    except TelegramError as exc:
        log.warning("could not tell chat %s to wait: %s", chat_id_of(update), type(exc).__name__)
    return True


async def on_error(update: object, context: Context) -> None:
    secret = runtime(context).settings.telegram_bot_token
    where = f"update {update.update_id}" if isinstance(update, Update) else "a job or the updater"
    token = secret.get_secret_value() if secret else None
    if not isinstance(update, Update) and context.error is not None and unreachable(context.error):
        log.warning(
            "%s could not reach Telegram (%s); it retries",
            where,
            RedactToken(token).scrub(f"{type(context.error).__name__}: {context.error}"),
        )
        return
    if not isinstance(update, Update) and db.store_unreachable(context.error):
        _log_store_unreachable(context, where, token)
        return
    if isinstance(update, Update) and db.store_unreachable(context.error) and await _handle_again(update, context):
        return
    fault = db.store_fault(context.error)
    if fault is not None:  # busy past the retries, disk full, read-only: handlers/storefaults.py
        await storefaults.handle(update, context, fault, where, token)
        return
    log.error("%s failed: %s", where, describe(context.error, token))
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await answer(update, context, m.ERROR_GENERIC)
    except TelegramError as exc:  # the chat may be gone; the failure is logged above
        log.warning("could not tell chat %s about the error: %s", chat_id_of(update), type(exc).__name__)
