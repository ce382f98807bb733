"""Telegram inbound: commands, replies and buttons. Thin: each handler calls services in bot/.

Only the composition root (bot/app.py) imports this package; `install` registers every handler, and REPLIES
says which handler takes a text message, by what it replies to (handlers/quoted.py). No handler module
imports another: what connects them is here.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.core.vocab import Quoted
from bot.render import messages as m
from handlers import (
    binding,
    commands,
    coordinators,
    errors,
    extensions,
    quoted,
    reports,
    returns,
    sheet_buttons,
    targets,
    web,
)

REPLIES: dict[Quoted, quoted.Route] = {
    # what a text message is, by what it replies to (handlers/quoted.py reads that)
    Quoted.RETURN_QUESTION: returns.reason,
    Quoted.RETURN_NOTICE: returns.how_to_return,
    Quoted.TARGET_QUESTION: targets.correction_reply,
    Quoted.ASSIGNMENT: reports.reply_to_assignment,
    Quoted.SHEET: reports.reply_to_sheet,
    Quoted.PLAIN: reports.plain_text,
}


async def _stale_button(update: Update, _context: object) -> None:
    """Any button data no handler claimed (an old or forged button): say so, change nothing."""
    if update.callback_query is not None:
        await update.callback_query.answer(m.BUTTON_STALE)


def install(application: Application) -> None:
    for module in (binding, commands, coordinators, extensions, returns, reports, sheet_buttons, targets, web):
        module.install(application)
    application.add_handler(quoted.handler(REPLIES))  # the one handler of text that is no command
    application.add_handler(CallbackQueryHandler(_stale_button))
    application.add_error_handler(errors.on_error)
