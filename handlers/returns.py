"""退办: the 退回 button (under a lead's report notice and in /status), its 取消, and the reason that answers it.

The question carries the report id in its 取消 button (`rt:<report>:no`); a reply to that question is the
reason. Its handler is installed before the reports' text handler, so the reason is never read as a
progress report of the lead's own unit.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.chat import returns
from bot.core.vocab import ReturnOutcome
from bot.presenters import answers
from bot.render import callback_data
from bot.render import messages as m
from handlers.common import (
    NEW_MESSAGES,
    Context,
    answer,
    button_data,
    buttons_under,
    chat_id_of,
    coordinator,
    local,
    retry_busy,
    runtime,
    toast,
    transaction,
)


def _return_buttons(message: Message | None) -> list[tuple[int, str | None]]:
    """(report id, option) of the 退回 buttons under one of the bot's messages."""
    if message is None or message.from_user is None or not message.from_user.is_bot:
        return []
    return [(report, option) for kind, report, option in buttons_under(message) if kind == callback_data.RETURN]


def question_report(message: Message | None) -> int | None:
    """The report a 退回 question (one of the bot's messages) is about: the id in its 取消 button."""
    return next((report for report, option in _return_buttons(message) if option == callback_data.NO), None)


class _ReplyToReturn(filters.MessageFilter):
    """A message that replies to a message with 退回 buttons: the question (its reply is the reason), or a
    lead's notice or /status (a reply there is no report of the lead's own unit)."""

    def filter(self, message: Message) -> bool:
        return bool(_return_buttons(message.reply_to_message))


async def return_button(update: Update, context: Context) -> None:
    """rt:<report> asks for the reason (a lead of the task or a coordinator); rt:<report>:no cancels."""
    data = await button_data(update)
    if data is None:
        return
    tz = runtime(context).settings.tz
    if data[2] is not None:
        await toast(update)
        await answer(
            update,
            context,
            answers.return_answer(returns.ReturnResult(ReturnOutcome.CANCELLED), tz)
            if data[2] == callback_data.NO
            else answers.return_answer(returns.ReturnResult(ReturnOutcome.MISSING), tz),
        )
        return
    user = update.effective_user
    async with transaction(context) as session:
        result = await returns.ask_reason(
            session,
            data[1],
            chat_id=chat_id_of(update),
            user_id=user.id if user else None,
            coordinator=await coordinator(session, update, context),
        )
    await toast(update)
    if result.outcome == ReturnOutcome.ASK:
        await answer(update, context, *answers.return_question(result, tz))
    else:
        await answer(update, context, answers.return_answer(result, tz))


async def reason(update: Update, context: Context) -> None:
    """A reply to a 退回 question: the reason; the report is returned (or the answer says why not). A reply to
    a message with 退回 buttons that is not the question is told how to send a report back."""
    message = update.effective_message
    chat, user = update.effective_chat, update.effective_user
    if message is None or chat is None:
        return
    if (
        message.reply_to_message is None
        or message.reply_to_message.from_user is None
        or message.reply_to_message.from_user.id != context.bot.id
    ):
        return
    report_id = question_report(message.reply_to_message)
    if report_id is None:  # a reply to the notice or /status itself: say how to send back
        await answer(update, context, m.RETURN_HOW)
        return
    text = message.text or ""

    async def submit() -> returns.ReturnResult:
        async with transaction(context) as session:
            return await returns.return_report(
                session,
                report_id,
                text,
                chat_id=chat.id,
                user_id=user.id if user else None,
                coordinator=await coordinator(session, update, context),
                now=local(context, message.date),
            )

    result = await retry_busy(submit, f"return of report {report_id} from chat {chat.id}")
    await answer(update, context, answers.return_answer(result, runtime(context).settings.tz, text))


def install(application: Application) -> None:
    application.add_handler(MessageHandler(NEW_MESSAGES & filters.TEXT & ~filters.COMMAND & _ReplyToReturn(), reason))
    application.add_handler(CallbackQueryHandler(return_button, pattern=callback_data.pattern(callback_data.RETURN)))
    application.add_handler(
        CallbackQueryHandler(return_button, pattern=callback_data.pattern(callback_data.RETURN, options=True))
    )
