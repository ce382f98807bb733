"""The store refusing writes, as the error handler meets it (bot.core.db.store_fault): busy, full, read-only.

- BUSY reaches here only after `handlers.common.retry_busy` gave up (or from a write that is not retried):
  the user is told that nothing was saved and to send it again in a minute; one WARNING line; nobody else
  is told, since the lock is someone else's write and passes by itself.
- FULL and READ_ONLY (disk full, a read-only file or filesystem, a PostgreSQL standby) do not pass by
  themselves: the user is told that nothing was saved and that the coordinators know, and every
  coordinator gets an alert straight through the Bot API — the outbox is in the store that cannot be
  written — at most once per ALERT_EVERY and fault, timed on the monotonic clock (a clock step neither
  repeats nor silences it). The log has one ERROR line per alert; a job that fails every few seconds
  meanwhile (the sender, the tick) adds nothing more, so an outage of days stays a few lines.
- Nothing acknowledged is lost: a report is answered 已记录 only after its transaction committed
  (handlers.reports.store), and a transaction that failed has changed nothing.
"""

from __future__ import annotations

import logging
import time
from html import escape

from telegram import Update
from telegram.error import TelegramError

from bot.chat.roles import coordinator_ids
from bot.core import db
from bot.core.logs import RedactToken
from bot.core.vocab import StoreFault
from bot.render import messages as m
from handlers.common import Context, answer, chat_id_of, one_line, runtime

log = logging.getLogger(__name__)

ALERT_EVERY = 3600.0  # seconds between two alerts about the same fault


async def handle(update: object, context: Context, fault: StoreFault, where: str, token: str | None) -> None:
    """Answer the user (if the failure was an update's) and, for a lasting fault, alert the coordinators."""
    error = context.error
    detail = RedactToken(token).scrub(one_line(error))
    if fault == StoreFault.BUSY:
        log.warning("%s: the store stayed busy, nothing saved (%s)", where, detail)
    elif _due(context, fault):
        log.error("%s: the store cannot be written (%s): %s; telling the coordinators", where, fault, detail)
        await _alert(context, fault, detail)
    elif isinstance(update, Update):
        log.warning("%s: the store cannot be written (%s), nothing saved", where, fault)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await answer(update, context, m.STORE_BUSY if fault == StoreFault.BUSY else m.STORE_DOWN)
    except TelegramError as exc:
        log.warning("could not tell chat %s that nothing was saved: %s", chat_id_of(update), type(exc).__name__)


def _due(context: Context, fault: StoreFault) -> bool:
    """Whether this fault may be alerted now (and, if so, mark it alerted)."""
    last = context.bot_data.store_alerts
    now = time.monotonic()
    if fault in last and now - last[fault] < ALERT_EVERY:
        return False
    last[fault] = now
    return True


async def _alert(context: Context, fault: StoreFault, detail: str) -> None:
    rt = runtime(context)
    try:  # reading still works when writing does not (full disk, read-only file); if not, the configured ones
        async with db.session_scope(rt.store) as session:
            recipients = sorted(await coordinator_ids(session, rt.settings.coordinator_ids))
    except Exception as exc:  # the alert matters more than who else was promoted
        log.warning("could not read the promoted coordinators (%s); alerting the configured ones", type(exc).__name__)
        recipients = sorted(set(rt.settings.coordinator_ids))
    text = m.STORE_ALERT.format(fault=m.STORE_FAULTS.get(fault, fault), detail=escape(detail))
    for chat_id in recipients:
        try:
            await context.bot.send_message(chat_id, text)
        except TelegramError as exc:
            log.warning("could not alert coordinator %s about the store: %s", chat_id, type(exc).__name__)
    if not recipients:
        log.error("no coordinator to alert: set COORDINATOR_IDS")
