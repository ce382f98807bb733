"""The 督办单's buttons: a task's button opens its report card; ◀ ▶ show another page of task buttons.

Both carry ids only. A card opens only for the chat's own unit (bot/chat/reports.py `authorize`, refused
and audited otherwise); a page only for a chat the 督办单 was sent to.
"""

from __future__ import annotations

from contextlib import suppress

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler

from bot.chat.issued_sheets import sheet_in_chat
from bot.core.vocab import MessageKind
from bot.render import callback_data
from bot.render import messages as m
from bot.render.prompts import PromptContext, render_prompt
from bot.render.sheet import buttons_of, keyboard
from handlers.common import (
    Context,
    answer,
    button_data,
    chat_id_of,
    local,
    markup,
    toast,
    transaction,
    view_if_allowed,
)


async def open_card(update: Update, context: Context) -> None:
    """sc:<assignment> — the task's report card (已完成 · 进行中 · 受阻 · 申请延期), as a message of its own."""
    data = await button_data(update)
    if data is None:
        return
    view = await view_if_allowed(update, context, data[1], "card")
    if view is None:
        return
    text, markup = render_prompt(
        PromptContext(
            kind=MessageKind.PROMPT,
            document=view.document,
            ref=view.ref,
            task_title=view.task_title,
            unit=view.unit,
            role=view.role,
            deadline=view.deadline,
            today=local(context).date(),
            assignment_id=view.id,
        )
    )
    await answer(update, context, text, markup)


async def turn_page(update: Update, context: Context) -> None:
    """sp:<sheet>:<page> — the 督办单's task buttons on another page, edited in place."""
    query = update.callback_query
    data = await button_data(update)
    if query is None or data is None:
        return
    async with transaction(context) as session:
        sheet = await sheet_in_chat(session, data[1], chat_id_of(update))
    if sheet is None or not (data[2] or "").isdigit():
        await toast(update, m.BUTTON_STALE)
        return
    await toast(update)
    with suppress(BadRequest):  # "message is not modified": that page is shown already
        await query.edit_message_reply_markup(
            markup(keyboard(buttons_of(sheet.items), sheet.id, int(data[2] or 0)), context)
        )


def install(application: Application) -> None:
    application.add_handler(CallbackQueryHandler(open_card, pattern=callback_data.pattern(callback_data.CARD)))
    application.add_handler(
        CallbackQueryHandler(
            turn_page,
            pattern=rf"^{callback_data.SHEET_PAGE}:"
            rf"{callback_data.ID_PATTERN}:[0-9]{{1,3}}$",
        )
    )
