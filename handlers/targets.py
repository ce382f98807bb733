"""Target values (指标): the 更正 buttons under an answer that recorded one, the reply with the right number,
and /target for a lead unit or a coordinator (bot/chat/target_values.py, bot/chat/target_command.py).

The 更正 question carries the value's id in its 不是这个指标 button (tv:<id>:no), so a reply to it is read
back from the quoted message: nothing waits in memory and a restart loses nothing."""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.chat import target_command, target_values
from bot.core.vocab import TargetOutcome
from bot.presenters import target_answers as render
from bot.render import callback_data
from bot.render import messages as m
from handlers.common import (
    NEW_MESSAGES,
    Context,
    answer,
    bound_unit,
    button_data,
    chat_id_of,
    command_text,
    coordinator,
    local,
    retry_busy,
    toast,
    transaction,
)
from handlers.quoted import QuotedMessage


async def value_button(update: Update, context: Context) -> None:
    """tv:<value> asks for the right number; tv:<value>:no withdraws the value (不是这个指标)."""
    data = await button_data(update)
    if data is None:
        return
    user = update.effective_user
    chat_id = chat_id_of(update)

    async def act() -> target_values.ValueChange:
        async with transaction(context, settles=update) as session:
            is_coord = await coordinator(session, update, context)
            if data[2] == callback_data.NO:
                return await target_values.void_value(
                    session,
                    data[1],
                    chat_id=chat_id,
                    user_id=user.id if user else None,
                    coordinator=is_coord,
                    at=dt.datetime.now(dt.UTC),
                )
            return await target_values.may_change(
                session, data[1], chat_id=chat_id, user_id=user.id if user else None, coordinator=is_coord
            )

    change = await retry_busy(act, f"target value {data[1]} from chat {chat_id}")
    await toast(update)
    if change.outcome == TargetOutcome.ASK and change.view is not None:
        await answer(update, context, *render.value_question(change.view))
    else:
        await answer(update, context, *render.value_changed(change))


async def correction_reply(update: Update, context: Context, quoted: QuotedMessage) -> None:
    """A reply to a 更正 question (`quoted.ident`: its value): the right number replaces the value (or why not)."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and quoted.ident is not None
    chat_id, value_id, text = chat_id_of(update), quoted.ident, message.text or ""

    async def correct() -> target_values.ValueChange:
        async with transaction(context, settles=update) as session:
            return await target_values.correct_value(
                session,
                value_id,
                text,
                chat_id=chat_id,
                user_id=user.id if user else None,
                coordinator=await coordinator(session, update, context),
                at=dt.datetime.now(dt.UTC),
            )

    change = await retry_busy(correct, f"correction of target value {value_id} from chat {chat_id}")
    await answer(update, context, *render.value_changed(change, text))


async def target(update: Update, context: Context) -> None:
    """/target lists the targets the chat's unit looks after (a coordinator: all); /target 简称 编号 数值 records."""
    text = command_text(update.effective_message)
    today = local(context).date()
    user = update.effective_user
    if text:

        async def record() -> target_command.TargetCommand:
            async with transaction(context, settles=update) as session:
                return await target_command.record(
                    session,
                    text,
                    chat_id=chat_id_of(update),
                    user_id=user.id if user else None,
                    coordinator=await coordinator(session, update, context),
                    at=dt.datetime.now(dt.UTC),
                )

        result = await retry_busy(record, f"/target from chat {chat_id_of(update)}")
        entries: list[target_command.ListedTarget] = []
        words = target_command.arguments(text)
        if result.outcome == TargetOutcome.NO_NUMBER and len(words) < 3:
            entries = (await _listing(update, context))[2]
        if result.outcome == TargetOutcome.UNBOUND:
            await answer(update, context, m.NOT_BOUND)
            return
        await answer(update, context, *render.recorded(result, words, today, entries))
        return
    refused, title, entries = await _listing(update, context)
    if refused is not None:
        await answer(update, context, m.NOT_BOUND)
    elif not entries:
        await answer(
            update,
            context,
            m.TARGET_LIST_EMPTY_ALL
            if title == m.TARGET_LIST_TITLE_ALL
            else m.TARGET_LIST_EMPTY.format(who=escape(title)),
        )
    else:
        await answer(update, context, *render.target_list(title, entries, today))


async def _listing(
    update: Update, context: Context
) -> tuple[TargetOutcome | None, str, list[target_command.ListedTarget]]:
    """(refusal, title, the targets) the pressing chat or coordinator may see."""
    async with transaction(context) as session:
        is_coord = await coordinator(session, update, context)
        bound = await bound_unit(session, update)
        refused, entries = await target_command.visible_targets(
            session, chat_id=chat_id_of(update), coordinator=is_coord
        )
    if is_coord:
        return refused, m.TARGET_LIST_TITLE_ALL, entries
    unit = bound[1].name if bound else ""
    return refused, m.TARGET_LIST_TITLE_UNIT.format(unit=unit) if unit else "", entries


async def target_page(update: Update, context: Context) -> None:
    """tl:<page> — another page of /target, edited in place; what the pressing chat or coordinator may see."""
    data = await button_data(update)
    if data is None:
        return
    await toast(update)
    refused, title, entries = await _listing(update, context)
    if refused is not None or not entries:
        await answer(update, context, m.NOT_BOUND if refused is not None else m.BUTTON_STALE)
        return
    text, markup = render.target_list(title, entries, local(context).date(), page=data[1] - 1)
    query = update.callback_query
    assert query is not None
    with suppress(BadRequest):  # the same page again: "message is not modified"
        await query.edit_message_text(
            text, reply_markup=InlineKeyboardMarkup.de_json(markup, context.bot) if markup else None
        )


def install(application: Application) -> None:
    application.add_handler(CommandHandler("target", target, filters=NEW_MESSAGES))
    application.add_handler(
        CallbackQueryHandler(value_button, pattern=callback_data.pattern(callback_data.TARGET_VALUE))
    )
    application.add_handler(
        CallbackQueryHandler(value_button, pattern=callback_data.pattern(callback_data.TARGET_VALUE, options=True))
    )
    application.add_handler(CallbackQueryHandler(target_page, pattern=callback_data.pattern(callback_data.TARGET_PAGE)))
