"""Telegram inbound: commands, replies and buttons. Thin: each handler calls services in bot/.

Only the composition root (bot/app.py) imports this package; `install` registers every handler.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.render import messages as m
from handlers import binding, commands, coordinators, errors, extensions, reports, returns, sheet_buttons, targets, web


async def _stale_button(update: Update, _context: object) -> None:
    """Any button data no handler claimed (an old or forged button): say so, change nothing."""
    if update.callback_query is not None:
        await update.callback_query.answer(m.BUTTON_STALE)


def install(application: Application) -> None:
    # returns before reports: a reply to a 退回 question is its reason, not a report (handlers/returns.py)
    for module in (binding, commands, coordinators, extensions, returns, reports, sheet_buttons, targets, web):
        module.install(application)
    application.add_handler(CallbackQueryHandler(_stale_button))
    application.add_error_handler(errors.on_error)
